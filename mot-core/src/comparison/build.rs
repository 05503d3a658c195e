//! How a comparison is computed from a tracker's per-period series.

use super::{
    COMPARISON_FORMAT, CompareOptions, Comparison, Counts, MotChange, RateChange, Verdict, Window,
};
use crate::dashboard::ExperienceRef;
use crate::stats::{always_valid, newcombe, rate, z_for};
use crate::trend::Series;
use crate::{Error, Experience, Period, Tracker};

/// Checks that `experience` is the one `tracker` is bound to (when it is
/// bound): names, owners and targets are matched by id.
///
/// # Errors
///
/// [`ErrorKind::Config`](crate::ErrorKind::Config) when the tracker is
/// bound to a different experience, or another version of its MOTs.
pub fn same_experience(tracker: &Tracker, experience: Option<&Experience>) -> Result<(), Error> {
    if let (Some(b), Some(x)) = (&tracker.registry.binding, experience) {
        let ids: Vec<crate::MotId> = x.mots().iter().map(|m| m.id.clone()).collect();
        if b.fingerprint != crate::production::fingerprint(&ids) {
            return Err(Error::config(format!(
                "the tracker measures experience `{}`, not `{}` (or a different version of its MOTs)",
                b.id,
                x.spec().id
            )));
        }
    }
    Ok(())
}

impl CompareOptions {
    /// Checks the options.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) unless
    /// `0 < alpha < 1` and `tau2 > 0` (both finite).
    pub fn check(&self) -> Result<(), Error> {
        if !(self.alpha > 0.0 && self.alpha < 1.0) {
            return Err(Error::config(format!(
                "`alpha` must be between 0 and 1 (exclusive), not `{}`",
                self.alpha
            )));
        }
        if !(self.tau2 > 0.0 && self.tau2.is_finite()) {
            return Err(Error::config(format!(
                "`tau2` must be a positive number, not `{}`",
                self.tau2
            )));
        }
        Ok(())
    }
}

impl RateChange {
    /// The change from `before` to `after` (each `(successes, n)`), with
    /// its Newcombe and always-valid intervals at `options`.
    pub fn of(before: (u64, u64), after: (u64, u64), options: &CompareOptions) -> RateChange {
        let sample = |(s, n): (u64, u64)| Counts {
            n,
            successes: s,
            rate: rate(s, n),
        };
        let (b, a) = (sample(before), sample(after));
        let difference = match (b.rate, a.rate) {
            (Some(pb), Some(pa)) => Some(pa - pb),
            _ => None,
        };
        let ci = newcombe(before.0, before.1, after.0, after.1, z_for(options.alpha));
        let av = always_valid(
            before.0,
            before.1,
            after.0,
            after.1,
            options.alpha,
            options.tau2,
        );
        RateChange {
            before: b,
            after: a,
            difference,
            ci_low: ci.map(|i| i.low),
            ci_high: ci.map(|i| i.high),
            always_valid_low: av.map(|i| i.low),
            always_valid_high: av.map(|i| i.high),
            verdict: ci.map(|i| {
                if i.low > 0.0 {
                    Verdict::Improved
                } else if i.high < 0.0 {
                    Verdict::Worsened
                } else {
                    Verdict::NoClearChange
                }
            }),
        }
    }
}

/// `(successes, n)` of the periods `[first, end)` of a series.
pub(crate) fn in_periods(series: &Series, (first, end): (i64, i64)) -> (u64, u64) {
    series
        .iter()
        .filter(|(i, _, _)| (first..end).contains(i))
        .fold((0, 0), |(s, n), (_, pn, ps)| (s + ps, n + pn))
}

impl Tracker {
    /// Per MOT index, its SMOTO series over the configured period.
    pub(crate) fn smoto_series(&self, m: usize) -> &Series {
        let st = &self.agg.mots[m];
        if self.config.period == Period::Day {
            &st.days
        } else {
            &st.periods
        }
    }
}

impl Comparison {
    /// Compares two windows of a tracker's state (see the
    /// [module docs](crate::comparison)).
    ///
    /// `experience` supplies names and owners and orders the MOTs; MOTs are
    /// matched by id.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) when a window does
    /// not start and end on the tracker's period boundaries, when the
    /// windows overlap, for options out of range (see
    /// [`CompareOptions::check`]), or when the tracker is bound to another
    /// experience.
    pub fn build(
        tracker: &Tracker,
        experience: Option<&Experience>,
        before: Window,
        after: Window,
        options: &CompareOptions,
    ) -> Result<Comparison, Error> {
        options.check()?;
        same_experience(tracker, experience)?;
        if before.overlaps(&after) {
            return Err(Error::config(format!(
                "the windows overlap (`{before}` and `{after}`): a comparison needs two separate samples"
            )));
        }
        let period = tracker.config.period;
        let (pb, pa) = (before.periods(period)?, after.periods(period)?);
        let agg = &tracker.agg;
        let sco = RateChange::of(
            in_periods(&agg.sco_periods, pb),
            in_periods(&agg.sco_periods, pa),
            options,
        );
        let conformance = tracker.scratch.design.as_ref().map(|_| {
            RateChange::of(
                in_periods(&agg.gap.periods, pb),
                in_periods(&agg.gap.periods, pa),
                options,
            )
        });
        let ids = &tracker.registry.ids;
        let rank = |i: usize| {
            experience
                .and_then(|x| x.mot_index(ids[i].as_str()))
                .unwrap_or(usize::MAX)
        };
        let mut order: Vec<usize> = (0..ids.len())
            .filter(|&i| {
                experience.is_some_and(|x| x.mot(ids[i].as_str()).is_some())
                    || agg.mots[i].judged > 0
            })
            .collect();
        order.sort_by(|&a, &b| (rank(a), ids[a].as_str()).cmp(&(rank(b), ids[b].as_str())));
        let mots = order
            .into_iter()
            .map(|i| {
                let series = tracker.smoto_series(i);
                let mot = experience.and_then(|x| x.mot(ids[i].as_str()));
                MotChange {
                    id: ids[i].to_string(),
                    name: mot.map(|m| m.name.clone()),
                    owner: mot.and_then(|m| m.manager.as_ref().map(|p| p.to_string())),
                    change: RateChange::of(in_periods(series, pb), in_periods(series, pa), options),
                }
            })
            .collect();
        Ok(Comparison {
            format: COMPARISON_FORMAT.to_string(),
            experience: experience.map(ExperienceRef::of),
            period: period.name(),
            before,
            after,
            alpha: options.alpha,
            tau2: options.tau2,
            sco,
            conformance,
            mots,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{TrackerConfig, sample, simulate};

    fn airline(journeys: usize) -> (Experience, Tracker) {
        let x = sample::airline();
        let mut t = Tracker::new(&x, TrackerConfig::default());
        simulate::airline_scenario(&x, journeys, 3)
            .generate()
            .ingest_into(&mut t)
            .unwrap();
        (x, t)
    }

    #[test]
    fn windows_add_up_to_the_whole() {
        let (x, t) = airline(3_000);
        // The scenario runs 90 days from 2026-08-01 (journeys may spill
        // into the next day).
        let all = Window::new(1_785_542_400 - 86_400, 1_785_542_400 + 92 * 86_400).unwrap();
        let none = Window::new(0, 86_400).unwrap();
        let c = Comparison::build(&t, Some(&x), none, all, &CompareOptions::default()).unwrap();
        let d = crate::Dashboard::build(&t, Some(&x), &Default::default()).unwrap();
        assert_eq!(c.sco.after.n, d.sco.journeys);
        assert_eq!(c.sco.after.successes, d.sco.successes);
        assert_eq!(c.sco.before.n, 0);
        assert_eq!(c.sco.difference, None);
        assert_eq!(c.sco.verdict, None);
        let conf = c.conformance.as_ref().unwrap();
        let dc = d.conformance.as_ref().unwrap();
        assert_eq!(
            (conf.after.n, conf.after.successes),
            (dc.journeys, dc.conforming)
        );
        assert_eq!(c.mots.len(), d.mots.len());
        for (m, dm) in c.mots.iter().zip(&d.mots) {
            assert_eq!(m.id, dm.id);
            assert_eq!(Some(m.change.after.successes), dm.successes.or(Some(0)));
            assert_eq!(m.change.after.rate, dm.smoto_rate);
        }
    }

    #[test]
    fn the_incident_shows_and_the_rest_holds() {
        // On the scenario's last day `bag-drop` breaks down to 70% success.
        let (x, t) = airline(20_000);
        let day = |d: i64| 1_785_542_400 + d * 86_400;
        let before = Window::new(day(60), day(89)).unwrap();
        let after = Window::new(day(89), day(90)).unwrap();
        let c = Comparison::build(&t, Some(&x), before, after, &CompareOptions::default()).unwrap();
        let bag = c.mots.iter().find(|m| m.id == "bag-drop").unwrap();
        assert_eq!(bag.change.verdict, Some(Verdict::Worsened), "{bag:?}");
        assert!(bag.change.always_valid_high.unwrap() < 0.0);
        let d = bag.change.difference.unwrap();
        assert!(bag.change.ci_low.unwrap() < d && d < bag.change.ci_high.unwrap());
        // The always-valid interval is the wider one.
        assert!(bag.change.always_valid_low.unwrap() < bag.change.ci_low.unwrap());
        assert_eq!(
            bag.owner.as_deref(),
            x.mot("bag-drop")
                .unwrap()
                .manager
                .as_ref()
                .map(|o| o.as_str())
        );
    }

    #[test]
    fn refusals() {
        let (x, t) = airline(200);
        let w = |s: &str| s.parse::<Window>().unwrap();
        let opts = CompareOptions::default();
        let err = Comparison::build(
            &t,
            Some(&x),
            w("2026-08-01..2026-08-10"),
            w("2026-08-05..2026-08-20"),
            &opts,
        )
        .unwrap_err();
        assert!(err.to_string().contains("the windows overlap"), "{err}");
        let err = Comparison::build(
            &t,
            Some(&x),
            w("2026-08-01T12:00:00Z..2026-08-10"),
            w("2026-08-10..2026-08-20"),
            &opts,
        )
        .unwrap_err();
        assert!(err.to_string().contains("cuts a `day` period"), "{err}");
        for (alpha, tau2) in [(0.0, 0.01), (1.0, 0.01), (0.05, 0.0), (0.05, f64::INFINITY)] {
            let bad = CompareOptions { alpha, tau2 };
            let err = Comparison::build(
                &t,
                Some(&x),
                w("2026-08-01..2026-08-10"),
                w("2026-08-10..2026-08-20"),
                &bad,
            )
            .unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::Config);
        }
    }
}
