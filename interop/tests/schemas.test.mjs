// Custom profile properties and user types through Okta's Node SDK, unchanged: the SDK adds an
// integer `age` to the default user schema, creates a user with it, reads it back, and a value
// of the wrong type is refused as Okta refuses it.
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

const person = (login, extra) => ({
  profile: { firstName: 'Ada', lastName: 'Byron', email: login, login, ...extra },
});

test('the SDK reads the default user schema', async () => {
  const schema = await client.schemaApi.getUserSchema({ schemaId: 'default' });
  assert.equal(schema.name, 'user');
  assert.equal(schema.definitions.base.properties.login.title, 'Username');
  assert.deepEqual(schema.definitions.base.required, ['login', 'firstName', 'lastName', 'email']);
  assert.match(schema._links.self.href, /\/api\/v1\/meta\/schemas\/user\/osc[A-Za-z0-9]{17}$/);
});

test('a custom integer property added by the SDK is stored and checked', async () => {
  const updated = await client.schemaApi.updateUserProfile({
    schemaId: 'default',
    userSchema: {
      definitions: {
        custom: {
          id: '#custom',
          type: 'object',
          properties: { age: { title: 'Age', description: 'Years', type: 'integer' } },
        },
      },
    },
  });
  const age = updated.definitions.custom.properties.age;
  assert.equal(age.type, 'integer');
  assert.equal(age.title, 'Age');
  assert.equal(age.description, 'Years');

  const user = await client.userApi.createUser({ activate: false, body: person('ada@acme.com', { age: 33 }) });
  assert.equal(user.profile.age, 33);
  const read = await client.userApi.getUser({ userId: user.id });
  assert.equal(read.profile.age, 33);
  assert.equal(read.type.id, 'oty00000000000000000');

  await assert.rejects(
    client.userApi.createUser({ activate: false, body: person('bad@acme.com', { age: 'thirty-three' }) }),
    (err) => {
      assert.ok(err instanceof okta.OktaApiError, `${err?.constructor?.name}: ${err}`);
      assert.equal(err.status, 400);
      assert.equal(err.errorCode, 'E0000001');
      assert.equal(err.errorSummary, 'Api validation failed: age');
      assert.deepEqual(err.errorCauses.map((c) => c.errorSummary), ['age: Does not match the type integer']);
      return true;
    },
  );
  await assert.rejects(
    client.userApi.updateUser({ userId: user.id, user: { profile: { age: 33.5 } } }),
    (err) => err.status === 400 && err.errorCode === 'E0000001',
  );
});

test('user types through the SDK', async () => {
  const created = await client.userTypeApi.createUserType({
    userType: { name: 'contractor', displayName: 'Contractor', description: 'Outside staff' },
  });
  assert.match(created.id, /^oty[A-Za-z0-9]{17}$/);
  assert.equal(created._default, false);
  const types = await all(await client.userTypeApi.listUserTypes());
  assert.deepEqual(types.map((t) => t.name).sort(), ['contractor', 'user']);
  const fetched = await client.userTypeApi.getUserType({ typeId: created.id });
  assert.equal(fetched.displayName, 'Contractor');
  await assert.rejects(
    client.userTypeApi.deleteUserType({ typeId: types.find((t) => t._default).id }),
    (err) => err.status === 403 && err.errorCode === 'E0000006',
  );
  await client.userTypeApi.deleteUserType({ typeId: created.id });
});
