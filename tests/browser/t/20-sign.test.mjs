// Signing in the browser: on a page of itakud, with the bundle it serves,
// the respondent's .p12 (key imported non-extractable) signs the filled
// template with a Japanese evidence file name; the package is laid out as
// `itaku pack` lays it out (same entries, order, methods, UTF-8 flags, the
// manifest byte for byte), the server takes it (201), and stock openssl
// (-cades) and `itaku verify` accept the stored bytes. Then the refusals:
// the same package again (409 nonce_reused), a wrong passphrase and a
// legacy .p12 (clear errors, nothing uploaded).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { signInPage } from '../sign.mjs';
import { launch, withBundle, orgP12, ORGS, INST, ITAKU, W, b64, sh, sh2, sql, sha256, unpack, opensslVerify } from '../lib.mjs';

const EVIDENCE = '監査報告 2026 <最終> & "控え".txt';
const COMMENT = 'ポリシー承認済み <script>alert(1)</script> & "quotes" \u202eRTL';
const PASS = 'resp pass 1';

const upload = (page, zipB64) => page.evaluate(async (z) => {
  const r = await globalThis.itaku.submitPackage(Uint8Array.from(atob(z), (c) => c.charCodeAt(0)));
  return r;
}, zipB64);

const count = () => sql('SELECT count(*) FROM submissions');
const evidence = { name: EVIDENCE, data: Buffer.from('内部監査報告書 / internal audit report\n') };

for (const who of ['resp-ec', 'resp-rsa']) {
  test(`(c) ${who}: signed in the browser, accepted, verified like itaku pack's`, async () => {
    const org = ORGS[who];
    const p12 = orgP12(org, PASS, who);
    const b = await launch({ p12, pass: PASS });
    try {
      await withBundle(b.page);
      const r = await signInPage(b.page, p12, PASS, evidence, COMMENT);
      assert.ok(r.ok, `${r.code}: ${r.message}`);
      assert.deepEqual(r.missing, []);
      assert.equal(r.alg, who === 'resp-ec' ? 'ECDSA' : 'RSASSA-PKCS1-v1_5');
      console.log(`  ${who}: signed in ${Math.round(r.ms)} ms in the page by ${r.subject}`);
      const zip = Buffer.from(r.zip, 'base64');
      const dir = `${W}/${who}`;
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(`${dir}/browser.asice`, zip);
      // the same answers and evidence through itaku pack
      fs.writeFileSync(`${dir}/answers.xml`, r.xml);
      fs.writeFileSync(`${dir}/${EVIDENCE}`, evidence.data);
      sh(ITAKU, ['pack', '--answers', `${dir}/answers.xml`, '--evidence', `${dir}/${EVIDENCE}`,
        '--cert', `${INST}/pki/${org}/client.crt`, '--key', `${INST}/pki/${org}/client.key`, '-o', `${dir}/pack.asice`]);
      const mine = unpack(`${dir}/browser.asice`, `${dir}/b`);
      const theirs = unpack(`${dir}/pack.asice`, `${dir}/p`);
      assert.deepEqual(mine.map((e) => e.name), ['mimetype', 'answers.xml', `evidence/${EVIDENCE}`,
        'META-INF/ASiCManifest.xml', 'META-INF/signature.p7s']);
      assert.deepEqual(mine.map(({ name, method, flags }) => ({ name, method, flags })),
        theirs.map(({ name, method, flags }) => ({ name, method, flags })));
      assert.equal(mine[2].flags & 0x800, 0x800, 'UTF-8 flag on the Japanese name');
      assert.ok(mine.every((e) => e.extra === 0 && (e.flags & 8) === 0), 'no extra fields, no data descriptors');
      assert.equal(zip.subarray(30, 38).toString(), 'mimetype');
      assert.equal(zip.subarray(38, 69).toString(), 'application/vnd.etsi.asic-e+zip');
      assert.ok(fs.readFileSync(`${dir}/b/META-INF/ASiCManifest.xml`).equals(fs.readFileSync(`${dir}/p/META-INF/ASiCManifest.xml`)),
        'the manifest is byte for byte the one itaku pack writes');
      // the signed attributes: what itaku pack signs (S/MIME capabilities aside)
      const attrs = (d) => sh('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', `${d}/META-INF/signature.p7s`])
        .match(/object: [^\n]+\(1\.2\.840\.113549\.1\.9\.[0-9.]+\)/g);
      assert.deepEqual(attrs(`${dir}/b`).sort(), attrs(`${dir}/p`).filter((a) => !a.includes('S/MIME')).sort());
      // the same certificates embedded (the signer; the .p12's root is not), sha256 without parameters
      const shape = (d) => {
        const t = sh('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', `${d}/META-INF/signature.p7s`]);
        return { certs: t.match(/d\.certificate:/g).length, subjects: t.match(/subject: [^\n]+/g),
          digest: t.match(/algorithm: sha256 \(2\.16\.840\.1\.101\.3\.4\.2\.1\)\n\s+parameter: [^\n]+/g),
          version: t.match(/^\s+version: \d+$/mg) };
      };
      assert.deepEqual(shape(`${dir}/b`), shape(`${dir}/p`));
      const v = opensslVerify(`${dir}/b`);
      assert.equal(v.status, 0, v.out);
      assert.match(v.out, /CAdES Verification successful/);

      const before = count();
      const up = await upload(b.page, r.zip);
      assert.equal(up.status, 201, JSON.stringify(up.body));
      assert.equal(up.body.sha256, sha256(zip));
      assert.equal(Number(count()), Number(before) + 1);
      // the stored bytes: what the browser built, verified by openssl and itaku
      const stored = `${INST}/store/${up.body.sha256.slice(0, 2)}/${up.body.sha256}`;
      assert.ok(fs.readFileSync(stored).equals(zip));
      fs.copyFileSync(stored, `${dir}/stored.asice`);
      unpack(`${dir}/stored.asice`, `${dir}/s`);
      assert.equal(opensslVerify(`${dir}/s`).status, 0);
      const iv = sh2(ITAKU, ['verify', `${dir}/stored.asice`, '--ca', `${INST}/pki/ca.crt`]);
      assert.equal(iv.status, 0, iv.out);
      assert.match(iv.out, /: OK /);
      // the answers as the server read them: the comment literally
      assert.equal(sql(`SELECT comment FROM answers WHERE submission_id = ${up.body.id} AND comment IS NOT NULL`), COMMENT);

      // the same package again: its nonce is spent
      const again = await upload(b.page, r.zip);
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'nonce_reused');
      assert.equal(count(), String(Number(before) + 1));
    } finally { await b.close(); }
  });
}

test('(c) a wrong passphrase and a legacy .p12: clear errors, nothing uploaded', async () => {
  const org = ORGS['resp-ec'];
  const p12 = orgP12(org, PASS, 'resp-ec-2');
  const legacy = `${W}/legacy.p12`;
  sh('openssl', ['pkcs12', '-export', '-legacy', '-inkey', `${INST}/pki/${org}/client.key`, '-in', `${INST}/pki/${org}/client.crt`,
    '-passout', `pass:${PASS}`, '-out', legacy]);
  const b = await launch({ p12, pass: PASS });
  try {
    await withBundle(b.page);
    const before = count();
    const wrong = await signInPage(b.page, p12, 'not the passphrase', evidence, COMMENT);
    assert.equal(wrong.ok, false);
    assert.equal(wrong.code, 'p12_passphrase');
    assert.match(wrong.message, /passphrase is wrong/);
    const old = await signInPage(b.page, legacy, PASS, evidence, COMMENT);
    assert.equal(old.ok, false);
    assert.equal(old.code, 'p12_legacy');
    assert.match(old.message, /RC2 or 3DES/);
    const junk = await signInPage(b.page, `${INST}/pki/ca.crt`, PASS, evidence, COMMENT);
    assert.equal(junk.code, 'p12_invalid');
    // evidence the server would refuse is refused before signing, as itaku pack does
    const bad = await b.page.evaluate(async ({ p12, pass }) => {
      const { itaku } = globalThis;
      const signer = await itaku.loadP12(Uint8Array.from(atob(p12), (c) => c.charCodeAt(0)), pass);
      const tpl = (await itaku.get('/api/v1/assignments/1/template')).body;
      const codes = [];
      for (const [xml, ev] of [
        [tpl, [{ name: 'a.txt', data: 'x' }, { name: 'A.TXT', data: 'y' }]],
        [tpl, [{ name: '..', data: 'x' }]],
        [tpl, [{ name: 'c:x.txt', data: 'x' }]],
        [tpl, [{ name: 'tab\there', data: 'x' }]],
        [tpl, [{ name: `${'長'.repeat(83)}.txt`, data: 'x' }]],
        [itaku.fillTemplate(tpl, { '1.1': { level: '2', evidence: ['gone.pdf'] } }).xml, []],
      ]) {
        try { await itaku.buildPackage(xml, ev, signer); codes.push('built'); } catch (e) { codes.push(e.code); }
      }
      return codes;
    }, { p12: b64(fs.readFileSync(p12)), pass: PASS });
    assert.deepEqual(bad, ['evidence_name', 'evidence_name', 'evidence_name', 'evidence_name', 'evidence_name', 'evidence_missing']);
    assert.equal(count(), before);
    assert.deepEqual(b.errors, []);
  } finally { await b.close(); }
});

test('(c) the private key is not extractable', async () => {
  const p12 = orgP12(ORGS['resp-ec'], PASS, 'resp-ec-3');
  const b = await launch({ p12, pass: PASS });
  try {
    await withBundle(b.page);
    const r = await b.page.evaluate(async ({ p12, pass }) => {
      const s = await globalThis.itaku.loadP12(Uint8Array.from(atob(p12), (c) => c.charCodeAt(0)), pass);
      let exported = 'exported';
      try { await crypto.subtle.exportKey('pkcs8', s.privateKey); } catch (e) { exported = e.name; }
      return { extractable: s.privateKey.extractable, exported };
    }, { p12: b64(fs.readFileSync(p12)), pass: PASS });
    assert.deepEqual(r, { extractable: false, exported: 'InvalidAccessError' });
  } finally { await b.close(); }
});

test('(c) 27 items and 10 MB of evidence: built and signed in the page, accepted', async () => {
  const org = ORGS['resp-ec'];
  const p12 = orgP12(org, PASS, 'resp-ec-4');
  const b = await launch({ p12, pass: PASS });
  try {
    await withBundle(b.page);
    const r = await b.page.evaluate(async ({ p12, pass }) => {
      const { itaku } = globalThis;
      const list = await itaku.get('/api/v1/assignments');
      const a = list.body.assignments.find((x) => x.campaign.id === 1);
      const tpl = await itaku.get(`/api/v1/assignments/${a.id}/template`);
      const ids = [...tpl.body.matchAll(/<item id="([^"]+)"/g)].map((m) => m[1]);
      // ten 1 MB files of random bytes (nothing to compress), one per item
      const files = ids.slice(0, 10).map((id, i) => {
        const data = new Uint8Array(1 << 20);
        for (let o = 0; o < data.length; o += 65536) crypto.getRandomValues(data.subarray(o, o + 65536));
        return { name: `scan-${i}.pdf`, data, id };
      });
      const items = Object.fromEntries(ids.map((id) => [id, { level: '4' }]));
      for (const f of files) items[f.id] = { level: '4', evidence: [f.name] };
      const { xml } = itaku.fillTemplate(tpl.body, items);
      const t0 = performance.now();
      const signer = await itaku.loadP12(Uint8Array.from(atob(p12), (c) => c.charCodeAt(0)), pass);
      const { zip } = await itaku.buildPackage(xml, files, signer);
      const ms = performance.now() - t0;
      const up = await itaku.submitPackage(zip);
      return { ms, items: ids.length, bytes: zip.length, status: up.status, body: up.body };
    }, { p12: b64(fs.readFileSync(p12)), pass: PASS });
    console.log(`  ${r.items} items + 10 MiB evidence: ${r.bytes} bytes built and signed in ${Math.round(r.ms)} ms in the page`);
    assert.equal(r.items, 27);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const stored = `${INST}/store/${r.body.sha256.slice(0, 2)}/${r.body.sha256}`;
    const iv = sh2(ITAKU, ['verify', stored, '--ca', `${INST}/pki/ca.crt`]);
    assert.equal(iv.status, 0, iv.out);
  } finally { await b.close(); }
});
