//! The dashboard as plain text for an 80-column terminal.
//!
//! Every line is at most [`WIDTH`] characters and none ends in a space.
//! Names too long for their column are cut at a word boundary
//! ([`fit_words`]); a variant too long for its line keeps its first and last
//! steps, numbered, and elides the middle (so that two variants never print
//! alike: where they would, the step where they part is shown too).
//! Columns that are unknown for every MOT (a log without a success flag, a
//! design without interaction types) are left out and named in a note, and
//! an SCO that was not measured says so.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::super::{AlertKind, Dashboard, contract::Variant};
use super::{count, fit, fit_list, fit_words, num, pct, signed, utc_date};

/// The terminal width every line fits.
const WIDTH: usize = 80;

/// The indent of a section's lines (`SCO        …`).
const LABEL: usize = 11;

impl Dashboard {
    /// The dashboard as plain text that fits an 80-column terminal: lines
    /// of at most 80 characters, none ending in a space.
    pub fn to_table(&self) -> String {
        let mut s = String::new();
        let title = match &self.experience {
            Some(x) => format!("{} — {}", x.name, x.segment),
            None => "Interaction log (discovery mode)".to_string(),
        };
        let period = format!("   period: {}", self.period);
        let _ = writeln!(
            s,
            "{}{period}",
            fit_words(&title, WIDTH - period.chars().count())
        );
        self.sco_lines(&mut s);
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
        let head = format!("Rejected   {} rows", count(rejected));
        let reasons: Vec<String> = self
            .rejected
            .nonzero()
            .map(|(r, n)| format!("{r} {}", count(n)))
            .collect();
        if reasons.is_empty() {
            let _ = writeln!(s, "{head}");
        } else {
            let room = WIDTH - head.chars().count() - 3;
            let _ = writeln!(s, "{head} ({})", fit_list(&reasons, room));
        }

        s.push('\n');
        self.mot_table(&mut s);
        self.alert_lines(&mut s);
        if !self.ownership.owners.is_empty() {
            s.push_str("\nMOT Managers\n");
            for o in &self.ownership.owners {
                let _ = writeln!(
                    s,
                    "  {:<24} {:>2} MOTs {:>9} interactions  {:>6}  alerts: {}",
                    fit_words(&o.name, 24),
                    o.mots.len(),
                    count(o.production.interactions),
                    pct(o.production.rate),
                    o.alerts
                );
            }
        }
        // A list of one unknown type says nothing the amounts do not.
        if self.types.iter().any(|t| t.interaction_type.is_some()) {
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
                "\nTop variants ({} distinct): journeys × numbered steps",
                self.variants
                    .distinct
                    .map_or_else(|| "not counted".into(), count)
            );
            let shown: Vec<&Variant> = self.variants.top.iter().take(5).collect();
            let digits = shown
                .iter()
                .map(|v| count(v.count).chars().count())
                .max()
                .unwrap_or(1);
            let lines = variant_lines(&shown, WIDTH - 5 - digits);
            for (v, line) in shown.iter().zip(lines) {
                let _ = writeln!(s, "  {:>digits$} × {line}", count(v.count));
            }
        }
        s.push_str(&super::super::gap_view::table(self));
        // Names come from the user's data and may end in spaces.
        let mut out = String::with_capacity(s.len());
        for line in s.lines() {
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    /// The SCO: its one-liner, then its rate, or that it was not measured.
    fn sco_lines(&self, s: &mut String) {
        let sco = &self.sco;
        let mut label = "SCO";
        if let Some(one) = &sco.one_liner {
            let _ = writeln!(s, "{label:<LABEL$}{}", fit_words(one, WIDTH - LABEL));
            label = "";
        }
        if sco.journeys == 0 {
            let _ = writeln!(
                s,
                "{label:<LABEL$}not measured: no journey outcomes (give outcomes or an SCO rule)"
            );
            return;
        }
        let _ = writeln!(
            s,
            "{label:<LABEL$}{} ({}/{} journeys)  95% CI {}–{}{}",
            pct(sco.rate),
            count(sco.successes),
            count(sco.journeys),
            pct(sco.ci_low),
            pct(sco.ci_high),
            sco.target
                .map(|t| format!("  target {}", pct(Some(t))))
                .unwrap_or_default()
        );
    }

    /// One row per MOT. Columns are as wide as their widest cell; the MOT
    /// column takes what is left of the line; a column unknown for every
    /// MOT is left out and named below the table.
    fn mot_table(&self, s: &mut String) {
        struct Col {
            head: &'static str,
            right: bool,
            cells: Vec<String>,
        }
        let col = |head, right, cell: &dyn Fn(&super::super::contract::MotFigures) -> String| Col {
            head,
            right,
            cells: self.mots.iter().map(cell).collect(),
        };
        let cols = vec![
            col("ty", false, &|m| {
                m.interaction_type.as_deref().unwrap_or("?").to_string()
            }),
            col("n", true, &|m| count(m.interactions)),
            col("SMOTO", true, &|m| pct(m.smoto_rate)),
            col("95% CI", true, &|m| match (m.ci_low, m.ci_high) {
                (Some(l), Some(h)) => format!("{:.1}–{:.1}", l * 100.0, h * 100.0),
                _ => "–".into(),
            }),
            col("lift", true, &|m| signed(m.lift, 2)),
            col("RE", true, &|m| num(m.removal_effect, 2)),
            col("trend/d", true, &|m| {
                m.trend_slope_per_day
                    .map_or_else(|| "–".into(), |t| format!("{:+.2}", t * 100.0))
            }),
            col("class", false, &|m| m.alignment.as_str().to_string()),
        ];
        let unknown = |c: &str| matches!(c, "–" | "?" | "unmeasured");
        let (cols, left_out): (Vec<Col>, Vec<Col>) = cols
            .into_iter()
            .partition(|c| c.head == "n" || !c.cells.iter().all(|x| unknown(x)));
        let width = |c: &Col| {
            c.cells
                .iter()
                .map(|x| x.chars().count())
                .chain([c.head.len()])
                .max()
                .unwrap_or(0)
        };
        let widths: Vec<usize> = cols.iter().map(width).collect();
        let rest: usize = widths.iter().map(|w| w + 1).sum();
        let longest = self
            .mots
            .iter()
            .map(|m| m.id.chars().count())
            .max()
            .unwrap_or(0);
        let mot_width = longest.clamp(3, WIDTH.saturating_sub(rest).max(3));
        let row = |first: &str, cells: Vec<&str>| {
            let mut line = format!("{first:<mot_width$}");
            for ((c, w), x) in cols.iter().zip(&widths).zip(cells) {
                if c.right {
                    let _ = write!(line, " {x:>w$}");
                } else {
                    let _ = write!(line, " {x:<w$}");
                }
            }
            line.truncate(line.trim_end().len());
            line
        };
        let _ = writeln!(s, "{}", row("MOT", cols.iter().map(|c| c.head).collect()));
        for (i, m) in self.mots.iter().enumerate() {
            let id = fit_words(&m.id, mot_width);
            let _ = writeln!(
                s,
                "{}",
                row(&id, cols.iter().map(|c| c.cells[i].as_str()).collect())
            );
        }
        let mut notes = Vec::new();
        if cols.iter().any(|c| c.head == "trend/d") {
            notes.push("trend/d: SMOTO rate change per day, in points");
        }
        if cols.iter().any(|c| c.head == "RE") {
            notes.push("RE: removal effect");
        }
        if !notes.is_empty() {
            let _ = writeln!(s, "({})", notes.join("; "));
        }
        if !left_out.is_empty() && !self.mots.is_empty() {
            let names: Vec<&str> = left_out.iter().map(|c| c.head).collect();
            let _ = writeln!(
                s,
                "{}",
                fit(
                    &format!("(unknown for every MOT, not shown: {})", names.join(", ")),
                    WIDTH
                )
            );
        }
    }

    /// One line per alert: the day (and time, for periods shorter than a
    /// day) its period starts, the MOT, the rate in that period, the limit
    /// crossed and whom to tell.
    fn alert_lines(&self, s: &mut String) {
        if self.alerts.is_empty() {
            return;
        }
        let _ = writeln!(s, "\nAlerts (latest {})", self.period);
        let rows: Vec<[String; 5]> = self
            .alerts
            .iter()
            .map(|a| {
                let mut date = utc_date(a.period_start);
                let time = a.period_start.rem_euclid(86_400);
                if time != 0 {
                    let _ = write!(date, " {:02}:{:02}", time / 3_600, time % 3_600 / 60);
                }
                let label = match (&a.name, &a.mot) {
                    (Some(name), _) => name.as_str(),
                    (None, Some(mot)) => mot.as_str(),
                    (None, None) => "conformance",
                };
                let limit = pct(Some(a.limit));
                let what = match a.kind {
                    AlertKind::BelowControlLimit | AlertKind::Conformance => {
                        format!("< LCL {limit}")
                    }
                    AlertKind::AboveControlLimit => format!("> UCL {limit}"),
                    AlertKind::BelowTarget => format!("< target {limit}"),
                    AlertKind::Cusum => format!("CUSUM < target {limit}"),
                };
                [
                    date,
                    fit_words(label, 22),
                    format!(
                        "{} ({}/{})",
                        pct(Some(a.rate)),
                        (a.rate * a.interactions as f64).round() as u64,
                        a.interactions
                    ),
                    what,
                    a.owner_name
                        .clone()
                        .unwrap_or_else(|| "no MOT Manager".into()),
                ]
            })
            .collect();
        let w = |k: usize| rows.iter().map(|r| r[k].chars().count()).max().unwrap_or(0);
        let (w0, w1, w2, w3) = (w(0), w(1), w(2), w(3));
        for r in &rows {
            let line = format!(
                " ! {:<w0$} {:<w1$} {:>w2$} {:<w3$} ",
                r[0], r[1], r[2], r[3]
            );
            let room = WIDTH.saturating_sub(line.chars().count());
            let _ = writeln!(s, "{line}{}", fit_words(&r[4], room));
        }
    }
}

/// Each variant's steps on one line of at most `width` characters, told
/// apart: see [`steps_line`]. Where two lines would read alike (they differ
/// only in elided steps), each shows the first step where they part too.
pub(crate) fn variant_lines(variants: &[&Variant], width: usize) -> Vec<String> {
    let steps: Vec<Vec<&str>> = variants
        .iter()
        .map(|v| v.mots.iter().map(String::as_str).collect())
        .collect();
    let mut must: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); steps.len()];
    // Each round shows at least one more step of a variant that collides,
    // and a variant has finitely many: the loop ends.
    loop {
        let lines: Vec<String> = steps
            .iter()
            .zip(&must)
            .map(|(v, m)| steps_line(v, m, width))
            .collect();
        let mut grew = false;
        for i in 0..steps.len() {
            for j in i + 1..steps.len() {
                if lines[i] != lines[j] {
                    continue;
                }
                let (a, b) = (&steps[i], &steps[j]);
                let part = (0..a.len().min(b.len()))
                    .find(|&k| a[k] != b[k])
                    .unwrap_or(a.len().min(b.len()));
                grew |= part < a.len() && must[i].insert(part);
                grew |= part < b.len() && must[j].insert(part);
            }
        }
        if !grew {
            return lines;
        }
    }
}

/// A variant's steps as `1 a → 2 b … 9 z` in at most `width`
/// characters: the first and last steps and those in `must` always, then
/// as many from the start and the end as fit (the numbers tell how many
/// are elided and how long the variant is). When even those do not fit,
/// the line is cut.
pub(crate) fn steps_line(steps: &[&str], must: &BTreeSet<usize>, width: usize) -> String {
    let n = steps.len();
    if n == 0 {
        return String::new();
    }
    // Steps in `shown` with their numbers, joined by `→` where they follow
    // each other and by `…` where steps are left out; the names of inner
    // steps cut to `inner` characters.
    let render = |shown: &BTreeSet<usize>, inner: usize| {
        let mut line = String::new();
        let mut last = None;
        for &k in shown {
            match last {
                Some(j) if j + 1 == k => line.push_str(" → "),
                Some(_) => line.push_str(" … "),
                None => {}
            }
            let name = if k == 0 || k == n - 1 {
                steps[k].to_string()
            } else {
                fit_words(steps[k], inner)
            };
            let _ = write!(line, "{} {name}", k + 1);
            last = Some(k);
        }
        line
    };
    let fits = |line: &str| line.chars().count() <= width;
    let mut shown: BTreeSet<usize> = must.iter().copied().filter(|&k| k < n).collect();
    shown.extend([0, n - 1]);
    let whole = usize::MAX;
    let mut line = render(&shown, whole);
    if !fits(&line) {
        // The steps that must show do not fit whole: cut the inner ones'
        // names, then, at the last, the line.
        let longest = steps.iter().map(|s| s.chars().count()).max().unwrap_or(0);
        return (4..longest)
            .rev()
            .map(|inner| render(&shown, inner))
            .find(|l| fits(l))
            .unwrap_or_else(|| fit(&line, width));
    }
    // From the start and the end in turn: 1, n-2, 2, n-3, …
    for i in 1..n {
        for k in [i, n - 1 - i] {
            if shown.len() == n {
                return line;
            }
            if shown.insert(k) {
                let longer = render(&shown, whole);
                if !fits(&longer) {
                    return line;
                }
                line = longer;
            }
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::super::tests::demo;
    use super::*;
    use crate::csv::EventTable;
    use crate::events::ReadOptions;
    use crate::{DashboardOptions, TrackerConfig};

    fn set(v: &[usize]) -> BTreeSet<usize> {
        v.iter().copied().collect()
    }

    fn variant(mots: &[&str]) -> Variant {
        Variant {
            mots: mots.iter().map(|m| m.to_string()).collect(),
            count: 1,
            cost: None,
            fitness: None,
        }
    }

    /// Every line at most 80 characters, none with a trailing space.
    fn assert_fits(table: &str) {
        for line in table.lines() {
            let n = line.chars().count();
            assert!(n <= WIDTH, "{n} chars: {line}");
            assert_eq!(line, line.trim_end(), "trailing space: {line:?}");
            assert!(
                !line.trim_start().starts_with("– ("),
                "an unlabelled line: {line}"
            );
        }
    }

    fn section<'a>(table: &'a str, head: &str) -> Vec<&'a str> {
        table
            .lines()
            .skip_while(|l| !l.starts_with(head))
            .skip(1)
            .take_while(|l| !l.is_empty())
            .collect()
    }

    #[test]
    fn short_variants_show_every_step_numbered() {
        let line = steps_line(&["a", "b", "c"], &set(&[]), 80);
        assert_eq!(line, "1 a → 2 b → 3 c");
    }

    #[test]
    fn long_variants_keep_both_ends_and_elide_the_middle() {
        let steps: Vec<String> = (1..=20).map(|k| format!("step-{k}")).collect();
        let steps: Vec<&str> = steps.iter().map(String::as_str).collect();
        let line = steps_line(&steps, &set(&[]), 60);
        assert!(line.chars().count() <= 60, "{line}");
        assert!(line.starts_with("1 step-1 → 2 step-2"), "{line}");
        assert!(line.ends_with("→ 20 step-20"), "{line}");
        assert!(line.contains(" … "), "{line}");
        // A step asked for is shown, with its number, between two elisions.
        let line = steps_line(&steps, &set(&[9]), 60);
        assert!(line.contains(" … 10 step-10 … "), "{line}");
        assert!(line.chars().count() <= 60, "{line}");
    }

    #[test]
    fn a_line_too_narrow_for_its_ends_is_cut() {
        let line = steps_line(
            &["a-very-long-first-step", "another-long-step"],
            &set(&[]),
            20,
        );
        assert_eq!(line.chars().count(), 20);
        assert!(line.ends_with('…'));
    }

    #[test]
    fn variants_differing_only_in_the_middle_print_differently() {
        let long = |middle: &str| {
            let mut v: Vec<String> = (1..=12).map(|k| format!("mot-{k}")).collect();
            v[6] = middle.to_string();
            v
        };
        let a = long("detour-a");
        let b = long("detour-b");
        let c = long("mot-7");
        let mut d = long("mot-7");
        d[9] = "late-change".into();
        let vs: Vec<Variant> = [&a, &b, &c, &d]
            .iter()
            .map(|v| variant(&v.iter().map(String::as_str).collect::<Vec<_>>()))
            .collect();
        let refs: Vec<&Variant> = vs.iter().collect();
        let lines = variant_lines(&refs, 60);
        for (i, x) in lines.iter().enumerate() {
            assert!(x.chars().count() <= 60, "{x}");
            for y in &lines[i + 1..] {
                assert_ne!(x, y);
            }
        }
        assert!(lines[0].contains("7 detour-a"), "{}", lines[0]);
        assert!(lines[1].contains("7 detour-b"), "{}", lines[1]);
        assert!(lines[3].contains("10 late-change"), "{}", lines[3]);
    }

    #[test]
    fn variants_of_different_lengths_differ_in_their_last_number() {
        let a = variant(&["a", "b", "c", "d"]);
        let b = variant(&["a", "b", "c", "d", "d"]);
        let lines = variant_lines(&[&a, &b], 14);
        assert_ne!(lines[0], lines[1], "{lines:?}");
    }

    #[test]
    fn names_are_cut_at_word_boundaries() {
        assert_eq!(fit_words("Take in charge ticket", 18), "Take in charge…");
        assert_eq!(fit_words("Schedule intervention", 18), "Schedule…");
        assert_eq!(fit_words("booking-confirmation", 18), "booking-…");
        assert_eq!(fit_words("short", 18), "short");
        assert_eq!(fit_words("exactly-ten", 11), "exactly-ten");
        // One word longer than the width is cut inside it.
        assert_eq!(fit_words("Supercalifragilistic", 10), "Supercali…");
        // A boundary too early would waste the width: cut inside the word.
        assert_eq!(fit_words("a verylongwordindeed", 12), "a verylongw…");
        assert_eq!(fit_words("anything", 0), "");
        assert_eq!(fit_words("anything", 1), "…");
        for w in 0..25 {
            assert!(
                fit_words("Call the automated line and wait", w)
                    .chars()
                    .count()
                    <= w
            );
        }
    }

    #[test]
    fn lists_keep_whole_items() {
        let items: Vec<String> = [
            "Marketing survey e-mail 10.0%",
            "Seat on board 10.0%",
            "Payment authorisation 9.9%",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            fit_list(&items, 60),
            "Marketing survey e-mail 10.0%, Seat on board 10.0%, …"
        );
        assert_eq!(fit_list(&items[..1], 60), "Marketing survey e-mail 10.0%");
        assert_eq!(fit_list(&[], 60), "none");
        assert!(fit_list(&items, 20).chars().count() <= 20);
    }

    #[test]
    fn demo_table_fits_and_tells_things_apart() {
        let d = demo();
        let table = d.to_table();
        assert_fits(&table);
        assert!(table.contains("bag-drop"));
        // Every MOT id whole (the column is as wide as the longest id).
        for m in &d.mots {
            assert!(
                table.lines().any(|l| l.starts_with(&format!("{} ", m.id))),
                "{}",
                m.id
            );
        }
        // Distinct variants print distinct lines, numbered, ending in the
        // last step.
        let variants = section(&table, "Top variants");
        assert_eq!(variants.len(), d.variants.top.len().min(5));
        for (i, a) in variants.iter().enumerate() {
            assert!(a.contains(" × 1 search-book "), "{a}");
            for b in &variants[i + 1..] {
                assert_ne!(a, b);
            }
        }
        for (line, v) in variants.iter().zip(&d.variants.top) {
            let last = format!("{} {}", v.mots.len(), v.mots.last().unwrap());
            assert!(line.ends_with(&last), "{line} / {last}");
        }
        // Every alert with the day of its period.
        let alerts = section(&table, "Alerts");
        assert_eq!(alerts.len(), d.alerts.len());
        assert!(!alerts.is_empty());
        for (line, a) in alerts.iter().zip(&d.alerts) {
            assert!(
                line.starts_with(&format!(" ! {} ", utc_date(a.period_start))),
                "{line}"
            );
        }
    }

    /// A log of named activities without success flags, outcomes or
    /// design: discovery mode.
    fn discovery() -> Dashboard {
        let names = [
            "Assign seriousness",
            "Take in charge ticket",
            "Wait",
            "Resolve ticket",
            "Schedule intervention",
            "Closed",
        ];
        let mut csv = String::from("journey_id,mot_id,timestamp\n");
        for j in 0..40i64 {
            let mut t = 1_795_392_000 + j * 3_600;
            let mut path = vec![0, 1];
            if j % 3 == 0 {
                path.push(2);
            }
            if j % 5 == 0 {
                path.push(4);
            }
            path.extend([3, 5]);
            for k in path {
                let _ = writeln!(csv, "j{j},{},{t}", names[k]);
                t += 600;
            }
        }
        let events = EventTable::read(csv.as_bytes(), "log.csv", &ReadOptions::default()).unwrap();
        let options = DashboardOptions::default();
        Dashboard::from_tables(None, &events, None, TrackerConfig::default(), &options).unwrap()
    }

    #[test]
    fn discovery_table_has_no_empty_lines() {
        let d = discovery();
        let table = d.to_table();
        assert_fits(&table);
        assert!(table.contains("SCO        not measured"), "{table}");
        // No column, section or line of unknowns only.
        assert!(!table.contains("Interaction types"), "{table}");
        assert!(
            table.contains(
                "(unknown for every MOT, not shown: ty, SMOTO, 95% CI, lift, RE, trend/d, class)"
            ),
            "{table}"
        );
        for line in table.lines() {
            let cells: Vec<&str> = line.split_whitespace().collect();
            assert!(
                cells.is_empty() || !cells.iter().all(|c| matches!(*c, "–" | "?" | "–––")),
                "an empty line: {line}"
            );
        }
        // Names whole, as they fit.
        assert!(table.contains("\nTake in charge ticket "), "{table}");
        assert!(table.contains("\nSchedule intervention "), "{table}");
        let variants = section(&table, "Top variants");
        for (i, a) in variants.iter().enumerate() {
            for b in &variants[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }
}
