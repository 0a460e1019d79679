// The entrusting company's campaign pages in real Chromium presenting the
// admin's client certificate from its own NSS store: "/" leads to the
// dashboard; a campaign is created with the form (a hostile name shown as
// text), confirmed; the demo respondents are found and assigned (a variant
// each); one answers through the portal in its own browser, the other with
// `itaku pack`; then the overview (figures, progress, radar, scatter,
// distributions), the heatmap (sorted by an item, filtered) and English;
// the due date is moved and the campaign closed through the forms. Every
// page: axe-core without serious or critical violations, screenshots (ja
// and en, desktop and a 390 px phone) into build/browser/screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { launch, orgP12, answerInPortal, api, ORGS, ORIGIN, INST, ITAKU, W, ROOT, sh, sql } from '../lib.mjs';

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const SHOTS = `${ROOT}/build/browser/screenshots`;
fs.mkdirSync(SHOTS, { recursive: true });
const PASS = 'ダッシュボード pass 6';
const NAME = '2099年度 委託先調査 <script>alert(1)</script> & "引用" \u200f';

async function axe(page, what) {
  await page.evaluate(AXE);
  const r = await page.evaluate(async () => globalThis.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), [], `axe on ${what}`);
}

async function shots(page, name, element) {
  for (const [w, h, tag] of [[1280, 900, 'desktop'], [390, 844, 'phone']]) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: `${SHOTS}/${name}-${tag}.png`, fullPage: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${SHOTS}/${name}-${tag}-view.png` });
    if (element) await page.locator(element).first().screenshot({ path: `${SHOTS}/${name}-${tag}-part.png` });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function submit(page, form) {
  await Promise.all([page.waitForNavigation(), page.click(`${form} button[type="submit"]`)]);
}

test('the dashboard: create, assign, answers arrive, overview, heatmap, radar, due date, close', async () => {
  const admin = await launch({ p12: orgP12(ORGS.admin, PASS, 'dash-admin'), pass: PASS, locale: 'ja-JP' });
  const ec = await launch({ p12: orgP12(ORGS['resp-ec'], PASS, 'dash-ec'), pass: PASS, locale: 'ja-JP' });
  try {
    const { page } = admin;
    // "/" is the respondents' home: an admin lands on the campaigns
    let r = await page.goto(`${ORIGIN}/`);
    assert.equal(r.status(), 200);
    assert.equal(new URL(page.url()).pathname, '/admin/campaigns');
    assert.match(await page.textContent('h1'), /調査の一覧/);
    await axe(page, 'campaigns');

    // a new campaign, from the form, confirmed
    await page.fill('#c-name', NAME);
    await page.selectOption('#c-q', 'ipa-benchmark@1');
    await page.fill('#c-due', '2099-09-30');
    await page.check('#c-inv');
    await submit(page, 'form[action="/admin/campaigns"]');
    assert.match(await page.textContent('main'), /次の内容で実行します/);
    assert.ok((await page.textContent('main')).includes(NAME), 'the name, literally');
    await axe(page, 'confirmation');
    await shots(page, 'dash-confirm-ja');
    await submit(page, 'main form');
    const m = new URL(page.url()).pathname.match(/^\/admin\/campaigns\/(\d+)$/);
    assert.ok(m, page.url());
    const cid = m[1];
    assert.equal(sql(`SELECT name FROM campaigns WHERE id = ${cid}`), NAME);
    assert.equal(await page.$$eval('script', (s) => s.filter((x) => !x.src).length), 0, 'no script from the name');

    // assign the demo respondents: search, tick, a variant each, confirm
    await page.goto(`${ORIGIN}/admin/campaigns/${cid}/assign?q=`);
    await page.check(`input[name="org.${ORGS['resp-ec']}"]`);
    await page.check(`input[name="org.${ORGS['resp-rsa']}"]`);
    await page.selectOption(`select[name="variant.${ORGS['resp-rsa']}"]`, 'low-it');
    await axe(page, 'assign');
    await shots(page, 'dash-assign-ja');
    await submit(page, `form[action="/admin/campaigns/${cid}/assignments"]`);
    await submit(page, 'main form');
    assert.equal(sql(`SELECT group_concat(org_id || ':' || variant) FROM (SELECT * FROM assignments WHERE campaign_id = ${cid} ORDER BY org_id)`),
      `${ORGS['resp-rsa']}:low-it,${ORGS['resp-ec']}:`);

    // resp-ec answers through the portal in its own browser; resp-rsa with itaku pack
    const aid = sql(`SELECT id FROM assignments WHERE campaign_id = ${cid} AND org_id = '${ORGS['resp-ec']}'`);
    await answerInPortal(ec.page, aid, `${W}/dash-ec.p12`, PASS, (i) => (i < 8 ? 2 : 4));
    const rsa = ORGS['resp-rsa'];
    const aid2 = sql(`SELECT id FROM assignments WHERE campaign_id = ${cid} AND org_id = '${rsa}'`);
    const t = api('resp-rsa', 'GET', `/api/v1/assignments/${aid2}/template`);
    fs.writeFileSync(`${W}/dash-rsa.xml`, t.text.replace(/level=""/g, 'level="5"'));
    sh(ITAKU, ['pack', '--answers', `${W}/dash-rsa.xml`, '--cert', `${INST}/pki/${rsa}/client.crt`, '--key', `${INST}/pki/${rsa}/client.key`, '-o', `${W}/dash-rsa.asice`]);
    const up = sh('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '--cacert', `${INST}/pki/ca.crt`, '--cert', `${INST}/pki/${rsa}/client.crt`,
      '--key', `${INST}/pki/${rsa}/client.key`, '-H', 'Content-Type: application/vnd.etsi.asic-e+zip', '--data-binary', `@${W}/dash-rsa.asice`, `${ORIGIN}/api/v1/submissions`]);
    assert.equal(up, '201');

    // the overview: its figures are the aggregate's
    await page.goto(`${ORIGIN}/admin/campaigns/${cid}`);
    const agg = api('admin', 'GET', `/api/v1/campaigns/${cid}/aggregate`).json;
    const fig = await page.$$eval('dl.figures div', (ds) => Object.fromEntries(ds.map((d) => [d.querySelector('dt').textContent, d.querySelector('dd').textContent])));
    assert.equal(fig['受理済み'], String(agg.progress.answered));
    assert.equal(fig['割り当て'], '2');
    assert.equal(fig['平均水準'], agg.population.mean_level.toFixed(2));
    // the radar: one axis label per section, the values said in words
    const radar = page.locator('svg#radar');
    assert.equal(await radar.getAttribute('role'), 'img');
    const desc = await page.textContent('#radar-desc');
    for (const s of agg.sections) assert.ok(desc.includes(s.title.ja), `radar names ${s.title.ja}`);
    assert.equal(await page.locator('svg#radar polygon.series').count(), 2);
    assert.ok(await page.locator('svg#scatter circle.pt').count() >= 1);
    const box = await radar.boundingBox();
    assert.ok(box.width > 300 && box.height > 200, `the radar is drawn: ${JSON.stringify(box)}`);
    await axe(page, 'overview');
    await shots(page, 'dash-overview-ja', 'svg#radar');
    await page.locator('svg#scatter').screenshot({ path: `${SHOTS}/dash-scatter-ja.png` });
    await page.locator('svg#timeline').screenshot({ path: `${SHOTS}/dash-timeline-ja.png` });

    // the heatmap: cells as the API says, sorted by an item, filtered
    await page.click(`a[href="/admin/campaigns/${cid}/heatmap"]`);
    assert.equal(await page.locator('table.heat tbody tr').count(), 2);
    const ecCell = await page.textContent(`table.heat tbody tr:has(a[title="${ORGS['resp-ec']}"]) td:nth-of-type(3)`);
    assert.equal(ecCell, '2▾', 'resp-ec answered 1.1 at 2, below the desirable level');
    await axe(page, 'heatmap');
    await shots(page, 'dash-heatmap-ja', 'table.heat');
    await page.selectOption('select[name="sort"]', 'item');
    await page.selectOption('select[name="item"]', '1.1');
    await page.selectOption('select[name="variant"]', 'low-it');
    await submit(page, 'form.filters');
    assert.match(page.url(), /variant=low-it/);
    assert.equal(await page.locator('table.heat tbody tr').count(), 1);
    // a bad query: the readable 400 page
    r = await page.goto(`${ORIGIN}/admin/campaigns/${cid}/heatmap?status=bogus`);
    assert.equal(r.status(), 400);
    assert.match(await page.textContent('main'), /query_invalid/);

    // English, remembered
    await page.goto(`${ORIGIN}/admin/campaigns/${cid}?lang=en`);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.match(await page.textContent('h1'), /Campaign overview/);
    await axe(page, 'overview (en)');
    await shots(page, 'dash-overview-en', 'svg#radar');
    await page.goto(`${ORIGIN}/admin/campaigns/${cid}/heatmap`);
    await shots(page, 'dash-heatmap-en', 'table.heat');
    await page.goto(`${ORIGIN}/admin/campaigns`);
    await shots(page, 'dash-campaigns-en');
    await page.goto(`${ORIGIN}/admin/campaigns?lang=ja`);
    await shots(page, 'dash-campaigns-ja');

    // move the due date (a past one needs "force"), then close
    await page.fill(`#due-${cid}`, '2001-01-01');
    await submit(page, `form[action="/admin/campaigns/${cid}/due"]`);
    await submit(page, 'main form');
    assert.match(await page.textContent('main'), /due_past/);
    assert.equal(sql(`SELECT due FROM campaigns WHERE id = ${cid}`), '2099-09-30');
    await page.goto(`${ORIGIN}/admin/campaigns`);
    await page.fill(`#due-${cid}`, '2099-12-24');
    await submit(page, `form[action="/admin/campaigns/${cid}/due"]`);
    await submit(page, 'main form');
    assert.equal(sql(`SELECT due FROM campaigns WHERE id = ${cid}`), '2099-12-24');
    await submit(page, `form[action="/admin/campaigns/${cid}/close"]`);
    await submit(page, 'main form');
    assert.equal(sql(`SELECT status FROM campaigns WHERE id = ${cid}`), 'closed');
    assert.equal(sql(`SELECT count(*) FROM audit_log WHERE object = 'campaign/${cid}' AND action IN ('campaign.create', 'campaign.due', 'campaign.close')`), '3');
    assert.deepEqual(admin.errors, []);
  } finally {
    await admin.close();
    await ec.close();
  }
});
