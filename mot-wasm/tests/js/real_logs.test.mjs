// The real public logs in tests/real-logs/ through JavaScript: XES text and
// the CSV exports a real user makes give exactly pm4py's counts (computed
// once by tests/real-logs/compute_expected.py), as they do through Rust, the
// CLI and Python.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { dashboard, dashboardFromCsv, dashboardFromXes, rejectedSummary } from 'mot-wasm';
import { ROOT } from './helpers.mjs';

const LOGS = join(ROOT, 'tests', 'real-logs');
const TOP = 100000;
const expected = (log) => JSON.parse(readFileSync(join(LOGS, `${log}.expected.json`), 'utf8'));
const xesText = (log) => gunzipSync(readFileSync(join(LOGS, `${log}.xes.gz`))).toString('utf8');

function check(d, want, what) {
  assert.equal(rejectedSummary(d.rejected), undefined, what);
  assert.equal(d.amount.journeys, want.cases, what);
  assert.equal(d.amount.interactions, want.events, what);
  const edges = Object.fromEntries(d.directly_follows.edges.map((e) => [`${e.from} -> ${e.to}`, e.count]));
  const wantEdges = Object.fromEntries(want.directly_follows.map((e) => [`${e.from} -> ${e.to}`, e.count]));
  assert.deepEqual(edges, wantEdges, `${what}: directly-follows`);
  assert.deepEqual(Object.fromEntries(d.directly_follows.start.map((e) => [e.mot, e.count])), want.start, `${what}: start`);
  assert.deepEqual(Object.fromEntries(d.directly_follows.end.map((e) => [e.mot, e.count])), want.end, `${what}: end`);
  const variants = Object.fromEntries(d.variants.top.map((v) => [JSON.stringify(v.mots), v.count]));
  const wantVariants = Object.fromEntries(want.variants.map((v) => [JSON.stringify(v.sequence), v.count]));
  assert.deepEqual(variants, wantVariants, `${what}: variants`);
  assert.equal(d.variants.distinct, want.variants.length, what);
  assert.deepEqual(Object.fromEntries(d.mots.map((m) => [m.id, m.interactions])), want.activities, what);
  // No success flag in a real log: no success figure is made up.
  for (const m of d.mots) {
    assert.deepEqual([m.successes, m.smoto_rate, m.alignment], [null, null, 'unmeasured'], `${what}: ${m.id}`);
  }
}

for (const log of ['helpdesk', 'running-example']) {
  test(`${log}: XES text gives pm4py's counts`, () => {
    check(dashboardFromXes(xesText(log), undefined, { topVariants: TOP }), expected(log), `${log}.xes`);
  });

  test(`${log}: the CSV export gives pm4py's counts`, () => {
    // helpdesk.csv: `;`, a byte-order mark, CRLF, +02:00 offsets with
    // milliseconds, shuffled rows; running-example.csv: case-then-activity order.
    const csv = readFileSync(join(LOGS, `${log}.csv`), 'utf8');
    check(dashboardFromCsv(csv, undefined, { preset: 'pm4py', topVariants: TOP }), expected(log), `${log}.csv`);
  });
}

test('running example: the SCO as a rule over the log', () => {
  const d = dashboardFromXes(xesText('running-example'), undefined, { scoReached: ['pay compensation'] });
  assert.deepEqual([d.sco.journeys, d.sco.successes], [6, 3]);
});

test('XES: bad XML and gzip are typed errors with a position', () => {
  assert.throws(() => dashboardFromXes('<log><trace></event></log>'), (e) => e.name === 'MotError' && e.kind === 'format' && /byte/.test(e.message));
  assert.throws(() => dashboardFromXes('\x1f\x8b\x08garbage'), (e) => e.kind === 'format');
});

test('rows without a success field, text timestamps with a format, the rejected-row summary', () => {
  const rows = [
    { journey_id: 'j1', mot_id: 'a', timestamp: '11/10/2011 11:45' },
    { journey_id: 'j1', mot_id: 'b', timestamp: '11/10/2011 11:50' },
    { journey_id: 'j2', mot_id: 'a', timestamp: 'yesterday' },
  ];
  const plain = dashboard(rows);
  assert.equal(plain.amount.interactions, 0);
  assert.equal(rejectedSummary(plain.rejected), '3 rows rejected: 3 `invalid-timestamp`');
  const d = dashboard(rows, undefined, undefined, { timeFormat: '%m/%d/%Y %H:%M' });
  assert.equal(d.amount.interactions, 2);
  assert.equal(rejectedSummary(d.rejected), '1 row rejected: 1 `invalid-timestamp`');
  assert.deepEqual(d.variants.top[0].mots, ['a', 'b']);
  assert.equal(d.mots[0].smoto_rate, null);
  // The same through CSV text with `;` (detected) and through an explicit tab.
  const csv = 'journey_id;mot_id;timestamp\nj1;a;11/10/2011 11:45\nj1;b;11/10/2011 11:50\n';
  assert.equal(dashboardFromCsv(csv, undefined, { timeFormat: '%m/%d/%Y %H:%M' }).amount.interactions, 2);
  const tsv = csv.replaceAll(';', '\t');
  assert.equal(dashboardFromCsv(tsv, undefined, { timeFormat: '%m/%d/%Y %H:%M', delimiter: 'tab' }).amount.interactions, 2);
  assert.throws(() => dashboard(rows, undefined, undefined, { timeFormat: '%Q' }), (e) => e.kind === 'config' && /`%Q`/.test(e.message));
});

test('helpdesk: a happy path as `designed` gives pm4py\'s alignment fitness and durations', () => {
  const aligned = JSON.parse(readFileSync(join(LOGS, 'helpdesk.alignments.json'), 'utf8'));
  const times = JSON.parse(readFileSync(join(LOGS, 'helpdesk.durations.json'), 'utf8'));
  const d = dashboardFromXes(xesText('helpdesk'), undefined, { topVariants: TOP, designed: aligned.designed });
  assert.deepEqual(d.variants.top.map((v) => [v.mots, v.cost]), aligned.variants.map((v) => [v.sequence, v.deviations]));
  d.variants.top.forEach((v, k) => assert.ok(Math.abs(v.fitness - aligned.variants[k].fitness) <= 1e-12));
  const edges = Object.fromEntries(d.directly_follows.edges.map((e) => [`${e.from} -> ${e.to}`, e.duration]));
  for (const w of [...times.edges, { ...times.journey, from: null }]) {
    const g = w.from == null ? d.journey_duration : edges[`${w.from} -> ${w.to}`];
    assert.equal(g.count, w.count);
    assert.ok(Math.abs(g.mean_s - w.mean_s) <= 1e-9 * w.mean_s);
    for (const q of ['p50', 'p90', 'p99']) assert.ok(Math.abs(g[`${q}_s`] - w[`exact_${q}_s`]) <= 0.01 * w[`exact_${q}_s`], q);
  }
});

test('a design naming an MOT the experience lacks is a config error', async () => {
  const { Tracker, Experience } = await import('mot-wasm');
  const x = Experience.fromJson(readFileSync(join(ROOT, 'mot-core', 'data', 'airline.json'), 'utf8'));
  assert.throws(() => new Tracker(x, { designed: ['check-in', 'teleport'] }), (e) => e.kind === 'config' && /teleport/.test(e.message));
});

test('`durations: false`: durations are null, every other figure as with them; merges only with its kind', async () => {
  const { Tracker } = await import('mot-wasm');
  const on = dashboardFromXes(xesText('helpdesk'));
  const off = dashboardFromXes(xesText('helpdesk'), undefined, { durations: false });
  assert.notEqual(on.journey_duration, null);
  assert.ok(on.directly_follows.edges.every((e) => e.duration !== null));
  on.journey_duration = null;
  for (const e of on.directly_follows.edges) e.duration = null;
  assert.deepEqual(off, on);
  const lean = new Tracker(undefined, { durations: false });
  lean.record('c1', 'a', 0);
  lean.record('c1', 'b', 60);
  lean.closeJourney('c1', true);
  const d = Tracker.fromBytes(lean.toBytes()).dashboard();
  assert.deepEqual(d.directly_follows.edges.map((e) => [e.from, e.to, e.duration]), [['a', 'b', null]]);
  assert.equal(d.journey_duration, null);
  assert.throws(() => new Tracker().merge(lean), (e) => e.kind === 'merge' && /durations measured `true` vs `false`/.test(e.message));
});
