// Browser test of cases: a case worker (demo.caseworker, in the demo's
// women's shelter, which holds no hotline contacts, so the case is opened
// directly) opens a case, adds a victim with a Burmese name, records her
// consent (sharing with police declined), adds a second person with the
// same phone and is sent to the duplicate suggestion, sees a referral of
// the case to the police refused for want of that consent (naming the
// person's code, never her name), and edits the case's attributes.
// Called by run.mjs as run(ctx), ctx = { page, base, passwords, check,
// artifacts }; uses its own browser context (a fresh session).
// SPDX-License-Identifier: AGPL-3.0-or-later
import { join } from 'node:path';

const BURMESE_NAME = 'နန်းဆွေဆွေဝင်း'; // synthetic
const PHONE = '+66 80 111 2233';       // synthetic

export async function run(ctx) {
  const { base, passwords, check, artifacts } = ctx;
  const context = await ctx.page.context().browser().newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  // the refused referral answers 400 on purpose; anything else is a fault
  page.on('console', m => { if (m.type() === 'error' && !m.text().includes('status of 400')) errors.push(m.text()); });
  const shot = name => page.screenshot({ path: join(artifacts, `cases-${name}.png`), fullPage: true });
  try {
    await page.goto(`${base}/login`);
    await page.fill('#username', 'demo.caseworker');
    await page.fill('#password', passwords['demo.caseworker']);
    await page.press('#password', 'Enter');
    await page.waitForURL(`${base}/dashboard`);

    // the case worker's organisation has no contacts: the case is opened
    // directly, from the list's button
    await page.click('nav a[href="/cases"]');
    await page.waitForURL(`${base}/cases`);
    await page.click('#new-case');
    await page.waitForURL(`${base}/cases/new`);
    const ticks = await page.locator('input[name=contacts]').count();
    check(ticks === 0, `cases: no contact of another organisation is offered (${ticks})`);
    await page.selectOption('#trafficking_status', 'actual');
    await page.check('input[name=exploitation][value=forced_labour]');
    await page.check('input[name=exploitation][value=forced_criminality]');
    await page.selectOption('#industry', 'C');
    await page.fill('#exploit_province', 'TH-74');
    await shot('01-new');
    await page.click('#case-form button[type=submit]');
    await page.waitForURL(/\/cases\/K-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const caseUrl = page.url();
    const caseCode = caseUrl.split('/').pop();
    check((await page.locator('#case-details').textContent()).includes('Forced criminality'),
      'cases: the new case shows its exploitation');

    // a victim with a Burmese name and identity fields
    await page.click('#add-person');
    await page.waitForURL(`${caseUrl}/people/new`);
    await page.selectOption('#role', 'victim');
    await page.fill('#name', BURMESE_NAME);
    await page.fill('#phone', PHONE);
    await page.fill('#birth_date', '1999-05-06');
    await page.selectOption('#gender', 'female');
    await page.fill('#citizenship', 'MM');
    await page.fill('#languages', 'my');
    await page.fill('#age_trafficked', '23');
    await shot('02-person-form');
    // (Enter in a text field submits; a click would land on the date
    // picker the birth date field leaves open)
    await page.press('#languages', 'Enter');
    await page.waitForURL(/\/people\/P-[0-9A-Z]{4}-[0-9A-Z]{4}\?dups=0$/);
    const personCode = page.url().split('/').pop().split('?')[0];
    check((await page.locator('main').textContent()).includes(BURMESE_NAME),
      'cases: the case worker sees the Burmese name (an audited read)');

    // consent: police sharing declined, NGO sharing given
    await page.selectOption('#purpose', 'share_police');
    await page.selectOption('#state', 'declined');
    await page.click('#consent-submit');
    await page.waitForURL(`${base}/people/${personCode}`);
    await page.selectOption('#purpose', 'share_ngo');
    await page.selectOption('#state', 'given');
    await page.click('#consent-submit');
    await page.waitForURL(`${base}/people/${personCode}`);
    const consent = await page.locator('#consent').textContent();
    check(consent.includes('Sharing with police') && consent.includes('Declined'),
      'cases: the police-sharing decline is recorded');
    check(consent.includes('Sharing with partner NGOs') && consent.includes('Given'),
      'cases: the NGO-sharing consent is recorded');
    check(consent.includes('demo.caseworker'), 'cases: consent names who recorded it');
    await shot('03-consent');

    // the case lists her by code and name
    await page.goto(caseUrl);
    check((await page.locator('#people').textContent()).includes(personCode), 'cases: the person is in the case');

    // a second person with the same phone: the duplicate suggestion
    await page.click('#add-person');
    await page.selectOption('#role', 'caller');
    await page.fill('#name', 'နန်းဆွေ');
    await page.fill('#phone', '+66801112233');
    await page.click('#add-person-submit');
    await page.waitForURL(/\/people\/P-[0-9A-Z]{4}-[0-9A-Z]{4}\?dups=[1-9]$/);
    check(await page.locator('#dups').isVisible(), 'cases: the possible duplicate is announced');
    await page.click('#dups a');
    await page.waitForURL(`${base}/duplicates`);
    const dups = await page.locator('main').textContent();
    check(dups.includes(personCode), 'cases: the duplicate page names the earlier person');
    check(dups.includes('Same phone'), 'cases: the duplicate page says why (same phone)');
    await shot('04-duplicates');

    // referring the case to the police is refused for want of consent
    await page.goto(caseUrl);
    await page.click('#refer-case');
    await page.waitForURL(`${caseUrl}/refer`);
    await page.goto(`${caseUrl}/refer?province=&language=`);
    const police = page.locator('#refer-orgs li', { hasText: 'Police Unit' });
    check((await police.textContent()).includes('No consent for police'),
      'cases: the police unit is marked as not covered by consent');
    await police.locator('input[type=radio]').check();
    await page.selectOption('#r-service', 'rescue');
    await page.click('#refer-send');
    await page.waitForSelector('#refer-error');
    const refusal = await page.locator('#refer-error').textContent();
    check(refusal.includes(personCode), `cases: the refusal names the person's code (${refusal})`);
    check(!refusal.includes(BURMESE_NAME), 'cases: the refusal names no one');
    await shot('05-refer-refused');

    // the case's attributes are edited after opening
    await page.goto(caseUrl);
    await page.click('#edit-case');
    await page.waitForURL(`${caseUrl}/edit`);
    check(await page.inputValue('#exploit_province') === 'TH-74', 'cases: the edit form shows the stored province');
    await page.selectOption('#industry', 'A');
    await page.fill('#recruit_province', 'MM-05');
    await shot('06-edit');
    await page.click('#case-edit-form button[type=submit]');
    await page.waitForURL(caseUrl);
    const details = await page.locator('#case-details').textContent();
    check(details.includes('MM-05'), 'cases: the edit is saved');
    check(details.includes(caseCode), 'cases: back on the case');
    check(errors.length === 0, `cases: no console errors: ${errors.join('; ')}`);
  } catch (e) {
    check(false, `cases: ${e.stack || e}`);
    await shot('99-failure').catch(() => {});
  } finally {
    await context.close();
  }
}
