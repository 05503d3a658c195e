// The layout rules the page shares with the core's HTML report
// (mot-core/src/dashboard/render/figure.rs): estimated text widths, the
// way numbers are signed, and the magic–misery map's layout (scales, ticks,
// circles and collision-free labels). The same arithmetic in the same order
// as the Rust code, so that the page and the report place the same labels
// at the same points; mot-cli/tests/browser/report.test.mjs checks that they
// agree. (The page cannot call the core's code: the WebAssembly module is
// at its size budget.) No DOM here: the module also runs in Node.

/** Advance widths of the printable ASCII characters (space to `~`) in
 * thousandths of an em: the larger of DejaVu Sans and Liberation Sans, as
 * Chromium measures them (an upper bound for the fonts the page asks for).
 * Any other character counts as one em. The core holds the same table. */
const ADVANCE = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337,
  636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 556,
  1015, 684, 686, 722, 770, 667, 611, 778, 752, 295, 500, 667, 557, 863, 748, 787,
  667, 787, 722, 667, 611, 732, 684, 989, 685, 667, 685, 390, 337, 390, 838, 556,
  500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,
  635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];

const advance = (ch) => {
  const k = ch.codePointAt(0);
  return k >= 32 && k < 127 ? ADVANCE[k - 32] : 1000;
};

/** The width of `s` in pixels at font size `size` (an upper bound). */
export function textWidth(s, size) {
  let units = 0;
  for (const ch of s) units += advance(ch);
  return (units * size) / 1000;
}

/** `s` cut to at most `max` pixels wide at `size`, the cut marked with `…`. */
export function fitWidth(s, max, size) {
  if (textWidth(s, size) <= max) return s;
  const budget = max - textWidth('…', size);
  let units = 0;
  let out = '';
  for (const ch of s) {
    const u = advance(ch);
    if (((units + u) * size) / 1000 > budget) break;
    units += u;
    out += ch;
  }
  return `${out.trimEnd()}…`;
}

/** `x` with `digits` decimals and a sign (`+0.314`, `−0.021`), and no sign
 * when it rounds to zero: never `-0.00`. */
export function sign(x, digits) {
  const t = Math.abs(x).toFixed(digits);
  return /^[0.]*$/.test(t) ? t : (x < 0 ? '−' : '+') + t;
}

/** `x` with `digits` decimals, the minus sign `−`, never a negative zero. */
export const fixed = (x, digits) => sign(x, digits).replace(/^\+/, '');

// ------------------------------------------------------------------ the map

export const MAP = { W: 600, H: 420, LEFT: 58, RIGHT: 588, TOP: 26, BOTTOM: 374 };
const PAD = 14;
const HEADROOM = 30;
const GUTTER = 64;
const FONT = 11;
const ASC = 10.5;
const DESC = 3;
const GAP = 3;
const WIDE = 150;
const SHORT = 72;
const LEVELS = [0, 10, 20, 32, 44, 60, 80];
const C45 = 0.7071067811865476;
const C22 = 0.9238795325112867;
const S22 = 0.3826834323650898;
const DIRS = [
  [1, 0], [-1, 0], [0, -1], [0, 1],
  [C45, -C45], [C45, C45], [-C45, -C45], [-C45, C45],
  [C22, -S22], [C22, S22], [-C22, -S22], [-C22, S22],
  [S22, -C22], [S22, C22], [-S22, -C22], [-S22, C22],
];
const RANK = { misery: 0, magic: 1, unaligned: 2, neutral: 3, unmeasured: 4 };
const name = (m) => m.name ?? m.id;

function candidates(cx, cy, r, w, d) {
  const rho = r + GAP + d;
  return DIRS.map(([dx, dy]) => {
    const px = cx + dx * rho;
    const py = cy + dy * rho;
    let anchor;
    let x0;
    if (dx > 0.3) [anchor, x0] = ['start', px];
    else if (dx < -0.3) [anchor, x0] = ['end', px - w];
    else [anchor, x0] = ['middle', px - w / 2];
    const y = dy > 0.3 ? py + ASC : dy < -0.3 ? py - DESC : py + 4;
    return { x: px, y, anchor, rect: { x0, y0: y - ASC, x1: x0 + w, y1: y + DESC } };
  });
}

function leaderLine(cx, cy, r, b) {
  const px = Math.min(Math.max(cx, b.x0), b.x1);
  const py = Math.min(Math.max(cy, b.y0), b.y1);
  const vx = px - cx;
  const vy = py - cy;
  const len = Math.sqrt(vx * vx + vy * vy);
  return [cx + (vx * r) / len, cy + (vy * r) / len, px, py];
}

const hits = (a, o, m) => a.x0 < o.x1 + m && o.x0 < a.x1 + m && a.y0 < o.y1 + m && o.y0 < a.y1 + m;

function segmentHits(s, b) {
  const [x0, y0] = s;
  const dx = s[2] - s[0];
  const dy = s[3] - s[1];
  let t0 = 0;
  let t1 = 1;
  for (const [p, q] of [[-dx, x0 - b.x0], [dx, b.x1 - x0], [-dy, y0 - b.y0], [dy, b.y1 - y0]]) {
    if (p === 0) {
      if (q < 0) return false;
    } else {
      const t = q / p;
      if (p < 0) {
        if (t > t1) return false;
        if (t > t0) t0 = t;
      } else {
        if (t < t0) return false;
        if (t < t1) t1 = t;
      }
    }
  }
  return true;
}

function distance2(s, px, py) {
  const dx = s[2] - s[0];
  const dy = s[3] - s[1];
  const l2 = dx * dx + dy * dy;
  const t = l2 === 0 ? 0 : Math.min(1, Math.max(0, ((px - s[0]) * dx + (py - s[1]) * dy) / l2));
  const ex = s[0] + t * dx - px;
  const ey = s[1] + t * dy - py;
  return ex * ex + ey * ey;
}

function fits(b, leader, own, plot, circles, boxes, leaders) {
  if (b.x0 < plot.x0 || b.x1 > plot.x1 || b.y0 < plot.y0 || b.y1 > plot.y1) return false;
  const gaps = circles.map(([cx, cy, r]) => {
    const dx = Math.max(Math.max(b.x0 - cx, 0), cx - b.x1);
    const dy = Math.max(Math.max(b.y0 - cy, 0), cy - b.y1);
    return Math.sqrt(dx * dx + dy * dy) - r;
  });
  if (gaps.some((g) => g < 1)) return false;
  if (leader == null) {
    const mx = (b.x0 + b.x1) / 2;
    const my = (b.y0 + b.y1) / 2;
    const d2 = ([cx, cy]) => (cx - mx) * (cx - mx) + (cy - my) * (cy - my);
    const mine = d2(circles[own]);
    if (gaps.some((g, j) => j !== own && g < gaps[own] && d2(circles[j]) < mine)) return false;
  }
  if (boxes.some((o) => hits(b, o, 1))) return false;
  if (leaders.some((s) => segmentHits(s, b))) return false;
  if (leader != null) {
    if (boxes.some((o) => segmentHits(leader, o))) return false;
    for (let j = 0; j < circles.length; j += 1) {
      const [cx, cy, r] = circles[j];
      if (j !== own && distance2(leader, cx, cy) < r * r) return false;
    }
  }
  return true;
}

/** The magic–misery map of `mots` (a dashboard's `mots`), laid out:
 * `{ gutter, xTicks: [{at, text}], yTicks, points: [{index, cx, cy, r,
 * label: {text, x, y, anchor, rect, leader} | null}], unlabelled: [index],
 * off: [index] }`. x: the lift; y: the SMOTO rate; circle radius 4 +
 * 8·√(removal effect); labels inside the plot, touching no circle, label or
 * leader line (see the core's `map_layout` for the rule). */
export function mapLayout(mots) {
  const { LEFT, RIGHT, TOP, BOTTOM } = MAP;
  const plotted = [];
  const off = [];
  mots.forEach((m, i) => (m.smoto_rate == null ? off.push(i) : plotted.push([i, m.smoto_rate])));
  const gutter = plotted.some(([i]) => mots[i].lift == null) ? GUTTER : 0;
  // x: the lift.
  let a = 0;
  let b = 0;
  for (const [i] of plotted) {
    const l = mots[i].lift;
    if (l != null) {
      a = Math.min(a, l);
      b = Math.max(b, l);
    }
  }
  const step = [0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1].find((s) => (b - a) / s <= 6) ?? 1;
  let kmin = Math.floor(a / step);
  let kmax = Math.ceil(b / step);
  if (kmin === kmax) {
    kmin -= 1;
    kmax += 1;
  }
  const xa = LEFT + gutter + PAD;
  const xb = RIGHT - PAD;
  const x = (v) => xa + ((v - kmin * step) / ((kmax - kmin) * step)) * (xb - xa);
  const xTicks = [];
  for (let k = kmin; k <= kmax; k += 1) {
    const v = k * step;
    xTicks.push({ at: x(v), text: sign(v, 2) });
  }
  if (gutter > 0) xTicks.unshift({ at: LEFT + gutter / 2, text: 'no lift' });
  // y: the SMOTO rate, in whole percent.
  const lowest = plotted.reduce((m, [, r]) => Math.min(m, r), 1);
  const lo = Math.min(Math.max(Math.floor(lowest * 20) * 5, 0), 95);
  const span = 100 - lo;
  const stepPct = span <= 10 ? 2 : span <= 25 ? 5 : span <= 50 ? 10 : 20;
  const ya = BOTTOM - PAD;
  const yb = TOP + HEADROOM;
  const y = (rate) => ya - ((rate * 100 - lo) / span) * (ya - yb);
  const yTicks = [];
  for (let p = Math.ceil(lo / stepPct) * stepPct; p <= 100; p += stepPct) {
    yTicks.push({ at: y(p / 100), text: `${p.toFixed(0)}%` });
  }
  // The points.
  const points = plotted.map(([i, rate]) => {
    const m = mots[i];
    const re = Math.min(Math.max(m.removal_effect ?? 0, 0), 1);
    return { index: i, cx: m.lift == null ? LEFT + gutter / 2 : x(m.lift), cy: y(rate), r: 4 + 8 * Math.sqrt(re), label: null };
  });
  // The labels: crowded points first, while there is room near them.
  const crowd = points.map((p) => points.filter((q) => q.index !== p.index
    && (q.cx - p.cx) * (q.cx - p.cx) + (q.cy - p.cy) * (q.cy - p.cy) < 2500).length);
  const order = points.map((_, k) => k).sort((p, q) => {
    const [u, v] = [points[p], points[q]];
    return RANK[mots[u.index].alignment] - RANK[mots[v.index].alignment]
      || crowd[q] - crowd[p] || (v.r < u.r ? -1 : v.r > u.r ? 1 : 0) || u.index - v.index;
  });
  const plot = { x0: LEFT + 2, y0: TOP + 2, x1: RIGHT - 2, y1: BOTTOM - 2 };
  const circles = points.map((p) => [p.cx, p.cy, p.r]);
  const boxes = [];
  const leaders = [];
  for (const k of order) {
    for (let stage = 0; stage < 4; stage += 1) {
      const [short, near] = [stage >= 2, stage % 2 === 0];
      if (points[k].label) break;
      const [cx, cy, r] = circles[k];
      const full = name(mots[points[k].index]);
      const text = fitWidth(full, short ? SHORT : WIDE, FONT);
      if (short && text === fitWidth(full, WIDE, FONT)) continue;
      const w = textWidth(text, FONT);
      let found = null;
      for (const d of near ? LEVELS.slice(0, 1) : LEVELS.slice(1)) {
        for (const c of candidates(cx, cy, r, w, d)) {
          const leader = d > 0 ? leaderLine(cx, cy, r, c.rect) : null;
          if (fits(c.rect, leader, k, plot, circles, boxes, leaders)) {
            found = { text, x: c.x, y: c.y, anchor: c.anchor, rect: c.rect, leader };
            break;
          }
        }
        if (found) break;
      }
      if (found) {
        boxes.push(found.rect);
        if (found.leader) leaders.push(found.leader);
        points[k].label = found;
      }
    }
  }
  const unlabelled = points.filter((p) => !p.label).map((p) => p.index).sort((p, q) => p - q);
  return { gutter, xTicks, yTicks, points, unlabelled, off };
}
