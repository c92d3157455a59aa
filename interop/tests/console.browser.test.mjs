// The admin console in a real browser (headless Chromium driven by playwright-core, see
// ../browser.mjs): the org's admin signs in through the hosted page and does the seed page's
// Step Two (the app's groupwhitelist, in the Profile editor) and Step Three for the org
// authorization server (Sign On > OpenID Connect ID Token > Edit > Expression), every control
// found by its label. Then a user's implicit flow in the browser gives an ID token with the
// whitelisted group, as the org server's Token Preview (linked from the Sign On tab) showed
// first. axe-core checks every console page visited; a read-only admin finds Save
// and Edit disabled. Screenshots go to interop/test-output/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTollgate } from '../harness.mjs';
import { checkAxeAt, implicitIdToken } from '../console-pages.mjs';
import { CALLBACK, LOGIN, PASSWORD, admin, defineBrowserTests, launchBrowser, newPage as openPage, outDir, skip } from '../browser.mjs';

const ADMIN = 'ada@acme.com';
const READ_ONLY = 'rory@acme.com';
const SEED_EXPRESSION = 'getFilteredGroups(app.profile.groupwhitelist, "group.name", 40)';

let server;
let browser;
let fixture = {};

const newPage = (options) => openPage(browser, server, options);

/** A user with PASSWORD; with `role`, that admin role. */
async function person(login, role, groupIds = []) {
  const user = await admin(server, 'POST', '/api/v1/users?activate=true', {
    profile: { firstName: login.split('@')[0], lastName: 'Acme', email: login, login },
    credentials: { password: { value: PASSWORD } },
    groupIds,
  });
  if (role) await admin(server, 'POST', `/api/v1/users/${user.id}/roles`, { type: role }, 201);
  return user.id;
}

/** The seed page's org: two groups, Annie in both, the implicit client assigned to her, two admins. */
async function seedOrg() {
  await admin(server, 'POST', '/api/v1/org', { companyName: 'Acme Corp' });
  const groups = [];
  for (const name of ['WestCoastDivision', 'Engineering']) {
    groups.push((await admin(server, 'POST', '/api/v1/groups', { profile: { name } })).id);
  }
  const annie = await person(LOGIN, null, groups);
  await person(ADMIN, 'SUPER_ADMIN');
  await person(READ_ONLY, 'READ_ONLY_ADMIN');
  const app = await admin(server, 'POST', '/api/v1/apps', {
    name: 'oidc_client',
    label: 'Sample Client',
    signOnMode: 'OPENID_CONNECT',
    credentials: { oauthClient: { token_endpoint_auth_method: 'client_secret_post' } },
    settings: { oauthClient: { redirect_uris: [CALLBACK], response_types: ['token', 'id_token', 'code'], grant_types: ['implicit', 'authorization_code'], application_type: 'native' } },
  });
  await admin(server, 'POST', `/api/v1/apps/${app.id}/users`, { id: annie });
  return { groups, appId: app.id, clientId: app.credentials.oauthClient.client_id };
}

/** Opens the console without a session, signs in on the hosted page as `login`, lands on Applications. */
async function signInToConsole(page, login) {
  await page.goto(`${server.base}/admin`);
  const here = new URL(page.url());
  assert.equal(here.pathname, '/login');
  assert.equal(here.searchParams.get('fromURI'), '/admin');
  await page.getByLabel('Username').fill(login);
  await page.getByLabel('Password').fill(PASSWORD);
  await Promise.all([page.waitForURL((u) => u.pathname === '/admin/apps'), page.getByRole('button', { name: 'Sign in' }).click()]);
  assert.equal(await page.getByRole('heading', { level: 1, name: 'Applications' }).count(), 1);
}

/** Saves through `button` and waits for the page the browser is sent to. */
async function saveWith(page, button) {
  await Promise.all([page.waitForEvent('load'), button.click()]);
}

if (defineBrowserTests()) {
  before(async () => {
    if (skip) return;
    server = await startTollgate();
    fixture = await seedOrg();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test("the seed page's Steps Two and Three in the console, then the ID token carries the whitelisted group", { skip, timeout: 180_000 }, async () => {
    const { context, page, seen } = await newPage();
    try {
      await signInToConsole(page, ADMIN);
      const headers = (await page.goto(`${server.base}/admin/apps`)).headers();
      assert.match(headers['content-security-policy'], /default-src 'self'.*frame-ancestors 'none'/);
      assert.equal(headers['cache-control'], 'no-store');
      await checkAxeAt(page, 'Applications');

      // Applications > Applications: search, then open the app.
      await page.getByLabel('Search').fill('Sample');
      await Promise.all([page.waitForURL((u) => u.searchParams.get('q') === 'Sample'), page.getByRole('button', { name: 'Search' }).click()]);
      await page.getByRole('link', { name: 'Sample Client' }).click();
      await page.waitForURL((u) => u.pathname === `/admin/apps/${fixture.appId}`);
      assert.ok(await page.getByText(fixture.clientId).isVisible(), 'the General tab shows the client id');
      await checkAxeAt(page, 'the General tab');

      // Step Two: text that is not JSON is refused with the reason, then the whitelist is saved.
      const profile = page.getByLabel('Profile');
      await profile.fill('{"groupwhitelist": [');
      await saveWith(page, page.getByRole('button', { name: 'Save' }));
      assert.match(await page.getByRole('alert').innerText(), /^Profile is not valid JSON: .*line 1 column \d+/);
      assert.equal(await page.getByLabel('Profile').getAttribute('aria-invalid'), 'true');
      await checkAxeAt(page, 'the General tab with an error');
      await page.getByLabel('Profile').fill(JSON.stringify({ groupwhitelist: [fixture.groups[0]] }, null, 2));
      await saveWith(page, page.getByRole('button', { name: 'Save' }));
      assert.equal(await page.getByRole('status').innerText(), 'Profile saved.');
      const app = await admin(server, 'GET', `/api/v1/apps/${fixture.appId}`);
      assert.deepEqual(app.profile, { groupwhitelist: [fixture.groups[0]] });
      await page.screenshot({ path: `${outDir}console-general.png`, fullPage: true });

      // Step Three: Sign On > OpenID Connect ID Token > Edit.
      await page.getByRole('link', { name: 'Sign On' }).click();
      await page.waitForURL((u) => u.pathname.endsWith('/sign-on'));
      const section = page.getByRole('region', { name: 'OpenID Connect ID Token' });
      assert.equal(await section.count(), 1);
      await checkAxeAt(page, 'the Sign On tab');
      await section.getByRole('button', { name: 'Edit' }).click();
      await page.waitForURL((u) => u.searchParams.has('edit'));
      await checkAxeAt(page, 'the Sign On form');
      await page.getByRole('group', { name: 'Groups claim type' }).getByLabel('Expression').check();
      const filter = page.getByRole('group', { name: 'Group claims filter' });
      assert.equal(await filter.getByLabel('Claim name').inputValue(), 'groups', 'the default name');
      const operators = await filter.getByLabel('Filter type').locator('option').allInnerTexts();
      assert.deepEqual(operators, ['Starts with', 'Equals', 'Contains', 'Matches regex']);
      await page.getByLabel('Groups claim expression').fill(SEED_EXPRESSION);
      await page.screenshot({ path: `${outDir}console-sign-on-edit.png`, fullPage: true });
      await saveWith(page, page.getByRole('button', { name: 'Save' }));
      assert.equal(await page.getByRole('status').innerText(), 'Groups claim saved.');
      await checkAxeAt(page, 'the Sign On tab after saving');
      const setting = await admin(server, 'GET', `/api/v1/internal/apps/${fixture.appId}/settings/oauth/idToken`);
      assert.deepEqual([setting.valueType, setting.name, setting.value], ['EXPRESSION', 'groups', SEED_EXPRESSION]);

      // Checking it: the section's Token Preview (the org server, this app chosen), for Annie.
      await saveWith(page, section.getByRole('link', { name: 'Token Preview' }));
      assert.equal(await page.getByLabel('OAuth/OIDC client').inputValue(), fixture.clientId);
      await page.getByLabel('User').fill(LOGIN);
      await saveWith(page, page.getByRole('button', { name: 'Preview Token' }));
      assert.deepEqual(JSON.parse(await page.getByLabel('ID token payload').innerText()).groups, ['WestCoastDivision']);
      const kept = page.getByRole('table', { name: 'ID token: groups kept and dropped' });
      assert.equal(await kept.getByRole('row', { name: /^groups WestCoastDivision Kept/ }).count(), 1);
      assert.equal(await kept.getByRole('row', { name: /^groups Engineering Dropped: NOT_IN_WHITELIST/ }).count(), 1);
      await checkAxeAt(page, "the org server's Token Preview");
      await page.screenshot({ path: `${outDir}console-org-token-preview.png`, fullPage: true });
      assert.deepEqual(seen.foreign, [], 'the console loads nothing from other origins');
      assert.deepEqual(seen.csp, [], 'nothing was blocked by the Content-Security-Policy');

      // Sign out ends the session: the console asks for a sign-in again.
      await saveWith(page, page.getByRole('button', { name: 'Sign out' }));
      assert.equal(new URL(page.url()).pathname, '/login');
      await page.goto(`${server.base}/admin/apps`);
      assert.equal(new URL(page.url()).pathname, '/login');
    } finally {
      await context.close();
    }

    // Step Four in the browser: Annie's implicit flow on the org server.
    const payload = await implicitIdToken(browser, server, { clientId: fixture.clientId, login: LOGIN });
    assert.deepEqual(payload.groups, ['WestCoastDivision']);
  });

  test('a read-only admin sees the app but finds Save and Edit disabled (phone width, dark)', { skip, timeout: 120_000 }, async () => {
    const { context, page } = await newPage({ colorScheme: 'dark', viewport: { width: 360, height: 720 } });
    const fits = async (what) => assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), `${what} fits 360 px`);
    try {
      await signInToConsole(page, READ_ONLY);
      await page.getByRole('link', { name: 'Sample Client' }).click();
      await page.waitForURL((u) => u.pathname === `/admin/apps/${fixture.appId}`);
      assert.equal(await page.getByRole('button', { name: 'Save' }).isDisabled(), true);
      assert.equal(await page.getByLabel('Profile').isDisabled(), true);
      await checkAxeAt(page, 'the General tab, read-only, dark', [360]);
      await fits('the General tab');
      await page.getByRole('link', { name: 'Sign On' }).click();
      await page.waitForURL((u) => u.pathname.endsWith('/sign-on'));
      assert.equal(await page.getByRole('button', { name: 'Edit' }).isDisabled(), true);
      await checkAxeAt(page, 'the Sign On tab, read-only, dark', [360]);
      await fits('the Sign On tab');
      await page.screenshot({ path: `${outDir}console-read-only-dark.png`, fullPage: true });
    } finally {
      await context.close();
    }
  });
  test('a user without an admin role is refused with an accessible page', { skip, timeout: 120_000 }, async () => {
    const { context, page } = await newPage();
    try {
      await page.goto(`${server.base}/admin`);
      await page.getByLabel('Username').fill(LOGIN);
      await page.getByLabel('Password').fill(PASSWORD);
      const [refused] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === '/admin'),
        page.getByRole('button', { name: 'Sign in' }).click(),
      ]);
      assert.equal(refused.status(), 403);
      await page.waitForLoadState();
      assert.match(await page.getByRole('alert').innerText(), /do not hold an admin role/);
      assert.equal(await page.getByRole('link', { name: 'Sign in as another user' }).count(), 1);
      await checkAxeAt(page, 'the refusal page');
    } finally {
      await context.close();
    }
  });
  test('Create App Integration makes a web app whose secret is shown once, then a second secret is generated', { skip, timeout: 180_000 }, async () => {
    const { context, page } = await newPage();
    try {
      await signInToConsole(page, ADMIN);
      await saveWith(page, page.getByRole('link', { name: 'Create App Integration' }));
      await checkAxeAt(page, 'Create App Integration');
      await page.getByLabel('OIDC - Web Application').check();
      await page.getByLabel('App integration name').fill('Browser Portal');
      await page.getByLabel(/Sign-in redirect URIs/).fill('https://portal.example.com/cb');
      await saveWith(page, page.getByRole('button', { name: 'Save' }));
      assert.equal(await page.getByRole('heading', { level: 1, name: 'Application created' }).count(), 1);
      assert.equal((await page.getByLabel('Client secret').inputValue()).length, 64);
      await checkAxeAt(page, 'the page showing the new secret');
      await saveWith(page, page.getByRole('link', { name: 'Open the application' }));
      assert.equal(await page.getByRole('heading', { name: 'Client secrets' }).count(), 1);
      await checkAxeAt(page, 'the General tab with its client secrets');
      await saveWith(page, page.getByRole('button', { name: 'Generate new secret' }));
      assert.equal(await page.getByRole('heading', { level: 1, name: 'New client secret' }).count(), 1);
      assert.equal((await page.getByLabel('Client secret').inputValue()).length, 64);
      await saveWith(page, page.getByRole('link', { name: 'Open the application' }));
      assert.equal(await page.getByRole('button', { name: /^Deactivate secret/ }).count(), 2, 'two active secrets, each can be deactivated');
    } finally {
      await context.close();
    }
  });

}
