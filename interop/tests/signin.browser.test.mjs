// The hosted sign-in page in a real browser: headless Chromium driven by playwright-core (see
// ../browser.mjs). An OIDC web app's authorize request lands on the sign-in page, a wrong password
// shows an error, the right one starts a session and sends the browser back to the app's redirect
// URI. The app lives at https://example.com, which the tests answer inside the browser: nothing
// leaves the machine. Screenshots go to interop/test-output/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTollgate } from '../harness.mjs';
import { CALLBACK, LOGIN, PASSWORD, authorizeUrl, defineBrowserTests, launchBrowser, newPage as openPage, outDir, seedSignIn, skip, submit } from '../browser.mjs';

let server;
let browser;
let fixture = {};

const newPage = (options) => openPage(browser, server, options);

if (defineBrowserTests()) {
  before(async () => {
    if (skip) return;
    server = await startTollgate();
    fixture = await seedSignIn(server);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the authorize request shows an accessible sign-in page; a wrong password shows an alert', { skip, timeout: 120_000 }, async () => {
    const { context, page, seen } = await newPage();
    try {
      const shown = await page.goto(authorizeUrl(server, fixture.clientId));
      // authorize answered 302 to the sign-in page, which carries the request along.
      const hop = shown.request().redirectedFrom();
      assert.ok(hop, 'authorize redirected to the sign-in page');
      assert.equal((await hop.response()).status(), 302);
      assert.equal(new URL(hop.url()).pathname, '/oauth2/default/v1/authorize');
      const here = new URL(page.url());
      assert.equal(here.pathname, '/login');
      assert.match(here.searchParams.get('fromURI'), /^\/oauth2\/default\/v1\/authorize\?.*state=myState/);
      assert.equal(shown.status(), 200);
      assert.equal(shown.headers()['x-frame-options'], 'DENY');

      await page.screenshot({ path: `${outDir}signin-page.png`, fullPage: true });

      // What a person (and a screen reader) finds on it.
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      assert.match(await page.title(), /Sign in/);
      assert.equal(await page.getByRole('heading', { level: 1, name: 'Sign in' }).count(), 1);
      assert.ok(await page.getByText('Acme Corp', { exact: true }).isVisible(), 'the org name is shown');
      const username = page.getByLabel('Username');
      const password = page.getByLabel('Password');
      assert.equal(await username.getAttribute('id'), 'username');
      assert.equal(await username.getAttribute('autocomplete'), 'username');
      assert.equal(await password.getAttribute('type'), 'password');
      assert.equal(await password.getAttribute('autocomplete'), 'current-password');
      assert.equal(await page.getByRole('textbox', { name: 'Username' }).count(), 1);
      const button = page.getByRole('button', { name: 'Sign in' });
      assert.ok(await button.isVisible());
      assert.equal(await page.getByRole('alert').count(), 0, 'no error before a try');
      // The cursor starts in the username field; Tab walks username -> password -> the
      // show-password toggle (right after the field it controls) -> the button.
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'username');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'password');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'show-password');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Sign in');

      await username.fill(LOGIN);
      await password.fill('Wrong-Pass-1');
      const wrong = await submit(page, () => button.click());
      assert.equal(wrong.status(), 401);
      await page.waitForLoadState();
      const error = page.locator('#error');
      assert.ok(await error.isVisible(), 'the error is shown');
      assert.equal(await error.getAttribute('role'), 'alert');
      assert.match(await page.getByRole('alert').innerText(), /^Unable to sign in\b/);
      assert.equal(await page.getByLabel('Username').inputValue(), LOGIN, 'the username is kept');
      assert.equal(await page.getByLabel('Password').inputValue(), '', 'the password is not echoed back');
      // Both fields are marked invalid and described by the error (a screen reader reads it
      // with the field); the cursor waits in the password field.
      for (const field of ['username', 'password']) {
        const described = await page.evaluate((id) => {
          const el = document.getElementById(id);
          return { invalid: el.getAttribute('aria-invalid'), description: document.getElementById(el.getAttribute('aria-describedby'))?.textContent };
        }, field);
        assert.equal(described.invalid, 'true', field);
        assert.match(described.description, /^Unable to sign in\b/, field);
      }
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'password');
      assert.equal(new URL(page.url()).pathname, '/login');
      assert.ok(!(await context.cookies(server.base)).some((c) => c.name === 'sid'), 'no session after a wrong password');
      await page.screenshot({ path: `${outDir}signin-error.png`, fullPage: true });

      // Now the right password, from the error page: a session, then back to the client.
      await page.getByLabel('Password').fill(PASSWORD);
      const [ok] = await Promise.all([
        submit(page, () => page.getByRole('button', { name: 'Sign in' }).click()),
        page.waitForURL((u) => u.href.startsWith(`${CALLBACK}?`)),
      ]);
      assert.equal(ok.status(), 303);
      assert.match(ok.headers().location, /^\/oauth2\/default\/v1\/authorize\?/);
      assert.match((await ok.headerValue('set-cookie')) || '', /(^|\n)sid=/);
      await checkBackAtClient(page, context, seen);
      assert.equal(await page.evaluate(() => document.cookie.includes('sid=')), false, 'scripts cannot read the session cookie');
      assert.deepEqual(seen.foreign, [], 'the pages load nothing from other origins');
      assert.deepEqual(seen.csp, [], 'nothing was blocked by the Content-Security-Policy');
    } finally {
      await context.close();
    }
  });

  test('signing in works with JavaScript disabled (dark colour scheme, Enter submits)', { skip, timeout: 120_000 }, async () => {
    const { context, page, seen } = await newPage({ javaScriptEnabled: false, colorScheme: 'dark' });
    try {
      await page.goto(authorizeUrl(server, fixture.clientId));
      assert.equal(new URL(page.url()).pathname, '/login');
      await page.screenshot({ path: `${outDir}signin-page-dark.png`, fullPage: true });
      // Without JavaScript the show-password toggle stays hidden (and out of the tab order).
      assert.equal(await page.locator('#show-password').isVisible(), false);
      assert.equal(await page.getByRole('button').count(), 1, 'only "Sign in"');
      await page.getByLabel('Username').fill(LOGIN);
      await page.getByLabel('Password').fill('Wrong-Pass-1');
      const wrong = await submit(page, () => page.getByLabel('Password').press('Enter'));
      assert.equal(wrong.status(), 401);
      await page.waitForLoadState();
      assert.match(await page.getByRole('alert').innerText(), /^Unable to sign in\b/);
      await page.screenshot({ path: `${outDir}signin-error-dark.png`, fullPage: true });
      await page.getByLabel('Password').fill(PASSWORD);
      const [ok] = await Promise.all([
        submit(page, () => page.getByLabel('Password').press('Enter')),
        page.waitForURL((u) => u.href.startsWith(`${CALLBACK}?`)),
      ]);
      assert.equal(ok.status(), 303);
      await checkBackAtClient(page, context, seen);
      assert.deepEqual(seen.foreign, [], 'the pages load nothing from other origins');
    } finally {
      await context.close();
    }
  });
}

/** The browser was sent to the client's redirect URI, signed in, with the request's state. */
async function checkBackAtClient(page, context, seen) {
  const url = new URL(page.url());
  assert.equal(`${url.origin}${url.pathname}`, CALLBACK);
  assert.ok(seen.callbacks.some((u) => u.href === url.href), 'the callback was answered locally, not fetched');
  assert.equal(await page.getByRole('heading', { name: 'Back at the client' }).count(), 1);
  const p = url.searchParams;
  assert.equal(p.get('state'), 'myState');
  assert.equal(p.get('iss'), `${server.base}/oauth2/default`);
  assert.ok(!['login_required', 'access_denied', 'interaction_required'].includes(p.get('error')), `signed in and allowed: ${url}`);
  // Either a code, or (until token issuance exists) the honest temporarily_unavailable.
  assert.ok(p.has('code') !== p.has('error'), `exactly one of code and error: ${url}`);
  if (p.has('error')) assert.equal(p.get('error'), 'temporarily_unavailable', `${url}`);

  const sid = (await context.cookies(server.base)).find((c) => c.name === 'sid');
  assert.ok(sid, 'the browser holds a session cookie for the server');
  assert.equal(sid.httpOnly, true);
  assert.equal(sid.sameSite, 'Lax');
  assert.equal(sid.secure, false, 'plain http: no Secure flag, or the browser would drop it');
  assert.equal(sid.domain, new URL(server.base).hostname);

  const me = await context.request.get(`${server.base}/api/v1/sessions/me`, { headers: { accept: 'application/json' } });
  assert.equal(me.status(), 200, await me.text());
  const session = await me.json();
  assert.equal(session.login, LOGIN);
  assert.equal(session.userId, fixture.userId);
  assert.equal(session.status, 'ACTIVE');
}
