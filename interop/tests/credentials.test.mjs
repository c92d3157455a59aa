// User credential operations through Okta's Node SDK, unchanged: change a password, set a
// recovery question, get a reset link (and use it), expire a password with a temporary one, and
// activate a staged user for an activation link.
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

async function createUser(login, activate = true, password = 'Tollgate-2026') {
  const credentials = password ? { password: { value: password } } : undefined;
  return client.userApi.createUser({
    activate,
    body: { profile: { firstName: 'Cred', lastName: 'Test', email: login, login }, credentials },
  });
}

async function authn(username, password) {
  const resp = await fetch(`${server.base}/api/v1/authn`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return resp.status;
}

test('changePassword and changeRecoveryQuestion', async () => {
  const user = await createUser('kim.lee@acme.com');
  const creds = await client.userApi.changePassword({
    userId: user.id,
    changePasswordRequest: { oldPassword: { value: 'Tollgate-2026' }, newPassword: { value: 'Fresh-Pass-42' } },
  });
  assert.ok(creds.password !== undefined, 'credentials carry the password object');
  assert.equal(await authn('kim.lee@acme.com', 'Fresh-Pass-42'), 200);
  await assert.rejects(
    client.userApi.changePassword({
      userId: user.id,
      changePasswordRequest: { oldPassword: { value: 'wrong' }, newPassword: { value: 'Other-Pass-43' } },
    }),
    (err) => err.status === 403 && err.errorCode === 'E0000014',
  );
  const withQuestion = await client.userApi.changeRecoveryQuestion({
    userId: user.id,
    userCredentials: {
      password: { value: 'Fresh-Pass-42' },
      recovery_question: { question: 'First pet?', answer: 'Tortoise' },
    },
  });
  assert.equal(withQuestion.recovery_question.question, 'First pet?');
  assert.equal(withQuestion.recovery_question.answer, undefined, 'the answer is never shown');
});

test('generateResetPasswordToken gives a one-time link; expire with a temporary password', async () => {
  const user = await createUser('reset.me@acme.com');
  const token = await client.userApi.generateResetPasswordToken({ userId: user.id, sendEmail: false });
  assert.match(token.resetPasswordUrl, /\/reset_password\/[A-Za-z0-9_-]+$/);
  const page = await fetch(token.resetPasswordUrl);
  assert.equal(page.status, 200);
  assert.equal((await client.userApi.getUser({ userId: user.id })).status, 'RECOVERY');

  const other = await createUser('temp.me@acme.com');
  // This SDK version reads the answer into its User model, which has no tempPassword field, so
  // the call is checked for success and the answer itself read as Okta sends it.
  await client.userApi.expirePasswordAndGetTemporaryPassword({ userId: other.id });
  assert.equal((await client.userApi.getUser({ userId: other.id })).status, 'PASSWORD_EXPIRED');
  const third = await createUser('temp.raw@acme.com');
  const raw = await fetch(`${server.base}/api/v1/users/${third.id}/lifecycle/expire_password_with_temp_password`, {
    method: 'POST',
    headers: { accept: 'application/json', authorization: `SSWS ${server.token}` },
  });
  const { tempPassword } = await raw.json();
  assert.ok(tempPassword && tempPassword.length >= 8, `tempPassword ${tempPassword}`);
  assert.equal(await authn('temp.raw@acme.com', tempPassword), 200, 'the temporary password signs in');
});

test('activateUser with sendEmail=false answers the activation link', async () => {
  const staged = await createUser('new.one@acme.com', false, null);
  const activation = await client.userApi.activateUser({ userId: staged.id, sendEmail: false });
  assert.match(activation.activationUrl, /\/tokens\/[A-Za-z0-9_-]{20}\/verify$/);
  assert.equal(activation.activationToken.length, 20);
  assert.equal((await client.userApi.getUser({ userId: staged.id })).status, 'PROVISIONED');
  const again = await client.userApi.reactivateUser({ userId: staged.id, sendEmail: false });
  assert.notEqual(again.activationToken, activation.activationToken);
});
