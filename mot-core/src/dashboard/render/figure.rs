//! The report's figures as SVG, and the layout rules the web page shares.
//!
//! - **Text widths** are estimated from a per-character table
//!   ([`text_width`]), so that a label can be placed, and cut, before any
//!   browser draws it.
//! - **The magic–misery map** ([`map_layout`], drawn by [`map_svg`]): each
//!   MOT at its lift (x) and SMOTO rate (y), circle area its removal
//!   effect, colour its alignment class, with ticks and values on both
//!   axes and labels that overlap no other label, no circle and no leader
//!   line, inside the plot.
//! - The SMOTO bars ([`bars_svg`]) and the p-chart sparklines with a
//!   y-scale ([`trend_svg`]), drawn like the web page's.
//!
//! The web page (`mot-wasm/www/layout.js`) computes the map's layout with
//! the same arithmetic in the same order, so that both show the same
//! labels at the same places; `mot-cli/tests/browser/report.test.mjs`
//! checks that they agree, point by point. (The page cannot call this
//! code through the WebAssembly module: the module is at its size budget.)

use std::fmt::Write as _;

use super::super::{MotFigures, OutOfControl, Trend};
use super::{count, esc, pct};
use crate::Alignment;

/// Advance widths of the printable ASCII characters (space to `~`), in
/// thousandths of an em: the larger of DejaVu Sans (the `system-ui` and
/// `sans-serif` of most Linux desktops) and Liberation Sans (Arial's
/// metrics), as Chromium measures them. San Francisco, Segoe UI and Roboto
/// are narrower, so a width from this table is an upper bound for the
/// fonts the report and the page ask for. Any other character counts as
/// one em (`…`, `→` and the minus sign `−` are narrower than that).
/// `mot-wasm/www/layout.js` holds the same table.
const ADVANCE: [u16; 95] = [
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318,
    337, // ' ' to '/'
    636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838,
    556, // '0' to '?'
    1015, 684, 686, 722, 770, 667, 611, 778, 752, 295, 500, 667, 557, 863, 748,
    787, // '@' to 'O'
    667, 787, 722, 667, 611, 732, 684, 989, 685, 667, 685, 390, 337, 390, 838,
    556, // 'P' to '_'
    500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634,
    612, // '`' to 'o'
    635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838, // 'p' to '~'
];

fn advance(c: char) -> u32 {
    let k = c as u32;
    if (32..127).contains(&k) {
        u32::from(ADVANCE[(k - 32) as usize])
    } else {
        1000
    }
}

/// The width of `s` in pixels at font size `size` (an upper bound, see
/// [`ADVANCE`]).
pub(crate) fn text_width(s: &str, size: f64) -> f64 {
    let units: u32 = s.chars().map(advance).sum();
    f64::from(units) * size / 1000.0
}

/// `s` cut to at most `max` pixels wide at `size`, the cut marked with `…`.
pub(crate) fn fit_width(s: &str, max: f64, size: f64) -> String {
    if text_width(s, size) <= max {
        return s.to_string();
    }
    let budget = max - text_width("…", size);
    let mut units = 0u32;
    let mut out = String::new();
    for c in s.chars() {
        let u = advance(c);
        if f64::from(units + u) * size / 1000.0 > budget {
            break;
        }
        units += u;
        out.push(c);
    }
    let mut t = out.trim_end().to_string();
    t.push('…');
    t
}

/// `x` with `digits` decimals and a sign (`+0.314`, `−0.021`), and no sign
/// when it rounds to zero (`0.000`, never `-0.000`): the web page's rule.
pub(crate) fn signed(x: f64, digits: usize) -> String {
    let t = format!("{:.digits$}", x.abs());
    if t.bytes().all(|b| b == b'0' || b == b'.') {
        t
    } else if x < 0.0 {
        format!("−{t}")
    } else {
        format!("+{t}")
    }
}

/// `x` with `digits` decimals, the minus sign `−`, never a negative zero.
pub(crate) fn fixed(x: f64, digits: usize) -> String {
    let t = signed(x, digits);
    t.strip_prefix('+').map_or(t.clone(), str::to_string)
}

/// `+0.02 pts`: a change of a rate, in percentage points.
pub(crate) fn pts(x: Option<f64>) -> String {
    x.map_or_else(|| "–".into(), |x| format!("{} pts", signed(x * 100.0, 2)))
}

/// The colour of an alignment class (the web page's).
pub(crate) fn class_colour(a: Alignment) -> &'static str {
    match a {
        Alignment::Magic => "#2e7d32",
        Alignment::Misery => "#c62828",
        Alignment::Neutral => "#607d8b",
        Alignment::Unaligned => "#7d7d7d",
        Alignment::Unmeasured => "#b0bec5",
    }
}

/// An MOT's name, or its id.
pub(crate) fn label(m: &MotFigures) -> &str {
    m.name.as_deref().unwrap_or(&m.id)
}

// ------------------------------------------------------------------ the map

/// The map's size and margins (viewBox units).
pub(crate) const MAP_W: f64 = 600.0;
const MAP_H: f64 = 420.0;
const LEFT: f64 = 58.0;
const RIGHT: f64 = MAP_W - 12.0;
const TOP: f64 = 26.0;
const BOTTOM: f64 = MAP_H - 46.0;
/// Inner padding of the plot, so that the largest circle stays inside.
const PAD: f64 = 14.0;
/// Room above the 100% line, for the labels of the MOTs that reach it.
const HEADROOM: f64 = 30.0;
/// The strip at the left for MOTs with a rate but no lift.
const GUTTER: f64 = 64.0;
/// Labels: font size, the box above and below the baseline, the gap to
/// their circle, the widest full label and the widest short one.
const FONT: f64 = 11.0;
const ASC: f64 = 10.5;
const DESC: f64 = 3.0;
const GAP: f64 = 3.0;
const WIDE: f64 = 150.0;
const SHORT: f64 = 72.0;
/// How much further out than beside its circle a label may go (with a
/// leader line beyond the first).
const LEVELS: [f64; 7] = [0.0, 10.0, 20.0, 32.0, 44.0, 60.0, 80.0];

/// A box: left, top, right, bottom.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    fn hits(&self, o: &Rect, margin: f64) -> bool {
        self.x0 < o.x1 + margin
            && o.x0 < self.x1 + margin
            && self.y0 < o.y1 + margin
            && o.y0 < self.y1 + margin
    }
}

/// A tick: where, and its text.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Tick {
    pub at: f64,
    pub text: String,
}

/// A placed label.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Label {
    pub text: String,
    pub x: f64,
    pub y: f64,
    /// `start`, `middle` or `end`.
    pub anchor: &'static str,
    pub rect: Rect,
    /// From the circle's edge to the label, when the label is not beside it.
    pub leader: Option<[f64; 4]>,
}

/// One MOT on the map.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Point {
    /// Its index in `mots`.
    pub index: usize,
    pub cx: f64,
    pub cy: f64,
    pub r: f64,
    pub label: Option<Label>,
}

/// The map, laid out.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct MapLayout {
    /// The width of the `no lift` strip (0 without one).
    pub gutter: f64,
    pub x_ticks: Vec<Tick>,
    pub y_ticks: Vec<Tick>,
    /// In the order of `mots`.
    pub points: Vec<Point>,
    /// MOTs on the map whose label found no room (indices, in order).
    pub unlabelled: Vec<usize>,
    /// MOTs not on the map: no SMOTO rate (indices, in order).
    pub off: Vec<usize>,
}

/// The order labels are placed in: misery first, then magic, unaligned,
/// neutral, unmeasured; within a class the most crowded first (most other
/// centres within 50 px), then larger circles, then the order of `mots`.
fn rank(a: Alignment) -> u8 {
    match a {
        Alignment::Misery => 0,
        Alignment::Magic => 1,
        Alignment::Unaligned => 2,
        Alignment::Neutral => 3,
        Alignment::Unmeasured => 4,
    }
}

/// Lays the map out. Deterministic: the same MOTs give the same layout,
/// and `mot-wasm/www/layout.js` gives the same one (same arithmetic, same
/// order).
///
/// - y: the SMOTO rate, from the lowest rate rounded down to 5% (at most
///   95%) to 100% (with room above it for labels); ticks every 2, 5, 10 or
///   20 points.
/// - x: the lift, over the smallest range of a step (0.01, 0.02, 0.05, 0.1,
///   0.2, 0.25, 0.5 or 1) holding 0 and every lift in at most six steps;
///   MOTs with a rate but no lift sit in a `no lift` strip at the left.
/// - circle radius 4 + 8·√(removal effect).
/// - labels, in [`rank`] order, at the first of sixteen places around the
///   circle ([`DIRS`]: right, left, above, below, ...) that stays in the
///   plot and touches no circle, label or leader line: the name cut to
///   150 px beside the circle, then further out with a leader line
///   ([`LEVELS`]); then the name cut to 72 px, beside, then further out;
///   else the MOT is left unlabelled (the caption names it, its circle's
///   tooltip too).
pub(crate) fn map_layout(mots: &[MotFigures]) -> MapLayout {
    let plotted: Vec<(usize, f64)> = mots
        .iter()
        .enumerate()
        .filter_map(|(i, m)| m.smoto_rate.map(|r| (i, r)))
        .collect();
    let off: Vec<usize> = mots
        .iter()
        .enumerate()
        .filter(|(_, m)| m.smoto_rate.is_none())
        .map(|(i, _)| i)
        .collect();
    let gutter = if plotted.iter().any(|&(i, _)| mots[i].lift.is_none()) {
        GUTTER
    } else {
        0.0
    };
    // x: the lift.
    let mut a = 0.0f64;
    let mut b = 0.0f64;
    for &(i, _) in &plotted {
        if let Some(l) = mots[i].lift {
            a = a.min(l);
            b = b.max(l);
        }
    }
    let steps = [0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0];
    let step = steps
        .iter()
        .copied()
        .find(|s| (b - a) / s <= 6.0)
        .unwrap_or(1.0);
    let mut kmin = (a / step).floor();
    let mut kmax = (b / step).ceil();
    if kmin == kmax {
        kmin -= 1.0;
        kmax += 1.0;
    }
    let xa = LEFT + gutter + PAD;
    let xb = RIGHT - PAD;
    let x = |v: f64| xa + (v - kmin * step) / ((kmax - kmin) * step) * (xb - xa);
    let mut x_ticks = Vec::new();
    let mut k = kmin;
    while k <= kmax {
        let v = k * step;
        x_ticks.push(Tick {
            at: x(v),
            text: signed(v, 2),
        });
        k += 1.0;
    }
    if gutter > 0.0 {
        x_ticks.insert(
            0,
            Tick {
                at: LEFT + gutter / 2.0,
                text: "no lift".into(),
            },
        );
    }
    // y: the SMOTO rate, in whole percent.
    let lowest = plotted.iter().fold(1.0f64, |m, &(_, r)| m.min(r));
    let lo = ((lowest * 20.0).floor() * 5.0).clamp(0.0, 95.0);
    let span = 100.0 - lo;
    let step_pct = if span <= 10.0 {
        2.0
    } else if span <= 25.0 {
        5.0
    } else if span <= 50.0 {
        10.0
    } else {
        20.0
    };
    let ya = BOTTOM - PAD;
    let yb = TOP + HEADROOM;
    let y = |rate: f64| ya - (rate * 100.0 - lo) / span * (ya - yb);
    let mut y_ticks = Vec::new();
    let mut p = (lo / step_pct).ceil() * step_pct;
    while p <= 100.0 {
        y_ticks.push(Tick {
            at: y(p / 100.0),
            text: format!("{p:.0}%"),
        });
        p += step_pct;
    }
    // The points.
    let mut points: Vec<Point> = plotted
        .iter()
        .map(|&(i, rate)| {
            let m = &mots[i];
            let cx = m.lift.map_or(LEFT + gutter / 2.0, x);
            let re = m.removal_effect.unwrap_or(0.0).clamp(0.0, 1.0);
            Point {
                index: i,
                cx,
                cy: y(rate),
                r: 4.0 + 8.0 * re.sqrt(),
                label: None,
            }
        })
        .collect();
    // The labels.
    // Crowded points first (other centres within 50 px), while there is
    // still room near them.
    let crowd: Vec<usize> = points
        .iter()
        .map(|p| {
            points
                .iter()
                .filter(|q| {
                    q.index != p.index
                        && (q.cx - p.cx) * (q.cx - p.cx) + (q.cy - p.cy) * (q.cy - p.cy) < 2_500.0
                })
                .count()
        })
        .collect();
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by(|&p, &q| {
        let (a, b) = (&points[p], &points[q]);
        rank(mots[a.index].alignment)
            .cmp(&rank(mots[b.index].alignment))
            .then(crowd[q].cmp(&crowd[p]))
            .then(b.r.total_cmp(&a.r))
            .then(a.index.cmp(&b.index))
    });
    let plot = Rect {
        x0: LEFT + 2.0,
        y0: TOP + 2.0,
        x1: RIGHT - 2.0,
        y1: BOTTOM - 2.0,
    };
    let circles: Vec<(f64, f64, f64)> = points.iter().map(|p| (p.cx, p.cy, p.r)).collect();
    let mut boxes: Vec<Rect> = Vec::new();
    let mut leaders: Vec<[f64; 4]> = Vec::new();
    // Each MOT in turn, in four stages, so that no name is cut while it
    // could be shown whole: beside, full name; further out, full; beside,
    // short name; further out, short.
    for &k in &order {
        for stage in 0..4 {
            let (short, near) = (stage >= 2, stage % 2 == 0);
            if points[k].label.is_some() {
                break;
            }
            let (cx, cy, r) = circles[k];
            let name = label(&mots[points[k].index]);
            let text = fit_width(name, if short { SHORT } else { WIDE }, FONT);
            if short && text == fit_width(name, WIDE, FONT) {
                continue;
            }
            let w = text_width(&text, FONT);
            let levels = if near { &LEVELS[..1] } else { &LEVELS[1..] };
            let found = levels.iter().find_map(|&d| {
                candidates(cx, cy, r, w, d).find_map(|c| {
                    let leader = (d > 0.0).then(|| leader_line(cx, cy, r, &c.rect));
                    fits(&c.rect, leader, k, &plot, &circles, &boxes, &leaders).then(|| Label {
                        text: text.clone(),
                        x: c.x,
                        y: c.y,
                        anchor: c.anchor,
                        rect: c.rect,
                        leader,
                    })
                })
            });
            if let Some(l) = found {
                boxes.push(l.rect);
                if let Some(s) = l.leader {
                    leaders.push(s);
                }
                points[k].label = Some(l);
            }
        }
    }
    let mut unlabelled: Vec<usize> = points
        .iter()
        .filter(|p| p.label.is_none())
        .map(|p| p.index)
        .collect();
    unlabelled.sort_unstable();
    MapLayout {
        gutter,
        x_ticks,
        y_ticks,
        points,
        unlabelled,
        off,
    }
}

struct Candidate {
    x: f64,
    y: f64,
    anchor: &'static str,
    rect: Rect,
}

/// The directions tried around a circle (x right, y down): right, left,
/// above, below, the four corners, then the eight between them. Written
/// out (not computed with `cos`) so that the page's copy is the same to the
/// last bit (`H` is 1/√2, 0.7071067811865476).
const H: f64 = std::f64::consts::FRAC_1_SQRT_2;
const DIRS: [(f64, f64); 16] = [
    (1.0, 0.0),
    (-1.0, 0.0),
    (0.0, -1.0),
    (0.0, 1.0),
    (H, -H),
    (H, H),
    (-H, -H),
    (-H, H),
    (0.923_879_532_511_286_7, -0.382_683_432_365_089_8),
    (0.923_879_532_511_286_7, 0.382_683_432_365_089_8),
    (-0.923_879_532_511_286_7, -0.382_683_432_365_089_8),
    (-0.923_879_532_511_286_7, 0.382_683_432_365_089_8),
    (0.382_683_432_365_089_8, -0.923_879_532_511_286_7),
    (0.382_683_432_365_089_8, 0.923_879_532_511_286_7),
    (-0.382_683_432_365_089_8, -0.923_879_532_511_286_7),
    (-0.382_683_432_365_089_8, 0.923_879_532_511_286_7),
];

/// The places tried for a label `w` wide, `d` further out than beside the
/// circle: in each of [`DIRS`], the label's box touches the point at
/// distance r + 3 + d from the centre with its nearest corner or side.
fn candidates(cx: f64, cy: f64, r: f64, w: f64, d: f64) -> impl Iterator<Item = Candidate> {
    let rho = r + GAP + d;
    DIRS.iter().map(move |&(dx, dy)| {
        let (px, py) = (cx + dx * rho, cy + dy * rho);
        let (anchor, x0) = if dx > 0.3 {
            ("start", px)
        } else if dx < -0.3 {
            ("end", px - w)
        } else {
            ("middle", px - w / 2.0)
        };
        let y = if dy > 0.3 {
            py + ASC
        } else if dy < -0.3 {
            py - DESC
        } else {
            py + 4.0
        };
        Candidate {
            x: px,
            y,
            anchor,
            rect: Rect {
                x0,
                y0: y - ASC,
                x1: x0 + w,
                y1: y + DESC,
            },
        }
    })
}

/// From the circle's edge to the nearest point of the label's box.
fn leader_line(cx: f64, cy: f64, r: f64, b: &Rect) -> [f64; 4] {
    let px = cx.clamp(b.x0, b.x1);
    let py = cy.clamp(b.y0, b.y1);
    let (vx, vy) = (px - cx, py - cy);
    let len = (vx * vx + vy * vy).sqrt();
    [cx + vx * r / len, cy + vy * r / len, px, py]
}

/// Whether a label box (and its leader) stays in the plot and touches no
/// circle, no placed label and no placed leader; the leader crosses no
/// placed label and no other circle; a label without a leader is nearer
/// its own circle than any other.
fn fits(
    b: &Rect,
    leader: Option<[f64; 4]>,
    own: usize,
    plot: &Rect,
    circles: &[(f64, f64, f64)],
    boxes: &[Rect],
    leaders: &[[f64; 4]],
) -> bool {
    if b.x0 < plot.x0 || b.x1 > plot.x1 || b.y0 < plot.y0 || b.y1 > plot.y1 {
        return false;
    }
    // The gap from each circle to the box; without a leader line, no other
    // circle may be both nearer the box and nearer its middle than its own,
    // so that the label reads as its own circle's.
    let gaps: Vec<f64> = circles
        .iter()
        .map(|&(cx, cy, r)| {
            let dx = (b.x0 - cx).max(0.0).max(cx - b.x1);
            let dy = (b.y0 - cy).max(0.0).max(cy - b.y1);
            (dx * dx + dy * dy).sqrt() - r
        })
        .collect();
    if gaps.iter().any(|&g| g < 1.0) {
        return false;
    }
    if leader.is_none() {
        let (mx, my) = ((b.x0 + b.x1) / 2.0, (b.y0 + b.y1) / 2.0);
        let d2 = |(cx, cy, _): (f64, f64, f64)| (cx - mx) * (cx - mx) + (cy - my) * (cy - my);
        let mine = d2(circles[own]);
        if gaps
            .iter()
            .enumerate()
            .any(|(j, &g)| j != own && g < gaps[own] && d2(circles[j]) < mine)
        {
            return false;
        }
    }
    if boxes.iter().any(|o| b.hits(o, 1.0)) {
        return false;
    }
    if leaders.iter().any(|s| segment_hits(s, b)) {
        return false;
    }
    if let Some(s) = leader {
        if boxes.iter().any(|o| segment_hits(&s, o)) {
            return false;
        }
        for (j, &(cx, cy, r)) in circles.iter().enumerate() {
            if j != own && distance2(&s, cx, cy) < r * r {
                return false;
            }
        }
    }
    true
}

/// Whether segment `s` crosses box `b` (Liang–Barsky).
fn segment_hits(s: &[f64; 4], b: &Rect) -> bool {
    let (x0, y0) = (s[0], s[1]);
    let (dx, dy) = (s[2] - s[0], s[3] - s[1]);
    let mut t0 = 0.0f64;
    let mut t1 = 1.0f64;
    for (p, q) in [
        (-dx, x0 - b.x0),
        (dx, b.x1 - x0),
        (-dy, y0 - b.y0),
        (dy, b.y1 - y0),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                if t > t1 {
                    return false;
                }
                if t > t0 {
                    t0 = t;
                }
            } else {
                if t < t0 {
                    return false;
                }
                if t < t1 {
                    t1 = t;
                }
            }
        }
    }
    true
}

/// The squared distance from (px, py) to segment `s`.
fn distance2(s: &[f64; 4], px: f64, py: f64) -> f64 {
    let (dx, dy) = (s[2] - s[0], s[3] - s[1]);
    let l2 = dx * dx + dy * dy;
    let t = if l2 == 0.0 {
        0.0
    } else {
        (((px - s[0]) * dx + (py - s[1]) * dy) / l2).clamp(0.0, 1.0)
    };
    let (ex, ey) = (s[0] + t * dx - px, s[1] + t * dy - py);
    ex * ex + ey * ey
}

/// A coordinate as written in the SVG (two decimals at most).
fn c(v: f64) -> String {
    let t = format!("{v:.2}");
    let t = t.trim_end_matches('0').trim_end_matches('.');
    if t == "-0" { "0".into() } else { t.into() }
}

/// The magic–misery map as one SVG element, with its caption.
pub(crate) fn map_svg(mots: &[MotFigures]) -> String {
    let l = map_layout(mots);
    let mut s = String::with_capacity(8 * 1024);
    let _ = write!(
        s,
        "<svg class=\"fig map\" viewBox=\"0 0 {MAP_W} {MAP_H}\" width=\"{MAP_W}\" height=\"{MAP_H}\" role=\"img\" aria-label=\"Magic–misery map: each MOT at its lift and SMOTO rate\">"
    );
    let _ = write!(
        s,
        "<rect x=\"{LEFT}\" y=\"{TOP}\" width=\"{}\" height=\"{}\" fill=\"#fbfcfd\" stroke=\"#dde2e8\"/>",
        RIGHT - LEFT,
        BOTTOM - TOP
    );
    if l.gutter > 0.0 {
        let _ = write!(
            s,
            "<rect x=\"{LEFT}\" y=\"{TOP}\" width=\"{}\" height=\"{}\" fill=\"#eef1f4\"/>",
            l.gutter,
            BOTTOM - TOP
        );
    }
    for t in &l.y_ticks {
        let _ = write!(
            s,
            "<line x1=\"{LEFT}\" x2=\"{RIGHT}\" y1=\"{0}\" y2=\"{0}\" stroke=\"#e6e9ed\"/><text class=\"tick\" x=\"{1}\" y=\"{2}\" text-anchor=\"end\">{3}</text>",
            c(t.at),
            LEFT - 6.0,
            c(t.at + 4.0),
            esc(&t.text)
        );
    }
    for t in &l.x_ticks {
        let zero = t.text == "0.00";
        if t.text != "no lift" {
            let _ = write!(
                s,
                "<line x1=\"{0}\" x2=\"{0}\" y1=\"{TOP}\" y2=\"{BOTTOM}\" stroke=\"{1}\"{2}/>",
                c(t.at),
                if zero { "#8a94a0" } else { "#e6e9ed" },
                if zero {
                    " stroke-dasharray=\"4 3\""
                } else {
                    ""
                }
            );
        }
        let _ = write!(
            s,
            "<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            c(t.at),
            BOTTOM + 16.0,
            esc(&t.text)
        );
    }
    let _ = write!(
        s,
        "<text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">Lift: P(SCO | MOT never failed) − P(SCO | it failed)</text>",
        (LEFT + l.gutter + RIGHT) / 2.0,
        MAP_H - 8.0
    );
    let mid = (TOP + BOTTOM) / 2.0;
    let _ = write!(
        s,
        "<text class=\"axis\" x=\"16\" y=\"{mid}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {mid})\">SMOTO rate</text>"
    );
    let _ = write!(
        s,
        "<text class=\"hint\" x=\"{}\" y=\"16\">← no help, or harm</text><text class=\"hint\" x=\"{RIGHT}\" y=\"16\" text-anchor=\"end\">success here helps the SCO →</text>",
        LEFT + l.gutter
    );
    for p in &l.points {
        let m = &mots[p.index];
        let _ = write!(
            s,
            "<circle class=\"pt c-{}\" data-mot=\"{}\" data-field=\"mots.{}.lift\" data-value=\"{}\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\" fill-opacity=\"0.7\" stroke=\"#fff\"><title>{} ({}): {}; SMOTO {}; lift {}; removal effect {}</title></circle>",
            m.alignment.as_str(),
            esc(&m.id),
            p.index,
            m.lift.map_or_else(|| "null".into(), |v| v.to_string()),
            c(p.cx),
            c(p.cy),
            c(p.r),
            class_colour(m.alignment),
            esc(label(m)),
            esc(&m.id),
            m.alignment.as_str(),
            pct(m.smoto_rate),
            m.lift.map_or_else(|| "–".into(), |v| signed(v, 3)),
            m.removal_effect.map_or_else(|| "–".into(), |v| fixed(v, 3))
        );
    }
    for p in &l.points {
        if let Some(Label {
            leader: Some(t), ..
        }) = &p.label
        {
            let _ = write!(
                s,
                "<line class=\"leader\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#8a94a0\"/>",
                c(t[0]),
                c(t[1]),
                c(t[2]),
                c(t[3])
            );
        }
    }
    for p in &l.points {
        if let Some(lb) = &p.label {
            let _ = write!(
                s,
                "<text class=\"lbl\" data-mot=\"{}\" x=\"{}\" y=\"{}\" text-anchor=\"{}\">{}</text>",
                esc(&mots[p.index].id),
                c(lb.x),
                c(lb.y),
                lb.anchor,
                esc(&lb.text)
            );
        }
    }
    s.push_str("</svg>");
    s
}

/// The names of the MOTs at `indices`, joined.
pub(crate) fn names(mots: &[MotFigures], indices: &[usize]) -> String {
    indices
        .iter()
        .map(|&i| esc(label(&mots[i])))
        .collect::<Vec<_>>()
        .join(", ")
}

// ------------------------------------------------------------------ the bars

/// The bars' plot: left edge and width (a rate r is `BAR_L + BAR_P·r`).
const BAR_L: f64 = 200.0;
const BAR_P: f64 = 300.0;

/// SMOTO rate per MOT: bars coloured by class, Wilson whiskers, the target.
pub(crate) fn bars_svg(mots: &[MotFigures]) -> String {
    let (w, row, top) = (640.0, 24.0, 22.0);
    let h = top + row * mots.len() as f64 + 26.0;
    let x = |v: f64| BAR_L + BAR_P * v;
    let mut s = format!(
        "<svg class=\"fig bars\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"SMOTO rate per MOT with 95% intervals\">"
    );
    for k in (0..=10).step_by(2) {
        let v = f64::from(k) / 10.0;
        let _ = write!(
            s,
            "<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#e6e9ed\"/><text class=\"tick\" x=\"{0}\" y=\"{3}\" text-anchor=\"middle\">{4}%</text>",
            c(x(v)),
            top - 4.0,
            h - 22.0,
            h - 8.0,
            k * 10
        );
    }
    let _ = write!(
        s,
        "<text class=\"head\" x=\"{}\" y=\"12\">SMOTO</text><text class=\"head\" x=\"{}\" y=\"12\" text-anchor=\"end\">n</text>",
        BAR_L + BAR_P + 12.0,
        w - 6.0
    );
    for (i, m) in mots.iter().enumerate() {
        let y = top + row * i as f64;
        let mid = y + row / 2.0;
        let prefix = if m.parent.is_some() { "↳ " } else { "" };
        let name = fit_width(&format!("{prefix}{}", label(m)), BAR_L - 14.0, 12.0);
        let _ = write!(
            s,
            "<text class=\"name\" x=\"{}\" y=\"{}\" text-anchor=\"end\"><title>{}</title>{}</text>",
            BAR_L - 8.0,
            mid + 4.0,
            esc(&m.id),
            esc(&name)
        );
        match m.smoto_rate {
            None => {
                let _ = write!(
                    s,
                    "<text class=\"none\" x=\"{}\" y=\"{}\">no success flag</text>",
                    BAR_L + 6.0,
                    mid + 4.0
                );
            }
            Some(r) => {
                let _ = write!(
                    s,
                    "<rect data-field=\"mots.{i}.smoto_rate\" data-value=\"{r}\" x=\"{BAR_L}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"2\" fill=\"{}\" fill-opacity=\"0.8\"><title>{}: SMOTO {}, 95% CI {}–{}, target {}, {}</title></rect>",
                    y + 5.0,
                    c(BAR_P * r),
                    row - 10.0,
                    class_colour(m.alignment),
                    esc(label(m)),
                    pct(Some(r)),
                    pct(m.ci_low),
                    pct(m.ci_high),
                    pct(m.target),
                    m.alignment.as_str()
                );
                if let (Some(lo), Some(hi)) = (m.ci_low, m.ci_high) {
                    let (a, b) = (c(x(lo)), c(x(hi)));
                    let _ = write!(
                        s,
                        "<path d=\"M{a} {mid}H{b}M{a} {}V{}M{b} {}V{}\" stroke=\"#1d2430\" fill=\"none\"/>",
                        mid - 5.0,
                        mid + 5.0,
                        mid - 5.0,
                        mid + 5.0
                    );
                }
                let _ = write!(
                    s,
                    "<text class=\"value\" x=\"{}\" y=\"{}\">{}</text>",
                    BAR_L + BAR_P + 12.0,
                    mid + 4.0,
                    pct(Some(r))
                );
            }
        }
        if let Some(t) = m.target {
            let _ = write!(
                s,
                "<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#b26a00\" stroke-width=\"2.5\"><title>target {3}</title></line>",
                c(x(t)),
                y + 2.0,
                y + row - 2.0,
                pct(Some(t))
            );
        }
        let _ = write!(
            s,
            "<text class=\"n\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            w - 6.0,
            mid + 4.0,
            count(m.interactions)
        );
    }
    s.push_str("</svg>");
    s
}

// ------------------------------------------------------------------ trends

/// One p-chart sparkline: the rate per period (line), the control limits
/// (band), the centre (dashed), the target (amber); a y-scale at the lowest
/// value rounded down to 10%, halfway, and 100%; first and last period.
pub(crate) fn trend_svg(t: &Trend, target: Option<f64>, width: i64, label: &str) -> String {
    let (w, h, l, r, top, b) = (292.0, 138.0, 38.0, 10.0, 10.0, 24.0);
    let ps = &t.periods;
    let (Some(first), Some(last)) = (ps.first(), ps.last()) else {
        return String::new();
    };
    let (first, end) = (first.start, last.start + width);
    let x = |s: i64| l + (s - first) as f64 / (end - first) as f64 * (w - l - r);
    let floor = ps
        .iter()
        .map(|p| p.lcl.min(p.rate))
        .fold(target.unwrap_or(1.0), f64::min);
    let lo = ((floor * 10.0).floor() / 10.0).clamp(0.0, 0.9);
    let y = |v: f64| top + (1.0 - (v - lo) / (1.0 - lo)) * (h - top - b);
    let date = |s: i64| {
        if width < 86_400 {
            let t = crate::input::time::format_utc(
                s.saturating_mul(1_000_000_000),
                crate::input::time::Precision::Seconds,
            );
            t.get(..16).unwrap_or(&t).replace('T', " ")
        } else {
            super::utc_date(s)
        }
    };
    let mut s = format!(
        "<svg class=\"fig trend\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"{}: rate per period with control limits\">",
        esc(label)
    );
    for v in [lo, (lo + 1.0) / 2.0, 1.0] {
        let _ = write!(
            s,
            "<line x1=\"{l}\" x2=\"{0}\" y1=\"{1}\" y2=\"{1}\" stroke=\"#e6e9ed\"/><text class=\"tick\" x=\"{2}\" y=\"{3}\" text-anchor=\"end\">{4:.0}%</text>",
            w - r,
            c(y(v)),
            l - 4.0,
            c(y(v) + 4.0),
            v * 100.0
        );
    }
    for p in ps {
        let (a, e) = (x(p.start), x(p.start + width));
        let _ = write!(
            s,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#dbe9f7\"/>",
            c(a),
            c(y(p.ucl)),
            c((e - a).max(1.0)),
            c((y(p.lcl) - y(p.ucl)).max(0.5))
        );
    }
    if let Some(cl) = t.centre {
        let _ = write!(
            s,
            "<line x1=\"{l}\" x2=\"{}\" y1=\"{1}\" y2=\"{1}\" stroke=\"#6b7785\" stroke-dasharray=\"3 3\"/>",
            w - r,
            c(y(cl))
        );
    }
    if let Some(tg) = target {
        let _ = write!(
            s,
            "<line x1=\"{l}\" x2=\"{}\" y1=\"{1}\" y2=\"{1}\" stroke=\"#b26a00\" stroke-width=\"1.5\"><title>target {2}</title></line>",
            w - r,
            c(y(tg)),
            pct(Some(tg))
        );
    }
    let mid = |p: &super::super::TrendPoint| x(p.start) + (x(p.start + width) - x(p.start)) / 2.0;
    let line: Vec<String> = ps
        .iter()
        .map(|p| format!("{},{}", c(mid(p)), c(y(p.rate))))
        .collect();
    let _ = write!(
        s,
        "<polyline points=\"{}\" fill=\"none\" stroke=\"#1d2430\" stroke-width=\"1.4\"/>",
        line.join(" ")
    );
    for p in ps {
        if let Some(o) = p.out_of_control {
            let colour = match o {
                OutOfControl::Low => "#c62828",
                OutOfControl::High => "#2e7d32",
            };
            let _ = write!(
                s,
                "<circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"{colour}\" stroke=\"#fff\"><title>{}: {} ({}/{}) outside {}–{}</title></circle>",
                c(mid(p)),
                c(y(p.rate)),
                date(p.start),
                pct(Some(p.rate)),
                count(p.successes),
                count(p.interactions),
                pct(Some(p.lcl)),
                pct(Some(p.ucl))
            );
        }
    }
    let _ = write!(
        s,
        "<text class=\"tick\" x=\"{l}\" y=\"{0}\">{1}</text><text class=\"tick\" x=\"{2}\" y=\"{0}\" text-anchor=\"end\">{3}</text></svg>",
        h - 6.0,
        date(first),
        w - r,
        date(last.start)
    );
    s
}

#[cfg(test)]
mod tests {
    use super::super::tests::demo;
    use super::*;

    #[test]
    fn widths_and_cuts() {
        assert_eq!(text_width("", 11.0), 0.0);
        // "Mi" = (863 + 278) / 1000 em.
        assert!((text_width("Mi", 10.0) - 11.41).abs() < 1e-9);
        assert_eq!(text_width("é", 10.0), 10.0);
        assert_eq!(fit_width("Bag drop", 100.0, 11.0), "Bag drop");
        let cut = fit_width("Booking confirmation e-mail", 80.0, 11.0);
        assert!(
            cut.ends_with('…') && text_width(&cut, 11.0) <= 80.0,
            "{cut}"
        );
        assert!(!cut.contains(" …"));
    }

    #[test]
    fn numbers_never_show_a_negative_zero() {
        assert_eq!(signed(-0.0001, 2), "0.00");
        assert_eq!(signed(-0.0, 3), "0.000");
        assert_eq!(signed(-0.021, 3), "−0.021");
        assert_eq!(signed(0.3141, 3), "+0.314");
        assert_eq!(fixed(-0.0004, 3), "0.000");
        assert_eq!(fixed(-0.5, 1), "−0.5");
        assert_eq!(fixed(0.25, 2), "0.25");
        assert_eq!(pts(Some(-0.00001)), "0.00 pts");
        assert_eq!(pts(Some(-0.0011)), "−0.11 pts");
        assert_eq!(c(-0.001), "0");
        assert_eq!(c(12.5), "12.5");
        assert_eq!(c(3.0), "3");
    }

    fn overlap(a: &Rect, b: &Rect) -> bool {
        a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1
    }

    /// Every label inside the plot, off every circle, off every other label.
    fn check(mots: &[MotFigures]) -> MapLayout {
        let l = map_layout(mots);
        let placed: Vec<&Point> = l.points.iter().filter(|p| p.label.is_some()).collect();
        for p in &placed {
            let b = p.label.as_ref().unwrap().rect;
            assert!(b.x0 >= LEFT && b.x1 <= RIGHT && b.y0 >= TOP && b.y1 <= BOTTOM);
            for q in &l.points {
                let dx = (b.x0 - q.cx).max(0.0).max(q.cx - b.x1);
                let dy = (b.y0 - q.cy).max(0.0).max(q.cy - b.y1);
                assert!(
                    dx * dx + dy * dy >= q.r * q.r,
                    "label of {} on {}",
                    p.index,
                    q.index
                );
            }
            for q in &placed {
                if q.index != p.index {
                    assert!(!overlap(&b, &q.label.as_ref().unwrap().rect));
                }
            }
        }
        for p in &l.points {
            assert!(p.cx - p.r >= LEFT && p.cx + p.r <= RIGHT);
            assert!(p.cy - p.r >= TOP && p.cy + p.r <= BOTTOM);
        }
        assert_eq!(placed.len() + l.unlabelled.len() + l.off.len(), mots.len());
        l
    }

    #[test]
    fn the_demo_map_labels_its_mots_without_overlap() {
        let d = demo();
        let l = check(&d.mots);
        // Three MOTs of the sample sit on one spot; one label finds no room.
        assert!(l.unlabelled.len() <= 1, "{:?}", l.unlabelled);
        assert!(l.x_ticks.iter().any(|t| t.text == "0.00"));
        assert_eq!(l.y_ticks.last().unwrap().text, "100%");
        // Deterministic.
        assert_eq!(map_layout(&d.mots), l);
    }

    #[test]
    fn a_crowded_map_still_never_overlaps() {
        let mut d = demo();
        let base = d.mots[0].clone();
        d.mots = (0..40)
            .map(|k| {
                let mut m = base.clone();
                m.id = format!("mot-{k}");
                m.name = Some(format!("A rather long MOT name number {k} for the map"));
                m.smoto_rate = Some(0.9 + f64::from(k % 7) * 0.001);
                m.lift = if k % 9 == 0 {
                    None
                } else {
                    Some(0.3 + f64::from(k % 5) * 0.002)
                };
                m.removal_effect = Some(f64::from(k % 4) * 0.25);
                m
            })
            .collect();
        let l = check(&d.mots);
        assert!(!l.unlabelled.is_empty() && l.gutter > 0.0);
        assert!(l.points.iter().any(|p| p.label.is_some()));
    }

    #[test]
    fn a_map_without_rates_or_lifts() {
        let mut d = demo();
        for m in &mut d.mots {
            m.smoto_rate = None;
            m.lift = None;
        }
        let l = check(&d.mots);
        assert!(l.points.is_empty() && l.off.len() == d.mots.len());
        let mut d = demo();
        for m in &mut d.mots {
            m.lift = Some(0.0);
            m.smoto_rate = Some(1.0);
        }
        let l = check(&d.mots);
        assert_eq!(l.x_ticks.len(), 3);
        assert_eq!(l.y_ticks.first().unwrap().text, "96%");
    }
}
