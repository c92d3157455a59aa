// Create App Integration for a catalog template app, and Edit Scope / Edit Rule / Edit Policy of an
// authorization server, in a real browser (headless Chromium driven by playwright-core, see
// ../browser.mjs), every control found by its label. The API reads back what was typed; a field
// the API refuses is marked next to its input. axe-core checks each form at desktop width and at
// 360 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { checkAxeAt, go, seedConsoleAdmin, signInToConsole } from '../console-pages.mjs';
import { startTollgate } from '../harness.mjs';
import { admin, defineBrowserTests, launchBrowser, newPage, skip } from '../browser.mjs';

const ADMIN = 'ada@acme.com';

let server;
let browser;
let fixture = {};

/** A server "Orders" with a scope, a policy for all clients and its client-credentials rule. */
async function seedServer() {
  const s = await admin(server, 'POST', '/api/v1/authorizationServers', { name: 'Orders', description: 'Orders API', audiences: ['api://orders'] }, 201);
  const api = `/api/v1/authorizationServers/${s.id}`;
  const scope = await admin(server, 'POST', `${api}/scopes`, { name: 'orders:read', description: 'Read orders' }, 201);
  const policy = await admin(server, 'POST', `${api}/policies`, {
    type: 'OAUTH_AUTHORIZATION_POLICY', name: 'All', description: 'All clients', priority: 1,
    conditions: { clients: { include: ['ALL_CLIENTS'] } },
  }, 201);
  const rule = await admin(server, 'POST', `${api}/policies/${policy.id}/rules`, {
    type: 'RESOURCE_ACCESS', name: 'Everyone', priority: 1,
    conditions: { people: { groups: { include: ['EVERYONE'] } }, grantTypes: { include: ['client_credentials'] }, scopes: { include: ['*'] } },
    actions: { token: { accessTokenLifetimeMinutes: 30, refreshTokenLifetimeMinutes: 0, refreshTokenWindowMinutes: 10080 } },
  }, 201);
  return { serverId: s.id, api, scopeId: scope.id, policyId: policy.id, ruleId: rule.id };
}

/** The server's tab `name`, through its tab navigation. */
async function openTab(page, name) {
  await go(page, page.getByRole('navigation', { name: 'Authorization server' }).getByRole('link', { name, exact: true }));
}

if (defineBrowserTests()) {
  before(async () => {
    if (skip) return;
    server = await startTollgate();
    await seedConsoleAdmin(server, ADMIN);
    fixture = await seedServer();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('create a SWA template plugin app by its labels; a missing field is marked next to it', { skip, timeout: 240_000 }, async () => {
    const { context, page, seen } = await newPage(browser, server);
    try {
      await signInToConsole(page, server, ADMIN);
      await go(page, page.getByRole('link', { name: 'Create App Integration' }));
      await checkAxeAt(page, 'Create App Integration');
      await page.getByLabel('SWA - Template Plugin App', { exact: true }).check();
      await page.getByLabel('App integration name').fill('Payroll');
      const swa = page.getByRole('group', { name: 'SWA - Template Plugin App settings' });
      await swa.getByLabel('Login URL', { exact: true }).fill('https://pay.example.com/login');
      await swa.getByLabel('Username field CSS selector').fill('#user');
      await swa.getByLabel('Password field CSS selector').fill('#pass');
      await go(page, page.getByRole('button', { name: 'Save' }));
      const button = swa.getByLabel('Login button CSS selector');
      assert.equal(await button.getAttribute('aria-invalid'), 'true');
      assert.match(await page.locator('#template_swa-buttonField-error').textContent(), /cannot be left blank/);
      await checkAxeAt(page, 'a refused template app');
      await button.fill('#go');
      await go(page, page.getByRole('button', { name: 'Save' }));
      const appId = new URL(page.url()).pathname.split('/').pop();
      const app = await admin(server, 'GET', `/api/v1/apps/${appId}`);
      assert.deepEqual([app.name, app.label, app.signOnMode], ['template_swa', 'Payroll', 'BROWSER_PLUGIN']);
      const s = app.settings.app;
      assert.deepEqual([s.url, s.usernameField, s.passwordField, s.buttonField], ['https://pay.example.com/login', '#user', '#pass', '#go']);
      assert.equal(await page.getByRole('definition').filter({ hasText: '#go' }).count(), 1);
      await checkAxeAt(page, 'the template app General tab');
      assert.deepEqual([seen.foreign, seen.csp], [[], []]);
    } finally {
      await context.close();
    }
  });

  test('edit a scope, a policy rule and a policy by their labels', { skip, timeout: 240_000 }, async () => {
    const { context, page, seen } = await newPage(browser, server);
    const { serverId, api, scopeId, policyId, ruleId } = fixture;
    try {
      await signInToConsole(page, server, ADMIN);
      await page.goto(`${server.base}/admin/authorization-servers/${serverId}`);
      await openTab(page, 'Scopes');
      await go(page, page.getByRole('link', { name: 'Edit orders:read' }));
      await checkAxeAt(page, 'Edit Scope');
      await page.getByLabel('Display phrase').fill('Read your orders');
      await page.getByRole('group', { name: 'User consent' }).getByLabel('Required').check();
      await page.getByLabel('Set as a default scope').check();
      await go(page, page.getByRole('button', { name: 'Save' }));
      const scope = await admin(server, 'GET', `${api}/scopes/${scopeId}`);
      assert.deepEqual([scope.displayName, scope.consent, scope.default], ['Read your orders', 'REQUIRED', true]);

      await openTab(page, 'Access Policies');
      await go(page, page.getByRole('link', { name: 'Edit rule Everyone' }));
      await checkAxeAt(page, 'Edit Rule');
      const lifetime = page.getByLabel('Access token lifetime is (minutes)');
      await lifetime.fill('1');
      await go(page, page.getByRole('button', { name: 'Save' }));
      assert.equal(await lifetime.getAttribute('aria-invalid'), 'true');
      await checkAxeAt(page, 'a refused rule');
      await lifetime.fill('15');
      await go(page, page.getByRole('button', { name: 'Save' }));
      const rule = await admin(server, 'GET', `${api}/policies/${policyId}/rules/${ruleId}`);
      assert.equal(rule.actions.token.accessTokenLifetimeMinutes, 15);

      await go(page, page.getByRole('link', { name: 'Edit policy All' }));
      await checkAxeAt(page, 'Edit Policy');
      await page.getByLabel('Description', { exact: true }).fill('Every client of Orders');
      await go(page, page.getByRole('button', { name: 'Save' }));
      const policy = await admin(server, 'GET', `${api}/policies/${policyId}`);
      assert.equal(policy.description, 'Every client of Orders');
      assert.deepEqual([seen.foreign, seen.csp], [[], []]);
    } finally {
      await context.close();
    }
  });
}
