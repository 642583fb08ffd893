// Browser test of the interface languages: every page a person uses, in
// each of the seven languages, at desktop (1280 px) and phone (390 px)
// width, signed in as a role that may see it. For each page and language,
// one check per rule:
//  - no English left over: no visible text (nor placeholder, title,
//    aria-label, value of a button or field) equals a msgid of
//    po/siren.pot, unless that language's catalogues translate it to the
//    same English ("SIREN", "CSV"); a msgid with printf conversions is
//    matched with each conversion standing for any text. Text marked as in
//    another language (the language switch's native names) is left out.
//    In English the same matcher must find the msgids (at least 10 per
//    page on average), or a matcher that never matches would pass all;
//  - the page is in the chosen language (html lang) and answered 200;
//  - no sideways scrolling at phone width;
//  - every non-ASCII character shown has an installed font (fontconfig),
//    so none is drawn as a box.
// A screenshot of each page and language at phone width goes to
// ctx.artifacts as lang-<lang>-<page>.png. Record codes are taken from
// the lists: the case worker's case is the one cases.mjs opens, the data
// set and analysis those stats.mjs leaves (run.mjs runs this module after
// them). Each account's language is put back as it was found. Two
// accounts are driven at a time, each in its own browser context.
// Called by run.mjs as run(ctx), ctx = { page, base, passwords, check,
// artifacts, secondStep }; axe-core checks every page load (run.mjs).
// SPDX-License-Identifier: AGPL-3.0-or-later
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const LANGS = ['en', 'my', 'km', 'th', 'lo', 'vi', 'zh'];
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

// ---- the catalogues ------------------------------------------------------

function unescapePo(s) {
  return s.replace(/\\(.)/g, (_, c) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c);
}

// PO entries: { msgctxt, msgid, msgid_plural, msgstr: [...] }; comments
// (obsolete "#~" entries too) skipped, continuation lines joined.
export function parsePo(text) {
  const out = [];
  let cur = {}, key = null;
  const done = () => { if (cur.msgid !== undefined) out.push(cur); cur = {}; key = null; };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const kw = line.match(/^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+"(.*)"$/);
    if (kw) {
      const [, k, n, v] = kw;
      if (k === 'msgctxt' || (k === 'msgid' && cur.msgid !== undefined)) done();
      if (k === 'msgstr') {
        cur.msgstr ??= [];
        key = ['msgstr', Number(n ?? 0)];
        cur.msgstr[key[1]] = unescapePo(v);
      } else {
        key = k;
        cur[k] = unescapePo(v);
      }
      continue;
    }
    const cont = line.match(/^"(.*)"$/);
    if (cont && key) {
      if (Array.isArray(key)) cur.msgstr[key[1]] += unescapePo(cont[1]);
      else cur[key] += unescapePo(cont[1]);
      continue;
    }
    throw new Error(`PO: cannot read line: ${raw}`);
  }
  done();
  return out;
}

const norm = (s) => s.replace(/\s+/g, ' ').trim();
const CONV = /%%|%(?:\d+\$)?[-+ 0#']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|j|z|t|L|q)?[diouxXeEfFgGaAcspn]/g;

// The English strings of the template: exact texts, and patterns for those
// with conversions; only those with two ASCII letters in a row outside
// the conversions (a bare "%s" or "%d%%" says nothing).
function matcher() {
  const exact = new Set();
  const patterns = [];
  for (const e of parsePo(readFileSync(join(root, 'po/siren.pot'), 'utf8'))) {
    for (const id of [e.msgid, e.msgid_plural]) {
      if (!id) continue;
      const s = norm(id);
      const literal = s.replace(CONV, (c) => (c === '%%' ? '%' : '\u0000'));
      if (!/[A-Za-z]{2}/.test(literal.replace(/\u0000/g, ' '))) continue;
      if (!/\u0000/.test(literal)) { exact.add(s); continue; }
      const parts = literal.split('\u0000');
      const re = new RegExp(`^${parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*?')}$`);
      const longest = parts.reduce((a, b) => (b.length > a.length ? b : a), '');
      patterns.push({ id: s, re, longest });
    }
  }
  // the msgid a text shows, or null
  const find = (t) => {
    if (exact.has(t)) return t;
    for (const p of patterns) if (t.includes(p.longest) && p.re.test(t)) return p.id;
    return null;
  };
  return { find, size: exact.size + patterns.length };
}

// msgids a language's catalogues (po/LANG.po, po/*/LANG.po) translate to
// the same English: legitimate in that language's pages
function sameInLang(lang) {
  const files = [join(root, `po/${lang}.po`)];
  for (const d of readdirSync(join(root, 'po'), { withFileTypes: true })) {
    if (d.isDirectory()) files.push(join(root, 'po', d.name, `${lang}.po`));
  }
  const same = new Set();
  for (const f of files.filter(existsSync)) {
    for (const e of parsePo(readFileSync(f, 'utf8'))) {
      for (const id of [e.msgid, e.msgid_plural]) {
        if (id && (e.msgstr || []).some((s) => s === id)) same.add(norm(id));
      }
    }
  }
  return same;
}

// ---- fonts ---------------------------------------------------------------

const hasFont = new Map(); // code point -> some installed font covers it
function fcCovers(cps) {
  const spec = cps.map((c) => c.toString(16)).join(' ');
  return execFileSync('fc-list', [`:charset=${spec}`, 'family'], { encoding: 'utf8' }).trim() !== '';
}
// the code points of cps no installed font covers; one fc-list call per
// 128-character block when a single font covers the whole block's lot
function missingGlyphs(cps) {
  const blocks = new Map();
  for (const c of cps) {
    if (hasFont.has(c)) continue;
    const b = c >> 7;
    if (!blocks.has(b)) blocks.set(b, []);
    blocks.get(b).push(c);
  }
  for (const group of blocks.values()) {
    if (group.length > 1 && fcCovers(group)) { for (const c of group) hasFont.set(c, true); continue; }
    for (const c of group) hasFont.set(c, fcCovers([c]));
  }
  return cps.filter((c) => !hasFont.get(c));
}
// non-ASCII characters that are drawn (not spaces, controls, joiners)
function drawnCodePoints(strings) {
  const cps = new Set();
  for (const s of strings) {
    for (const ch of s) {
      const c = ch.codePointAt(0);
      if (c > 127 && !/[\p{Cc}\p{Cf}\p{Z}]/u.test(ch)) cps.add(c);
    }
  }
  return [...cps];
}

// ---- in the page ---------------------------------------------------------

// Everything the page shows a reader as text, trimmed, with whether it is
// in the page's own language (not inside an element of another lang) and
// inside #main; and whether the page scrolls sideways.
function extract() {
  const pageLang = document.documentElement.lang;
  const out = [];
  const shown = (el) => el.checkVisibility({ visibilityProperty: true });
  const add = (t, el) => {
    const s = (t || '').replace(/\s+/g, ' ').trim();
    if (!s) return;
    const l = el.closest('[lang]');
    out.push({ s, own: !l || l.lang === pageLang, main: !!el.closest('#main') });
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest('script, style, template, noscript')) continue;
    // options show when their list opens; an SVG <title> as a tooltip
    const host = el.closest('select') || (el.closest('svg') && el.closest('svg').parentElement) || el;
    if (shown(host)) add(n.nodeValue, el);
  }
  for (const el of document.querySelectorAll('[placeholder], [title], [aria-label], button[value], input[value]')) {
    if (el.type === 'hidden' || !shown(el)) continue;
    for (const a of ['placeholder', 'title', 'aria-label']) add(el.getAttribute(a), el);
    if (el.matches('button, input')) add(el.getAttribute('value'), el);
  }
  add(document.title.replace(/ - SIREN$/, ''), document.documentElement);
  const d = document.documentElement;
  return { strings: out, wide: d.scrollWidth > d.clientWidth + 1, scrollWidth: d.scrollWidth };
}

// ---- the pages -----------------------------------------------------------

async function signIn(browser, base, passwords, user, secondStep) {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.fill('#username', user);
  await page.fill('#password', passwords[user]);
  await Promise.all([page.waitForNavigation(), page.press('#password', 'Enter')]);
  await secondStep(page, user);
  return { context, page };
}

async function setLang(page, base, lang) {
  if (await page.locator('#lang-select').count() === 0) await page.goto(`${base}/dashboard`);
  await page.selectOption('#lang-select', lang);
  await Promise.all([page.waitForNavigation(), page.click('form.lang-switch button')]);
}

// the first link on the current page whose path matches re
async function firstLink(page, re) {
  const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')));
  return hrefs.find((h) => re.test(h)) || null;
}

export async function run(ctx) {
  const { base, passwords, check, artifacts } = ctx;
  const browser = ctx.page.context().browser();
  const started = Date.now();
  const m = matcher();
  check(m.size > 500, `languages: the template's msgids read (${m.size})`);
  const same = Object.fromEntries(LANGS.map((l) => [l, sameInLang(l)]));
  check(same.my.has('SIREN') && !same.my.has('Sign in'), 'languages: identical translations read from the catalogues');
  const leftovers = Object.fromEntries(LANGS.map((l) => [l, 0]));
  const enFound = [];
  const wide = [];
  const noFont = new Set();

  // one page in one language: loaded at desktop width, then at phone width
  async function visit(page, lang, name, path) {
    const where = `languages: ${lang} ${name}`;
    await page.setViewportSize(DESKTOP);
    const resp = await page.goto(`${base}${path}`);
    const htmlLang = await page.getAttribute('html', 'lang');
    check(resp.status() === 200 && htmlLang === lang, `${where}: answered ${resp.status()} in ${htmlLang}`);
    const desk = await page.evaluate(extract);
    await page.setViewportSize(PHONE);
    const phone = await page.evaluate(extract);
    // some lists are tens of thousands of pixels tall at phone width
    await page.screenshot({ path: join(artifacts, `lang-${lang}-${name}.png`), fullPage: true, timeout: 120000 });
    const strings = [...desk.strings, ...phone.strings];

    const found = new Set(); // texts equal to a msgid
    const ids = new Set(); // and the msgids they are
    const foundMain = new Set();
    for (const { s, own, main } of strings) {
      if (!own) continue;
      const id = m.find(s);
      if (id && !same[lang].has(id)) { found.add(s); ids.add(id); if (main) foundMain.add(id); }
    }
    if (lang === 'en') {
      enFound.push(ids.size);
      check(foundMain.size >= 2, `${where}: the matcher finds the page's own English strings (${foundMain.size} in #main)`);
    } else {
      leftovers[lang] += found.size;
      check(found.size === 0, `${where}: English left over (${found.size}): ${[...found].slice(0, 5).map((s) => JSON.stringify(s)).join(', ')}`);
    }
    if (phone.wide) wide.push(`${lang} ${name}`);
    check(!phone.wide, `${where}: no sideways scrolling at ${PHONE.width} px (scrollWidth ${phone.scrollWidth})`);
    const missing = missingGlyphs(drawnCodePoints(strings.map((x) => x.s)));
    for (const c of missing) noFont.add(c);
    check(missing.length === 0, `${where}: characters without an installed font: ${missing.slice(0, 5).map((c) => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`).join(' ')}`);
  }

  // each role: its pages, found from the lists, in every language; then
  // its language as it was
  async function asRole(user, discover) {
    let context, page;
    if (user) {
      ({ context, page } = await signIn(browser, base, passwords, user, ctx.secondStep));
    } else {
      context = await browser.newContext({ viewport: DESKTOP });
      page = await context.newPage();
      await page.goto(`${base}/login`);
    }
    try {
      const original = await page.getAttribute('html', 'lang');
      const pages = await discover(page);
      if (page.url() !== `${base}${pages[0][1]}`) await page.goto(`${base}${pages[0][1]}`);
      for (const lang of LANGS) {
        await setLang(page, base, lang);
        for (const [name, path] of pages) {
          try {
            await visit(page, lang, name, path);
          } catch (e) {
            check(false, `languages: ${lang} ${name}: ${e.message}`);
          }
        }
      }
      if (user) {
        await setLang(page, base, original);
        check(await page.getAttribute('html', 'lang') === original, `languages: ${user}'s language put back (${original})`);
      }
    } finally {
      await context.close();
    }
  }

  // pages of a list's first record: [name, suffix] pairs after its path
  async function record(page, pages, list, re, name, more = []) {
    await page.goto(`${base}${list}`);
    const path = await firstLink(page, re);
    check(path !== null, `languages: ${name}: a record found in ${list}`);
    if (path === null) return null;
    pages.push([name, path]);
    for (const [n, suffix] of more) pages.push([n, `${path}${suffix}`]);
    return path;
  }
  const CONTACT = /^\/contacts\/C-[0-9A-Z]{4}-[0-9A-Z]{4}$/;
  const CASE = /^\/cases\/K-[0-9A-Z]{4}-[0-9A-Z]{4}$/;
  const ENTITY = /^\/entities\/E-[0-9A-Z]{4}-[0-9A-Z]{4}$/;
  const REFERRAL = /^\/referrals\/(?!inbox$)[^/?#]+$/;

  // Each job: an account (null: nobody signed in) and how it finds its
  // pages; every page with a role that may see it, the role's own
  // dashboard too.
  const jobs = [
    ['demo.hotline', async (page) => {
      const pages = [['dashboard-hotline', '/dashboard'], ['contacts', '/contacts'],
        ['contact-new', '/contacts/new'], ['referrals', '/referrals'],
        ['hotline-report', '/reports/hotline'], ['directory', '/directory']];
      await record(page, pages, '/contacts', CONTACT, 'contact', [['contact-refer', '/refer']]);
      await record(page, pages, '/referrals', REFERRAL, 'referral');
      await record(page, pages, '/directory', /^\/directory\/[^/?#]+$/, 'directory-org');
      return pages;
    }],
    ['demo.caseworker', async (page) => {
      const pages = [['dashboard-caseworker', '/dashboard'], ['cases', '/cases'],
        ['case-new', '/cases/new'], ['duplicates', '/duplicates'], ['referrals-inbox', '/referrals/inbox']];
      const kase = await record(page, pages, '/cases', CASE, 'case',
        [['case-refer', '/refer'], ['person-new', '/people/new']]);
      if (kase) await record(page, pages, kase, /^\/people\/[^/?#]+$/, 'person');
      return pages;
    }],
    ['demo.investigator', async (page) => {
      const pages = [['dashboard-investigator', '/dashboard'], ['entities', '/entities'],
        ['entity-new', '/entities/new'], ['offenders', '/reports/offenders'], ['funnel', '/reports/funnel']];
      await record(page, pages, '/entities', ENTITY, 'entity',
        [['entity-network', '/network'], ['entity-casefile', '/casefile']]);
      return pages;
    }],
    ['demo.coordinator', async (page) => {
      const pages = [['dashboard', '/dashboard'], ['account', '/account'], ['events', '/events'], ['glass', '/glass']];
      const kase = await record(page, pages, '/cases', CASE, 'case-coordinator', [['case-edit', '/edit']]);
      if (kase) await record(page, pages, kase, /^\/justice\/[^/?#]+\/events\/new$/, 'justice-event-new');
      return pages;
    }],
    ['demo.analyst', async (page) => {
      const pages = [['dashboard-analyst', '/dashboard'], ['network-stats', '/reports/network'],
        ['stats', '/stats'], ['analysis-new', '/stats/analyses/new']];
      await record(page, pages, '/stats', /^\/stats\/datasets\/\d+$/, 'dataset');
      await record(page, pages, '/stats', /^\/stats\/analyses\/\d+$/, 'analysis');
      return pages;
    }],
    ['demo.admin', async (page) => {
      const pages = [['dashboard-admin', '/dashboard'], ['users', '/users'],
        ['sessions', '/users/sessions'], ['orgs', '/orgs'], ['audit', '/audit']];
      await record(page, pages, '/users', /^\/users\/\d+$/, 'user');
      return pages;
    }],
    ['demo.partner', async (page) => {
      const pages = [['dashboard-partner', '/dashboard'], ['referrals-partner', '/referrals']];
      await record(page, pages, '/referrals', REFERRAL, 'referral-partner');
      return pages;
    }],
    [null, async () => [['login', '/login']]],
  ];
  // two at a time: each account in its own browser context
  async function worker() {
    for (let job = jobs.shift(); job; job = jobs.shift()) {
      try {
        await asRole(...job);
      } catch (e) {
        check(false, `languages: ${job[0] || 'anonymous'}: ${e.stack || e}`);
      }
    }
  }
  await Promise.all([worker(), worker()]);

  const avg = enFound.reduce((a, b) => a + b, 0) / Math.max(enFound.length, 1);
  check(enFound.length >= 30 && avg >= 10,
    `languages: in English the matcher finds ${avg.toFixed(1)} msgids a page on average over ${enFound.length} pages (at least 10 expected)`);
  console.error(`languages: English left over: ${LANGS.slice(1).map((l) => `${l} ${leftovers[l]}`).join(', ')}; ` +
    `sideways at ${PHONE.width} px: ${wide.length ? wide.join(', ') : 'none'}; ` +
    `characters without a font: ${noFont.size ? [...noFont].map((c) => `U+${c.toString(16).toUpperCase()}`).join(' ') : 'none'}; ` +
    `${enFound.length} pages, ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
