// A stand-in for the wasm-bindgen `--target web` package of mot-wasm, for
// developing and testing the page before the real package is built.
//
// It computes nothing. `dashboardFromCsv` checks the inputs the way the real
// module is expected to (JSON, `format` tag, CSV header) and throws the same
// kind of errors, then returns a copy of a conformance fixture
// (tests/dashboard/<case>/expected.json, copied into fixtures.js):
//   experience given, period `week` -> weekly
//   experience given, period `day`  -> bound-alerts
//   no experience (discovery mode)  -> discovery-basic
// The experience's `name` and `segment` are copied into the result, so a
// test can put markup into a name and check the page escapes it.
import { DASHBOARDS, SAMPLE } from './fixtures.js';

class MotError extends Error {
  constructor(kind, message) {
    super(message);
    this.name = 'MotError';
    this.kind = kind;
  }
}

const PRESETS = {
  default: { journey: 'journey_id', mot: 'mot_id', timestamp: 'timestamp', success: 'success', sco: 'sco' },
  pm4py: { journey: 'case:concept:name', mot: 'concept:name', timestamp: 'time:timestamp', success: 'success', sco: 'sco' },
};

function parseExperience(text) {
  if (typeof text !== 'string') throw new MotError('json', 'the experience must be JSON text');
  let doc;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    // serde_json style: what was expected, and where.
    const at = /position (\d+)/.exec(e.message);
    const pos = at ? Number(at[1]) : 0;
    const before = text.slice(0, pos).split('\n');
    throw new MotError('json', `expected value at line ${before.length} column ${before.at(-1).length + 1}`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new MotError('json', 'invalid type: expected an experience object');
  }
  if (doc.format !== 'mot.experience/1') {
    throw new MotError('format', doc.format === undefined
      ? 'missing `format`: this is not a `mot.experience/1` document'
      : `unknown format \`${doc.format}\`: expected \`mot.experience/1\``);
  }
  for (const field of ['id', 'name', 'segment', 'manager', 'sco', 'mots']) {
    if (!(field in doc)) throw new MotError('json', `missing field \`${field}\``);
  }
  return doc;
}

function checkCsv(text, what, needed) {
  if (typeof text !== 'string') throw new MotError('columns', `the ${what} must be CSV text`);
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0].trim();
  if (!header) throw new MotError('columns', `the ${what} CSV is empty: expected a header row`);
  if (header.includes('\0') || /[\u0000-\u0008\u000e-\u001f]/.test(header)) {
    throw new MotError('format', `the ${what} file is not CSV text`);
  }
  const have = header.split(',').map((h) => h.trim());
  for (const [role, name] of needed) {
    if (!have.includes(name)) {
      throw new MotError('columns', `the ${what} have no ${role} column \`${name}\` (columns: ${have.map((h) => `\`${h}\``).join(', ')}); rename it or choose another column preset`);
    }
  }
}

export class Experience {
  #doc;
  constructor(doc) { this.#doc = doc; }
  static fromJson(text) { return new Experience(parseExperience(text)); }
  get id() { return this.#doc.id; }
  toJson() { return JSON.stringify(this.#doc); }
  // The mock's landscape answers are simplified (work with no links at all);
  // the real module asks mot-core.
  unexplainedWork() {
    return (this.#doc.landscape?.work ?? []).filter((w) => !w.mots?.length && !w.supports?.length).map((w) => w.id);
  }
  costRollup() {
    const work = this.#doc.landscape?.work ?? [];
    const total = work.reduce((s, w) => s + (w.cost ?? 0), 0);
    const unexplained = work.filter((w) => !w.mots?.length && !w.supports?.length).reduce((s, w) => s + (w.cost ?? 0), 0);
    return { mots: [], allocated: total - unexplained, unexplained, total, uncosted: work.filter((w) => w.cost == null).map((w) => w.id) };
  }
  free() {}
}

export function sampleExperience() { return SAMPLE.experience; }

export function sampleLog() { return { events: SAMPLE.events, outcomes: SAMPLE.outcomes }; }

export function dashboardFromCsv(events, outcomes, options = {}) {
  const preset = PRESETS[options.preset ?? 'default'];
  if (!preset) throw new MotError('config', `\`${options.preset}\` is not a column preset: use \`default\` or \`pm4py\``);
  const period = options.period ?? 'day';
  if (period !== 'day' && period !== 'week') {
    throw new MotError('config', `\`${period}\` is not a period: use \`day\`, \`week\` or a width such as \`3600s\``);
  }
  const doc = options.experience == null ? null : parseExperience(options.experience);
  checkCsv(events, 'interactions', [['journey', preset.journey], ['MOT', preset.mot], ['timestamp', preset.timestamp], ['success', preset.success]]);
  if (outcomes != null) checkCsv(outcomes, 'outcomes', [['journey', preset.journey], ['SCO', preset.sco]]);
  const name = doc ? (period === 'week' ? 'weekly' : 'bound-alerts') : 'discovery-basic';
  const d = structuredClone(DASHBOARDS[name]);
  if (doc && d.experience) Object.assign(d.experience, { name: doc.name, segment: doc.segment });
  return d;
}

export function initSync() {}

export default async function init() {}
