// Browser test of the HTML report (`mot … --format html`: the file a manager
// opens), in headless Chromium (Playwright, from mot-wasm's node_modules).
//
//   cargo build -p mot-cli && (cd mot-wasm && npm ci)
//   NO_PROXY=127.0.0.1,localhost node --test mot-cli/tests/browser/
//
// MOT_BIN overrides the binary (default target/debug/mot). Four reports:
// the demo sample; a discovery-mode log (no experience) with success flags;
// one without success flags; and a crowded experience (30 MOTs with close
// figures, long MOT and owner names). Each is opened at 1280 × 800 and at
// 760 px wide, and checked: no text overflows its box and the page does not
// scroll sideways (a table may scroll in its own frame when the window is
// narrow); every SVG element lies inside its figure; no two texts of a
// figure overlap; no map label touches a circle; no `-0.00`, `NaN` or
// `undefined`; owners by name; the content uses most of 1280 px. The map's
// layout is also computed by the web page's mot-wasm/www/layout.js from the
// same dashboard's JSON and must be the report's, point by point, label by
// label. Screenshots: target/screenshots/report-<case>-<width>.png (paths
// printed in the test log).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '../../..');
const { chromium } = createRequire(join(root, 'mot-wasm/package.json'))('playwright-core');
const { fixed, mapLayout } = await import(pathToFileURL(join(root, 'mot-wasm/www/layout.js')).href);
const BIN = process.env.MOT_BIN ?? join(root, 'target/debug/mot');
const SHOTS = join(root, 'target/screenshots');
process.env.NO_PROXY = '127.0.0.1,localhost';
process.env.no_proxy = process.env.NO_PROXY;

let browser;
let dir;
const cases = {}; // name -> { html, json }

const mot = (...args) => execFileSync(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

/** A deterministic generator (mulberry32). */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 30 MOTs with long names and close figures, four owners with long names. */
function crowded() {
  const people = [
    ['p-a', 'Maximiliana Alexandra Montgomery-Fitzwilliam'],
    ['p-b', 'Bartholomew Oluwaseun Nakamura-Johansson'],
    ['p-c', 'Anne-Sophie de la Tour d’Auvergne'],
    ['p-d', 'Jean'],
  ];
  const words = ['Confirm', 'Review', 'Reschedule', 'Notify', 'Verify', 'Collect', 'Approve'];
  const n = 30;
  const mots = Array.from({ length: n }, (_, k) => ({
    id: `step-${String(k + 1).padStart(2, '0')}`,
    name: `${k + 1}. ${words[k % words.length]} the customer’s request for a change of the itinerary and tell them`,
    type: ['PS', 'SP', 'PP', 'SS'][k % 4],
    smoto: { description: 'done right the first time', target_rate: 0.9 },
    manager: people[k % 4][0],
    position: k + 1,
    contribution: k % 10 === 9 ? 'none' : 'direct',
  }));
  const experience = {
    format: 'mot.experience/1',
    id: 'crowded',
    name: 'A very long experience name that goes on and on to test the header of the report',
    segment: 'customers who change their plans at the last minute',
    manager: 'p-a',
    sco: { one_liner: 'Travel as re-planned, without a second call', definition: 'the new itinerary is flown', target_rate: 0.8 },
    people: people.map(([id, name]) => ({ id, name, title: 'MOT Manager' })),
    mots,
  };
  const rnd = random(7);
  let events = 'journey_id,mot_id,timestamp,success\n';
  let outcomes = 'journey_id,sco\n';
  const t0 = 1795392000;
  for (let j = 0; j < 1500; j++) {
    let failures = 0;
    mots.forEach((m, k) => {
      // Rates between 88% and 92%: every MOT close to every other.
      const ok = rnd() < 0.88 + (k % 5) * 0.01;
      if (!ok) failures += 1;
      events += `j${j},${m.id},${t0 + (j % 14) * 86400 + j * 7 + k},${ok}\n`;
    });
    outcomes += `j${j},${failures <= 2 + (j % 3)}\n`;
  }
  return { experience, events, outcomes };
}

function write(name, text) {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mot-report-'));
  mkdirSync(SHOTS, { recursive: true });
  const both = (name, args) => {
    cases[name] = {
      html: write(`${name}.html`, mot(...args, '--format', 'html')),
      json: JSON.parse(mot(...args, '--format', 'json')),
    };
  };
  both('demo', ['demo', '--journeys', '20000']);
  const d = join(root, 'tests/dashboard/discovery-basic');
  both('discovery', ['dashboard', '--events', join(d, 'events.csv'), '--outcomes', join(d, 'outcomes.csv')]);
  // A process-mining log: no success flag, the SCO as a rule over the journey.
  let log = 'journey_id,mot_id,timestamp\n';
  for (let j = 0; j < 60; j++) {
    const steps = ['register', 'triage', j % 4 ? 'resolve' : 'escalate', 'close'];
    steps.forEach((m, k) => (log += `case-${j},${m},${1795392000 + j * 3600 + k * 600}\n`));
  }
  both('no-success', ['dashboard', '--events', write('process.csv', log), '--sco-reached', 'resolve']);
  const c = crowded();
  const x = write('crowded.json', JSON.stringify(c.experience));
  mot('validate', x);
  both('crowded', ['dashboard', '--experience', x, '--events', write('crowded-events.csv', c.events),
    '--outcomes', write('crowded-outcomes.csv', c.outcomes), '--period', 'week']);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
});

/** Everything wrong with the page on screen, as readable lines. */
function inspect() {
  const problems = [];
  const rootEl = document.querySelector('.motr');
  const narrow = innerWidth < 1000;
  const what = (e) => `<${e.localName}${e.id ? `#${e.id}` : ''}${typeof e.className === 'string' && e.className ? `.${e.className.trim().split(/\s+/).join('.')}` : ''}> "${(e.textContent ?? '').trim().slice(0, 50)}"`;
  if (document.documentElement.scrollWidth > innerWidth + 1) {
    problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} px in ${innerWidth}`);
  }
  // HTML: no element's content wider than its box (a table's frame may
  // scroll when the window is narrow: that is its job).
  for (const e of rootEl.querySelectorAll('*')) {
    if (e.closest('svg') || e.clientWidth === 0 || getComputedStyle(e).display === 'inline') continue;
    if (narrow && e.classList.contains('tw')) continue;
    if (e.scrollWidth > e.clientWidth + 1) problems.push(`overflows its box (${e.scrollWidth} > ${e.clientWidth}): ${what(e)}`);
  }
  // SVG: inside the figure; texts apart; map labels off the circles.
  const overlap = (a, b, t = 0.5) => a.left + t < b.right && b.left + t < a.right && a.top + t < b.bottom && b.top + t < a.bottom;
  for (const s of rootEl.querySelectorAll('svg')) {
    const box = s.getBoundingClientRect();
    for (const e of s.querySelectorAll('text, circle, rect, line, polyline, path')) {
      const r = e.getBoundingClientRect();
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) {
        problems.push(`outside its figure (${s.getAttribute('class')}): ${what(e)} at ${Math.round(r.left - box.left)},${Math.round(r.top - box.top)} to ${Math.round(r.right - box.left)},${Math.round(r.bottom - box.top)} in ${Math.round(box.width)}×${Math.round(box.height)}`);
      }
    }
    const texts = [...s.querySelectorAll('text')].filter((t) => t.textContent.trim()).map((t) => ({ t, r: t.getBoundingClientRect() }));
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        if (overlap(texts[i].r, texts[j].r)) problems.push(`texts overlap (${s.getAttribute('class')}): ${what(texts[i].t)} and ${what(texts[j].t)}`);
      }
    }
    for (const t of s.querySelectorAll('text.lbl')) {
      const r = t.getBoundingClientRect();
      for (const c of s.querySelectorAll('circle')) {
        const b = c.getBoundingClientRect();
        const [cx, cy, rad] = [(b.left + b.right) / 2, (b.top + b.bottom) / 2, b.width / 2];
        const dx = Math.max(r.left - cx, 0, cx - r.right);
        const dy = Math.max(r.top - cy, 0, cy - r.bottom);
        if (Math.hypot(dx, dy) < rad - 0.5) problems.push(`label ${what(t)} on the circle of ${c.dataset.mot}`);
      }
    }
  }
  const text = document.body.innerText;
  for (const [re, name] of [[/(^|[^\w])[-−]0(\.0+)?(?![\d.])/, 'a negative zero'], [/\bNaN\b|\bundefined\b|\bInfinity\b/, 'a broken number']]) {
    const m = re.exec(text);
    if (m) problems.push(`${name}: "${text.slice(Math.max(0, m.index - 30), m.index + 20)}"`);
  }
  return { problems, width: document.querySelector('main').getBoundingClientRect().width };
}

async function open(name, width) {
  const page = await browser.newPage({ viewport: { width, height: 800 } });
  const requests = [];
  page.on('request', (r) => !r.url().startsWith('file:') && requests.push(r.url()));
  await page.goto(pathToFileURL(cases[name].html).href);
  const shot = join(SHOTS, `report-${name}-${width}.png`);
  await page.screenshot({ path: shot, fullPage: true });
  console.log(`screenshot: ${shot}`);
  const seen = await page.evaluate(inspect);
  assert.deepEqual(requests, [], 'the report asks the network for nothing');
  return { page, ...seen };
}

for (const name of ['demo', 'discovery', 'no-success', 'crowded']) {
  for (const width of [1280, 760]) {
    test(`${name} at ${width} px: nothing overflows, clips or overlaps`, async () => {
      const { page, problems, width: used } = await open(name, width);
      try {
        assert.deepEqual(problems, []);
        if (width === 1280) assert.ok(used >= 1150, `the content is ${used} px wide in 1280`);
        const html = readFileSync(cases[name].html, 'utf8');
        assert.ok(!/<script|https?:\/\//i.test(html), 'no script, no address');
      } finally {
        await page.close();
      }
    });
  }
}

test('the design and time sections show the contract\'s figures', async () => {
  const { json } = cases.demo;
  const c = json.conformance;
  assert.ok(c, 'the demo has a designed journey');
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    await page.goto(pathToFileURL(cases.demo.html).href);
    const seen = await page.evaluate(() => {
      const gap = document.querySelector('#gap');
      const rows = [...gap.querySelectorAll('table.gap tbody tr')].map((r) => r.querySelector('td.num').textContent);
      const steps = [...gap.querySelectorAll('g.step')].map((g) => ({
        share: g.querySelector('text.share').textContent,
        title: g.querySelector('title').textContent,
      }));
      const time = document.querySelector('#time');
      return {
        headline: gap.querySelector('p.gap').textContent,
        rows,
        steps,
        times: [...time.querySelectorAll('table.times tbody tr')].map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)),
      };
    });
    const pct = (x) => `${(x * 100).toFixed(1)}%`;
    const count = (n) => n.toLocaleString('en-US');
    // The headline: conformance rate, journeys, steps, interval, SCO by group.
    for (const part of [
      `${pct(c.rate)} of ${count(c.journeys)} journeys follow the ${c.designed_steps}-step design exactly`,
      `(95% CI ${pct(c.ci_low)}–${pct(c.ci_high)})`,
      `mean fitness ${c.mean_fitness.toFixed(3)}`,
      `SCO rate ${pct(c.sco_when_conforming)} when conforming, ${pct(c.sco_when_deviating)} when deviating`,
    ]) {
      assert.ok(seen.headline.includes(part), `"${part}" in "${seen.headline}"`);
    }
    // The deviations' totals, in the contract's order.
    const dv = c.deviations;
    assert.deepEqual(seen.rows, [dv.missing, dv.extra, dv.undesigned, dv.out_of_order].map(count));
    // Each designed step: the share of journeys that skipped its MOT.
    assert.equal(seen.steps.length, c.designed.length);
    c.designed.forEach((id, k) => {
      const m = json.mots.find((x) => x.id === id);
      assert.equal(seen.steps[k].share, `skipped · ${pct(m.gap.missing / c.journeys)}`, id);
      assert.ok(seen.steps[k].title.includes(`skipped ${count(m.gap.missing)} times in ${count(c.journeys)} journeys`), seen.steps[k].title);
    });
    // The edges' durations: count per row, in the contract's order.
    const timed = json.directly_follows.edges.filter((e) => e.duration).slice(0, 10);
    assert.equal(seen.times.length, timed.length);
    timed.forEach((e, k) => assert.equal(seen.times[k][2], count(e.duration.count)));
  } finally {
    await page.close();
  }
});

test('owners by name, intervals on one line', async () => {
  for (const name of ['demo', 'crowded']) {
    const d = cases[name].json;
    const { page } = await open(name, 1280);
    try {
      const rows = await page.$$eval('table.mots tbody tr', (trs) => trs.map((tr) => {
        const cells = [...tr.children];
        const ci = cells[6];
        return { owner: cells[2].textContent, ci: ci.textContent, removal: cells[9].textContent };
      }));
      const names = Object.fromEntries(d.ownership.owners.map((o) => [o.person, o.name]));
      assert.equal(rows.length, d.mots.length);
      d.mots.forEach((m, i) => {
        assert.equal(rows[i].owner, m.owner == null ? 'none' : names[m.owner], `owner of ${m.id}`);
        if (m.ci_low != null) assert.match(rows[i].ci, /^\d+\.\d%–\d+\.\d%$/);
        // The removal effect, then its 95% interval.
        const f = (v) => fixed(v, 3);
        const want = m.removal_effect == null ? '–' : f(m.removal_effect) + (m.removal_effect_ci_low != null ? `${f(m.removal_effect_ci_low)}–${f(m.removal_effect_ci_high)}` : '');
        assert.equal(rows[i].removal, want, `removal effect of ${m.id}`);
      });
      // Every interval on one line: its text is one line high.
      const lines = await page.$$eval('table.mots tbody td:nth-child(7)', (tds) => tds.map((td) => {
        const range = document.createRange();
        range.selectNodeContents(td);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      }));
      assert.ok(lines.every((n) => n === 1), `intervals on ${lines.join(', ')} lines`);
    } finally {
      await page.close();
    }
  }
});

test('the web page lays the map out exactly as the report does', async () => {
  for (const name of ['demo', 'discovery', 'crowded']) {
    const d = cases[name].json;
    const l = mapLayout(d.mots);
    const { page } = await open(name, 1280);
    try {
      const shown = await page.evaluate(() => {
        const s = document.querySelector('svg.map');
        const num = (e, a) => Number(e.getAttribute(a));
        return {
          circles: [...s.querySelectorAll('circle')].map((c) => ({ mot: c.dataset.mot, cx: num(c, 'cx'), cy: num(c, 'cy'), r: num(c, 'r') })),
          labels: Object.fromEntries([...s.querySelectorAll('text.lbl')].map((t) => [t.dataset.mot, { text: t.textContent, x: num(t, 'x'), y: num(t, 'y'), anchor: t.getAttribute('text-anchor') }])),
          ticks: [...s.querySelectorAll('text.tick')].map((t) => t.textContent),
          leaders: s.querySelectorAll('line.leader').length,
          note: document.querySelector('#map figcaption').textContent,
        };
      });
      const close = (a, b, what) => assert.ok(Math.abs(a - b) <= 0.006, `${name}: ${what}: report ${a}, page ${b}`);
      assert.equal(shown.circles.length, l.points.length, `${name}: circles`);
      l.points.forEach((p, k) => {
        const c = shown.circles[k];
        const m = d.mots[p.index];
        assert.equal(c.mot, m.id);
        close(c.cx, p.cx, `${m.id} cx`);
        close(c.cy, p.cy, `${m.id} cy`);
        close(c.r, p.r, `${m.id} r`);
        const label = shown.labels[m.id];
        if (p.label == null) {
          assert.equal(label, undefined, `${name}: ${m.id} is unlabelled on the page, labelled in the report`);
          assert.ok(shown.note.includes(m.name ?? m.id), `${name}: the caption names unlabelled ${m.id}`);
        } else {
          assert.ok(label, `${name}: ${m.id} is labelled on the page, not in the report`);
          assert.equal(label.text, p.label.text);
          assert.equal(label.anchor, p.label.anchor);
          close(label.x, p.label.x, `${m.id} label x`);
          close(label.y, p.label.y, `${m.id} label y`);
        }
      });
      assert.equal(shown.leaders, l.points.filter((p) => p.label?.leader).length);
      assert.deepEqual(shown.ticks, [...l.yTicks, ...l.xTicks].map((t) => t.text), `${name}: ticks`);
      if (name === 'crowded') assert.ok(l.points.filter((p) => p.label).length >= 10, 'most crowded MOTs still labelled');
    } finally {
      await page.close();
    }
  }
});

test('the before/after page (mot compare --format html): nothing overflows, clips or overlaps', async () => {
  const inputs = join(dir, 'demo-inputs');
  mot('demo', '--journeys', '5000', '--write-inputs', inputs);
  const args = ['compare', '--events', join(inputs, 'events.csv'), '--outcomes', join(inputs, 'outcomes.csv'),
    '--experience', join(inputs, 'experience.json'), '--before', '2026-08-01..2026-09-01', '--after', '2026-09-01..2026-10-01'];
  const html = write('compare.html', mot(...args, '--format', 'html'));
  const c = JSON.parse(mot(...args, '--format', 'json'));
  for (const width of [1280, 760]) {
    const page = await browser.newPage({ viewport: { width, height: 800 } });
    try {
      await page.goto(pathToFileURL(html).href);
      const shot = join(SHOTS, `compare-${width}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      console.log(`screenshot: ${shot}`);
      const problems = await page.evaluate(() => {
        const out = [];
        if (document.documentElement.scrollWidth > innerWidth + 1) out.push(`scrolls sideways: ${document.documentElement.scrollWidth}`);
        const overlap = (a, b) => a.left + 0.5 < b.right && b.left + 0.5 < a.right && a.top + 0.5 < b.bottom && b.top + 0.5 < a.bottom;
        for (const s of document.querySelectorAll('svg')) {
          const box = s.getBoundingClientRect();
          const items = [...s.querySelectorAll('text, rect, circle, line')];
          for (const e of items) {
            const r = e.getBoundingClientRect();
            if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) out.push(`outside the chart: ${e.outerHTML.slice(0, 60)}`);
          }
          const texts = [...s.querySelectorAll('text')].map((t) => [t.textContent, t.getBoundingClientRect()]);
          for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
            if (overlap(texts[i][1], texts[j][1])) out.push(`texts overlap: "${texts[i][0]}" and "${texts[j][0]}"`);
          }
        }
        for (const td of document.querySelectorAll('td')) if (td.getClientRects().length > 1 || td.scrollWidth > td.clientWidth + 1) out.push(`cell overflows: ${td.textContent}`);
        const text = document.body.innerText;
        if (/(^|[^\w])[-−]0(\.0+)?(?![\d.])/.test(text)) out.push('a negative zero');
        return out;
      });
      assert.deepEqual(problems, []);
      // One row per figure, every one with its change drawn.
      const rows = 1 + (c.conformance ? 1 : 0) + c.mots.length;
      assert.equal(await page.locator('svg.forest circle').count(), rows);
    } finally {
      await page.close();
    }
  }
});
