// lib.mjs — helpers of the browser tests. run.sh starts the instance and
// itakud and passes them in the environment (INST, PORT, ITAKU, W). A
// browser here is Debian's chromium in a throw-away profile whose NSS
// database holds at most one client certificate, picked by the seeded
// auto_select_certificate content setting: Chromium's own TLS stack
// presents it (playwright's clientCertificates would be Node's TLS).
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

export const INST = process.env.INST;
export const PORT = process.env.PORT;
export const W = process.env.W;
export const ITAKU = process.env.ITAKU;
export const ORIGIN = `https://127.0.0.1:${PORT}`;
export const CA = `${INST}/pki/ca.crt`;
export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const T = 10000; // every navigation and wait: a hang is a failure, fast

export const ORGS = { admin: '8999900000001', 'resp-ec': '7999900000002', 'resp-rsa': '6999900000003' };

export const sh = (cmd, args, opts = {}) =>
  execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
export const sh2 = (cmd, args) => { const r = spawnSync(cmd, args, { encoding: 'utf8' }); return { status: r.status, out: `${r.stdout}${r.stderr}` }; };
export const sql = (q) => sh('sqlite3', [`${INST}/itaku.db`, q]).trim();
export const sha256 = (b) => crypto.createHash('sha256').update(b).digest('hex');

/** The bundle's URL path, from the one file in core/web/static/. */
export function bundleUrl() {
  const f = fs.readdirSync(`${ROOT}/core/web/static`).filter((n) => /^portal\.[0-9a-f]{12}\.js$/.test(n));
  if (f.length !== 1) throw new Error(`expected one portal bundle, found ${f}`);
  return `/static/${f[0]}`;
}

/** curl as an organisation (its client.crt/key from the instance), JSON back. */
export function api(who, method, p, body) {
  const org = ORGS[who] || who;
  const args = ['-sS', '-o', `${W}/curl.out`, '-w', '%{http_code}', '--cacert', CA, '-X', method,
    '--cert', `${INST}/pki/${org}/client.crt`, '--key', `${INST}/pki/${org}/client.key`];
  if (body !== undefined) args.push('-H', 'Content-Type: application/json', '--data-binary', JSON.stringify(body));
  const status = Number(sh('curl', [...args, `${ORIGIN}${p}`]));
  const text = fs.readFileSync(`${W}/curl.out`, 'utf8');
  let json = null; try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status, json, text };
}

/** A .p12 of an organisation's client.crt/key, OpenSSL 3 defaults. */
export function orgP12(org, pass, name) {
  const out = `${W}/${name}.p12`;
  sh('openssl', ['pkcs12', '-export', '-inkey', `${INST}/pki/${org}/client.key`, '-in', `${INST}/pki/${org}/client.crt`,
    '-certfile', CA, '-name', name, '-passout', `pass:${pass}`, '-out', out]);
  return out;
}

/** A .p12 of any cert/key pair. */
export function p12Of(crt, key, pass, name) {
  const out = `${W}/${name}.p12`;
  sh('openssl', ['pkcs12', '-export', '-inkey', key, '-in', crt, '-certfile', CA, '-name', name,
    '-passout', `pass:${pass}`, '-out', out]);
  return out;
}

/** Launches chromium on a fresh profile. p12 (with pass): the one client
 * certificate in its NSS db, auto-selected for ORIGIN by its issuer; none:
 * an empty db, so Chromium goes on without one. The instance CA is the
 * trust anchor for the server certificate (no ignoreHTTPSErrors). locale:
 * the browser's language (its Accept-Language), e.g. 'ja-JP'. */
export async function launch({ p12, pass, locale } = {}) {
  const root = fs.mkdtempSync(`${W}/profile-`); // each test file is a process of its own
  const home = `${root}/home`; const db = `${home}/.pki/nssdb`; const profile = `${root}/chromium`;
  fs.mkdirSync(db, { recursive: true });
  sh('certutil', ['-N', '-d', `sql:${db}`, '--empty-password']);
  sh('certutil', ['-A', '-d', `sql:${db}`, '-n', 'itaku-ca', '-t', 'CT,C,C', '-i', CA]);
  if (p12) sh('pk12util', ['-i', p12, '-d', `sql:${db}`, '-W', pass]);
  fs.mkdirSync(`${profile}/Default`, { recursive: true });
  const select = { [`${ORIGIN},*`]: { setting: { filters: [{ ISSUER: { CN: 'itaku instance CA' } }] } } };
  fs.writeFileSync(`${profile}/Default/Preferences`,
    JSON.stringify({ profile: { content_settings: { exceptions: { auto_select_certificate: select } } } }));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, timeout: T,
    args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    env: { ...process.env, HOME: home }, // Chromium on Linux opens $HOME/.pki/nssdb
    ...(locale ? { locale } : {}), // Accept-Language, as the user's browser sends it
  });
  ctx.setDefaultTimeout(T);
  ctx.setDefaultNavigationTimeout(T);
  const page = ctx.pages()[0] || await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { ctx, page, errors, close: () => ctx.close() };
}

/** GET a path in the page: status and body text (a JSON page). */
export async function open(page, p) {
  const r = await page.goto(`${ORIGIN}${p}`);
  return { status: r.status(), text: (await page.textContent('body')).trim() };
}

/** A same-origin page of itakud with the portal bundle loaded. */
export async function withBundle(page) {
  await page.goto(`${ORIGIN}/healthz`);
  await page.addScriptTag({ url: bundleUrl() });
  await page.waitForFunction(() => typeof globalThis.itaku === 'object');
}

export const b64 = (buf) => Buffer.from(buf).toString('base64');

/** Unzips a package into dir; the central directory's entries: name, method, flags. */
export function unpack(file, dir) {
  fs.rmSync(dir, { recursive: true, force: true }); fs.mkdirSync(dir, { recursive: true });
  sh('unzip', ['-q', file, '-d', dir]);
  const z = fs.readFileSync(file);
  const eocd = z.length - 22;
  let at = z.readUInt32LE(eocd + 16); const n = z.readUInt16LE(eocd + 10); const out = [];
  for (let i = 0; i < n; i++) {
    const nl = z.readUInt16LE(at + 28); const el = z.readUInt16LE(at + 30); const cl = z.readUInt16LE(at + 32);
    out.push({ name: z.subarray(at + 46, at + 46 + nl).toString('utf8'), flags: z.readUInt16LE(at + 8) & ~0x6, method: z.readUInt16LE(at + 10), extra: el });
    at += 46 + nl + el + cl;
  }
  return out;
}

/** Stock openssl on a package: CMS and CAdES (signing-certificate-v2). */
export function opensslVerify(dir) {
  return sh2('openssl', ['cms', '-verify', '-cades', '-binary', '-inform', 'DER', '-in', `${dir}/META-INF/signature.p7s`,
    '-content', `${dir}/META-INF/ASiCManifest.xml`, '-CAfile', CA, '-purpose', 'any', '-out', '/dev/null']);
}

/** A campaign in which resp-ec declared sub as its subcontractor (an
 * accepted package) and the admin invited it: {cid, token, link}. */
export function invitedSubcontractor(sub) {
  const SUB = sub;
  let r = api('admin', 'POST', '/api/v1/campaigns', { name: 'browser enrolment', questionnaire: 'ipa-benchmark@1', due: '2099-06-30' });
  assert.equal(r.status, 201, r.text);
  const cid = r.json.id;
  r = api('admin', 'POST', `/api/v1/campaigns/${cid}/assignments`, { organisation: ORGS['resp-ec'] });
  assert.equal(r.status, 201, r.text);
  const aid = r.json.id;
  r = api('resp-ec', 'GET', `/api/v1/assignments/${aid}/template`);
  assert.equal(r.status, 200, r.text);
  const xml = r.text.replace(/level=""/g, 'level="3"').replace('<subcontractors/>',
    `<subcontractors><subcontractor id="${SUB}" personal-data="true" confidential-data="false"><name>楓ブラウザ株式会社</name><scope>保守</scope></subcontractor></subcontractors>`);
  fs.writeFileSync(`${W}/vendor.xml`, xml);
  const org = ORGS['resp-ec'];
  sh(ITAKU, ['pack', '--answers', `${W}/vendor.xml`, '--cert', `${INST}/pki/${org}/client.crt`, '--key', `${INST}/pki/${org}/client.key`, '-o', `${W}/vendor.asice`]);
  const up = sh('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '--cacert', `${INST}/pki/ca.crt`, '--cert', `${INST}/pki/${org}/client.crt`,
    '--key', `${INST}/pki/${org}/client.key`, '-H', 'Content-Type: application/vnd.etsi.asic-e+zip', '--data-binary', `@${W}/vendor.asice`,
    `https://127.0.0.1:${process.env.PORT}/api/v1/submissions`]);
  assert.equal(up, '201');
  r = api('admin', 'POST', `/api/v1/campaigns/${cid}/invitations`, { organisation: SUB });
  assert.equal(r.status, 201, r.text);
  return { cid, token: r.json.token, link: r.json.link };
}

/** Answers assignment aid in the portal as a respondent would: the answer
 * page, item i at level (i % 5) + 1 (or level(i, id) when given), signed in
 * the browser with the .p12 and submitted; waits for the acceptance. */
export async function answerInPortal(page, aid, p12, pass, level) {
  await page.goto(`${ORIGIN}/assignments/${aid}`);
  await page.waitForSelector('#sign-browser:not([hidden])');
  const ids = await page.$$eval('fieldset[id^="item-"]', (fs) => fs.map((f) => f.id.slice(5)));
  for (const [i, id] of ids.entries()) await page.check(`[id="l-${id}-${level ? level(i, id) : (i % 5) + 1}"]`);
  await page.setInputFiles('#sign-p12', p12);
  await page.fill('#sign-pass', pass);
  await page.click('#sign-submit');
  await page.waitForFunction(() => !document.getElementById('sign-submit').disabled &&
    /受理されました|accepted/i.test(document.getElementById('sign-result').textContent), null, { timeout: T });
  return ids;
}
