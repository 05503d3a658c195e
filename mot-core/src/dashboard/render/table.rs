//! The dashboard as plain text for an 80-column terminal.

use std::fmt::Write as _;

use super::super::{AlertKind, Dashboard};
use super::{count, fit, num, pct, signed};

impl Dashboard {
    /// The dashboard as plain text that fits an 80-column terminal.
    pub fn to_table(&self) -> String {
        let mut s = String::new();
        let title = match &self.experience {
            Some(x) => format!("{} — {}", x.name, x.segment),
            None => "Interaction log (discovery mode)".to_string(),
        };
        let _ = writeln!(s, "{}   period: {}", fit(&title, 62), self.period);
        let sco = &self.sco;
        if let Some(one) = &sco.one_liner {
            let _ = writeln!(s, "SCO        {}", fit(one, 68));
        }
        let _ = writeln!(
            s,
            "           {} ({}/{} journeys)  95% CI {}–{}{}",
            pct(sco.rate),
            count(sco.successes),
            count(sco.journeys),
            pct(sco.ci_low),
            pct(sco.ci_high),
            sco.target
                .map(|t| format!("  target {}", pct(Some(t))))
                .unwrap_or_default()
        );
        let a = &self.amount;
        let _ = writeln!(
            s,
            "Amount     {} MOTs{} · {} interactions · {} journeys{}",
            count(a.observed_mots),
            a.designed_mots
                .map(|d| format!(" of {d} designed"))
                .unwrap_or_default(),
            count(a.interactions),
            count(a.journeys),
            if a.open_journeys > 0 {
                format!(" (+{} open)", count(a.open_journeys))
            } else {
                String::new()
            }
        );
        let r = &self.ratio;
        let _ = writeln!(
            s,
            "Ratio      {} interactions per journey{}",
            num(r.interactions_per_journey, 2),
            match (r.designed_mots, r.ratio) {
                (Some(d), Some(x)) => format!(" · {d} MOTs designed · ratio {x:.2}"),
                _ => String::new(),
            }
        );
        if let Some(share) = self.ownership.share_owned {
            let _ = writeln!(
                s,
                "Ownership  {} of MOTs have a MOT Manager",
                pct(Some(share))
            );
        }
        let rejected = self.rejected.total();
        let _ = write!(s, "Rejected   {} rows", count(rejected));
        let reasons: Vec<String> = self
            .rejected
            .nonzero()
            .map(|(r, n)| format!("{r} {n}"))
            .collect();
        if !reasons.is_empty() {
            let _ = write!(s, " ({})", fit(&reasons.join(", "), 50));
        }
        s.push('\n');

        let _ = writeln!(
            s,
            "\n{:<18} {:<2} {:>7} {:>6} {:>11} {:>6} {:>5} {:>7} {:<9}",
            "MOT", "ty", "n", "SMOTO", "95% CI", "lift", "RE", "trend/d", "class"
        );
        for m in &self.mots {
            let ci = match (m.ci_low, m.ci_high) {
                (Some(l), Some(h)) => format!("{:.1}–{:.1}", l * 100.0, h * 100.0),
                _ => "–".into(),
            };
            let _ = writeln!(
                s,
                "{:<18} {:<2} {:>7} {:>6} {:>11} {:>6} {:>5} {:>7} {:<9}",
                fit(&m.id, 18),
                m.interaction_type.as_deref().unwrap_or("?"),
                fit(&count(m.interactions), 7),
                pct(m.smoto_rate),
                ci,
                signed(m.lift, 2),
                num(m.removal_effect, 2),
                m.trend_slope_per_day
                    .map_or_else(|| "–".into(), |t| format!("{:+.2}", t * 100.0)),
                m.alignment.as_str()
            );
        }
        s.push_str("(trend/d: SMOTO rate change per day, in points; RE: removal effect)\n");

        if !self.alerts.is_empty() {
            s.push_str("\nAlerts\n");
            for a in &self.alerts {
                let what = match a.kind {
                    AlertKind::BelowControlLimit => "< LCL",
                    AlertKind::AboveControlLimit => "> UCL",
                    AlertKind::BelowTarget => "< target",
                    AlertKind::Conformance => "< LCL",
                    AlertKind::Cusum => "CUSUM",
                };
                let label = match (&a.name, &a.mot) {
                    (Some(name), _) => name.as_str(),
                    (None, Some(mot)) => mot.as_str(),
                    (None, None) => "conformance",
                };
                let _ = writeln!(
                    s,
                    " ! {:<22} {:>6} ({}/{}) {what} {:<6} {}",
                    fit(label, 22),
                    format!("{:.2}%", a.rate * 100.0),
                    (a.rate * a.interactions as f64).round() as u64,
                    a.interactions,
                    format!("{:.2}%", a.limit * 100.0),
                    fit(a.owner_name.as_deref().unwrap_or("no MOT Manager"), 18)
                );
            }
        }
        if !self.ownership.owners.is_empty() {
            s.push_str("\nMOT Managers\n");
            for o in &self.ownership.owners {
                let _ = writeln!(
                    s,
                    "  {:<24} {:>2} MOTs {:>9} interactions  {:>6}  alerts: {}",
                    fit(&o.name, 24),
                    o.mots.len(),
                    count(o.production.interactions),
                    pct(o.production.rate),
                    o.alerts
                );
            }
        }
        if !self.types.is_empty() {
            s.push_str("\nInteraction types\n");
            for t in &self.types {
                let _ = writeln!(
                    s,
                    "  {:<4} {:>2} MOTs {:>9} interactions  {:>6}",
                    t.interaction_type.as_deref().unwrap_or("?"),
                    t.mots,
                    count(t.production.interactions),
                    pct(t.production.rate)
                );
            }
        }
        if !self.variants.top.is_empty() {
            let _ = writeln!(
                s,
                "\nTop variants ({} distinct)",
                self.variants
                    .distinct
                    .map_or_else(|| "not counted".into(), count)
            );
            for v in self.variants.top.iter().take(5) {
                let _ = writeln!(
                    s,
                    "  {:>7}  {}",
                    count(v.count),
                    fit(&v.mots.join(" → "), 68)
                );
            }
        }
        s.push_str(&super::super::gap_view::table(self));
        s
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::demo;

    #[test]
    fn table_fits_80_columns() {
        let table = demo().to_table();
        for line in table.lines() {
            assert!(
                line.chars().count() <= 80,
                "{} chars: {line}",
                line.chars().count()
            );
        }
        assert!(table.contains("bag-drop"));
    }
}
