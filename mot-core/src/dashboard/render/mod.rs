//! The dashboard rendered for people: [`table`] for a terminal, [`html`] as
//! one self-contained page. This module holds the formatting both share.

mod html;
mod table;

pub(crate) fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "–".into(), |x| format!("{:.1}%", x * 100.0))
}

pub(crate) fn num(x: Option<f64>, digits: usize) -> String {
    x.map_or_else(|| "–".into(), |x| format!("{x:.digits$}"))
}

pub(crate) fn signed(x: Option<f64>, digits: usize) -> String {
    x.map_or_else(|| "–".into(), |x| format!("{x:+.digits$}"))
}

/// Thousands separators for counts.
pub(crate) fn count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Cuts `s` to `width` characters, marking the cut with `…`.
pub(crate) fn fit(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_string();
    }
    let mut t: String = s.chars().take(width.saturating_sub(1)).collect();
    t.push('…');
    t
}

pub(crate) use crate::input::time::format_date as utc_date;
/// Escapes text for HTML content and attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::{Dashboard, DashboardOptions, Tracker, TrackerConfig, sample, simulate};

    /// The airline sample with 3,000 simulated journeys.
    pub(in crate::dashboard) fn demo() -> Dashboard {
        let x = sample::airline();
        let mut t = Tracker::new(&x, TrackerConfig::default());
        simulate::airline_scenario(&x, 3_000, 1)
            .generate()
            .ingest_into(&mut t)
            .unwrap();
        Dashboard::build(&t, Some(&x), &DashboardOptions::default()).unwrap()
    }

    #[test]
    fn dates() {
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(1_795_392_000), "2026-11-23");
        assert_eq!(utc_date(-86_400), "1969-12-31");
        assert_eq!(utc_date(951_782_400), "2000-02-29");
        assert_eq!(count(1_234_567), "1,234,567");
    }
}
