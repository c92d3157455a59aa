// The seed scenario's Step Three with Okta's Node SDK: the groups claim created on the `default`
// custom authorization server (the guide's quoted expression, as the guide sends it) and on a
// new server, then Tollgate's token preview (an extension; raw HTTP) shows the claim value.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import okta from '@okta/okta-sdk-nodejs';
import { startTollgate } from '../harness.mjs';

let server;
let client;

before(async () => {
  server = await startTollgate();
  client = new okta.Client({ orgUrl: server.base, token: server.token, cacheMiddleware: null });
});

after(async () => {
  await server?.stop();
});

const QUOTED = '"getFilteredGroups(app.profile.groupwhitelist, "group.name", 40)"';

test('Step Three: the groups claim through the SDK, and what a token would carry', async () => {
  const west = await client.groupApi.createGroup({ group: { profile: { name: 'WestCoastDivision' } } });
  const east = await client.groupApi.createGroup({ group: { profile: { name: 'EastCoastDivision' } } });
  const user = await client.userApi.createUser({
    activate: true,
    body: {
      profile: { firstName: 'Annie', lastName: 'Jackson', email: 'annie.jackson@acme.com', login: 'annie.jackson@acme.com' },
      credentials: { password: { value: 'Tollgate-2026' } },
      groupIds: [west.id, east.id],
    },
  });
  const app = await client.applicationApi.createApplication({
    application: {
      name: 'oidc_client',
      label: 'Sample Client',
      signOnMode: 'OPENID_CONNECT',
      credentials: { oauthClient: { token_endpoint_auth_method: 'client_secret_post' } },
      settings: { oauthClient: { redirect_uris: ['https://example.com/oauth2/callback'], response_types: ['token', 'id_token', 'code'],
        grant_types: ['implicit', 'authorization_code'], application_type: 'native' } },
      profile: { groupwhitelist: [west.id] },
    },
  });
  await client.applicationApi.assignUserToApplication({ appId: app.id, appUser: { id: user.id } });

  const claim = await client.authorizationServerApi.createOAuth2Claim({
    authServerId: 'default',
    oAuth2Claim: { name: 'groups', status: 'ACTIVE', claimType: 'IDENTITY', valueType: 'EXPRESSION', value: QUOTED, conditions: { scopes: [] } },
  });
  assert.equal(claim.name, 'groups');
  assert.equal(claim.value, 'getFilteredGroups(app.profile.groupwhitelist, "group.name", 40)', 'stored without the extra quotes');

  const custom = await client.authorizationServerApi.createAuthorizationServer({
    authorizationServer: { name: 'Sample Authorization Server', description: 'seed', audiences: ['api://sample'] },
  });
  const onCustom = await client.authorizationServerApi.createOAuth2Claim({
    authServerId: custom.id,
    oAuth2Claim: { name: 'groups', status: 'ACTIVE', claimType: 'RESOURCE', valueType: 'EXPRESSION', value: QUOTED, conditions: { scopes: [] } },
  });
  assert.equal(onCustom.claimType, 'RESOURCE');

  const preview = await fetch(`${server.base}/api/v1/authorizationServers/default/tokenPreview`, {
    method: 'POST',
    headers: { authorization: `SSWS ${server.token}`, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ clientId: app.credentials.oauthClient.client_id, userId: user.id, grantType: 'implicit', scopes: ['groups', 'openid'] }),
  }).then((r) => r.json());
  assert.equal(preview.decision.result, 'ALLOW');
  assert.deepEqual(preview.idToken.claims.groups, ['WestCoastDivision'], 'only whitelisted groups the user is in');

  // The new server has no policy yet (as the guide warns): the preview says so.
  const denied = await fetch(`${server.base}/api/v1/authorizationServers/${custom.id}/tokenPreview`, {
    method: 'POST',
    headers: { authorization: `SSWS ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ clientId: app.credentials.oauthClient.client_id, userId: user.id, grantType: 'implicit', scopes: ['groups', 'openid'] }),
  }).then((r) => r.json());
  assert.equal(denied.decision.result, 'DENY');
  assert.match(denied.decision.reason, /no active policy/);
});
