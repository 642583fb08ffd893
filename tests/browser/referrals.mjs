// Browser test of the referral network, against the demo workspace: the
// hotline operator refers a contact to the demo legal aid network from the
// refer form (directory search, urgency, note), the partner signs in, sees
// only referrals sent to its organisation, and accepts from its inbox.
// Called by run.mjs as run(ctx), ctx = { page, base, passwords, check,
// artifacts }; screenshots go to ctx.artifacts.
// SPDX-License-Identifier: AGPL-3.0-or-later
import { join } from 'node:path';

async function signIn(page, base, user, password) {
  await page.goto(`${base}/login`);
  await page.fill('#username', user);
  await page.fill('#password', password);
  await page.press('#password', 'Enter');
  await page.waitForURL(`${base}/dashboard`);
  // the checks read English labels; another test may have left the
  // account's language set to Burmese
  if (await page.getAttribute('html', 'lang') !== 'en') {
    await page.selectOption('#lang-select', 'en');
    await page.click('form.lang-switch button');
    await page.waitForURL(`${base}/dashboard`);
  }
}

async function signOut(page, base) {
  await page.click('#sign-out');
  await page.waitForURL(`${base}/login`);
}

async function getJson(page, base, path) {
  // same-origin fetch from the page carries the session cookie
  return page.evaluate(async (url) => {
    const r = await fetch(url, { headers: { Accept: 'application/json' } });
    return { status: r.status, body: await r.json() };
  }, `${base}${path}`);
}

export async function run(ctx) {
  const { page, base, passwords, check, artifacts } = ctx;
  await page.setViewportSize({ width: 1280, height: 800 });

  // the operator: the demo legal aid network, and a contact of the hotline
  // that may be shared with NGOs (one the demo already referred there)
  await signIn(page, base, 'demo.hotline', passwords['demo.hotline']);
  check(await page.locator('#referrals-awaiting').isVisible(), 'dashboard shows referrals awaiting answer');
  const dir = await getJson(page, base, '/api/v1/directory?service=legal_aid');
  const legal = (dir.body.organisations || []).find(o => o.name.startsWith('Demo Legal Aid'));
  check(dir.status === 200 && legal, 'directory lists the demo legal aid network');
  const sent = await getJson(page, base, '/api/v1/referrals?box=sent');
  const earlier = (sent.body.referrals || []).find(r => legal && r.to_org === legal.code && r.contact);
  check(earlier, 'the demo referred a contact to legal aid before');
  const foreign = (sent.body.referrals || []).find(r => legal && r.to_org !== legal.code);
  if (!legal || !earlier) {
    await signOut(page, base);
    return;
  }

  // the refer form: who serves the contact's province in its language, then
  // widened to every province and language for legal aid
  await page.goto(`${base}/contacts/${earlier.contact}/refer`);
  check(await page.locator('h1').isVisible(), 'refer form opens');
  await page.selectOption('#f-province', '');
  await page.selectOption('#f-language', '');
  await page.selectOption('#f-service', 'legal_aid');
  await page.click('#refer-search button[type=submit]');
  await page.waitForLoadState('load');
  const radio = page.locator(`#refer-orgs input[value="${legal.code}"]`);
  check(await radio.count() === 1, 'the legal aid network is offered');
  await radio.check();
  await page.selectOption('#r-service', 'legal_aid');
  await page.selectOption('#r-urgency', 'high');
  await page.fill('#r-note', 'Synthetic browser test note: call back in Burmese.');
  await page.screenshot({ path: join(artifacts, 'referrals-01-refer-form.png'), fullPage: true });
  await page.click('#refer-send');
  await page.waitForURL(/\/referrals\/R-[0-9A-Z]{4}-[0-9A-Z]{4}/);
  const code = (await page.locator('#referral-code').textContent()).trim();
  check(/^R-[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(code), `referral sent (${code})`);
  check((await page.locator('#referral-status').textContent()).includes('Sent'), 'new referral is sent');
  check((await page.locator('#referral-note').textContent()).includes('call back in Burmese'), 'sender sees its note');
  // times in the workspace's zone, labelled; the UTC moment for programs
  const sentAt = page.locator('time').first();
  check(/ UTC\+7$/.test((await sentAt.textContent()).trim()) &&
        /Z$/.test(await sentAt.getAttribute('datetime')), 'referral times are local, labelled UTC+7');
  await page.screenshot({ path: join(artifacts, 'referrals-02-sent.png'), fullPage: true });

  // the list pages and says how many match: the new referral heads the
  // first page, the next page holds other referrals
  await page.goto(`${base}/referrals`);
  const count = (await page.locator('#match-count').textContent()).trim();
  const n = Number((count.match(/^(\d+) match(es)?$/) || [])[1]);
  const firstRows = await page.locator('#referrals tbody tr').allTextContents();
  check(n > 50 && firstRows.length === 50, `the sent list says how many match (${count}) and shows 50 of them`);
  check(firstRows[0].includes(code), 'the new referral heads the first page');
  await page.click('#next-page');
  await page.waitForURL(/\/referrals\?.*after=/);
  const nextRows = await page.locator('#referrals tbody tr').allTextContents();
  check(nextRows.length === Math.min(50, n - 50) && !nextRows.some(r => firstRows.includes(r)),
        `the next page shows ${nextRows.length} other referrals`);
  check((await page.locator('#match-count').textContent()).trim() === count, 'the count is the same on every page');
  await page.setViewportSize({ width: 390, height: 800 });
  check(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
        'the paged list does not scroll sideways at phone width');
  await page.screenshot({ path: join(artifacts, 'referrals-02b-page-two-phone.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await signOut(page, base);

  // the partner: its inbox only, no identities, then accept
  await signIn(page, base, 'demo.partner', passwords['demo.partner']);
  await page.goto(`${base}/referrals/inbox`);
  const row = page.locator('#referrals tbody tr', { hasText: code });
  check(await row.count() === 1, 'the partner sees the new referral in its inbox');
  const mine = await getJson(page, base, '/api/v1/referrals');
  const all = mine.body.referrals || [];
  check(mine.status === 200 && all.length > 0 && all.every(r => r.to_org === legal.code || r.from_org === legal.code),
        'the partner sees only referrals of its organisation');
  check(all.every(r => r.contact === undefined), 'the partner never sees a contact code');
  const html = await page.content();
  check(!html.includes(earlier.contact), 'no contact code in the inbox page');
  await page.screenshot({ path: join(artifacts, 'referrals-03-inbox.png'), fullPage: true });
  await row.locator('button[data-status=accepted]').click();
  await page.waitForURL(`${base}/referrals/inbox`);
  await page.goto(`${base}/referrals/${code}`);
  check((await page.locator('#referral-status').textContent()).includes('Accepted'), 'the partner accepted');
  check((await page.locator('#referral-note').textContent()).includes('call back in Burmese'), 'the partner reads the note');
  check(!(await page.content()).includes(earlier.contact), 'no contact code on the detail page');
  if (foreign) {
    // (a 404 page would log a console error: the 404 is tested in test_referral)
    check(!all.some(r => r.code === foreign.code), "another partner's referral is not listed");
    check(!html.includes(foreign.code), "another partner's referral is not in the inbox");
  }
  await page.screenshot({ path: join(artifacts, 'referrals-04-accepted.png'), fullPage: true });
  await signOut(page, base);
}
