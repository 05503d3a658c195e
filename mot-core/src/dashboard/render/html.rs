//! The dashboard as one self-contained HTML page (inline CSS and SVG).

use std::fmt::Write as _;

use super::super::{Dashboard, MotFigures, OutOfControl};
use super::{count, esc, fit, num, pct, signed, utc_date};
use crate::Alignment;

impl Dashboard {
    /// The dashboard as one self-contained HTML page (inline CSS and SVG, no
    /// scripts, no network): SMOTO rates with intervals, the magic–misery
    /// map, trends with control limits, alerts, and the tables. All text
    /// from the data is escaped.
    pub fn to_html(&self) -> String {
        let mut h = String::with_capacity(64 * 1024);
        let title = match &self.experience {
            Some(x) => format!("{} — {}", x.name, x.segment),
            None => "Interaction log".into(),
        };
        let _ = write!(
            h,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>MOT dashboard — {}</title>\n<style>{}</style></head><body>\n",
            esc(&title),
            CSS
        );
        let _ = writeln!(h, "<h1>{}</h1>", esc(&title));
        let sco = &self.sco;
        let _ = writeln!(
            h,
            "<section class=\"kpis\"><div><b>{}</b><span>SCO rate{}</span><small>95% CI {}–{} · {} of {} journeys{}</small></div>",
            pct(sco.rate),
            sco.one_liner
                .as_ref()
                .map(|o| format!(": {}", esc(o)))
                .unwrap_or_default(),
            pct(sco.ci_low),
            pct(sco.ci_high),
            count(sco.successes),
            count(sco.journeys),
            sco.target
                .map(|t| format!(" · target {}", pct(Some(t))))
                .unwrap_or_default()
        );
        let _ = writeln!(
            h,
            "<div><b>{}</b><span>interactions</span><small>{} MOTs observed{}</small></div>",
            count(self.amount.interactions),
            self.amount.observed_mots,
            self.amount
                .designed_mots
                .map(|d| format!(" of {d} designed"))
                .unwrap_or_default()
        );
        let _ = writeln!(
            h,
            "<div><b>{}</b><span>interactions per journey</span><small>{}</small></div>",
            num(self.ratio.interactions_per_journey, 2),
            match (self.ratio.designed_mots, self.ratio.ratio) {
                (Some(d), Some(r)) => format!("{d} MOTs designed · ratio {r:.2}"),
                _ => "no experience given".into(),
            }
        );
        let _ = writeln!(
            h,
            "<div><b>{}</b><span>owned MOTs</span><small>{} alerts · {} rows rejected</small></div></section>",
            pct(self.ownership.share_owned),
            self.alerts.len(),
            count(self.rejected.total())
        );

        if !self.alerts.is_empty() {
            h.push_str("<h2>Alerts</h2><ul class=\"alerts\">");
            for a in &self.alerts {
                let _ = write!(
                    h,
                    "<li class=\"{}\">{}</li>",
                    esc(a.kind.as_str()),
                    esc(&a.message)
                );
            }
            h.push_str("</ul>\n");
        }

        h.push_str("<h2>SMOTO rates with 95% intervals</h2>\n");
        h.push_str(&smoto_bars(&self.mots));
        h.push_str("<h2>Moments of magic and misery</h2>\n");
        h.push_str(&magic_misery(&self.mots));
        h.push_str(&super::super::gap_view::html(self));
        h.push_str("<h2>Trends with control limits</h2><div class=\"trends\">\n");
        // The conformance trend first, on the same kind of p-chart.
        let conformance = self.conformance.as_ref().map(|c| super::super::Trend {
            mot: "conformance to the design".into(),
            centre: c.rate,
            periods: c
                .trend
                .iter()
                .map(|p| super::super::TrendPoint {
                    start: p.start,
                    interactions: p.journeys,
                    successes: p.conforming,
                    rate: p.rate,
                    lcl: p.lcl,
                    ucl: p.ucl,
                    out_of_control: p.out_of_control,
                })
                .collect(),
        });
        for t in conformance.iter().chain(&self.trends) {
            if t.periods.is_empty() {
                continue;
            }
            h.push_str(&trend_chart(t));
        }
        h.push_str("</div>\n");

        h.push_str("<h2>MOTs</h2><table><tr><th>MOT</th><th>type</th><th>owner</th><th>n</th><th>SMOTO</th><th>95% CI</th><th>target</th><th>lift</th><th>removal effect</th><th>trend / day</th><th>class</th></tr>\n");
        for m in &self.mots {
            let _ = writeln!(
                h,
                "<tr><td title=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}–{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"{}\">{}</td></tr>",
                esc(&m.id),
                esc(m.name.as_deref().unwrap_or(&m.id)),
                esc(m.interaction_type.as_deref().unwrap_or("?")),
                esc(m.owner.as_deref().unwrap_or("–")),
                count(m.interactions),
                pct(m.smoto_rate),
                pct(m.ci_low),
                pct(m.ci_high),
                pct(m.target),
                signed(m.lift, 3),
                num(m.removal_effect, 3),
                m.trend_slope_per_day
                    .map_or_else(|| "–".into(), |t| format!("{:+.2} pts", t * 100.0)),
                m.alignment.as_str(),
                m.alignment.as_str()
            );
        }
        h.push_str("</table>\n");

        if !self.ownership.owners.is_empty() {
            h.push_str("<h2>MOT Managers</h2><table><tr><th>manager</th><th>MOTs</th><th>interactions</th><th>SMOTO</th><th>95% CI</th><th>alerts</th></tr>");
            for o in &self.ownership.owners {
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}–{}</td><td>{}</td></tr>",
                    esc(&o.name),
                    esc(&o.mots.join(", ")),
                    count(o.production.interactions),
                    pct(o.production.rate),
                    pct(o.production.ci_low),
                    pct(o.production.ci_high),
                    o.alerts
                );
            }
            h.push_str("</table>\n");
        }
        h.push_str("<h2>Interaction types</h2><table><tr><th>type</th><th>MOTs</th><th>interactions</th><th>SMOTO</th><th>95% CI</th></tr>");
        for t in &self.types {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}–{}</td></tr>",
                esc(t.interaction_type.as_deref().unwrap_or("unknown")),
                t.mots,
                count(t.production.interactions),
                pct(t.production.rate),
                pct(t.production.ci_low),
                pct(t.production.ci_high)
            );
        }
        h.push_str("</table>\n");
        let _ = write!(
            h,
            "<h2>Top variants</h2><p>{} distinct journey sequences.</p><table><tr><th>journeys</th><th>sequence</th></tr>",
            self.variants
                .distinct
                .map_or_else(|| "Not counted:".into(), count)
        );
        for v in &self.variants.top {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td></tr>",
                count(v.count),
                esc(&v.mots.join(" → "))
            );
        }
        h.push_str("</table>\n<h2>Rejected rows</h2><table><tr><th>reason</th><th>rows</th></tr>");
        for (r, n) in self.rejected.nonzero() {
            let _ = write!(h, "<tr><td>{}</td><td>{}</td></tr>", r, count(n));
        }
        if self.rejected.total() == 0 {
            h.push_str("<tr><td colspan=\"2\">none</td></tr>");
        }
        let _ = write!(
            h,
            "</table>\n<footer>mot.dashboard/1 · period {} · rates with Wilson 95% intervals · removal effects exact (absorbing Markov chain)</footer>\n</body></html>\n",
            esc(&self.period)
        );
        h
    }
}

const CSS: &str = "body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}h1{font-size:22px}h2{font-size:17px;margin-top:28px}\
.kpis{display:flex;gap:16px;flex-wrap:wrap}.kpis div{border:1px solid #ddd;border-radius:8px;padding:10px 14px;min-width:200px}\
.kpis b{display:block;font-size:24px}.kpis span{display:block}.kpis small{color:#666}\
table{border-collapse:collapse;margin:8px 0}td,th{border-bottom:1px solid #eee;padding:3px 8px;text-align:left}th{background:#fafafa}\
.alerts li{margin:4px 0}.alerts .below-control-limit,.alerts .below-target,.alerts .conformance{color:#b71c1c}\
svg.steps text.share{fill:#555}p.gap b{font-size:16px}.alerts .above-control-limit{color:#1b5e20}\
td.magic{color:#1b5e20}td.misery{color:#b71c1c}td.unaligned{color:#757575}td.unmeasured{color:#90a4ae}\
.trends{display:flex;flex-wrap:wrap;gap:8px}.trends figure{margin:0}.trends figcaption{font-size:12px}\
svg text{font:11px system-ui,sans-serif}footer{margin-top:32px;color:#777;font-size:12px}";

fn class_colour(a: Alignment) -> &'static str {
    match a {
        Alignment::Magic => "#2e7d32",
        Alignment::Misery => "#c62828",
        Alignment::Neutral => "#546e7a",
        Alignment::Unaligned => "#9e9e9e",
        Alignment::Unmeasured => "#b0bec5",
    }
}

fn smoto_bars(mots: &[MotFigures]) -> String {
    let row = 20.0;
    let left = 190.0;
    let width = 520.0;
    let height = row * mots.len() as f64 + 30.0;
    let mut s = format!(
        "<svg role=\"img\" aria-label=\"SMOTO rates\" width=\"{}\" height=\"{height}\" viewBox=\"0 0 {} {height}\">",
        left + width + 80.0,
        left + width + 80.0
    );
    for k in 0..=10 {
        let x = left + width * f64::from(k) / 10.0;
        let _ = write!(
            s,
            "<line x1=\"{x}\" y1=\"0\" x2=\"{x}\" y2=\"{}\" stroke=\"#eee\"/>",
            height - 20.0
        );
        let _ = write!(
            s,
            "<text x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{}%</text>",
            height - 6.0,
            k * 10
        );
    }
    for (i, m) in mots.iter().enumerate() {
        let y = row * i as f64;
        let label = m.name.as_deref().unwrap_or(&m.id);
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            left - 6.0,
            y + 14.0,
            esc(&fit(label, 30))
        );
        if let Some(r) = m.smoto_rate {
            let _ = write!(
                s,
                "<rect x=\"{left}\" y=\"{}\" width=\"{:.1}\" height=\"{}\" fill=\"{}\" opacity=\"0.75\"><title>{}: {}</title></rect>",
                y + 4.0,
                width * r,
                row - 8.0,
                class_colour(m.alignment),
                esc(&m.id),
                pct(Some(r))
            );
            if let (Some(lo), Some(hi)) = (m.ci_low, m.ci_high) {
                let (x1, x2) = (left + width * lo, left + width * hi);
                let ym = y + row / 2.0;
                let _ = write!(
                    s,
                    "<line x1=\"{x1:.1}\" y1=\"{ym}\" x2=\"{x2:.1}\" y2=\"{ym}\" stroke=\"#111\"/><line x1=\"{x1:.1}\" y1=\"{}\" x2=\"{x1:.1}\" y2=\"{}\" stroke=\"#111\"/><line x1=\"{x2:.1}\" y1=\"{}\" x2=\"{x2:.1}\" y2=\"{}\" stroke=\"#111\"/>",
                    ym - 4.0,
                    ym + 4.0,
                    ym - 4.0,
                    ym + 4.0
                );
            }
            if let Some(t) = m.target {
                let x = left + width * t;
                let _ = write!(
                    s,
                    "<line x1=\"{x:.1}\" y1=\"{}\" x2=\"{x:.1}\" y2=\"{}\" stroke=\"#f9a825\" stroke-width=\"2\"/>",
                    y + 2.0,
                    y + row - 2.0
                );
            }
            let _ = write!(
                s,
                "<text x=\"{}\" y=\"{}\">{}</text>",
                left + width + 6.0,
                y + 14.0,
                pct(Some(r))
            );
        }
    }
    s.push_str("</svg><p><small>Bars: SMOTO rate, coloured by alignment class; whiskers: Wilson 95% interval; amber tick: SMOTO target.</small></p>\n");
    s
}

fn magic_misery(mots: &[MotFigures]) -> String {
    let (w, h, pad) = (520.0, 320.0, 40.0);
    let mut s = format!(
        "<svg role=\"img\" aria-label=\"magic–misery map\" width=\"{}\" height=\"{}\">",
        w + 2.0 * pad,
        h + 2.0 * pad
    );
    let lifts: Vec<f64> = mots.iter().filter_map(|m| m.lift).collect();
    let span = lifts.iter().fold(0.05f64, |a, l| a.max(l.abs())) * 1.1;
    // The x axis starts at the lowest rate, rounded down to 10%.
    let x0 = (mots
        .iter()
        .filter_map(|m| m.smoto_rate)
        .fold(1.0f64, f64::min)
        * 10.0)
        .floor()
        / 10.0;
    let x0 = x0.clamp(0.0, 0.9);
    let x = |r: f64| pad + w * (r - x0) / (1.0 - x0);
    let y = |l: f64| pad + h / 2.0 - (l / span) * (h / 2.0);
    let _ = write!(
        s,
        "<rect x=\"{pad}\" y=\"{pad}\" width=\"{w}\" height=\"{h}\" fill=\"none\" stroke=\"#ccc\"/>"
    );
    let _ = write!(
        s,
        "<line x1=\"{pad}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#ddd\"/>",
        y(0.0),
        pad + w,
        y(0.0)
    );
    let _ = write!(
        s,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">SMOTO rate →</text>",
        pad + w / 2.0,
        h + 2.0 * pad - 8.0
    );
    let _ = write!(
        s,
        "<text x=\"12\" y=\"{}\" transform=\"rotate(-90 12 {})\" text-anchor=\"middle\">lift: P(SCO | ok) − P(SCO | failed) →</text>",
        pad + h / 2.0,
        pad + h / 2.0
    );
    for k in 0..=4 {
        let r = x0 + (1.0 - x0) * f64::from(k) / 4.0;
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{:.1}%</text>",
            x(r),
            pad + h + 14.0,
            r * 100.0
        );
    }
    for m in mots {
        let (Some(r), Some(l)) = (m.smoto_rate, m.lift) else {
            continue;
        };
        let radius = 4.0 + 10.0 * m.removal_effect.unwrap_or(0.0).sqrt();
        let _ = write!(
            s,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{radius:.1}\" fill=\"{}\" fill-opacity=\"0.6\"><title>{}: SMOTO {}, lift {}, removal effect {}, {}</title></circle>",
            x(r),
            y(l),
            class_colour(m.alignment),
            esc(&m.id),
            pct(Some(r)),
            signed(Some(l), 3),
            num(m.removal_effect, 3),
            m.alignment.as_str()
        );
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            x(r) + radius + 2.0,
            y(l) + 4.0,
            esc(&fit(&m.id, 18))
        );
    }
    s.push_str("</svg><p><small>Each circle is an MOT: right = performs, up = its success matters for the SCO; size = removal effect; green magic, red misery, grey unaligned or neutral.</small></p>\n");
    s
}

fn trend_chart(t: &super::super::Trend) -> String {
    let (w, h, pad) = (250.0, 110.0, 22.0);
    let n = t.periods.len();
    let first = t.periods.first().map_or(0, |p| p.start);
    let last = t.periods.last().map_or(0, |p| p.start);
    let span = (last - first).max(1) as f64;
    let x = |start: i64| pad + w * ((start - first) as f64 / span);
    let lo = t
        .periods
        .iter()
        .map(|p| p.lcl.min(p.rate))
        .fold(1.0f64, f64::min)
        .max(0.0);
    let y = |r: f64| pad + h - h * ((r - lo) / (1.0 - lo).max(1e-9));
    let mut s = format!(
        "<figure><svg width=\"{}\" height=\"{}\">",
        w + 2.0 * pad,
        h + 2.0 * pad
    );
    let band: Vec<String> = t
        .periods
        .iter()
        .map(|p| format!("{:.1},{:.1}", x(p.start), y(p.ucl)))
        .chain(
            t.periods
                .iter()
                .rev()
                .map(|p| format!("{:.1},{:.1}", x(p.start), y(p.lcl))),
        )
        .collect();
    let _ = write!(
        s,
        "<polygon points=\"{}\" fill=\"#e3f2fd\"/>",
        band.join(" ")
    );
    if let Some(c) = t.centre {
        let _ = write!(
            s,
            "<line x1=\"{pad}\" y1=\"{:.1}\" x2=\"{}\" y2=\"{:.1}\" stroke=\"#90a4ae\" stroke-dasharray=\"3 2\"/>",
            y(c),
            pad + w,
            y(c)
        );
    }
    let line: Vec<String> = t
        .periods
        .iter()
        .map(|p| format!("{:.1},{:.1}", x(p.start), y(p.rate)))
        .collect();
    let _ = write!(
        s,
        "<polyline points=\"{}\" fill=\"none\" stroke=\"#37474f\"/>",
        line.join(" ")
    );
    for p in &t.periods {
        if let Some(o) = &p.out_of_control {
            let colour = match o {
                OutOfControl::Low => "#c62828",
                OutOfControl::High => "#2e7d32",
            };
            let _ = write!(
                s,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"{colour}\"><title>{}: {} outside {}–{}</title></circle>",
                x(p.start),
                y(p.rate),
                utc_date(p.start),
                pct(Some(p.rate)),
                pct(Some(p.lcl)),
                pct(Some(p.ucl))
            );
        }
    }
    let _ = write!(
        s,
        "<text x=\"{pad}\" y=\"{}\">{}</text><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
        h + 2.0 * pad - 4.0,
        utc_date(first),
        pad + w,
        h + 2.0 * pad - 4.0,
        utc_date(last)
    );
    let _ = writeln!(
        s,
        "</svg><figcaption>{} — {} periods, centre {}</figcaption></figure>",
        esc(&t.mot),
        n,
        pct(t.centre)
    );
    s
}

#[cfg(test)]
mod tests {
    use super::super::tests::demo;

    #[test]
    fn html_is_self_contained_and_escaped() {
        let mut d = demo();
        d.mots[0].name = Some("<script>alert(1)</script>".into());
        let html = d.to_html();
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(!html.contains("http://") && !html.contains("https://"));
        assert!(html.contains("<svg") && html.contains("Trends with control limits"));
    }
}
