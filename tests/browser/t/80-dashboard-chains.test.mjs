// The dashboard's chains, audit and report as the entrusting company's
// security office uses them, in real Chromium presenting the admin's
// client certificate from its own NSS store. A three-tier chain from real
// signed packages: Sakura Systems (tier 1) declares a subcontractor with a
// hostile name, the admin invites it from the chains page (confirmation,
// then the link), it enrols with an openssl CSR and answers declaring a
// tier-3 subcontractor with confidential data; the admin approves that
// re-entrustment on the page (confirmation showing the data it passes on,
// then the approval) and the API sees exactly that. The report is printed
// to PDF by the browser (page.pdf, the print styles) and downloaded as
// report.pdf made by itakud's Chromium; both checked with pdfinfo and
// pdftotext (A4, a page per sheet, the text). The audit search and the
// chain check. Screenshots ja/en, desktop and 390 px; axe-core finds no
// serious or critical violation on any of these pages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { api, launch, orgP12, ORGS, ORIGIN, INST, ITAKU, W, ROOT, CA, sh, sql } from '../lib.mjs';

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const SHOTS = `${ROOT}/build/browser/screenshots`;
fs.mkdirSync(SHOTS, { recursive: true });
const PASS = 'ダッシュボード pass 80';
const A = ORGS['resp-ec'];
const B = '5500000000011';
const CC = '2500000000022';
const EVIL = '楓 <script>alert(1)</script> & "引用" \u202eRTL';

async function axe(page, what) {
  await page.evaluate(AXE);
  const r = await page.evaluate(async () => globalThis.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), [], `axe on ${what}`);
}

async function shots(page, name) {
  for (const [w, h, tag] of [[1280, 900, 'desktop'], [390, 844, 'phone']]) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: `${SHOTS}/${name}-${tag}.png`, fullPage: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${SHOTS}/${name}-${tag}-view.png` });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** curl with any certificate and key; JSON back. */
function apiAs(crt, key, method, p, body, type = 'application/json') {
  const args = ['-sS', '-o', `${W}/curl80.out`, '-w', '%{http_code}', '--cacert', CA, '-X', method];
  if (crt) args.push('--cert', crt, '--key', key);
  if (body !== undefined) args.push('-H', `Content-Type: ${type}`, '--data-binary', body);
  const status = Number(sh('curl', [...args, `${ORIGIN}${p}`]));
  const text = fs.readFileSync(`${W}/curl80.out`, 'utf8');
  let json = null; try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status, json, text };
}

const xml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** Answers the organisation's assignment in cid at level, declaring subs. */
function answer(crt, key, cid, level, subs) {
  let r = apiAs(crt, key, 'GET', '/api/v1/assignments');
  assert.equal(r.status, 200, r.text);
  const aid = r.json.assignments.find((a) => a.campaign.id === cid).id;
  r = apiAs(crt, key, 'GET', `/api/v1/assignments/${aid}/template`);
  assert.equal(r.status, 200, r.text);
  const decl = subs.map((s) => `<subcontractor id="${s.id}" personal-data="${s.personal}" confidential-data="${s.confidential}"><name>${xml(s.name)}</name><scope>${xml(s.scope)}</scope></subcontractor>`).join('');
  const file = `${W}/a80-${aid}.xml`;
  fs.writeFileSync(file, r.text.replace(/level=""/g, `level="${level}"`).replace('<subcontractors/>', `<subcontractors>${decl}</subcontractors>`));
  sh(ITAKU, ['pack', '--answers', file, '--cert', crt, '--key', key, '-o', `${file}.asice`]);
  r = apiAs(crt, key, 'POST', '/api/v1/submissions', `@${file}.asice`, 'application/vnd.etsi.asic-e+zip');
  assert.equal(r.status, 201, r.text);
}

function pdfPages(file) {
  const info = sh('pdfinfo', [file]);
  assert.match(info, /Page size:\s+59[45]\.\d+ x 84[12]\.\d+ pts \(A4\)/, info);
  return Number(/Pages:\s+(\d+)/.exec(info)[1]);
}
const pageText = (file, n) => sh('pdftotext', ['-f', String(n), '-l', String(n), file, '-']);
const firstLine = (t) => t.split('\n').map((l) => l.trim()).find((l) => l !== '');

/** The sheets of the report each start a page of file. */
function sheetsStartPages(file, headings) {
  const pages = pdfPages(file);
  const firsts = [];
  for (let i = 1; i <= pages; i++) firsts.push(firstLine(pageText(file, i)));
  assert.equal(firsts[0], '報告書', `page 1 starts with the title: ${firsts}`);
  for (const h of headings) assert.ok(firsts.includes(h), `'${h}' starts a page: ${firsts.join(' | ')}`);
  assert.doesNotMatch(sh('pdftotext', [file, '-']), /ログイン中の組織/, 'no navigation in print');
  return pages;
}

test('the dashboard: a three-tier chain approved in the page, the report printed, the audit log', async () => {
  const admin = ORGS.admin;
  let r = api('admin', 'POST', '/api/v1/campaigns', { name: '再委託 <b>ブラウザー</b> 2099', questionnaire: 'ipa-benchmark@1', due: '2099-09-30' });
  assert.equal(r.status, 201, r.text);
  const cid = r.json.id;
  for (const org of [A, ORGS['resp-rsa']]) {
    r = api('admin', 'POST', `/api/v1/campaigns/${cid}/assignments`, { organisation: org });
    assert.equal(r.status, 201, r.text);
  }
  answer(`${INST}/pki/${A}/client.crt`, `${INST}/pki/${A}/client.key`, cid, 3,
    [{ id: B, name: EVIL, scope: '運用保守', personal: true, confidential: false }]);
  answer(`${INST}/pki/${ORGS['resp-rsa']}/client.crt`, `${INST}/pki/${ORGS['resp-rsa']}/client.key`, cid, 4, []);

  const b = await launch({ p12: orgP12(admin, PASS, 'dash-admin'), pass: PASS, locale: 'ja-JP' });
  try {
    const { page } = b;
    const CH = `${ORIGIN}/admin/campaigns/${cid}/chains`;
    // the chains page: tiers, the hostile name as text, B not invited yet
    let resp = await page.goto(CH);
    assert.equal(resp.status(), 200);
    assert.equal(await page.getAttribute('html', 'lang'), 'ja');
    assert.match(await page.textContent('h1'), /再委託の連鎖/);
    assert.ok((await page.textContent('main')).includes(EVIL), 'the hostile name shown literally');
    assert.equal(await page.locator('main script').count(), 0);
    assert.match(await page.textContent('main'), /第 2 層/);

    // invite B: the confirmation (nothing stored yet), then the link
    const invites = sql(`SELECT count(*) FROM invitations WHERE campaign_id = ${cid}`);
    await Promise.all([page.waitForNavigation(), page.click(`form[action$="/invitations"]:has(input[value="${B}"]) button`)]);
    assert.match(await page.textContent('h1'), /再委託先の招待/);
    assert.equal(sql(`SELECT count(*) FROM invitations WHERE campaign_id = ${cid}`), invites);
    await axe(page, 'invitation confirmation');
    await page.selectOption('#variant', 'low-it');
    await page.fill('#days', '10');
    await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
    const link = (await page.textContent('#enrol-link')).trim();
    const m = /\/enrol#c=(\d+)&o=(\d+)&t=([0-9a-f]{64})$/.exec(link);
    assert.ok(m && Number(m[1]) === cid && m[2] === B, link);

    // B enrols with an openssl CSR and answers: tier 3, confidential data
    sh('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${W}/b80.key`,
      '-subj', `/serialNumber=${B}/CN=b80`, '-out', `${W}/b80.csr`]);
    r = apiAs(null, null, 'POST', '/api/v1/enrol', JSON.stringify({ token: m[3], campaign: String(cid), csr: fs.readFileSync(`${W}/b80.csr`, 'utf8') }));
    assert.equal(r.status, 201, r.text);
    fs.writeFileSync(`${W}/b80.crt`, r.json.certificate);
    answer(`${W}/b80.crt`, `${W}/b80.key`, cid, 2,
      [{ id: CC, name: 'さくらデータ & <入力>', scope: 'データ入力', personal: false, confidential: true }]);

    // the three tiers; B -> C unapproved
    await page.goto(CH);
    const main = await page.textContent('main');
    for (const t of ['第 1 層', '第 2 層', '第 3 層']) assert.ok(main.includes(t), t);
    assert.ok(main.includes('さくらデータ & <入力>'));
    assert.equal(await page.locator(`th[scope="row"]:has(code:text-is("${B}"))`).count(), 1, 'B once');
    await axe(page, 'chains');
    await shots(page, 'dash-chains-ja');

    // approve B -> C from the page: the confirmation shows what it passes on
    const approvals = sql(`SELECT count(*) FROM chain_approvals WHERE campaign_id = ${cid}`);
    await Promise.all([page.waitForNavigation(),
      page.click(`form[action$="/approvals"]:has(input[name="parent"][value="${B}"]):has(input[name="child"][value="${CC}"]) button`)]);
    assert.match(await page.textContent('h1'), /再委託の承認/);
    const confirm = await page.textContent('main');
    assert.match(confirm, /機密情報/);
    assert.doesNotMatch(confirm, /個人情報/);
    assert.match(confirm, /未承認/);
    assert.equal(sql(`SELECT count(*) FROM chain_approvals WHERE campaign_id = ${cid}`), approvals, 'nothing before confirming');
    await axe(page, 'approval confirmation');
    await shots(page, 'dash-approve-ja');
    resp = await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]).then(([n]) => n);
    assert.equal(resp.status(), 201);
    assert.match(await page.textContent('h1'), /承認しました/);
    r = api('admin', 'GET', `/api/v1/campaigns/${cid}/chains?status=unapproved`);
    assert.deepEqual(r.json.nodes.map((n) => n.id), [B], 'only A -> B is left unapproved');
    r = api('admin', 'GET', `/api/v1/campaigns/${cid}/chains`);
    const c = r.json.nodes.find((n) => n.id === CC);
    assert.equal(c.tier, 3);
    assert.deepEqual([c.parents[0].parent, c.parents[0].approval.state, c.parents[0].approval.by], [B, 'approved', admin]);
    assert.equal(sql(`SELECT personal || confidential || approved_by FROM chain_approvals WHERE campaign_id = ${cid} AND parent_id = '${B}' AND child_id = '${CC}'`), `01${admin}`);
    assert.equal(sql(`SELECT action || ' ' || detail FROM audit_log WHERE action = 'chain.approve' ORDER BY seq DESC LIMIT 1`), 'chain.approve personal=0 confidential=1');

    // English: the list of what awaits approval
    await page.goto(`${CH}?status=unapproved&lang=en`);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.match(await page.textContent('main'), /Awaiting approval/);
    await axe(page, 'chains list, English');
    await shots(page, 'dash-chains-en');
    await page.goto(`${CH}?lang=ja`);

    // the report: printed to PDF by this browser (the print styles) …
    const REP = `${ORIGIN}/admin/campaigns/${cid}/report`;
    resp = await page.goto(REP);
    assert.equal(resp.status(), 200);
    assert.match(await page.textContent('main'), /再委託 <b>ブラウザー<\/b> 2099/);
    await axe(page, 'report');
    await shots(page, 'dash-report-ja');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.isVisible('body > header'), false, 'no navigation in print');
    await page.emulateMedia({ media: null }); // page.pdf() prints with the print styles
    await page.pdf({ path: `${W}/browser-report.pdf`, preferCSSPageSize: true });
    const headings = ['分野別の平均と望ましい水準', '組織の分布と弱い組織', '再委託の連鎖', '項目ごとの回答の分布'];
    const pages = sheetsStartPages(`${W}/browser-report.pdf`, headings);
    assert.ok(pages >= 5 && pages <= 12, `pages: ${pages}`);
    const all = sh('pdftotext', [`${W}/browser-report.pdf`, '-']);
    assert.match(all, /再委託 <b>ブラウザー<\/b> 2099/);
    assert.ok(all.includes(B) && all.includes(CC), 'the weakest path in the report');
    // … and report.pdf, made by itakud's Chromium, downloaded from the link
    const t0 = Date.now();
    const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 90000 }), page.click('a[href$="/report.pdf"]')]);
    await dl.saveAs(`${W}/itakud-report.pdf`);
    console.log(`# report.pdf made by itakud's Chromium in ${Date.now() - t0} ms`);
    assert.equal(dl.suggestedFilename(), `itaku-report-${cid}.pdf`);
    assert.equal(sheetsStartPages(`${W}/itakud-report.pdf`, headings), pages, 'the same pages as the browser prints');
    assert.match(sh('pdftotext', [`${W}/itakud-report.pdf`, '-']), /再委託 <b>ブラウザー<\/b> 2099/);
    // two printed pages as pictures, for the README's tour
    for (const n of [1, 2]) {
      sh('pdftoppm', ['-r', '50', '-png', '-singlefile', '-f', String(n), '-l', String(n), `${W}/itakud-report.pdf`, `${SHOTS}/dash-report-pdf-p${n}`]);
    }

    // one organisation's report, English
    await page.goto(`${REP}?organisation=${A}&lang=en`);
    assert.match(await page.textContent('main'), /Items below the desirable level/);
    await axe(page, 'report of one organisation');
    await shots(page, 'dash-report-en');

    // the audit log: the approval found by its object, the chain intact
    await page.goto(`${ORIGIN}/admin/audit?lang=ja`);
    await page.fill('#q-object', `campaign/${cid}/chain`);
    await Promise.all([page.waitForNavigation(), page.click('form.search button')]);
    const rows = await page.$$eval('table.audit tbody tr', (trs) => trs.map((t) => t.textContent));
    assert.equal(rows.length, 1, rows.join('\n'));
    assert.match(rows[0], /chain\.approve/);
    await axe(page, 'audit');
    await shots(page, 'dash-audit-ja');
    await page.click('a[href="/admin/audit/verify"]');
    assert.match(await page.textContent('#verify-result'), /鎖は完全です/);
    await axe(page, 'audit verify');
    await page.goto(`${ORIGIN}/admin/audit?lang=en`);
    await shots(page, 'dash-audit-en');
    assert.deepEqual(b.errors, [], 'no script errors');
  } finally {
    await b.close();
  }

  // a respondent's browser: the readable 403 page
  const rb = await launch({ p12: orgP12(A, PASS, 'dash-resp'), pass: PASS, locale: 'ja-JP' });
  try {
    const resp = await rb.page.goto(`${ORIGIN}/admin/campaigns/${cid}/chains`);
    assert.equal(resp.status(), 403);
    assert.match(await rb.page.textContent('main'), /forbidden/);
    assert.match(await rb.page.textContent('main'), /管理者/);
  } finally {
    await rb.close();
  }
});
