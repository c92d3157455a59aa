// Security > API > Trusted Origins in a real browser (headless Chromium driven by playwright-core,
// see ../browser.mjs), on the demo org (`serve --demo`) as its admin: add an origin by label, see
// the browser's CORS preflight from it succeed, edit it, deactivate it (the preflight fails),
// delete it; a refused origin URL is explained next to its field. Every page visited has no
// axe-core violations, at desktop width and at 360 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { checkAxeAt, go, signInToConsole } from '../console-pages.mjs';
import { startTollgate } from '../harness.mjs';
import { admin, defineBrowserTests, launchBrowser, newPage as openPage, outDir, skip } from '../browser.mjs';

/** The demo admin's password, as `serve --demo` prints it. */
const DEMO_ADMIN_PASSWORD = 'Demo-Super-2026';
const SPA = 'https://spa.example.com';

let server;
let browser;

/** The demo admin's login: `admin@` and the host of the public URL, as the banner prints it. */
const demoAdmin = () => `admin@${new URL(server.base).hostname}`;

/** The status of a CORS preflight from the SPA to the org authorization server's keys. */
async function preflight() {
  const resp = await fetch(`${server.base}/oauth2/v1/keys`, {
    method: 'OPTIONS',
    headers: { origin: SPA, 'access-control-request-method': 'GET' },
  });
  return resp.status;
}

/** The origin named `name`, as the API reads it (or undefined). */
async function originNamed(name) {
  const all = await admin(server, 'GET', '/api/v1/trustedOrigins');
  return all.find((o) => o.name === name);
}

if (defineBrowserTests()) {
  before(async () => {
    if (skip) return;
    server = await startTollgate(['--demo']);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('Trusted Origins: add an origin, edit it, deactivate it and delete it', { skip, timeout: 180_000 }, async () => {
    const { context, page } = await openPage(browser, server);
    try {
      await signInToConsole(page, server, demoAdmin(), DEMO_ADMIN_PASSWORD);
      await go(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Trusted Origins' }));
      assert.equal(await page.getByRole('heading', { level: 1, name: 'Trusted Origins' }).count(), 1);
      await checkAxeAt(page, 'Trusted Origins (empty)');

      await go(page, page.getByRole('button', { name: 'Add Origin' }));
      assert.equal(await page.getByRole('heading', { level: 1, name: 'Add Origin' }).count(), 1);
      await checkAxeAt(page, 'Add Origin');
      await page.getByLabel('Name').fill('My SPA');
      await page.getByLabel('Origin URL').fill(`${SPA}/callback`);
      await page.getByLabel('CORS').check();
      await go(page, page.getByRole('button', { name: 'Save' }));
      // The API's refusal, next to its field.
      assert.equal(await page.getByLabel('Origin URL').getAttribute('aria-invalid'), 'true');
      assert.match(await page.locator('#f-origin-error').innerText(), /scheme and a host/);
      await checkAxeAt(page, 'Add Origin with a refused URL');
      await page.getByLabel('Origin URL').fill(SPA);
      await page.getByLabel('Redirect').check();
      await go(page, page.getByRole('button', { name: 'Save' }));
      assert.match(await page.getByRole('status').innerText(), /Origin added/);
      const row = page.getByRole('row', { name: /My SPA/ });
      assert.match(await row.innerText(), /CORS, Redirect/);
      assert.equal(await preflight(), 204, 'the new origin may make CORS calls at once');
      const added = await originNamed('My SPA');
      assert.equal(added.status, 'ACTIVE');
      await page.screenshot({ path: `${outDir}console-trusted-origins.png`, fullPage: true });
      await checkAxeAt(page, 'Trusted Origins with an origin');

      await go(page, page.getByRole('link', { name: 'Edit My SPA' }));
      assert.equal(await page.getByLabel('CORS').isChecked(), true);
      await checkAxeAt(page, 'Edit Origin');
      await page.getByLabel('Name').fill('My SPA app');
      await page.getByLabel('iFrame embed').check();
      await go(page, page.getByRole('button', { name: 'Save' }));
      assert.match(await page.getByRole('status').innerText(), /Origin saved/);
      const edited = await originNamed('My SPA app');
      assert.deepEqual(edited.scopes.map((s) => s.type), ['CORS', 'REDIRECT', 'IFRAME_EMBED']);

      await go(page, page.getByRole('button', { name: 'Deactivate My SPA app' }));
      assert.match(await page.getByRole('status').innerText(), /Origin deactivated/);
      assert.match(await page.getByRole('row', { name: /My SPA app/ }).innerText(), /Inactive/);
      assert.equal(await preflight(), 403, 'a deactivated origin may not make CORS calls');
      await checkAxeAt(page, 'Trusted Origins with an inactive origin');

      await go(page, page.getByRole('button', { name: 'Delete My SPA app' }));
      assert.match(await page.getByRole('status').innerText(), /Origin deleted/);
      assert.equal(await page.getByRole('row', { name: /My SPA app/ }).count(), 0);
      assert.equal(await originNamed('My SPA app'), undefined);
      await page.screenshot({ path: `${outDir}console-trusted-origins-phone.png`, fullPage: true });
    } finally {
      await context.close();
    }
  });
}
