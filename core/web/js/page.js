// page.js — what the portal's pages do with JavaScript: sign and submit the
// answer page in the browser. Everything else works without it. The texts
// it shows come from the page (data-t-* attributes, from the server's
// catalogue, in the page's language) and from the server's error table
// (GET /api/v1/errors/{code}); the DOM is only ever changed with DOM
// methods and textContent.
import * as portal from './portal.js';

const text = (section, key) => section.dataset[`t${key[0].toUpperCase()}${key.slice(1)}`] || key;

function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
}

function para(parent, ...parts) {
  const p = document.createElement('p');
  for (const part of parts) p.append(part);
  parent.appendChild(p);
  return p;
}

function link(href, label, download) {
  const a = document.createElement('a');
  a.href = href;
  a.textContent = label;
  if (download !== undefined) a.download = download;
  return a;
}

/** The answers in the form as fillTemplate() takes them, the evidence
 * files, and the items still without a level. */
export function readForm(doc) {
  const items = {}; const evidence = []; const missing = [];
  for (const fs of doc.querySelectorAll('fieldset[id^="item-"]')) {
    const id = fs.id.slice(5);
    const checked = fs.querySelector('input[type="radio"]:checked');
    const comment = fs.querySelector('textarea');
    const files = fs.querySelector('input[type="file"][data-item]');
    if (!checked) { missing.push(id); continue; }
    const names = [];
    for (const f of files ? files.files : []) { names.push(f.name); evidence.push(f); }
    items[id] = { level: checked.value, comment: comment ? comment.value : '', evidence: names };
  }
  const rows = {};
  for (const input of doc.querySelectorAll('input[name^="sub."]')) {
    const [, n, part] = input.name.split('.');
    rows[n] = rows[n] || {};
    rows[n][part] = input.type === 'checkbox' ? input.checked : input.value.trim();
  }
  const subcontractors = Object.keys(rows).sort((a, b) => a - b).map((n) => rows[n])
    .filter((r) => r.id || r.name || r.scope);
  return { items, evidence, missing, subcontractors };
}

async function explain(code, lang) {
  try {
    const r = await portal.get(`/api/v1/errors/${encodeURIComponent(code)}`);
    if (r.status === 200 && r.body && r.body.message) return r.body.message[lang] || r.body.message.en;
  } catch { /* the code alone then */ }
  return '';
}

async function refused(section, out, code, message) {
  const why = await explain(code, section.dataset.lang);
  const p = para(out, text(section, 'refused'));
  const c = document.createElement('code');
  c.textContent = code;
  p.append(c);
  if (why) para(out, why);
  if (message) para(out, message);
}

async function signAndSubmit(doc, section) {
  const out = doc.getElementById('sign-result');
  const file = doc.getElementById('sign-p12').files[0];
  const pass = doc.getElementById('sign-pass').value;
  const button = doc.getElementById('sign-submit');
  clear(out);
  const { items, evidence, missing, subcontractors } = readForm(doc);
  if (missing.length) {
    const p = para(out, text(section, 'missing'));
    missing.forEach((id, i) => { p.append(i ? ', ' : '', link(`#item-${id}`, id)); });
    return;
  }
  if (!file) { para(out, text(section, 'no_file')); return; }
  button.disabled = true;
  para(out, text(section, 'working'));
  try {
    const id = section.dataset.assignment;
    const t = await portal.get(`/api/v1/assignments/${encodeURIComponent(id)}/template`);
    if (t.status !== 200) throw new portal.PortalError(t.body.error.code, t.body.error.detail);
    const { xml, missing: left } = portal.fillTemplate(t.body, items, subcontractors);
    if (left.length) throw new portal.PortalError('answers_missing_items', left.join(', '));
    const signer = await portal.loadP12(new Uint8Array(await file.arrayBuffer()), pass);
    const files = await Promise.all(evidence.map(async (f) => ({ name: f.name, data: new Uint8Array(await f.arrayBuffer()) })));
    const { zip } = await portal.buildPackage(xml, files, signer);
    const r = await portal.submitPackage(zip);
    clear(out);
    if (r.status === 201) {
      para(out, text(section, 'accepted'), String(r.body.id), ` (SHA-256 ${r.body.sha256}, ${r.body.received_at})`);
      if (r.body.receipt) para(out, link(`/api/v1/submissions/${r.body.id}/receipt`, text(section, 'receipt'), ''));
      para(out, link('/submissions', text(section, 'history')));
    } else {
      // the explanation comes from /api/v1/errors (explain()); the API's
      // detail says what exactly was wrong
      const e = (r.body && r.body.error) || { code: String(r.status), detail: '' };
      await refused(section, out, e.code, e.detail);
    }
  } catch (e) {
    clear(out);
    await refused(section, out, e.code || 'sign_failed', e.message);
  } finally {
    button.disabled = false;
    doc.getElementById('sign-pass').value = '';
  }
}

/** The invitation in the link's fragment (#c=CAMPAIGN&o=ORG&t=TOKEN),
 * null when a part is missing. */
export function invitation(hash) {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const c = q.get('c'); const o = q.get('o'); const t = q.get('t');
  return c && o && t ? { campaign: c, organisation: o, token: t } : null;
}

async function enrolHere(doc, section) {
  const out = doc.getElementById('enrol-result');
  const pass = doc.getElementById('enrol-pass').value;
  const pass2 = doc.getElementById('enrol-pass2').value;
  const button = doc.getElementById('enrol-submit');
  const inv = invitation(doc.location.hash);
  clear(out);
  if (!inv) { para(out, text(section, 'link_bad')); return; }
  if ([...pass].length < 12) { para(out, text(section, 'pass_short')); return; }
  if (pass !== pass2) { para(out, text(section, 'pass_differ')); return; }
  button.disabled = true;
  para(out, text(section, 'working'));
  try {
    const { keyPair, csrPem } = await portal.generateKeyAndCsr({ organisation: inv.organisation, commonName: inv.organisation });
    const r = await portal.enrol(inv.token, inv.campaign, csrPem);
    clear(out);
    if (r.status !== 201) {
      // the explanation comes from /api/v1/errors (explain()); the API's
      // detail says what exactly was wrong
      const e = (r.body && r.body.error) || { code: String(r.status), detail: '' };
      await refused(section, out, e.code, e.detail);
      return;
    }
    const p12 = await portal.buildP12(keyPair.privateKey, portal.pemToDer(r.body.certificate),
      [portal.pemToDer(r.body.ca)], pass, inv.organisation);
    const url = URL.createObjectURL(new Blob([p12], { type: 'application/x-pkcs12' }));
    para(out, text(section, 'done'));
    para(out, link(url, text(section, 'download'), `${inv.organisation}.p12`));
    // the token is used: the link has nothing more to give
    doc.defaultView.history.replaceState(null, '', doc.location.pathname);
  } catch (e) {
    clear(out);
    await refused(section, out, e.code || 'csr_invalid', e.message);
  } finally {
    button.disabled = false;
    doc.getElementById('enrol-pass').value = '';
    doc.getElementById('enrol-pass2').value = '';
  }
}

/** Wires the page: shows what needs the script (and hides what is only
 * for pages without it), the signing and the enrolment buttons. */
export function wire(doc) {
  for (const el of doc.querySelectorAll('[data-js]')) el.hidden = false;
  for (const el of doc.querySelectorAll('[data-nojs]')) el.hidden = true;
  const section = doc.getElementById('sign-browser');
  if (section) doc.getElementById('sign-submit').addEventListener('click', () => signAndSubmit(doc, section));
  const enrolSection = doc.getElementById('enrol');
  if (enrolSection) doc.getElementById('enrol-submit').addEventListener('click', () => enrolHere(doc, enrolSection));
}
