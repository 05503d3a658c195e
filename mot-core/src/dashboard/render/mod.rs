//! The dashboard rendered for people: [`table`] for a terminal, [`html`] as
//! one self-contained page. This module holds the formatting both share.

pub(crate) mod figure;
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

/// Cuts `s` to `width` characters at a word boundary, marking the cut with
/// `…`: after the last space, `-`, `_`, `/` or `.` that keeps at least a
/// third of the width, so that a name reads `Take in charge…` rather than
/// `Take in charge ti…`. A first word longer than that is cut inside it.
pub(crate) fn fit_words(s: &str, width: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= width {
        return s.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let room = width - 1;
    let boundary = (room.div_ceil(3).max(1)..=room)
        .rev()
        .find(|&k| chars[k] == ' ' || matches!(chars[k - 1], ' ' | '-' | '_' | '/' | '.'))
        .unwrap_or(room);
    let mut t: String = chars[..boundary].iter().collect();
    t.truncate(t.trim_end().len());
    t.push('…');
    t
}

/// As many of `items` as fit in `width` characters joined with `, `, then
/// `…` when some are left out (items are never cut; a first item too long
/// for the width is cut at a word boundary). `none` when there are none.
pub(crate) fn fit_list(items: &[String], width: usize) -> String {
    const MORE: &str = ", …";
    let Some(first) = items.first() else {
        return "none".into();
    };
    let reserve = |more: bool| if more { MORE.chars().count() } else { 0 };
    let mut s = fit_words(first, width.saturating_sub(reserve(items.len() > 1)));
    let mut shown = 1;
    for (k, item) in items.iter().enumerate().skip(1) {
        let need = s.chars().count() + 2 + item.chars().count() + reserve(k + 1 < items.len());
        if need > width {
            break;
        }
        s.push_str(", ");
        s.push_str(item);
        shown += 1;
    }
    if shown < items.len() {
        s.push_str(MORE);
    }
    s
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
