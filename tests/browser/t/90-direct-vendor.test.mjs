// A vendor of the entrusting company's own, not registered yet, joins
// without the entrusting company ever holding its key (issue 15, item 9),
// all in real Chromium: the admin, presenting its certificate from NSS,
// fills in the assign page's invitation form, confirms, and reads the
// link; the vendor opens the link in a browser with no certificate, makes
// its key there and saves the .p12; a fresh profile with that .p12 logs
// in, sees its own assignment in the portal as a tier-1 vendor. The server
// keeps no private key of the vendor's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { launch, orgP12, ORGS, ORIGIN, INST, W, T, api, sql } from '../lib.mjs';

const ORG = '4400000000055';
const NAME = '檜 <i>印刷</i> 株式会社';
const PASS = '直接 の 委託先 pass 90';

test('a direct vendor: invited from the dashboard, key made in its own browser, logged in', async () => {
  let r = api('admin', 'POST', '/api/v1/campaigns', { name: '直接の委託先 2099', questionnaire: 'ipa-benchmark@1', due: '2099-10-31' });
  assert.equal(r.status, 201, r.text);
  const cid = r.json.id;
  let link;
  const admin = await launch({ p12: orgP12(ORGS.admin, PASS, 'direct-admin'), pass: PASS, locale: 'ja-JP' });
  try {
    const { page } = admin;
    const resp = await page.goto(`${ORIGIN}/admin/campaigns/${cid}/assign`);
    assert.equal(resp.status(), 200);
    assert.match(await page.textContent('#direct-invite'), /未登録の委託先の招待/);
    await page.fill('#organisation', ORG);
    await page.fill('#organisation_name', NAME);
    await page.selectOption('section[aria-labelledby="direct-invite"] select[name="variant"]', 'low-it');
    await page.fill('#days', '7');
    await Promise.all([page.waitForNavigation(), page.click('section[aria-labelledby="direct-invite"] button[type="submit"]')]);
    // the confirmation: nothing stored yet, the name as text
    assert.ok((await page.textContent('main')).includes(NAME));
    assert.equal(sql(`SELECT count(*) FROM invitations WHERE campaign_id = ${cid}`), '0');
    await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
    link = (await page.textContent('#enrol-link')).trim();
    assert.match(link, new RegExp(`^https://[^/]+/enrol#c=${cid}&o=${ORG}&t=[0-9a-f]{64}$`));
    assert.deepEqual(admin.errors, []);
  } finally {
    await admin.close();
  }
  assert.equal(sql(`SELECT direct || '|' || variant FROM invitations WHERE campaign_id = ${cid}`), '1|low-it');

  // the vendor, with no certificate: its key made in its browser
  const anon = await launch({ locale: 'ja-JP' });
  const p12 = `${W}/direct-vendor.p12`;
  try {
    const { page } = anon;
    await page.goto(`${ORIGIN}${new URL(link).pathname}${new URL(link).hash}`);
    await page.waitForSelector('#enrol:not([hidden])');
    await page.fill('#enrol-pass', PASS);
    await page.fill('#enrol-pass2', PASS);
    await page.click('#enrol-submit');
    await page.waitForFunction(() => /証明書ができました/.test(document.getElementById('enrol-result').textContent), null, { timeout: T });
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#enrol-result a[download]')]);
    await dl.saveAs(p12);
    assert.deepEqual(anon.errors, []);
  } finally {
    await anon.close();
  }
  // the server holds no private key of the vendor's
  const keys = fs.readdirSync(`${INST}/pki`, { recursive: true }).filter((f) => String(f).includes(ORG));
  assert.deepEqual(keys, []);
  assert.equal(sql(`SELECT name FROM organisations WHERE id = '${ORG}'`), NAME);
  assert.equal(sql(`SELECT coalesce(invited_by, 'NULL') || '|' || variant FROM assignments WHERE campaign_id = ${cid} AND org_id = '${ORG}'`), 'NULL|low-it');

  // a fresh profile with the .p12: the portal shows its own assignment
  const b = await launch({ p12, pass: PASS, locale: 'ja-JP' });
  try {
    const home = await b.page.goto(`${ORIGIN}/`);
    assert.equal(home.status(), 200);
    assert.ok((await b.page.textContent('header')).includes(NAME));
    assert.match(await b.page.textContent('main'), /直接の委託先 2099/);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});
