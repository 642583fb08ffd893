// Browser test of the justice pages: the investigator opens the offenders
// list and the ranked worst offenders, a broker's page and its network
// (the SVG drawn, cases counted, no victim's name anywhere), and the
// funnel report with its chart, split by legal aid and by type of
// exploitation (translated HTCDS labels); the coordinator sees the
// justice section on a case page. Screenshots go to ctx.artifacts.
// Called by run.mjs as run(ctx), ctx = { page, base, passwords, check,
// artifacts }.
// SPDX-License-Identifier: AGPL-3.0-or-later
import { join } from 'node:path';

// the demo's victims (src/demo_cases.c); never on an offender page
const victimNames = ['Aung Ko Ko', 'Mya Thandar', 'Sokha Chan', 'Nguyen Thi Lan', 'Aung Ko (', 'Mya Thanda ('];

async function signIn(page, base, passwords, user, secondStep) {
  await page.context().clearCookies();
  await page.goto(`${base}/login`);
  await page.fill('#username', user);
  await page.fill('#password', passwords[user]);
  await Promise.all([page.waitForNavigation(), page.press('#password', 'Enter')]);
  await secondStep(page, user); // a coordinator's code; nothing for others
}

export async function run(ctx) {
  const { page, base, passwords, check, artifacts } = ctx;
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, base, passwords, 'demo.investigator', ctx.secondStep);

  // the offenders list is in the menu
  await page.click('nav a[href="/entities"]');
  await page.waitForURL(`${base}/entities`);
  const rows = await page.locator('table#entities tbody tr').count();
  check(rows >= 13, `justice: offenders listed (${rows})`);
  await page.screenshot({ path: join(artifacts, 'justice-01-offenders.png'), fullPage: true });

  // the ranked list: the top offender is a broker of the demo network
  await page.goto(`${base}/reports/offenders`);
  const top = page.locator('table#entities tbody tr').first();
  check((await top.locator('td').first().textContent()).trim() === '1', 'justice: ranked list starts at 1');
  const topText = await top.textContent();
  check(/Broker|Recruiter/.test(topText), `justice: the worst offender is a broker or recruiter (${topText.trim()})`);
  await top.locator('a[href^="/entities/"]').click();
  await page.waitForURL(/\/entities\/E-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  const code = (await page.locator('#entity-code').textContent()).match(/E-[0-9A-Z]{4}-[0-9A-Z]{4}/)[0];
  check(await page.locator('table#entity-cases tbody tr').count() > 0, 'justice: the broker\'s cases are listed');
  check(await page.locator('table#entity-links').textContent().then(t => /shares a phone with/.test(t)),
        'justice: the broker shares a phone with another offender');
  await page.screenshot({ path: join(artifacts, 'justice-02-broker.png'), fullPage: true });

  // its network: an SVG with offenders (circles) and cases (squares)
  await page.goto(`${base}/entities/${code}/network`);
  const svg = page.locator('svg#network-svg');
  check(await svg.isVisible(), 'justice: network SVG visible');
  const circles = await svg.locator('circle').count();
  const squares = await svg.locator('rect').count();
  check(circles >= 3 && squares >= 1, `justice: network has offenders (${circles}) and cases (${squares})`);
  check(await svg.locator('line').count() > 0, 'justice: network has edges');
  const caseTitle = await svg.locator('rect title').first().textContent();
  check(/K-[0-9A-Z]{4}-[0-9A-Z]{4}: \d+ victims/.test(caseTitle), `justice: cases show victims counted (${caseTitle})`);
  const html = await page.content();
  check(!victimNames.some(n => html.includes(n)), 'justice: no victim name on the network page');
  await page.screenshot({ path: join(artifacts, 'justice-03-network.png'), fullPage: true });

  // the printable case file carries codes, not victims' names
  await page.goto(`${base}/entities/${code}/casefile`);
  const file = await page.content();
  check(file.includes(code) && !victimNames.some(n => file.includes(n)), 'justice: case file has codes, no victim names');

  // the investigator's own world: the police unit's cases, and the form
  // to record what happened next on one (it answered 404 when the demo
  // gave the unit no case)
  await page.goto(`${base}/cases`);
  const ownCases = await page.locator('#cases tbody tr').count();
  check(ownCases > 0, `justice: the investigator has the police unit's cases (${ownCases})`);
  await page.locator('a[href^="/cases/K-"]').first().click();
  await page.waitForURL(/\/cases\/K-/);
  await Promise.all([page.waitForNavigation(), page.locator('section#justice a[href$="/events/new"]').click()]);
  check(/\/justice\/K-[0-9A-Z-]+\/events\/new$/.test(page.url()) && await page.locator('form select').count() > 0,
        'justice: the investigator opens the form to record a justice event on its case');

  // the funnel: chart and tables, then split by legal aid and exploitation
  await page.goto(`${base}/dashboard`);
  await page.click('nav a[href="/reports/funnel"]');
  await page.waitForURL(`${base}/reports/funnel`);
  check(await page.locator('figure.chart svg[role=img]').first().isVisible(), 'justice: funnel chart visible');
  const totals = await page.locator('table.funnel').first().locator('tbody tr').count();
  check(totals >= 3, `justice: funnel has a row per half-year (${totals})`);
  check(await page.locator('#funnel-medians').isVisible(), 'justice: median days table');
  await page.screenshot({ path: join(artifacts, 'justice-04-funnel.png'), fullPage: true });
  await page.selectOption('#f-by', 'legal_aid');
  await page.click('#funnel-form button[type=submit]');
  await page.waitForURL(/by=legal_aid/);
  const split = await page.locator('table.funnel').nth(1).textContent();
  check(split.includes('Legal aid (at any time)') && split.includes('No legal aid'),
        'justice: split by legal aid labelled');
  await page.selectOption('#f-by', 'exploitation');
  await page.click('#funnel-form button[type=submit]');
  await page.waitForURL(/by=exploitation/);
  const byType = await page.locator('table.funnel').nth(1).textContent();
  check(byType.includes('Forced labour') && !byType.includes('type_0'),
        'justice: exploitation split labelled with HTCDS types');
  await page.screenshot({ path: join(artifacts, 'justice-05-funnel-exploitation.png'), fullPage: true });

  // the coordinator's case page carries the justice section
  await signIn(page, base, passwords, 'demo.coordinator', ctx.secondStep);
  await page.goto(`${base}/cases`);
  await page.locator('a[href^="/cases/K-"]').first().click();
  await page.waitForURL(/\/cases\/K-/);
  check(await page.locator('section#justice').isVisible(), 'justice: case page has the justice section');
  check(await page.locator('section#justice').textContent().then(t => t.includes('Furthest stage reached')),
        'justice: the section names the furthest stage');
  await page.screenshot({ path: join(artifacts, 'justice-06-case.png'), fullPage: true });
}
