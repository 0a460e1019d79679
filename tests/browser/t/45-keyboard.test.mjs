// The answer form with the keyboard alone, in real Chromium: Tab reaches
// the first item's scale, Space chooses a level, typing fills its comment,
// Tab reaches the save button and Enter saves the draft; the page says it
// was saved and the choice is there after a reload. No mouse event is sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, orgP12, ORGS, ORIGIN, INST, ITAKU, sh, sql } from '../lib.mjs';

const PASS = 'keyboard pass 1';
const C = ['--config', `${INST}/itaku.conf`];

async function tabTo(page, test, limit = 400) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(test)) return i + 1;
  }
  throw new Error('not reachable with Tab');
}

test('the answer form with the keyboard alone', async () => {
  const org = ORGS['resp-rsa'];
  const cid = sh(ITAKU, ['campaign', 'create', '--questionnaire', 'ipa-benchmark@1', '--due', '2099-04-30',
    '--name', 'キーボード試験', ...C]).trim();
  sh(ITAKU, ['campaign', 'assign', cid, org, ...C]);
  const aid = sql(`SELECT id FROM assignments WHERE campaign_id = ${cid} AND org_id = '${org}'`);
  const b = await launch({ p12: orgP12(org, PASS, 'keyboard-rsa'), pass: PASS, locale: 'ja-JP' });
  try {
    const { page } = b;
    await page.goto(`${ORIGIN}/assignments/${aid}`);
    await tabTo(page, () => document.activeElement && document.activeElement.name === 'level.1.1');
    await page.keyboard.press('ArrowDown'); // radios: the arrows move the choice
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    const chosen = await page.evaluate(() => document.querySelector('input[name="level.1.1"]:checked')?.value);
    assert.ok(chosen, 'a level chosen with the keyboard');
    await tabTo(page, () => document.activeElement && document.activeElement.id === 'c-1.1');
    await page.keyboard.type('キーボードだけで入力');
    await tabTo(page, () => document.activeElement && document.activeElement.type === 'submit' &&
      document.activeElement.closest('form').action.endsWith('/draft'));
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    assert.match(await page.textContent('main'), /下書きを保存しました/);
    assert.equal(sql(`SELECT level || '|' || comment FROM draft_items WHERE assignment_id = ${aid} AND item_id = '1.1'`),
      `${chosen}|キーボードだけで入力`);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});
