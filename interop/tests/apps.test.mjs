// The seed scenario ("groups claim with the app profile", Steps One and Two) performed with
// Okta's official Node SDK, unchanged, pointed at Tollgate: directory setup, an OIDC app with a
// group whitelist in its profile, app assignments, paging; then the guide's Step Two request
// sent verbatim.
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

/** The seed page's Step Two app, as a create body (no profile yet). */
function seedApp(label = 'Sample Client') {
  return {
    name: 'oidc_client',
    label,
    signOnMode: 'OPENID_CONNECT',
    credentials: { oauthClient: { token_endpoint_auth_method: 'client_secret_post' } },
    settings: {
      oauthClient: {
        client_uri: 'http://localhost:8080',
        logo_uri: 'http://developer.okta.com/assets/images/logo-new.png',
        redirect_uris: ['https://example.com/oauth2/callback', 'myapp://callback'],
        response_types: ['token', 'id_token', 'code'],
        grant_types: ['implicit', 'authorization_code'],
        application_type: 'native',
      },
    },
  };
}

async function createUser(first, last) {
  const login = `${first}.${last}@acme.com`.toLowerCase();
  return client.userApi.createUser({
    activate: true,
    body: {
      profile: { firstName: first, lastName: last, email: login, login },
      credentials: { password: { value: 'Tollgate-2026' } },
    },
  });
}

/** Raw request with the SSWS token, for what the SDK cannot show (headers, verbatim bodies). */
function raw(path, init = {}) {
  return fetch(server.base + path, {
    ...init,
    headers: { accept: 'application/json', authorization: `SSWS ${server.token}`, ...(init.headers || {}) },
  });
}

// Shared by the tests below, which run in order.
const dir = {};

test('directory setup for the seed: groups and users', async () => {
  dir.west = await client.groupApi.createGroup({ group: { profile: { name: 'WestCoastDivision', description: 'Employees West of the Rockies' } } });
  dir.east = await client.groupApi.createGroup({ group: { profile: { name: 'EastCoastDivision' } } });
  dir.contractors = await client.groupApi.createGroup({ group: { profile: { name: 'Contractors' } } });
  assert.match(dir.west.id, /^00g[A-Za-z0-9]{17}$/);

  dir.annie = await createUser('Annie', 'Jackson');
  dir.bob = await createUser('Bob', 'Rivera');
  await client.groupApi.assignUserToGroup({ groupId: dir.west.id, userId: dir.annie.id });
  await client.groupApi.assignUserToGroup({ groupId: dir.contractors.id, userId: dir.annie.id });
  await client.groupApi.assignUserToGroup({ groupId: dir.east.id, userId: dir.bob.id });

  // Step One: collect the group ids.
  const groups = await all(await client.groupApi.listGroups({}));
  const byName = Object.fromEntries(groups.map((g) => [g.profile.name, g.id]));
  assert.equal(byName.WestCoastDivision, dir.west.id);
  assert.equal(byName.EastCoastDivision, dir.east.id);
});

test('create the OIDC client with createApplication', async () => {
  const app = await client.applicationApi.createApplication({ application: seedApp() });
  assert.ok(app instanceof okta.OpenIdConnectApplication, `deserialised as ${app?.constructor?.name}`);
  assert.match(app.id, /^0oa[A-Za-z0-9]{17}$/);
  assert.equal(app.name, 'oidc_client');
  assert.equal(app.label, 'Sample Client');
  assert.equal(app.status, 'ACTIVE');
  assert.equal(app.signOnMode, 'OPENID_CONNECT');
  assert.ok(app.created instanceof Date && !Number.isNaN(app.created.getTime()));
  assert.ok(app.lastUpdated instanceof Date && !Number.isNaN(app.lastUpdated.getTime()));

  const oc = app.credentials.oauthClient;
  assert.equal(oc.client_id, app.id);
  assert.equal(oc.token_endpoint_auth_method, 'client_secret_post');
  assert.equal(typeof oc.client_secret, 'string');
  assert.ok(oc.client_secret.length >= 14);

  const s = app.settings.oauthClient;
  assert.deepEqual(s.redirect_uris, ['https://example.com/oauth2/callback', 'myapp://callback']);
  assert.deepEqual([...s.grant_types].sort(), ['authorization_code', 'implicit']);
  assert.deepEqual([...s.response_types].sort(), ['code', 'id_token', 'token']);
  assert.equal(s.application_type, 'native');
  assert.equal(s.client_uri, 'http://localhost:8080');
  assert.equal(s.logo_uri, 'http://developer.okta.com/assets/images/logo-new.png');
  dir.app = app;
});

test('replaceApplication adds profile.groupwhitelist; getApplication reads it back', async () => {
  const app = dir.app;
  app.profile = { groupwhitelist: [dir.west.id] };
  const replaced = await client.applicationApi.replaceApplication({ appId: app.id, application: app });
  assert.deepEqual(replaced.profile, { groupwhitelist: [dir.west.id] });

  const read = await client.applicationApi.getApplication({ appId: app.id });
  assert.ok(read instanceof okta.OpenIdConnectApplication, `deserialised as ${read?.constructor?.name}`);
  assert.deepEqual(read.profile.groupwhitelist, [dir.west.id]);
  assert.equal(read.credentials.oauthClient.client_id, app.id);
  assert.equal(read.credentials.oauthClient.token_endpoint_auth_method, 'client_secret_post');
  assert.equal(read.label, 'Sample Client');
  assert.deepEqual(read.settings.oauthClient.redirect_uris, ['https://example.com/oauth2/callback', 'myapp://callback']);
  assert.equal(read.settings.oauthClient.application_type, 'native');

  await assert.rejects(client.applicationApi.getApplication({ appId: '0oanotthere000000000' }), (err) => {
    assert.equal(err.status, 404);
    assert.equal(err.errorCode, 'E0000007');
    return true;
  });
});

test('assign a user and a group; list app users with their scopes', async () => {
  const appId = dir.app.id;
  const au = await client.applicationApi.assignUserToApplication({
    appId,
    appUser: { id: dir.annie.id, scope: 'USER', credentials: { userName: dir.annie.profile.login } },
  });
  assert.equal(au.id, dir.annie.id);
  assert.equal(au.scope, 'USER');
  assert.equal(au.status, 'ACTIVE');
  assert.equal(au.credentials.userName, dir.annie.profile.login);

  const ag = await client.applicationApi.assignGroupToApplication({ appId, groupId: dir.east.id });
  assert.equal(ag.id, dir.east.id);
  assert.equal(typeof ag.priority, 'number');

  const users = await all(await client.applicationApi.listApplicationUsers({ appId }));
  const scopes = Object.fromEntries(users.map((u) => [u.id, u.scope]));
  assert.deepEqual(scopes, { [dir.annie.id]: 'USER', [dir.bob.id]: 'GROUP' });
  for (const u of users) {
    assert.ok(u instanceof okta.AppUser, `deserialised as ${u?.constructor?.name}`);
    assert.ok(u.created instanceof Date && !Number.isNaN(u.created.getTime()));
  }

  const appGroups = await all(await client.applicationApi.listApplicationGroupAssignments({ appId }));
  assert.deepEqual(appGroups.map((g) => g.id), [dir.east.id]);

  const groupApps = await all(await client.groupApi.listAssignedApplicationsForGroup({ groupId: dir.east.id }));
  assert.deepEqual(groupApps.map((a) => a.id), [appId]);
  const westApps = await all(await client.groupApi.listAssignedApplicationsForGroup({ groupId: dir.west.id }));
  assert.deepEqual(westApps, []);

  // Annie is assigned directly, Bob through EastCoastDivision: both see the app.
  for (const user of [dir.annie, dir.bob]) {
    const links = await all(await client.userApi.listAppLinks({ userId: user.id }));
    assert.deepEqual(links.map((l) => l.appInstanceId), [appId], `app links of ${user.profile.login}`);
  }
});

test('listApplications pages through Link rel="next"', async () => {
  const created = [dir.app.id];
  for (let i = 0; i < 6; i++) {
    const app = await client.applicationApi.createApplication({ application: seedApp(`Paging Client ${i}`) });
    created.push(app.id);
  }
  // Several pages of two: the first page alone has two items and a next link.
  const first = await raw('/api/v1/apps?limit=2');
  assert.equal(first.status, 200);
  assert.equal((await first.json()).length, 2);
  assert.ok(first.headers.get('link').includes('rel="next"'), first.headers.get('link'));

  const paged = await all(await client.applicationApi.listApplications({ limit: 2 }));
  assert.equal(paged.length, created.length);
  assert.deepEqual(new Set(paged.map((a) => a.id)), new Set(created));
  for (const a of paged) assert.ok(a instanceof okta.OpenIdConnectApplication, `deserialised as ${a?.constructor?.name}`);

  const found = await all(await client.applicationApi.listApplications({ q: 'Paging', limit: 4 }));
  assert.equal(found.length, 6);
  assert.ok(found.every((a) => a.label.startsWith('Paging Client ')));
});

test("the seed's Step Two request, verbatim, stores the profile", async () => {
  const aid = dir.app.id;
  const body = `{
    "name": "oidc_client",
    "label": "Sample Client",
    "status": "ACTIVE",
    "signOnMode": "OPENID_CONNECT",
    "credentials": {
      "oauthClient": {
        "token_endpoint_auth_method": "client_secret_post"
      }
    },
    "settings": {
      "oauthClient": {
        "client_uri": "http://localhost:8080",
        "logo_uri": "http://developer.okta.com/assets/images/logo-new.png",
        "redirect_uris": [
          "https://example.com/oauth2/callback",
          "myapp://callback"
        ],
        "response_types": [
          "token",
          "id_token",
          "code"
        ],
        "grant_types": [
          "implicit",
          "authorization_code"
        ],
        "application_type": "native"
      }
    },
    "profile": {
      "groupwhitelist": [
        "00gbso71miOMjxHRW0h7"
      ]
    }
  }`;
  const resp = await fetch(`${server.base}/api/v1/apps/${aid}`, {
    method: 'POST',
    headers: {
      accept: 'application/json',
      authorization: `SSWS ${server.token}`,
      'cache-control': 'no-cache',
      'content-type': 'application/json',
    },
    body,
  });
  assert.equal(resp.status, 200);
  const updated = await resp.json();
  assert.deepEqual(updated.profile, { groupwhitelist: ['00gbso71miOMjxHRW0h7'] });
  assert.equal(updated.credentials.oauthClient.client_id, aid);
  assert.equal(updated.credentials.oauthClient.token_endpoint_auth_method, 'client_secret_post');
  // The body carries no secret: the existing one is kept, so none is shown (a new one would be).
  assert.equal(updated.credentials.oauthClient.client_secret, undefined);
  assert.deepEqual(updated.settings.oauthClient.grant_types, ['implicit', 'authorization_code']);

  // Read back through the SDK: the profile is stored and client_id is kept.
  const read = await client.applicationApi.getApplication({ appId: aid });
  assert.deepEqual(read.profile, { groupwhitelist: ['00gbso71miOMjxHRW0h7'] });
  assert.equal(read.credentials.oauthClient.client_id, aid);
  assert.equal(read.status, 'ACTIVE');

  // Putting the real group back through the same route works too.
  const again = await raw(`/api/v1/apps/${aid}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cache-control': 'no-cache' },
    body: body.replace('00gbso71miOMjxHRW0h7', dir.west.id),
  });
  assert.equal(again.status, 200);
  const reread = await client.applicationApi.getApplication({ appId: aid });
  assert.deepEqual(reread.profile.groupwhitelist, [dir.west.id]);
});

test('app lifecycle through the SDK: deactivate, delete', async () => {
  const app = await client.applicationApi.createApplication({ application: seedApp('Short-lived Client') });
  await assert.rejects(client.applicationApi.deleteApplication({ appId: app.id }), (err) => {
    assert.equal(err.status, 403);
    assert.equal(err.errorCode, 'E0000056');
    return true;
  });
  await client.applicationApi.deactivateApplication({ appId: app.id });
  assert.equal((await client.applicationApi.getApplication({ appId: app.id })).status, 'INACTIVE');
  await client.applicationApi.deleteApplication({ appId: app.id });
  await assert.rejects(client.applicationApi.getApplication({ appId: app.id }), (err) => err.status === 404);
});
