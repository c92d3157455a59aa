// The seed scenario's Steps Four and Five with real relying-party libraries: openid-client
// (discovery, the authorization code flow with PKCE, userinfo, refresh, introspection,
// revocation, and the implicit `id_token` flow) and @okta/jwt-verifier (access and ID tokens),
// on the org authorization server, `default`, and a new custom server set up as the guide says.
// The seed's objects are created with Okta's Node SDK; the user signs in with a `sessionToken`
// from `/api/v1/authn`, and the `/authorize` redirect is read from its `Location` header (the
// `https://example.com` callback is never contacted).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import okta from '@okta/okta-sdk-nodejs';
import * as oidc from 'openid-client';
import OktaJwtVerifier from '@okta/jwt-verifier';
import { startTollgate } from '../harness.mjs';

const LOGIN = 'annie.jackson@acme.com';
const PASSWORD = 'Tollgate-2026';
const REDIRECT = 'https://example.com/oauth2/callback';
const BYE = 'https://example.com/bye';
// Step Three's expression: as typed into the org server's app settings, and as the guide posts
// it to the claims API (with its extra quotes).
const EXPRESSION = 'getFilteredGroups(app.profile.groupwhitelist, "group.name", 40)';
const QUOTED = `"${EXPRESSION}"`;
const WEST = ['WestCoastDivision'];

let server;
let sdk;
let clientId;
let clientSecret;
let userId;
let customId; // the new custom server, `aus…`
let westId;
let testing; // the verifier's knob for a plain-http issuer

before(async () => {
  server = await startTollgate();
  sdk = new okta.Client({ orgUrl: server.base, token: server.token, cacheMiddleware: null });
  testing = { disableHttpsCheck: true };

  // Step One: the groups. The user is in WestCoastDivision and Engineering; the app's whitelist
  // names WestCoastDivision and Contractors, so only WestCoastDivision may reach a token.
  const groups = {};
  for (const name of ['WestCoastDivision', 'Engineering', 'Contractors']) {
    groups[name] = await sdk.groupApi.createGroup({ group: { profile: { name } } });
  }
  const user = await sdk.userApi.createUser({
    activate: true,
    body: {
      profile: { firstName: 'Annie', lastName: 'Jackson', email: LOGIN, login: LOGIN },
      credentials: { password: { value: PASSWORD } },
      groupIds: [groups.WestCoastDivision.id, groups.Engineering.id],
    },
  });
  userId = user.id;
  westId = groups.WestCoastDivision.id;

  // Step Two: the client with its whitelist in the app profile. The seed's app authenticates
  // at the token endpoint with `client_secret_post`; the code flow needs `refresh_token` too.
  const app = await sdk.applicationApi.createApplication({
    application: {
      name: 'oidc_client',
      label: 'Sample Client',
      signOnMode: 'OPENID_CONNECT',
      credentials: { oauthClient: { token_endpoint_auth_method: 'client_secret_post' } },
      settings: {
        oauthClient: {
          redirect_uris: [REDIRECT],
          post_logout_redirect_uris: [BYE],
          response_types: ['token', 'id_token', 'code'],
          grant_types: ['implicit', 'authorization_code', 'refresh_token'],
          application_type: 'native',
        },
      },
      profile: { groupwhitelist: [groups.WestCoastDivision.id, groups.Contractors.id] },
    },
  });
  clientId = app.credentials.oauthClient.client_id;
  clientSecret = app.credentials.oauthClient.client_secret;
  assert.ok(clientSecret, 'a confidential client has a secret');
  await sdk.applicationApi.assignUserToApplication({ appId: app.id, appUser: { id: user.id } });

  // Step Three, org server: the app's ID token groups claim (the Sign On tab; an internal API).
  const orgClaim = await admin('POST', `/api/v1/internal/apps/${app.id}/settings/oauth/idToken`, {
    valueType: 'EXPRESSION', name: 'groups', value: EXPRESSION,
  });
  assert.equal(orgClaim.status, 200, await orgClaim.text());

  // Step Three, `default`: a RESOURCE claim for access tokens and an IDENTITY claim that rides
  // in every ID token ("Always"), so the code flow's ID token carries it too.
  const authz = sdk.authorizationServerApi;
  await authz.createOAuth2Claim({
    authServerId: 'default',
    oAuth2Claim: { name: 'groups', status: 'ACTIVE', claimType: 'RESOURCE', valueType: 'EXPRESSION', value: QUOTED, conditions: { scopes: [] } },
  });
  await authz.createOAuth2Claim({
    authServerId: 'default',
    oAuth2Claim: { name: 'groups', status: 'ACTIVE', claimType: 'IDENTITY', valueType: 'EXPRESSION', value: QUOTED,
      alwaysIncludeInToken: true, conditions: { scopes: [] } },
  });

  // Step Three, a new custom server as in the guide: policy for all clients, a rule for
  // everyone and every scope, and both claims with the guide's quoted value.
  const custom = await authz.createAuthorizationServer({
    authorizationServer: { name: 'Sample Authorization Server', description: 'seed', audiences: ['api://sample'] },
  });
  customId = custom.id;
  const policy = await authz.createAuthorizationServerPolicy({
    authServerId: customId,
    policy: { type: 'OAUTH_AUTHORIZATION_POLICY', status: 'ACTIVE', name: 'All clients', description: 'seed', priority: 1,
      conditions: { clients: { include: ['ALL_CLIENTS'] } } },
  });
  await authz.createAuthorizationServerPolicyRule({
    authServerId: customId,
    policyId: policy.id,
    policyRule: { type: 'RESOURCE_ACCESS', name: 'Everyone', priority: 1,
      conditions: { people: { groups: { include: ['EVERYONE'] } }, grantTypes: { include: ['implicit', 'authorization_code'] },
        scopes: { include: ['*'] } } },
  });
  for (const claimType of ['IDENTITY', 'RESOURCE']) {
    await authz.createOAuth2Claim({
      authServerId: customId,
      oAuth2Claim: { name: 'groups', status: 'ACTIVE', claimType, valueType: 'EXPRESSION', value: QUOTED, conditions: { scopes: [] } },
    });
  }
});

after(async () => {
  await server?.stop();
});

function admin(method, path, body) {
  return fetch(`${server.base}${path}`, {
    method,
    headers: { authorization: `SSWS ${server.token}`, accept: 'application/json', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** A fresh one-time `sessionToken` for the seed user (`POST /api/v1/authn`). */
async function sessionToken() {
  const res = await fetch(`${server.base}/api/v1/authn`, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify({ username: LOGIN, password: PASSWORD }),
  });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  assert.equal(body.status, 'SUCCESS');
  return body.sessionToken;
}

/** The issuer of the org server (`''`), `default` or a custom server id. */
function issuerOf(id) {
  return id ? `${server.base}/oauth2/${id}` : server.base;
}

/**
 * openid-client's configuration from the server's discovery document. Plain http needs
 * `allowInsecureRequests`; `enableNonRepudiationChecks` makes it check the signature of ID
 * tokens from the token endpoint too (against the discovered `jwks_uri`), not only their claims.
 */
function discover(id, ...execute) {
  return oidc.discovery(new URL(issuerOf(id)), clientId, undefined, oidc.ClientSecretPost(clientSecret), {
    execute: [oidc.allowInsecureRequests, oidc.enableNonRepudiationChecks, ...execute],
  });
}

/** Sends the browser's `/authorize` request; returns the callback URL from `Location`. */
async function authorize(url) {
  const res = await fetch(url, { redirect: 'manual' });
  const location = res.headers.get('location');
  assert.equal(res.status, 302, `${res.status} ${location ?? (await res.text())}`);
  assert.ok(location.startsWith(REDIRECT), location);
  const callback = new URL(location);
  assert.equal(callback.searchParams.get('error') ?? new URLSearchParams(callback.hash.slice(1)).get('error'), null, location);
  return callback;
}

/** The authorization code flow with PKCE, signed in through a `sessionToken`. */
async function codeFlow(config, scope) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT,
    scope,
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    sessionToken: await sessionToken(),
  });
  const callback = await authorize(url);
  assert.equal(callback.searchParams.get('iss'), config.serverMetadata().issuer, 'RFC 9207 iss in the response');
  const tokens = await oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
    idTokenExpected: true,
  });
  return { tokens, nonce };
}

/** The seed's Step Four request (`response_mode=fragment`): the fragment's parameters. */
async function implicit(id, responseType, scope) {
  const nonce = oidc.randomNonce();
  const url = new URL(`${issuerOf(id)}${id ? '' : '/oauth2'}/v1/authorize`);
  url.search = new URLSearchParams({
    client_id: clientId, response_type: responseType, response_mode: 'fragment', scope,
    redirect_uri: REDIRECT, state: 'myState', nonce, sessionToken: await sessionToken(),
  }).toString();
  const callback = await authorize(url);
  assert.equal(callback.search, '', 'nothing in the query');
  const params = Object.fromEntries(new URLSearchParams(callback.hash.slice(1)));
  assert.equal(params.state, 'myState');
  return { params, nonce, callback };
}

/** The claims of a JWT, unverified (Step Five: "decode the JWT"). */
function decode(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
}

test('discovery: openid-client accepts the org, default and custom server documents', async () => {
  for (const id of ['', 'default', customId]) {
    const config = await discover(id);
    const meta = config.serverMetadata();
    assert.equal(meta.issuer, issuerOf(id));
    const base = id ? `${issuerOf(id)}/v1` : `${server.base}/oauth2/v1`;
    assert.equal(meta.authorization_endpoint, `${base}/authorize`);
    assert.equal(meta.token_endpoint, `${base}/token`);
    assert.equal(meta.jwks_uri, `${base}/keys`);
    assert.equal(meta.userinfo_endpoint, `${base}/userinfo`);
    assert.equal(meta.introspection_endpoint, `${base}/introspect`);
    assert.equal(meta.revocation_endpoint, `${base}/revoke`);
    assert.ok(config.serverMetadata().supportsPKCE(), 'S256 advertised');
    assert.ok(meta.token_endpoint_auth_methods_supported.includes('client_secret_post'));
  }
});

test('openid-client: code flow with PKCE on default — groups in the ID token (Always) and the access token; userinfo, refresh, introspection, revocation, logout, errors', async () => {
  const config = await discover('default');
  const { tokens, nonce } = await codeFlow(config, 'openid profile email groups offline_access');

  // openid-client checked the ID token's signature (JWKS), iss, aud, nonce, exp and iat.
  const id = tokens.claims();
  assert.equal(id.iss, issuerOf('default'));
  assert.equal(id.aud, clientId);
  assert.equal(id.sub, userId);
  assert.equal(id.nonce, nonce);
  assert.deepEqual(id.groups, WEST, 'IDENTITY claim with alwaysIncludeInToken rides in the code-flow ID token');
  const at = decode(tokens.access_token);
  assert.equal(at.iss, issuerOf('default'));
  assert.equal(at.aud, 'api://default');
  assert.equal(at.cid, clientId);
  assert.equal(at.uid, userId);
  assert.equal(at.sub, LOGIN);
  assert.deepEqual(at.groups, WEST, 'RESOURCE claim in the access token');
  assert.ok(tokens.refresh_token, 'offline_access and the refresh_token grant give a refresh token');
  assert.ok(tokens.expiresIn() > 0);

  const info = await oidc.fetchUserInfo(config, tokens.access_token, id.sub);
  assert.equal(info.sub, userId);
  assert.equal(info.email, LOGIN);
  assert.deepEqual(info.groups, WEST);

  const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token);
  assert.notEqual(refreshed.access_token, tokens.access_token);
  assert.deepEqual(decode(refreshed.access_token).groups, WEST);
  assert.equal(refreshed.claims()?.sub, userId);
  assert.deepEqual(refreshed.claims().groups, WEST);
  const refreshToken = refreshed.refresh_token ?? tokens.refresh_token;

  const active = await oidc.tokenIntrospection(config, refreshed.access_token);
  assert.equal(active.active, true);
  assert.equal(active.client_id, clientId);
  assert.equal(active.username, LOGIN);
  assert.equal(active.iss, issuerOf('default'));
  assert.deepEqual(active.scope.split(' ').sort(), ['email', 'groups', 'offline_access', 'openid', 'profile']);
  assert.equal((await oidc.tokenIntrospection(config, refreshToken, { token_type_hint: 'refresh_token' })).active, true);

  await oidc.tokenRevocation(config, refreshToken, { token_type_hint: 'refresh_token' });
  assert.equal((await oidc.tokenIntrospection(config, refreshToken)).active, false);
  await assert.rejects(oidc.refreshTokenGrant(config, refreshToken), (err) => {
    assert.equal(err.error, 'invalid_grant', String(err));
    return true;
  });
  await oidc.tokenRevocation(config, tokens.access_token);
  assert.equal((await oidc.tokenIntrospection(config, tokens.access_token)).active, false);
  // openid-client parses the `WWW-Authenticate` challenge of the refusal.
  await assert.rejects(oidc.fetchUserInfo(config, tokens.access_token, id.sub), (err) => {
    assert.equal(err.status, 401);
    assert.equal(err.cause?.[0]?.scheme, 'bearer');
    assert.equal(err.cause[0].parameters.error, 'invalid_token');
    return true;
  });

  // RP-initiated logout with openid-client's end-session URL.
  const logout = await fetch(oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token, post_logout_redirect_uri: BYE, state: 'bye' }), { redirect: 'manual' });
  assert.equal(logout.status, 302);
  assert.equal(logout.headers.get('location'), `${BYE}?state=bye`);

  // An error sent back to the redirect URI reaches the application as an OAuth error.
  // (A native app requires PKCE, so even this request carries a challenge.)
  const none = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid', state: 'quiet', nonce: 'n', prompt: 'none',
    code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256' });
  const res = await fetch(none, { redirect: 'manual' });
  assert.equal(res.status, 302);
  await assert.rejects(oidc.authorizationCodeGrant(config, new URL(res.headers.get('location')), { expectedState: 'quiet' }), (err) => {
    assert.equal(err.code, 'OAUTH_AUTHORIZATION_RESPONSE_ERROR');
    assert.equal(err.error, 'login_required', err.error_description);
    return true;
  });
});

test('openid-client: code flow with PKCE on the org server — the app groups claim in the ID token and userinfo, none in the access token', async () => {
  const config = await discover('');
  const { tokens } = await codeFlow(config, 'openid email groups offline_access');
  const id = tokens.claims();
  assert.equal(id.iss, server.base);
  assert.equal(id.aud, clientId);
  assert.deepEqual(id.groups, WEST);
  const at = decode(tokens.access_token);
  assert.equal(at.aud, server.base);
  assert.equal(at.groups, undefined, 'org-server access tokens carry no custom claims');

  const info = await oidc.fetchUserInfo(config, tokens.access_token, id.sub);
  assert.deepEqual(info.groups, WEST);

  const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token);
  assert.deepEqual(refreshed.claims().groups, WEST);
  const intro = await oidc.tokenIntrospection(config, refreshed.access_token);
  assert.equal(intro.active, true);
  assert.equal(intro.iss, server.base);

  // The signature check bites: the same flow with the ID token's groups altered in transit.
  config[oidc.customFetch] = async (url, options) => {
    const res = await fetch(url, options);
    if (!String(url).endsWith('/token')) return res;
    const body = await res.json();
    const [h, p, sig] = body.id_token.split('.');
    const claims = { ...JSON.parse(Buffer.from(p, 'base64url').toString()), groups: ['Engineering'] };
    body.id_token = [h, Buffer.from(JSON.stringify(claims)).toString('base64url'), sig].join('.');
    return new Response(JSON.stringify(body), { status: res.status, headers: res.headers });
  };
  await assert.rejects(codeFlow(config, 'openid groups'), (err) => /signature verification failed/.test(err.cause?.message));
});

test('openid-client: client_secret_basic and the hybrid flow (code id_token, c_hash) on the custom server', async () => {
  // A second, web app that authenticates with HTTP Basic. (openid-client v6 defaults to
  // client_secret_post; v5 defaulted to Basic. Tollgate accepts only the registered method.)
  const app = await sdk.applicationApi.createApplication({
    application: {
      name: 'oidc_client',
      label: 'Web Client',
      signOnMode: 'OPENID_CONNECT',
      credentials: { oauthClient: { token_endpoint_auth_method: 'client_secret_basic' } },
      settings: { oauthClient: { redirect_uris: [REDIRECT], response_types: ['code', 'id_token'],
        grant_types: ['authorization_code', 'implicit'], application_type: 'web' } },
      profile: { groupwhitelist: [westId] },
    },
  });
  await sdk.applicationApi.assignUserToApplication({ appId: app.id, appUser: { id: userId } });
  const { client_id: webId, client_secret: webSecret } = app.credentials.oauthClient;
  const config = await oidc.discovery(new URL(issuerOf(customId)), webId, webSecret, oidc.ClientSecretBasic(), {
    execute: [oidc.allowInsecureRequests, oidc.enableNonRepudiationChecks, oidc.useCodeIdTokenResponseType],
  });
  const verifier = oidc.randomPKCECodeVerifier();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT, scope: 'openid groups', nonce, state: 'myState',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    sessionToken: await sessionToken(),
  });
  assert.equal(url.searchParams.get('response_type'), 'code id_token');
  const callback = await authorize(url);
  const fragment = new URLSearchParams(callback.hash.slice(1));
  assert.ok(fragment.get('code') && fragment.get('id_token'), 'hybrid: both in the fragment');
  const front = decode(fragment.get('id_token'));
  assert.ok(front.c_hash, 'c_hash binds the code');
  assert.deepEqual(front.groups, WEST, 'the front-channel ID token is a fat one');
  // openid-client checks the front-channel ID token (signature, nonce, c_hash) and redeems the code.
  const tokens = await oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: verifier, expectedNonce: nonce, expectedState: 'myState', idTokenExpected: true,
  });
  assert.equal(tokens.claims().aud, webId);
  assert.equal(tokens.claims().sub, userId);
  const at = decode(tokens.access_token);
  assert.equal(at.aud, 'api://sample');
  assert.equal(at.cid, webId);
  assert.deepEqual(at.groups, WEST);
});

test('implicit through a sessionToken (Step Four and Five) on the org and a custom server', async () => {
  for (const [label, id, scope] of [['org', '', 'openid groups'], ['custom', customId, 'groups openid']]) {
    // response_type=id_token: the fragment, decoded, and again validated by openid-client.
    const { params, nonce, callback } = await implicit(id, 'id_token', scope);
    const claims = decode(params.id_token);
    assert.equal(claims.iss, issuerOf(id), label);
    assert.equal(claims.aud, clientId, label);
    assert.equal(claims.nonce, nonce, label);
    assert.deepEqual(claims.amr, ['pwd'], label);
    assert.deepEqual(claims.groups, WEST, label);
    const config = await discover(id, oidc.useIdTokenResponseType);
    const validated = await oidc.implicitAuthentication(config, callback, nonce, { expectedState: 'myState' });
    assert.deepEqual(validated.groups, WEST, label);

    // response_type=token.
    const { params: token } = await implicit(id, 'token', scope);
    assert.equal(token.token_type, 'Bearer', label);
    assert.ok(Number(token.expires_in) > 0, label);
    assert.deepEqual(token.scope.split(' ').sort(), ['groups', 'openid'], label);
    const at = decode(token.access_token);
    assert.equal(at.cid, clientId, label);
    assert.equal(at.uid, userId, label);
    assert.equal(at.sub, LOGIN, label);
    assert.deepEqual(at.scp, ['groups', 'openid'], label);
    if (id) assert.deepEqual(at.groups, WEST, 'custom server: the RESOURCE claim');
    else assert.equal(at.groups, undefined, 'org server: no groups in access tokens');
  }
});

test('@okta/jwt-verifier: access and ID tokens of a custom server, default and the org server; tampering is caught', async () => {
  // Custom server: the verifier finds the keys at `${issuer}/v1/keys`.
  const custom = new OktaJwtVerifier({ issuer: issuerOf(customId), clientId, testing });
  const { params: t } = await implicit(customId, 'token', 'groups openid');
  const at = await custom.verifyAccessToken(t.access_token, 'api://sample');
  assert.deepEqual(at.claims.groups, WEST);
  assert.equal(at.claims.cid, clientId);
  await assert.rejects(custom.verifyAccessToken(t.access_token, 'api://default'), /audience/);
  const { params: i, nonce } = await implicit(customId, 'id_token', 'groups openid');
  const idt = await custom.verifyIdToken(i.id_token, clientId, nonce);
  assert.deepEqual(idt.claims.groups, WEST);
  await assert.rejects(custom.verifyIdToken(i.id_token, clientId, 'another nonce'), /nonce/);

  // default.
  const def = new OktaJwtVerifier({ issuer: issuerOf('default'), clientId, testing });
  const { params: d } = await implicit('default', 'id_token token', 'openid groups');
  assert.deepEqual((await def.verifyAccessToken(d.access_token, 'api://default')).claims.groups, WEST);
  await def.verifyIdToken(d.id_token, clientId, decode(d.id_token).nonce);
  // Another server's token: right signature shape, wrong issuer and keys.
  await assert.rejects(def.verifyAccessToken(t.access_token, 'api://sample'));

  // Org server: issuer is the bare base URL, so the keys must be named (jwksUri).
  const org = new OktaJwtVerifier({ issuer: server.base, clientId, jwksUri: `${server.base}/oauth2/v1/keys`, testing });
  const { params: o, nonce: orgNonce } = await implicit('', 'id_token', 'openid groups');
  const orgId = await org.verifyIdToken(o.id_token, clientId, orgNonce);
  assert.deepEqual(orgId.claims.groups, WEST);
  assert.equal(orgId.claims.iss, server.base);
  const { params: ot } = await implicit('', 'token', 'openid groups');
  assert.equal((await org.verifyAccessToken(ot.access_token, server.base)).claims.cid, clientId);

  // Tampered: the payload claims more groups, the signature is the original's.
  for (const [verifier, jwt, check] of [
    [custom, t.access_token, (v, s) => v.verifyAccessToken(s, 'api://sample')],
    [custom, i.id_token, (v, s) => v.verifyIdToken(s, clientId, nonce)],
    [org, o.id_token, (v, s) => v.verifyIdToken(s, clientId, orgNonce)],
  ]) {
    const [h, p, sig] = jwt.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    claims.groups = ['WestCoastDivision', 'Engineering', 'Contractors'];
    const forged = [h, Buffer.from(JSON.stringify(claims)).toString('base64url'), sig].join('.');
    await assert.rejects(check(verifier, forged), /signature/i);
    // And an unsigned copy (`alg: none`) is refused too.
    const none = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(h, 'base64url').toString()), alg: 'none' })).toString('base64url');
    await assert.rejects(check(verifier, `${none}.${p}.`));
  }
});
