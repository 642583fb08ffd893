// Browser test of contacts: a hotline operator working in Burmese logs a
// call with the keyboard (selects by arrow keys, the danger box by space,
// saving by Enter), sees the earlier contacts of a repeat caller while
// typing the phone, sees the emergency partners of the problem province as
// soon as danger is ticked, and finds the saved contact in the list;
// switched to Thai, sees the places in Thai script and order.
// Called by run.mjs as run(ctx), ctx = { page, base, passwords, check,
// artifacts }; uses its own browser context (a fresh session).
// SPDX-License-Identifier: AGPL-3.0-or-later
import { join } from 'node:path';

export async function run(ctx) {
  const { base, passwords, check, artifacts } = ctx;
  const context = await ctx.page.context().browser().newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  try {
    await page.goto(`${base}/login`);
    await page.fill('#username', 'demo.hotline');
    await page.fill('#password', passwords['demo.hotline']);
    await page.press('#password', 'Enter');
    await page.waitForURL(`${base}/dashboard`);
    await page.selectOption('#lang-select', 'my');
    await page.click('form.lang-switch button');
    await page.waitForURL(`${base}/dashboard`);

    // the list is in the menu; the form opens from it
    await page.click('nav a[href="/contacts"]');
    await page.waitForURL(`${base}/contacts`);
    check(await page.locator('#contacts tbody tr').count() > 10, 'contacts: the demo traffic is listed');
    await page.click('#new-contact');
    await page.waitForURL(`${base}/contacts/new`);
    const h1 = await page.locator('h1').textContent();
    check(/[\u1000-\u109F]/.test(h1), `contacts: form heading in Burmese (${h1})`);
    check(/[\u1000-\u109F]/.test(await page.locator('label[for=category]').textContent()), 'contacts: labels in Burmese');
    check(/[\u1000-\u109F]/.test(await page.locator('#category option').first().textContent()), 'contacts: value list in Burmese');
    check((await page.inputValue('#received_at')).length === 16, 'contacts: date and time filled with now');

    // keyboard only: arrow keys choose in the lists, typing fills the phone
    await page.focus('#channel');
    await page.keyboard.press('ArrowDown'); // phone -> SMS
    check(await page.inputValue('#channel') === 'sms', 'contacts: channel chosen with the keyboard');
    // the demo's most frequent repeat caller (seed 3: six calls), typed in
    // four forms
    // (+66 80 000 0117, 080 000 0117, 66800000117, 080-000-0117): each
    // form lists the same earlier contacts
    const earlierCodes = async typed => {
      await page.fill('#caller_phone', '');
      const answered = page.waitForResponse(r => r.url().endsWith('/api/v1/contacts/lookup') &&
        (r.request().postDataJSON() || {}).phone === typed, { timeout: 5000 });
      await page.focus('#caller_phone');
      await page.keyboard.type(typed);
      const codes = ((await (await answered).json()).contacts || []).map(c => c.code);
      // the page shows what the server answered
      await page.waitForFunction(want => {
        const shown = [...document.querySelectorAll('#earlier li a')].map(a => a.textContent);
        return shown.join('|') === want;
      }, codes.join('|'), { timeout: 5000 });
      return codes.sort().join('|');
    };
    const intl = await earlierCodes('+66 80 000 0117');
    const national = await earlierCodes('080-000-0117');
    const bare = await earlierCodes('66800000117');
    const earlier = intl === '' ? 0 : intl.split('|').length;
    check(earlier >= 5, `contacts: a repeat caller's earlier contacts appear while typing (${earlier})`);
    check(national === intl && bare === intl, 'contacts: the national and bare forms of the number list the same earlier contacts as +66');
    await page.screenshot({ path: join(artifacts, 'contacts-01-earlier.png'), fullPage: true });

    // imminent danger in Songkhla shows the emergency partners at once
    await page.selectOption('#problem_province', 'TH-90');
    await page.focus('#danger');
    await page.keyboard.press('Space');
    await page.waitForSelector('#emergency li', { timeout: 5000 });
    const partners = await page.locator('#emergency').textContent();
    check(partners.includes('Police Unit'), 'contacts: emergency partners shown when danger is ticked');
    // each with its emergency line as a link that rings it (the demo's
    // police unit: +66 2 000 0204, a fake number: demo_network.c's partner 4)
    await page.waitForSelector('#emergency a[href^="tel:+66"]', { timeout: 5000 });
    const police = page.locator('#emergency li', { hasText: 'Police Unit' }).locator('a[href^="tel:+66"]');
    check(await police.count() === 1, 'contacts: the police unit has one tel: link when danger is ticked');
    check(await police.getAttribute('href') === 'tel:+6620000204', 'contacts: the tel: link rings +6620000204');
    check((await police.textContent()).trim() === '+66 2 000 0204', 'contacts: the link reads +66 2 000 0204');
    await page.screenshot({ path: join(artifacts, 'contacts-02-danger.png'), fullPage: true });

    check(await page.inputValue('#category') === '', 'contacts: the category starts unchosen');
    await page.focus('#category');
    await page.keyboard.press('ArrowDown'); // Choose... -> labour rights
    await page.keyboard.press('ArrowDown'); // labour rights -> trafficking
    check(await page.inputValue('#category') === 'trafficking', 'contacts: category chosen with the keyboard');
    await page.focus('#summary');
    await page.keyboard.type('Synthetic browser test call: four workers held on a boat');
    await page.focus('#save-contact');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/contacts\/C-[0-9A-Z]{4}-[0-9A-Z]{4}\?saved=1$/);
    const code = await page.locator('#contact-code').textContent();
    check(/^C-[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(code), `contacts: saved as ${code}`);
    check((await page.locator('#c-summary').textContent()).includes('four workers'), 'contacts: the operator sees the summary');
    const shownPhone = (await page.locator('#c-phone').textContent()).trim();
    check(shownPhone === '+66 80 000 0117', `contacts: the number typed 66800000117 is shown in international format (${shownPhone})`);
    check((await page.locator('section#emergency').textContent()).includes('Police Unit'), 'contacts: emergency partners on the saved contact');
    check(await page.locator('section#emergency a[href="tel:+6620000204"]').count() === 1, 'contacts: the police unit\'s tel: link on the saved contact');
    check(await page.locator('#refer').count() === 1, 'contacts: Refer button for the operator');
    await page.screenshot({ path: join(artifacts, 'contacts-03-saved.png'), fullPage: true });

    // and it is first in the list of trafficking contacts in danger
    await page.goto(`${base}/contacts?category=trafficking&danger=yes`);
    check((await page.locator('#contacts tbody tr').first().textContent()).includes(code), 'contacts: the new contact heads the filtered list');

    // a Thai reader sees places in Thai script and Thai dictionary order:
    // Krabi (กระบี่) then Bangkok (กรุงเทพมหานคร), the English name beside
    await page.selectOption('#lang-select', 'th');
    await page.click('form.lang-switch button');
    await page.waitForURL(/\/contacts/);
    check((await page.locator('#contacts tbody tr').first().textContent()).includes('สงขลา'), 'contacts: Songkhla in Thai script for a Thai reader');
    await page.goto(`${base}/contacts/new`);
    const thai = await page.$$eval('#problem_province option[value^="TH-"]', os => os.map(o => o.textContent));
    check(thai[0] === 'กระบี่ - Krabi' && thai[1] === 'กรุงเทพมหานคร - Krung Thep Maha Nakhon',
      `contacts: Thai provinces in Thai order (${thai.slice(0, 2).join(', ')})`);
    await page.screenshot({ path: join(artifacts, 'contacts-04-thai-places.png'), fullPage: true });

    // a refused form at phone width, in Burmese: every error at once with
    // its label, the values typed kept, nothing scrolling sideways
    await page.selectOption('#lang-select', 'my');
    await page.click('form.lang-switch button');
    await page.waitForURL(/\/contacts\/new/);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.fill('#caller_phone', 'call me back');
    await page.fill('#summary', 'Synthetic: a refused form keeps this text');
    await page.check('#danger');
    await page.fill('#received_at', '');
    // past the browser's own required-field checks, to the server's
    await page.evaluate(() => { document.querySelector('#contact-form').noValidate = true; });
    const errorsBefore = errors.length;
    await Promise.all([page.waitForNavigation(), page.click('#save-contact')]);
    check(errors.slice(errorsBefore).every(e => e.includes('status of 400')), 'contacts: only the refusal\'s 400 was reported');
    errors.splice(errorsBefore); // the refused form's 400, expected here
    const listed = await page.locator('#form-errors li').allTextContents();
    check(listed.length >= 3 && listed.every(t => /[\u1000-\u109F]/.test(t)),
      `contacts: every error at once, in Burmese (${listed.length})`);
    check(await page.inputValue('#summary') === 'Synthetic: a refused form keeps this text' &&
          await page.isChecked('#danger') && await page.inputValue('#caller_phone') === 'call me back',
      'contacts: the refused form keeps what was typed and ticked');
    check(await page.getAttribute('#category', 'aria-invalid') === 'true', 'contacts: the unchosen category is marked invalid');
    check(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
      'contacts: the refused form does not scroll sideways at phone width');
    await page.screenshot({ path: join(artifacts, 'contacts-05-refused-my-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    // an analyst cannot open contacts at all
    const other = await context.browser().newContext();
    const ap = await other.newPage();
    await ap.goto(`${base}/login`);
    await ap.fill('#username', 'demo.analyst');
    await ap.fill('#password', passwords['demo.analyst']);
    await ap.press('#password', 'Enter');
    await ap.waitForURL(`${base}/dashboard`);
    const resp = await ap.goto(`${base}/contacts/${code}`);
    check(resp.status() === 403, 'contacts: the analyst is refused the contact page');
    check(!(await ap.content()).includes('four workers'), 'contacts: no summary for the analyst');
    await other.close();
    check(errors.length === 0, `contacts: no console errors: ${errors.join('; ')}`);
  } catch (e) {
    check(false, `contacts: ${e.stack || e}`);
  } finally {
    await context.close();
  }
}
