// A forgotten password recovered through real e-mail: Tollgate sends to a real SMTP server
// (aiosmtpd, ../python/smtp_sink.py) that these tests start, and Chromium follows the hosted
// pages: "Forgot password?" on the sign-in page, the e-mail, its link to the reset page, and a
// sign-in with the new password that returns to the app. A second server sends over STARTTLS
// with authentication (certificate from `tollgate dev-cert`) when Okta's Node SDK asks for an
// admin reset with sendEmail=true.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import axe from 'axe-core';
import okta from '@okta/okta-sdk-nodejs';
import { startTollgate } from '../harness.mjs';
import { CALLBACK, LOGIN, PASSWORD, authorizeUrl, defineBrowserTests, launchBrowser, newPage as openPage, outDir, seedSignIn, skip, submit } from '../browser.mjs';

const here = new URL('.', import.meta.url).pathname;
const python = resolve(here, '../python/.venv/bin/python');
const sinkScript = resolve(here, '../python/smtp_sink.py');
const FROM = 'Acme Corp <noreply@acme.example>';
const NEW_PASSWORD = 'Recovered-2027';

/** Starts smtp_sink.py with `args`; its port, the directory it writes to, and a stopper. */
async function startSink(args = []) {
  assert.ok(existsSync(python), `no Python venv at ${python}: python3 -m venv interop/python/.venv && pip install -r interop/python/requirements.txt`);
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-smtp-'));
  const child = spawn(python, [sinkScript, dir, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('the SMTP server did not start within 20 s')), 20_000);
    child.once('exit', (code) => fail(new Error(`the SMTP server exited with ${code}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = line.match(/^listening on (\d+)$/);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    });
  });
  return {
    port,
    dir,
    async stop() {
      const done = new Promise((ok) => child.once('exit', ok));
      child.kill('SIGTERM');
      await done;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits for message number `n` (1-based) at the sink; its record. */
async function message(sink, n) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const files = readdirSync(sink.dir).filter((f) => f.endsWith('.json')).sort();
    if (files.length >= n) return JSON.parse(readFileSync(join(sink.dir, files[n - 1]), 'utf8'));
    assert.ok(Date.now() < deadline, `no message number ${n} at the SMTP server within 20 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The one http(s) link on a line of its own in a message. */
function linkIn(record) {
  const body = record.data.replace(/=\r?\n/g, '');
  const links = body.split(/\r?\n/).map((l) => l.trim()).filter((l) => /^https?:\/\//.test(l));
  assert.equal(links.length, 1, body);
  return links[0];
}

function header(record, name) {
  const m = record.data.match(new RegExp(`^${name}: (.*)$`, 'mi'));
  return m ? m[1].trim() : undefined;
}

async function assertAccessible(page, what) {
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'], rules: { 'target-size': { enabled: true } } });
    return result.violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(violations, [], `axe-core on ${what}`);
}

let sink;
let server;
let browser;
let fixture = {};

if (defineBrowserTests()) {
  before(async () => {
    if (skip) return;
    sink = await startSink();
    server = await startTollgate(['--smtp-host', '127.0.0.1', '--smtp-port', sink.port, '--smtp-security', 'none', '--smtp-from', FROM]);
    fixture = await seedSignIn(server);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await sink?.stop();
  });

  test('forgot password on the sign-in page, the e-mail, the reset page, and back into the app', { skip, timeout: 120_000 }, async () => {
    const { context, page, seen } = await openPage(browser, server);
    try {
      await page.goto(authorizeUrl(server, fixture.clientId));
      await page.getByRole('link', { name: 'Forgot password?' }).click();
      assert.equal(new URL(page.url()).pathname, '/signin/forgot-password');
      assert.equal(await page.getByRole('heading', { level: 1, name: 'Reset password' }).count(), 1);
      await assertAccessible(page, 'the forgot-password page');
      await page.getByLabel('Username').fill(LOGIN);
      await page.getByRole('button', { name: 'Reset via email' }).click();
      assert.ok(await page.getByRole('heading', { name: 'Email sent!' }).isVisible());
      await assertAccessible(page, 'the e-mail sent page');
      await page.screenshot({ path: `${outDir}recovery-email-sent.png`, fullPage: true });

      const mail = await message(sink, 1);
      assert.deepEqual(mail.rcpt_tos, [LOGIN]);
      assert.equal(mail.mail_from, 'noreply@acme.example');
      assert.equal(header(mail, 'Subject'), 'Reset your Acme Corp password');
      assert.match(header(mail, 'From'), /noreply@acme\.example/);
      const link = linkIn(mail);
      assert.ok(link.startsWith(`${server.base}/signin/reset-password/`), link);

      await page.goto(link);
      assert.equal(await page.getByRole('heading', { level: 1, name: 'Reset your password' }).count(), 1);
      await assertAccessible(page, 'the reset page');
      await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
      await page.getByLabel('Repeat the new password').fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Reset password' }).click();
      assert.ok(await page.getByRole('heading', { name: 'Your password has been reset' }).isVisible());

      // The link worked once.
      const again = await page.goto(link);
      assert.equal(again.status(), 404);

      // The old password no longer signs in; the new one returns to the app with a code.
      await page.goto(authorizeUrl(server, fixture.clientId));
      await page.getByLabel('Username').fill(LOGIN);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      const refused = await submit(page, () => page.getByRole('button', { name: 'Sign in' }).click());
      assert.equal(refused.status(), 401);
      await page.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
      await submit(page, () => page.getByRole('button', { name: 'Sign in' }).click());
      await page.waitForURL((u) => u.href.startsWith(CALLBACK));
      assert.ok(new URL(page.url()).searchParams.get('code'), page.url());
      assert.deepEqual(seen.foreign, [], 'the pages load nothing from elsewhere');
      assert.deepEqual(seen.csp, []);
    } finally {
      await context.close();
    }
  });
}

test('an admin reset through the Node SDK is e-mailed over STARTTLS with authentication', { timeout: 120_000 }, async () => {
  const certDir = mkdtempSync(join(tmpdir(), 'tollgate-smtp-cert-'));
  let tlsSink;
  let tlsServer;
  try {
    const bin = process.env.TOLLGATE_BIN || resolve(here, '../../target/debug/tollgate');
    execFileSync(bin, ['dev-cert', '--dir', certDir], { stdio: 'ignore' });
    tlsSink = await startSink(['--starttls', join(certDir, 'localhost.pem'), join(certDir, 'localhost-key.pem'), '--auth', 'mailer:s3cret-pass']);
    process.env.TOLLGATE_SMTP_PASSWORD = 's3cret-pass';
    try {
      tlsServer = await startTollgate(['--smtp-host', '127.0.0.1', '--smtp-port', tlsSink.port, '--smtp-security', 'starttls',
        '--smtp-ca-file', join(certDir, 'ca.pem'), '--smtp-username', 'mailer', '--smtp-from', FROM]);
    } finally {
      delete process.env.TOLLGATE_SMTP_PASSWORD;
    }
    const client = new okta.Client({ orgUrl: tlsServer.base, token: tlsServer.token });
    const user = await client.userApi.createUser({
      body: { profile: { firstName: 'Tess', lastName: 'Mail', email: 'tess@acme.example', login: 'tess@acme.example' }, credentials: { password: { value: PASSWORD } } },
    });
    await client.userApi.generateResetPasswordToken({ userId: user.id, sendEmail: true });
    const mail = await message(tlsSink, 1);
    assert.equal(mail.tls, true, 'delivered over STARTTLS');
    assert.equal(mail.authenticated, true, 'delivered with AUTH');
    assert.deepEqual(mail.rcpt_tos, ['tess@acme.example']);
    assert.equal(header(mail, 'Subject'), 'Your Tollgate password has been reset');
    const link = linkIn(mail);
    assert.ok(link.startsWith(`${tlsServer.base}/reset_password/`), link);
    assert.equal((await fetch(link)).status, 200);
    assert.equal((await client.userApi.getUser({ userId: user.id })).status, 'RECOVERY');
  } finally {
    await tlsServer?.stop();
    await tlsSink?.stop();
    rmSync(certDir, { recursive: true, force: true });
  }
});
