// What the browser suites share: headless Chromium (the distribution's build, never a downloaded
// one) driven by playwright-core, a browser page that answers the client's https://example.com
// inside the browser and refuses every other foreign request, the admin API, and the org the
// sign-in tests use (a user and an OIDC web app assigned to them).
//
// Chromium comes from CHROMIUM_PATH (default /usr/bin/chromium). Without it the suites are
// skipped, loudly, unless CI or TOLLGATE_REQUIRE_BROWSER=1 is set: then they fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const haveBrowser = existsSync(chromiumPath);
const ci = process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
const browserRequired = Boolean(ci) || process.env.TOLLGATE_REQUIRE_BROWSER === '1';
const missing = `no Chromium at ${chromiumPath}: install the distribution's package (Debian: apt-get install chromium) or set CHROMIUM_PATH`;

export const outDir = new URL('./test-output/', import.meta.url).pathname;
export const PASSWORD = 'Tollgate-2026';
export const LOGIN = 'annie.jackson@acme.com';
export const CALLBACK = 'https://example.com/oauth2/callback';
// Flags that keep Chromium quiet on a closed network (no update checks, sync, QUIC probes).
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** False when the suite may run; otherwise why it is skipped. */
export const skip = haveBrowser ? false : `${missing}; the browser tests were NOT run`;

/**
 * Whether to define the suite's tests: without Chromium, a failing test stands in for them when
 * the browser is required, and a loud warning when it is not (the tests are then skipped).
 */
export function defineBrowserTests() {
  if (!haveBrowser && browserRequired) {
    test('Chromium for the browser tests', () => {
      assert.fail(`${missing}. CI or TOLLGATE_REQUIRE_BROWSER=1 requires the browser tests to run.`);
    });
    return false;
  }
  if (skip) {
    console.error(`\n${'!'.repeat(100)}\n!! SKIPPING the browser tests: ${skip}\n${'!'.repeat(100)}\n`);
  }
  return true;
}

/**
 * Starts Chromium. On a loaded CI machine the browser now and then exits while it starts (its
 * launcher then reports "browser has been closed"); a start that fails is tried again, up to
 * three times, with the reason printed, so a slow start is not mistaken for a failing page.
 */
export async function launchBrowser() {
  mkdirSync(outDir, { recursive: true });
  const attempts = 3;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
    } catch (err) {
      if (attempt >= attempts) throw err;
      const reason = String(err?.message ?? err).split('\n')[0];
      console.error(`Chromium did not start (attempt ${attempt} of ${attempts}): ${reason}; trying again`);
      await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
    }
  }
}

/** Admin API call with the bootstrap token; returns the parsed body and checks the status. */
export async function admin(server, method, path, body, status = 200) {
  const resp = await fetch(server.base + path, {
    method,
    headers: { accept: 'application/json', 'content-type': 'application/json', authorization: `SSWS ${server.token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await resp.text();
  assert.equal(resp.status, status, `${method} ${path}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Org "Acme Corp", the user LOGIN with PASSWORD, and an OIDC web app assigned to them. */
export async function seedSignIn(server) {
  await admin(server, 'POST', '/api/v1/org', { companyName: 'Acme Corp' });
  const user = await admin(server, 'POST', '/api/v1/users?activate=true', {
    profile: { firstName: 'Annie', lastName: 'Jackson', email: LOGIN, login: LOGIN },
    credentials: { password: { value: PASSWORD } },
  });
  const app = await admin(server, 'POST', '/api/v1/apps', {
    name: 'oidc_client',
    label: 'Sample Client',
    signOnMode: 'OPENID_CONNECT',
    credentials: { oauthClient: { token_endpoint_auth_method: 'client_secret_basic' } },
    settings: {
      oauthClient: {
        redirect_uris: [CALLBACK],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        application_type: 'web',
      },
    },
  });
  await admin(server, 'POST', `/api/v1/apps/${app.id}/users`, { id: user.id });
  return { userId: user.id, clientId: app.credentials.oauthClient.client_id };
}

export function authorizeUrl(server, clientId) {
  const q = new URLSearchParams({ client_id: clientId, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid', state: 'myState' });
  return `${server.base}/oauth2/default/v1/authorize?${q}`;
}

/**
 * A fresh browser context and page in which https://example.com (the client) answers with a small
 * local page, and every other request off the server's origin is refused and remembered: the
 * pages must load nothing from elsewhere. `seen.csp` collects Content-Security-Policy reports
 * from the console (a blocked script or style).
 *
 * The interception is CDP's Fetch domain on the page rather than `page.route`: Playwright lets
 * every redirect hop through unrouted, and the browser reaches the client through the server's
 * 302, so `page.route` would never see that request and Chromium would go to the network.
 */
export async function newPage(browser, server, options = {}) {
  const context = await browser.newContext({ viewport: { width: 800, height: 720 }, ...options });
  const page = await context.newPage();
  const seen = { callbacks: [], foreign: [], csp: [] };
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) seen.csp.push(msg.text());
  });
  const origin = new URL(server.base).origin;
  const cdp = await context.newCDPSession(page);
  cdp.on('Fetch.requestPaused', async ({ requestId, request }) => {
    const url = new URL(request.url);
    try {
      if (url.origin === origin) {
        await cdp.send('Fetch.continueRequest', { requestId });
      } else if (url.origin === 'https://example.com') {
        seen.callbacks.push(url);
        const body = '<!doctype html><html lang="en"><title>Sample Client</title><h1>Back at the client</h1></html>';
        await cdp.send('Fetch.fulfillRequest', {
          requestId,
          responseCode: 200,
          responseHeaders: [{ name: 'content-type', value: 'text/html; charset=utf-8' }],
          body: Buffer.from(body).toString('base64'),
        });
      } else {
        seen.foreign.push(url.href);
        await cdp.send('Fetch.failRequest', { requestId, errorReason: 'BlockedByClient' });
      }
    } catch {
      // The page went away while the request was paused.
    }
  });
  await cdp.send('Fetch.enable', { patterns: [{ urlPattern: '*', requestStage: 'Request' }] });
  return { context, page, seen };
}

/** Runs `action`, which submits the sign-in form; returns the POST /login response. */
export async function submit(page, action) {
  const posted = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login');
  posted.catch(() => {}); // awaited below; this only keeps a failed action from orphaning it
  await action();
  return posted;
}
