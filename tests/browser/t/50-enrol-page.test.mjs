// The enrolment page as a subcontractor with no certificate uses it: the
// invitation's link (/enrol#c=…&o=…&t=…, the token only in the fragment)
// opened in a browser without a certificate, a passphrase chosen (too short
// and mistyped ones explained), the key made in the browser, the .p12 saved
// from the page; it imports into a fresh profile, which logs in with it.
// The used link again: the refusal explained (token_used). The token never
// reaches the server's log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { launch, open, invitedSubcontractor, ORIGIN, ROOT, W, T, sh2 } from '../lib.mjs';

const SUB = 'kaede-enrol-page';
const PASS = 'かえで 招待 pass 2026';
const SHOTS = `${ROOT}/build/browser/screenshots`;

async function result(page, re) {
  await page.waitForFunction((src) => !document.getElementById('enrol-submit').disabled &&
    new RegExp(src).test(document.getElementById('enrol-result').textContent), re.source, { timeout: T });
  return page.textContent('#enrol-result');
}

test('the enrolment page: link, passphrase, key in the browser, .p12, a fresh profile logs in', async () => {
  const { token, link } = invitedSubcontractor(SUB);
  assert.match(link, new RegExp(`^/enrol#c=\\d+&o=${SUB}&t=${token}$`));
  const anon = await launch({ locale: 'ja-JP' });
  const p12 = `${W}/page-enrolled.p12`;
  try {
    const { page } = anon;
    // a link cut short
    await page.goto(`${ORIGIN}/enrol`);
    await page.waitForSelector('#enrol:not([hidden])');
    await page.fill('#enrol-pass', PASS);
    await page.fill('#enrol-pass2', PASS);
    await page.click('#enrol-submit');
    assert.match(await result(page, /招待リンク/), /完全ではありません/);
    // the real link: passphrase checks, then the certificate
    await page.goto(`${ORIGIN}${link}`);
    await page.waitForSelector('#enrol:not([hidden])');
    await page.fill('#enrol-pass', 'short');
    await page.fill('#enrol-pass2', 'short');
    await page.click('#enrol-submit');
    await result(page, /12 文字以上/);
    await page.fill('#enrol-pass', PASS);
    await page.fill('#enrol-pass2', `${PASS}x`);
    await page.click('#enrol-submit');
    await result(page, /一致しません/);
    await page.fill('#enrol-pass', PASS);
    await page.fill('#enrol-pass2', PASS);
    await page.click('#enrol-submit');
    await result(page, /証明書ができました/);
    await page.screenshot({ path: `${SHOTS}/enrol-ja-desktop-view.png` });
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#enrol-result a[download]')]);
    assert.equal(dl.suggestedFilename(), `${SUB}.p12`);
    await dl.saveAs(p12);
    assert.equal(new URL(page.url()).hash, '', 'the used token is gone from the address bar');
    // the same link again: refused, explained
    await page.goto(`${ORIGIN}${link}`);
    await page.waitForSelector('#enrol:not([hidden])');
    await page.fill('#enrol-pass', PASS);
    await page.fill('#enrol-pass2', PASS);
    await page.click('#enrol-submit');
    const again = await result(page, /token_used/);
    assert.match(again, /作成できませんでした/);
    assert.deepEqual(anon.errors, []);
  } finally {
    await anon.close();
  }
  const info = sh2('openssl', ['pkcs12', '-info', '-in', p12, '-passin', `pass:${PASS}`, '-noout']);
  assert.equal(info.status, 0, info.out);
  const b = await launch({ p12, pass: PASS, locale: 'ja-JP' });
  try {
    const who = await open(b.page, '/api/v1/whoami');
    assert.equal(who.status, 200, who.text);
    assert.equal(JSON.parse(who.text).organisation, SUB);
    const home = await b.page.goto(`${ORIGIN}/`);
    assert.equal(home.status(), 200);
    assert.match(await b.page.textContent('header'), new RegExp(SUB));
  } finally {
    await b.close();
  }
  // the token was never in a request line the server logged
  const log = fs.readFileSync(`${W}/itakud.log`, 'utf8');
  assert.ok(!log.includes(token), 'the token is not in the server log');
});
