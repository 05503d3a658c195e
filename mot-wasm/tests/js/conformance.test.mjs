// The shared conformance fixtures (tests/ at the repository root) give the
// same JSON through JavaScript as through Rust and Python.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Experience, Tracker, dashboard, dashboardFromCsv, fittingPeriod } from 'mot-wasm';
import { cases, csvRows, mismatch, read } from './helpers.mjs';

for (const dir of cases('dashboard')) {
  const name = dir.split('/').pop();
  const config = JSON.parse(read(dir, 'config.json'));
  const options = {
    period: config.period,
    topVariants: config.options.top_variants,
    alignment: config.options.alignment,
    alertMinInteractions: config.options.alert_min_interactions,
    ...(config.designed ? { designed: config.designed } : {}),
  };
  const want = JSON.parse(read(dir, 'expected.json'));

  test(`dashboard fixture ${name} from CSV text`, () => {
    const got = dashboardFromCsv(read(dir, 'events.csv'), read(dir, 'outcomes.csv'), {
      experience: read(dir, 'experience.json'),
      ...options,
    });
    assert.equal(mismatch(want, got, name), null);
    // A plain object: its JSON is the contract's.
    assert.equal(Object.getPrototypeOf(got), Object.prototype);
    assert.equal(mismatch(want, JSON.parse(JSON.stringify(got)), name), null);
  });

  test(`dashboard fixture ${name} from row objects`, () => {
    const xText = read(dir, 'experience.json');
    const x = xText === undefined ? undefined : Experience.fromJson(xText);
    const outcomes = read(dir, 'outcomes.csv');
    const got = dashboard(csvRows(read(dir, 'events.csv')), outcomes && csvRows(outcomes), x, options);
    assert.equal(mismatch(want, got, name), null);
  });
}

for (const dir of cases('experience')) {
  const name = dir.split('/').pop();
  const want = JSON.parse(read(dir, 'expected.json'));
  test(`experience fixture ${name}`, () => {
    if (read(dir, 'old.json') !== undefined) {
      const old = Experience.fromJson(read(dir, 'old.json'));
      const next = Experience.fromJson(read(dir, 'new.json'));
      assert.equal(mismatch(want, { diff: old.diff(next) }), null);
      return;
    }
    if (!want.valid) {
      assert.throws(() => Experience.fromJson(read(dir, 'experience.json')), (e) => {
        assert.equal(e.kind, 'invalid');
        const got = e.problems.map(({ message, ...rest }) => rest);
        assert.equal(mismatch(want.problems, got, 'problems'), null);
        return true;
      });
      return;
    }
    const x = Experience.fromJson(read(dir, 'experience.json'));
    assert.deepEqual(x.unexplainedWork(), want.unexplained);
    assert.equal(mismatch(want.cost_rollup, x.costRollup()), null);
    for (const [work, trace] of Object.entries(want.trace)) assert.equal(mismatch(trace, x.trace(work), work), null);
    for (const [work, impact] of Object.entries(want.failure_impact)) {
      assert.equal(mismatch(impact, x.failureImpact(work), work), null);
    }
    assert.deepEqual(x.designedJourney(), want.designed_journey);
  });
}

for (const dir of cases('comparison')) {
  const name = dir.split('/').pop();
  test(`comparison fixture ${name}`, () => {
    const config = JSON.parse(read(dir, 'config.json'));
    const want = JSON.parse(read(dir, 'expected.json'));
    const log = join(dir, '..', '..', 'dashboard', config.log);
    const logConfig = JSON.parse(read(log, 'config.json'));
    const xText = read(log, 'experience.json');
    const t = new Tracker(xText === undefined ? undefined : Experience.fromJson(xText), {
      period: fittingPeriod([config.before, config.after]),
      ...(logConfig.designed ? { designed: logConfig.designed } : {}),
    });
    const outcomes = read(log, 'outcomes.csv');
    t.ingest(csvRows(read(log, 'events.csv')), outcomes && csvRows(outcomes));
    const options = Object.fromEntries(['alpha', 'tau2'].filter((k) => k in config).map((k) => [k, config[k]]));
    const got = t.compare(config.before, config.after, options);
    assert.equal(mismatch(want, got, name), null);
  });
}

for (const dir of cases('alarms')) {
  const name = dir.split('/').pop();
  test(`alarm fixture ${name}: alarms in firing order and final states`, () => {
    const config = JSON.parse(read(dir, 'config.json'));
    const want = JSON.parse(read(dir, 'expected.json'));
    const t = new Tracker(Experience.fromJson(read(dir, 'experience.json')), { cusum: config });
    t.ingest(csvRows(read(dir, 'events.csv')));
    const got = t.drainAlarms().map(({ mot, timestamp, statistic, h, p0, p1 }) => ({ mot, timestamp, statistic, h, p0, p1 }));
    assert.equal(mismatch(want.alarms, got, 'alarms'), null);
    const final = Object.fromEntries(t.dashboard().mots.filter((m) => m.cusum)
      .map((m) => [m.id, { statistic: m.cusum.statistic, alarms: m.cusum.alarms, last_alarm_at: m.cusum.last_alarm_at }]));
    assert.equal(mismatch(want.final, final, 'final'), null);
  });
}
