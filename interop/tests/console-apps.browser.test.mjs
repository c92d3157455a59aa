// An app's pages in the console in a real browser (headless Chromium driven by playwright-core,
// see ../browser.mjs): the org's admin creates a SAML 2.0 app by label, assigns a person and a
// group on its Assignments tab, and edits a list-valued profile property; then creates a
// single-page OIDC app and turns on Implicit in its General Settings with the keyboard alone
// (Tab, Space, Enter; the focus ring is visible). The API reads back each change, and axe-core
// checks each page at desktop width and at 360 px.
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

  test('Apps: create a single-page OIDC app, then turn on Implicit in its General Settings from the keyboard', { skip, timeout: 180_000 }, async () => {
    const { context, page, seen } = await openPage(browser, server);
    try {
      await signInToConsole(page, server, ADMIN);
      await go(page, page.getByRole('link', { name: 'Create App Integration' }));
      await page.getByLabel('OIDC - Single-Page Application').check();
      await page.getByLabel('App integration name').fill('Portal');
      await page.getByLabel('Sign-in redirect URIs').fill('https://portal.example/cb');
      await go(page, page.getByRole('button', { name: 'Save' }));
      const appId = new URL(page.url()).pathname.split('/').pop();
      assert.deepEqual((await admin(server, 'GET', `/api/v1/apps/${appId}`)).settings.oauthClient.grant_types, ['authorization_code']);

      await go(page, page.getByRole('link', { name: 'Edit General Settings' }));
      await checkAxe(page, 'Edit General Settings');
      await page.screenshot({ path: `${outDir}console-general-settings.png`, fullPage: true });
      // Keyboard only: Tab reaches the Implicit box with a visible focus ring, Space checks
      // it; Enter in the name field sends the form.
      await page.getByLabel('Authorization Code').focus();
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const e = document.activeElement;
        const style = getComputedStyle(e);
        return { id: e.id, outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
      });
      assert.equal(focused.id, 'grant-implicit', 'Tab goes from Authorization Code to Implicit (hybrid)');
      assert.ok(focused.outline !== 'none' && focused.width >= 2, `a visible focus ring: ${JSON.stringify(focused)}`);
      await page.keyboard.press('Space');
      assert.equal(await page.getByLabel('Implicit (hybrid)').isChecked(), true);
      await page.getByLabel('Sign-out redirect URIs').fill('https://portal.example/bye');
      await page.getByLabel('App integration name').focus();
      await Promise.all([page.waitForURL((u) => u.search === '?saved=general'), page.keyboard.press('Enter')]);
      assert.match(await page.getByRole('status').first().innerText(), /General Settings saved/);
      const saved = (await admin(server, 'GET', `/api/v1/apps/${appId}`)).settings.oauthClient;
      assert.deepEqual(saved.grant_types, ['authorization_code', 'implicit']);
      assert.deepEqual(saved.response_types, ['code', 'token', 'id_token']);
      assert.deepEqual(saved.post_logout_redirect_uris, ['https://portal.example/bye']);
      await checkAxe(page, "an OIDC app's General tab after a save");
      await page.setViewportSize({ width: 360, height: 800 });
      await page.screenshot({ path: `${outDir}console-general-phone.png`, fullPage: true });
      assert.deepEqual(seen.foreign, [], 'the console loads nothing from other origins');
      assert.deepEqual(seen.csp, [], 'nothing was blocked by the Content-Security-Policy');
    } finally {
      await context.close();
    }
  });
}
