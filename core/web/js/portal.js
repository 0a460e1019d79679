// portal.js — the respondent portal's signing library, run in the browser.
// It owns: reading a .p12 into a non-extractable WebCrypto key, the CAdES
// detached CMS over the ASiC manifest, the ASiC-E package, filling an
// answers template, and enrolment (P-256 key, PKCS#10 CSR, .p12 writer).
// It must build what `itaku pack` builds (exchange/package_write.c) and
// what exchange/package.c and exchange/ziplayout.c accept:
//   entries  mimetype (stored, first), answers.xml, evidence/<name>...,
//            META-INF/ASiCManifest.xml, META-INF/signature.p7s, all but
//            mimetype deflated; names UTF-8 with flag bit 11 when not ASCII;
//            no data descriptors, no extra fields, no comments, no gaps;
//   manifest byte for byte libxml2's xmlDocDumpFormatMemoryEnc output of
//            exchange/manifest.c (attribute escaping included);
//   CMS      SignedData v1, detached, id-data, one SignerInfo v1 by
//            IssuerAndSerialNumber, SHA-256, signed attributes contentType,
//            signingTime, messageDigest, signing-certificate-v2; the signer
//            certificate embedded, plus the .p12's intermediates (never a
//            self-signed root). OpenSSL also adds S/MIME capabilities (a
//            mail attribute listing DES and RC2): left out, nothing needs it.
// It must not send anything anywhere except through the two request
// helpers at the end, and never exports a private key it imported.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { zipSync } from 'fflate';

const subtle = globalThis.crypto.subtle;
const enc = new TextEncoder();

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  extensionRequest: '1.2.840.113549.1.9.14',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  ecPublicKey: '1.2.840.10045.2.1',
  p256: '1.2.840.10045.3.1.7',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256: '2.16.840.1.101.3.4.2.1',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  cn: '2.5.4.3',
  o: '2.5.4.10',
  serialNumber: '2.5.4.5',
};

export const MIMETYPE = 'application/vnd.etsi.asic-e+zip';
const ASIC_NS = 'http://uri.etsi.org/02918/v1.2.1#';
const DS_NS = 'http://www.w3.org/2000/09/xmldsig#';
const SHA256_URI = 'http://www.w3.org/2001/04/xmlenc#sha256';
const ANSWERS_NS = 'urn:itaku:answers:1';

/** An error with a stable code, for the page to explain. */
export class PortalError extends Error {
  constructor(code, message) { super(message); this.code = code; this.name = 'PortalError'; }
}
const fail = (code, message) => { throw new PortalError(code, message); };

const u8 = (b) => (b instanceof Uint8Array ? b : new Uint8Array(b));
const ab = (b) => { const v = u8(b); return v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength); };
const b64 = (b) => { let s = ''; for (const x of u8(b)) s += String.fromCharCode(x); return btoa(s); };
const eqBytes = (a, b) => { a = u8(a); b = u8(b); return a.length === b.length && a.every((x, i) => x === b[i]); };
const cmpBytes = (a, b) => {
  a = u8(a); b = u8(b);
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
};
const der = (obj) => u8(obj.toSchema().toBER(false));
const bytesOf = (x) => (typeof x === 'string' ? enc.encode(x) : u8(x));
export const sha256 = async (bytes) => u8(await subtle.digest('SHA-256', bytesOf(bytes)));
export const pem = (label, bytes) =>
  `-----BEGIN ${label}-----\n${b64(bytes).replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
export function pemToDer(text) {
  const m = /-----BEGIN [^-]+-----([\s\S]*?)-----END/.exec(text);
  const s = atob((m ? m[1] : text).replace(/\s+/g, ''));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

// ---------------------------------------------------------------- PKCS#12
/** Reads a .p12: checks its MAC, decrypts the bags, imports the one private
 * key into WebCrypto as non-extractable and pairs it with its certificate.
 * OpenSSL 3's defaults (PBES2, AES, PBKDF2) work; the legacy RC2/3DES
 * encryption of old exports does not (WebCrypto has neither). */
export async function loadP12(p12Bytes, passphrase) {
  const pwd = ab(enc.encode(passphrase)); // pkijs turns it into the BMPString of the MAC
  let pfx;
  try { pfx = pkijs.PFX.fromBER(ab(p12Bytes)); } catch (e) { fail('p12_invalid', `the file is not a PKCS#12 (.p12/.pfx) file: ${e.message}`); }
  try {
    await pfx.parseInternalValues({ password: pwd, checkIntegrity: true });
  } catch (e) { fail('p12_passphrase', 'the passphrase is wrong (the .p12 file\'s integrity check failed)'); }
  const safe = pfx.parsedValue.authenticatedSafe;
  try {
    await safe.parseInternalValues({ safeContents: safe.safeContents.map(() => ({ password: pwd })) });
  } catch (e) {
    fail('p12_legacy', 'the .p12 file uses old encryption (RC2 or 3DES) that browsers cannot read; ' +
      `export it again with OpenSSL 3 defaults (${e.message})`);
  }
  const keys = []; const certs = [];
  const lkidOf = (bag) => {
    const a = (bag.bagAttributes || []).find((x) => x.type === OID.localKeyId);
    return a ? u8(a.values[0].valueBlock.valueHexView) : null;
  };
  for (const sc of safe.parsedValue.safeContents) {
    for (const bag of sc.value.safeBags) {
      if (bag.bagId === OID.shroudedKeyBag) {
        try { await bag.bagValue.parseInternalValues({ password: pwd }); } catch (e) {
          fail('p12_legacy', `the private key in the .p12 file cannot be decrypted: ${e.message}`);
        }
        keys.push({ pki: bag.bagValue.parsedValue, lkid: lkidOf(bag) });
      } else if (bag.bagId === OID.keyBag) {
        keys.push({ pki: bag.bagValue, lkid: lkidOf(bag) });
      } else if (bag.bagId === OID.certBag && bag.bagValue.parsedValue instanceof pkijs.Certificate) {
        certs.push({ cert: bag.bagValue.parsedValue, lkid: lkidOf(bag) });
      }
    }
  }
  if (keys.length !== 1) fail('p12_no_key', `the .p12 file must hold exactly one private key; it holds ${keys.length}`);
  const key = keys[0];
  const algId = key.pki.privateKeyAlgorithm.algorithmId;
  let alg; let pubOfKey;
  if (algId === OID.ecPublicKey) {
    const curve = key.pki.privateKeyAlgorithm.algorithmParams?.valueBlock?.toString();
    if (curve !== OID.p256) fail('p12_key_unsupported', `the key's curve ${curve} is not P-256`);
    alg = { name: 'ECDSA', namedCurve: 'P-256' };
    pubOfKey = key.pki.parsedKey?.publicKey ? der(key.pki.parsedKey.publicKey) : null;
  } else if (algId === OID.rsaEncryption) {
    alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    pubOfKey = u8(key.pki.parsedKey.modulus.valueBlock.valueHexView);
  } else fail('p12_key_unsupported', `the key algorithm ${algId} is not ECDSA P-256 or RSA`);
  const pubOfCert = (c) => {
    const spki = c.subjectPublicKeyInfo;
    if (algId === OID.ecPublicKey) return u8(spki.subjectPublicKey.valueBlock.valueHexView);
    return spki.parsedKey?.modulus ? u8(spki.parsedKey.modulus.valueBlock.valueHexView) : null;
  };
  // the key's certificate: the same localKeyId, else the same public key
  let mine = key.lkid && certs.find((c) => c.lkid && eqBytes(c.lkid, key.lkid));
  if (mine && pubOfKey && !eqBytes(pubOfCert(mine.cert) || [], pubOfKey)) mine = null;
  if (!mine && pubOfKey) mine = certs.find((c) => { const p = pubOfCert(c.cert); return p && eqBytes(p, pubOfKey); });
  if (!mine) fail('p12_no_cert', 'no certificate in the .p12 file belongs to its private key');
  let privateKey;
  try { privateKey = await subtle.importKey('pkcs8', ab(der(key.pki)), alg, false, ['sign']); } catch (e) {
    fail('p12_key_unsupported', `the browser cannot use the key: ${e.message}`);
  }
  const chain = certs.filter((c) => c !== mine).map((c) => c.cert);
  const name = (tv) => ({ [OID.cn]: 'CN', [OID.o]: 'O', [OID.serialNumber]: 'serialNumber' }[tv.type] || tv.type);
  const subject = mine.cert.subject.typesAndValues.map((tv) => `${name(tv)}=${tv.value.valueBlock.value}`).join(', ');
  return { privateKey, certificate: mine.cert, chain, algorithm: alg.name, subject };
}

// ---------------------------------------------------------------- CMS
/** Detached CMS SignedData (CAdES-BES) over content; the DER ContentInfo. */
export async function signDetachedCms(content, { privateKey, certificate, chain = [] }, signingTime = new Date()) {
  content = u8(content);
  const digest = await sha256(content);
  const certHash = await sha256(der(certificate));
  // ESS SigningCertificateV2 (RFC 5035): certs SEQUENCE OF ESSCertIDv2
  // { certHash (hashAlgorithm sha256, the DEFAULT, so absent), issuerSerial }
  const issuerSerial = new asn1js.Sequence({ value: [
    new pkijs.GeneralNames({ names: [new pkijs.GeneralName({ type: 4, value: certificate.issuer })] }).toSchema(),
    certificate.serialNumber,
  ] });
  const signingCertificateV2 = new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [
    new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: ab(certHash) }), issuerSerial] }),
  ] })] });
  const attrs = [
    new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
    new pkijs.Attribute({ type: OID.signingTime, values: [new asn1js.UTCTime({ valueDate: signingTime })] }),
    new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: ab(digest) })] }),
    new pkijs.Attribute({ type: OID.signingCertificateV2, values: [signingCertificateV2] }),
  ];
  attrs.sort((a, b) => cmpBytes(der(a), der(b))); // DER SET OF order (pkijs keeps the given one)
  const selfSigned = (c) => eqBytes(der(c.issuer), der(c.subject));
  const signed = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }), // detached
    signerInfos: [new pkijs.SignerInfo({
      version: 1,
      sid: new pkijs.IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber }),
      signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: attrs }),
    })],
    certificates: [certificate, ...chain.filter((c) => !selfSigned(c))],
  });
  // pkijs turns WebCrypto's ECDSA r||s into the DER Ecdsa-Sig-Value
  await signed.sign(privateKey, 0, 'SHA-256', ab(content));
  // sha256 without parameters, as OpenSSL writes it (RFC 5754 prefers absent)
  const bare = () => new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 });
  signed.digestAlgorithms = [bare()];
  signed.signerInfos[0].digestAlgorithm = bare();
  const ci = new pkijs.ContentInfo({ contentType: OID.signedData, content: signed.toSchema(true) });
  return u8(ci.toSchema().toBER(false));
}

// ---------------------------------------------------------------- ASiC-E
// libxml2's attribute escaping (xmlBufAttrSerializeTxtContent) as
// exchange/manifest.c gets it: & < > " and the three white-space controls
const attr = (s) => s.replace(/[&<>"\n\r\t]/g, (c) => ({
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\n': '&#10;', '\r': '&#13;', '\t': '&#9;',
}[c]));

/** The manifest exactly as exchange/manifest.c writes it. refs: [{name, mimeType, sha256}]. */
export function asicManifest(refs) {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<asic:ASiCManifest xmlns:asic="${ASIC_NS}" xmlns:ds="${DS_NS}">`,
    '  <asic:SigReference URI="META-INF/signature.p7s" MimeType="application/x-pkcs7-signature"/>',
  ];
  for (const r of refs) {
    lines.push(`  <asic:DataObjectReference URI="${attr(r.name)}" MimeType="${attr(r.mimeType)}">`,
      `    <ds:DigestMethod Algorithm="${SHA256_URI}"/>`,
      `    <ds:DigestValue>${b64(r.sha256)}</ds:DigestValue>`,
      '  </asic:DataObjectReference>');
  }
  lines.push('</asic:ASiCManifest>', '');
  return enc.encode(lines.join('\n'));
}

/** exchange/package.c pkg_name_safe(): what a ZIP entry name may be. */
export function nameSafe(name) {
  const len = enc.encode(name).length;
  if (len === 0 || len > 255 || name[0] === '/') return false;
  if (/[\x00-\x1f\x7f\\:]/.test(name)) return false;
  const segs = name.split('/');
  return segs.every((s, i) => (s !== '' || (i === segs.length - 1 && i > 0)) && s !== '.' && s !== '..');
}

/** The evidence files' names in the package, as `itaku pack --evidence`
 * names them: evidence/<base name>. Refused like pack refuses them. */
export function evidenceName(fileName) {
  const base = String(fileName).split('/').pop();
  const name = `evidence/${base}`;
  if (!base || !nameSafe(name)) fail('evidence_name', `the evidence file name "${fileName}" cannot be stored (no control characters, ":", "\\", "." or ".."; at most 255 bytes)`);
  return name;
}

/** The evidence refs of answers.xml (needs DOMParser: the browser). */
function evidenceRefs(xml) {
  if (typeof DOMParser === 'undefined') return null;
  const doc = new DOMParser().parseFromString(new TextDecoder().decode(xml), 'application/xml');
  if (doc.getElementsByTagName('parsererror').length) fail('answers_malformed', 'answers.xml is not well-formed XML');
  return [...doc.getElementsByTagNameNS(ANSWERS_NS, 'evidence')].map((e) => ({
    item: e.parentNode.getAttribute('id'), ref: e.getAttribute('ref'),
  }));
}

/** The signed ASiC-E package, as `itaku pack` lays it out.
 * answers: string or bytes; evidence: [{name, data}] (name: the file's
 * name, stored as evidence/<name>); signer: from loadP12(). */
export async function buildPackage(answers, evidence, signer, signingTime = new Date()) {
  const files = [{ name: 'answers.xml', data: bytesOf(answers), mimeType: 'text/xml' }];
  for (const e of evidence || []) {
    const name = evidenceName(e.name);
    // the server refuses names equal but for ASCII case (strcasecmp)
    const same = (f) => f.name.replace(/[A-Z]/g, (c) => c.toLowerCase()) === name.replace(/[A-Z]/g, (c) => c.toLowerCase());
    if (files.some(same)) fail('evidence_name', `two evidence files are named ${name} (letter case aside)`);
    files.push({ name, data: bytesOf(e.data), mimeType: 'application/octet-stream' });
  }
  for (const { item, ref } of evidenceRefs(files[0].data) || []) {
    if (!files.some((f) => f.name === ref)) fail('evidence_missing', `item ${item} references ${ref}; add that file`);
  }
  for (const f of files) f.sha256 = await sha256(f.data);
  const manifest = asicManifest(files);
  const p7s = await signDetachedCms(manifest, signer, signingTime);
  const entries = { mimetype: [enc.encode(MIMETYPE), { level: 0 }] };
  for (const f of files) entries[f.name] = [f.data, { level: 6 }];
  entries['META-INF/ASiCManifest.xml'] = [manifest, { level: 6 }];
  entries['META-INF/signature.p7s'] = [p7s, { level: 6 }];
  // zipSync keeps insertion order (no name here is an integer-like key),
  // writes sizes in the local headers (no data descriptors), no extra
  // fields, and sets flag bit 11 for names that are not ASCII
  return { zip: zipSync(entries), manifest, p7s };
}

/** Fills an answers template (GET /api/v1/assignments/{id}/template):
 * items {id: {level, comment?, evidence?: [file names]}}, subcontractors
 * [{id, name, scope, personal, confidential}] (replacing the template's).
 * Needs DOMParser/XMLSerializer (the browser). */
export function fillTemplate(templateXml, items = {}, subcontractors = null) {
  const doc = new DOMParser().parseFromString(templateXml, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length) fail('answers_malformed', 'the template is not well-formed XML');
  const el = (n) => doc.createElementNS(ANSWERS_NS, n);
  for (const item of [...doc.getElementsByTagNameNS(ANSWERS_NS, 'item')]) {
    const a = items[item.getAttribute('id')];
    if (!a) continue;
    item.setAttribute('level', String(a.level));
    while (item.firstChild) item.removeChild(item.firstChild);
    if (a.comment) { const c = el('comment'); c.textContent = a.comment; item.appendChild(c); }
    for (const f of a.evidence || []) { const e = el('evidence'); e.setAttribute('ref', evidenceName(f)); item.appendChild(e); }
  }
  if (subcontractors) {
    const root = doc.documentElement;
    for (const old of [...doc.getElementsByTagNameNS(ANSWERS_NS, 'subcontractors')]) root.removeChild(old);
    const list = el('subcontractors');
    for (const s of subcontractors) {
      const x = el('subcontractor');
      x.setAttribute('id', s.id);
      x.setAttribute('personal-data', s.personal ? 'true' : 'false');
      x.setAttribute('confidential-data', s.confidential ? 'true' : 'false');
      const n = el('name'); n.textContent = s.name; x.appendChild(n);
      const sc = el('scope'); sc.textContent = s.scope; x.appendChild(sc);
      list.appendChild(x);
    }
    root.appendChild(list);
  }
  const missing = [...doc.getElementsByTagNameNS(ANSWERS_NS, 'item')].filter((i) => !i.getAttribute('level')).map((i) => i.getAttribute('id'));
  const text = new XMLSerializer().serializeToString(doc);
  return { xml: text.startsWith('<?xml') ? text : `<?xml version="1.0" encoding="UTF-8"?>\n${text}`, missing };
}

// ---------------------------------------------------------------- enrolment
// pkijs pitfall: pushing onto typesAndValues makes ONE multi-valued RDN;
// one SET per attribute instead
function distinguishedName(pairs) {
  const seq = new asn1js.Sequence({ value: pairs.map(([type, value]) => new asn1js.Set({ value: [
    new pkijs.AttributeTypeAndValue({ type, value: type === OID.serialNumber
      ? new asn1js.PrintableString({ value }) : new asn1js.Utf8String({ value }) }).toSchema()] })) });
  return pkijs.RelativeDistinguishedNames.fromBER(seq.toBER(false));
}

/** A P-256 key pair (extractable only so that it can go into the .p12) and
 * a signed PKCS#10 request whose subject serialNumber names the invited
 * organisation (the server sets the certificate's subject itself). */
export async function generateKeyAndCsr({ organisation, commonName }) {
  if (!/^[0-9]{13}$|^[a-z][a-z0-9-]{1,31}$/.test(organisation || '')) fail('organisation_invalid', `"${organisation}" is not a Corporate Number or an internal id`);
  const keyPair = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const csr = new pkijs.CertificationRequest();
  csr.version = 0;
  csr.subject = distinguishedName([[OID.serialNumber, organisation], [OID.cn, commonName || organisation]]);
  await csr.subjectPublicKeyInfo.importKey(keyPair.publicKey);
  const exts = new pkijs.Extensions({ extensions: [
    // digitalSignature, nonRepudiation
    new pkijs.Extension({ extnID: '2.5.29.15', critical: true, extnValue: new asn1js.BitString({ valueHex: new Uint8Array([0xc0]).buffer, unusedBits: 6 }).toBER(false) }),
    // clientAuth, emailProtection
    new pkijs.Extension({ extnID: '2.5.29.37', critical: false, extnValue: new pkijs.ExtKeyUsage({ keyPurposes: ['1.3.6.1.5.5.7.3.2', '1.3.6.1.5.5.7.3.4'] }).toSchema().toBER(false) }),
  ] });
  csr.attributes = [new pkijs.Attribute({ type: OID.extensionRequest, values: [exts.toSchema()] })];
  await csr.sign(keyPair.privateKey, 'SHA-256');
  const csrDer = der(csr);
  return { keyPair, csrDer, csrPem: pem('CERTIFICATE REQUEST', csrDer) };
}

/** A .p12 as OpenSSL 3 writes them: PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC)
 * for the key and the certificates, an HMAC-SHA256 MAC, localKeyId =
 * SHA-1 of the certificate (what OpenSSL uses), the friendly name. */
export async function buildP12(privateKey, certDer, chainDers, passphrase, friendlyName = 'itaku', iterations = 100000) {
  if (!passphrase || [...passphrase].length < 8) fail('passphrase_short', 'the passphrase must have at least 8 characters');
  const pwd = ab(enc.encode(passphrase));
  const pki = pkijs.PrivateKeyInfo.fromBER(await subtle.exportKey('pkcs8', privateKey));
  const cert = pkijs.Certificate.fromBER(ab(certDer));
  const lkid = await subtle.digest('SHA-1', ab(certDer));
  const attrs = () => [
    new pkijs.Attribute({ type: OID.friendlyName, values: [new asn1js.BmpString({ value: friendlyName })] }),
    new pkijs.Attribute({ type: OID.localKeyId, values: [new asn1js.OctetString({ valueHex: lkid })] }),
  ];
  const certBag = (c, a) => new pkijs.SafeBag({ bagId: OID.certBag, bagValue: new pkijs.CertBag({ parsedValue: c }), ...(a ? { bagAttributes: a } : {}) });
  const pfx = new pkijs.PFX({ parsedValue: { integrityMode: 0, authenticatedSafe: new pkijs.AuthenticatedSafe({ parsedValue: { safeContents: [
    { privacyMode: 0, value: new pkijs.SafeContents({ safeBags: [new pkijs.SafeBag({ bagId: OID.shroudedKeyBag, bagValue: new pkijs.PKCS8ShroudedKeyBag({ parsedValue: pki }), bagAttributes: attrs() })] }) },
    { privacyMode: 1, value: new pkijs.SafeContents({ safeBags: [certBag(cert, attrs()), ...(chainDers || []).map((d) => certBag(pkijs.Certificate.fromBER(ab(d))))] }) },
  ] } }) } });
  const pbes2 = { password: pwd, contentEncryptionAlgorithm: { name: 'AES-CBC', length: 256 }, hmacHashAlgorithm: 'SHA-256', iterationCount: iterations };
  await pfx.parsedValue.authenticatedSafe.parsedValue.safeContents[0].value.safeBags[0].bagValue.makeInternalValues(pbes2);
  await pfx.parsedValue.authenticatedSafe.makeInternalValues({ safeContents: [{}, pbes2] });
  await pfx.makeInternalValues({ password: pwd, iterations, pbkdf2HashAlgorithm: 'SHA-256', hmacHashAlgorithm: 'SHA-256' });
  return u8(pfx.toSchema().toBER(false));
}

// ---------------------------------------------------------------- requests
// Same origin, the browser's own client certificate; the answers of the
// API ({"error": {"code", "message", "detail"}}) come back as they are.
async function call(path, init) {
  const r = await fetch(path, { credentials: 'same-origin', cache: 'no-store', ...init });
  const type = r.headers.get('Content-Type') || '';
  const body = type.startsWith('application/json') ? await r.json() : await r.text();
  return { status: r.status, body };
}

/** POST /api/v1/submissions with the package bytes. */
export const submitPackage = (zip) => call('/api/v1/submissions', {
  method: 'POST', headers: { 'Content-Type': MIMETYPE }, body: zip,
});

/** POST /api/v1/enrol {token, campaign, csr}. */
export const enrol = (token, campaign, csrPem) => call('/api/v1/enrol', {
  method: 'POST', headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ token, campaign: String(campaign), csr: csrPem }),
});

/** GET of an API path (template, assignments, whoami). */
export const get = (path) => call(path, { method: 'GET' });
