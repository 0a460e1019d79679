// sign.mjs — the in-page signing flow the tests share: the assignment's
// template filled, signed with a .p12 by the served bundle; nothing uploaded.
import fs from 'node:fs';
import { b64 } from './lib.mjs';

// fills the template of the assignment in campaign 1, signs it with the
// .p12, returns the package (base64) and the answers; nothing is uploaded
export async function signInPage(page, p12, pass, evidence, comment, campaign = 1) {
  return page.evaluate(async ({ p12, pass, evidence, comment, campaign }) => {
    const { itaku } = globalThis;
    const bytes = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
    const list = await itaku.get('/api/v1/assignments');
    const a = list.body.assignments.find((x) => x.campaign.id === campaign);
    const tpl = await itaku.get(`/api/v1/assignments/${a.id}/template`);
    const ids = [...tpl.body.matchAll(/<item id="([^"]+)"/g)].map((m) => m[1]);
    const items = Object.fromEntries(ids.map((id, i) => [id, { level: String(1 + (i % 5)) }]));
    items[ids[0]] = { level: '3', comment, evidence: [evidence.name] };
    const { xml, missing } = itaku.fillTemplate(tpl.body, items);
    const t0 = performance.now();
    try {
      const signer = await itaku.loadP12(bytes(p12), pass);
      const { zip } = await itaku.buildPackage(xml, [{ name: evidence.name, data: bytes(evidence.data) }], signer);
      let s = ''; for (const x of zip) s += String.fromCharCode(x);
      return { ok: true, zip: btoa(s), xml, missing, ms: performance.now() - t0, subject: signer.subject, alg: signer.algorithm };
    } catch (e) { return { ok: false, code: e.code, message: e.message }; }
  }, { p12: b64(fs.readFileSync(p12)), pass, evidence: { name: evidence.name, data: b64(evidence.data) }, comment, campaign });
}

