// The portal as a respondent's staff use it, in real Chromium presenting
// the organisation's certificate from its own NSS store: the home page in
// Japanese, the answer page filled in (a hostile comment shown as text),
// the draft saved on the server and there again after a reload, signing in
// the browser with the .p12 (accepted; the receipt downloaded and checked
// with `openssl ts -verify`), a refusal explained in the page's language,
// English by the switch, the readable page without a certificate. Every
// page: screenshots (ja and en, desktop and a 390 px phone) into
// build/browser/screenshots/, and axe-core finds no serious or critical
// violation (injected through CDP: the CSP forbids inline scripts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { launch, orgP12, ORGS, ORIGIN, INST, ITAKU, W, ROOT, T, sh, sh2, sql } from '../lib.mjs';

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const SHOTS = `${ROOT}/build/browser/screenshots`;
fs.mkdirSync(SHOTS, { recursive: true });
const PASS = 'ポータル pass 1';
const HOSTILE = '規程は承認済み <script>alert(1)</script> & "引用" \u202eRTL';
const C = ['--config', `${INST}/itaku.conf`];

async function axe(page, what) {
  await page.evaluate(AXE);
  const r = await page.evaluate(async () => globalThis.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), [], `axe on ${what}`);
}

/* Waits until the signing result matches re; on a timeout says what the
 * result and the page's script said instead. */
async function result(b, re) {
  try {
    await b.page.waitForFunction((src) => !document.getElementById('sign-submit').disabled &&
      new RegExp(src).test(document.getElementById('sign-result').textContent), re.source, { timeout: T });
  } catch (e) {
    const got = await b.page.textContent('#sign-result').catch(() => '?');
    throw new Error(`sign result '${got}', want ${re}; script errors: ${b.errors.join('; ')}`);
  }
  return b.page.textContent('#sign-result');
}

async function shots(page, name, element) {
  for (const [w, h, tag] of [[1280, 900, 'desktop'], [390, 844, 'phone']]) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: `${SHOTS}/${name}-${tag}.png`, fullPage: true });
    // what a person sees first (the README's tour), and the part that matters
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${SHOTS}/${name}-${tag}-view.png` });
    if (element) await page.locator(element).screenshot({ path: `${SHOTS}/${name}-${tag}-part.png` });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test('the portal: home, answer, draft, sign in the browser, receipt, English, no certificate', async () => {
  const org = ORGS['resp-ec'];
  const cid = sh(ITAKU, ['campaign', 'create', '--questionnaire', 'ipa-benchmark@1', '--due', '2099-03-31',
    '--name', 'ブラウザー試験 <b>2099</b>', ...C]).trim();
  sh(ITAKU, ['campaign', 'assign', cid, org, ...C]);
  const aid = sql(`SELECT id FROM assignments WHERE campaign_id = ${cid} AND org_id = '${org}'`);
  const p12 = orgP12(org, PASS, 'portal-ec');
  const b = await launch({ p12, pass: PASS, locale: 'ja-JP' });
  try {
    const { page } = b;
    // home, Japanese by default
    let r = await page.goto(`${ORIGIN}/`);
    assert.equal(r.status(), 200);
    assert.equal(await page.getAttribute('html', 'lang'), 'ja');
    assert.match(await page.textContent('h1'), /依頼されている調査/);
    assert.match(await page.textContent('body'), /ブラウザー試験 <b>2099<\/b>/); // literally
    await axe(page, 'home');
    await shots(page, 'home-ja');

    // the answer page: fill every item, a hostile comment
    await page.click(`a[href="/assignments/${aid}"]`);
    await page.waitForSelector('#sign-browser:not([hidden])');
    const ids = await page.$$eval('fieldset[id^="item-"]', (fs) => fs.map((f) => f.id.slice(5)));
    assert.equal(ids.length, 27);
    for (const [i, id] of ids.entries()) await page.check(`[id="l-${id}-${(i % 5) + 1}"]`);
    await page.fill('[id="c-1.1"]', HOSTILE);
    // a subcontractor, typed into the first blank row
    await page.fill('input[name="sub.0.id"]', '7000012050002');
    await page.fill('input[name="sub.0.name"]', '国税テスト <株>');
    await page.fill('input[name="sub.0.scope"]', 'サーバー保守');
    await page.check('input[name="sub.0.personal"]');
    await axe(page, 'answer');
    await shots(page, 'answer-ja');
    // save the draft; reload: it is there
    await Promise.all([page.waitForNavigation(), page.click('form[action$="/draft"] button[type="submit"]')]);
    assert.match(await page.textContent('main'), /下書きを保存しました/);
    await page.reload();
    assert.equal(await page.inputValue('[id="c-1.1"]'), HOSTILE);
    assert.ok(await page.isChecked(`[id="l-${ids[3]}-4"]`));
    assert.equal(sql(`SELECT count(*) FROM draft_items WHERE assignment_id = ${aid}`), '27');
    assert.equal(await page.inputValue('input[name="sub.0.name"]'), '国税テスト <株>');

    // a wrong passphrase: explained, nothing uploaded
    const before = sql('SELECT count(*) FROM submissions');
    await page.waitForSelector('#sign-browser:not([hidden])');
    await page.setInputFiles('#sign-p12', p12);
    await page.fill('#sign-pass', 'wrong');
    await page.click('#sign-submit');
    await result(b, /受理されませんでした/);
    assert.equal(sql('SELECT count(*) FROM submissions'), before);

    // sign in the browser: accepted
    await page.setInputFiles('#sign-p12', p12);
    await page.fill('#sign-pass', PASS);
    await page.click('#sign-submit');
    await result(b, /受理されました/);
    const sid = sql(`SELECT max(id) FROM submissions WHERE org_id = '${org}' AND campaign_id = ${cid}`);
    assert.equal(sql(`SELECT comment FROM answers WHERE submission_id = ${sid} AND item_id = '1.1'`), HOSTILE);
    assert.equal(sql(`SELECT level FROM answers WHERE submission_id = ${sid} AND item_id = '${ids[3]}'`), '4');
    assert.equal(sql(`SELECT child_id || '|' || name || '|' || personal || confidential FROM declarations WHERE submission_id = ${sid}`),
      '7000012050002|国税テスト <株>|10', 'the subcontractor typed in the form is declared');
    await shots(page, 'signed-ja', '#sign-browser');
    // the receipt, downloaded from the result, checked with stock openssl
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#sign-result a[download]')]);
    await dl.saveAs(`${W}/portal.tsr`);
    const sha = sql(`SELECT sha256 FROM submissions WHERE id = ${sid}`);
    const v = sh2('openssl', ['ts', '-verify', '-data', `${INST}/store/${sha.slice(0, 2)}/${sha}`, '-in', `${W}/portal.tsr`,
      '-CAfile', `${INST}/pki/ca.crt`]);
    assert.match(v.out, /Verification: OK/);
    // signing again makes the next version (a fresh template, a fresh nonce)
    await page.setInputFiles('#sign-p12', p12);
    await page.fill('#sign-pass', PASS);
    await page.click('#sign-submit');
    await result(b, /受理されました/);
    const v1 = Number(sql(`SELECT version FROM submissions WHERE id = ${sid}`));
    assert.equal(sql(`SELECT max(version) FROM submissions WHERE org_id = '${org}' AND campaign_id = ${cid}`), String(v1 + 1));
    // the campaign closes while the page is open: the refusal, explained in Japanese
    sh(ITAKU, ['campaign', 'close', cid, ...C]);
    await page.setInputFiles('#sign-p12', p12);
    await page.fill('#sign-pass', PASS);
    await page.click('#sign-submit');
    const why = await result(b, /campaign_closed/);
    assert.match(why, /受理されませんでした/);
    assert.match(why, /締め切られて/);
    await shots(page, 'refused-ja', '#sign-browser');

    // history
    await page.goto(`${ORIGIN}/submissions`);
    assert.match(await page.textContent('main'), new RegExp(sha));
    await axe(page, 'history');
    await shots(page, 'history-ja');

    // English by the switch, remembered
    await page.goto(`${ORIGIN}/`);
    await page.click('a[hreflang="en"]');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.goto(`${ORIGIN}/assignments/${aid}`);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.match(await page.textContent('h1'), /Your answers/);
    await shots(page, 'answer-en');
    await page.goto(`${ORIGIN}/`);
    await shots(page, 'home-en');
    assert.deepEqual(b.errors, [], 'no script errors');
  } finally {
    await b.close();
  }

  // no certificate: the readable page, in the browser's language
  const e = await launch({ locale: 'en-US' });
  try {
    assert.equal((await e.page.goto(`${ORIGIN}/`)).status(), 401);
    assert.equal(await e.page.getAttribute('html', 'lang'), 'en');
    assert.match(await e.page.textContent('h1'), /A client certificate is needed/);
    await shots(e.page, 'no-cert-en');
  } finally {
    await e.close();
  }
  const n = await launch({ locale: 'ja-JP' });
  try {
    const r = await n.page.goto(`${ORIGIN}/`);
    assert.equal(r.status(), 401);
    assert.match(await n.page.textContent('h1'), /クライアント証明書が必要です/);
    assert.match(await n.page.textContent('main'), /\.p12/);
    await axe(n.page, 'no certificate');
    await shots(n.page, 'no-cert-ja');
  } finally {
    await n.close();
  }
});
