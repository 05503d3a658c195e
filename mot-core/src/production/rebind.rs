//! A new version of the experience for a tracker that keeps its data.

use super::{Event, Open, Registry, Tracker};
use crate::{Error, Experience};

impl Tracker {
    /// Binds the tracker to a new version of its experience, keeping
    /// everything it has counted: the live service's `PUT /v1/experience`.
    ///
    /// - MOTs of the new version are numbered in its order; an MOT the new
    ///   version removed keeps its figures after them, but is no longer in
    ///   the design: new interactions with it are rejected (`unknown-mot`),
    ///   in journeys it counts as an undesigned step, and it has no
    ///   detector.
    /// - Targets and MOT Managers come from the new version. A detector
    ///   whose target is unchanged goes on where it was; one whose target
    ///   changed (or that is new) is recomputed from the per-period counts,
    ///   as after a [`merge`](Tracker::merge).
    /// - The designed journey becomes the new version's
    ///   [`designed_journey`](Experience::designed_journey). Conformance is
    ///   measured against it from the variant table when the dashboard is
    ///   built, so every closed journey counts against the new design; without
    ///   a variant table (`track_variants` off) the deviation sums already
    ///   counted stay those of the old design.
    /// - Alarms not drained yet stay queued.
    ///
    /// ```
    /// use mot_core::{Dashboard, DashboardOptions, Experience, Tracker, TrackerConfig};
    ///
    /// let x = mot_core::sample::airline();
    /// let mut t = Tracker::new(&x, TrackerConfig::default());
    /// t.record("j1", "bag-drop", 1_795_392_000, true, None)?;
    ///
    /// // Version 2 drops the bag drop.
    /// let mut spec = x.spec().clone();
    /// spec.version = Some("2".into());
    /// spec.mots.retain(|m| m.id.as_str() != "bag-drop");
    /// spec.ideas.retain(|i| i.mot.as_str() != "bag-drop");
    /// for w in &mut spec.landscape.work {
    ///     w.mots.retain(|l| l.mot.as_str() != "bag-drop");
    /// }
    /// let v2 = Experience::new(spec)?;
    /// t.rebind(&v2)?;
    /// assert_eq!(t.interactions(), 1); // kept
    /// t.record("j2", "bag-drop", 1_795_392_100, true, None)?; // no longer measured:
    /// assert_eq!(t.rejected().get(mot_core::RejectReason::UnknownMot), 1);
    /// let d = Dashboard::build(&t, Some(&v2), &DashboardOptions::default())?;
    /// assert!(d.mots.iter().any(|m| m.id == "bag-drop")); // its figures are still listed
    /// # Ok::<(), mot_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) for a tracker in
    /// discovery mode (it has no experience to replace); the tracker is
    /// unchanged then.
    pub fn rebind(&mut self, experience: &Experience) -> Result<(), Error> {
        let Some(old_binding) = &self.registry.binding else {
            return Err(Error::config(
                "a tracker in discovery mode has no experience to replace".to_string(),
            ));
        };
        let old_targets = old_binding.targets.clone();
        let mut registry = Registry::bound(experience);
        let designed_mots = registry.ids.len();
        // Retired MOTs keep their figures, after the new version's.
        let retired: Vec<_> = self
            .registry
            .ids
            .iter()
            .filter(|id| !registry.index.contains_key(id.as_str()))
            .cloned()
            .collect();
        for id in retired {
            let i = registry.ids.len() as u32;
            registry.index.insert(id.as_str().into(), i);
            registry.ids.push(id);
        }
        let map: Vec<u32> = self
            .registry
            .ids
            .iter()
            .map(|id| registry.index.get(id.as_str()).copied().unwrap_or(0))
            .collect();
        let config = super::TrackerConfig {
            designed: experience
                .designed_journey()
                .iter()
                .map(|m| m.id.to_string())
                .collect(),
            ..self.config.clone()
        };
        let n = registry.ids.len();
        let mut fresh = Tracker::build(registry, config);
        fresh.agg.ensure(n);
        fresh.agg.merge(&self.agg, &map, n, 1);
        // Aggregate fields that are not per MOT (sums, variants, times,
        // rejected rows, the clock of the last interaction) come over by
        // the merge into an empty state; the detectors are settled below.
        for (old, &new) in map.iter().enumerate() {
            let new = new as usize;
            let same_target = old_targets.get(old).copied().flatten()
                == fresh
                    .registry
                    .binding
                    .as_ref()
                    .and_then(|b| b.targets.get(new).copied().flatten());
            if same_target && fresh.detectors.get(new).is_some_and(Option::is_some) {
                fresh.agg.mots[new].cusum = self.agg.mots[old].cusum;
            } else {
                fresh.rerun_detector(new);
            }
        }
        for m in (0..designed_mots).filter(|m| !map.contains(&(*m as u32))) {
            fresh.rerun_detector(m);
        }
        fresh.open = self
            .open
            .drain()
            .map(|(key, o)| {
                let events = o
                    .events
                    .iter()
                    .map(|e| Event {
                        mot: map[e.mot as usize],
                        ..*e
                    })
                    .collect();
                (
                    key,
                    Open {
                        events,
                        last: o.last,
                    },
                )
            })
            .collect();
        fresh.closed = std::mem::take(&mut self.closed);
        fresh.generation = self.generation;
        fresh.watermark = self.watermark;
        fresh.last_sweep = self.last_sweep;
        fresh.alarms = std::mem::take(&mut self.alarms);
        fresh.config.limits = self.config.limits;
        *self = fresh;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::{
        Dashboard, DashboardOptions, Experience, RejectReason, Tracker, TrackerConfig, sample,
    };

    fn log(t: &mut Tracker, from: i64) {
        let mots = ["search-book", "check-in", "bag-drop", "flight"];
        for j in 0..200i64 {
            let journey = format!("j{}", from + j);
            for (k, m) in mots.iter().enumerate() {
                let ts = 1_795_392_000 + (from + j) * 600 + k as i64 * 60;
                t.record(journey.as_str(), m, ts, (j + k as i64) % 7 != 0, None)
                    .unwrap();
            }
            t.close_journey(journey.as_str(), Some(j % 3 != 0), None)
                .unwrap();
        }
    }

    fn without(x: &Experience, id: &str, version: &str) -> Experience {
        let mut spec = x.spec().clone();
        spec.version = Some(version.into());
        spec.mots.retain(|m| m.id.as_str() != id);
        spec.ideas.retain(|i| i.mot.as_str() != id);
        for w in &mut spec.landscape.work {
            w.mots.retain(|l| l.mot.as_str() != id);
        }
        for m in &mut spec.mots {
            if m.parent.as_ref().is_some_and(|p| p.as_str() == id) {
                m.parent = None;
            }
        }
        Experience::new(spec).unwrap()
    }

    #[test]
    fn keeps_every_count_and_retires_removed_mots() {
        let x = sample::airline();
        let mut t = Tracker::new(&x, TrackerConfig::default());
        log(&mut t, 0);
        t.record("open", "check-in", 1_795_500_000, true, None)
            .unwrap();
        let before = Dashboard::build(&t, Some(&x), &DashboardOptions::default()).unwrap();

        let v2 = without(&x, "bag-drop", "2");
        t.rebind(&v2).unwrap();
        assert_eq!(t.interactions(), before.amount.interactions);
        assert_eq!(t.open_journeys(), 1);
        t.record("late", "bag-drop", 1_795_500_100, true, None)
            .unwrap();
        assert_eq!(t.rejected().get(RejectReason::UnknownMot), 1);
        let after = Dashboard::build(&t, Some(&v2), &DashboardOptions::default()).unwrap();
        for m in &before.mots {
            let a = after.mots.iter().find(|a| a.id == m.id).unwrap();
            assert_eq!(
                (a.interactions, a.successes),
                (m.interactions, m.successes),
                "{}",
                m.id
            );
        }
        // The retired MOT is no longer designed: every journey through it
        // now has an undesigned step.
        let gap = |d: &Dashboard, id: &str| {
            d.mots
                .iter()
                .find(|m| m.id == id)
                .and_then(|m| m.gap.as_ref())
                .map(|g| g.undesigned)
        };
        assert_eq!(gap(&before, "bag-drop"), Some(0));
        assert_eq!(gap(&after, "bag-drop"), Some(200));
        // The state round-trips and reads more data.
        let mut back = Tracker::from_bytes(&t.to_bytes()).unwrap();
        assert_eq!(back, t);
        log(&mut back, 1_000);
        assert_eq!(back.interactions(), t.interactions() + 800 - 200);
    }

    #[test]
    fn detectors_go_on_unless_their_target_changed() {
        let x = sample::airline();
        let mut t = Tracker::new(&x, TrackerConfig::default());
        log(&mut t, 0);
        let idx = |t: &Tracker, id: &str| t.mot_index(id).unwrap() as usize;
        let state = t.agg.mots[idx(&t, "check-in")].cusum;
        let mut spec = x.spec().clone();
        let flight = spec
            .mots
            .iter_mut()
            .find(|m| m.id.as_str() == "flight")
            .unwrap();
        flight.smoto.target_rate = Some(0.5);
        let v2 = Experience::new(spec).unwrap();
        t.rebind(&v2).unwrap();
        assert_eq!(t.agg.mots[idx(&t, "check-in")].cusum, state);
        // A changed target: the binomial CUSUM over the periods, as a
        // tracker bound to v2 from the start and merged would have.
        let mut fresh = Tracker::new(&v2, TrackerConfig::default());
        log(&mut fresh, 0);
        fresh.rerun_detectors_by_period();
        assert_eq!(
            t.agg.mots[idx(&t, "flight")].cusum,
            fresh.agg.mots[idx(&fresh, "flight")].cusum
        );
    }

    #[test]
    fn discovery_trackers_cannot_rebind() {
        let mut t = Tracker::discovery(TrackerConfig::default());
        let e = t.rebind(&sample::airline()).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Config);
    }
}
