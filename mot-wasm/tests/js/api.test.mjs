// The JavaScript API: rows and columns agree, the tracker streams, merges and
// travels as bytes, errors are real Errors, and the module keeps working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Experience, Tracker, dashboard, dashboardFormat, dashboardFromCsv, sampleExperience, sampleLog } from 'mot-wasm';
import { csvRows, mismatch, withoutDetectors } from './helpers.mjs';

const x = Experience.fromJson(sampleExperience());
const log = sampleLog(800, 3);
const rows = csvRows(log.events);
const outcomeRows = csvRows(log.outcomes);

/** The same log as columns: typed arrays where JS has them. */
function columns(rs) {
  return {
    journey_id: new Float64Array(rs.map((r) => Number(r.journey_id))),
    mot_id: rs.map((r) => r.mot_id),
    timestamp: new BigInt64Array(rs.map((r) => BigInt(r.timestamp))),
    success: new Uint8Array(rs.map((r) => (r.success === 'true' ? 1 : 0))),
    cost: new Float64Array(rs.map((r) => (r.cost === null ? NaN : Number(r.cost)))),
  };
}

test('sample, CSV, rows and columns give one dashboard', () => {
  const fromCsv = dashboardFromCsv(log.events, log.outcomes, { experience: sampleExperience() });
  assert.equal(fromCsv.format, dashboardFormat());
  assert.equal(fromCsv.sco.journeys, 800);
  // The incident at the end of the sample is caught by a detector (an alert
  // needs evidence in the latest day, which 800 journeys may not give).
  assert.ok(fromCsv.mots.some((m) => m.cusum?.alarms > 0), 'the sample incident alarms a detector');
  const fromRows = dashboard(rows, outcomeRows, x);
  assert.equal(mismatch(fromCsv, fromRows), null);
  // The experience may also be given as an Experience; the options object
  // is left as it was.
  const options = { experience: x, period: 'day' };
  assert.equal(mismatch(dashboardFromCsv(log.events, log.outcomes, options), fromRows), null);
  assert.deepEqual(Object.keys(options), ['experience', 'period']);
  const outcomes = {
    journey_id: new Float64Array(outcomeRows.map((r) => Number(r.journey_id))),
    sco: outcomeRows.map((r) => r.sco === 'true'),
    value: outcomeRows.map((r) => (r.value === null ? null : Number(r.value))),
  };
  // Producers are a column of the rows; leave them out on both sides.
  const noProducer = dashboard(rows.map(({ producer, ...r }) => r), outcomeRows, x);
  const fromColumns = dashboard(columns(rows), outcomes, x);
  assert.equal(mismatch(noProducer, fromColumns), null);
  // MOT ids as a dictionary (codes into values): the fast form for big logs.
  const values = [...new Set(rows.map((r) => r.mot_id))];
  const dict = { codes: new Uint32Array(rows.map((r) => values.indexOf(r.mot_id))), values };
  assert.equal(mismatch(noProducer, dashboard({ ...columns(rows), mot_id: dict }, outcomes, x)), null);
});

test('Float64Array ids and timestamps, read in chunks, agree with integer columns', () => {
  // Over 16,384 rows: the reader's chunk size, so a bad value can sit in a
  // later chunk.
  const big = csvRows(sampleLog(3000, 5).events);
  assert.ok(big.length > 2 * 16384);
  const cols = () => ({
    journey_id: new Float64Array(big.map((r) => Number(r.journey_id))),
    mot_id: big.map((r) => r.mot_id),
    timestamp: new Float64Array(big.map((r) => Number(r.timestamp))),
    success: new Uint8Array(big.map((r) => (r.success === 'true' ? 1 : 0))),
  });
  const exact = dashboard({ ...cols(), timestamp: new BigInt64Array(big.map((r) => BigInt(r.timestamp))) }, undefined, x);
  assert.equal(mismatch(exact, dashboard(cols(), undefined, x)), null);
  // In a Float64Array of timestamps a fraction or an infinity is an invalid
  // timestamp and NaN a missing one (the core's rules, as in Python),
  // counted wherever it sits.
  const holes = cols();
  holes.timestamp[100] = 1.5;
  holes.timestamp[20000] = NaN;
  holes.timestamp[big.length - 1] = Infinity;
  const d = dashboard(holes, undefined, x);
  const nonzero = Object.fromEntries(Object.entries(d.rejected).filter(([, n]) => n > 0));
  assert.deepEqual(nonzero, { 'invalid-timestamp': 2, 'missing-timestamp': 1 });
  assert.equal(d.amount.interactions, big.length - 3);
  // Ids must be integers: a fraction in a later chunk is a columns error.
  for (const bad of [2.5, NaN, 2 ** 53]) {
    const c = cols();
    c.journey_id[20000] = bad;
    assert.throws(() => dashboard(c, undefined, x), (e) => e.kind === 'columns' && /`journey_id` holds numbers that are not integers/.test(e.message));
  }
});

test('column names map, presets apply', () => {
  const renamed = rows.map((r) => ({ case: r.journey_id, step: r.mot_id, at: r.timestamp, ok: r.success }));
  const d = dashboard(renamed, undefined, x, { columns: { journey: 'case', mot: 'step', timestamp: 'at', success: 'ok' } });
  assert.equal(d.amount.interactions, rows.length);
  const pm = rows.map((r) => ({ 'case:concept:name': r.journey_id, 'concept:name': r.mot_id, 'time:timestamp': r.timestamp, success: r.success }));
  assert.equal(dashboard(pm, undefined, x, { preset: 'pm4py' }).amount.interactions, rows.length);
  assert.throws(() => dashboard(renamed, undefined, x), (e) => e.kind === 'columns' && /journey_id/.test(e.message));
});

test('bad rows are counted by reason, or fail naming the row', () => {
  const bad = [
    { journey_id: 'a', mot_id: 'check-in', timestamp: 1795392000, success: true },
    { journey_id: 'a', mot_id: 'teleport', timestamp: 1795392001, success: true },
    { journey_id: null, mot_id: 'check-in', timestamp: 1795392002, success: true },
    { journey_id: 'b', mot_id: 'check-in', timestamp: 'yesterday', success: true },
    { journey_id: 'b', mot_id: 'bag-drop', timestamp: new Date(1795392000000), success: 1, cost: -2 },
  ];
  const d = dashboard(bad, undefined, x);
  const nonzero = Object.fromEntries(Object.entries(d.rejected).filter(([, n]) => n > 0));
  assert.deepEqual(nonzero, { 'missing-journey': 1, 'unknown-mot': 1, 'invalid-timestamp': 1, 'negative-cost': 1 });
  assert.equal(d.amount.interactions, 1);
  assert.throws(
    () => dashboard(bad, undefined, x, { badRows: 'fail' }),
    (e) => e instanceof Error && e.name === 'MotError' && e.kind === 'bad-row' && e.reason === 'invalid-timestamp' && /`events` row 3/.test(e.message),
  );
});

test('a row of a closed journey is after-close however it arrives, whatever its values', () => {
  const late = [
    { journey_id: 'j', mot_id: 'b', timestamp: 1e15 }, // out of range
    { journey_id: 'j', mot_id: 'b', timestamp: 1.5 }, // a fraction
    { journey_id: null, mot_id: 'b', timestamp: 1.5 }, // no journey id
  ];
  const closed = () => {
    const t = new Tracker(null, {});
    t.record('j', 'a', 1, null);
    t.closeJourney('j', true);
    return t;
  };
  const counts = (t) => Object.fromEntries(Object.entries(t.rejected).filter(([, n]) => n > 0));
  const want = { 'after-close': 2, 'missing-journey': 1 };
  const rowsIn = closed();
  rowsIn.ingest(late);
  assert.deepEqual(counts(rowsIn), want, 'rows');
  const columnsIn = closed();
  columnsIn.ingest({ journey_id: late.map((r) => r.journey_id), mot_id: late.map((r) => r.mot_id), timestamp: late.map((r) => r.timestamp) });
  assert.deepEqual(counts(columnsIn), want, 'columns');
  const recorded = closed();
  for (const r of late) recorded.record(r.journey_id ?? '', r.mot_id, r.timestamp, null);
  assert.deepEqual(counts(recorded), want, 'record');
});

test('options are read as the mot command reads its flags, with its messages', () => {
  for (const [options, message] of [
    [{ timeUnit: 'min' }, '`min` is not a time unit: use `s`, `ms`, `us` or `ns`'],
    [{ badRows: 'skip' }, '`skip` is not a bad-row policy: use `reject` or `fail`'],
    [{ topVariants: -1 }, 'invalid value: integer `-1`, expected usize'],
  ]) {
    assert.throws(() => dashboard(rows, undefined, x, options), (e) => e.kind === 'config' && e.message === message);
  }
});

test('errors are Errors with a kind, and the module keeps working', () => {
  const cases = [
    [() => Experience.fromJson('{"format": "mot.experience/1", "id": '), 'json'],
    [() => Experience.fromJson('{"format": "mot.experience/9"}'), 'format'],
    [() => dashboard(rows, undefined, x, { period: 'fortnight' }), 'config'],
    [() => dashboard(rows, undefined, x, { colour: 'blue' }), 'config'],
    [() => dashboard(42), 'columns'],
    [() => dashboard({ journey_id: [1], mot_id: ['a'], timestamp: { at: 'noon' }, success: [true] }), 'columns'],
    [() => dashboard([{ journey_id: {}, mot_id: 'a', timestamp: 1, success: true }]), 'columns'],
    [() => Tracker.fromBytes(new Uint8Array([1, 2, 3])), 'state'],
    [() => dashboardFromCsv('when,what\n1,2\n'), 'columns'],
    [() => dashboardFromCsv(log.events, undefined, { experience: '[]' }), 'json'],
    [() => dashboardFromCsv(log.events, undefined, { experience: x, colour: 'blue' }), 'config'],
    [() => dashboardFromCsv(log.events, undefined, { experience: 7 }), 'config'],
    [() => dashboardFromCsv(log.events, undefined, 'week'), 'config'],
    [() => x.trace('no-such-work'), 'not-found'],
    [() => dashboard(rows, undefined, undefined, { limits: { max_mots: 2 } }), 'limit'],
    [() => Experience.fromJson('['.repeat(500) + ']'.repeat(500)), 'limit'],
    [() => dashboard(rows, undefined, x, { limits: { max_motz: 2 } }), 'config'],
  ];
  for (const [f, kind] of cases) {
    assert.throws(f, (e) => {
      assert.ok(e instanceof Error, String(e));
      assert.equal(e.name, 'MotError');
      assert.equal(e.kind, kind, e.message);
      assert.ok(e.message.length > 10);
      return true;
    });
    // Still working after every error.
    assert.equal(dashboard(rows.slice(0, 50), undefined, x).format, 'mot.dashboard/1');
  }
});

test('tracker: stream, close, merge, bytes', () => {
  const whole = dashboard(rows, outcomeRows, x);
  const byJourney = (r, k) => Number(r.journey_id) % 2 === k;
  const part = (k) => {
    const t = new Tracker(x);
    const s = t.ingest(rows.filter((r) => byJourney(r, k)), outcomeRows.filter((r) => byJourney(r, k)));
    assert.equal(s.rejected, 0);
    return t;
  };
  const a = part(0);
  const b = Tracker.fromBytes(part(1).toBytes(), x);
  assert.ok(b.toBytes() instanceof Uint8Array);
  a.merge(b);
  assert.equal(a.journeys, 800);
  // All but the detectors, which a merged state recomputes per period.
  assert.equal(mismatch(withoutDetectors(whole), withoutDetectors(a.dashboard())), null);

  const t = new Tracker(x, { timeout: 3600 });
  t.record('j1', 'search-book', 1795392000, true, 2.5);
  t.record('j1', 'check-in', 1795395600, false);
  assert.equal(t.openJourneys, 1);
  t.closeJourney('j1', true, 120);
  t.record(7, 'search-book', 1795392000, true);
  assert.equal(t.expire(1795392000 + 7200), 1);
  assert.equal(t.interactions, 3);
  const sco = t.dashboard().sco;
  assert.deepEqual([sco.journeys, sco.successes, sco.abandoned], [2, 1, 1]); // abandoned: known, no SCO
  assert.throws(() => a.merge(new Tracker()), (e) => e.kind === 'merge');
});

test('experience queries', () => {
  assert.equal(x.name, 'Air travel');
  assert.equal(x.motIds().length, 18);
  assert.deepEqual(x.rolesOf('p-em'), ['experience-manager']);
  assert.deepEqual(x.unexplainedWork(), ['pol-fax-confirmation']);
  assert.ok(x.costRollup().total > 0);
  assert.equal(x.failureImpact('sys-dcs').sco_at_risk, true);
  assert.ok(x.mermaid().startsWith('flowchart LR'));
  assert.equal(Experience.fromJson(x.toJson(true)).toJson(), x.toJson());
});

test('alarms fire as interactions arrive and drain once', () => {
  const t = new Tracker(sampleExperience(), { cusum: { odds_ratio: 2, arl0: 10000 } });
  for (let i = 0; i < 40; i += 1) t.record(`j${i}`, 'bag-drop', 1795424400 + 60 * i, i % 4 === 0);
  const alarms = t.drainAlarms();
  assert.ok(alarms.length > 0 && alarms[0].mot === 'bag-drop' && alarms[0].statistic >= alarms[0].h);
  assert.deepEqual(t.drainAlarms(), []);
  const d = t.dashboard();
  const bag = d.mots.find((m) => m.id === 'bag-drop');
  assert.equal(bag.cusum.alarms, alarms.length);
  assert.equal(bag.cusum.last_alarm_at, alarms.at(-1).timestamp);
  assert.ok(d.alerts.some((a) => a.kind === 'cusum' && a.evidence === 'cusum'));
});

test('journeys at risk: lowest chance first, with the owner to call', () => {
  const t = new Tracker(sampleExperience());
  t.ingest(rows, outcomeRows);
  t.record('ok', 'search-book', 1795392000, true);
  t.record('ok', 'payment-auth', 1795392060, true);
  t.record('late', 'search-book', 1795392000, true);
  t.record('late', 'payment-auth', 1795392060, false);
  const risky = t.atRisk(1.01, 10);
  // Both are listed, lowest chance first; each names its last MOT and owner.
  assert.deepEqual(risky.map((r) => r.journey).sort(), ['late', 'ok']);
  assert.ok(risky[0].probability <= risky[1].probability);
  assert.ok(risky.every((r) => r.mot === 'payment-auth' && r.owner != null && r.failed === (r.journey === 'late')));
  const d = t.dashboard({ atRiskThreshold: 1.01, atRiskTop: 1 }).at_risk;
  assert.deepEqual([d.open_journeys, d.below, d.top.length], [2, 2, 1]);
  assert.deepEqual(t.atRisk(0), []);
});

test('compare: windows from strings, Dates and seconds; errors are config errors', async () => {
  const { fittingPeriod } = await import('mot-wasm');
  const x = Experience.fromJson(sampleExperience());
  const t = new Tracker(x);
  const { events, outcomes } = sampleLog(3000, 1);
  t.ingest(csvRows(events), csvRows(outcomes));
  const want = t.compare('2026-08-01..2026-09-01', '2026-09-01..2026-10-01');
  assert.equal(want.format, 'mot.comparison/1');
  const dates = t.compare([new Date('2026-08-01T00:00:00Z'), '2026-09-01'], [1788220800, 1790812800]);
  assert.deepEqual(dates, want);
  const { sco } = want;
  assert.ok(sco.ci_low <= sco.difference && sco.difference <= sco.ci_high);
  assert.ok(sco.always_valid_low < sco.ci_low);
  assert.equal(fittingPeriod(['2026-08-01T06:00:00Z..2026-08-02']), '21600s');
  for (const [f, msg] of [
    [() => t.compare('2026-08-01..2026-09-10', '2026-09-01..2026-10-01'), /windows overlap/],
    [() => t.compare('2026-08-01T06:00:00Z..2026-09-01', '2026-09-01..2026-10-01'), /cuts a `day` period/],
    [() => t.compare([1.5, 2], '2026-09-01..2026-10-01'), /whole seconds/],
    [() => t.compare('2026-08-01..2026-09-01', '2026-09-01..2026-10-01', { alpha: 2 }), /`alpha`/],
  ]) {
    assert.throws(f, (e) => e.kind === 'config' && msg.test(e.message));
  }
  const ideas = t.ideas({ window_days: 14 });
  assert.equal(ideas.format, 'mot.ideas/1');
  assert.ok(ideas.cycle_time.ideas >= 1);
  assert.throws(() => new Tracker().ideas(), (e) => e.kind === 'config');
});

test('timeline: versions in the order they took effect', async () => {
  const { timeline } = await import('mot-wasm');
  const x = Experience.fromJson(sampleExperience());
  const next = JSON.parse(sampleExperience());
  next.version = '2026.2';
  next.effective_from = '2026-09-15';
  const t = timeline([JSON.stringify(next), x]);
  assert.deepEqual(t.map((v) => v.version), ['2026.1', '2026.2']);
  assert.equal(t[0].effective_from, '2026-08-01');
  assert.ok(t[0].unexplained_share > 0 && t[0].unexplained_share < 1);
  assert.throws(() => timeline([null]), (e) => e.kind === 'config');
});
