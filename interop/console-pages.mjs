// Helpers of the console's browser tests: signing in to the console, following a control to the
// page it leads to, the org with its super admin, and axe-core's check of a page (at desktop
// width and at 360 px, with a screenshot at each).
import assert from 'node:assert/strict';
import axe from 'axe-core';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { CALLBACK, PASSWORD, admin, newPage, outDir } from './browser.mjs';

/** Signs `login` in through the hosted page, which leads to the console's applications. */
export async function signInToConsole(page, server, login, password = PASSWORD) {
  await page.goto(`${server.base}/admin`);
  await page.getByLabel('Username').fill(login);
  await page.getByLabel('Password').fill(password);
  const arrived = page.waitForURL((u) => u.pathname === '/admin/apps');
  await Promise.all([arrived, page.getByRole('button', { name: 'Sign in' }).click()]);
}

/** Clicks `control` and waits for the page it leads to. */
export async function go(page, control) {
  await Promise.all([page.waitForEvent('load'), control.click()]);
}

/** No violations axe-core finds on the page as it is now (injected through the debugging protocol, past the CSP). */
export async function checkAxe(page, what) {
  await page.evaluate(axe.source);
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'], rules: { 'target-size': { enabled: true } } });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(found, [], `axe-core on ${what}`);
}

/** A file name for a screenshot of `what`. */
function shotName(what) {
  return `console-${what.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
}

/**
 * [`checkAxe`] at each width, no sideways scrolling there, and a screenshot at each width
 * (`test-output/console-<what>-<width>.png`, not committed).
 */
export async function checkAxeAt(page, what, widths = [1280, 360]) {
  for (const width of widths) {
    await page.setViewportSize({ width, height: 800 });
    await checkAxe(page, `${what} at ${width} px`);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= width, `${what} fits ${width} px (is ${wide})`);
    await page.screenshot({ path: `${outDir}${shotName(what)}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: widths[0], height: 800 });
}

/** The org "Acme Corp" and its super admin `login`; the admin's id. */
export async function seedConsoleAdmin(server, login) {
  await admin(server, 'POST', '/api/v1/org', { companyName: 'Acme Corp' });
  const user = await admin(server, 'POST', '/api/v1/users?activate=true', {
    profile: { firstName: 'Ada', lastName: 'Admin', email: login, login },
    credentials: { password: { value: PASSWORD } },
  });
  await admin(server, 'POST', `/api/v1/users/${user.id}/roles`, { type: 'SUPER_ADMIN' }, 201);
  return user.id;
}

/**
 * A person's implicit flow in a fresh browser context: `login` signs in on the hosted page
 * that `/oauth2/{server}/v1/authorize` (the org server when `serverId` is empty) shows, and the
 * ID token that comes back to CALLBACK is verified against that server's keys; its payload.
 */
export async function implicitIdToken(browser, server, { clientId, login, password = PASSWORD, serverId = '' }) {
  const issuer = serverId ? `${server.base}/oauth2/${serverId}` : server.base;
  const authorize = serverId ? `${issuer}/v1/authorize` : `${server.base}/oauth2/v1/authorize`;
  const keys = serverId ? `${issuer}/v1/keys` : `${server.base}/oauth2/v1/keys`;
  const user = await newPage(browser, server);
  try {
    const q = new URLSearchParams({ client_id: clientId, redirect_uri: CALLBACK, response_type: 'id_token', response_mode: 'fragment', scope: 'openid groups', state: 'myState', nonce: 'n-0S6' });
    await user.page.goto(`${authorize}?${q}`);
    await user.page.getByLabel('Username').fill(login);
    await user.page.getByLabel('Password').fill(password);
    await Promise.all([user.page.waitForURL((u) => u.href.startsWith(CALLBACK)), user.page.getByRole('button', { name: 'Sign in' }).click()]);
    const fragment = new URLSearchParams(new URL(user.page.url()).hash.slice(1));
    assert.ok(fragment.get('id_token'), `an ID token, not ${fragment}`);
    const { payload } = await jwtVerify(fragment.get('id_token'), createRemoteJWKSet(new URL(keys)), { issuer, audience: clientId });
    return payload;
  } finally {
    await user.context.close();
  }
}
