// The MOT dashboard page: loads the mot-wasm package, builds a `mot.dashboard/1`
// dashboard from an experience and an interaction log in the browser, and
// draws it. Every number comes from the package; this file only displays.
//
// Each figure taken from the contract carries `data-field` (its JSON path, e.g.
// `mots.0.smoto_rate`), `data-value` (the raw number, `null` for null) and, when
// it is shown as text, `data-format` (how it is written, see FMT), so a test can
// check the page against the contract. Figures from the experience's landscape
// carry `data-xfield` instead. Text from the data goes in with textContent only.

import { MAP, fitWidth, fixed, mapLayout, sign } from './layout.js';

const PKG = new URL('../pkg/web/mot_wasm.js', import.meta.url).href;
const SVG = 'http://www.w3.org/2000/svg';
const DASH = '–';
const SLOTS = ['experience', 'events', 'outcomes'];
const LABEL = { experience: 'experience', events: 'interactions', outcomes: 'outcomes' };
const CLASSES = ['magic', 'misery', 'neutral', 'unaligned', 'unmeasured'];
const CLASS_NOTE = {
  magic: 'contributes and performs',
  misery: 'fails the customer or hurts the SCO',
  neutral: 'too little data, or no measurable effect',
  unaligned: 'declared to contribute nothing: candidate for removal',
  unmeasured: 'observed, but the log has no success flag',
};
const TYPES = {
  PP: 'Person → Person', PS: 'Person → System', SP: 'System → Person',
  SS: 'System → System', PO: 'Person → Product/Service', OP: 'Product/Service → Person',
};
const REASONS = {
  'missing-journey': 'no journey id', 'missing-mot': 'no MOT id',
  'unknown-mot': 'MOT not in the experience', 'missing-timestamp': 'no timestamp',
  'invalid-timestamp': 'unreadable timestamp', 'timestamp-out-of-range': 'timestamp out of range',
  'missing-success': 'no success flag', 'invalid-success': 'unreadable success flag',
  'invalid-cost': 'unreadable cost', 'non-finite-cost': 'cost is NaN or infinite',
  'negative-cost': 'negative cost', 'invalid-value': 'unreadable value',
  'non-finite-value': 'value is NaN or infinite', 'after-close': 'interaction after its journey closed',
  'missing-outcome': 'no SCO flag', 'duplicate-outcome': 'second outcome for a journey',
  'outcome-without-interactions': 'outcome of a journey with no interactions',
  'malformed-row': 'row that cannot be parsed',
};

// ---------------------------------------------------------------- formatting

const iso = (s) => new Date(s * 1000).toISOString();
/** How each `data-format` writes a value (null is always written `–`). */
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
  date: (v) => iso(v).slice(0, 10),
  datetime: (v) => iso(v).slice(0, 16).replace('T', ' '),
  text: (v) => String(v),
  dur: (v) => (v < 60 ? `${v.toFixed(0)} s` : v < 3600 ? `${(v / 60).toFixed(1)} min` : v < 86400 ? `${(v / 3600).toFixed(1)} h` : `${(v / 86400).toFixed(1)} d`),
};
const show = (v, fmt) => (v == null ? DASH : FMT[fmt](v));
const label = (m) => m.name ?? m.id;

// ---------------------------------------------------------------- DOM helpers

function put(node, attrs, kids) {
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v == null || v === false) continue;
    if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const kid of kids.flat(Infinity)) {
    if (kid != null && kid !== false) node.append(kid instanceof Node ? kid : String(kid));
  }
  return node;
}
const el = (tag, attrs, ...kids) => put(document.createElement(tag), attrs, kids);
const svg = (tag, attrs, ...kids) => put(document.createElementNS(SVG, tag), attrs, kids);
const $ = (sel) => document.querySelector(sel);
const raw = (v) => (v == null ? 'null' : String(v));

/** A figure from the contract, written as text. */
function fig(path, value, fmt, attrs = {}, tag = 'span') {
  const numeric = typeof value === 'number' || value == null;
  return el(tag, { ...attrs, 'data-field': path, 'data-value': numeric ? raw(value) : null, 'data-format': fmt, text: show(value, fmt) });
}
/** The same inside an SVG. */
function sfig(path, value, fmt, attrs = {}) {
  return svg('text', { ...attrs, 'data-field': path, 'data-value': raw(value), 'data-format': fmt, text: show(value, fmt) });
}
/** A graphic mark that stands for a contract number. */
const mark = (tag, path, value, attrs = {}, ...kids) => svg(tag, { ...attrs, 'data-field': path, 'data-value': raw(value) }, ...kids);
const tip = (text) => svg('title', { text });

function section(id, title, intro, ...content) {
  return el('section', { class: 'panel', id, 'aria-labelledby': `${id}-h` },
    el('h2', { id: `${id}-h`, text: title }), intro && el('p', { class: 'intro', text: intro }), content);
}

function table(caption, cols, rows, attrs = {}) {
  return el('div', { class: 'table-wrap' }, el('table', attrs,
    el('caption', { class: 'visually-hidden', text: caption }),
    el('thead', {}, el('tr', {}, cols.map((c) => el('th', { scope: 'col', class: c.num ? 'num' : null, text: c.label })))),
    el('tbody', {}, rows.map((r, i) => el('tr', { class: r.rowClass ?? null },
      cols.map((c, k) => el(k === 0 ? 'th' : 'td', { scope: k === 0 ? 'row' : null, class: c.num ? 'num' : null }, c.cell(r, i))))))));
}

/** A Wilson interval `low–high`; one dash when there is none. */
const ci = (path, x) => (x.ci_low == null && x.ci_high == null
  ? fig(`${path}.ci_low`, null, 'pct')
  : [fig(`${path}.ci_low`, x.ci_low, 'pct'), '–', fig(`${path}.ci_high`, x.ci_high, 'pct')]);
const badge = (cls, text, attrs = {}) => el('span', { ...attrs, class: `badge ${cls}`, text });
const classBadge = (path, cls) => el('span', { class: `badge c-${cls}`, 'data-field': path, 'data-format': 'text', text: cls });

// ---------------------------------------------------------------- state

let mot = null; // the package
let current = null; // the inputs of the dashboard on screen
let builds = 0;
let queue = Promise.resolve();

/** Plain data from the package: Maps to objects, BigInts to numbers. */
function plain(v) {
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, plain(x)]));
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'bigint') return Number(v);
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  }
  return v;
}

function pageError(kind, message) {
  return Object.assign(new Error(message), { name: 'PageError', kind });
}

function sampleInputs() {
  const log = plain(mot.sampleLog());
  return {
    experience: { name: 'bundled sample experience', text: mot.sampleExperience(), sample: true },
    events: { name: 'generated sample interactions', text: log.events, sample: true },
    outcomes: log.outcomes == null ? null : { name: 'generated sample outcomes', text: log.outcomes, sample: true },
  };
}

/** The experience's landscape answers (unexplained work, cost roll-up); throws if it is invalid. */
function landscapeOf(x) {
  if (!x) return { doc: null };
  const exp = mot.Experience.fromJson(x.text);
  try {
    let doc = {}; // for names and the currency only; the package has validated the text
    try { doc = JSON.parse(x.text.replace(/^\uFEFF/, '')); } catch { /* shown without names */ }
    const out = { doc, unexplained: null, costs: null };
    if (typeof exp.unexplainedWork === 'function') {
      out.unexplained = plain(exp.unexplainedWork()).map((w) => (typeof w === 'string' ? w : w.id));
    }
    if (typeof exp.costRollup === 'function') out.costs = plain(exp.costRollup());
    return out;
  } finally {
    exp.free?.();
  }
}

/** Queues a change of inputs; `what` names it in an error. */
function submit(change, what) {
  queue = queue.then(() => apply(change, what));
  return queue;
}

async function apply(change, what) {
  setBusy(true);
  await new Promise((r) => setTimeout(r, 0)); // let "busy" paint before the work
  const t0 = performance.now();
  try {
    if (typeof change === 'function') change = change();
    const next = { ...current, ...change };
    // Own interactions replace the whole sample log, its outcomes included.
    if (change.events && !change.events.sample && !('outcomes' in change) && next.outcomes?.sample) next.outcomes = null;
    if (!next.events) throw pageError('input', 'no interactions loaded: choose an interactions CSV');
    const ctx = landscapeOf(next.experience);
    const options = { period: next.period, preset: next.preset };
    if (next.experience) options.experience = next.experience.text;
    const d = plain(mot.dashboardFromCsv(next.events.text, next.outcomes?.text ?? undefined, options));
    if (d?.format !== 'mot.dashboard/1') throw pageError('contract', `the package returned \`${d?.format}\`, not a \`mot.dashboard/1\` dashboard`);
    render(d, ctx);
    current = next;
    builds += 1;
    clearError();
    const ms = Math.max(1, Math.round(performance.now() - t0));
    $('#status').textContent = `Dashboard built from ${describe(next)} in ${ms} ms.`;
  } catch (e) {
    showError(e, what);
  } finally {
    showSources();
    setBusy(false);
  }
}

function describe(s) {
  if ([s.experience, s.events, s.outcomes].every((x) => !x || x.sample)) return `the bundled sample, by ${s.period}`;
  const names = SLOTS.map((k) => s[k] && `${s[k].sample ? 'sample ' + LABEL[k] : s[k].name}`).filter(Boolean);
  return `${names.join(', ')}, by ${s.period}`;
}

function setBusy(busy) {
  const main = $('#dashboard');
  main.setAttribute('aria-busy', String(busy));
  main.dataset.builds = String(builds);
  document.body.classList.toggle('busy', busy);
}

function showError(e, what) {
  const crashed = typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError;
  const kind = crashed ? 'crash' : String(e?.kind ?? e?.name ?? 'error');
  let message = String(e?.message ?? e);
  if (crashed) message += ' — the WebAssembly module stopped; reload the page';
  const box = $('#error');
  box.dataset.kind = kind;
  box.replaceChildren(
    el('div', { class: 'error-head' },
      el('strong', { text: `Could not use ${what}` }),
      el('span', { class: 'kind', title: 'error kind', text: kind })),
    el('p', { class: 'error-message', text: message }),
    e?.path ? el('p', {}, 'Where: ', el('code', { text: String(e.path) })) : '',
    el('p', { class: 'error-foot' },
      builds ? 'The dashboard below still shows the previous data. ' : 'No dashboard has been built yet. ',
      el('button', { type: 'button', class: 'link', onclick: clearError, text: 'Dismiss' })));
  console.warn(`mot dashboard: ${kind}: ${message}`);
}

function clearError() {
  $('#error').replaceChildren();
  delete $('#error').dataset.kind;
}

function showSources() {
  const s = current ?? {};
  const empty = {
    experience: 'None: discovery mode (MOTs come from the log)',
    events: 'None',
    outcomes: 'None: the SCO rate needs journey outcomes',
  };
  for (const k of SLOTS) {
    const x = s[k];
    const node = $(`#source-${k}`);
    node.replaceChildren(x
      ? (x.sample ? el('span', { class: 'tag', text: 'sample' }) : el('span', { class: 'tag own', text: 'your file' }))
      : '', x ? ` ${x.name}${x.size != null ? ` · ${kb(x.size)}` : ''}` : empty[k]);
    node.classList.toggle('none', !x);
    const clear = document.querySelector(`[data-clear="${k}"]`);
    if (clear) clear.disabled = !x;
  }
  if (current) {
    $('#period').value = current.period;
    $('#preset').value = current.preset;
  }
}

const kb = (n) => (n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`);

// ---------------------------------------------------------------- files

async function readFile(file) {
  if (file.size > 512 * 1048576) throw pageError('input', `\`${file.name}\` is ${kb(file.size)}: this page reads files up to 512 MB`);
  return { name: file.name, size: file.size, text: await file.text(), sample: false };
}

/** Which slot a file fills: JSON is the experience; a CSV with an `sco` column the outcomes. */
function classify(f) {
  const head = f.text.replace(/^\uFEFF/, '').trimStart();
  if (/\.json$/i.test(f.name) || head.startsWith('{')) return 'experience';
  const cols = head.split(/\r?\n/, 1)[0].split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
  return cols.includes('sco') ? 'outcomes' : 'events';
}

async function takeFiles(list, slot) {
  const files = [...list];
  if (!files.length) return;
  const what = files.map((f) => f.name).join(', ');
  try {
    const read = await Promise.all(files.map(readFile));
    const change = {};
    for (const f of read) {
      const k = slot ?? classify(f);
      if (change[k]) throw pageError('input', `two files for the ${LABEL[k]}: \`${change[k].name}\` and \`${f.name}\``);
      change[k] = f;
    }
    await submit(change, what);
  } catch (e) {
    showError(e, what);
  }
}

function wire() {
  for (const k of SLOTS) {
    $(`#file-${k}`).addEventListener('change', (e) => {
      const files = [...e.target.files];
      e.target.value = '';
      takeFiles(files, k);
    });
  }
  $('#file-any').addEventListener('change', (e) => {
    const files = [...e.target.files];
    e.target.value = '';
    takeFiles(files);
  });
  for (const b of document.querySelectorAll('[data-clear]')) {
    b.addEventListener('click', () => submit({ [b.dataset.clear]: null }, `the change (no ${LABEL[b.dataset.clear]})`));
  }
  $('#reset').addEventListener('click', () => submit(sampleInputs, 'the bundled sample'));
  $('#period').addEventListener('change', (e) => submit({ period: e.target.value }, `the period \`${e.target.value}\``));
  $('#preset').addEventListener('change', (e) => submit({ preset: e.target.value }, `the column preset \`${e.target.value}\``));

  const zone = $('#dropzone');
  const hasFiles = (e) => [...(e.dataTransfer?.types ?? [])].includes('Files');
  let depth = 0;
  const over = (e) => {
    for (const s of document.querySelectorAll('.slot.over')) s.classList.remove('over');
    e?.target.closest?.('[data-slot]')?.classList.add('over');
  };
  document.addEventListener('dragenter', (e) => {
    if (!hasFiles(e)) return;
    depth += 1;
    zone.hidden = false;
    over(e);
  });
  document.addEventListener('dragleave', (e) => {
    if (!hasFiles(e)) return;
    depth -= 1;
    if (depth <= 0) { depth = 0; zone.hidden = true; over(null); }
  });
  document.addEventListener('dragover', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    over(e);
  });
  document.addEventListener('drop', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth = 0;
    zone.hidden = true;
    over(null);
    takeFiles(e.dataTransfer.files, e.target.closest?.('[data-slot]')?.dataset.slot);
  });
}

// ---------------------------------------------------------------- the dashboard

function render(d, ctx) {
  const x = d.experience;
  const title = $('#title');
  title.replaceChildren(x ? fig('experience.name', x.name, 'text') : 'Interaction log');
  document.title = `MOT dashboard — ${x ? x.name : 'interaction log'}`;
  $('#subtitle').replaceChildren(...(x
    ? [fig('experience.segment', x.segment, 'text'), x.version != null ? [' · version ', fig('experience.version', x.version, 'text')] : null,
      d.sco.one_liner != null ? [' · SCO: “', fig('sco.one_liner', d.sco.one_liner, 'text', { class: 'sco-line' }), '”'] : null]
    : ['Discovery mode: no experience loaded, so the MOTs come from the log.']).flat(2).filter((n) => n != null));
  const currency = ctx.doc?.currency ?? null;
  $('#dashboard').replaceChildren(
    cards(d),
    alertsPanel(d),
    el('div', { class: 'row two' }, barsPanel(d), mapPanel(d)),
    motsPanel(d),
    gapPanel(d),
    timePanel(d),
    trendsPanel(d),
    el('div', { class: 'row two' }, typesPanel(d), ownersPanel(d)),
    el('div', { class: 'row two' }, landscapePanel(d, ctx, currency), rejectedPanel(d)),
    ...morePanel(d, currency));
}

function card(title, big, caption, ...lines) {
  return el('section', { class: 'card', 'aria-label': title },
    el('h3', { text: title }),
    el('p', { class: 'big' }, big, caption && el('span', { class: 'caption', text: caption })),
    lines.filter(Boolean).map((l) => el('p', { class: 'sub' }, l)));
}

function cards(d) {
  const { sco, amount: a, ratio: r, ownership: o } = d;
  const below = sco.rate != null && sco.target != null && sco.rate < sco.target;
  const counts = Object.fromEntries(CLASSES.map((c) => [c, d.mots.filter((m) => m.alignment === c).length]));
  const rejected = Object.entries(d.rejected).filter(([, n]) => n > 0);
  const total = rejected.reduce((s, [, n]) => s + n, 0);
  return el('section', { class: 'cards', 'aria-labelledby': 'cards-h' }, el('h2', { id: 'cards-h', class: 'visually-hidden', text: 'Key figures' }),
    card('SCO rate', fig('sco.rate', sco.rate, 'pct'), null,
      ['95% CI ', fig('sco.ci_low', sco.ci_low, 'pct'), ' – ', fig('sco.ci_high', sco.ci_high, 'pct')],
      [fig('sco.successes', sco.successes, 'int'), ' of ', fig('sco.journeys', sco.journeys, 'int'), ' journeys with a known outcome'],
      sco.target != null && ['target ', fig('sco.target', sco.target, 'pct'), ' ', below ? badge('bad', 'below') : badge('good', 'met')],
      [fig('sco.unknown', sco.unknown, 'int'), ' unknown · ', fig('sco.abandoned', sco.abandoned, 'int'), ' abandoned'],
      sco.value != null && ['SCO revenue ', fig('sco.value', sco.value, 'money')]),
    card('Amount', fig('amount.interactions', a.interactions, 'int'), 'interactions',
      [fig('amount.observed_mots', a.observed_mots, 'int'), ' MOTs observed', a.designed_mots != null ? [' of ', fig('amount.designed_mots', a.designed_mots, 'int'), ' designed'] : ''],
      [fig('amount.journeys', a.journeys, 'int'), ' journeys closed'],
      a.open_journeys > 0 && [fig('amount.open_journeys', a.open_journeys, 'int'), ' still open']),
    card('Ratio', fig('ratio.ratio', r.ratio, 'num2'), '× design',
      [fig('ratio.interactions_per_journey', r.interactions_per_journey, 'num2'), ' interactions per journey'],
      r.designed_mots != null && [fig('ratio.designed_mots', r.designed_mots, 'int'), ' MOTs designed · ', fig('ratio.designed_steps', r.designed_steps, 'int'), ' steps on the path']),
    card('Ownership', fig('ownership.share_owned', o.share_owned, 'pct'), 'owned',
      `${o.owners.length} MOT Manager${o.owners.length === 1 ? '' : 's'}`,
      d.mots.some((m) => m.owner == null) && `No owner: ${d.mots.filter((m) => m.owner == null).map(label).join(', ')}`),
    card('Alignment', String(counts.misery), `of ${d.mots.length} in misery`,
      el('span', { class: 'mix', role: 'img', 'aria-label': CLASSES.map((c) => `${c} ${counts[c]}`).join(', ') },
        CLASSES.map((c) => share(`c-${c}`, counts[c] / Math.max(1, d.mots.length)))),
      el('span', { class: 'dots' }, CLASSES.map((c) => el('span', { class: `dot c-${c}`, title: CLASS_NOTE[c] }, `${c} ${counts[c]}`)))),
    card('Alerts', String(d.alerts.length), `in the latest ${d.period}`,
      d.alerts.length ? `for ${[...new Set(d.alerts.map((x) => x.owner_name ?? 'no owner'))].join(', ')}` : 'every MOT in control and on target'),
    card('Rejected rows', total.toLocaleString('en-US'), 'rows',
      rejected.length ? rejected.slice(0, 3).map(([k, n]) => [fig(`rejected.${k}`, n, 'int'), ` ${k}`, el('br')]) : 'every row was used'));
}

function alertsPanel(d) {
  const dateFmt = periodSeconds(d.period) < 86400 ? 'datetime' : 'date';
  return section('alerts', 'Alerts for the MOT Managers',
    d.alerts.length ? `The latest ${d.period} of an MOT outside its control limits or below its SMOTO target: tell its owner so they can course-correct.`
      : `No alerts: in the latest ${d.period}, every MOT with enough interactions is within its control limits and at or above its target.`,
    d.alerts.length ? el('ul', { class: 'alert-list' }, d.alerts.map((a, i) => {
      const p = `alerts.${i}`;
      return el('li', { class: `alert-item ${a.kind}` },
        el('div', { class: 'alert-kind' }, fig(`${p}.kind`, a.kind, 'text', { class: `badge ${a.kind.startsWith('above') ? 'good' : 'bad'}` })),
        el('div', {},
          fig(`${p}.message`, a.message, 'text', { class: 'alert-message' }, 'p'),
          el('p', { class: 'alert-meta' },
            'Owner: ', a.owner_name != null ? [fig(`${p}.owner_name`, a.owner_name, 'text', { class: 'owner' }), ' (', fig(`${p}.owner`, a.owner, 'text', { class: 'id' }), ')']
              : el('span', { class: 'warn', text: a.mot == null ? 'no Experience Manager named' : 'no MOT Manager: assign one' }),
            a.mot == null ? ' · the whole journey against its design' : [' · MOT ', fig(`${p}.mot`, a.mot, 'text', { class: 'id' })],
            ' · period from ', fig(`${p}.period_start`, a.period_start, dateFmt),
            ' · ', fig(`${p}.rate`, a.rate, 'pct2'), ' of ', fig(`${p}.interactions`, a.interactions, 'int'),
            ' vs ', fig(`${p}.limit`, a.limit, 'pct2'))));
    })) : null);
}

function legend(extra = []) {
  return el('p', { class: 'legend' }, CLASSES.map((c) => el('span', { class: `key c-${c}`, title: CLASS_NOTE[c] }, c)), extra);
}

function barsPanel(d) {
  const W = 640, L = 200, P = 300, row = 24, top = 22, H = top + row * d.mots.length + 26;
  const x = (v) => L + P * v;
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-labelledby': 'bars-h', class: 'chart' });
  for (let k = 0; k <= 10; k += 2) {
    chart.append(svg('line', { x1: x(k / 10), x2: x(k / 10), y1: top - 4, y2: H - 22, class: 'grid' }),
      svg('text', { x: x(k / 10), y: H - 8, class: 'tick', 'text-anchor': 'middle', text: `${k * 10}%` }));
  }
  chart.append(svg('text', { x: L + P + 12, y: 12, class: 'head', text: 'SMOTO' }), svg('text', { x: W - 6, y: 12, class: 'head', 'text-anchor': 'end', text: 'n' }));
  d.mots.forEach((m, i) => {
    const y = top + i * row, mid = y + row / 2, p = `mots.${i}`;
    const g = svg('g', { class: `mot c-${m.alignment}` });
    g.append(svg('g', {}, tip(m.id), svg('text', { x: L - 8, y: mid + 4, 'text-anchor': 'end', class: 'label', text: fitWidth((m.parent ? '↳ ' : '') + label(m), L - 14, 12) })));
    if (m.smoto_rate == null) {
      g.append(svg('text', { x: x(0) + 6, y: mid + 4, class: 'none', text: m.interactions ? 'no success flag' : 'no interactions' }));
    } else {
      g.append(mark('rect', `${p}.smoto_rate`, m.smoto_rate, { x: L, y: y + 5, width: (P * m.smoto_rate).toFixed(1), height: row - 10, rx: 2, class: 'bar' },
        tip(`${label(m)}: SMOTO ${show(m.smoto_rate, 'pct')} (${m.successes}/${m.interactions}), 95% CI ${show(m.ci_low, 'pct')}–${show(m.ci_high, 'pct')}, target ${show(m.target, 'pct')}, ${m.alignment}`)));
      if (m.ci_low != null && m.ci_high != null) {
        g.append(svg('line', { x1: x(m.ci_low), x2: x(m.ci_high), y1: mid, y2: mid, class: 'whisker' }),
          mark('line', `${p}.ci_low`, m.ci_low, { x1: x(m.ci_low), x2: x(m.ci_low), y1: mid - 5, y2: mid + 5, class: 'whisker' }),
          mark('line', `${p}.ci_high`, m.ci_high, { x1: x(m.ci_high), x2: x(m.ci_high), y1: mid - 5, y2: mid + 5, class: 'whisker' }));
      }
      g.append(sfig(`${p}.smoto_rate`, m.smoto_rate, 'pct', { x: L + P + 12, y: mid + 4, class: 'value' }));
    }
    g.append(sfig(`${p}.interactions`, m.interactions, 'int', { x: W - 6, y: mid + 4, 'text-anchor': 'end', class: 'n' }));
    if (m.target != null) g.append(mark('line', `${p}.target`, m.target, { x1: x(m.target), x2: x(m.target), y1: y + 2, y2: y + row - 2, class: 'target' }, tip(`target ${show(m.target, 'pct')}`)));
    chart.append(g);
  });
  return section('bars', 'SMOTO rate per MOT', 'Successful MOT outcomes ÷ interactions. Whiskers: Wilson 95% interval; amber tick: SMOTO target; colour: alignment class.',
    el('figure', {}, chart, el('figcaption', {}, legend([el('span', { class: 'key target-key' }, 'target'), el('span', { class: 'key ci-key' }, '95% CI')]))));
}

/** The magic–misery map: each MOT at its lift (x) and SMOTO rate (y),
 * circle area its removal effect, colour its class; laid out by
 * layout.js exactly as the core's HTML report lays it out, labels after
 * the circles so that no circle hides one. */
function mapPanel(d) {
  const { W, H, LEFT, RIGHT, TOP, BOTTOM } = MAP;
  const l = mapLayout(d.mots);
  const intro = 'Performance against impact: each MOT at its SMOTO rate (up) and its lift (right: success there makes the SCO more likely). Circle area: removal effect. Colour: alignment class.';
  const notes = [];
  if (l.unlabelled.length) notes.push(el('p', { class: 'note', text: `Not labelled for lack of room (hover a circle for its name): ${l.unlabelled.map((i) => label(d.mots[i])).join(', ')}.` }));
  if (l.off.length && l.points.length) notes.push(el('p', { class: 'note', text: `Not on the map (no SMOTO rate): ${l.off.map((i) => label(d.mots[i])).join(', ')}.` }));
  if (!l.points.length) {
    return section('map', 'Moments of magic and misery', intro,
      el('p', { class: 'empty', text: 'No MOT has a SMOTO rate: the log has no success flag, so the map cannot be drawn.' }), legend());
  }
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-labelledby': 'map-h', class: 'chart map' });
  chart.append(svg('rect', { x: LEFT, y: TOP, width: RIGHT - LEFT, height: BOTTOM - TOP, class: 'plot' }));
  if (l.gutter > 0) chart.append(svg('rect', { x: LEFT, y: TOP, width: l.gutter, height: BOTTOM - TOP, class: 'gutter' }));
  for (const t of l.yTicks) {
    chart.append(svg('line', { x1: LEFT, x2: RIGHT, y1: t.at, y2: t.at, class: 'grid' }),
      svg('text', { x: LEFT - 6, y: t.at + 4, 'text-anchor': 'end', class: 'tick', text: t.text }));
  }
  for (const t of l.xTicks) {
    if (t.text !== 'no lift') chart.append(svg('line', { x1: t.at, x2: t.at, y1: TOP, y2: BOTTOM, class: t.text === '0.00' ? 'zero' : 'grid' }));
    chart.append(svg('text', { x: t.at, y: BOTTOM + 16, 'text-anchor': 'middle', class: 'tick', text: t.text }));
  }
  const mid = (TOP + BOTTOM) / 2;
  chart.append(
    svg('text', { x: (LEFT + l.gutter + RIGHT) / 2, y: H - 8, 'text-anchor': 'middle', class: 'axis', text: 'Lift: P(SCO | MOT never failed) − P(SCO | it failed)' }),
    svg('text', { x: 16, y: mid, 'text-anchor': 'middle', class: 'axis', transform: `rotate(-90 16 ${mid})`, text: 'SMOTO rate' }),
    svg('text', { x: LEFT + l.gutter, y: 16, class: 'hint', text: '← no help, or harm' }),
    svg('text', { x: RIGHT, y: 16, 'text-anchor': 'end', class: 'hint', text: 'success here helps the SCO →' }));
  for (const p of l.points) {
    const m = d.mots[p.index];
    chart.append(svg('g', { class: `pt c-${m.alignment}` },
      mark('circle', `mots.${p.index}.lift`, m.lift, { cx: p.cx.toFixed(2), cy: p.cy.toFixed(2), r: p.r.toFixed(2), class: 'dot', 'data-mot': m.id },
        tip(`${label(m)} (${m.id}): ${m.alignment}; SMOTO ${show(m.smoto_rate, 'pct')}; lift ${show(m.lift, 'signed3')}; removal effect ${show(m.removal_effect, 'num3')}`))));
  }
  for (const p of l.points) {
    const s = p.label?.leader;
    if (s) chart.append(svg('line', { x1: s[0].toFixed(2), y1: s[1].toFixed(2), x2: s[2].toFixed(2), y2: s[3].toFixed(2), class: 'leader' }));
  }
  for (const p of l.points) {
    if (p.label) {
      chart.append(svg('text', { x: p.label.x.toFixed(2), y: p.label.y.toFixed(2), 'text-anchor': p.label.anchor, class: 'label small lbl', 'data-mot': d.mots[p.index].id, text: p.label.text }));
    }
  }
  return section('map', 'Moments of magic and misery', intro, el('figure', {}, chart, el('figcaption', {}, legend(), notes)));
}

function motsPanel(d) {
  return section('mots', 'SMOTO and impact per MOT',
    'Lift: how much more often journeys reach the SCO when the MOT never failed than when it failed. Removal effect: the share of successful outcomes lost without the MOT. Trend: change of the daily SMOTO rate per day.',
    table('Every MOT', [
      { label: 'MOT', cell: (m, i) => [m.parent ? el('span', { class: 'nest', 'aria-label': `inside ${m.parent}`, text: '↳ ' }) : '',
        m.name != null ? [m.name, fig(`mots.${i}.id`, m.id, 'text', { class: 'id block' })] : fig(`mots.${i}.id`, m.id, 'text')] },
      { label: 'Type', cell: (m, i) => fig(`mots.${i}.type`, m.type, 'text', { title: TYPES[m.type] ?? 'unknown type' }) },
      { label: 'Owner', cell: (m, i) => {
        if (m.owner == null) return el('span', { class: 'warn', text: 'none' });
        const k = d.ownership.owners.findIndex((o) => o.person === m.owner);
        return k < 0 ? fig(`mots.${i}.owner`, m.owner, 'text', { class: 'nowrap' })
          : fig(`ownership.owners.${k}.name`, d.ownership.owners[k].name, 'text', { class: 'nowrap', title: m.owner });
      } },
      { label: 'Contribution', cell: (m, i) => fig(`mots.${i}.contribution`, m.contribution, 'text') },
      { label: 'n', num: true, cell: (m, i) => fig(`mots.${i}.interactions`, m.interactions, 'int') },
      { label: 'SMOTO', num: true, cell: (m, i) => fig(`mots.${i}.smoto_rate`, m.smoto_rate, 'pct', { class: 'strong' }) },
      { label: '95% CI', num: true, cell: (m, i) => ci(`mots.${i}`, m) },
      { label: 'Target', num: true, cell: (m, i) => fig(`mots.${i}.target`, m.target, 'pct') },
      { label: 'Lift', num: true, cell: (m, i) => fig(`mots.${i}.lift`, m.lift, 'signed3') },
      { label: 'Removal effect', num: true, cell: (m, i) => [fig(`mots.${i}.removal_effect`, m.removal_effect, 'num3'),
        m.removal_effect_ci_low != null ? el('span', { class: 'sub block', title: '95% interval' }, fig(`mots.${i}.removal_effect_ci_low`, m.removal_effect_ci_low, 'num3'), '–',
          fig(`mots.${i}.removal_effect_ci_high`, m.removal_effect_ci_high, 'num3')) : null] },
      { label: 'SCO journeys attributed', num: true, cell: (m, i) => fig(`mots.${i}.attributed_conversions`, m.attributed_conversions, 'num2') },
      { label: 'Trend / day', num: true, cell: (m, i) => fig(`mots.${i}.trend_slope_per_day`, m.trend_slope_per_day, 'pts') },
      { label: 'Class', cell: (m, i) => classBadge(`mots.${i}.alignment`, m.alignment) },
    ], d.mots, { class: 'wide' }));
}

function periodSeconds(p) {
  if (p === 'day') return 86400;
  if (p === 'week') return 604800;
  const m = /^(\d+)s$/.exec(p);
  return m ? Number(m[1]) : 86400;
}

/** A p-chart; `at` names the contract's points (`at.point(j)`) and centre
 * (`at.centre`): an MOT's trend by default, the conformance trend too. */
function trendChart(d, t, i, at = { point: (j) => `trends.${i}.periods.${j}`, centre: `trends.${i}.centre` }) {
  const mi = d.mots.findIndex((m) => m.id === t.mot);
  const m = d.mots[mi] ?? { id: t.mot, target: null };
  const W = 292, H = 138, L = 38, R = 10, T = 10, B = 24;
  const width = periodSeconds(d.period), ps = t.periods;
  const first = ps[0].start, last = ps.at(-1).start + width;
  const x = (s) => L + ((s - first) / (last - first)) * (W - L - R);
  const floor = Math.min(...ps.map((p) => Math.min(p.lcl, p.rate)), m.target ?? 1);
  const lo = Math.min(0.9, Math.max(0, Math.floor(floor * 10) / 10));
  const y = (v) => T + (1 - (v - lo) / (1 - lo)) * (H - T - B);
  const dateFmt = width < 86400 ? 'datetime' : 'date';
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', class: 'chart trend', 'aria-label': `${label(m)}: SMOTO rate per ${d.period} with control limits` });
  for (const v of [lo, (lo + 1) / 2, 1]) {
    chart.append(svg('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: 'grid' }),
      svg('text', { x: L - 4, y: y(v) + 4, 'text-anchor': 'end', class: 'tick', text: `${Math.round(v * 100)}%` }));
  }
  ps.forEach((p, j) => {
    const q = at.point(j), a = x(p.start), b = x(p.start + width);
    chart.append(svg('rect', { x: a, y: y(p.ucl), width: Math.max(1, b - a), height: Math.max(0.5, y(p.lcl) - y(p.ucl)), class: 'limits' }),
      mark('line', `${q}.ucl`, p.ucl, { x1: a, x2: b, y1: y(p.ucl), y2: y(p.ucl), class: 'limit' }),
      mark('line', `${q}.lcl`, p.lcl, { x1: a, x2: b, y1: y(p.lcl), y2: y(p.lcl), class: 'limit' }));
  });
  if (t.centre != null) chart.append(mark('line', at.centre, t.centre, { x1: L, x2: W - R, y1: y(t.centre), y2: y(t.centre), class: 'centre' }));
  if (m.target != null && mi >= 0) chart.append(mark('line', `mots.${mi}.target`, m.target, { x1: L, x2: W - R, y1: y(m.target), y2: y(m.target), class: 'target thin' }));
  const mid = (p) => x(p.start + width / 2);
  chart.append(svg('polyline', { points: ps.map((p) => `${mid(p).toFixed(1)},${y(p.rate).toFixed(1)}`).join(' '), class: 'rate' }));
  ps.forEach((p, j) => {
    const q = at.point(j);
    chart.append(mark('circle', `${q}.rate`, p.rate, { cx: mid(p).toFixed(1), cy: y(p.rate).toFixed(1), r: p.out_of_control ? 4.5 : 2.5, class: p.out_of_control ? `pt flag-${p.out_of_control}` : 'pt' },
      tip(`${FMT[dateFmt](p.start)}: ${show(p.rate, 'pct')} (${p.successes}/${p.interactions}); limits ${show(p.lcl, 'pct')}–${show(p.ucl, 'pct')}${p.out_of_control ? `; out of control (${p.out_of_control})` : ''}`)));
    if (p.out_of_control) chart.append(mark('circle', `${q}.out_of_control`, p.out_of_control, { cx: mid(p).toFixed(1), cy: y(p.rate).toFixed(1), r: 8, class: `ring flag-${p.out_of_control}` }));
  });
  chart.append(svg('text', { x: L, y: H - 6, class: 'tick', text: FMT[dateFmt](first) }),
    svg('text', { x: W - R, y: H - 6, 'text-anchor': 'end', class: 'tick', text: FMT[dateFmt](ps.at(-1).start) }));
  return chart;
}

function trendsPanel(d) {
  const dateFmt = periodSeconds(d.period) < 86400 ? 'datetime' : 'date';
  const flagged = [];
  const cells = d.trends.map((t, i) => {
    const mi = d.mots.findIndex((m) => m.id === t.mot);
    const m = d.mots[mi] ?? { id: t.mot };
    t.periods.forEach((p, j) => p.out_of_control && flagged.push({ t, i, j, p, m }));
    return el('figure', { class: `trend-card c-${m.alignment ?? 'neutral'}` },
      el('figcaption', {},
        el('strong', { text: label(m), title: m.id }),
        el('span', { class: 'sub' }, mi >= 0 ? [fig(`mots.${mi}.trend_slope_per_day`, m.trend_slope_per_day, 'pts'), '/day · '] : '',
          'centre ', fig(`trends.${i}.centre`, t.centre, 'pct'))),
      t.periods.length ? trendChart(d, t, i) : el('p', { class: 'empty', text: 'No interactions in any period.' }));
  });
  return section('trends', `Trend per MOT, by ${d.period}`,
    'SMOTO rate per period (line) with p-chart control limits p̄ ± 3·√(p̄(1−p̄)/n) (blue band), centre p̄ (dashed) and target (amber). Ringed points are outside their limits.',
    el('div', { class: 'trend-grid' }, cells),
    el('h3', { text: 'Periods outside their control limits' }),
    flagged.length ? el('ul', { class: 'flagged' }, flagged.map(({ t, i, j, p, m }) => {
      const q = `trends.${i}.periods.${j}`;
      return el('li', {}, fig(`${q}.out_of_control`, p.out_of_control, 'text', { class: `badge ${p.out_of_control === 'low' ? 'bad' : 'good'}` }), ' ',
        el('strong', { text: label(m) }), ' (', fig(`trends.${i}.mot`, t.mot, 'text', { class: 'id' }), ') from ', fig(`${q}.start`, p.start, dateFmt), ': ',
        fig(`${q}.rate`, p.rate, 'pct'), ' (', fig(`${q}.successes`, p.successes, 'int'), '/', fig(`${q}.interactions`, p.interactions, 'int'),
        ') outside ', fig(`${q}.lcl`, p.lcl, 'pct'), '–', fig(`${q}.ucl`, p.ucl, 'pct'));
    })) : el('p', { class: 'empty', text: 'None: every period is within its limits.' }));
}

/** The Design–Implementation gap: the designed steps with the share of
 * journeys that skipped each, repeats and detours, SCO when conforming vs
 * deviating, and conformance per period. Every number is the contract's
 * (a share is drawn from two contract counts, both shown). */
function gapPanel(d) {
  const c = d.conformance;
  if (c == null) {
    return section('gap', 'Design vs reality', null,
      el('p', { class: 'empty', text: 'No designed journey: load an experience with positioned MOTs, or give a happy path (option `designed`), to measure every journey against it.' }));
  }
  const idx = Object.fromEntries(d.mots.map((m, i) => [m.id, i]));
  const W = 150, H = 62, GAP = 10, PER = 6;
  const rows = Math.max(1, Math.ceil(c.designed.length / PER));
  const strip = svg('svg', { viewBox: `0 0 ${PER * (W + GAP)} ${rows * (H + GAP)}`, width: PER * (W + GAP), height: rows * (H + GAP), role: 'img', 'aria-label': 'designed journey: share of journeys that skipped each step', class: 'chart steps' });
  c.designed.forEach((id, k) => {
    const i = idx[id], m = d.mots[i], missing = m.gap.missing;
    const share = c.journeys ? missing / c.journeys : 0;
    const x = (k % PER) * (W + GAP), y = Math.floor(k / PER) * (H + GAP);
    strip.append(svg('g', { class: 'step' },
      svg('rect', { x, y, width: W, height: H, rx: 6, class: 'box' }),
      svg('g', {}, tip(m.id), svg('text', { x: x + 8, y: y + 18, class: 'label', text: fitWidth(`${k + 1}. ${label(m)}`, W - 16, 12) })),
      svg('rect', { x: x + 8, y: y + 27, width: W - 16, height: 8, class: 'track' }),
      svg('rect', { x: x + 8, y: y + 27, width: ((W - 16) * share).toFixed(1), height: 8, class: 'skip', 'data-share': String(share), 'data-step': id },
        tip(`${label(m)}: skipped ${missing} times in ${c.journeys} journeys`)),
      sfig(`mots.${i}.gap.missing`, missing, 'int', { x: x + 8, y: y + 52, class: 'value' }),
      svg('text', { x: x + W - 8, y: y + 52, 'text-anchor': 'end', class: 'sub', text: `skipped · ${show(share, 'pct')}` })));
  });
  const most = (key) => d.mots.map((m, i) => ({ m, i, n: m.gap?.[key] ?? 0 })).filter((r) => r.n > 0)
    .sort((a, b) => b.n - a.n || label(a.m).localeCompare(label(b.m))).slice(0, 5);
  const list = (key, what) => {
    const top = most(key);
    return top.length ? el('ol', { class: 'gap-list' }, top.map(({ m, i, n }) => el('li', {}, fig(`mots.${i}.gap.${key}`, n, 'int', { class: 'count' }), ` ${what} `, el('strong', { text: label(m), title: m.id }))))
      : el('p', { class: 'empty', text: 'none' });
  };
  const dv = c.deviations;
  return section('gap', 'Design vs reality',
    'Every closed journey set against the designed journey: cost = insertions and deletions that turn it into the design (n + m − 2·LCS), fitness = 1 − cost ÷ (n + m).',
    el('p', { class: 'gap-summary' }, fig('conformance.rate', c.rate, 'pct', { class: 'strong big-inline' }), ' of ',
      fig('conformance.journeys', c.journeys, 'int'), ' journeys follow the ', fig('conformance.designed_steps', c.designed_steps, 'int'), '-step design exactly (',
      fig('conformance.conforming', c.conforming, 'int'), '; 95% CI ', fig('conformance.ci_low', c.ci_low, 'pct'), '–', fig('conformance.ci_high', c.ci_high, 'pct'),
      '). Mean fitness ', fig('conformance.mean_fitness', c.mean_fitness, 'num3'), ', mean cost ', fig('conformance.mean_cost', c.mean_cost, 'num2'), '.'),
    el('p', { class: 'gap-summary' }, 'SCO rate ', fig('conformance.sco_when_conforming', c.sco_when_conforming, 'pct', { class: 'strong' }), ' when conforming, ',
      fig('conformance.sco_when_deviating', c.sco_when_deviating, 'pct', { class: 'strong' }), ' when deviating (',
      fig('conformance.lift', c.lift, 'pts'), ').'),
    el('figure', {}, strip),
    el('div', { class: 'row three' },
      el('div', {}, el('h3', { text: 'Deviations' }), el('ul', { class: 'gap-list' },
        el('li', {}, fig('conformance.deviations.missing', dv.missing, 'int', { class: 'count' }), ' steps skipped'),
        el('li', {}, fig('conformance.deviations.extra', dv.extra, 'int', { class: 'count' }), ' steps repeated (rework)'),
        el('li', {}, fig('conformance.deviations.undesigned', dv.undesigned, 'int', { class: 'count' }), ' undesigned interactions (detours)'),
        el('li', {}, fig('conformance.deviations.out_of_order', dv.out_of_order, 'int', { class: 'count' }), ' steps out of order'))),
      el('div', {}, el('h3', { text: 'Most repeated' }), list('extra', '×')),
      el('div', {}, el('h3', { text: 'Undesigned detours' }), list('undesigned', '×'))),
    el('h3', { text: `Conformance per ${d.period}` }),
    c.trend.length ? trendChart(d, { mot: 'conformance', centre: c.rate, periods: c.trend.map((p) => ({ ...p, interactions: p.journeys, successes: p.conforming })) }, null,
      { point: (j) => `conformance.trend.${j}`, centre: 'conformance.rate' })
      : el('p', { class: 'empty', text: 'No closed journeys yet.' }),
    c.trend.some((p) => p.out_of_control) ? el('ul', { class: 'flagged' }, c.trend.map((p, j) => p.out_of_control && el('li', {},
      fig(`conformance.trend.${j}.out_of_control`, p.out_of_control, 'text', { class: `badge ${p.out_of_control === 'low' ? 'bad' : 'good'}` }), ' from ',
      fig(`conformance.trend.${j}.start`, p.start, periodSeconds(d.period) < 86400 ? 'datetime' : 'date'), ': ', fig(`conformance.trend.${j}.rate`, p.rate, 'pct'),
      ' outside ', fig(`conformance.trend.${j}.lcl`, p.lcl, 'pct'), '–', fig(`conformance.trend.${j}.ucl`, p.ucl, 'pct'))).filter(Boolean)) : null);
}

/** How long journeys take, and the time between MOTs (the most frequent
 * directly-follows edges): median, 90th and 99th percentiles, mean. */
function timePanel(d) {
  const j = d.journey_duration;
  const edges = d.directly_follows.edges.map((e, i) => ({ e, i })).filter(({ e }) => e.duration).slice(0, 12);
  const names = Object.fromEntries(d.mots.map((m) => [m.id, label(m)]));
  const t = (path, v) => fig(path, v, 'dur');
  return section('time', 'The journey in time',
    'First to last interaction of each closed journey, and the time from one MOT to the next; percentiles within 1% (DDSketch), means exact.',
    j ? el('p', { class: 'gap-summary' }, 'A journey takes ', t('journey_duration.p50_s', j.p50_s), ' (median); 90% within ', t('journey_duration.p90_s', j.p90_s),
      ', 99% within ', t('journey_duration.p99_s', j.p99_s), '; mean ', t('journey_duration.mean_s', j.mean_s), ' over ', fig('journey_duration.count', j.count, 'int'), ' journeys.')
      : el('p', { class: 'empty', text: 'No closed journeys yet.' }),
    edges.length ? table('Time between MOTs', [
      { label: 'From', cell: ({ e }) => el('span', { title: e.from, text: names[e.from] ?? e.from }) },
      { label: 'To', cell: ({ e }) => el('span', { title: e.to, text: names[e.to] ?? e.to }) },
      { label: 'Times', num: true, cell: ({ e, i }) => fig(`directly_follows.edges.${i}.duration.count`, e.duration.count, 'int') },
      { label: 'Median', num: true, cell: ({ e, i }) => t(`directly_follows.edges.${i}.duration.p50_s`, e.duration.p50_s) },
      { label: '90th', num: true, cell: ({ e, i }) => t(`directly_follows.edges.${i}.duration.p90_s`, e.duration.p90_s) },
      { label: '99th', num: true, cell: ({ e, i }) => t(`directly_follows.edges.${i}.duration.p99_s`, e.duration.p99_s) },
      { label: 'Mean', num: true, cell: ({ e, i }) => t(`directly_follows.edges.${i}.duration.mean_s`, e.duration.mean_s) },
    ], edges) : null);
}

function typesPanel(d) {
  return section('types', 'Type', 'Production per interaction type (who interacts with whom).',
    table('Interaction types', [
      { label: 'Type', cell: (t, i) => [fig(`types.${i}.type`, t.type, 'text', { class: 'code' }), ' ', el('span', { class: 'muted', text: TYPES[t.type] ?? 'unknown type' })] },
      { label: 'MOTs', num: true, cell: (t, i) => fig(`types.${i}.mots`, t.mots, 'int') },
      { label: 'Interactions', num: true, cell: (t, i) => fig(`types.${i}.interactions`, t.interactions, 'int') },
      { label: 'SMOTO', num: true, cell: (t, i) => fig(`types.${i}.rate`, t.rate, 'pct', { class: 'strong' }) },
      { label: '95% CI', num: true, cell: (t, i) => ci(`types.${i}`, t) },
    ], d.types));
}

function ownersPanel(d) {
  const names = Object.fromEntries(d.mots.map((m) => [m.id, label(m)]));
  return section('owners', 'Ownership', null,
    el('p', { class: 'intro' }, fig('ownership.share_owned', d.ownership.share_owned, 'pct', { class: 'strong' }), ' of the designed MOTs have a MOT Manager. Production per manager:'),
    d.ownership.owners.length ? table('MOT Managers', [
      { label: 'MOT Manager', cell: (o, i) => [fig(`ownership.owners.${i}.name`, o.name, 'text'), ' ', fig(`ownership.owners.${i}.person`, o.person, 'text', { class: 'id' })] },
      { label: 'MOTs', cell: (o) => el('span', { class: 'muted', text: o.mots.map((m) => names[m] ?? m).join(', ') }) },
      { label: 'Interactions', num: true, cell: (o, i) => fig(`ownership.owners.${i}.interactions`, o.interactions, 'int') },
      { label: 'SMOTO', num: true, cell: (o, i) => fig(`ownership.owners.${i}.rate`, o.rate, 'pct', { class: 'strong' }) },
      { label: '95% CI', num: true, cell: (o, i) => ci(`ownership.owners.${i}`, o) },
      { label: 'Alerts', num: true, cell: (o, i) => fig(`ownership.owners.${i}.alerts`, o.alerts, 'int', { class: o.alerts ? 'bad-text' : null }) },
    ], d.ownership.owners) : el('p', { class: 'empty', text: 'No MOT Managers: load an experience that names them.' }));
}

function landscapePanel(d, ctx, currency) {
  const intro = '“MOTs are the cause of all work”: work that serves no MOT, directly or through other work, has no customer reason to exist, or a link is missing.';
  if (!ctx.doc) return section('landscape', 'Landscape: unexplained work', intro, el('p', { class: 'empty', text: 'Load an experience to see its Customer Performance Landscape.' }));
  const work = ctx.doc.landscape?.work ?? [];
  const byId = Object.fromEntries(work.map((w) => [w.id, w]));
  const c = ctx.costs;
  const money = (v) => `${show(v, 'money')}${currency ? ` ${currency}` : ''}`;
  const xfig = (path, v, fmt, attrs = {}) => el('span', { ...attrs, 'data-xfield': path, 'data-value': raw(v), 'data-format': fmt, text: show(v, fmt) });
  return section('landscape', 'Landscape: unexplained work', intro,
    ctx.unexplained == null ? el('p', { class: 'warn', text: 'This WebAssembly package does not expose Experience.unexplainedWork().' })
      : el('p', { class: 'lead' }, el('strong', { text: `${ctx.unexplained.length} of ${work.length}` }), ' work items serve no MOT.'),
    c && el('div', { class: 'costbar-wrap' },
      el('p', {}, 'Landscape cost ', xfig('costRollup.total', c.total, 'money', { class: 'strong' }), currency ? ` ${currency}` : '', ': ',
        xfig('costRollup.allocated', c.allocated, 'money'), ' rolled up to MOTs, ',
        xfig('costRollup.unexplained', c.unexplained, 'money', { class: c.unexplained > 0 ? 'bad-text strong' : 'strong' }), ' unexplained',
        c.total > 0 ? ` (${((c.unexplained / c.total) * 100).toFixed(1)}%)` : '', '.'),
      c.total > 0 && el('div', { class: 'costbar', role: 'img', 'aria-label': `${show(c.unexplained, 'money')} of ${show(c.total, 'money')} unexplained` },
        share('explained', c.allocated / c.total), share('unexplained', c.unexplained / c.total)),
      c.uncosted?.length ? el('p', { class: 'muted', text: `No cost declared: ${c.uncosted.join(', ')}.` }) : null),
    ctx.unexplained?.length ? table('Unexplained work', [
      { label: 'Work', cell: (id, k) => [byId[id]?.name ?? id, ' ', el('span', { class: 'id', 'data-xfield': `unexplainedWork.${k}`, 'data-format': 'text', text: id })] },
      { label: 'Kind', cell: (id) => byId[id]?.kind ?? DASH },
      { label: 'Owner', cell: (id) => byId[id]?.owner ?? DASH },
      { label: 'Declared cost', num: true, cell: (id) => money(byId[id]?.cost ?? null) },
    ], ctx.unexplained) : ctx.unexplained && el('p', { class: 'empty', text: 'All work is explained by an MOT.' }));
}

function share(cls, part) {
  const span = el('span', { class: cls });
  span.style.width = `${(Math.max(0, Math.min(1, part)) * 100).toFixed(2)}%`; // CSSOM: allowed by the CSP
  return span;
}

function rejectedPanel(d) {
  const all = Object.entries(d.rejected);
  const bad = all.filter(([, n]) => n > 0);
  const total = bad.reduce((s, [, n]) => s + n, 0);
  const cols = [
    { label: 'Reason', cell: ([k]) => [el('code', { text: k }), ' ', el('span', { class: 'muted', text: REASONS[k] ?? '' })] },
    { label: 'Rows', num: true, cell: ([k, n]) => fig(`rejected.${k}`, n, 'int') },
  ];
  return section('rejected', 'Rejected rows', 'Rows that could not be used are never dropped silently: each is counted under its reason.',
    el('p', { class: 'lead' }, el('strong', { text: total.toLocaleString('en-US') }), ` row${total === 1 ? '' : 's'} rejected.`),
    bad.length ? table('Rejected rows by reason', cols, bad) : el('p', { class: 'empty', text: 'Every row was used.' }),
    el('details', {}, el('summary', { text: `All ${all.length} reasons` }), table('All reasons', cols, all, { class: 'compact' })));
}

function morePanel(d, currency) {
  const names = Object.fromEntries(d.mots.map((m) => [m.id, label(m)]));
  const dims = d.mots.map((m, i) => ({ m, i })).filter(({ m }) => Object.values(m.dimensions).some((v) => v != null));
  const money = `money${currency ? ` (${currency})` : ''}`;
  const dcol = (key, name, fmt) => ({ label: name, num: true, cell: ({ m, i }) => fig(`mots.${i}.dimensions.${key}`, m.dimensions[key], fmt) });
  return [
    section('dimensions', 'Five dimensions', `Position of actual performance between risk (0) and opportunity (1); value, return and cost in ${money}; ROI = (return − total cost) ÷ total cost.`,
      dims.length ? table('Five dimensions per MOT', [
        { label: 'MOT', cell: ({ m }) => label(m) },
        dcol('opportunity', 'Opportunity', 'num2'), dcol('risk', 'Risk', 'num2'), dcol('actual', 'Actual', 'num2'), dcol('position', 'Position', 'num2'), dcol('value', 'Value', 'money'), dcol('return', 'Return', 'money'),
        dcol('cost', 'Cost', 'money'), dcol('landscape_cost', 'Landscape cost', 'money'), dcol('total_cost', 'Total cost', 'money'), dcol('roi', 'ROI', 'spct'),
      ], dims) : el('p', { class: 'empty', text: 'No dimensions: the experience declares none and the log has no costs.' })),
    costPanel(d, currency),
    el('div', { class: 'row two' }, section('variants', 'Journeys', null,
      el('p', { class: 'intro' }, fig('variants.distinct', d.variants.distinct, 'int', { class: 'strong' }), ' distinct MOT sequences; the most frequent:'),
      el('ol', { class: 'variants' }, d.variants.top.map((v, i) => el('li', {},
        fig(`variants.top.${i}.count`, v.count, 'int', { class: 'count' }), ' ', el('span', { class: 'seq', title: v.mots.join(' → '), text: v.mots.map((id) => names[id] ?? id).join(' → ') }),
        v.fitness != null ? el('span', { class: 'fit' }, ' · fitness ', fig(`variants.top.${i}.fitness`, v.fitness, 'num3'), ', cost ', fig(`variants.top.${i}.cost`, v.cost, 'int')) : null)))),
    section('producers', 'Experience Producers', 'Production per producer named in the log.',
      d.producers.length ? table('Producers', [
        { label: 'Producer', cell: (p, i) => [p.name ?? '', ' ', fig(`producers.${i}.producer`, p.producer, 'text', { class: 'id' })] },
        { label: 'Interactions', num: true, cell: (p, i) => fig(`producers.${i}.interactions`, p.interactions, 'int') },
        { label: 'SMOTO', num: true, cell: (p, i) => fig(`producers.${i}.rate`, p.rate, 'pct', { class: 'strong' }) },
        { label: '95% CI', num: true, cell: (p, i) => ci(`producers.${i}`, p) },
      ], d.producers) : el('p', { class: 'empty', text: 'The log names no producers.' })))];
}

/** The cost line of sight: what the experience costs, per SCO, the
 * landscape cost that serves no MOT, the MOTs that could go, and per MOT
 * what an interaction, a success and the failures cost. */
function costPanel(d, currency) {
  const c = d.cost;
  const rows = d.mots.map((m, i) => ({ m, i })).filter(({ m }) => m.cost != null);
  const money = currency ? ` (${currency})` : '';
  if (c == null || (c.total == null && !rows.length)) return null;
  return section('cost', 'Cost line of sight', `What the experience costs${money}: interactions and the work behind them, per successful outcome, and per MOT.`,
    el('p', { class: 'lead' }, 'Total cost ', fig('cost.total', c.total, 'amount', { class: 'strong' }), ' · cost per SCO ', fig('cost.cost_per_sco', c.cost_per_sco, 'amount', { class: 'strong' }),
      c.landscape_unexplained != null ? [' · work that serves no MOT ', fig('cost.landscape_unexplained', c.landscape_unexplained, 'amount', { class: 'strong' }),
        c.landscape_unexplained_share != null ? [' (', fig('cost.landscape_unexplained_share', c.landscape_unexplained_share, 'pct'), ' of the landscape)'] : null] : null),
    c.removal_candidates.length ? [el('h3', { text: 'MOTs that could go' }),
      el('p', { class: 'intro', text: 'They cost money, and the data cannot show that they help produce the SCO (their removal effect’s interval reaches 0).' }),
      el('ul', { class: 'gap-list' }, c.removal_candidates.map((r, k) => el('li', {}, el('strong', { text: r.name ?? r.mot, title: r.mot }),
        ` (${r.contribution ?? 'contribution not declared'}): removal effect `, fig(`cost.removal_candidates.${k}.removal_effect`, r.removal_effect, 'num3'),
        ' (95% interval 0–', fig(`cost.removal_candidates.${k}.removal_effect_ci_high`, r.removal_effect_ci_high, 'num3'), '); removing it saves ',
        fig(`cost.removal_candidates.${k}.saves`, r.saves, 'amount', { class: 'strong' }))))] : null,
    rows.length ? table('Cost per MOT', [
      { label: 'MOT', cell: ({ m }) => label(m) },
      { label: 'Total cost', num: true, cell: ({ m, i }) => fig(`mots.${i}.dimensions.total_cost`, m.dimensions.total_cost, 'amount') },
      { label: 'Per interaction', num: true, cell: ({ m, i }) => fig(`mots.${i}.cost.per_interaction`, m.cost.per_interaction, 'amount') },
      { label: 'Per success', num: true, cell: ({ m, i }) => fig(`mots.${i}.cost.per_success`, m.cost.per_success, 'amount') },
      { label: 'Cost of failures', num: true, cell: ({ m, i }) => fig(`mots.${i}.cost.of_failures`, m.cost.of_failures, 'amount') },
    ], rows) : null);
}

// ---------------------------------------------------------------- start

async function start() {
  wire();
  setBusy(true);
  try {
    mot = await import(PKG);
    await mot.default();
  } catch (e) {
    showError(Object.assign(new Error(`the WebAssembly package could not be loaded from ${PKG} (${e.message}); build mot-wasm and serve the mot-wasm folder`), { kind: 'load' }), 'the WebAssembly package');
    $('#title').textContent = 'MOT dashboard';
    setBusy(false);
    return;
  }
  current = { experience: null, events: null, outcomes: null, period: $('#period').value, preset: $('#preset').value };
  try {
    await submit(sampleInputs, 'the bundled sample');
  } catch (e) {
    showError(e, 'the bundled sample');
  }
}

start();
