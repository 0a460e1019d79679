// The entrusting company reads back what a vendor sent, in real Chromium
// presenting the admin's certificate from its own NSS store: the
// organisations list searched, an organisation's page (profile, contacts,
// certificates, campaigns, versions), one version's page (scores with the
// radar and 偏差値, gaps, answers with a hostile comment and evidence names
// shown as text, what changed since the version before, verification
// details), the evidence downloaded from its link and the package too —
// their bytes equal what was signed and what was uploaded. A respondent's
// browser gets the readable 403 page. Every page: screenshots (ja and en,
// desktop and a 390 px phone) into build/browser/screenshots/, and axe-core
// finds no serious or critical violation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { api, launch, orgP12, ORGS, ORIGIN, INST, ITAKU, W, ROOT, sh, sql, sha256, unpack } from '../lib.mjs';

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const SHOTS = `${ROOT}/build/browser/screenshots`;
fs.mkdirSync(SHOTS, { recursive: true });
const PASS = 'ダッシュボード pass 7';
const C = ['--config', `${INST}/itaku.conf`];
const HOSTILE = '規程は改訂中 <script>alert(1)</script> & "引用" \u202eRTL';
// an evidence file name as a vendor might give it: no "/" (one segment)
const EVNAME = '証跡 <img src=x onerror=alert(2)> & "q".txt';
const xmlAttr = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
const xmlText = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

async function axe(page, what) {
  await page.evaluate(AXE);
  const r = await page.evaluate(async () => globalThis.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), [], `axe on ${what}`);
}

async function shots(page, name, parts = {}) {
  for (const [w, h, tag] of [[1280, 900, 'desktop'], [390, 844, 'phone']]) {
    await page.setViewportSize({ width: w, height: h });
    // nothing wider than the screen: a phone scrolls down, never sideways
    const wide = await page.evaluate((vw) => {
      if (document.documentElement.scrollWidth <= vw) return [];
      // what overflows: the elements whose content is wider than they are
      return [...document.querySelectorAll('main *')]
        .filter((e) => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1 && e.closest('thead') === null)
        .slice(-4).map((e) => `${e.tagName.toLowerCase()}.${e.className.baseVal ?? e.className} ${e.scrollWidth}/${e.clientWidth}: ${e.textContent.slice(0, 30)}`)
        .concat([`page ${document.documentElement.scrollWidth} px wide`]);
    }, w);
    assert.deepEqual(wide, [], `${name} at ${w} px: elements wider than the screen`);
    await page.screenshot({ path: `${SHOTS}/${name}-${tag}.png`, fullPage: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${SHOTS}/${name}-${tag}-view.png` });
    // the parts that matter (the README's tour)
    for (const [part, selector] of Object.entries(parts))
      await page.locator(selector).first().screenshot({ path: `${SHOTS}/${name}-${tag}-${part}.png` });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/* The digest the signed manifest of package file gives name, hex. */
function signedDigest(file, name) {
  const dir = `${W}/unpacked-${crypto.randomUUID()}`;
  unpack(file, dir);
  const xml = fs.readFileSync(`${dir}/META-INF/ASiCManifest.xml`, 'utf8');
  for (const m of xml.matchAll(/<asic:DataObjectReference URI="([^"]*)"[\s\S]*?<ds:DigestValue>([^<]*)</g)) {
    const uri = m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    if (uri === name) return Buffer.from(m[2], 'base64').toString('hex');
  }
  throw new Error(`${name} is not in the manifest of ${file}`);
}

/* One version from who for its assignment aid: every item at a level
 * from levelOf(i), a comment on 1.1, the evidence files on 1.1; the
 * package's path and its id. */
function submit(who, aid, tag, levelOf, comment, evidence) {
  const org = ORGS[who];
  const r = api(who, 'GET', `/api/v1/assignments/${aid}/template`);
  assert.equal(r.status, 200, r.text);
  let i = 0;
  let xml = r.text.replace(/<item id="([^"]+)" level=""\s*\/>/g, (all, id) => {
    const lv = levelOf(i++);
    if (id !== '1.1') return `<item id="${id}" level="${lv}"/>`;
    const ev = evidence.map((f) => `<evidence ref="evidence/${xmlAttr(f.split('/').pop())}"/>`).join('');
    return `<item id="${id}" level="${lv}"><comment>${xmlText(comment)}</comment>${ev}</item>`;
  });
  assert.ok(i > 20, `the template's items were filled (${i})`);
  xml = xml.replace(/<item id="([^"]+)" level="">[\s\S]*?<\/item>/g, (all, id) => `<item id="${id}" level="3"/>`);
  fs.writeFileSync(`${W}/dash-${tag}.xml`, xml);
  const out = `${W}/dash-${tag}.asice`;
  sh(ITAKU, ['pack', '--answers', `${W}/dash-${tag}.xml`, ...evidence.flatMap((f) => ['--evidence', f]),
    '--cert', `${INST}/pki/${org}/client.crt`, '--key', `${INST}/pki/${org}/client.key`, '-o', out]);
  const status = sh('curl', ['-sS', '-o', `${W}/dash-${tag}.json`, '-w', '%{http_code}', '--cacert', `${INST}/pki/ca.crt`,
    '--cert', `${INST}/pki/${org}/client.crt`, '--key', `${INST}/pki/${org}/client.key`,
    '-H', 'Content-Type: application/vnd.etsi.asic-e+zip', '--data-binary', `@${out}`, `${ORIGIN}/api/v1/submissions`]);
  assert.equal(status, '201', fs.readFileSync(`${W}/dash-${tag}.json`, 'utf8'));
  return { file: out, id: JSON.parse(fs.readFileSync(`${W}/dash-${tag}.json`, 'utf8')).id };
}

test('the dashboard: an organisation, its versions, evidence downloads', async () => {
  const org = ORGS['resp-ec'];
  const cid = sh(ITAKU, ['campaign', 'create', '--questionnaire', 'ipa-benchmark@1', '--due', '2099-09-30',
    '--name', 'ダッシュボード試験 <i>2099</i>', ...C]).trim();
  sh(ITAKU, ['campaign', 'assign', cid, org, ...C]);
  sh(ITAKU, ['campaign', 'assign', cid, ORGS['resp-rsa'], ...C]);
  const aid = sql(`SELECT id FROM assignments WHERE campaign_id = ${cid} AND org_id = '${org}'`);
  const other = sql(`SELECT id FROM assignments WHERE campaign_id = ${cid} AND org_id = '${ORGS['resp-rsa']}'`);
  fs.mkdirSync(`${W}/ev`, { recursive: true });
  const scan = `${W}/ev/scan-2026.pdf`;
  fs.writeFileSync(scan, crypto.randomBytes(300 * 1024)); // incompressible: stored as is
  const named = `${W}/ev/${EVNAME}`;
  fs.writeFileSync(named, '日本語の証跡\n'.repeat(100));
  const v1 = submit('resp-ec', aid, 'v1', (i) => (i % 5) + 1, '初版', [scan]);
  // another vendor of the campaign, stronger: a campaign mean of two
  submit('resp-rsa', other, 'other', (i) => (i % 2) + 4, '別の委託先', []);
  // the second version raises three items, rewrites the comment, adds a file
  const v2 = submit('resp-ec', aid, 'v2', (i) => (i < 3 ? 4 : (i % 5) + 1), HOSTILE, [scan, named]);

  const b = await launch({ p12: orgP12(ORGS.admin, PASS, 'dash-admin'), pass: PASS, locale: 'ja-JP' });
  try {
    const { page } = b;
    const dialogs = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
    // the list, searched
    let r = await page.goto(`${ORIGIN}/admin/organisations`);
    assert.equal(r.status(), 200);
    assert.equal(await page.getAttribute('html', 'lang'), 'ja');
    assert.match(await page.textContent('h1'), /取引先/);
    await axe(page, 'organisations');
    await shots(page, 'orgs-ja');
    await page.fill('input[name="q"]', 'Sakura');
    await Promise.all([page.waitForNavigation(), page.click('form[role="search"] button')]);
    assert.equal(await page.$$eval('main tbody tr', (rows) => rows.length), 1);

    // the organisation
    await Promise.all([page.waitForNavigation(), page.click(`a[href="/admin/organisations/${org}"]`)]);
    const main = await page.textContent('main');
    assert.match(main, /Sakura Systems/);
    assert.match(main, /クライアント証明書/);
    assert.match(main, /ダッシュボード試験 <i>2099<\/i>/); // the campaign's name, literally
    await axe(page, 'organisation');
    await shots(page, 'org-ja');

    // its latest version
    await Promise.all([page.waitForNavigation(), page.click(`a[href="/admin/submissions/${v2.id}"] >> nth=0`)]);
    const sub = await page.textContent('main');
    assert.ok(sub.includes(HOSTILE), 'the hostile comment is shown as text');
    assert.ok(sub.includes(EVNAME), 'the hostile evidence name is shown as text');
    assert.match(sub, /偏差値/);
    assert.match(sub, /前の版からの変更/);
    assert.match(sub, /証跡の追加/);
    assert.equal(await page.locator('table.changes tbody tr').count(), 5, 'three levels, a comment, a file');
    assert.equal(await page.locator('main svg[role="img"]').count(), 1, 'the radar is drawn');
    assert.deepEqual(dialogs, [], 'no script of a vendor ran');
    assert.equal(b.errors.length, 0, b.errors.join('; '));
    await axe(page, 'submission');
    await shots(page, 'submission-ja', { scores: 'main section:has(svg)', changes: 'main section:has(table.changes)' });

    // evidence downloads: the signed bytes
    for (const [file, name] of [[scan, 'scan-2026.pdf'], [named, EVNAME]]) {
      const link = page.locator('main table a[download]', { hasText: name }).first();
      const [dl] = await Promise.all([page.waitForEvent('download'), link.click()]);
      const got = fs.readFileSync(await dl.path());
      assert.equal(sha256(got), signedDigest(v2.file, `evidence/${name}`), `${name}: the bytes that were signed`);
      assert.equal(sha256(got), sha256(fs.readFileSync(file)), `${name}: the vendor's file`);
    }
    // the package: the bytes uploaded
    {
      const [dl] = await Promise.all([page.waitForEvent('download'),
        page.click(`a[href="/api/v1/submissions/${v2.id}/package"]`)]);
      assert.equal(dl.suggestedFilename(), `submission-${v2.id}-v${sql(`SELECT version FROM submissions WHERE id = ${v2.id}`)}.asice`);
      assert.equal(sha256(fs.readFileSync(await dl.path())), sha256(fs.readFileSync(v2.file)));
    }
    // the version before
    await Promise.all([page.waitForNavigation(), page.click(`a[href="/admin/submissions/${v1.id}"]`)]);
    assert.match(await page.textContent('main'), /初版/);

    // English
    await page.goto(`${ORIGIN}/admin/submissions/${v2.id}?lang=en`);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.match(await page.textContent('main'), /Changes since the version before/);
    await axe(page, 'submission (en)');
    await shots(page, 'submission-en');
    await page.goto(`${ORIGIN}/admin/organisations/${org}`);
    assert.match(await page.textContent('main'), /Client certificates/);
    await shots(page, 'org-en');
    await page.goto(`${ORIGIN}/admin/organisations`);
    await shots(page, 'orgs-en');
  } finally {
    await b.close();
  }

  // a respondent: the readable 403 page on every one of these pages
  const rb = await launch({ p12: orgP12(org, PASS, 'dash-resp'), pass: PASS, locale: 'ja-JP' });
  try {
    for (const p of ['/admin/organisations', `/admin/organisations/${org}`, `/admin/submissions/${v2.id}`]) {
      const r = await rb.page.goto(`${ORIGIN}${p}`);
      assert.equal(r.status(), 403, p);
      assert.equal(await rb.page.getAttribute('html', 'lang'), 'ja');
      const text = await rb.page.textContent('main');
      assert.match(text, /forbidden/);
      assert.ok(!text.includes(HOSTILE), `${p} shows nothing of the submission`);
    }
    await axe(rb.page, 'forbidden');
    await shots(rb.page, 'admin-forbidden-ja');
  } finally {
    await rb.close();
  }
});
