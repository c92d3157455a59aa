// The seed page as a newcomer meets it: `serve --demo`, the demo admin the banner prints signs
// in to the console and, with nothing but the console, makes a new single-page OIDC app, turns
// on Implicit in its General Settings, does Step Two (the whitelist in the profile editor) and
// Step Three (Sign On > OpenID Connect ID Token > Edit > Expression), assigns Annie, and checks
// the result in the org server's Token Preview; then Annie's real implicit flow gives an ID token
// whose groups claim is exactly ["WestCoastDivision"]. Headless Chromium driven by
// playwright-core (see ../browser.mjs); axe-core checks each page at 1280 px and 360 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { checkAxeAt, go, implicitIdToken, signInToConsole } from '../console-pages.mjs';
import { startTollgate } from '../harness.mjs';
import { CALLBACK, admin, defineBrowserTests, launchBrowser, newPage as openPage, skip } from '../browser.mjs';

/** The demo admin's password and the demo users' password, as `serve --demo` prints them. */
const DEMO_ADMIN_PASSWORD = 'Demo-Super-2026';
const DEMO_PASSWORD = 'Tollgate-Demo-2026';
const ANNIE = 'annie.jackson@acme.com';
const SEED = 'getFilteredGroups(app.profile.groupwhitelist, "group.name", 40)';

let server;
let browser;

/** The demo admin's login: `admin@` and the host of the public URL, as the banner prints it. */
const demoAdmin = () => `admin@${new URL(server.base).hostname}`;

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

  test("the demo admin does the seed page's Steps Two and Three on a new app, all in the console", { skip, timeout: 240_000 }, async () => {
    const [west] = await admin(server, 'GET', '/api/v1/groups?q=WestCoastDivision');
    const { context, page, seen } = await openPage(browser, server);
    let clientId;
    try {
      await signInToConsole(page, server, demoAdmin(), DEMO_ADMIN_PASSWORD);
      await go(page, page.getByRole('link', { name: 'Create App Integration' }));
      await page.getByLabel('OIDC - Single-Page Application').check();
      await page.getByLabel('App integration name').fill('Seed Walkthrough');
      await page.getByLabel('Sign-in redirect URIs').fill(CALLBACK);
      await go(page, page.getByRole('button', { name: 'Save' }));
      const appId = new URL(page.url()).pathname.split('/').pop();
      clientId = (await admin(server, 'GET', `/api/v1/apps/${appId}`)).credentials.oauthClient.client_id;

      await go(page, page.getByRole('link', { name: 'Edit General Settings' }));
      await page.getByLabel('Implicit (hybrid)').check();
      await go(page, page.getByRole('button', { name: 'Save' }));
      assert.match(await page.getByRole('status').first().innerText(), /General Settings saved/);

      // Step Two: the whitelist in the app's profile.
      await page.getByLabel('Profile').fill(JSON.stringify({ groupwhitelist: [west.id] }, null, 2));
      await go(page, page.getByRole('button', { name: 'Save' }));
      assert.match(await page.getByRole('status').last().innerText(), /Profile saved/);
      await checkAxeAt(page, 'demo: the General tab of a new app');

      // Step Three: Sign On > OpenID Connect ID Token > Edit.
      await go(page, page.getByRole('navigation', { name: 'Application' }).getByRole('link', { name: 'Sign On' }));
      const section = page.getByRole('region', { name: 'OpenID Connect ID Token' });
      await go(page, section.getByRole('button', { name: 'Edit' }));
      await page.getByRole('group', { name: 'Groups claim type' }).getByLabel('Expression').check();
      assert.equal(await page.getByRole('group', { name: 'Group claims filter' }).getByLabel('Claim name').inputValue(), 'groups');
      await page.getByLabel('Groups claim expression').fill(SEED);
      await page.waitForFunction(() => document.querySelector('#expression-check')?.textContent === '');
      await go(page, page.getByRole('button', { name: 'Save' }));
      assert.equal(await page.getByRole('status').innerText(), 'Groups claim saved.');

      // Annie may use the app.
      await go(page, page.getByRole('navigation', { name: 'Application' }).getByRole('link', { name: 'Assignments' }));
      await page.getByLabel('Username').fill(ANNIE);
      await go(page, page.getByRole('button', { name: 'Assign person' }));
      assert.match(await page.getByRole('status').innerText(), /Person assigned/);

      // The check: the org server's Token Preview, reached from the Sign On tab.
      await go(page, page.getByRole('navigation', { name: 'Application' }).getByRole('link', { name: 'Sign On' }));
      await go(page, page.getByRole('region', { name: 'OpenID Connect ID Token' }).getByRole('link', { name: 'Token Preview' }));
      assert.equal(await page.getByLabel('OAuth/OIDC client').inputValue(), clientId);
      await page.getByLabel('Grant type').selectOption({ label: 'Implicit' });
      await page.getByLabel('User', { exact: true }).fill(ANNIE);
      await go(page, page.getByRole('button', { name: 'Preview Token' }));
      assert.deepEqual(JSON.parse(await page.getByLabel('ID token payload').innerText()).groups, ['WestCoastDivision']);
      const kept = page.getByRole('table', { name: 'ID token: groups kept and dropped' });
      assert.equal(await kept.getByRole('row', { name: /^groups WestCoastDivision Kept/ }).count(), 1);
      assert.equal(await kept.getByRole('row', { name: /^groups Engineering Dropped: NOT_IN_WHITELIST/ }).count(), 1);
      await checkAxeAt(page, "demo: the org server's Token Preview");
      assert.deepEqual(seen.foreign, [], 'the console loads nothing from other origins');
      assert.deepEqual(seen.csp, [], 'nothing was blocked by the Content-Security-Policy');
    } finally {
      await context.close();
    }

    // Annie's implicit flow on the org server gives the same claim.
    const payload = await implicitIdToken(browser, server, { clientId, login: ANNIE, password: DEMO_PASSWORD });
    assert.deepEqual(payload.groups, ['WestCoastDivision']);
  });
}
