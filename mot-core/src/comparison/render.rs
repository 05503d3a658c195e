//! Comparisons and ideas reports for people: a table for an 80-column
//! terminal and one self-contained HTML page (inline CSS and SVG, no
//! scripts, no network).

use std::fmt::Write as _;

use super::{Comparison, IdeaReport, RateChange, Verdict, Window};
use crate::dashboard::render::{count, esc, fit_words as cut, pct};

/// A difference of rates in percentage points, one decimal, signed, never
/// `-0.0`; `–` when unknown.
fn pts(x: Option<f64>) -> String {
    match x {
        None => "–".into(),
        Some(x) => {
            let r = (x * 1000.0).round() / 10.0;
            if r == 0.0 {
                "0.0".into()
            } else {
                format!("{r:+.1}")
            }
        }
    }
}

/// An interval in points: `-4.8 … +1.0`.
fn span(low: Option<f64>, high: Option<f64>) -> String {
    match (low, high) {
        (Some(_), Some(_)) => format!("{} … {}", pts(low), pts(high)),
        _ => "–".into(),
    }
}

/// An interval in points without spaces, for the terminal: `-4.8…+1.0`.
fn tight(low: Option<f64>, high: Option<f64>) -> String {
    match (low, high) {
        (Some(_), Some(_)) => format!("{}…{}", pts(low), pts(high)),
        _ => "–".into(),
    }
}

/// The verdict in at most 8 characters, for the terminal.
fn short_verdict(c: &RateChange) -> &'static str {
    match c.verdict {
        Some(Verdict::Improved) => "improved",
        Some(Verdict::Worsened) => "worsened",
        Some(Verdict::NoClearChange) => "unclear",
        None => "–",
    }
}

fn verdict(c: &RateChange) -> &'static str {
    match c.verdict {
        Some(Verdict::Improved) => "improved",
        Some(Verdict::Worsened) => "worsened",
        Some(Verdict::NoClearChange) => "no clear change",
        None => "not measurable",
    }
}

/// The rows of a comparison: label, what is counted, the change.
fn rows(c: &Comparison) -> Vec<(String, &'static str, &RateChange)> {
    let mut rows = vec![("SCO rate".to_string(), "journeys", &c.sco)];
    if let Some(conf) = &c.conformance {
        rows.push(("Conformance".to_string(), "journeys", conf));
    }
    for m in &c.mots {
        let name = m.name.clone().unwrap_or_else(|| m.id.clone());
        rows.push((name, "interactions", &m.change));
    }
    rows
}

fn confidence(alpha: f64) -> String {
    let c = (1.0 - alpha) * 100.0;
    if (c - c.round()).abs() < 1e-9 {
        format!("{c:.0}%")
    } else {
        format!("{c}%")
    }
}

impl Comparison {
    /// The comparison as plain text for an 80-column terminal.
    pub fn to_table(&self) -> String {
        let mut s = String::new();
        let title = match &self.experience {
            Some(x) => format!("Before/after — {} — {}", x.name, x.segment),
            None => "Before/after — interaction log".into(),
        };
        let _ = writeln!(s, "{}", cut(&title, 80));
        let _ = writeln!(s, "before {}   after {}", self.before, self.after);
        let conf = confidence(self.alpha);
        let _ = writeln!(
            s,
            "change in points, {conf} intervals: Newcombe, and always valid (τ² {})",
            self.tau2
        );
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{:<20} {:>6} {:>6} {:>6}  {:<11}  {:<11}  verdict",
            "", "before", "after", "change", "interval", "anytime"
        );
        for (i, (label, _, c)) in rows(self).into_iter().enumerate() {
            if i == 1 + usize::from(self.conformance.is_some()) {
                let _ = writeln!(s, "MOTs (SMOTO rate)");
            }
            let line = format!(
                "{:<20} {:>6} {:>6} {:>6}  {:<11}  {:<11}  {}",
                cut(&label, 20),
                pct(c.before.rate),
                pct(c.after.rate),
                pts(c.difference),
                tight(c.ci_low, c.ci_high),
                tight(c.always_valid_low, c.always_valid_high),
                short_verdict(c),
            );
            let _ = writeln!(s, "{}", line.trim_end());
        }
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "journeys: {} before, {} after (SCO: those with a known outcome, by their",
            count(self.sco.before.n),
            count(self.sco.after.n)
        );
        let _ = writeln!(
            s,
            "first interaction). \"anytime\": the always-valid interval, which holds"
        );
        let _ = writeln!(
            s,
            "however often you look; \"unclear\": the interval holds 0."
        );
        s
    }

    /// The comparison as one self-contained HTML page: a chart of every
    /// change with both intervals, and the table of counts.
    pub fn to_html(&self) -> String {
        let title = match &self.experience {
            Some(x) => format!("Before/after — {} — {}", x.name, x.segment),
            None => "Before/after — interaction log".into(),
        };
        let conf = confidence(self.alpha);
        let rows = rows(self);
        let mut h = String::with_capacity(16 * 1024);
        let _ = write!(
            h,
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><style>{CSS}</style></head><body>\n<main class=\"compare\"><h1>{}</h1>\n<p class=\"windows\">Before <b>{}</b> · after <b>{}</b> (UTC, end excluded)</p>\n",
            esc(&title),
            esc(&title),
            window_text(&self.before),
            window_text(&self.after),
        );
        h.push_str("<h2>What changed</h2>\n<figure>");
        h.push_str(&forest(&rows, &conf));
        let _ = writeln!(
            h,
            "<figcaption>Change in percentage points, after − before: the dot is the change, the dark bar its {conf} interval (green above 0, red below), the light band the always-valid interval.</figcaption></figure>"
        );
        let _ = write!(
            h,
            "<h2>The counts</h2>\n<div class=\"scroll\"><table><thead><tr><th></th><th>Before</th><th>After</th><th>Change</th><th>{conf} interval</th><th>Always valid</th><th>Verdict</th></tr></thead><tbody>\n"
        );
        for (label, unit, c) in &rows {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{} <small>({} / {} {unit})</small></td><td>{} <small>({} / {} {unit})</small></td><td class=\"num\">{} pts</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"{}\">{}</td></tr>",
                esc(label),
                pct(c.before.rate),
                count(c.before.successes),
                count(c.before.n),
                pct(c.after.rate),
                count(c.after.successes),
                count(c.after.n),
                pts(c.difference),
                span(c.ci_low, c.ci_high),
                span(c.always_valid_low, c.always_valid_high),
                c.verdict.map_or("none", Verdict::as_str),
                verdict(c),
            );
        }
        let _ = write!(
            h,
            "</tbody></table></div>\n<footer>Changes are in percentage points (after − before). The {conf} interval (Newcombe's method) is for a comparison read once, after the second window has ended. The always-valid interval can be checked every day while the second window fills and still holds at {conf}: it is wider for that. A journey counts in the window of its first interaction; an interaction in the window of its time. mot.comparison/1 · period {} · τ² {}</footer>\n</main></body></html>\n",
            esc(&self.period),
            self.tau2
        );
        h
    }
}

fn window_text(w: &Window) -> String {
    esc(&w.to_string().replace("..", " to "))
}

const CSS: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;padding:0 24px;color:#222;max-width:1400px}main{display:block}\
h1{font-size:22px}h2{font-size:17px;margin-top:28px}.scroll{overflow-x:auto}\
table{border-collapse:collapse;margin:8px 0}td,th{border-bottom:1px solid #eee;padding:4px 10px;text-align:left;white-space:nowrap}\
th{background:#fafafa}td.num{text-align:right;font-variant-numeric:tabular-nums}small{color:#666}\
td.improved{color:#1b5e20}td.worsened{color:#b71c1c}td.no-clear-change,td.none{color:#666}\
figure{margin:0}figcaption{color:#555;font-size:13px;margin-top:4px}svg{max-width:100%;height:auto}svg text{font:12px system-ui,sans-serif}footer{margin-top:32px;color:#666;font-size:12px;max-width:900px}";

/// The forest plot: one row per change, the always-valid interval as a
/// light band, the fixed-horizon one as a dark bar, the difference as a
/// dot, and a zero line.
fn forest(rows: &[(String, &'static str, &RateChange)], conf: &str) -> String {
    const LABEL: f64 = 220.0;
    const PLOT: f64 = 640.0;
    const ROW: f64 = 24.0;
    const TOP: f64 = 34.0;
    let bounds = rows
        .iter()
        .flat_map(|(_, _, c)| {
            [
                c.ci_low,
                c.ci_high,
                c.always_valid_low,
                c.always_valid_high,
                c.difference,
            ]
        })
        .flatten()
        .fold(0.0f64, |m, x| m.max(x.abs()));
    // A symmetric axis in whole points, with ticks every 1, 2, 5, 10, ...
    let max_pts = (bounds * 100.0).max(1.0);
    let step = [1.0, 2.0, 5.0, 10.0, 20.0, 25.0, 50.0]
        .into_iter()
        .find(|s| max_pts / s <= 4.0)
        .unwrap_or(100.0);
    let lim = (max_pts / step).ceil() * step;
    let x = |v: f64| LABEL + (v * 100.0 + lim) / (2.0 * lim) * PLOT;
    let height = TOP + ROW * rows.len() as f64 + 16.0;
    let width = LABEL + PLOT + 20.0;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"forest\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"Changes after minus before, with intervals\">"
    );
    let mut tick = -lim;
    while tick <= lim + 1e-9 {
        let tx = x(tick / 100.0);
        let label = if tick == 0.0 {
            "0".to_string()
        } else {
            format!("{tick:+}")
        };
        let _ = write!(
            s,
            "<line x1=\"{tx:.1}\" y1=\"{:.1}\" x2=\"{tx:.1}\" y2=\"{:.1}\" stroke=\"{}\"/><text x=\"{tx:.1}\" y=\"14\" text-anchor=\"middle\" fill=\"#555\">{label}</text>",
            TOP - 12.0,
            height - 10.0,
            if tick == 0.0 { "#888" } else { "#eee" },
        );
        tick += step;
    }
    for (i, (label, _, c)) in rows.iter().enumerate() {
        let y = TOP + ROW * i as f64 + ROW / 2.0;
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            LABEL - 8.0,
            y + 4.0,
            esc(&cut(label, 30))
        );
        if let (Some(lo), Some(hi)) = (c.always_valid_low, c.always_valid_high) {
            let (a, b) = (x(lo.max(-lim / 100.0)), x(hi.min(lim / 100.0)));
            let _ = write!(
                s,
                "<rect x=\"{a:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"10\" fill=\"#cfd8dc\"><title>always valid {}</title></rect>",
                y - 5.0,
                (b - a).max(1.0),
                span(c.always_valid_low, c.always_valid_high)
            );
        }
        if let (Some(lo), Some(hi)) = (c.ci_low, c.ci_high) {
            let colour = match c.verdict {
                Some(Verdict::Improved) => "#2e7d32",
                Some(Verdict::Worsened) => "#c62828",
                _ => "#455a64",
            };
            let _ = write!(
                s,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"4\" fill=\"{colour}\"><title>{conf} interval {}</title></rect>",
                x(lo),
                y - 2.0,
                (x(hi) - x(lo)).max(1.0),
                span(c.ci_low, c.ci_high)
            );
        }
        if let Some(d) = c.difference {
            let _ = write!(
                s,
                "<circle cx=\"{:.1}\" cy=\"{y:.1}\" r=\"4\" fill=\"#222\"><title>{} pts</title></circle>",
                x(d),
                pts(Some(d))
            );
        }
    }
    s.push_str("</svg>\n");
    s
}

impl IdeaReport {
    /// The report as plain text for an 80-column terminal.
    pub fn to_table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{}",
            cut(
                &format!(
                    "Ideas — {} — {}",
                    self.experience.name, self.experience.segment
                ),
                80
            )
        );
        let _ = writeln!(
            s,
            "implemented ideas, surest gain first: the MOT's SMOTO rate {} days before",
            self.window_days
        );
        let _ = writeln!(
            s,
            "and after (the day of the change left out), {} interval in points",
            confidence(self.alpha)
        );
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{:<24} {:<16} {:>6} {:>6}  {:<13}  verdict",
            "idea", "mot", "change", "days", "interval"
        );
        for e in &self.ideas {
            let (change, interval, v) = match &e.change {
                Some(c) => (pts(c.difference), span(c.ci_low, c.ci_high), verdict(c)),
                None => ("–".into(), "–".into(), "not measurable"),
            };
            let days = e.cycle_days.map_or("–".into(), |d| format!("{d:.0}"));
            let line = format!(
                "{:<24} {:<16} {:>6} {:>6}  {:<13}  {}",
                cut(&e.title, 24),
                cut(&e.mot, 16),
                change,
                days,
                interval,
                v
            );
            let _ = writeln!(s, "{}", line.trim_end());
        }
        if self.ideas.is_empty() {
            let _ = writeln!(s, "(no implemented ideas)");
        }
        let _ = writeln!(s);
        let c = &self.cycle_time;
        let fmt = |x: Option<f64>| x.map_or("–".into(), |d| format!("{d:.1}"));
        let _ = writeln!(
            s,
            "cycle time (submitted → implemented), days: {} ideas, mean {}, median {}, max {}",
            c.ideas,
            fmt(c.mean_days),
            fmt(c.median_days),
            fmt(c.max_days)
        );
        if !self.open.is_empty() {
            let open: Vec<String> = self
                .open
                .iter()
                .map(|c| format!("{} {}", c.count, c.status))
                .collect();
            let _ = writeln!(s, "not implemented yet: {}", open.join(", "));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CompareOptions, Tracker, TrackerConfig, sample, simulate};

    fn demo() -> Comparison {
        let x = sample::airline();
        let mut t = Tracker::new(&x, TrackerConfig::default());
        simulate::airline_scenario(&x, 3_000, 1)
            .generate()
            .ingest_into(&mut t)
            .unwrap();
        let w = |s: &str| s.parse::<Window>().unwrap();
        Comparison::build(
            &t,
            Some(&x),
            w("2026-08-01..2026-09-01"),
            w("2026-09-01..2026-10-01"),
            &CompareOptions::default(),
        )
        .unwrap()
    }

    #[test]
    fn table_fits_80_columns_without_trailing_spaces() {
        let c = demo();
        let table = c.to_table();
        for line in table.lines() {
            assert!(line.chars().count() <= 80, "{line}");
            assert_eq!(line, line.trim_end());
        }
        assert!(table.contains("SCO rate") && table.contains("Conformance"));
        assert!(!table.contains("-0.0"));
    }

    #[test]
    fn html_is_self_contained_and_escaped() {
        let mut c = demo();
        c.mots[0].name = Some("<b>bold</b>".into());
        let html = c.to_html();
        assert!(!html.contains("<b>bold") && html.contains("&lt;b&gt;bold"));
        assert!(!html.contains("<script") && !html.contains("http"));
        assert_eq!(
            html.matches("<circle").count(),
            rows(&c).iter().filter(|r| r.2.difference.is_some()).count()
        );
    }

    #[test]
    fn points_never_print_minus_zero() {
        assert_eq!(pts(Some(-0.00001)), "0.0");
        assert_eq!(pts(Some(0.0123)), "+1.2");
        assert_eq!(pts(Some(-0.0999)), "-10.0");
        assert_eq!(pts(None), "–");
    }
}
