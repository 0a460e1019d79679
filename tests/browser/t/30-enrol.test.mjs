// Enrolment in the browser: a subcontractor declared by a vendor and
// invited by the admin has no certificate. In a browser with none, on a
// page of itakud, the bundle makes the key pair and the CSR, POSTs
// /api/v1/enrol with the token, and writes the passphrase-protected .p12.
// OpenSSL reads it; it is imported into a FRESH profile's NSS db, and
// Chromium logs in with it (whoami names the new organisation) and signs
// and submits the new organisation's own assignment with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { launch, withBundle, open, invitedSubcontractor, W, sh2, sql } from '../lib.mjs';
import { signInPage } from '../sign.mjs';

const SUB = 'kaede-browser';
const PASS = 'かえで pass 2026';


test('(d) enrolment in the browser: key, CSR, certificate, .p12; a fresh profile logs in with it', async () => {
  const { cid, token } = invitedSubcontractor(SUB);
  const anon = await launch();
  let p12b64;
  try {
    await withBundle(anon.page);
    const r = await anon.page.evaluate(async ({ token, cid, org, pass }) => {
      const { itaku } = globalThis;
      const { keyPair, csrPem } = await itaku.generateKeyAndCsr({ organisation: org, commonName: '楓ブラウザ' });
      const res = await itaku.enrol(token, cid, csrPem);
      if (res.status !== 201) return { res };
      const again = await itaku.enrol(token, cid, csrPem);
      const p12 = await itaku.buildP12(keyPair.privateKey, itaku.pemToDer(res.body.certificate), [itaku.pemToDer(res.body.ca)], pass, org);
      let s = ''; for (const x of p12) s += String.fromCharCode(x);
      let short = null;
      try { await itaku.buildP12(keyPair.privateKey, itaku.pemToDer(res.body.certificate), [], 'short'); } catch (e) { short = e.code; }
      return { res, again, p12: btoa(s), short, csrPem };
    }, { token, cid: String(cid), org: SUB, pass: PASS });
    assert.equal(r.res.status, 201, JSON.stringify(r.res.body));
    assert.equal(r.res.body.organisation, SUB);
    assert.equal(r.again.status, 409);
    assert.equal(r.again.body.error.code, 'token_used');
    assert.equal(r.short, 'passphrase_short');
    fs.writeFileSync(`${W}/enrol.csr`, r.csrPem);
    assert.match(sh2('openssl', ['req', '-verify', '-in', `${W}/enrol.csr`, '-noout']).out, /verify OK/);
    p12b64 = r.p12;
  } finally { await anon.close(); }

  const p12 = `${W}/enrolled.p12`;
  fs.writeFileSync(p12, Buffer.from(p12b64, 'base64'));
  const info = sh2('openssl', ['pkcs12', '-info', '-in', p12, '-passin', `pass:${PASS}`, '-noout']);
  assert.equal(info.status, 0, info.out);
  assert.match(info.out, /MAC: sha256/);
  assert.match(info.out, /Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC/);
  assert.notEqual(sh2('openssl', ['pkcs12', '-info', '-in', p12, '-passin', 'pass:wrong', '-noout']).status, 0);

  const b = await launch({ p12, pass: PASS });
  try {
    const who = await open(b.page, '/api/v1/whoami');
    assert.equal(who.status, 200, who.text);
    assert.equal(JSON.parse(who.text).organisation, SUB);
    // and the new organisation answers its own assignment with that .p12
    await withBundle(b.page);
    const s = await signInPage(b.page, p12, PASS, { name: 'policy.txt', data: Buffer.from('policy') }, '新規', cid);
    assert.ok(s.ok, `${s.code}: ${s.message}`);
    const up = await b.page.evaluate(async (z) => globalThis.itaku.submitPackage(Uint8Array.from(atob(z), (c) => c.charCodeAt(0))), s.zip);
    assert.equal(up.status, 201, JSON.stringify(up.body));
    assert.equal(sql(`SELECT org_id FROM submissions WHERE id = ${up.body.id}`), SUB);
  } finally { await b.close(); }
});
