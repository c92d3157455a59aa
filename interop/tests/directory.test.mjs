// The seed scenario's directory setup, performed with Okta's official Node SDK, unchanged,
// pointed at Tollgate.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import okta from '@okta/okta-sdk-nodejs';
import { startTollgate, all } from '../harness.mjs';

let server;
let client;

before(async () => {
  server = await startTollgate();
  client = new okta.Client({ orgUrl: server.base, token: server.token, cacheMiddleware: null });
});

after(async () => {
  await server?.stop();
});

test('groups, users and memberships through the Okta SDK', async () => {
  const west = await client.groupApi.createGroup({ group: { profile: { name: 'WestCoastDivision', description: 'Employees West of the Rockies' } } });
  assert.match(west.id, /^00g[A-Za-z0-9]{17}$/);
  assert.equal(west.type, 'OKTA_GROUP');
  assert.equal(west.profile.name, 'WestCoastDivision');
  assert.ok(west.created instanceof Date || typeof west.created === 'string');
  const others = [];
  for (let i = 0; i < 4; i++) {
    others.push(await client.groupApi.createGroup({ group: { profile: { name: `Team ${i}` } } }));
  }

  const user = await client.userApi.createUser({
    activate: true,
    body: {
      profile: { firstName: 'Annie', lastName: 'Jackson', email: 'annie.jackson@acme.com', login: 'annie.jackson@acme.com', department: 'Sales' },
      credentials: { password: { value: 'Tollgate-2026' } },
    },
  });
  assert.equal(user.status, 'ACTIVE');
  await client.groupApi.assignUserToGroup({ groupId: west.id, userId: user.id });
  await client.groupApi.assignUserToGroup({ groupId: others[0].id, userId: user.id });

  const read = await client.userApi.getUser({ userId: 'annie.jackson@acme.com' });
  assert.equal(read.id, user.id);
  assert.equal(read.profile.department, 'Sales');

  const userGroups = (await all(await client.userApi.listUserGroups({ userId: user.id }))).map((g) => g.profile.name).sort();
  assert.deepEqual(userGroups, ['Everyone', 'Team 0', 'WestCoastDivision']);

  const members = await all(await client.groupApi.listGroupUsers({ groupId: west.id }));
  assert.deepEqual(members.map((u) => u.id), [user.id]);

  // Paging: the SDK follows Link rel="next" across pages of two.
  const paged = await all(await client.groupApi.listGroups({ limit: 2 }));
  assert.equal(paged.length, 6);
  assert.equal(new Set(paged.map((g) => g.id)).size, 6);

  const found = await all(await client.groupApi.listGroups({ q: 'West' }));
  assert.deepEqual(found.map((g) => g.id), [west.id]);
  const searched = await all(await client.groupApi.listGroups({ search: 'profile.name sw "Team"' }));
  assert.equal(searched.length, 4);
});

test('Okta errors surface as the SDK expects', async () => {
  await assert.rejects(client.groupApi.getGroup({ groupId: '00gnotthere000000000' }), (err) => {
    assert.equal(err.status, 404);
    assert.equal(err.errorCode, 'E0000007');
    return true;
  });
  const bad = new okta.Client({ orgUrl: server.base, token: 'wrong-token', cacheMiddleware: null });
  await assert.rejects(bad.groupApi.listGroups({}).then(all), (err) => {
    assert.equal(err.status, 401);
    assert.equal(err.errorCode, 'E0000011');
    return true;
  });
});
