// Browser test of the hotline report: the coordinator opens the monthly
// report; the chart (with its accessible name, legend and event markers)
// and its table show; the breakdowns follow; an event recorded on /events
// appears on the report; the page fits a phone. Screenshots go to
// ctx.artifacts. Called by run.mjs as run(ctx), ctx = { page, base,
// passwords, check, artifacts }.
// SPDX-License-Identifier: AGPL-3.0-or-later
import { join } from 'node:path';

export async function run(ctx) {
  const { page, base, passwords, check, artifacts } = ctx;
  await page.context().clearCookies();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${base}/login`);
  await page.fill('#username', 'demo.coordinator');
  await page.fill('#password', passwords['demo.coordinator']);
  await Promise.all([page.waitForNavigation(), page.press('#password', 'Enter')]);
  await ctx.secondStep(page, 'demo.coordinator'); // a coordinator's code

  // the report is in the menu; without a range it shows the last 12 months
  await page.click('nav a[href="/reports/hotline"]');
  await page.waitForURL(`${base}/reports/hotline`);
  const chart = page.locator('figure#chart-months svg[role=img]');
  check(await chart.isVisible(), 'report: monthly chart visible');
  check((await page.locator('#chart-months-t').textContent()) === 'Contacts per month',
        'report: chart has its accessible title');
  check(await page.locator('table#report-months').isVisible(), 'report: the chart\'s table is visible');
  check(await page.locator('table#report-months tbody tr').count() === 13,
        'report: 12 months and a total row');
  check(await page.locator('figure#chart-months .legend li').count() === 3,
        'report: legend names all contacts, labour rights, trafficking');
  // the demo records events in the last months: each is a marker and a row
  const markers = await page.locator('figure#chart-months g.marker').count();
  const events = await page.locator('table#report-events tbody tr').count();
  check(markers > 0 && markers === events, `report: ${markers} event markers, ${events} event rows`);
  check(await page.locator('#report-province, #report-channel, #report-language, #report-sector').count() === 4,
        'report: four breakdowns');
  check(await page.locator('#report-scope').textContent().then(t => t.includes('Demo Migrant Hotline')),
        'report: scoped to the coordinator\'s organisation');
  await page.screenshot({ path: join(artifacts, 'report-01-coordinator.png'), fullPage: true });

  // a chosen range: the chart and table follow it
  await page.fill('#from', '2025-01');
  await page.fill('#to', '2025-06');
  await page.click('form.filters button[type=submit]');
  await page.waitForURL(/from=2025-01&to=2025-06/);
  check(await page.locator('table#report-months tbody tr').count() === 7, 'report: six months and a total');

  // record an event; it shows on the report of its month
  await page.goto(`${base}/events`);
  await page.fill('#ev-day', '2025-03-12');
  await page.selectOption('#ev-kind', 'broadcast');
  await page.fill('#ev-title', 'Browser test broadcast');
  await page.click('form[action="/events"] button[type=submit]');
  await page.waitForURL(`${base}/events`);
  check(await page.locator('#events').textContent().then(t => t.includes('Browser test broadcast')),
        'events: the new event is listed');
  await page.goto(`${base}/reports/hotline?from=2025-01&to=2025-06`);
  check(await page.locator('table#report-events').textContent().then(t => t.includes('Browser test broadcast')),
        'report: the new event is in the events table');
  check(await page.locator('figure#chart-months g.marker title').allTextContents()
          .then(ts => ts.some(t => t.includes('Browser test broadcast'))),
        'report: the new event is a marker on the chart');

  // CSV and JSON of the same report
  const csv = await page.evaluate(async () => (await fetch('/reports/hotline.csv?from=2025-01&to=2025-06')).text());
  check(csv.startsWith('section,key,measure,value') && csv.includes('Browser test broadcast'), 'report: CSV download');
  const json = await page.evaluate(async () => (await fetch('/reports/hotline.json?from=2025-01&to=2025-06')).json());
  check(json.months.length === 6 && json.suppressed === false, 'report: JSON download');

  // a phone-sized screen: no sideways scrolling, chart above its table
  await page.setViewportSize({ width: 390, height: 844 });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  check(!wide, 'report: no horizontal scrolling at 390 px');
  await page.screenshot({ path: join(artifacts, 'report-02-phone.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
}
