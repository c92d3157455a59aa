// Security > API > Authorization Servers in a real browser (headless Chromium driven by
// playwright-core, see ../browser.mjs): the org's admin adds a server, a "groups" claim of value
// type Groups (Matches regex .*) included in the ID token always, an access policy and a rule,
// every control found by its label. The API reads back what was typed, and a user's implicit
// flow on the new server gives an ID token carrying the claim. axe-core checks every tab at
// desktop width and at 360 px. Screenshots go to interop/test-output/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { checkAxe, go } from '../console-pages.mjs';
import { startTollgate } from '../harness.mjs';
import { CALLBACK, LOGIN, PASSWORD, admin, defineBrowserTests, launchBrowser, newPage as openPage, outDir, skip } from '../browser.mjs';

const ADMIN = 'ada@acme.com';
const TABS = ['Settings', 'Scopes', 'Claims', 'Access Policies', 'Keys'];

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

/** Two groups, Annie in both, an implicit client assigned to her, and the super admin. */
async function seedOrg() {
  await admin(server, 'POST', '/api/v1/org', { companyName: 'Acme Corp' });
  const groups = [];
  for (const name of ['WestCoastDivision', 'Engineering']) {
    groups.push((await admin(server, 'POST', '/api/v1/groups', { profile: { name } })).id);
  }
  const annie = await person(LOGIN, null, groups);
  await person(ADMIN, 'SUPER_ADMIN');
  const app = await admin(server, 'POST', '/api/v1/apps', {
    name: 'oidc_client',
    label: 'Sample Client',
    signOnMode: 'OPENID_CONNECT',
    credentials: { oauthClient: { token_endpoint_auth_method: 'client_secret_post' } },
    settings: { oauthClient: { redirect_uris: [CALLBACK], response_types: ['token', 'id_token', 'code'], grant_types: ['implicit', 'authorization_code'], application_type: 'native' } },
  });
  await admin(server, 'POST', `/api/v1/apps/${app.id}/users`, { id: annie });
  return { clientId: app.credentials.oauthClient.client_id };
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

  test('add a server, a groups claim, a policy and a rule; the ID token from that server carries the claim', { skip, timeout: 240_000 }, async () => {
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

      // Claims > Add Claim: a bad expression comes back next to Value, then the groups claim.
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
      await page.getByLabel('Name', { exact: true }).fill('groups');
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
      assert.equal(await page.getByRole('cell', { name: 'groups', exact: true }).count(), 1);
      await checkAxe(page, 'Claims');
      const claims = await admin(server, 'GET', `/api/v1/authorizationServers/${serverId}/claims`);
      const groups = claims.find((c) => c.name === 'groups');
      assert.deepEqual(
        [groups.claimType, groups.alwaysIncludeInToken, groups.valueType, groups.group_filter_type, groups.value, groups.conditions.scopes],
        ['IDENTITY', true, 'GROUPS', 'REGEX', '.*', []],
      );
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

    // Annie's implicit flow on the new server: the ID token carries her groups.
    const user = await openPage(browser, server);
    try {
      const q = new URLSearchParams({ client_id: fixture.clientId, redirect_uri: CALLBACK, response_type: 'id_token', response_mode: 'fragment', scope: 'openid', state: 'myState', nonce: 'n-0S6' });
      await user.page.goto(`${server.base}/oauth2/${serverId}/v1/authorize?${q}`);
      await user.page.getByLabel('Username').fill(LOGIN);
      await user.page.getByLabel('Password').fill(PASSWORD);
      await Promise.all([user.page.waitForURL((u) => u.href.startsWith(CALLBACK)), user.page.getByRole('button', { name: 'Sign in' }).click()]);
      const fragment = new URLSearchParams(new URL(user.page.url()).hash.slice(1));
      assert.ok(fragment.get('id_token'), `an ID token, not ${fragment}`);
      const issuer = `${server.base}/oauth2/${serverId}`;
      const jwks = createRemoteJWKSet(new URL(`${issuer}/v1/keys`));
      const { payload } = await jwtVerify(fragment.get('id_token'), jwks, { issuer, audience: fixture.clientId });
      for (const name of ['WestCoastDivision', 'Engineering']) assert.ok(payload.groups.includes(name), `${name} in ${payload.groups}`);
    } finally {
      await user.context.close();
    }
  });
}
