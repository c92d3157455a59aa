// Apps other than OpenID Connect clients through Okta's Node SDK: each kind is created and
// read back as the SDK's own model class (it picks the class by signOnMode), listed by name,
// replaced, deactivated and deleted.
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

const kinds = [
  [okta.BookmarkApplication, { name: 'bookmark', label: 'SDK Bookmark', signOnMode: 'BOOKMARK',
    settings: { app: { requestIntegration: false, url: 'https://example.com/bookmark.htm' } } }],
  [okta.BasicAuthApplication, { name: 'template_basic_auth', label: 'SDK Basic', signOnMode: 'BASIC_AUTH',
    settings: { app: { url: 'https://example.com/login.html', authURL: 'https://example.com/auth.html' } } }],
  [okta.BrowserPluginApplication, { name: 'template_swa', label: 'SDK SWA', signOnMode: 'BROWSER_PLUGIN',
    settings: { app: { buttonField: 'btn-login', passwordField: 'pw', usernameField: 'user',
      url: 'https://example.com/login.html' } } }],
  [okta.SecurePasswordStoreApplication, { name: 'template_sps', label: 'SDK SPS', signOnMode: 'SECURE_PASSWORD_STORE',
    settings: { app: { url: 'https://example.com/login.html', passwordField: 'pw', usernameField: 'user' } } }],
  [okta.AutoLoginApplication, { label: 'SDK Auto', signOnMode: 'AUTO_LOGIN',
    settings: { signOn: { loginUrl: 'https://example.com/login.html' } } }],
  [okta.SamlApplication, { label: 'SDK SAML', signOnMode: 'SAML_2_0',
    settings: { signOn: { ssoAcsUrl: 'https://sp.example.com/acs', audience: 'urn:example:sp' } } }],
];

test('every app kind is created and read back as the SDK model for its signOnMode', async () => {
  for (const [model, body] of kinds) {
    const made = await client.applicationApi.createApplication({ application: body });
    assert.ok(made instanceof model, `${body.signOnMode}: deserialised as ${made?.constructor?.name}`);
    assert.equal(made.signOnMode, body.signOnMode);
    assert.equal(made.status, 'ACTIVE');
    const read = await client.applicationApi.getApplication({ appId: made.id });
    assert.ok(read instanceof model, `${body.signOnMode}: GET deserialised as ${read?.constructor?.name}`);
    assert.equal(read.label, body.label);
  }
  const bookmarks = await all(await client.applicationApi.listApplications({ filter: 'name eq "bookmark"' }));
  assert.equal(bookmarks.length, 1);
  assert.equal(bookmarks[0].settings.app.url, 'https://example.com/bookmark.htm');
  const saml = (await all(await client.applicationApi.listApplications({ q: 'SDK SAML' })))[0];
  assert.equal(saml.settings.signOn.recipient, 'https://sp.example.com/acs');
});

test('a bookmark app is replaced, deactivated and deleted through the SDK', async () => {
  const made = await client.applicationApi.createApplication({ application: { name: 'bookmark', label: 'Replace me',
    signOnMode: 'BOOKMARK', settings: { app: { url: 'https://example.com/1' } } } });
  made.label = 'Replaced';
  made.settings.app.url = 'https://example.com/2';
  const replaced = await client.applicationApi.replaceApplication({ appId: made.id, application: made });
  assert.ok(replaced instanceof okta.BookmarkApplication);
  assert.equal(replaced.settings.app.url, 'https://example.com/2');
  await client.applicationApi.deactivateApplication({ appId: made.id });
  await client.applicationApi.deleteApplication({ appId: made.id });
  await assert.rejects(client.applicationApi.getApplication({ appId: made.id }), (err) => err.status === 404);
});

test('an unknown app name is refused in Okta\'s error shape', async () => {
  await assert.rejects(
    client.applicationApi.createApplication({ application: { name: 'template_nothing', label: 'X', settings: { app: {} } } }),
    (err) => err.status === 400 && err.errorCode === 'E0000001',
  );
});

test('an app user\'s password is set and changed through the SDK, and never read back', async () => {
  const app = await client.applicationApi.createApplication({ application: { name: 'template_swa',
    label: 'SDK Vault', signOnMode: 'BROWSER_PLUGIN', credentials: { scheme: 'ADMIN_SETS_CREDENTIALS' },
    settings: { app: { buttonField: 'b', passwordField: 'p', usernameField: 'u', url: 'https://example.com/in' } } } });
  const user = await client.userApi.createUser({ body: { profile: { firstName: 'Vic', lastName: 'Vault',
    email: 'vic@example.com', login: 'vic@example.com' } } });
  const secrets = ['Sdk-App-Secret-1', 'Sdk-App-Secret-2'];
  const au = await client.applicationApi.assignUserToApplication({ appId: app.id,
    appUser: { id: user.id, scope: 'USER', credentials: { userName: 'vic', password: { value: secrets[0] } } } });
  assert.ok(au instanceof okta.AppUser);
  assert.equal(au.credentials.userName, 'vic');
  assert.ok(au.credentials.password, 'an empty password object says one is kept');
  assert.equal(au.credentials.password.value, undefined);
  const changed = await client.applicationApi.updateApplicationUser({ appId: app.id, userId: user.id,
    appUser: { credentials: { userName: 'vic2', password: { value: secrets[1] } } } });
  assert.equal(changed.credentials.userName, 'vic2');
  const read = await client.applicationApi.getApplicationUser({ appId: app.id, userId: user.id });
  const listed = await all(await client.applicationApi.listApplicationUsers({ appId: app.id }));
  for (const shown of [au, changed, read, ...listed]) {
    const text = JSON.stringify(shown);
    for (const secret of secrets) assert.ok(!text.includes(secret), `${secret} shown: ${text}`);
  }

  const shared = await client.applicationApi.createApplication({ application: { name: 'template_basic_auth',
    label: 'SDK Shared', signOnMode: 'BASIC_AUTH', credentials: { scheme: 'SHARED_USERNAME_AND_PASSWORD',
      userName: 'team', password: { value: secrets[0] } },
    settings: { app: { url: 'https://example.com/', authURL: 'https://example.com/auth' } } } });
  assert.equal(shared.credentials.userName, 'team');
  assert.ok(!JSON.stringify(shared).includes(secrets[0]));
  await assert.rejects(
    client.applicationApi.assignUserToApplication({ appId: shared.id,
      appUser: { id: user.id, credentials: { userName: 'vic' } } }),
    (err) => err.status === 400 && err.errorCode === 'E0000001',
  );
});
