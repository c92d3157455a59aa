// Group rules with Okta's official Node SDK, unchanged, pointed at Tollgate: a rule made and
// activated through the SDK puts a new matching user in its group, and not a non-matching one.
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

const newUser = (login, department) => client.userApi.createUser({
  activate: false,
  body: { profile: { firstName: 'Rule', lastName: login, email: `${login}@example.com`, login: `${login}@example.com`, department } },
});

const memberIds = async (groupId) =>
  (await all(await client.groupApi.listGroupUsers({ groupId }))).map((u) => u.id).sort();

test('a group rule made and activated through the SDK assigns new users', async () => {
  const group = await client.groupApi.createGroup({ group: { profile: { name: 'Engineering' } } });
  const rule = await client.groupApi.createGroupRule({
    groupRule: {
      type: 'group_rule',
      name: 'Engineering department',
      conditions: { expression: { type: 'urn:okta:expression:1.0', value: 'user.department == "Engineering"' } },
      actions: { assignUserToGroups: { groupIds: [group.id] } },
    },
  });
  assert.match(rule.id, /^0pr[A-Za-z0-9]{17}$/);
  assert.equal(rule.status, 'INACTIVE');
  assert.equal(rule.type, 'group_rule');
  assert.equal(rule.conditions.expression.value, 'user.department == "Engineering"');
  assert.deepEqual(rule.actions.assignUserToGroups.groupIds, [group.id]);

  await client.groupApi.activateGroupRule({ ruleId: rule.id });
  const engineer = await newUser('engineer', 'Engineering');
  const seller = await newUser('seller', 'Sales');
  assert.deepEqual(await memberIds(group.id), [engineer.id]);

  const read = await client.groupApi.getGroupRule({ ruleId: rule.id });
  assert.equal(read.status, 'ACTIVE');
  // The SDK's GroupRule model drops `_embedded`, so the expansion is read over plain HTTP.
  const expanded = await (await fetch(`${server.base}/api/v1/groups/rules/${rule.id}?expand=groupIdToGroupNameMap`, {
    headers: { Authorization: `SSWS ${server.token}`, Accept: 'application/json' },
  })).json();
  assert.equal(expanded._embedded.groupIdToGroupNameMap[group.id], 'Engineering');
  const listed = await all(await client.groupApi.listGroupRules({ search: 'Engineering' }));
  assert.deepEqual(listed.map((r) => r.id), [rule.id]);

  // An active rule cannot be replaced; once deactivated it can, and the memberships stay.
  const replacement = { ...rule, name: 'Engineering (renamed)' };
  await assert.rejects(client.groupApi.replaceGroupRule({ ruleId: rule.id, groupRule: replacement }), (e) => e.status === 400);
  await client.groupApi.deactivateGroupRule({ ruleId: rule.id });
  const renamed = await client.groupApi.replaceGroupRule({ ruleId: rule.id, groupRule: replacement });
  assert.equal(renamed.name, 'Engineering (renamed)');
  assert.deepEqual(await memberIds(group.id), [engineer.id]);

  // Changing the seller's department while the rule is active again adds them.
  await client.groupApi.activateGroupRule({ ruleId: rule.id });
  await client.userApi.updateUser({ userId: seller.id, user: { profile: { department: 'Engineering' } } });
  assert.deepEqual(await memberIds(group.id), [engineer.id, seller.id].sort());

  await client.groupApi.deleteGroupRule({ ruleId: rule.id, removeUsers: true });
  assert.deepEqual(await memberIds(group.id), []);
  await assert.rejects(client.groupApi.getGroupRule({ ruleId: rule.id }), (e) => e.status === 404);
});
