// Browser test of the evidence pages: an analyst imports a survey through
// the form (identifying columns are refused, naming them, then dropped),
// sees its data dictionary, runs a logistic regression and sees the forest
// plot of odds ratios beside its table; no identity appears on any page.
// Screenshots in tests/browser/artifacts/stats-*.png.
// Called by run.mjs: export async function run(ctx), ctx = { page, base,
// passwords, check, artifacts }.
// SPDX-License-Identifier: AGPL-3.0-or-later
import { join } from 'node:path';

// 400 respondents: broker (yes/no) and age; a phone and a name column that
// must never reach a page. Exposed: 30 cases of 100; unexposed: 20 of 300
// (odds ratio 30*280/(70*20) = 6, before adjusting for age).
function surveyCsv() {
  const rows = ['respondent_name,phone,trafficked,broker,age'];
  for (let i = 0; i < 400; i++) {
    const broker = i < 100 ? 'yes' : 'no';
    const cas = i < 100 ? (i < 30 ? 1 : 0) : (i < 120 ? 1 : 0);
    const age = 18 + ((i * 7) % 30);
    rows.push(`Person ${i},+6681${String(1000000 + i)},${cas},${broker},${age}`);
  }
  return rows.join('\n') + '\n';
}

export async function run(ctx) {
  const { base, passwords, check, artifacts } = ctx;
  // a context of our own: its own cookies, and its own console watch, since
  // the refused import answers 403 on purpose
  const context = await ctx.page.context().browser().newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const consoleErrors = [];
  let expect403 = false;
  page.on('console', m => {
    if (m.type() === 'error' && !(expect403 && m.text().includes('status of 403'))) {
      consoleErrors.push(m.text());
    }
  });
  await page.goto(`${base}/login`);
  await page.fill('#username', 'demo.analyst');
  await page.fill('#password', passwords['demo.analyst']);
  await page.press('#password', 'Enter');
  await page.waitForURL(`${base}/dashboard`);
  await page.click('nav a[href="/stats"]');
  check(page.url().endsWith('/stats'), 'analyst reaches /stats from the navigation');

  // identifying columns are refused by default, the message names them
  const csv = surveyCsv();
  await page.fill('#ds-name', 'border survey');
  await page.fill('#ds-csv', csv);
  expect403 = true;
  await page.click('#import button[type=submit]');
  await page.waitForLoadState();
  expect403 = false;
  const refusal = await page.locator('.form-error').textContent();
  check(refusal.includes("'respondent_name'") && refusal.includes("'phone'"),
        `refusal names the identifying columns (${refusal})`);
  check(!refusal.includes('Person 1'), 'refusal shows no cell');
  check(!(await page.locator('#ds-ident option[value="keep"]').count()),
        'an analyst is not offered to keep identities');
  await page.screenshot({ path: join(artifacts, 'stats-01-refused.png'), fullPage: true });

  // dropped on request: the data set page shows the dictionary, no rows
  await page.fill('#ds-name', 'border survey');
  await page.fill('#ds-csv', csv);
  await page.selectOption('#ds-ident', 'drop');
  await page.click('#import button[type=submit]');
  await page.waitForURL(/\/stats\/datasets\/\d+$/);
  check((await page.locator('#dataset-name').textContent()) === 'border survey', 'data set page');
  check(await page.locator('#dictionary tbody tr').count() === 3, 'dictionary lists the three kept columns');
  const dsText = await page.locator('main').textContent();
  check(!dsText.includes('+6681') && !dsText.includes('Person '), 'no identity on the data set page');
  await page.screenshot({ path: join(artifacts, 'stats-02-dataset.png'), fullPage: true });

  // a logistic regression from the new-analysis page
  await page.click('a[href^="/stats/analyses/new"]');
  await page.fill('#risk-outcome', 'trafficked');
  await page.fill('#risk-predictors', 'broker,age');
  await page.fill('#risk-ref', 'broker=no');
  await page.click('#run-risk button[type=submit]');
  await page.waitForURL(/\/stats\/analyses\/\d+$/);
  const svg = page.locator('#forest svg.forest');
  check(await svg.isVisible(), 'forest plot is shown');
  check(await page.locator('#forest svg .forest-row').count() === 2, 'one forest row per odds ratio (broker, age)');
  check(await page.locator('#forest-table tbody tr').count() === 2, 'the odds-ratio table beside the plot');
  const box = await svg.boundingBox();
  check(box && box.width > 200 && box.height > 40, 'forest plot has a size');
  const anText = await page.locator('main').textContent();
  check(anText.includes('broker=yes'), 'the broker term is named');
  check(!anText.includes('+6681') && !anText.includes('Person '), 'no identity on the analysis page');
  check(/[0-9a-f]{64}/.test(await page.locator('#analysis-record').textContent()),
        'the record shows the data set hash');
  await page.screenshot({ path: join(artifacts, 'stats-03-forest.png'), fullPage: true });

  // back on /stats the analysis is listed
  await page.goto(`${base}/stats`);
  check(await page.locator('#analyses tbody tr').count() >= 1, 'recent analyses listed');
  check(consoleErrors.length === 0, `no console errors on the evidence pages: ${consoleErrors.join('; ')}`);
  await page.click('#sign-out');
  await page.waitForURL(`${base}/login`);
  await context.close();
}
