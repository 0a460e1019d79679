// build.mjs — bundles main.js (with pkijs, asn1js, fflate from the lock
// file) into ../static/portal.<first 12 hex of its SHA-256>.js, the name
// itakud serves it under, and removes the bundles it replaces.
//   node build.mjs            write the bundle
//   node build.mjs --out DIR  write it into DIR instead (the reproducibility test)
// The output holds no path or time: the same lock file gives the same bytes.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const i = process.argv.indexOf('--out');
const outDir = i > 0 ? path.resolve(process.argv[i + 1]) : path.join(here, '..', 'static');

const r = await build({
  absWorkingDir: here,
  entryPoints: ['main.js'],
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['chrome120', 'firefox120', 'safari17'],
  legalComments: 'eof',
  charset: 'utf8',
  write: false,
  logLevel: 'warning',
});
const js = r.outputFiles[0].contents;
const name = `portal.${createHash('sha256').update(js).digest('hex').slice(0, 12)}.js`;
fs.mkdirSync(outDir, { recursive: true });
for (const f of fs.readdirSync(outDir)) if (/^portal\.[0-9a-f]{12}\.js$/.test(f) && f !== name) fs.unlinkSync(path.join(outDir, f));
fs.writeFileSync(path.join(outDir, name), js);
console.log(`${path.relative(process.cwd(), path.join(outDir, name))} ${js.length} bytes`);

// the stylesheet, named by its hash the same way (copied as it is)
const css = fs.readFileSync(path.join(here, 'portal.css'));
const cssName = `portal.${createHash('sha256').update(css).digest('hex').slice(0, 12)}.css`;
for (const f of fs.readdirSync(outDir)) if (/^portal\.[0-9a-f]{12}\.css$/.test(f) && f !== cssName) fs.unlinkSync(path.join(outDir, f));
fs.writeFileSync(path.join(outDir, cssName), css);
console.log(`${path.relative(process.cwd(), path.join(outDir, cssName))} ${css.length} bytes`);
