// Shared by the JS tests: the repository's fixtures and a tolerant compare.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export const cases = (family) => {
  const dir = join(ROOT, 'tests', family);
  return readdirSync(dir)
    .filter((n) => statSync(join(dir, n)).isDirectory())
    .sort()
    .map((n) => join(dir, n));
};

export const read = (dir, name) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : undefined);

/** Where two JSON values differ; numbers within 1e-12 · max(1, |a|, |b|) (the Python suite's rule). */
export function mismatch(want, got, at = '') {
  if (typeof want === 'number' && typeof got === 'number') {
    const tol = 1e-12 * Math.max(1, Math.abs(want), Math.abs(got));
    return Math.abs(want - got) <= tol ? null : `${at}: want ${want}, got ${got}`;
  }
  if (Array.isArray(want) && Array.isArray(got)) {
    if (want.length !== got.length) return `${at}: want ${want.length} items, got ${got.length}`;
    for (let i = 0; i < want.length; i++) {
      const m = mismatch(want[i], got[i], `${at}[${i}]`);
      if (m) return m;
    }
    return null;
  }
  if (want && got && typeof want === 'object' && typeof got === 'object' && !Array.isArray(want) && !Array.isArray(got)) {
    const a = Object.keys(want).sort().join(','), b = Object.keys(got).sort().join(',');
    if (a !== b) return `${at}: keys differ: ${a} vs ${b}`;
    for (const k of Object.keys(want)) {
      const m = mismatch(want[k], got[k], `${at}.${k}`);
      if (m) return m;
    }
    return null;
  }
  return want === got ? null : `${at}: want ${JSON.stringify(want)}, got ${JSON.stringify(got)}`;
}

/** A CSV file as row objects with text values (empty = null), as a front end might parse it. */
export function csvRows(text) {
  const [head, ...lines] = text.trim().split('\n');
  const keys = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [keys[i], v === '' ? null : v])));
}

/** A dashboard without what rests on the sequential detectors (a merged
 * state recomputes them per period: see `Tracker.merge` in mot-core):
 * `mots[].cusum`, alerts whose evidence is a CUSUM alarm, owners' alert counts. */
export function withoutDetectors(d) {
  return {
    ...d,
    mots: d.mots.map(({ cusum, ...m }) => m),
    alerts: d.alerts.filter((a) => a.evidence !== 'cusum'),
    ownership: { ...d.ownership, owners: d.ownership.owners.map(({ alerts, ...o }) => o) },
  };
}
