// W1 through the npm package in Node: the exported W1 log as columns
// (typed arrays; MOT ids as a dictionary), timed through `dashboard(...)`,
// against the native `w1 time` figure of the same log.
//
//   cargo run --release -p mot-benches --bin w1 -- export /tmp/mot-w1-1000000 --journeys 1000000 --seed 1
//   bash mot-wasm/build.sh
//   node --max-old-space-size=8192 benches/wasm/w1.mjs /tmp/mot-w1-1000000 [--repeat 5]
//
// Reading the CSV into typed arrays is outside the clock; the clock covers
// copying the columns into WebAssembly memory, the whole dashboard, and the
// contract object handed back. Prints one JSON object.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dashboard } from '../../mot-wasm/pkg/node/index.js';

const dir = process.argv[2];
const repeat = Number(process.argv[process.argv.indexOf('--repeat') + 1]) || 5;
if (!dir) throw new Error('usage: node benches/wasm/w1.mjs DIR [--repeat N]');

function columns(file, spec) {
  const text = readFileSync(join(dir, file), 'latin1');
  const lines = text.split('\n');
  const head = lines[0].split(',');
  const n = lines.length - 1 - (lines[lines.length - 1] === '' ? 1 : 0);
  const out = {};
  const dicts = {};
  for (const [name, kind] of Object.entries(spec)) {
    out[name] = kind === 'f64' ? new Float64Array(n) : kind === 'u8' ? new Uint8Array(n) : { codes: new Uint32Array(n), values: [] };
    if (kind === 'dict') dicts[name] = new Map();
  }
  const at = Object.keys(spec).map((name) => head.indexOf(name));
  for (let i = 0; i < n; i++) {
    const f = lines[i + 1].split(',');
    Object.entries(spec).forEach(([name, kind], k) => {
      const v = f[at[k]];
      if (kind === 'f64') out[name][i] = Number(v);
      else if (kind === 'u8') out[name][i] = v === 'true' ? 1 : 0;
      else {
        let code = dicts[name].get(v);
        if (code === undefined) {
          code = out[name].values.length;
          dicts[name].set(v, code);
          out[name].values.push(v);
        }
        out[name].codes[i] = code;
      }
    });
  }
  return out;
}

const events = columns('events.csv', { journey_id: 'f64', mot_id: 'dict', timestamp: 'f64', success: 'u8', cost: 'f64' });
const outcomes = columns('outcomes.csv', { journey_id: 'f64', sco: 'u8', value: 'f64' });
const times = [];
let d;
for (let r = 0; r < repeat; r++) {
  const t = performance.now();
  d = dashboard(events, outcomes, undefined, { period: 'day' });
  times.push((performance.now() - t) / 1000);
}
times.sort((a, b) => a - b);
let native = null;
try {
  native = JSON.parse(readFileSync(join(dir, 'ours_time.json'), 'utf8')).dashboard_from_columns_s;
} catch {}
const median = times[Math.floor(times.length / 2)];
console.log(JSON.stringify({
  rows: events.journey_id.length,
  journeys: d.amount.journeys,
  sco_rate: d.sco.rate,
  wasm_best_s: times[0],
  wasm_median_s: median,
  native_dashboard_s: native,
  // Like with like: the native figure is also the best of its runs.
  ratio_to_native: native && times[0] / native,
  node: process.version,
}, null, 1));
