//! Which ideas earned their keep: each implemented idea's measured effect
//! on its MOT, and how long ideas take from submission to implementation.
//! The contract `mot.ideas/1`.
//!
//! For an idea put in place at `t`, the tracker's SMOTO series of its MOT
//! gives two windows of `window_days` each: **before** ends where the
//! period holding `t` starts, **after** starts where it ends — the period
//! of the change itself belongs to neither, since part of it ran the old
//! way (when `t` is exactly a period boundary, the windows meet at `t`).
//! Each idea gets the [`RateChange`] of its MOT between them, and the list
//! is ranked by the lower bound of its Newcombe interval: the idea whose
//! gain is surest comes first; ideas that cannot be measured (no
//! `implemented_at`, or no interactions in a window) come last.
//!
//! The **cycle time** of an idea is `implemented_at − submitted_at`, in
//! days ("evolve your experiences in days, not months"): count, mean,
//! median and longest, over all implemented ideas with both dates and per
//! MOT.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{CompareOptions, RateChange, Window, build::in_periods, same_experience};
use crate::dashboard::ExperienceRef;
use crate::{Error, Experience, IdeaStatus, Moment, Tracker};

/// The format tag of an ideas report.
pub const IDEAS_FORMAT: &str = "mot.ideas/1";

/// Options of an ideas report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(default, deny_unknown_fields)]
pub struct IdeasOptions {
    /// Width of each window, in days (default 28): a whole number of the
    /// tracker's periods.
    pub window_days: u32,
    /// `1 −` the confidence of the intervals (default 0.05).
    pub alpha: f64,
    /// The always-valid interval's mixture variance (default 0.0025; see
    /// [`CompareOptions::tau2`]).
    pub tau2: f64,
}

impl Default for IdeasOptions {
    fn default() -> Self {
        let c = CompareOptions::default();
        IdeasOptions {
            window_days: 28,
            alpha: c.alpha,
            tau2: c.tau2,
        }
    }
}

/// The ideas report: the contract `mot.ideas/1`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
#[schemars(title = "mot.ideas/1")]
pub struct IdeaReport {
    /// Always `"mot.ideas/1"`.
    pub format: String,
    /// The experience whose ideas these are.
    pub experience: ExperienceRef,
    /// The tracker's trend period.
    pub period: String,
    /// Width of each window, in days.
    pub window_days: u32,
    /// `1 −` the confidence of the intervals.
    pub alpha: f64,
    /// The mixture variance of the always-valid intervals.
    pub tau2: f64,
    /// Implemented ideas, the surest gain first (see the module docs).
    pub ideas: Vec<IdeaEffect>,
    /// Ideas not implemented yet, by status: `proposed`, `under-review`,
    /// `accepted`, `rejected`.
    pub open: Vec<StatusCount>,
    /// Cycle time over every implemented idea with both dates.
    pub cycle_time: CycleTime,
    /// Cycle time per MOT with at least one idea, in the experience's order.
    pub cycle_time_per_mot: Vec<MotCycleTime>,
}

/// One implemented idea and what it changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct IdeaEffect {
    /// Idea id.
    pub id: String,
    /// The MOT it improves.
    pub mot: String,
    /// The idea in a line.
    pub title: String,
    /// Who proposed it (person id).
    pub author: String,
    /// Their name.
    pub author_name: Option<String>,
    /// When it was proposed.
    #[cfg_attr(feature = "typescript", tsify(type = "string | null"))]
    pub submitted_at: Option<Moment>,
    /// When it was put in place.
    #[cfg_attr(feature = "typescript", tsify(type = "string | null"))]
    pub implemented_at: Option<Moment>,
    /// `implemented_at − submitted_at`, in days.
    pub cycle_days: Option<f64>,
    /// The window before (`null` without `implemented_at`).
    pub before: Option<Window>,
    /// The window after.
    pub after: Option<Window>,
    /// Its MOT's SMOTO rate in the two windows (`null` without
    /// `implemented_at`).
    pub change: Option<RateChange>,
}

/// How many ideas are in one status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct StatusCount {
    /// The status.
    pub status: String,
    /// Ideas in it.
    pub count: u64,
}

/// Cycle times, submission to implementation, in days.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct CycleTime {
    /// Implemented ideas with both dates.
    pub ideas: u64,
    /// Mean (`null` without one).
    pub mean_days: Option<f64>,
    /// Median.
    pub median_days: Option<f64>,
    /// Longest.
    pub max_days: Option<f64>,
}

/// One MOT's cycle time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct MotCycleTime {
    /// MOT id.
    pub mot: String,
    /// Its ideas' cycle time.
    #[serde(flatten)]
    pub cycle_time: CycleTime,
}

impl CycleTime {
    /// The figures of `days` (any order).
    pub fn of(mut days: Vec<f64>) -> CycleTime {
        days.sort_by(f64::total_cmp);
        let n = days.len();
        let median = match n {
            0 => None,
            _ if n % 2 == 1 => Some(days[n / 2]),
            _ => Some((days[n / 2 - 1] + days[n / 2]) / 2.0),
        };
        CycleTime {
            ideas: n as u64,
            mean_days: (n > 0).then(|| {
                let mut sum = crate::numeric::Sum::default();
                days.iter().for_each(|&d| sum.add(d));
                sum.value() / n as f64
            }),
            median_days: median,
            max_days: days.last().copied(),
        }
    }
}

/// The windows before and after a change at `t` (see the module docs).
fn windows_around(t: i64, period: crate::Period, width: i64) -> (Window, Window) {
    let start = period.start_of(period.index(t));
    let end = if start == t {
        t
    } else {
        start + period.width()
    };
    (
        Window {
            from: start - width,
            to: start,
        },
        Window {
            from: end,
            to: end + width,
        },
    )
}

impl IdeaReport {
    /// The ideas of `experience` measured on `tracker`'s state.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) when `window_days`
    /// is 0 or not a whole number of the tracker's periods, for `alpha` or
    /// `tau2` out of range, or when the tracker measures another
    /// experience.
    pub fn build(
        tracker: &Tracker,
        experience: &Experience,
        options: &IdeasOptions,
    ) -> Result<IdeaReport, Error> {
        let compare = CompareOptions {
            alpha: options.alpha,
            tau2: options.tau2,
        };
        compare.check()?;
        same_experience(tracker, Some(experience))?;
        let period = tracker.config.period;
        let width = i64::from(options.window_days) * 86_400;
        if width == 0 || width % period.width() != 0 {
            return Err(Error::config(format!(
                "`window_days` must be a positive whole number of `{period}` periods, not `{}`",
                options.window_days
            )));
        }
        let spec = experience.spec();
        let person = |id: &str| {
            spec.people
                .iter()
                .find(|p| p.id.as_str() == id)
                .map(|p| p.name.clone())
        };
        let mut ideas = Vec::new();
        let mut open = Vec::new();
        let mut all_days = Vec::new();
        let mut per_mot: Vec<Vec<f64>> = vec![Vec::new(); experience.mots().len()];
        let mut has_ideas = vec![false; experience.mots().len()];
        for idea in &spec.ideas {
            let mi = experience.mot_index(idea.mot.as_str());
            if let Some(i) = mi {
                has_ideas[i] = true;
            }
            if idea.status != IdeaStatus::Implemented {
                let status = idea.status.as_str();
                match open
                    .iter_mut()
                    .find(|c: &&mut StatusCount| c.status == status)
                {
                    Some(c) => c.count += 1,
                    None => open.push(StatusCount {
                        status: status.to_string(),
                        count: 1,
                    }),
                }
                continue;
            }
            let cycle_days = match (idea.submitted_at, idea.implemented_at) {
                (Some(s), Some(i)) => Some((i.seconds() - s.seconds()) as f64 / 86_400.0),
                _ => None,
            };
            if let Some(d) = cycle_days {
                all_days.push(d);
                if let Some(i) = mi {
                    per_mot[i].push(d);
                }
            }
            let windows = idea
                .implemented_at
                .map(|t| windows_around(t.seconds(), period, width));
            let change = windows.and_then(|(b, a)| {
                let m = tracker.mot_index(idea.mot.as_str())? as usize;
                let series = tracker.smoto_series(m);
                let (pb, pa) = (b.periods(period).ok()?, a.periods(period).ok()?);
                Some(RateChange::of(
                    in_periods(series, pb),
                    in_periods(series, pa),
                    &compare,
                ))
            });
            ideas.push(IdeaEffect {
                id: idea.id.to_string(),
                mot: idea.mot.to_string(),
                title: idea.title.clone(),
                author: idea.author.to_string(),
                author_name: person(idea.author.as_str()),
                submitted_at: idea.submitted_at,
                implemented_at: idea.implemented_at,
                cycle_days,
                before: windows.map(|w| w.0),
                after: windows.map(|w| w.1),
                change,
            });
        }
        // The surest gain first: the Newcombe lower bound, then the
        // difference, then the id; what cannot be measured last.
        let key = |e: &IdeaEffect| {
            let c = e.change.as_ref();
            (
                c.and_then(|c| c.ci_low).unwrap_or(f64::NEG_INFINITY),
                c.and_then(|c| c.difference).unwrap_or(f64::NEG_INFINITY),
            )
        };
        ideas.sort_by(|a, b| {
            let (ka, kb) = (key(a), key(b));
            kb.0.total_cmp(&ka.0)
                .then(kb.1.total_cmp(&ka.1))
                .then_with(|| a.id.cmp(&b.id))
        });
        open.sort_by_key(|c| match c.status.as_str() {
            "proposed" => 0,
            "under-review" => 1,
            "accepted" => 2,
            _ => 3,
        });
        let cycle_time_per_mot = experience
            .mots()
            .iter()
            .enumerate()
            .filter(|(i, _)| has_ideas[*i])
            .map(|(i, m)| MotCycleTime {
                mot: m.id.to_string(),
                cycle_time: CycleTime::of(std::mem::take(&mut per_mot[i])),
            })
            .collect();
        Ok(IdeaReport {
            format: IDEAS_FORMAT.to_string(),
            experience: ExperienceRef::of(experience),
            period: period.name(),
            window_days: options.window_days,
            alpha: options.alpha,
            tau2: options.tau2,
            ideas,
            open,
            cycle_time: CycleTime::of(all_days),
            cycle_time_per_mot,
        })
    }

    /// The report as pretty JSON.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Period, TrackerConfig, sample, simulate};

    #[test]
    fn windows_skip_the_period_of_the_change() {
        let day = 86_400;
        let (b, a) = windows_around(10 * day + 3_600, Period::Day, 7 * day);
        assert_eq!(
            (b.from, b.to, a.from, a.to),
            (3 * day, 10 * day, 11 * day, 18 * day)
        );
        let (b, a) = windows_around(10 * day, Period::Day, 7 * day);
        assert_eq!((b.to, a.from), (10 * day, 10 * day));
    }

    #[test]
    fn cycle_times() {
        let c = CycleTime::of(vec![4.0, 1.0, 10.0, 2.0]);
        assert_eq!(c.ideas, 4);
        assert_eq!(
            (c.mean_days, c.median_days, c.max_days),
            (Some(4.25), Some(3.0), Some(10.0))
        );
        assert_eq!(CycleTime::of(vec![]), CycleTime::default());
    }

    #[test]
    fn the_bag_drop_incident_ranks_an_idea_last() {
        // The scenario's `bag-drop` falls to 70% on its last day (day 89):
        // an idea put in place that day is measured as a loss; one on a
        // quiet day is not.
        let mut spec = sample::airline().spec().clone();
        let day = |d: i64| Moment::from_seconds(1_785_542_400 + d * 86_400);
        spec.ideas[0].status = IdeaStatus::Implemented;
        spec.ideas[0].mot = "bag-drop".into();
        spec.ideas[0].submitted_at = Some(day(80));
        spec.ideas[0].implemented_at = Some(day(89));
        spec.ideas[1].status = IdeaStatus::Implemented;
        spec.ideas[1].submitted_at = Some(day(40));
        spec.ideas[1].implemented_at = Some(Moment::from_seconds(day(45).seconds() + 3_600));
        let x = Experience::new(spec).unwrap();
        let mut t = Tracker::new(&x, TrackerConfig::default());
        simulate::airline_scenario(&x, 20_000, 3)
            .generate()
            .ingest_into(&mut t)
            .unwrap();
        let options = IdeasOptions {
            window_days: 1,
            ..IdeasOptions::default()
        };
        let r = IdeaReport::build(&t, &x, &options).unwrap();
        let last = r.ideas.iter().rev().find(|e| e.change.is_some()).unwrap();
        assert_eq!(last.id, x.spec().ideas[0].id.as_str());
        assert_eq!(
            last.change.as_ref().unwrap().verdict,
            Some(super::super::Verdict::Worsened)
        );
        assert_eq!(last.cycle_days, Some(9.0));
        let quiet = r
            .ideas
            .iter()
            .find(|e| e.id == x.spec().ideas[1].id.as_str())
            .unwrap();
        // Implemented at 01:00 on day 45: day 45 itself is left out.
        assert_eq!(quiet.after.unwrap().from, day(46).seconds());
        // These two and the sample's own implemented idea.
        assert_eq!(r.cycle_time.ideas, 3);
        let err = IdeaReport::build(
            &t,
            &x,
            &IdeasOptions {
                window_days: 0,
                ..options
            },
        )
        .unwrap_err();
        assert!(err.to_string().contains("`window_days`"), "{err}");
    }
}
