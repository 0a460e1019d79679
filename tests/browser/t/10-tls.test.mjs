// Chromium's own TLS stack presents the client certificate (NSS db +
// auto-select), and the server, not the handshake, decides: a registered
// respondent is known, no certificate and an unregistered one get the
// server's refusal as a page (never a TLS failure or a hang).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, orgP12, p12Of, ORGS, INST, sh, W } from '../lib.mjs';

test('(a) the registered respondent\'s certificate: whoami names the organisation', async () => {
  const b = await launch({ p12: orgP12(ORGS['resp-ec'], 'resp-ec pass', 'resp-ec'), pass: 'resp-ec pass' });
  try {
    const r = await open(b.page, '/api/v1/whoami');
    assert.equal(r.status, 200, r.text);
    const who = JSON.parse(r.text);
    assert.equal(who.organisation, ORGS['resp-ec']);
    assert.equal(who.role, 'respondent');
  } finally { await b.close(); }
});

test('(b) no certificate: 401 cert_required from the server', async () => {
  const b = await launch();
  try {
    const r = await open(b.page, '/api/v1/whoami');
    assert.equal(r.status, 401, r.text);
    assert.equal(JSON.parse(r.text).error.code, 'cert_required');
    // the public parts still answer
    assert.equal((await open(b.page, '/healthz')).status, 200);
  } finally { await b.close(); }
});

test('(b) a certificate of the instance CA that no organisation holds: 403 cert_unregistered', async () => {
  sh('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=nobody',
    '-keyout', `${W}/nobody.key`, '-out', `${W}/nobody.csr`]);
  sh('bash', ['-c', `printf 'basicConstraints=critical,CA:FALSE\\nkeyUsage=critical,digitalSignature,nonRepudiation\\nextendedKeyUsage=clientAuth,emailProtection\\n' > ${W}/nobody.ext`]);
  sh('openssl', ['x509', '-req', '-in', `${W}/nobody.csr`, '-CA', `${INST}/pki/ca.crt`, '-CAkey', `${INST}/pki/ca.key`,
    '-CAcreateserial', '-days', '2', '-sha256', '-extfile', `${W}/nobody.ext`, '-out', `${W}/nobody.crt`]);
  const b = await launch({ p12: p12Of(`${W}/nobody.crt`, `${W}/nobody.key`, 'nobody pass', 'nobody'), pass: 'nobody pass' });
  try {
    const r = await open(b.page, '/api/v1/whoami');
    assert.equal(r.status, 403, r.text);
    assert.equal(JSON.parse(r.text).error.code, 'cert_unregistered');
  } finally { await b.close(); }
});
