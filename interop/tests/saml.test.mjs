// Tollgate as the SAML identity provider of a custom SAML app, checked by an independent SP
// library: samlify (xml-crypto for signatures, xmllint compiled to WebAssembly for the SAML
// schemas). The SP reads Tollgate's public IdP metadata, makes an SP-initiated AuthnRequest
// over the HTTP-Redirect binding, and a plain HTTP client follows it through the hosted
// sign-in page like a browser without JavaScript would. The SP then validates the posted
// SAMLResponse against the metadata certificate, and refuses a tampered copy.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as samlify from 'samlify';
import * as xmllint from '@authenio/samlify-node-xmllint';
import { startTollgate } from '../harness.mjs';

const ACS = 'https://sp.example.com/saml/acs';
const SP_ENTITY = 'https://sp.example.com/saml/metadata';
const LOGIN = 'saml.user@example.com';
const PASSWORD = 'Tollgate-2026!';

let server;
let fixture;

samlify.setSchemaValidator(xmllint);

async function admin(method, path, body) {
  const r = await fetch(`${server.base}${path}`, {
    method,
    headers: { authorization: `SSWS ${server.token}`, accept: 'application/json', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(r.ok, `${method} ${path}: ${r.status} ${await r.clone().text()}`);
  return r.status === 204 ? null : r.json();
}

before(async () => {
  server = await startTollgate();
  const user = await admin('POST', '/api/v1/users?activate=true', {
    profile: { firstName: 'Sam', lastName: 'Lee', email: LOGIN, login: LOGIN, title: 'Engineer & <lead>' },
    credentials: { password: { value: PASSWORD } },
  });
  for (const name of ['eng-platform', 'eng-oncall', 'sales']) {
    const group = await admin('POST', '/api/v1/groups', { profile: { name } });
    await admin('PUT', `/api/v1/groups/${group.id}/users/${user.id}`);
  }
  const app = await admin('POST', '/api/v1/apps', {
    label: 'Samlify SP', signOnMode: 'SAML_2_0',
    settings: { signOn: {
      ssoAcsUrl: ACS, audience: SP_ENTITY,
      subjectNameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      attributeStatements: [
        { type: 'EXPRESSION', name: 'email', namespace: 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic', values: ['user.email'] },
        { type: 'EXPRESSION', name: 'title', values: ['user.title'] },
        { type: 'GROUP', name: 'groups', filterType: 'STARTS_WITH', filterValue: 'eng' },
      ],
    } },
  });
  await admin('POST', `/api/v1/apps/${app.id}/users`, { id: user.id });
  fixture = { app, user };
});

after(async () => {
  await server?.stop();
});

/** A cookie jar of name=value pairs, as a browser keeps them for one host. */
function jar() {
  const cookies = new Map();
  return {
    header: () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    take(resp) {
      for (const line of resp.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const at = pair.indexOf('=');
        cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
      }
    },
  };
}

/** Follows the SSO URL through the sign-in page; gives the form the IdP answers with. */
async function signInThrough(ssoUrl) {
  const cookies = jar();
  const go = async (url, init = {}) => {
    const r = await fetch(new URL(url, server.base), { ...init, redirect: 'manual',
      headers: { ...(init.headers || {}), cookie: cookies.header() } });
    cookies.take(r);
    return r;
  };
  const toLogin = await go(ssoUrl);
  assert.equal(toLogin.status, 302, 'no session yet: off to the sign-in page');
  const page = await (await go(toLogin.headers.get('location'))).text();
  const field = (html, name) => html.match(new RegExp(`name="${name}" value="([^"]*)"`))?.[1]?.replaceAll('&amp;', '&');
  const form = new URLSearchParams({ username: LOGIN, password: PASSWORD, fromURI: field(page, 'fromURI'), csrf: field(page, 'csrf') });
  const signedIn = await go('/login', { method: 'POST', body: form,
    headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(signedIn.status, 303);
  const answer = await go(signedIn.headers.get('location'));
  assert.equal(answer.status, 200);
  const html = await answer.text();
  return {
    action: html.match(/<form id="saml" method="post" action="([^"]*)"/)?.[1],
    SAMLResponse: field(html, 'SAMLResponse'),
    RelayState: field(html, 'RelayState'),
  };
}

async function parties() {
  const metadata = await (await fetch(`${server.base}/app/${fixture.app.id}/sso/saml/metadata`)).text();
  const idp = samlify.IdentityProvider({ metadata });
  const sp = samlify.ServiceProvider({
    entityID: SP_ENTITY,
    assertionConsumerService: [{ Binding: samlify.Constants.namespace.binding.post, Location: ACS }],
    wantAssertionsSigned: true,
    wantMessageSigned: true,
    nameIDFormat: ['urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'],
  });
  return { idp, sp };
}

test('SP-initiated SSO through the sign-in page: samlify validates the signed response', async () => {
  const { idp, sp } = await parties();
  assert.equal(idp.entityMeta.getEntityID(), `http://www.okta.com/${fixture.app.id}`);
  const { id, context } = sp.createLoginRequest(idp, 'redirect');
  const url = new URL(context);
  url.searchParams.set('RelayState', 'return-to-42');
  assert.equal(url.origin, server.base, 'the request goes to the SSO URL of the metadata');

  const posted = await signInThrough(url.toString());
  assert.equal(posted.action, ACS);
  assert.equal(posted.RelayState, 'return-to-42');
  const { extract } = await sp.parseLoginResponse(idp, 'post', { body: posted });
  assert.equal(extract.nameID, LOGIN);
  assert.equal(extract.response.inResponseTo, id);
  assert.equal(extract.issuer, `http://www.okta.com/${fixture.app.id}`);
  assert.deepEqual(extract.audience, SP_ENTITY);
  assert.equal(extract.attributes.email, LOGIN);
  assert.equal(extract.attributes.title, 'Engineer & <lead>');
  assert.deepEqual([...extract.attributes.groups].sort(), ['eng-oncall', 'eng-platform']);

  // The same response with another subject or another group is refused.
  const xml = Buffer.from(posted.SAMLResponse, 'base64').toString('utf8');
  for (const [from, to] of [[`>${LOGIN}<`, '>admin@example.com<'], ['>eng-oncall<', '>sales<']]) {
    assert.ok(xml.includes(from), from);
    const forged = Buffer.from(xml.replace(from, to), 'utf8').toString('base64');
    await assert.rejects(sp.parseLoginResponse(idp, 'post', { body: { ...posted, SAMLResponse: forged } }),
      (e) => /FAILED_TO_VERIFY_SIGNATURE/.test(String(e?.message ?? e)), `tampered ${from}: the signature check refuses it`);
  }
});

test('IdP-initiated SSO (no AuthnRequest): samlify validates the unsolicited response', async () => {
  const { idp, sp } = await parties();
  const sso = idp.entityMeta.getSingleSignOnService('redirect');
  assert.equal(typeof sso, 'string', 'the metadata names the SSO URL of the HTTP-Redirect binding');
  const posted = await signInThrough(sso);
  assert.equal(posted.action, ACS);
  const { extract } = await sp.parseLoginResponse(idp, 'post', { body: posted });
  assert.equal(extract.nameID, LOGIN);
  assert.equal(extract.response.inResponseTo, undefined);
  assert.deepEqual([...extract.attributes.groups].sort(), ['eng-oncall', 'eng-platform']);
});
