// Two-step sign-in in the browser: the second step after a password
// (enrolment reading the key shown as text beside the QR code, or a
// code), with codes computed here by node's crypto (RFC 6238: HMAC-SHA-1,
// 30 s steps, 6 digits), never by the server under test; and run(ctx):
// enrolment of an optional role in Burmese at phone width, sign out, sign
// in with a code. axe-core checks every page load (run.mjs).
// SPDX-License-Identifier: AGPL-3.0-or-later
import { createHmac } from 'node:crypto';
import { join } from 'node:path';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32Decode(text) {
  let bits = 0, value = 0;
  const out = [];
  for (const ch of text.replace(/[\s=]/g, '').toUpperCase()) {
    const v = B32.indexOf(ch);
    if (v < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function totpCode(secret, step) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(msg).digest();
  const off = mac[19] & 15;
  const n = (mac.readUInt32BE(off) & 0x7fffffff) % 1000000;
  return String(n).padStart(6, '0');
}

// user -> { secret, last }: the authenticator app of each enrolled user
const apps = new Map();

// a code of a step not typed before (a step is accepted once): the
// current step when it is free, which stays valid for 30-60 s (the
// server takes one step either side), not the one before, which a loaded
// machine can carry past its end before the server reads it
async function nextCode(app) {
  for (;;) {
    const now = Math.floor(Date.now() / 30000);
    const step = Math.max(now, app.last + 1);
    if (step <= now + 1) {
      app.last = step;
      return totpCode(app.secret, step);
    }
    await new Promise(r => setTimeout(r, 1000));
  }
}

// After a password was sent for user: enrol or type a code, as the page
// asks, and end on the dashboard. Returns 'enrolled', 'code' or 'none'.
export async function secondStep(page, base, user) {
  await page.waitForLoadState();
  if (page.url().endsWith('/dashboard')) return 'none';
  const secretEl = page.locator('#totp-secret');
  const isEnrol = await secretEl.count() > 0;
  if (isEnrol) {
    apps.set(user, { secret: (await secretEl.textContent()).replace(/\s+/g, ''), last: 0 });
  }
  const app = apps.get(user);
  if (!app) throw new Error(`no authenticator for ${user}`);
  // a code refused because its step ended on the way is typed again with
  // the next step, once (each refusal counts toward the lockout)
  for (let attempt = 0; ; attempt++) {
    await page.fill('#code', await nextCode(app));
    await Promise.all([page.waitForNavigation(), page.press('#code', 'Enter')]);
    if (isEnrol || attempt === 1 || page.url().endsWith('/dashboard') ||
        await page.locator('#code').count() === 0) break;
  }
  if (isEnrol) {
    await Promise.all([page.waitForNavigation(), page.click('a.btn.primary[href="/dashboard"]')]);
  }
  await page.waitForURL(`${base}/dashboard`);
  return isEnrol ? 'enrolled' : 'code';
}

export async function run(ctx) {
  const { page, base, passwords, check, artifacts } = ctx;
  const user = 'demo.analyst';
  await page.context().clearCookies();
  await page.goto(`${base}/login`);
  await page.fill('#username', user);
  await page.fill('#password', passwords[user]);
  await page.press('#password', 'Enter');
  await page.waitForURL(`${base}/dashboard`);
  // in Burmese, on a phone: the account page sets it up
  await page.selectOption('#lang-select', 'my');
  await page.click('form.lang-switch button');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/account`);
  check(/[\u1000-\u109F]/.test(await page.locator('#totp-state').textContent()), 'two-step state in Burmese');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/account/totp"] button')]);
  check(await page.locator('svg.qr path').count() === 1, 'QR code drawn inline as SVG');
  check(await page.getAttribute('html', 'lang') === 'my', 'enrolment page in Burmese');
  const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  check(!wide, 'enrolment page does not scroll sideways at 390 px');
  await page.screenshot({ path: join(artifacts, '20-totp-enrol-my-phone.png'), fullPage: true });
  const secret = (await page.locator('#totp-secret').textContent()).replace(/\s+/g, '');
  check(/^[A-Z2-7]{32}$/.test(secret), 'the key is shown as text beside the QR code');
  const app = { secret, last: 0 };
  apps.set(user, app);
  await page.fill('#code', await nextCode(app));
  await Promise.all([page.waitForNavigation(), page.press('#code', 'Enter')]);
  check(await page.locator('#recovery-codes li').count() === 10, 'ten recovery codes shown once');
  await page.screenshot({ path: join(artifacts, '21-totp-recovery-my-phone.png'), fullPage: true });
  await page.goto(`${base}/dashboard`);
  // sign out, then in: the password alone is not enough
  await Promise.all([page.waitForNavigation(), page.click('#sign-out')]);
  await page.goto(`${base}/login`);
  await page.fill('#username', user);
  await page.fill('#password', passwords[user]);
  await Promise.all([page.waitForNavigation(), page.press('#password', 'Enter')]);
  check(await page.locator('form[action="/login/code"]').count() === 1, 'the password leads to the code step');
  const cookies = await page.context().cookies();
  check(!cookies.some(c => c.name === 'siren_session' && c.value), 'no session before the code');
  await page.fill('#code', '000000');
  await Promise.all([page.waitForNavigation(), page.press('#code', 'Enter')]);
  check(await page.locator('[role="alert"]').count() > 0, 'a wrong code is refused with a message');
  await page.screenshot({ path: join(artifacts, '22-totp-code-my-phone.png'), fullPage: true });
  check(await secondStep(page, base, user) === 'code', 'a code computed in JS signs in');
  await page.setViewportSize({ width: 1280, height: 800 });
}
