// Browser test of the dashboard page (mot-wasm/www) with Playwright and the
// system Chromium.
//
//   cd mot-wasm/tests/browser && npm install
//   node --test mot-wasm/tests/browser/                  # against the built package (mot-wasm/pkg/web)
//   MOT_WASM_MOCK=1 node --test mot-wasm/tests/browser/  # against mock/pkg/web (no build needed)
//
// MOT_CASE picks the conformance case uploaded (default `weekly`, any folder of
// tests/dashboard with an experience.json). It starts www/serve.mjs on a free
// port, opens the page on the bundled sample, uploads the case's files, and
// checks that every element with `data-field` shows the value of the contract
// that the package's `dashboardFromCsv` returns for the same inputs (called
// inside the page), written the way the page promises (`data-format`). Then it
// uploads broken files and checks the error is shown and the dashboard kept.
// Screenshots: screenshot.png (the dashboard) and screenshot-error.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = fileURLToPath(new URL('.', import.meta.url));
const wasmDir = join(here, '../..');
const MOCK = process.env.MOT_WASM_MOCK === '1';
const CASE = process.env.MOT_CASE ?? 'weekly';
const caseDir = join(wasmDir, '../tests/dashboard', CASE);
const file = (name) => (existsSync(join(caseDir, name)) ? readFileSync(join(caseDir, name), 'utf8') : null);
const input = {
  experience: file('experience.json'),
  events: file('events.csv'),
  outcomes: file('outcomes.csv'),
  period: JSON.parse(file('config.json')).period,
};
const PKG = '/pkg/web/mot_wasm.js';
process.env.NO_PROXY = '127.0.0.1,localhost';
process.env.no_proxy = process.env.NO_PROXY;

let server;
let base;
let browser;
let page;
const problems = []; // page errors, console errors, requests that leave 127.0.0.1

// ------------------------------------------------------------ how figures are written
// The display rules the page promises for each `data-format` (null is `–`).
// Never a negative zero: a value that rounds to zero has no sign.
const sign = (x, digits) => {
  const t = Math.abs(x).toFixed(digits);
  return Number(t) === 0 ? t : (x < 0 ? '−' : '+') + t;
};
const fixed = (x, digits) => sign(x, digits).replace(/^\+/, '');
const FMT = {
  pct: (v) => `${(v * 100).toFixed(1)}%`,
  pct2: (v) => `${(v * 100).toFixed(2)}%`,
  spct: (v) => `${sign(v * 100, 1)}%`,
  int: (v) => v.toLocaleString('en-US', { maximumFractionDigits: 0 }),
  num2: (v) => fixed(v, 2),
  num3: (v) => fixed(v, 3),
  signed3: (v) => sign(v, 3),
  pts: (v) => `${sign(v * 100, 2)} pts`,
  money: (v) => (Math.round(v) < 0 ? '−' : '') + Math.abs(Math.round(v)).toLocaleString('en-US'),
  amount: (v) => (Math.abs(v) >= 100 ? FMT.money(v) : fixed(v, 2)),
  date: (v) => new Date(v * 1000).toISOString().slice(0, 10),
  datetime: (v) => new Date(v * 1000).toISOString().slice(0, 16).replace('T', ' '),
  text: (v) => String(v),
  dur: (v) => (v < 60 ? `${v.toFixed(0)} s` : v < 3600 ? `${(v / 60).toFixed(1)} min` : v < 86400 ? `${(v / 3600).toFixed(1)} h` : `${(v / 86400).toFixed(1)} d`),
};
const written = (v, fmt) => (v == null ? '–' : FMT[fmt](v));
const at = (obj, path) => path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);

// ------------------------------------------------------------ helpers

function startServer() {
  return new Promise((resolve, reject) => {
    const args = [join(wasmDir, 'www/serve.mjs'), '--port', '0', ...(MOCK ? ['--mock'] : [])];
    server = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /(http:\/\/127\.0\.0\.1:\d+)\/www\//.exec(out);
      if (m) resolve(m[1]);
    });
    server.on('exit', (code) => reject(new Error(`serve.mjs exited with ${code}: ${out}`)));
  });
}

/** GET with the path sent as is (no URL normalisation). */
function rawGet(path) {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET' }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'] }));
    });
    req.on('error', reject);
    req.end();
  });
}

const builds = () => page.$eval('#dashboard', (m) => Number(m.dataset.builds ?? 0));

async function waitForBuild(n) {
  await page.waitForFunction((n) => {
    const m = document.querySelector('#dashboard');
    return Number(m.dataset.builds) >= n && m.getAttribute('aria-busy') === 'false';
  }, n, { timeout: 30_000 });
}

async function waitForIdle() {
  await page.waitForFunction(() => document.querySelector('#dashboard').getAttribute('aria-busy') === 'false');
}

/** The contract for some inputs, from the package itself, inside the page. */
async function contract(inputs) {
  return page.evaluate(async ({ inputs, pkg }) => {
    const m = await import(pkg);
    await m.default();
    const plain = (v) => {
      if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, plain(x)]));
      if (Array.isArray(v)) return v.map(plain);
      if (typeof v === 'bigint') return Number(v);
      if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
      }
      return v;
    };
    let { experience, events, outcomes } = inputs;
    if (inputs.sample) {
      const log = plain(m.sampleLog());
      [experience, events, outcomes] = [m.sampleExperience(), log.events, log.outcomes];
    }
    const options = { period: inputs.period, preset: 'default' };
    if (experience != null) options.experience = experience;
    const dashboard = plain(m.dashboardFromCsv(events, outcomes ?? undefined, options));
    let landscape = null;
    if (experience != null) {
      const x = m.Experience.fromJson(experience);
      landscape = {
        unexplainedWork: x.unexplainedWork ? plain(x.unexplainedWork()).map((w) => (typeof w === 'string' ? w : w.id)) : null,
        costRollup: x.costRollup ? plain(x.costRollup()) : null,
      };
      x.free?.();
    }
    return { dashboard, landscape };
  }, { inputs, pkg: PKG });
}

/** Every `data-field` on the page equals the contract; the main figures are all shown. */
async function checkPage({ dashboard: d, landscape }) {
  const shown = await page.$$eval('[data-field], [data-xfield]', (els) => els.map((e) => ({
    field: e.getAttribute('data-field'),
    xfield: e.getAttribute('data-xfield'),
    value: e.getAttribute('data-value'),
    format: e.getAttribute('data-format'),
    text: e.textContent,
    tag: e.localName,
    width: e.getAttribute('width'),
  })));
  const fields = new Set();
  for (const s of shown) {
    const where = s.field ? `data-field="${s.field}"` : `data-xfield="${s.xfield}"`;
    const expected = s.field ? at(d, s.field) : at(landscape, s.xfield);
    assert.notEqual(expected, undefined, `${where} is not in the contract`);
    assert.ok(s.value != null || s.format != null, `${where} has neither data-value nor data-format`);
    if (s.value != null) {
      const want = expected === null ? 'null' : String(expected);
      assert.equal(s.value, want, `${where}: data-value ${s.value}, contract ${want}`);
    }
    if (s.format != null) {
      assert.ok(s.format in FMT, `${where}: unknown data-format ${s.format}`);
      assert.equal(s.text, written(expected, s.format), `${where}: shows "${s.text}", contract ${JSON.stringify(expected)}`);
    }
    if (s.tag === 'rect' && s.field?.endsWith('.smoto_rate')) {
      assert.ok(Math.abs(Number(s.width) - 300 * expected) < 0.06, `${where}: bar width ${s.width} for ${expected}`);
    }
    if (s.field) fields.add(s.field);
  }
  // Coverage: the seven metrics, alerts, trends and rejections are all on the page.
  const must = ['sco.rate', 'sco.ci_low', 'sco.ci_high', 'sco.journeys', 'sco.successes', 'amount.interactions',
    'amount.observed_mots', 'amount.journeys', 'ratio.ratio', 'ratio.interactions_per_journey', 'ownership.share_owned'];
  d.mots.forEach((m, i) => {
    for (const k of ['interactions', 'smoto_rate', 'ci_low', 'ci_high', 'target', 'lift', 'removal_effect', 'removal_effect_ci_low', 'removal_effect_ci_high',
      'alignment', 'trend_slope_per_day', 'cost.per_interaction', 'cost.per_success', 'cost.of_failures']) must.push(`mots.${i}.${k}`);
  });
  d.types.forEach((_, i) => must.push(`types.${i}.interactions`, `types.${i}.rate`, `types.${i}.ci_low`, `types.${i}.ci_high`));
  d.ownership.owners.forEach((_, i) => must.push(`ownership.owners.${i}.name`, `ownership.owners.${i}.rate`, `ownership.owners.${i}.alerts`));
  d.alerts.forEach((a, i) => must.push(`alerts.${i}.message`, `alerts.${i}.kind`, `alerts.${i}.rate`, `alerts.${i}.limit`, ...(a.owner_name != null ? [`alerts.${i}.owner_name`] : [])));
  d.trends.forEach((t, i) => t.periods.forEach((p, j) => {
    for (const k of ['rate', 'lcl', 'ucl']) must.push(`trends.${i}.periods.${j}.${k}`);
    if (p.out_of_control) must.push(`trends.${i}.periods.${j}.out_of_control`);
  }));
  for (const [reason, n] of Object.entries(d.rejected)) must.push(`rejected.${reason}`) && n;
  // The cost line of sight.
  must.push('cost.total', 'cost.cost_per_sco', 'cost.landscape_unexplained', 'cost.landscape_unexplained_share');
  (d.cost?.removal_candidates ?? []).forEach((_, k) => must.push(`cost.removal_candidates.${k}.saves`, `cost.removal_candidates.${k}.removal_effect_ci_high`));
  // The Design–Implementation gap and the journey in time.
  const c = d.conformance;
  if (c) {
    for (const k of ['rate', 'ci_low', 'ci_high', 'journeys', 'conforming', 'designed_steps', 'mean_fitness', 'mean_cost',
      'sco_when_conforming', 'sco_when_deviating', 'lift', 'deviations.missing', 'deviations.extra', 'deviations.undesigned',
      'deviations.out_of_order']) must.push(`conformance.${k}`);
    c.trend.forEach((_, j) => must.push(`conformance.trend.${j}.rate`, `conformance.trend.${j}.lcl`, `conformance.trend.${j}.ucl`));
    const index = Object.fromEntries(d.mots.map((m, i) => [m.id, i]));
    for (const id of c.designed) must.push(`mots.${index[id]}.gap.missing`);
    // Each step's bar is the share of journeys that skipped it.
    const bars = await page.$$eval('svg.steps rect.skip', (els) => els.map((e) => ({ step: e.dataset.step, share: Number(e.dataset.share), width: Number(e.getAttribute('width')) })));
    assert.deepEqual(bars.map((b) => b.step), c.designed, 'one bar per designed step, in order');
    for (const b of bars) {
      const want = d.mots[index[b.step]].gap.missing / c.journeys;
      assert.ok(Math.abs(b.share - want) < 1e-12 && Math.abs(b.width - 134 * want) < 0.06, `step ${b.step}: ${b.share} vs ${want}`);
    }
  }
  if (d.journey_duration) for (const k of ['count', 'mean_s', 'p50_s', 'p90_s', 'p99_s']) must.push(`journey_duration.${k}`);
  // A null figure may be left out (an interval with no bounds is one dash); every other must be shown.
  const missing = must.filter((f) => !fields.has(f) && at(d, f) != null);
  assert.deepEqual(missing, [], 'contract figures not shown on the page');
  if (landscape?.unexplainedWork) {
    const x = new Set(shown.filter((s) => s.xfield).map((s) => s.xfield));
    const want = ['costRollup.unexplained', ...landscape.unexplainedWork.map((_, k) => `unexplainedWork.${k}`)];
    assert.deepEqual(want.filter((f) => !x.has(f)), [], 'landscape figures not shown');
  }
  return shown.length;
}

// ------------------------------------------------------------ the tests

before(async () => {
  if (!MOCK && !existsSync(join(wasmDir, 'pkg/web/mot_wasm.js'))) {
    throw new Error('mot-wasm/pkg/web/mot_wasm.js is not built: build the package first, or run with MOT_WASM_MOCK=1 to test against the mock');
  }
  base = await startServer();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    env: { ...process.env, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' },
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (!['data:', 'blob:'].includes(u.protocol) && u.hostname !== '127.0.0.1') problems.push(`network: ${r.url()}`);
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
});

test('serve.mjs: MIME types, redirect, and no way out of the folder', async () => {
  assert.equal((await rawGet('/www/app.js')).type, 'text/javascript; charset=utf-8');
  assert.equal((await rawGet('/www/style.css')).type, 'text/css; charset=utf-8');
  assert.equal((await rawGet('/pkg/web/mot_wasm.js')).type, 'text/javascript; charset=utf-8');
  if (!MOCK) assert.equal((await rawGet('/pkg/web/mot_wasm_bg.wasm')).type, 'application/wasm');
  assert.equal((await rawGet('/')).status, 302);
  // tests/dashboard/weekly/config.json exists one level above the served folder.
  const outside = ['/../tests/dashboard/weekly/config.json', '/www/../../tests/dashboard/weekly/config.json',
    '/%2e%2e/tests/dashboard/weekly/config.json', '/www/%2e%2e%2f%2e%2e%2ftests/dashboard/weekly/config.json',
    '/..%2ftests%2fdashboard%2fweekly%2fconfig.json', '/..%5ctests%5cdashboard%5cweekly%5cconfig.json', '/www/%00.html'];
  for (const path of outside) {
    const { status } = await rawGet(path);
    assert.ok([400, 403, 404].includes(status), `${path}: ${status}`);
  }
  assert.equal((await rawGet('/www/nothing-here.js')).status, 404);
});

test('opens on the bundled sample', async () => {
  await page.goto(`${base}/www/`);
  await waitForBuild(1);
  assert.equal(await page.locator('#error').textContent(), '');
  const n = await checkPage(await contract({ sample: true, period: 'day' }));
  assert.ok(n > 100, `only ${n} figures shown`);
  assert.match(await page.locator('#source-events').textContent(), /sample/);
});

/** At the window's width: the tables' last columns are not cut off, and
 * the map's labels are drawn after every circle and touch none, nor each
 * other (the rule of layout.js, the report's). */
async function checkLayout() {
  const seen = await page.evaluate(() => {
    const out = [];
    const wrap = document.querySelector('#mots .table-wrap');
    const frame = wrap.getBoundingClientRect();
    if (wrap.scrollWidth > wrap.clientWidth + 1) out.push(`the MOT table is ${wrap.scrollWidth} px wide in ${wrap.clientWidth}`);
    for (const b of document.querySelectorAll('#mots [data-field$=".alignment"]')) {
      const r = b.getBoundingClientRect();
      if (r.right > frame.right + 0.5 || b.scrollWidth > b.clientWidth + 1) out.push(`class "${b.textContent}" cut off at ${Math.round(frame.right)} (ends at ${Math.round(r.right)})`);
    }
    for (const cell of document.querySelectorAll('#mots td, #mots th')) {
      if (cell.scrollWidth > cell.clientWidth + 1) out.push(`cell overflows: "${cell.textContent}"`);
    }
    const map = document.querySelector('svg.map');
    if (!map) return { out, labels: 0 };
    const nodes = [...map.querySelectorAll('*')];
    const lastCircle = Math.max(...[...map.querySelectorAll('circle')].map((c) => nodes.indexOf(c)));
    const labels = [...map.querySelectorAll('text.lbl')];
    const circles = [...map.querySelectorAll('circle')].map((c) => {
      const b = c.getBoundingClientRect();
      return { id: c.dataset.mot, cx: (b.left + b.right) / 2, cy: (b.top + b.bottom) / 2, r: b.width / 2 };
    });
    const boxes = labels.map((t) => t.getBoundingClientRect());
    const plot = map.querySelector('rect.plot').getBoundingClientRect();
    labels.forEach((t, k) => {
      if (nodes.indexOf(t) < lastCircle) out.push(`label "${t.textContent}" is drawn before a circle`);
      const r = boxes[k];
      for (const c of circles) {
        const dx = Math.max(r.left - c.cx, 0, c.cx - r.right);
        const dy = Math.max(r.top - c.cy, 0, c.cy - r.bottom);
        if (Math.hypot(dx, dy) < c.r - 0.5) out.push(`label "${t.textContent}" is on the circle of ${c.id}`);
      }
      for (let j = k + 1; j < boxes.length; j++) {
        const o = boxes[j];
        if (r.left + 0.5 < o.right && o.left + 0.5 < r.right && r.top + 0.5 < o.bottom && o.top + 0.5 < r.bottom) out.push(`labels "${t.textContent}" and "${labels[j].textContent}" overlap`);
      }
      if (r.left < plot.left || r.right > plot.right || r.top < plot.top || r.bottom > plot.bottom) out.push(`label "${t.textContent}" leaves the plot`);
    });
    return { out, labels: labels.length };
  });
  assert.deepEqual(seen.out, []);
  return seen.labels;
}

test('at 1280 px: every column of the MOT table shown, map labels clear of the circles', async () => {
  assert.equal(page.viewportSize().width, 1280);
  const labels = await checkLayout();
  assert.ok(labels > 0, 'the map has labels');
  // The page's map is laid out by the report's rule: the same module.
  const unlabelled = await page.$$eval('#map .note', (ps) => ps.map((p) => p.textContent).join(' '));
  const circles = await page.locator('svg.map circle').count();
  assert.ok(labels === circles || /Not labelled for lack of room/.test(unlabelled), 'every unlabelled MOT is named under the map');
  // Kept by CI with the report's (target/ is ignored by git).
  const shots = join(wasmDir, '../target/screenshots');
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, 'page-1280.png'), fullPage: true });
  console.log(`screenshot: ${join(shots, 'page-1280.png')}`);
});

test(`loads the ${CASE} case by file picker and matches the contract`, async () => {
  let n = await builds();
  if ((await page.inputValue('#period')) !== input.period) {
    await page.selectOption('#period', input.period);
    await waitForBuild(++n);
  }
  const files = [
    { name: 'experience.json', mimeType: 'application/json', buffer: Buffer.from(input.experience) },
    { name: `${CASE}-events.csv`, mimeType: 'text/csv', buffer: Buffer.from(input.events) },
    ...(input.outcomes ? [{ name: `${CASE}-outcomes.csv`, mimeType: 'text/csv', buffer: Buffer.from(input.outcomes) }] : []),
  ];
  await page.setInputFiles('#file-any', files);
  await waitForBuild(++n);
  assert.equal(await page.locator('#error').textContent(), '');
  const c = await contract(input);
  if (MOCK && CASE === 'weekly') assert.deepEqual(c.dashboard, JSON.parse(file('expected.json')));
  await checkPage(c);
  await checkLayout();
  assert.match(await page.locator('#source-events').textContent(), new RegExp(`${CASE}-events\\.csv`));
  assert.match(await page.locator('#source-experience').textContent(), /experience\.json/);
  assert.equal(await page.locator('#title').textContent(), c.dashboard.experience.name);
  await page.screenshot({ path: join(here, 'screenshot.png'), fullPage: true });
});

test('outcomes: removed, then dropped back on their card', async () => {
  const n = await builds();
  await page.click('[data-clear="outcomes"]');
  await waitForBuild(n + 1);
  await checkPage(await contract({ ...input, outcomes: null }));
  assert.match(await page.locator('#source-outcomes').textContent(), /None/);
  if (!input.outcomes) return;
  const dt = await page.evaluateHandle((text) => {
    const t = new DataTransfer();
    t.items.add(new File([text], 'dropped-outcomes.csv', { type: 'text/csv' }));
    return t;
  }, input.outcomes);
  await page.dispatchEvent('[data-slot="outcomes"]', 'dragenter', { dataTransfer: dt });
  assert.equal(await page.locator('#dropzone').isVisible(), true);
  await page.dispatchEvent('[data-slot="outcomes"]', 'drop', { dataTransfer: dt });
  await waitForBuild(n + 2);
  assert.equal(await page.locator('#dropzone').isVisible(), false);
  assert.match(await page.locator('#source-outcomes').textContent(), /dropped-outcomes\.csv/);
  await checkPage(await contract(input));
});

test('text from the data is escaped', async () => {
  const x = JSON.parse(input.experience);
  x.name = '<img src=x onerror="window.__pwned=1">Broadband & <b>co</b>';
  x.segment = '<script>window.__pwned=2</script>';
  const n = await builds();
  await page.setInputFiles('#file-experience', { name: '<i>odd</i>.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(x)) });
  await waitForBuild(n + 1);
  assert.equal(await page.locator('#title').textContent(), x.name);
  assert.equal(await page.locator('#subtitle [data-field="experience.segment"]').textContent(), x.segment);
  assert.equal(await page.locator('header img, header b, main img, #subtitle script').count(), 0);
  assert.match(await page.locator('#source-experience').textContent(), /<i>odd<\/i>\.json/);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  await checkPage(await contract({ ...input, experience: JSON.stringify(x) }));
});

test('a broken file shows a readable error and keeps the dashboard', async () => {
  const n = await builds();
  const before = await page.$eval('[data-field="sco.rate"]', (e) => e.textContent);
  const alert = page.getByRole('alert');

  await page.setInputFiles('#file-events', { name: 'broken-events.csv', mimeType: 'text/csv', buffer: Buffer.from('when,what\n1,2\n') });
  await alert.waitFor({ state: 'visible' });
  await waitForIdle();
  let text = await alert.textContent();
  assert.match(text, /broken-events\.csv/, 'names the file');
  assert.equal(await alert.locator('.kind').textContent(), 'columns');
  assert.match(text, /journey_id/, 'names the missing column');
  assert.doesNotMatch(text, /\[object |undefined|\bnull\b/);
  assert.equal(await builds(), n, 'no new dashboard');
  assert.equal(await page.$eval('[data-field="sco.rate"]', (e) => e.textContent), before, 'the previous dashboard stays');
  assert.match(await page.locator('#source-events').textContent(), new RegExp(`${CASE}-events\\.csv`));
  await page.screenshot({ path: join(here, 'screenshot-error.png') });

  await page.setInputFiles('#file-experience', { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "mot.experience/1", "id": ') });
  await page.waitForFunction(() => document.querySelector('#error')?.textContent.includes('broken.json'));
  await waitForIdle();
  text = await alert.textContent();
  assert.equal(await alert.locator('.kind').textContent(), 'json');
  assert.ok((await alert.locator('.error-message').textContent()).length > 10, text);
  assert.match(text, /previous data/);

  await page.setInputFiles('#file-experience', { name: 'future.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "mot.experience/9"}') });
  await page.waitForFunction(() => document.querySelector('#error')?.textContent.includes('future.json'));
  await waitForIdle();
  assert.equal(await alert.locator('.kind').textContent(), 'format');
  assert.equal(await builds(), n, 'still no new dashboard');

  // The previous dashboard still works: change the period and it rebuilds.
  await page.selectOption('#period', input.period === 'day' ? 'week' : 'day');
  await waitForBuild(n + 1);
  assert.equal(await alert.isVisible(), false, 'a good build clears the error');
  await page.selectOption('#period', input.period);
  await waitForBuild(n + 2);
});

test('discovery mode: the experience removed', async () => {
  const n = await builds();
  await page.click('[data-clear="experience"]');
  await waitForBuild(n + 1);
  assert.match(await page.locator('#source-experience').textContent(), /discovery/);
  await checkPage(await contract({ ...input, experience: null }));
});

test('drop anywhere: files are sorted by their content', async () => {
  const n = await builds();
  const dt = await page.evaluateHandle((files) => {
    const t = new DataTransfer();
    for (const [name, text] of files) t.items.add(new File([text], name));
    return t;
  }, [['outcomes.txt', input.outcomes ?? 'journey_id,sco\n'], ['exp', input.experience], ['log.txt', input.events]]);
  await page.dispatchEvent('#dashboard', 'dragenter', { dataTransfer: dt });
  await page.dispatchEvent('#dashboard', 'drop', { dataTransfer: dt });
  await waitForBuild(n + 1);
  assert.match(await page.locator('#source-experience').textContent(), /\bexp\b/);
  assert.match(await page.locator('#source-events').textContent(), /log\.txt/);
  assert.match(await page.locator('#source-outcomes').textContent(), /outcomes\.txt/);
  await checkPage(await contract({ ...input, outcomes: input.outcomes ?? 'journey_id,sco\n' }));
});

test('no page errors, no console errors, no request leaves 127.0.0.1', () => {
  assert.deepEqual(problems, []);
});
