// The bad-input catalogue (tests/bad-inputs/catalogue.json) through the npm
// package: every entry gets its answer as a MotError of its kind or counted
// rows, never a crash, and the module keeps working after each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Experience, Tracker, dashboard, dashboardFromCsv, sampleExperience } from 'mot-wasm';
import { ROOT } from './helpers.mjs';

const { entries } = JSON.parse(readFileSync(join(ROOT, 'tests/bad-inputs/catalogue.json'), 'utf8'));
const sample = sampleExperience();

function bytes(inp) {
  if ('text' in inp) return Buffer.from(inp.text, 'utf8');
  if ('base64' in inp) return Buffer.from(inp.base64, 'base64');
  const rows = ['journey_id,mot_id,timestamp,success'];
  for (let i = 0; i < inp.many_mots; i++) rows.push(`j${i},m${i},1795392000,true`);
  return Buffer.from(rows.join('\n') + '\n');
}

/** A catalogue column as JS holds one: typed arrays where they fit, else plain arrays. */
function jsColumn(spec) {
  const v = spec.values.map((x) => (x === 'NaN' ? NaN : x));
  switch (spec.type) {
    case 'uint8': return Uint8Array.from(v);
    case 'float': return Float64Array.from(v);
    default: return v; // int, bool, string, null: plain arrays
  }
}

const jsColumns = (cols) => Object.fromEntries(Object.entries(cols).map(([k, spec]) => [k, jsColumn(spec)]));

function run(e) {
  const inp = e.input;
  switch (e.via) {
    case 'columns':
      return dashboard(jsColumns(inp.columns), inp.outcomes ? jsColumns(inp.outcomes) : undefined, e.bound ? sample : undefined);
    case 'experience':
      return Experience.fromJson(inp.text);
    case 'csv': {
      // JS strings are UTF-16: bytes that are not UTF-8 arrive as U+FFFD and
      // are read as text; the catalogue's UTF-8 entry is checked in Rust and Python.
      const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes(inp));
      return dashboardFromCsv(text, e.outcomes, { experience: e.bound ? sample : undefined, badRows: e.bad_rows });
    }
    case 'state':
      return Tracker.fromBytes(bytes(inp));
    case 'merge': {
      const a = Tracker.fromBytes(bytes(inp));
      const before = a.toBytes();
      try {
        a.merge(Tracker.fromBytes(Buffer.from(inp.other, 'base64')));
      } finally {
        assert.deepEqual(a.toBytes(), before, 'a failed merge changes nothing');
      }
      return a;
    }
  }
  throw new Error(`unknown via ${e.via}`);
}

test('the catalogue is big enough', () => assert.ok(entries.length >= 40));

for (const e of entries) {
  // Invalid UTF-8 cannot be a JS string; TextDecoder refuses it before the package.
  const notText = e.id === 'csv-invalid-utf8';
  test(`bad input ${e.id}`, { skip: notText && 'bytes that are not UTF-8 cannot reach the package as a string' }, () => {
    const want = e.expect;
    if (want.error) {
      assert.throws(() => run(e), (err) => {
        assert.ok(err instanceof Error);
        assert.equal(err.name, 'MotError');
        assert.equal(err.kind, want.error, err.message);
        if (want.reason) assert.equal(err.reason, want.reason);
        if (want.path) assert.equal(err.path, want.path);
        return true;
      });
    } else {
      const got = run(e);
      if ('accepted' in want) {
        assert.equal(got.amount.interactions, want.accepted);
        assert.deepEqual(Object.fromEntries(Object.entries(got.rejected).filter(([, n]) => n > 0)), want.rejected);
      }
    }
    assert.equal(Experience.fromJson(sample).name, 'Air travel');
  });
}
