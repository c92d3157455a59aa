// The console's operations pages in a real browser (headless Chromium driven by playwright-core,
// see ../browser.mjs): Reports > System Log (filter for a session start, expand an event to its
// JSON, and its live tail) and Security > API > Tokens (create one, use it against
// /api/v1/users), every control found by its label or role (Trusted Origins has its own file,
// console-origins.browser.test.mjs). axe-core checks each page at
// desktop and phone width. Screenshots go to interop/test-output/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTollgate } from '../harness.mjs';
import { checkAxe, seedConsoleAdmin } from '../console-pages.mjs';
import { PASSWORD, admin, defineBrowserTests, launchBrowser, newPage as openPage, outDir, skip } from '../browser.mjs';

const ADMIN = 'ada@acme.com';

let server;
let browser;

/** axe-core at desktop width, then at 360 px (with a screenshot of each), back to desktop. */
async function checkBothWidths(page, what, shot) {
  await checkAxe(page, what);
  await page.screenshot({ path: `${outDir}${shot}.png`, fullPage: true });
  await page.setViewportSize({ width: 360, height: 720 });
  await checkAxe(page, `${what} at 360 px`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${what} scrolls sideways at 360 px by ${overflow} px`);
  await page.screenshot({ path: `${outDir}${shot}-phone.png`, fullPage: true });
  await page.setViewportSize({ width: 800, height: 720 });
}

/** Clicks `control` and waits for the page it leads to. */
async function go(page, control) {
  await Promise.all([page.waitForEvent('load'), control.click()]);
}

/** A page signed in as the admin, at the console's start. */
async function signedIn() {
  const opened = await openPage(browser, server);
  const { page } = opened;
  await page.goto(`${server.base}/admin`);
  await page.getByLabel('Username').fill(ADMIN);
  await page.getByLabel('Password').fill(PASSWORD);
  await Promise.all([page.waitForURL((u) => u.pathname === '/admin/apps'), page.getByRole('button', { name: 'Sign in' }).click()]);
  return opened;
}

/** Nothing came from another origin and nothing was blocked by the CSP. */
function checkSeen(seen) {
  assert.deepEqual(seen.foreign, [], 'the console loads nothing from other origins');
  assert.deepEqual(seen.csp, [], 'nothing was blocked by the Content-Security-Policy');
}

if (defineBrowserTests()) {
  before(async () => {
    if (skip) return;
    server = await startTollgate();
    await seedConsoleAdmin(server, ADMIN);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('System Log: filter for a session start and expand the event to its JSON', { skip, timeout: 180_000 }, async () => {
    const { context, page, seen } = await signedIn();
    try {
      await go(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'System Log' }));
      assert.equal(await page.getByRole('heading', { level: 1, name: 'System Log' }).count(), 1);
      await checkBothWidths(page, 'System Log', 'console-system-log');

      await page.getByLabel('Filter').fill('eventType eq "user.session.start"');
      await go(page, page.getByRole('button', { name: 'Search' }));
      const rows = page.locator('table tbody tr');
      assert.ok((await rows.count()) >= 1, 'the sign-in is listed');
      assert.equal(await page.locator('table code', { hasText: 'group.lifecycle.create' }).count(), 0);
      const first = rows.first();
      const json = first.locator('pre');
      assert.equal(await json.isVisible(), false, 'the JSON starts folded');
      await first.locator('summary').click();
      assert.equal(await json.isVisible(), true);
      const event = JSON.parse(await json.innerText());
      assert.equal(event.eventType, 'user.session.start');
      assert.equal(event.actor.alternateId, ADMIN);
      await checkBothWidths(page, 'System Log with an expanded event', 'console-system-log-event');

      // Live tail: with the switch on, an event that happens now appears on top of the table.
      await admin(server, 'POST', '/api/v1/groups', { profile: { name: 'Listed' } });
      await page.getByLabel('Filter').fill('eventType eq "group.lifecycle.create"');
      await go(page, page.getByRole('button', { name: 'Search' }));
      await page.getByLabel('Live tail').check();
      await admin(server, 'POST', '/api/v1/groups', { profile: { name: 'Tailed' } });
      await page.waitForFunction(() => /1 new event/.test(document.querySelector('#live-tail-status')?.textContent ?? ''), null, { timeout: 15_000 });
      assert.match(await page.locator('table.log tbody tr').first().innerText(), /Tailed/);
      await checkAxe(page, 'System Log with the live tail on');
      await page.getByLabel('Live tail').uncheck();

      // A filter the API refuses: its message is next to the field.
      await page.getByLabel('Filter').fill('eventType eq');
      await go(page, page.getByRole('button', { name: 'Search' }));
      assert.equal(await page.getByLabel('Filter').getAttribute('aria-invalid'), 'true');
      assert.match(await page.locator('#f-filter-error').innerText(), /Invalid filter/);
      await checkAxe(page, 'System Log with a refused filter');
      checkSeen(seen);
    } finally {
      await context.close();
    }
  });

  test('Tokens: create a token, see it once and use it against /api/v1/users', { skip, timeout: 180_000 }, async () => {
    const { context, page, seen } = await signedIn();
    try {
      await go(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tokens' }));
      assert.equal(await page.getByRole('heading', { level: 1, name: 'Tokens' }).count(), 1);
      await checkBothWidths(page, 'Tokens', 'console-tokens');
      await page.getByLabel('Name').fill('Browser token');
      await go(page, page.getByRole('button', { name: 'Create Token' }));
      assert.match(await page.getByRole('status').innerText(), /will not be shown again/);
      const token = await page.getByLabel('Token value').inputValue();
      const resp = await fetch(`${server.base}/api/v1/users`, { headers: { accept: 'application/json', authorization: `SSWS ${token}` } });
      assert.equal(resp.status, 200);
      const logins = (await resp.json()).map((u) => u.profile.login);
      assert.ok(logins.includes(ADMIN));
      await checkBothWidths(page, 'Tokens with a new token', 'console-token-created');
      await go(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tokens' }));
      assert.equal(await page.getByLabel('Token value').count(), 0, 'the value is never shown again');
      assert.equal(await page.getByRole('cell', { name: 'Browser token', exact: true }).count(), 1);
      checkSeen(seen);
    } finally {
      await context.close();
    }
  });
}
