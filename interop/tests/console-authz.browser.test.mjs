// Security > API > Authorization Servers in a real browser (headless Chromium driven by
// playwright-core, see ../browser.mjs): the seed page's Step Three on a custom server. The app's
// profile holds the seed's whitelist (Step Two, {"groupwhitelist": [<WestCoastDivision's id>]})
// and its user is in WestCoastDivision and in Engineering, which is not whitelisted. The org's
// admin adds a server; through Claims > Add Claim an "all_groups" claim of value type Groups
// (Matches regex .*), then the seed's "groups" claim: ID Token, Always, value type Expression,
// getFilteredGroups(app.profile.groupwhitelist, "group.name", 40), in any scope; then an access
// policy and a rule, every control found by its label. The API reads back what was typed. The
// server's Token Preview (Implicit, scopes "openid groups") shows "groups": ["WestCoastDivision"]
// in the ID token, with WestCoastDivision kept and Engineering (and Everyone) dropped as not in
// the whitelist; the user's real implicit flow on the new server gives an ID token whose groups
// are ["WestCoastDivision"] (and whose all_groups has all three of hers, Everyone included).
// axe-core checks every page visited and every tab at desktop width and at 360 px. Screenshots
// go to interop/test-output/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { checkAxe, checkAxeAt, go, implicitIdToken } from '../console-pages.mjs';
import { startTollgate } from '../harness.mjs';
import { CALLBACK, LOGIN, PASSWORD, admin, defineBrowserTests, launchBrowser, newPage as openPage, outDir, skip } from '../browser.mjs';

const ADMIN = 'ada@acme.com';
const TABS = ['Settings', 'Scopes', 'Claims', 'Access Policies', 'Keys'];
// The seed's Step Three: the user's groups the app's profile whitelists, by name.
const SEED = 'getFilteredGroups(app.profile.groupwhitelist, "group.name", 40)';

let server;
let browser;
let fixture = {};

/** A user with PASSWORD in `groupIds`; with `role`, that admin role. */
async function person(login, role, groupIds = []) {
  const user = await admin(server, 'POST', '/api/v1/users?activate=true', {
    profile: { firstName: login.split('@')[0], lastName: 'Acme', email: login, login },
    credentials: { password: { value: PASSWORD } },
    groupIds,
  });
  if (role) await admin(server, 'POST', `/api/v1/users/${user.id}/roles`, { type: role }, 201);
  return user.id;
}

/**
 * Two groups, Annie in both, an implicit client assigned to her whose profile whitelists
 * WestCoastDivision only (the seed's Step Two), and the super admin.
 */
async function seedOrg() {
  await admin(server, 'POST', '/api/v1/org', { companyName: 'Acme Corp' });
  const groups = {};
  for (const name of ['WestCoastDivision', 'Engineering']) {
    groups[name] = (await admin(server, 'POST', '/api/v1/groups', { profile: { name } })).id;
  }
  const annie = await person(LOGIN, null, Object.values(groups));
  await person(ADMIN, 'SUPER_ADMIN');
  const app = await admin(server, 'POST', '/api/v1/apps', {
    name: 'oidc_client',
    label: 'Sample Client',
    signOnMode: 'OPENID_CONNECT',
    credentials: { oauthClient: { token_endpoint_auth_method: 'client_secret_post' } },
    settings: { oauthClient: { redirect_uris: [CALLBACK], response_types: ['token', 'id_token', 'code'], grant_types: ['implicit', 'authorization_code'], application_type: 'native' } },
  });
  app.profile = { groupwhitelist: [groups.WestCoastDivision] };
  await admin(server, 'PUT', `/api/v1/apps/${app.id}`, app);
  const stored = await admin(server, 'GET', `/api/v1/apps/${app.id}`);
  assert.deepEqual(stored.profile, { groupwhitelist: [groups.WestCoastDivision] }, 'the seed\'s whitelist is on the app');
  await admin(server, 'POST', `/api/v1/apps/${app.id}/users`, { id: annie });
  return { clientId: app.credentials.oauthClient.client_id, groups };
}

/** The server's tab `name`, through its tab navigation. */
async function openTab(page, name) {
  await go(page, page.getByRole('navigation', { name: 'Authorization server' }).getByRole('link', { name, exact: true }));
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

  test('add a server, the seed\'s groups claim, a policy and a rule; Token Preview and the ID token from that server carry the whitelisted group only', { skip, timeout: 240_000 }, async () => {
    const { context, page, seen } = await openPage(browser, server);
    let serverId;
    try {
      await page.goto(`${server.base}/admin`);
      await page.getByLabel('Username').fill(ADMIN);
      await page.getByLabel('Password').fill(PASSWORD);
      await Promise.all([page.waitForURL((u) => u.pathname === '/admin/apps'), page.getByRole('button', { name: 'Sign in' }).click()]);

      // Security > API, then Add Authorization Server.
      await go(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API' }));
      assert.equal(await page.getByRole('heading', { level: 1, name: 'Authorization Servers' }).count(), 1);
      assert.equal(await page.getByRole('link', { name: 'default', exact: true }).count(), 1);
      await checkAxe(page, 'Authorization Servers');
      await go(page, page.getByRole('link', { name: 'Add Authorization Server' }));
      await checkAxe(page, 'Add Authorization Server');
      await page.getByLabel('Name', { exact: true }).fill('Orders');
      await page.getByLabel('Audience', { exact: true }).fill('api://orders');
      await page.getByLabel('Description', { exact: true }).fill('Orders API');
      await go(page, page.getByRole('button', { name: 'Save' }));
      assert.equal(await page.getByRole('heading', { level: 1, name: 'Orders' }).count(), 1);
      serverId = new URL(page.url()).pathname.split('/').pop();
      const stored = await admin(server, 'GET', `/api/v1/authorizationServers/${serverId}`);
      assert.deepEqual([stored.name, stored.audiences, stored.description], ['Orders', ['api://orders'], 'Orders API']);
      assert.equal(await page.getByRole('link', { name: 'Token Preview' }).getAttribute('href'), `/admin/authorization-servers/${serverId}/token-preview`);

      // Claims > Add Claim: a bad expression comes back next to Value, then a Groups claim.
      await openTab(page, 'Claims');
      await go(page, page.getByRole('link', { name: 'Add Claim' }));
      await checkAxe(page, 'Add Claim');
      await page.getByLabel('Name', { exact: true }).fill('department');
      await page.getByLabel('Value type').selectOption({ label: 'Expression' });
      await page.getByLabel('Value', { exact: true }).fill('user.profile.department +');
      // Checked as it is typed while the Value type is Expression (console.js).
      await page.waitForFunction(() => /column/.test(document.querySelector('#f-value-check')?.textContent ?? ''));
      await go(page, page.getByRole('button', { name: 'Save' }));
      assert.equal(await page.getByLabel('Value', { exact: true }).getAttribute('aria-invalid'), 'true');
      await checkAxe(page, 'a refused claim');
      await page.getByLabel('Name', { exact: true }).fill('all_groups');
      await page.getByLabel('Include in token type').selectOption({ label: 'ID Token' });
      await page.getByLabel('ID Token inclusion').selectOption({ label: 'Always' });
      await page.getByLabel('Value type').selectOption({ label: 'Groups' });
      await page.getByLabel('Filter', { exact: true }).selectOption({ label: 'Matches regex' });
      await page.getByLabel('Value', { exact: true }).fill('.*');
      // A Groups value is a filter, not an expression: no complaint about it.
      await page.waitForFunction(() => document.querySelector('#f-value-check')?.textContent === '');
      assert.equal(await page.getByLabel('Value', { exact: true }).getAttribute('aria-invalid'), null);
      await page.getByLabel('Any scope').check();
      await go(page, page.getByRole('button', { name: 'Save' }));
      assert.equal(await page.getByRole('cell', { name: 'all_groups', exact: true }).count(), 1);
      await checkAxe(page, 'Claims');

      // The seed's Step Three: Add Claim, groups, ID Token, Always, Expression, in any scope.
      await go(page, page.getByRole('link', { name: 'Add Claim' }));
      await page.getByLabel('Name', { exact: true }).fill('groups');
      await page.getByLabel('Include in token type').selectOption({ label: 'ID Token' });
      await page.getByLabel('ID Token inclusion').selectOption({ label: 'Always' });
      await page.getByLabel('Value type').selectOption({ label: 'Expression' });
      await page.getByLabel('Value', { exact: true }).fill(SEED);
      // The live check (console.js) finds nothing wrong with the seed's expression.
      await page.waitForFunction(() => document.querySelector('#f-value-check')?.textContent === '');
      assert.equal(await page.getByLabel('Value', { exact: true }).getAttribute('aria-invalid'), null);
      await page.getByLabel('Any scope').check();
      await checkAxeAt(page, 'Add Claim with the seed\'s expression');
      await page.setViewportSize({ width: 800, height: 720 });
      await go(page, page.getByRole('button', { name: 'Save' }));
      assert.equal(await page.getByRole('cell', { name: 'groups', exact: true }).count(), 1);
      assert.equal(await page.getByRole('cell', { name: 'all_groups', exact: true }).count(), 1);
      await checkAxe(page, 'Claims with the seed\'s claim');
      const claims = await admin(server, 'GET', `/api/v1/authorizationServers/${serverId}/claims`);
      const allGroups = claims.find((c) => c.name === 'all_groups');
      assert.deepEqual(
        [allGroups.claimType, allGroups.alwaysIncludeInToken, allGroups.valueType, allGroups.group_filter_type, allGroups.value, allGroups.conditions.scopes],
        ['IDENTITY', true, 'GROUPS', 'REGEX', '.*', []],
      );
      const seed = claims.find((c) => c.name === 'groups');
      assert.deepEqual(
        [seed.claimType, seed.alwaysIncludeInToken, seed.valueType, seed.value, seed.conditions.scopes],
        ['IDENTITY', true, 'EXPRESSION', SEED, []],
      );
      assert.equal(seed.group_filter_type ?? null, null);
      assert.equal(claims.some((c) => c.name === 'department'), false);

      // Access Policies > Add Policy, then Add Rule.
      await openTab(page, 'Access Policies');
      await go(page, page.getByRole('link', { name: 'Add Policy' }));
      await checkAxe(page, 'Add Policy');
      await page.getByLabel('Name', { exact: true }).fill('Web');
      await page.getByLabel('Description', { exact: true }).fill('The web app');
      await page.getByLabel('All clients').check();
      await go(page, page.getByRole('button', { name: 'Save' }));
      await go(page, page.getByRole('link', { name: 'Add Rule to Web' }));
      await checkAxe(page, 'Add Rule');
      await page.getByLabel('Rule Name').fill('Everyone');
      await page.getByLabel('Implicit (hybrid)').check();
      await page.getByLabel('Any user assigned the app').check();
      await page.getByLabel('Any scopes').check();
      await go(page, page.getByRole('button', { name: 'Save' }));
      assert.equal(await page.getByRole('cell', { name: 'Everyone', exact: true }).count(), 1);
      await checkAxe(page, 'Access Policies');
      const policies = await admin(server, 'GET', `/api/v1/authorizationServers/${serverId}/policies`);
      assert.deepEqual([policies[0].name, policies[0].conditions.clients.include], ['Web', ['ALL_CLIENTS']]);
      const rules = await admin(server, 'GET', `/api/v1/authorizationServers/${serverId}/policies/${policies[0].id}/rules`);
      assert.deepEqual(rules[0].conditions.grantTypes.include.sort(), ['authorization_code', 'client_credentials', 'implicit']);
      assert.deepEqual(rules[0].conditions.scopes.include, ['*']);

      // Token Preview: Implicit for Annie with "openid groups" keeps the whitelisted group only.
      await go(page, page.getByRole('link', { name: 'Token Preview' }));
      assert.equal(new URL(page.url()).pathname, `/admin/authorization-servers/${serverId}/token-preview`);
      assert.equal(await page.getByRole('heading', { level: 1, name: 'Token Preview' }).count(), 1);
      await page.getByLabel('Find clients').fill('Sample');
      await page.waitForFunction(() => document.querySelector('#tp-client-find-status')?.textContent === '1 found.');
      await page.getByLabel('OAuth/OIDC client').selectOption({ label: 'Sample Client' });
      await page.getByLabel('Grant type').selectOption({ label: 'Implicit' });
      await page.getByLabel('User', { exact: true }).fill(LOGIN);
      await page.getByLabel('Scopes').fill('openid groups');
      await go(page, page.getByRole('button', { name: 'Preview Token' }));
      const previewed = JSON.parse(await page.getByLabel('ID token payload').innerText());
      assert.deepEqual(previewed.groups, ['WestCoastDivision'], `the previewed ID token: ${JSON.stringify(previewed)}`);
      assert.deepEqual([...previewed.all_groups].sort(), ['Engineering', 'Everyone', 'WestCoastDivision']);
      const kept = page.getByRole('table', { name: 'ID token: groups kept and dropped' });
      assert.equal(await kept.getByRole('row', { name: /^groups WestCoastDivision Kept/ }).count(), 1);
      assert.equal(await kept.getByRole('row', { name: /^groups Engineering Dropped: NOT_IN_WHITELIST/ }).count(), 1);
      assert.equal(await kept.getByRole('row', { name: /^groups Everyone Dropped: NOT_IN_WHITELIST/ }).count(), 1);
      assert.equal(await kept.getByRole('row', { name: /^groups / }).count(), 3, 'the seed claim considered her three groups');
      await checkAxeAt(page, 'Token Preview');
      await page.screenshot({ path: `${outDir}console-authz-token-preview.png`, fullPage: true });
      await page.setViewportSize({ width: 800, height: 720 });
      await page.goto(`${server.base}/admin/authorization-servers/${serverId}`);

      // Every tab is accessible at desktop width and at 360 px, and fits the phone.
      for (const tab of TABS) {
        await openTab(page, tab);
        await checkAxe(page, `the ${tab} tab`);
      }
      await page.screenshot({ path: `${outDir}console-authz-keys.png`, fullPage: true });
      await page.setViewportSize({ width: 360, height: 720 });
      for (const tab of TABS) {
        await openTab(page, tab);
        await checkAxe(page, `the ${tab} tab at 360 px`);
        assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), `the ${tab} tab fits 360 px`);
      }
      await page.screenshot({ path: `${outDir}console-authz-phone.png`, fullPage: true });
      assert.deepEqual(seen.foreign, [], 'the console loads nothing from other origins');
      assert.deepEqual(seen.csp, [], 'nothing was blocked by the Content-Security-Policy');
    } finally {
      await context.close();
    }

    // Annie's implicit flow on the new server: the ID token's groups are the whitelisted one.
    const payload = await implicitIdToken(browser, server, { clientId: fixture.clientId, login: LOGIN, serverId });
    assert.deepEqual(payload.groups, ['WestCoastDivision'], `the ID token: ${JSON.stringify(payload)}`);
    assert.deepEqual([...payload.all_groups].sort(), ['Engineering', 'Everyone', 'WestCoastDivision']);
  });
}
