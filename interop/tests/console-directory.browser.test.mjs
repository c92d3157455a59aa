// The console's Directory in a real browser (headless Chromium driven by playwright-core, see
// ../browser.mjs): the org's admin adds a person by label, suspends and unsuspends them, creates
// a group and adds the person to it, every control found by its label or role. The API then
// reads back each change; axe-core checks every Directory page visited. Screenshots go to
// interop/test-output/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTollgate } from '../harness.mjs';
import { checkAxeAt as checkAxe, seedConsoleAdmin } from '../console-pages.mjs';
import { PASSWORD, admin, defineBrowserTests, launchBrowser, newPage as openPage, outDir, skip } from '../browser.mjs';

const ADMIN = 'ada@acme.com';
const NEW_LOGIN = 'grace.hopper@acme.com';

let server;
let browser;

/** Clicks `control` and waits for the page it leads to. */
async function go(page, control) {
  await Promise.all([page.waitForEvent('load'), control.click()]);
}

/** The status of NEW_LOGIN as the API reads it. */
async function statusOfNewPerson() {
  return (await admin(server, 'GET', `/api/v1/users/${NEW_LOGIN}`)).status;
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

  test('Directory: add a person, suspend and unsuspend them, create a group and add them to it', { skip, timeout: 180_000 }, async () => {
    const { context, page, seen } = await openPage(browser, server);
    try {
      await page.goto(`${server.base}/admin`);
      await page.getByLabel('Username').fill(ADMIN);
      await page.getByLabel('Password').fill(PASSWORD);
      await Promise.all([page.waitForURL((u) => u.pathname === '/admin/apps'), page.getByRole('button', { name: 'Sign in' }).click()]);

      // Directory > People, then Add person.
      await go(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }));
      assert.equal(await page.getByRole('heading', { level: 1, name: 'People' }).count(), 1);
      await checkAxe(page, 'People');
      await go(page, page.getByRole('link', { name: 'Add person' }));
      await checkAxe(page, 'Add person');
      await page.getByLabel('First name').fill('Grace');
      await page.getByLabel('Last name').fill('Hopper');
      await page.getByLabel('Username').fill(NEW_LOGIN);
      await page.getByLabel('Primary email').fill(NEW_LOGIN);
      await page.getByLabel('Password (optional)').fill(PASSWORD);
      await page.getByLabel('Activate now').check();
      await go(page, page.getByRole('button', { name: 'Save' }));
      assert.equal(await page.getByRole('heading', { level: 1, name: 'Grace Hopper' }).count(), 1);
      assert.match(await page.getByRole('status').innerText(), /Person added/);
      assert.equal(await statusOfNewPerson(), 'ACTIVE');
      await checkAxe(page, "a person's page");
      await page.screenshot({ path: `${outDir}console-person.png`, fullPage: true });

      // Suspend, then Unsuspend: the buttons follow the status.
      await go(page, page.getByRole('button', { name: 'Suspend' }));
      assert.equal(await statusOfNewPerson(), 'SUSPENDED');
      assert.equal(await page.getByRole('button', { name: 'Suspend', exact: true }).count(), 0);
      await go(page, page.getByRole('button', { name: 'Unsuspend' }));
      assert.equal(await statusOfNewPerson(), 'ACTIVE');

      // A profile the schema refuses: the message is next to the field, and the page stays accessible.
      await page.getByLabel('First name').fill('');
      await page.getByLabel('First name').evaluate((el) => el.removeAttribute('required'));
      await go(page, page.getByRole('button', { name: 'Save' }));
      assert.equal(await page.getByLabel('First name').getAttribute('aria-invalid'), 'true');
      await checkAxe(page, 'a refused profile');

      // Directory > Groups, then Add group, then the person as a member.
      await go(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Groups' }));
      await checkAxe(page, 'Groups');
      await go(page, page.getByRole('link', { name: 'Add group' }));
      await checkAxe(page, 'Add group');
      await page.getByLabel('Name').fill('Pioneers');
      await page.getByLabel('Description').fill('Early computing');
      await go(page, page.getByRole('button', { name: 'Save' }));
      assert.equal(await page.getByRole('heading', { level: 1, name: 'Pioneers' }).count(), 1);
      const groupId = new URL(page.url()).pathname.split('/').pop();
      await page.getByLabel('Username').fill(NEW_LOGIN);
      await go(page, page.getByRole('button', { name: 'Add person' }));
      assert.match(await page.getByRole('status').innerText(), /Person added to the group/);
      assert.equal(await page.getByRole('link', { name: 'Grace Hopper' }).count(), 1);
      const members = await admin(server, 'GET', `/api/v1/groups/${groupId}/users`);
      assert.deepEqual(members.map((u) => u.profile.login), [NEW_LOGIN]);
      await checkAxe(page, "a group's page");
      await page.screenshot({ path: `${outDir}console-group.png`, fullPage: true });
      await page.setViewportSize({ width: 360, height: 720 });
      await page.screenshot({ path: `${outDir}console-group-phone.png`, fullPage: true });

      assert.deepEqual(seen.foreign, [], 'the console loads nothing from other origins');
      assert.deepEqual(seen.csp, [], 'nothing was blocked by the Content-Security-Policy');
    } finally {
      await context.close();
    }
  });
}
