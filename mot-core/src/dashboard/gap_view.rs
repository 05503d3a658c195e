//! The Design–Implementation gap and the journey in time, as the table and
//! the HTML report show them. Every number shown is a contract figure (or
//! a share of two of them); nothing is computed here that the contract
//! does not hold.

use std::fmt::Write;

use super::contract::{Conformance, Dashboard, Duration, MotFigures};
use super::render::{count, esc, figure, fit_list, pct};

/// A duration in seconds, readable: `45 s`, `12.5 min`, `3.4 h`, `2.1 d`.
pub(crate) fn human(seconds: f64) -> String {
    let s = seconds.abs();
    if s < 60.0 {
        format!("{seconds:.0} s")
    } else if s < 3_600.0 {
        format!("{:.1} min", seconds / 60.0)
    } else if s < 86_400.0 {
        format!("{:.1} h", seconds / 3_600.0)
    } else {
        format!("{:.1} d", seconds / 86_400.0)
    }
}

/// The designed steps with each one's share of journeys that skipped it,
/// in design order (an MOT designed twice is listed once per step, with
/// its MOT's share).
pub(crate) fn steps<'a>(
    d: &'a Dashboard,
    c: &'a Conformance,
) -> impl Iterator<Item = (&'a str, Option<f64>)> + 'a {
    c.designed.iter().map(move |id| {
        let missing = mot(d, id).and_then(|m| m.gap.as_ref()).map(|g| g.missing);
        let share = missing.and_then(|n| (c.journeys > 0).then(|| n as f64 / c.journeys as f64));
        (label(d, id), share)
    })
}

fn mot<'a>(d: &'a Dashboard, id: &str) -> Option<&'a MotFigures> {
    d.mots.iter().find(|m| m.id == id)
}

/// An MOT's name, or its id.
fn label<'a>(d: &'a Dashboard, id: &'a str) -> &'a str {
    mot(d, id).and_then(|m| m.name.as_deref()).unwrap_or(id)
}

/// The `k` MOTs with the most interactions picked by `what` (repeats or
/// detours), most first, ties by id.
pub(crate) fn most(d: &Dashboard, k: usize, what: fn(&MotFigures) -> u64) -> Vec<(&str, u64)> {
    let mut v: Vec<(&str, u64)> = d
        .mots
        .iter()
        .map(|m| (m.name.as_deref().unwrap_or(&m.id), what(m)))
        .filter(|(_, n)| *n > 0)
        .collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    v.truncate(k);
    v
}

pub(crate) fn repeats(m: &MotFigures) -> u64 {
    m.gap.as_ref().map_or(0, |g| g.extra)
}

pub(crate) fn detours(m: &MotFigures) -> u64 {
    m.gap.as_ref().map_or(0, |g| g.undesigned)
}

fn items(items: &[(&str, u64)]) -> Vec<String> {
    items
        .iter()
        .map(|(name, n)| format!("{name} {}", count(*n)))
        .collect()
}

fn listed(items: &[(&str, u64)]) -> String {
    if items.is_empty() {
        return "none".into();
    }
    items
        .iter()
        .map(|(name, n)| format!("{name} {}", count(*n)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The table's conformance and time block (lines of at most 80
/// characters), empty when there is neither.
pub(crate) fn table(d: &Dashboard) -> String {
    let mut s = String::new();
    if let Some(c) = &d.conformance {
        let _ = writeln!(
            s,
            "\nConformance to the designed journey ({} steps)",
            c.designed_steps
        );
        let _ = writeln!(
            s,
            "  {} of {} journeys conform  95% CI {}–{}  mean fitness {}",
            pct(c.rate),
            count(c.journeys),
            pct(c.ci_low),
            pct(c.ci_high),
            c.mean_fitness
                .map_or_else(|| "–".into(), |f| format!("{f:.3}"))
        );
        let dv = &c.deviations;
        let _ = writeln!(
            s,
            "  skipped {} · repeated {} · undesigned {} · out of order {}",
            count(dv.missing),
            count(dv.extra),
            count(dv.undesigned),
            count(dv.out_of_order)
        );
        let _ = writeln!(
            s,
            "  SCO {} when conforming, {} when deviating{}",
            pct(c.sco_when_conforming),
            pct(c.sco_when_deviating),
            c.lift
                .map(|l| format!(" (lift {:+.1} pts)", l * 100.0))
                .unwrap_or_default()
        );
        let mut skipped: Vec<(&str, f64)> = steps(d, c)
            .filter_map(|(name, share)| share.filter(|&x| x > 0.0).map(|x| (name, x)))
            .collect();
        skipped.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        skipped.dedup_by(|a, b| a.0 == b.0);
        let skipped: Vec<String> = skipped
            .iter()
            .take(3)
            .map(|(name, x)| format!("{name} {}", pct(Some(*x))))
            .collect();
        // Whole names, as many as fit in 80 columns.
        let line = |what: &str, items: &[String]| {
            let head = format!("  {what}: ");
            format!("{head}{}", fit_list(items, 80 - head.chars().count()))
        };
        let _ = writeln!(s, "{}", line("most skipped", &skipped));
        let _ = writeln!(s, "{}", line("most repeated", &items(&most(d, 3, repeats))));
        let _ = writeln!(s, "{}", line("detours", &items(&most(d, 3, detours))));
    }
    if let Some(j) = &d.journey_duration {
        let _ = writeln!(
            s,
            "\nJourney duration  median {}  p90 {}  mean {}  ({} journeys)",
            human(j.p50_s),
            human(j.p90_s),
            human(j.mean_s),
            count(j.count)
        );
    }
    s
}

/// The HTML report's sections (panels): the designed journey step by step
/// with the share of journeys that skipped each step, the most repeated and
/// the undesigned MOTs, SCO when conforming vs deviating; then the time
/// between MOTs. Empty when there is neither.
pub(crate) fn html(d: &Dashboard) -> String {
    let mut h = String::new();
    if let Some(c) = &d.conformance {
        let _ = write!(
            h,
            "<section class=\"panel\" id=\"gap\"><h2>Design vs reality</h2>\n<p class=\"intro\">Every closed journey set against the designed journey: a journey conforms when it follows the design step by step, nothing skipped, repeated, added or out of order.</p>\
<p class=\"gap\"><b class=\"big\">{}</b> of {} journeys follow the {}-step design exactly <span class=\"nowrap\">(95% CI {}–{})</span>; mean fitness {}. SCO rate <b>{}</b> when conforming, <b>{}</b> when deviating{}.</p>\n",
            pct(c.rate),
            count(c.journeys),
            c.designed_steps,
            pct(c.ci_low),
            pct(c.ci_high),
            c.mean_fitness
                .map_or_else(|| "–".into(), |f| figure::fixed(f, 3)),
            pct(c.sco_when_conforming),
            pct(c.sco_when_deviating),
            c.lift
                .map(|l| format!(" (a difference of {} points)", figure::signed(l * 100.0, 1)))
                .unwrap_or_default()
        );
        let _ = write!(h, "<figure>{}</figure>", steps_svg(d, c));
        let dv = &c.deviations;
        let _ = writeln!(
            h,
            "<div class=\"tw\"><table class=\"gap\"><thead><tr><th>Deviation</th><th class=\"num\">Total</th><th>Where most</th></tr></thead><tbody>\
<tr><th scope=\"row\">steps skipped</th><td class=\"num\">{}</td><td>see the shares above</td></tr>\
<tr><th scope=\"row\">steps repeated (rework)</th><td class=\"num\">{}</td><td>{}</td></tr>\
<tr><th scope=\"row\">undesigned interactions (detours)</th><td class=\"num\">{}</td><td>{}</td></tr>\
<tr><th scope=\"row\">steps out of order</th><td class=\"num\">{}</td><td>–</td></tr></tbody></table></div></section>",
            count(dv.missing),
            count(dv.extra),
            esc(&listed(&most(d, 3, repeats))),
            count(dv.undesigned),
            esc(&listed(&most(d, 3, detours))),
            count(dv.out_of_order)
        );
    }
    let mut edges: Vec<_> = d
        .directly_follows
        .edges
        .iter()
        .filter_map(|e| e.duration.as_ref().map(|t| (e, t)))
        .collect();
    edges.truncate(10);
    if d.journey_duration.is_some() || !edges.is_empty() {
        h.push_str("<section class=\"panel\" id=\"time\"><h2>The journey in time</h2>\n");
        if let Some(j) = &d.journey_duration {
            let _ = writeln!(
                h,
                "<p>A journey takes <b>{}</b> (median; 90% within {}, mean {}) from its first to its last interaction, over {} journeys.</p>",
                human(j.p50_s),
                human(j.p90_s),
                human(j.mean_s),
                count(j.count)
            );
        }
        if !edges.is_empty() {
            h.push_str("<div class=\"tw\"><table class=\"times\"><thead><tr><th>From</th><th>To</th><th class=\"num\">Times</th><th class=\"num\">Median</th><th class=\"num\">90th pct.</th><th class=\"num\">Mean</th></tr></thead><tbody>");
            for (e, t) in edges {
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td>{}</tr>",
                    esc(label(d, &e.from)),
                    esc(label(d, &e.to)),
                    count(t.count),
                    time_cells(t)
                );
            }
            h.push_str("</tbody></table></div>");
        }
        h.push_str("</section>\n");
    }
    h
}

fn time_cells(t: &Duration) -> String {
    format!(
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
        human(t.p50_s),
        human(t.p90_s),
        human(t.mean_s)
    )
}

/// The designed steps as rows of boxes (six a row, as on the web page),
/// each with a bar for the share of journeys that skipped it, the count
/// and the share (the bar's title gives the exact figure).
fn steps_svg(d: &Dashboard, c: &Conformance) -> String {
    let steps: Vec<(&str, Option<f64>)> = steps(d, c).collect();
    let per_row = 6usize;
    let (bw, bh, gap) = (150.0, 62.0, 10.0);
    let rows = steps.len().div_ceil(per_row).max(1);
    let width = per_row as f64 * (bw + gap);
    let height = rows as f64 * (bh + gap);
    let mut s = format!(
        "<svg class=\"fig steps\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"designed journey, share of journeys that skipped each step\">"
    );
    for (k, (name, share)) in steps.iter().enumerate() {
        let x = (k % per_row) as f64 * (bw + gap);
        let y = (k / per_row) as f64 * (bh + gap);
        let missing = d
            .mots
            .iter()
            .find(|m| m.id == c.designed[k])
            .and_then(|m| m.gap.as_ref())
            .map_or(0, |g| g.missing);
        let share = share.unwrap_or(0.0);
        let shown = pct(Some(share));
        let _ = write!(
            s,
            "<g class=\"step\" data-missing=\"{share}\"><rect x=\"{x}\" y=\"{y}\" width=\"{bw}\" height=\"{bh}\" rx=\"6\" fill=\"#f5f7fa\" stroke=\"#b0bec5\"/>\
<text class=\"label\" x=\"{}\" y=\"{}\">{}</text>\
<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"8\" fill=\"none\" stroke=\"#cfd8dc\"/>\
<rect x=\"{}\" y=\"{}\" width=\"{:.1}\" height=\"8\" fill=\"#c62828\"><title>{}: skipped {} times in {} journeys</title></rect>\
<text class=\"count\" x=\"{}\" y=\"{}\">{}</text><text class=\"share\" x=\"{}\" y=\"{}\" text-anchor=\"end\">skipped · {}</text></g>",
            x + 8.0,
            y + 18.0,
            esc(&figure::fit_width(
                &format!("{}. {name}", k + 1),
                bw - 16.0,
                12.0
            )),
            x + 8.0,
            y + 27.0,
            bw - 16.0,
            x + 8.0,
            y + 27.0,
            (bw - 16.0) * share.clamp(0.0, 1.0),
            esc(name),
            count(missing),
            count(c.journeys),
            x + 8.0,
            y + 52.0,
            count(missing),
            x + bw - 8.0,
            y + 52.0,
            shown
        );
    }
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(human(42.4), "42 s");
        assert_eq!(human(750.0), "12.5 min");
        assert_eq!(human(3.0 * 3_600.0), "3.0 h");
        assert_eq!(human(2.5 * 86_400.0), "2.5 d");
    }
}
