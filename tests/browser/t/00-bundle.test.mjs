// The committed bundle (and stylesheet) is what the lock file builds: core/web/js/build.mjs
// run again (node_modules from `npm ci` of core/web/js/package-lock.json)
// writes the same bytes under the same name; the server serves exactly
// those bytes, with its type, nosniff and a year's immutable cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { ROOT, W, ORIGIN, CA, bundleUrl, sh } from '../lib.mjs';

test('the bundle is reproducible from the lock file', () => {
  const lock = JSON.parse(fs.readFileSync(`${ROOT}/core/web/js/package-lock.json`, 'utf8'));
  for (const [p, v] of Object.entries(lock.packages)) {
    if (!p || v.optional) continue;
    const got = JSON.parse(fs.readFileSync(`${ROOT}/core/web/js/${p}/package.json`, 'utf8')).version;
    assert.equal(got, v.version, `${p}: node_modules has ${got}, the lock ${v.version} (run npm ci)`);
  }
  const out = `${W}/rebuilt`;
  sh(process.execPath, [`${ROOT}/core/web/js/build.mjs`, '--out', out]);
  const name = bundleUrl().replace('/static/', '');
  const committed = fs.readdirSync(`${ROOT}/core/web/static`).sort();
  assert.deepEqual(fs.readdirSync(out).sort(), committed, 'the rebuilt files have the committed names');
  assert.ok(committed.includes(name));
  for (const f of committed)
    assert.ok(fs.readFileSync(`${out}/${f}`).equals(fs.readFileSync(`${ROOT}/core/web/static/${f}`)), `${f} byte for byte`);
  const text = fs.readFileSync(`${out}/${name}`, 'utf8');
  assert.doesNotMatch(text, /\/(work|root|home|tmp)\//, 'no absolute paths');
});

test('itakud serves the committed bytes under the hashed name', () => {
  const hdr = sh('curl', ['-sS', '-D', '-', '-o', `${W}/served.js`, '--cacert', CA, `${ORIGIN}${bundleUrl()}`]);
  assert.match(hdr, /^HTTP\/1\.1 200/);
  assert.match(hdr, /\r\nContent-Type: text\/javascript; charset=utf-8\r\n/i);
  assert.match(hdr, /\r\nX-Content-Type-Options: nosniff\r\n/i);
  assert.match(hdr, /\r\nCache-Control: public, max-age=31536000, immutable\r\n/i);
  assert.ok(fs.readFileSync(`${W}/served.js`).equals(fs.readFileSync(`${ROOT}/core/web/static/${bundleUrl().slice(8)}`)));
});
