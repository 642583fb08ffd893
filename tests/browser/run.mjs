// Browser tests: headless Debian Chromium driven by playwright-core, against
// a synthetic demo workspace served on a free loopback port. A person signs
// in, switches to Burmese, sees the dashboard in Burmese, signs out; a
// screenshot of each step is kept in tests/browser/artifacts/. Every page
// any of these tests loads is also checked with axe-core (WCAG 2 A and AA
// rules): a serious or critical violation fails the run.
// Prints "browser: N passed, N failed" and exits 1 on any failure.
// SPDX-License-Identifier: AGPL-3.0-or-later
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { secondStep } from './totp.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const siren = resolve(process.env.SIREN || join(here, '../../siren'));
const artifacts = join(here, 'artifacts');
mkdirSync(artifacts, { recursive: true });

let passed = 0, failed = 0;

// axe-core on every page load, in every page the tests open. A check cut
// short because the test had already moved the page on is counted apart;
// enough pages must be checked for the run to mean anything.
const axeSource = readFileSync(join(here, 'node_modules/axe-core/axe.min.js'), 'utf8');
const axeRuns = [];
const axeBad = [];
let axeChecked = 0, axeCutShort = 0;
// On the same loads: every element that shows or takes user text (table
// cells, values, list items, form fields) must be its own bidirectional
// paragraph (unicode-bidi: plaintext, as dir="auto"), so a right-to-left
// override inside a name or a note cannot reorder what stands around it.
const bidiBad = new Set();
let bidiElements = 0;
async function axePage(page) {
  const url = page.url();
  try {
    await page.evaluate(axeSource); // evaluate is not subject to the page's CSP
    const r = await page.evaluate(() => axe.run({ runOnly: ['wcag2a', 'wcag2aa'] }));
    axeChecked++;
    const b = await page.evaluate(() => {
      const els = [...document.querySelectorAll('td, dd, li, input, textarea, select')];
      const bad = els.filter((e) => getComputedStyle(e).unicodeBidi !== 'plaintext');
      return { n: els.length, bad: bad.map((e) => e.tagName.toLowerCase()) };
    });
    bidiElements += b.n;
    for (const tag of b.bad) bidiBad.add(`${new URL(url).pathname}: ${tag}`);
    for (const v of r.violations) {
      if (v.impact === 'serious' || v.impact === 'critical') {
        axeBad.push(`${new URL(url).pathname}: ${v.id} (${v.nodes.length} nodes)`);
      }
    }
  } catch {
    axeCutShort++;
  }
}
function watchAxe(page) {
  page.on('load', () => { axeRuns.push(axePage(page)); });
  return page;
}
function watchBrowser(b) {
  const newPage = b.newPage.bind(b);
  const newContext = b.newContext.bind(b);
  b.newPage = async (...a) => watchAxe(await newPage(...a));
  b.newContext = async (...a) => {
    const c = await newContext(...a);
    c.on('page', watchAxe);
    return c;
  };
  return b;
}
function check(ok, what) {
  if (ok) { passed++; } else { failed++; console.error(`FAIL: ${what}`); }
}

function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); });
    s.on('error', rej);
  });
}

async function waitHealthy(base) {
  for (let i = 0; i < 100; i++) {
    try { const r = await fetch(`${base}/health`); if (r.ok) return true; } catch { /* not yet */ }
    await new Promise(r => setTimeout(r, 100));
  }
  return false;
}

const dir = mkdtempSync(join(tmpdir(), 'siren-browser-'));
const ws = join(dir, 'ws');
const env = { ...process.env, SIREN_PASSPHRASE: 'browser test passphrase' };
const demo = execFileSync(siren, ['demo', ws, '--seed', '3', '--kdf', 'interactive'], { env }).toString();
const passwords = Object.fromEntries([...demo.matchAll(/^\s+(demo\.\w+)\s+(\S+)$/gm)].map(m => [m[1], m[2]]));
check(Object.keys(passwords).length === 7, 'demo printed one account per role');

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawn(siren, ['serve', '-w', ws, '--listen', `127.0.0.1:${port}`], { env, stdio: ['ignore', 'ignore', 'pipe'] });
let log = '';
server.stderr.on('data', d => { log += d; });

let browser;
try {
  check(await waitHealthy(base), 'server answers /health');
  browser = watchBrowser(await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  }));
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const consoleErrors = [];
  // the refused sign-in answers 401 on purpose; anything else is a fault
  page.on('console', m => { if (m.type() === 'error' && !m.text().includes('status of 401')) consoleErrors.push(m.text()); });

  // the front page sends an anonymous visitor to sign in
  await page.goto(`${base}/`);
  check(page.url().endsWith('/login'), 'anonymous visitor lands on /login');
  check(await page.locator('.banner-synthetic').isVisible(), 'synthetic-data banner is shown');
  await page.screenshot({ path: join(artifacts, '01-login.png'), fullPage: true });

  // a wrong password is refused with a clear message
  await page.fill('#username', 'demo.hotline');
  await page.fill('#password', 'not-the-right-password');
  await page.click('form.stack button[type=submit]');
  check((await page.locator('#login-error').textContent()).includes('Wrong username or password'), 'wrong password message');

  // sign in with the keyboard alone
  await page.fill('#username', 'demo.hotline');
  await page.fill('#password', passwords['demo.hotline']);
  await page.press('#password', 'Enter');
  await page.waitForURL(`${base}/dashboard`);
  check(await page.locator('h1').textContent() === 'Dashboard', 'dashboard heading in English');
  check((await page.locator('#my-role').textContent()) === 'Hotline operator', 'role shown');
  const cookies = await page.context().cookies();
  const sess = cookies.find(c => c.name === 'siren_session');
  check(sess && sess.httpOnly && sess.sameSite === 'Strict', 'session cookie is HttpOnly and SameSite=Strict');
  await page.screenshot({ path: join(artifacts, '02-dashboard-en.png'), fullPage: true });

  // switch to Burmese from the language switch on the page
  await page.selectOption('#lang-select', 'my');
  await page.click('form.lang-switch button');
  await page.waitForURL(`${base}/dashboard`);
  check(await page.getAttribute('html', 'lang') === 'my', 'page language is Burmese');
  const h1 = await page.locator('h1').textContent();
  check(/[\u1000-\u109F]/.test(h1), `dashboard heading is in Burmese script (${h1})`);
  const signOut = await page.locator('#sign-out').textContent();
  check(/[\u1000-\u109F]/.test(signOut), 'sign-out button is in Burmese');
  await page.screenshot({ path: join(artifacts, '03-dashboard-my.png'), fullPage: true });

  // the choice stays with the account: reload keeps Burmese
  await page.reload();
  check(await page.getAttribute('html', 'lang') === 'my', 'Burmese kept after reload');

  // on a phone-sized screen the page does not scroll sideways
  await page.setViewportSize({ width: 390, height: 844 });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  check(!wide, 'no horizontal scrolling at 390 px');
  await page.screenshot({ path: join(artifacts, '04-dashboard-my-phone.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });

  // sign out: back to the sign-in page, and the dashboard is closed
  await page.click('#sign-out');
  await page.waitForURL(`${base}/login`);
  check(page.url().endsWith('/login'), 'signed out to /login');
  await page.goto(`${base}/dashboard`);
  check(page.url().endsWith('/login'), 'dashboard needs signing in again');
  await page.screenshot({ path: join(artifacts, '05-signed-out.png'), fullPage: true });

  // the administrator's pages: users, organisations, audit verified
  await page.goto(`${base}/login`);
  await page.fill('#username', 'demo.admin');
  await page.fill('#password', passwords['demo.admin']);
  await Promise.all([page.waitForNavigation(), page.press('#password', 'Enter')]);
  // an administrator sets up the second factor before anything else
  check(await page.locator('svg.qr').count() === 1 && await page.locator('#totp-secret').count() === 1,
        'administrator without an authenticator gets the enrolment page');
  await page.goto(`${base}/dashboard`);
  check(page.url().endsWith('/login'), 'nothing else is reachable before enrolling');
  await page.fill('#username', 'demo.admin');
  await page.fill('#password', passwords['demo.admin']);
  await Promise.all([page.waitForNavigation(), page.press('#password', 'Enter')]);
  await page.screenshot({ path: join(artifacts, '06-totp-enrol.png'), fullPage: true });
  check(await secondStep(page, base, 'demo.admin') === 'enrolled', 'administrator enrolled with a code computed in JS');
  await page.click('nav a[href="/users"]');
  check(await page.locator('#users tbody tr').count() === 7, 'admin sees seven demo users');
  await page.click('nav a[href="/audit"]');
  check((await page.locator('#audit-status').getAttribute('class')).includes('ok'), 'audit chain verified on the page');
  await page.screenshot({ path: join(artifacts, '06-audit.png'), fullPage: true });
  // the log filtered by a user's name, as typed
  await page.fill('#username', 'demo.admin');
  await Promise.all([page.waitForNavigation(), page.click('form.filters button[type=submit]')]);
  const auditUsers = await page.locator('#audit tbody tr td:nth-child(3)').allTextContents();
  check(auditUsers.length > 0 && auditUsers.every(u => u.trim() === 'demo.admin'),
        `the audit log filtered by user name shows that user's rows only (${auditUsers.length})`);
  // a partner forgot their password: the administrator sets a new one
  // from the user's page (a weak one is refused with the reason)
  await page.click('nav a[href="/users"]');
  await Promise.all([page.waitForNavigation(), page.locator('#users a', { hasText: 'demo.partner' }).click()]);
  const errorsBefore = consoleErrors.length;
  await page.fill('#new', 'weakpw');
  await page.evaluate(() => document.querySelector('#new').removeAttribute('minlength'));
  await Promise.all([page.waitForNavigation(), page.click('#set-password')]);
  check(await page.locator('.form-error').count() === 1,
        'a weak new password is refused with the reason on the user\'s page');
  // the refusal is a 400 page, which the console reports: expected here
  check(consoleErrors.slice(errorsBefore).every(e => e.includes('status of 400')), 'only the refusal\'s 400 was reported');
  consoleErrors.splice(errorsBefore);
  const partnerPw = 'harbour-lantern-violet-2026';
  await page.fill('#new', partnerPw);
  await Promise.all([page.waitForNavigation(), page.click('#set-password')]);
  check((await page.content()).includes('Password changed.'), 'the administrator set the partner\'s new password');
  passwords['demo.partner'] = partnerPw; // the modules below sign in with it
  // sign out and in again: a code computed in JS
  await Promise.all([page.waitForNavigation(), page.click('#sign-out')]);
  await page.goto(`${base}/login`);
  await page.fill('#username', 'demo.admin');
  await page.fill('#password', passwords['demo.admin']);
  await Promise.all([page.waitForNavigation(), page.press('#password', 'Enter')]);
  check(await secondStep(page, base, 'demo.admin') === 'code', 'administrator signs in again with a code');

  check(consoleErrors.length === 0, `no console errors (CSP violations included): ${consoleErrors.join('; ')}`);

  // each feature's own browser test: tests/browser/<module>.mjs exports
  // run(ctx); a module's failure is counted and the next one still runs.
  // BROWSER_MODULES=contacts,cases runs only those (while working on one;
  // make check runs them all)
  const only = (process.env.BROWSER_MODULES || '').split(',').filter(Boolean);
  for (const name of ['contacts', 'referrals', 'report', 'cases', 'justice', 'stats', 'totp', 'languages']) {
    if (only.length && !only.includes(name)) continue;
    const file = join(here, `${name}.mjs`);
    if (!existsSync(file)) continue;
    const before = failed;
    try {
      const mod = await import(file);
      const modPage = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await mod.run({ page: modPage, base, passwords, check, artifacts,
                      secondStep: (p, user) => secondStep(p, base, user) });
      await Promise.all(axeRuns);
      await modPage.close();
    } catch (e) {
      failed++;
      console.error(`FAIL: ${name}.mjs: ${e.stack || e}`);
    }
    console.error(`${name}.mjs: ${failed === before ? 'ok' : `${failed - before} failed`}`);
  }
  await Promise.all(axeRuns);
  check(axeBad.length === 0, `axe-core: serious or critical violations: ${axeBad.join('; ')}`);
  const minAxe = only.length ? 10 : 20; // fewer pages when modules are left out
  check(axeChecked >= minAxe, `axe-core checked ${axeChecked} page loads (at least ${minAxe} expected)`);
  check(bidiBad.size === 0 && bidiElements >= 100,
        `user text isolated (unicode-bidi: plaintext) in ${bidiElements} elements; not in: ${[...bidiBad].join('; ')}`);
  console.error(`axe-core: ${axeChecked} page loads checked, ${axeCutShort} cut short by the test moving on`);
} catch (e) {
  failed++;
  console.error(`FAIL: ${e.stack || e}`);
} finally {
  if (browser) await browser.close();
  server.kill('SIGTERM');
  const code = await new Promise(r => server.on('exit', (c) => r(c)));
  check(code === 0, 'server exits 0 on SIGTERM');
  check(!Object.values(passwords).some(p => log.includes(p)), 'no password in the server log');
  rmSync(dir, { recursive: true, force: true });
}
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
