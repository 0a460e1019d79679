// browser-sign.mjs — run by browser-sign.sh (INST, PORT, W, ITAKU, RUNS in
// the environment, a release itakud serving the demo instance). Headless
// Chromium (tests/browser/lib.mjs: the respondent's .p12 in its NSS db,
// Chromium's own TLS) opens a page of itakud with the portal bundle it
// serves under /static/, fills the template of the 27-item assignment and
// attaches ten 1 MiB files of random bytes (10 MiB, nothing to compress),
// then RUNS times, each on the page loaded afresh (cold code, as a
// respondent signs once on a page just opened): unlock the .p12 and build
// + sign the package (itaku.loadP12 + itaku.buildPackage, as the answer
// page does; the files already in memory, as the page holds them once
// picked; the template fetch and fill not timed). References
// in the same run: `itaku pack` on the same answers, the same files and
// the same key (a process: start, read, deflate, sign, write), and
// WebCrypto's SHA-256 over the 10 MiB in the same page, the least any
// browser signing must do. Prints medians, the ratios, and the issue's
// goal (< 2 s); exits 1 when the median misses it. The three are taken
// in turn within each run, so a load from elsewhere weighs on all alike.
import fs from 'node:fs';
import crypto from 'node:crypto';
import { launch, withBundle, orgP12, ORGS, INST, ITAKU, W, b64, sh, sh2, api, unpack } from '../browser/lib.mjs';

const RUNS = Number(process.env.RUNS || 5);
const GOAL_MS = 2000;
const PASS = 'bench pass';
const org = ORGS['resp-ec'];
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor((s.length - 1) / 2)]; };
const fmt = (ms) => (ms / 1000).toFixed(3);

// the assignment of campaign 1 (the respondent's 27-item variant)
const list = api('resp-ec', 'GET', '/api/v1/assignments');
const a = list.json.assignments.find((x) => x.campaign.id === 1);
const files = [];
fs.mkdirSync(`${W}/ev`, { recursive: true });
for (let i = 0; i < 10; i++) {
  const name = `scan-${i}.pdf`;
  const data = crypto.randomBytes(1 << 20);
  fs.writeFileSync(`${W}/ev/${name}`, data);
  files.push({ name, data });
}
const p12 = orgP12(org, PASS, 'bench');
const b = await launch({ p12, pass: PASS });
let failed = false;
try {
  // the page's state, freshly loaded for every run (a respondent signs
  // once on a page just opened: the bundle's code is cold each time): the
  // .p12 and the files as bytes, the filled answers
  const load = async () => {
    await withBundle(b.page);
    const r = await b.page.evaluate(async ({ aid, p12, names }) => {
      const { itaku } = globalThis;
      const tpl = await itaku.get(`/api/v1/assignments/${aid}/template`);
      const ids = [...tpl.body.matchAll(/<item id="([^"]+)"/g)].map((m) => m[1]);
      const items = Object.fromEntries(ids.map((id, i) => [id, { level: String(1 + (i % 5)) }]));
      names.forEach((n, i) => { items[ids[i]] = { level: '4', evidence: [n] }; });
      const { xml, missing } = itaku.fillTemplate(tpl.body, items);
      if (missing.length) throw new Error(`missing: ${missing}`);
      globalThis.bench = { p12: Uint8Array.from(atob(p12), (c) => c.charCodeAt(0)), files: [], xml };
      return { xml, items: ids.length };
    }, { aid: a.id, p12: b64(fs.readFileSync(p12)), names: files.map((f) => f.name) });
    for (const f of files) {
      await b.page.evaluate(({ name, data }) => {
        globalThis.bench.files.push({ name, data: Uint8Array.from(atob(data), (c) => c.charCodeAt(0)) });
      }, { name: f.name, data: b64(f.data) });
    }
    return r;
  };

  // the figure and its references, run by run (so each sees the same
  // load): unlock the .p12, build and sign in the page; `itaku pack` on
  // the same answers, files and key; WebCrypto's SHA-256 over the 10 MiB
  const runs = [], pack = [], digest = [];
  let xml, items, args;
  for (let i = 0; i < RUNS; i++) {
    ({ xml, items } = await load());
    if (items !== 27) throw new Error(`the assignment has ${items} items, the figure is for 27`);
    runs.push(await b.page.evaluate(async (pass) => {
      const { itaku, bench } = globalThis;
      const t0 = performance.now();
      const signer = await itaku.loadP12(bench.p12, pass);
      const t1 = performance.now();
      const { zip } = await itaku.buildPackage(bench.xml, bench.files, signer);
      const t2 = performance.now();
      bench.zip = zip;
      return { unlock: t1 - t0, build: t2 - t1, total: t2 - t0, bytes: zip.length };
    }, PASS));
    if (i === 0) {
      fs.writeFileSync(`${W}/answers.xml`, xml);
      args = ['pack', '--answers', `${W}/answers.xml`, ...files.flatMap((f) => ['--evidence', `${W}/ev/${f.name}`]),
        '--cert', `${INST}/pki/${org}/client.crt`, '--key', `${INST}/pki/${org}/client.key`, '-o', `${W}/pack.asice`];
    }
    const t0 = process.hrtime.bigint();
    sh(ITAKU, args);
    pack.push(Number(process.hrtime.bigint() - t0) / 1e6);
    digest.push(await b.page.evaluate(async () => {
      const all = new Uint8Array(10 << 20);
      globalThis.bench.files.forEach((f, j) => all.set(f.data, j << 20));
      const t0 = performance.now();
      await crypto.subtle.digest('SHA-256', all);
      return performance.now() - t0;
    }));
  }
  const zipB64 = await b.page.evaluate(() => {
    const z = globalThis.bench.zip; let s = '';
    for (let o = 0; o < z.length; o += 32768) s += String.fromCharCode.apply(null, z.subarray(o, o + 32768));
    return btoa(s);
  });

  // what was timed is a real package: itaku verify takes it, laid out as itaku pack's
  fs.writeFileSync(`${W}/browser.asice`, Buffer.from(zipB64, 'base64'));
  const v = sh2(ITAKU, ['verify', `${W}/browser.asice`, '--ca', `${INST}/pki/ca.crt`]);
  if (v.status !== 0) throw new Error(`itaku verify refused the browser's package: ${v.out}`);
  const mine = unpack(`${W}/browser.asice`, `${W}/b`).map((e) => `${e.name}/${e.method}`).join(' ');
  const theirs = unpack(`${W}/pack.asice`, `${W}/p`).map((e) => `${e.name}/${e.method}`).join(' ');
  if (mine !== theirs) throw new Error(`layouts differ:\n  browser ${mine}\n  pack    ${theirs}`);

  const tot = median(runs.map((r) => r.total));
  const ref = median(pack);
  const dig = median(digest);
  console.log(`package: ${items} items + 10 MiB evidence (10 files), ${runs[0].bytes} bytes (itaku pack: ${fs.statSync(`${W}/pack.asice`).size}); ${RUNS} runs each`);
  console.log(`browser, unlock .p12 + build + sign  median ${fmt(tot)} s (unlock ${fmt(median(runs.map((r) => r.unlock)))} s, build+sign ${fmt(median(runs.map((r) => r.build)))} s; all: ${runs.map((r) => fmt(r.total)).join(' ')})`);
  console.log(`reference itaku pack (process)       median ${fmt(ref)} s (all: ${pack.map(fmt).join(' ')})`);
  console.log(`reference WebCrypto SHA-256 10 MiB   median ${fmt(dig)} s (same page)`);
  console.log(`  browser / itaku pack, medians: ${(tot / ref).toFixed(2)}; browser / SHA-256 floor: ${(tot / dig).toFixed(1)}`);
  console.log(`  browser median / goal 2 s: ${(tot / GOAL_MS).toFixed(2)} (goal: < 1.00)`);
  if (tot >= GOAL_MS) {
    console.log(`browser-sign: FAILED: median ${fmt(tot)} s, the goal is < 2 s`);
    failed = true;
  }
} finally { await b.close(); }
process.exit(failed ? 1 : 0);
