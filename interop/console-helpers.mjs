// What the console's browser suites share: the org with its super admin, and the axe-core check.
import assert from 'node:assert/strict';
import axe from 'axe-core';
import { PASSWORD, admin } from './browser.mjs';

/** The org "Acme Corp" and its super admin `login` (password PASSWORD). */
export async function seedConsoleAdmin(server, login) {
  await admin(server, 'POST', '/api/v1/org', { companyName: 'Acme Corp' });
  const user = await admin(server, 'POST', '/api/v1/users?activate=true', {
    profile: { firstName: 'Ada', lastName: 'Admin', email: login, login },
    credentials: { password: { value: PASSWORD } },
  });
  await admin(server, 'POST', `/api/v1/users/${user.id}/roles`, { type: 'SUPER_ADMIN' }, 201);
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
