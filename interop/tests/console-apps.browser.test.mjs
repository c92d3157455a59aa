// An app's pages in the console in a real browser (headless Chromium driven by playwright-core,
// see ../browser.mjs): the org's admin creates a SAML 2.0 app by label, assigns a person and a
// group on its Assignments tab, and edits a list-valued profile property; the API reads back
// each change, and axe-core checks each page at desktop width and at 360 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { checkAxeAt as checkAxe, go, seedConsoleAdmin, signInToConsole } from '../console-pages.mjs';
import { startTollgate } from '../harness.mjs';
import { admin, defineBrowserTests, launchBrowser, newPage as openPage, outDir, skip } from '../browser.mjs';

const ADMIN = 'ada@acme.com';

let server;
let browser;

/** The org, its super admin, a group, and a list-valued property in the user schema. */
async function seedOrg() {
  const id = await seedConsoleAdmin(server, ADMIN);
  await admin(server, 'POST', '/api/v1/groups', { profile: { name: 'Engineering' } });
  await admin(server, 'POST', '/api/v1/meta/schemas/user/default', {
    definitions: { custom: { properties: { skills: { title: 'Skills', type: 'array', items: { type: 'string' } } } } },
  });
  return id;
}

if (defineBrowserTests()) {
  let adaId;
  before(async () => {
    if (skip) return;
    server = await startTollgate();
    adaId = await seedOrg();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('Apps: create a SAML app, assign a person and a group, edit a list property', { skip, timeout: 180_000 }, async () => {
    const { context, page, seen } = await openPage(browser, server);
    try {
      await signInToConsole(page, server, ADMIN);

      await go(page, page.getByRole('link', { name: 'Create App Integration' }));
      await checkAxe(page, 'Create App Integration');
      await page.getByLabel('SAML 2.0', { exact: true }).check();
      await page.getByLabel('App integration name').fill('Wiki');
      await page.getByLabel('Single sign-on URL').fill('https://wiki.example.com/acs');
      await page.getByLabel('Audience URI (SP Entity ID)').fill('urn:example:wiki');
      await page.getByLabel('Name ID format').selectOption({ label: 'EmailAddress' });
      await page.getByLabel('Application username').selectOption({ label: 'Email' });
      await page.getByLabel('Attribute 1 name').fill('email');
      await page.getByLabel('Attribute 1 value').fill('user.email');
      await go(page, page.getByRole('button', { name: 'Save' }));
      const appId = new URL(page.url()).pathname.split('/').pop();
      const wiki = await admin(server, 'GET', `/api/v1/apps/${appId}`);
      assert.equal(wiki.signOnMode, 'SAML_2_0');
      assert.equal(wiki.settings.signOn.audience, 'urn:example:wiki');
      assert.match(await page.locator('main').innerText(), /sso\/saml\/metadata/);
      await checkAxe(page, "a SAML app's General tab");

      await go(page, page.getByRole('navigation', { name: 'Application' }).getByRole('link', { name: 'Assignments' }));
      await page.getByLabel('Username').fill(ADMIN);
      await go(page, page.getByRole('button', { name: 'Assign person' }));
      assert.match(await page.getByRole('status').innerText(), /Person assigned/);
      await page.getByLabel('Group name').fill('Engineering');
      await go(page, page.getByRole('button', { name: 'Assign group' }));
      const users = await admin(server, 'GET', `/api/v1/apps/${appId}/users`);
      assert.deepEqual(users.map((u) => u.id), [adaId]);
      const groups = await admin(server, 'GET', `/api/v1/apps/${appId}/groups`);
      assert.equal(groups.length, 1);
      assert.equal(await page.getByRole('region', { name: 'Groups assigned' }).count(), 1);
      await checkAxe(page, 'the Assignments tab');
      await page.screenshot({ path: `${outDir}console-assignments.png`, fullPage: true });

      await page.goto(`${server.base}/admin/people/${adaId}`);
      await page.getByLabel('Skills').fill('rust\nsql');
      await go(page, page.getByRole('button', { name: 'Save' }));
      const ada = await admin(server, 'GET', `/api/v1/users/${adaId}`);
      assert.deepEqual(ada.profile.skills, ['rust', 'sql']);
      await checkAxe(page, 'a profile with a list property');

      assert.deepEqual(seen.foreign, [], 'the console loads nothing from other origins');
      assert.deepEqual(seen.csp, [], 'nothing was blocked by the Content-Security-Policy');
    } finally {
      await context.close();
    }
  });
}
