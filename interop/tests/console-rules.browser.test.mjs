// The expression editor, Group Rules and Token Preview in a real browser (headless Chromium
// driven by playwright-core, see ../browser.mjs): a broken Groups claim expression on an app's
// Sign On tab gets the checker's message and position as it is typed, and clears once fixed;
// evaluation for a user shows the value; a group rule made in the console (its groups picked
// with Find groups beyond the first 200) puts a new matching person in its groups; Token Preview shows the seed's whitelisted group kept and the others
// dropped. Every page visited has no axe-core violations, at
// desktop width and at 360 px. Screenshots go to interop/test-output/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { checkAxeAt as checkAxe, go } from '../console-pages.mjs';
import { startTollgate } from '../harness.mjs';
import { LOGIN, PASSWORD, admin, defineBrowserTests, launchBrowser, newPage as openPage, outDir, seedSignIn, skip } from '../browser.mjs';

const ADMIN = 'ada@acme.com';
const SEED = 'getFilteredGroups(app.profile.groupwhitelist, "group.name", 40)';

let server;
let browser;
let org;

/** The seed's groups (WestCoastDivision whitelisted), the app and its user, and a super admin. */
async function seedOrg() {
  const signIn = await seedSignIn(server);
  const groups = {};
  for (const name of ['WestCoastDivision', 'Engineering']) {
    groups[name] = (await admin(server, 'POST', '/api/v1/groups', { profile: { name } })).id;
    await admin(server, 'PUT', `/api/v1/groups/${groups[name]}/users/${signIn.userId}`, undefined, 204);
  }
  const [app] = await admin(server, 'GET', `/api/v1/apps?q=${encodeURIComponent('Sample Client')}`);
  app.profile = { groupwhitelist: [groups.WestCoastDivision] };
  await admin(server, 'PUT', `/api/v1/apps/${app.id}`, app);
  const ada = await admin(server, 'POST', '/api/v1/users?activate=true', {
    profile: { firstName: 'Ada', lastName: 'Admin', email: ADMIN, login: ADMIN },
    credentials: { password: { value: PASSWORD } },
  });
  await admin(server, 'POST', `/api/v1/users/${ada.id}/roles`, { type: 'SUPER_ADMIN' }, 201);
  return { ...signIn, appId: app.id, groups };
}

/** A signed-in admin's page. */
async function signedIn() {
  const opened = await openPage(browser, server);
  const { page } = opened;
  await page.goto(`${server.base}/admin`);
  await page.getByLabel('Username').fill(ADMIN);
  await page.getByLabel('Password').fill(PASSWORD);
  await Promise.all([page.waitForURL((u) => u.pathname === '/admin/apps'), page.getByRole('button', { name: 'Sign in' }).click()]);
  return opened;
}

if (defineBrowserTests()) {
  before(async () => {
    if (skip) return;
    server = await startTollgate();
    org = await seedOrg();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('Sign On tab: the Groups claim expression is checked as it is typed, and evaluated for a user', { skip, timeout: 120_000 }, async () => {
    const { context, page, seen } = await signedIn();
    try {
      await page.goto(`${server.base}/admin/apps/${org.appId}/sign-on?edit=1`);
      await page.getByRole('radio', { name: 'Expression' }).check();
      const field = page.getByLabel('Groups claim expression');
      const status = page.locator('#expression-check');
      assert.equal(await status.getAttribute('aria-live'), 'polite');
      assert.match(await field.getAttribute('aria-describedby'), /expression-check/);
      await field.fill(SEED.replace('40)', '400)'));
      await page.waitForFunction(() => /column/.test(document.querySelector('#expression-check').textContent));
      assert.match(await status.innerText(), /less than 100 \(line 1, column 61\)/);
      assert.equal(await field.getAttribute('aria-invalid'), 'true');
      await checkAxe(page, 'the Sign On tab with a broken expression');
      await page.screenshot({ path: `${outDir}console-expression-error.png`, fullPage: true });

      await field.fill(SEED);
      await page.waitForFunction(() => document.querySelector('#expression-check').textContent === '');
      assert.equal(await field.getAttribute('aria-invalid'), null);

      await page.getByLabel('User to evaluate for').fill(LOGIN);
      await page.getByRole('button', { name: 'Evaluate for user' }).click();
      await page.waitForFunction(() => /Value/.test(document.querySelector('#expression-value').textContent));
      assert.deepEqual(JSON.parse((await page.locator('#expression-value').innerText()).replace('Value: ', '')), ['WestCoastDivision']);
      await checkAxe(page, 'the Sign On tab with an evaluated expression');

      // Saved as typed: the server checks it again.
      await page.setViewportSize({ width: 1024, height: 720 });
      await go(page, page.getByRole('button', { name: 'Save' }));
      const claim = await admin(server, 'GET', `/api/v1/internal/apps/${org.appId}/settings/oauth/idToken`);
      assert.equal(JSON.stringify(claim).includes('group.name'), true, JSON.stringify(claim));
      assert.deepEqual(seen.foreign, [], 'the console loads nothing from other origins');
      assert.deepEqual(seen.csp, [], 'nothing was blocked by the Content-Security-Policy');
    } finally {
      await context.close();
    }
  });

  test('Group Rules: add a rule with the live check, activate it, and a matching person lands in the group', { skip, timeout: 120_000 }, async () => {
    for (let i = 0; i < 200; i += 1) {
      await admin(server, 'POST', '/api/v1/groups', { profile: { name: `Filler ${String(i).padStart(3, '0')}` } });
    }
    const zeta = await admin(server, 'POST', '/api/v1/groups', { profile: { name: 'Zeta Squad' } });
    const { context, page, seen } = await signedIn();
    try {
      await go(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Groups' }));
      await go(page, page.getByRole('navigation', { name: 'Groups' }).getByRole('link', { name: 'Rules' }));
      assert.equal(await page.getByRole('heading', { level: 1, name: 'Group rules' }).count(), 1);
      await checkAxe(page, 'Group rules');
      await page.setViewportSize({ width: 1024, height: 720 });
      await go(page, page.getByRole('link', { name: 'Add Rule' }));
      await page.getByLabel('Name', { exact: true }).fill('Engineers');
      const condition = page.getByLabel('Use Okta Expression Language');
      await condition.fill('user.department == ');
      await page.waitForFunction(() => /column 19/.test(document.querySelector('#rule-expression-check').textContent));
      await checkAxe(page, 'Add Rule with a broken condition');
      await condition.fill('user.lastName == "Lovelace"');
      await page.waitForFunction(() => document.querySelector('#rule-expression-check').textContent === '');
      await page.getByLabel('User to evaluate for').fill(LOGIN);
      await page.getByRole('button', { name: 'Evaluate for user' }).click();
      await page.waitForFunction(() => /Value: false/.test(document.querySelector('#rule-expression-value').textContent));
      // Assign to lists the first 200 groups: Zeta Squad, made after 200 others, is found by
      // Find groups, which keeps Engineering chosen while it replaces the other choices.
      const assignTo = page.getByLabel('Assign to');
      assert.equal(await assignTo.locator('option', { hasText: 'Zeta Squad' }).count(), 0);
      await assignTo.selectOption({ label: 'Engineering' });
      await page.getByLabel('Find groups').fill('zeta');
      await page.waitForFunction(() => document.querySelector('#rule-groups-find-status').textContent === '1 found.');
      assert.deepEqual(await assignTo.locator('option').allInnerTexts(), ['Engineering', 'Zeta Squad']);
      await assignTo.selectOption([{ label: 'Engineering' }, { label: 'Zeta Squad' }]);
      await checkAxe(page, 'Add Rule with groups found by Find groups');
      await page.screenshot({ path: `${outDir}console-add-rule.png`, fullPage: true });
      // A refused save comes back with both groups still chosen, and the condition's fault
      // shown as the page opens.
      await condition.fill('user.department == ');
      await go(page, page.getByRole('button', { name: 'Save' }));
      await page.waitForFunction(() => /column 19/.test(document.querySelector('#rule-expression-check')?.textContent ?? ''));
      assert.deepEqual(await page.getByLabel('Assign to').evaluate((s) => [...s.selectedOptions].map((o) => o.text)), ['Engineering', 'Zeta Squad']);
      await page.getByLabel('Use Okta Expression Language').fill('user.lastName == "Lovelace"');
      await page.setViewportSize({ width: 1024, height: 720 });
      await go(page, page.getByRole('button', { name: 'Save' }));
      assert.match(await page.getByRole('status').first().innerText(), /Rule added/);
      await go(page, page.getByRole('button', { name: 'Activate Engineers' }));
      const [rule] = await admin(server, 'GET', '/api/v1/groups/rules');
      assert.equal(rule.status, 'ACTIVE');
      const ada = await admin(server, 'POST', '/api/v1/users?activate=true', {
        profile: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada.l@acme.com', login: 'ada.l@acme.com' },
      });
      for (const group of [org.groups.Engineering, zeta.id]) {
        const members = await admin(server, 'GET', `/api/v1/groups/${group}/users`);
        assert.ok(members.some((u) => u.id === ada.id), 'the new person is in both groups');
      }
      await checkAxe(page, 'Group rules with an active rule');
      assert.deepEqual(seen.foreign, [], 'the console loads nothing from other origins');
      assert.deepEqual(seen.csp, [], 'nothing was blocked by the Content-Security-Policy');
    } finally {
      await context.close();
    }
  });

  test('Token Preview: the ID token of the seed carries the whitelisted group, and the others are dropped', { skip, timeout: 120_000 }, async () => {
    for (const claimType of ['IDENTITY', 'RESOURCE']) {
      await admin(server, 'POST', '/api/v1/authorizationServers/default/claims', {
        name: 'groups', status: 'ACTIVE', claimType, valueType: 'EXPRESSION', value: SEED, conditions: { scopes: [] },
      }, 201);
    }
    const { context, page, seen } = await signedIn();
    try {
      await page.goto(`${server.base}/admin/authorization-servers/default/token-preview`);
      assert.equal(await page.getByRole('heading', { level: 1, name: 'Token Preview' }).count(), 1);
      await page.getByLabel('Find clients').fill('Sample');
      await page.waitForFunction(() => document.querySelector('#tp-client-find-status').textContent === '1 found.');
      await page.getByLabel('OAuth/OIDC client').selectOption({ label: 'Sample Client' });
      await page.getByLabel('Grant type').selectOption({ label: 'Implicit' });
      await page.getByLabel('User', { exact: true }).fill(LOGIN);
      await page.getByLabel('Scopes').fill('openid groups');
      await go(page, page.getByRole('button', { name: 'Preview Token' }));
      const idToken = JSON.parse(await page.getByLabel('ID token payload').innerText());
      assert.deepEqual(idToken.groups, ['WestCoastDivision']);
      const kept = page.getByRole('table', { name: 'ID token: groups kept and dropped' });
      assert.equal(await kept.getByRole('row', { name: /WestCoastDivision Kept/ }).count(), 1);
      assert.equal(await kept.getByRole('row', { name: /Engineering Dropped: NOT_IN_WHITELIST/ }).count(), 1);
      await checkAxe(page, 'Token Preview');
      assert.deepEqual(seen.foreign, [], 'the console loads nothing from other origins');
      assert.deepEqual(seen.csp, [], 'nothing was blocked by the Content-Security-Policy');
    } finally {
      await context.close();
    }
  });
}
