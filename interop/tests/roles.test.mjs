// Admin roles through Okta's Node SDK: a super admin assigns READ_ONLY_ADMIN to a user; a token
// of that user (made with `tollgate api-token create --owner`) reads, and a write is refused
// with the SDK's OktaApiError 403 E0000006.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import okta from '@okta/okta-sdk-nodejs';
import { startTollgate, all } from '../harness.mjs';

let server;
let admin;

before(async () => {
  server = await startTollgate();
  admin = new okta.Client({ orgUrl: server.base, token: server.token, cacheMiddleware: null });
});

after(async () => {
  await server?.stop();
});

test('a read-only admin reads, and a write is refused with OktaApiError 403', async () => {
  const reader = await admin.userApi.createUser({
    activate: true,
    body: {
      profile: { firstName: 'Rea', lastName: 'Der', email: 'reader@acme.com', login: 'reader@acme.com' },
      credentials: { password: { value: 'Tollgate-2026' } },
    },
  });
  const role = await admin.roleAssignmentApi.assignRoleToUser({ userId: reader.id, assignRoleRequest: { type: 'READ_ONLY_ADMIN' } });
  assert.equal(role.type, 'READ_ONLY_ADMIN');
  assert.equal(role.assignmentType, 'USER');
  const roles = await all(await admin.roleAssignmentApi.listAssignedRolesForUser({ userId: reader.id }));
  assert.deepEqual(roles.map((r) => r.type), ['READ_ONLY_ADMIN']);

  const token = execFileSync(server.bin, ['api-token', 'create', '--name', 'reader', '--owner', 'reader@acme.com', '--database-url', server.databaseUrl], { encoding: 'utf8' }).trim();
  const ro = new okta.Client({ orgUrl: server.base, token, cacheMiddleware: null });
  const users = await all(await ro.userApi.listUsers());
  assert.ok(users.some((u) => u.id === reader.id));

  await assert.rejects(
    ro.groupApi.createGroup({ group: { profile: { name: 'Not allowed' } } }),
    (err) => {
      assert.ok(err instanceof okta.OktaApiError, `${err}`);
      assert.equal(err.status, 403);
      assert.equal(err.errorCode, 'E0000006');
      assert.equal(err.errorSummary, 'You do not have permission to perform the requested action');
      return true;
    },
  );
  const groups = await all(await admin.groupApi.listGroups({ q: 'Not allowed' }));
  assert.equal(groups.length, 0);
});
