// The server's pages in headless Chromium (see ../browser.mjs): the sign-in page, "signed in"
// (/login/done) and the home page (/). Layout from 320 to 1280 px wide (no sideways scroll, the
// card fills a phone screen edge to edge and is centred above that, nothing sticks out of it),
// non-text contrast (field borders and focus rings at least 3:1, WCAG 1.4.11) in both colour
// schemes, an automated accessibility check with axe-core, and the show-password toggle under
// the page's Content-Security-Policy. Screenshots at 360, 430 and 1280 px go to
// interop/test-output/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import axe from 'axe-core';
import { startTollgate } from '../harness.mjs';
import { LOGIN, PASSWORD, defineBrowserTests, launchBrowser, newPage as openPage, outDir, seedSignIn, skip, submit } from '../browser.mjs';

// Both sides of the 30rem (480 px) breakpoint, and the widths where a strip used to show.
const WIDTHS = [320, 360, 385, 430, 480, 481, 768, 1280];
const SCREENSHOT_WIDTHS = [360, 430, 1280];

let server;
let browser;

const newPage = (options) => openPage(browser, server, options);

/** Measures the page at every width in WIDTHS and checks the layout; screenshots some widths. */
async function checkLayout(page, name) {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 720 });
    const m = await page.evaluate(() => {
      const root = document.documentElement;
      const main = document.querySelector('main').getBoundingClientRect();
      const edge = document.elementFromPoint(root.clientWidth - 1, 100);
      const rights = [...document.querySelectorAll('main *')].filter((e) => e.getClientRects().length > 0).map((e) => e.getBoundingClientRect().right);
      return { scroll: root.scrollWidth, width: root.clientWidth, height: innerHeight, left: main.left, right: main.right, tall: main.height, widest: Math.max(...rights), edgeInCard: Boolean(edge?.closest('main')) };
    });
    const at = `${name} at ${width} px`;
    assert.ok(m.scroll <= m.width, `${at} scrolls sideways: ${JSON.stringify(m)}`);
    assert.ok(m.widest <= m.right + 0.5, `${at}: something sticks out of the card: ${JSON.stringify(m)}`);
    if (width <= 480) {
      // A phone: the card is the page, with no strip of the background beside or below it.
      assert.equal(m.left, 0, at);
      assert.equal(m.right, m.width, at);
      assert.ok(m.edgeInCard, `${at}: the right edge shows the page background, not the card`);
      assert.ok(m.tall >= m.height, `${at}: the card is shorter than the screen`);
    } else {
      assert.ok(m.left > 0 && Math.abs(m.left - (m.width - m.right)) <= 1, `${at}: the card is not centred: ${JSON.stringify(m)}`);
    }
    if (SCREENSHOT_WIDTHS.includes(width)) await page.screenshot({ path: `${outDir}${name}-${width}.png`, fullPage: true });
  }
}

/** Violations axe-core finds on the page as it is now, one line each. */
async function accessibilityViolations(page) {
  // Evaluated through the debugging protocol, so the page's CSP (which forbids any other
  // script) does not stop it.
  await page.evaluate(axe.source);
  return page.evaluate(async () => {
    // Every rule axe runs by default, plus WCAG 2.2's target size (off by default).
    const result = await window.axe.run(document, { resultTypes: ['violations'], rules: { 'target-size': { enabled: true } } });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

async function assertAccessible(page, what) {
  assert.deepEqual(await accessibilityViolations(page), [], `axe-core on ${what}`);
}

/** WCAG contrast ratio of two computed CSS colours. */
function contrast(a, b) {
  const luminance = (css) => {
    const [r, g, bl] = css.match(/[\d.]+/g).slice(0, 3).map(Number);
    const lin = (v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(bl);
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The smallest contrast of the selected element's border (or, focused, its outline) with the card and its own background. */
async function edgeContrast(page, selector, focused = false) {
  if (focused) await page.focus(selector);
  else await page.evaluate(() => document.activeElement?.blur());
  const c = await page.evaluate(
    ([sel, outline]) => {
      const s = getComputedStyle(document.querySelector(sel));
      return { edge: outline ? s.outlineColor : s.borderTopColor, own: s.backgroundColor, card: getComputedStyle(document.querySelector('main')).backgroundColor };
    },
    [selector, focused],
  );
  const transparent = /rgba\(.*, 0\)$/.test(c.own);
  return Math.min(contrast(c.edge, c.card), transparent ? Infinity : contrast(c.edge, c.own));
}

/** Signs in with a wrong password on the page at /login. */
async function failSignIn(page) {
  await page.getByLabel('Username').fill(LOGIN);
  await page.getByLabel('Password').fill('Wrong-Pass-1');
  const wrong = await submit(page, () => page.getByRole('button', { name: 'Sign in' }).click());
  assert.equal(wrong.status(), 401);
  await page.waitForLoadState();
}

if (defineBrowserTests()) {
  before(async () => {
    if (skip) return;
    server = await startTollgate();
    await seedSignIn(server);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the pages fit every width from 320 to 1280 px without a strip or sideways scroll', { skip, timeout: 120_000 }, async () => {
    const { context, page } = await newPage();
    try {
      await page.goto(`${server.base}/login`);
      await checkLayout(page, 'signin');
      await failSignIn(page);
      await checkLayout(page, 'signin-error');
      await page.goto(`${server.base}/login/done`);
      await checkLayout(page, 'done');
      await page.goto(`${server.base}/`);
      await checkLayout(page, 'home');
    } finally {
      await context.close();
    }
  });

  for (const colorScheme of ['light', 'dark']) {
    test(`${colorScheme} scheme: axe-core finds no violations, borders and focus rings reach 3:1`, { skip, timeout: 120_000 }, async () => {
      const { context, page, seen } = await newPage({ colorScheme });
      try {
        await page.goto(`${server.base}/login`);
        await assertAccessible(page, 'the sign-in page');
        for (const field of ['#username', '#password', '#show-password']) {
          const ratio = await edgeContrast(page, field);
          assert.ok(ratio >= 3, `${field} border: ${ratio.toFixed(2)}:1`);
        }
        for (const focusable of ['#username', '#show-password']) {
          const ratio = await edgeContrast(page, focusable, true);
          assert.ok(ratio >= 3, `${focusable} focus ring: ${ratio.toFixed(2)}:1`);
        }

        await failSignIn(page);
        await assertAccessible(page, 'the sign-in page after a failed sign-in');
        const invalid = await edgeContrast(page, '#password');
        assert.ok(invalid >= 3, `invalid field border: ${invalid.toFixed(2)}:1`);

        await page.goto(`${server.base}/login/done`);
        await assertAccessible(page, '/login/done');
        await page.goto(`${server.base}/`);
        await assertAccessible(page, 'the home page');
        assert.deepEqual(seen.csp, [], 'nothing was blocked by the Content-Security-Policy');
      } finally {
        await context.close();
      }
    });
  }

  test('the show-password toggle switches the field, by mouse and keyboard, and the form still signs in', { skip, timeout: 120_000 }, async () => {
    const { context, page, seen } = await newPage();
    try {
      await page.goto(`${server.base}/login`);
      const password = page.locator('#password');
      const toggle = page.getByRole('button', { name: 'Show password' });
      assert.ok(await toggle.isVisible(), 'the page script (allowed by its hash) reveals the toggle');
      assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
      assert.equal(await toggle.getAttribute('aria-controls'), 'password');
      await page.getByLabel('Username').fill(LOGIN);
      await password.fill(PASSWORD);

      await toggle.click();
      assert.equal(await password.getAttribute('type'), 'text');
      assert.equal(await page.getByRole('button', { name: 'Show password', pressed: true }).count(), 1);
      assert.equal(await password.inputValue(), PASSWORD, 'switching keeps what was typed');
      await toggle.press('Space');
      assert.equal(await password.getAttribute('type'), 'password');
      assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
      await toggle.press('Space');
      assert.equal(await password.getAttribute('type'), 'text');

      // Sent while shown: the field is hidden again as the form leaves (a listener added after the
      // page's own notes the type on its way out), and the sign-in works.
      await page.evaluate(() => document.querySelector('form').addEventListener('submit', () => sessionStorage.setItem('sent-as', document.getElementById('password').type)));
      const [ok] = await Promise.all([
        submit(page, () => page.getByRole('button', { name: 'Sign in' }).click()),
        page.waitForURL((u) => u.pathname === '/login/done'),
      ]);
      assert.equal(ok.status(), 303);
      assert.equal(await page.getByRole('heading', { level: 1, name: 'You are signed in' }).count(), 1);
      assert.equal(await page.evaluate(() => sessionStorage.getItem('sent-as')), 'password');
      assert.deepEqual(seen.csp, [], 'nothing was blocked by the Content-Security-Policy');
    } finally {
      await context.close();
    }
  });

  test('the home page links to the discovery documents, and they answer', { skip, timeout: 120_000 }, async () => {
    const { context, page, seen } = await newPage();
    try {
      await page.goto(`${server.base}/`);
      assert.equal(await page.title(), 'Tollgate');
      assert.ok(await page.getByText('Acme Corp', { exact: true }).isVisible());
      const link = page.getByRole('link', { name: '/oauth2/default/.well-known/openid-configuration' });
      await link.click();
      await page.waitForURL((u) => u.pathname === '/oauth2/default/.well-known/openid-configuration');
      const discovery = JSON.parse(await page.locator('body').innerText());
      assert.equal(discovery.issuer, `${server.base}/oauth2/default`);
      assert.deepEqual(seen.foreign, [], 'the pages load nothing from other origins');
    } finally {
      await context.close();
    }
  });
}
