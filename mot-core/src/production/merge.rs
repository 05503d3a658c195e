//! Merging another tracker's state into this one ([`Tracker::merge`]):
//! the settings and limits checked, the MOTs mapped, the counts, open
//! journeys and detectors combined.

use super::{Event, Registry, Tracker};
use crate::{Error, MotId};

impl Tracker {
    /// Adds another tracker's state to this one. With both states from a
    /// partition of one log by journey, the result equals reading the whole
    /// log in one pass. Open journeys are carried over; one open in both is
    /// joined (its interactions ordered by timestamp, ties this state's
    /// first).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Merge`](crate::ErrorKind::Merge) when the trackers are
    /// bound to different experiences (or one is bound and one is not), or
    /// their period, time unit or timeout differ. Nothing is changed then.
    ///
    /// # The detectors after a merge
    ///
    /// A detector follows one stream of interactions in time order; the
    /// streams of two partitions cannot be interleaved after the fact. So
    /// a merged state's detectors are recomputed from the merged per-period
    /// counts (the configured trend period): a **binomial CUSUM** taking one
    /// step per period with that period's failures and successes, restarting
    /// after an alarm (`last_alarm_at` is then the start of the alarming
    /// period). This depends only on the merged counts, so any partition
    /// gives the same detectors; new interactions then continue from it one
    /// by one. Alarms already queued are not carried over (drain each
    /// tracker's own).
    pub fn merge(&mut self, other: &Tracker) -> Result<(), Error> {
        if self.registry.binding != other.registry.binding {
            let name = |r: &Registry| match &r.binding {
                Some(b) => format!(
                    "experience `{}`{}",
                    b.id,
                    b.version
                        .as_ref()
                        .map(|v| format!(" version `{v}`"))
                        .unwrap_or_default()
                ),
                None => "discovery mode".to_string(),
            };
            return Err(Error::merge(format!(
                "cannot merge states of different experiences: {} and {}",
                name(&self.registry),
                name(&other.registry)
            )));
        }
        // Time is kept in nanoseconds whatever the unit, so states read
        // with different time units merge.
        let (a, b) = (&self.config, &other.config);
        let list = |ids: &[String]| match ids {
            [] => "none".to_string(),
            _ => format!("`{}`", ids.join(",")),
        };
        let timeout = |t: Option<i64>| t.map_or_else(|| "none".into(), |t| format!("`{t}s`"));
        let differ: Vec<String> = [
            (
                "period",
                a.period != b.period,
                format!("`{}`", a.period),
                format!("`{}`", b.period),
            ),
            (
                "timeout",
                a.timeout != b.timeout,
                timeout(a.timeout),
                timeout(b.timeout),
            ),
            (
                "variants tracked",
                a.track_variants != b.track_variants,
                format!("`{}`", a.track_variants),
                format!("`{}`", b.track_variants),
            ),
            (
                "durations measured",
                a.durations != b.durations,
                format!("`{}`", a.durations),
                format!("`{}`", b.durations),
            ),
            (
                "SCO rule",
                a.sco_reached != b.sco_reached,
                list(&a.sco_reached),
                list(&b.sco_reached),
            ),
            (
                "designed journey",
                a.designed != b.designed,
                list(&a.designed),
                list(&b.designed),
            ),
        ]
        .into_iter()
        .filter(|(_, differs, _, _)| *differs)
        .map(|(what, _, x, y)| format!("{what} {x} vs {y}"))
        .collect();
        if !differ.is_empty() {
            return Err(Error::merge(format!(
                "cannot merge states with different settings: {}",
                differ.join(", ")
            )));
        }
        let limits = self.config.limits;
        self.registry.check_room(
            other.registry.ids.iter().map(MotId::as_str),
            limits.max_mots,
        )?;
        let new_open = other
            .open
            .keys()
            .filter(|k| !self.open.contains_key(*k))
            .count();
        if self.open.len() + new_open > limits.max_open_journeys {
            return Err(Error::limit(
                "max_open_journeys",
                limits.max_open_journeys,
                &format!(
                    "the merged state would hold {} open journeys",
                    self.open.len() + new_open
                ),
            ));
        }
        let map = self.registry.absorb(&other.registry);
        self.agg.ensure(self.registry.len());
        let threads = self.config.threads;
        self.agg
            .merge(&other.agg, &map, self.registry.len(), threads);
        self.rerun_detectors_by_period();
        for (key, o) in &other.open {
            let events = o.events.iter().map(|e| Event {
                mot: map[e.mot as usize],
                ..*e
            });
            let mine = self.open.entry(key.clone()).or_default();
            mine.events.extend(events);
            mine.last = mine.last.max(o.last);
        }
        Ok(())
    }
}
