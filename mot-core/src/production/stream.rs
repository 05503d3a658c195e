//! Streaming in batches: interactions appended to journeys that stay open,
//! outcomes that close them — what a live service receives, where one
//! journey's interactions arrive over many batches.

use super::{BadRows, Extra, IngestSummary, Key, RejectReason, Tracker, check_values};
use crate::csv::{EventTable, OutcomeTable};
use crate::events::Ids;
use crate::{Columns, Error, OutcomeColumns};

impl Tracker {
    /// Appends interactions to their journeys, which **stay open**: the
    /// streaming counterpart of [`Tracker::ingest`], which reads a whole log
    /// and closes every journey in it. Journeys close with their outcome
    /// ([`Tracker::close_outcomes`], [`Tracker::close_journey`]), as
    /// abandoned after [`TrackerConfig::timeout`](crate::TrackerConfig::timeout)
    /// ([`Tracker::expire`]), or at the end ([`Tracker::close_open_journeys`]).
    ///
    /// Each row is checked as [`Tracker::record_event`] checks one (in
    /// `events.time_unit`), rows in any order: a journey's interactions are
    /// put in time order when it closes, and the detectors see the call's
    /// interactions in time order when the call ends. Appending a log in
    /// batches that follow each other in time, then closing its journeys,
    /// gives the same state as [`Tracker::ingest`] of the whole log.
    ///
    /// ```
    /// use mot_core::{Columns, Ids, OutcomeColumns, Tracker, TrackerConfig};
    ///
    /// let x = mot_core::sample::airline();
    /// let mut t = Tracker::new(&x, TrackerConfig::default());
    /// let (j, m, ts, ok) = (["a", "a"], ["search-book", "check-in"], [100i64, 200], [true, true]);
    /// t.append(&Columns::new(Ids::Str(&j[..1]), Ids::Str(&m[..1]), &ts[..1], &ok[..1]))?;
    /// t.append(&Columns::new(Ids::Str(&j[1..]), Ids::Str(&m[1..]), &ts[1..], &ok[1..]))?;
    /// assert_eq!((t.interactions(), t.open_journeys()), (2, 1));
    /// let s = t.close_outcomes(&OutcomeColumns::new(Ids::Str(&["a"]), &[true]))?;
    /// assert_eq!((s.journeys, t.open_journeys()), (1, 0));
    /// # Ok::<(), mot_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// - [`ErrorKind::Columns`](crate::ErrorKind::Columns) when the columns
    ///   do not fit together; nothing is read.
    /// - [`ErrorKind::Limit`](crate::ErrorKind::Limit) when the call would
    ///   open more journeys than `max_open_journeys`, or register more MOTs
    ///   than `max_mots`; nothing is read.
    /// - With [`BadRows::Fail`]: [`ErrorKind::BadRow`](crate::ErrorKind::BadRow)
    ///   for the first bad row; the tracker is left unchanged.
    pub fn append(&mut self, events: &Columns<'_>) -> Result<IngestSummary, Error> {
        events.check()?;
        self.registry
            .check_column(&events.mot, self.config.limits.max_mots)?;
        self.check_open_room_for(&events.journey)?;
        let result = if self.config.bad_rows == BadRows::Fail {
            let mut work = self.clone();
            let r = work.append_rows(events);
            if r.is_ok() {
                *self = work;
            }
            r
        } else {
            self.append_rows(events)
        };
        if result.is_ok() {
            self.run_detectors();
        } else {
            self.drop_detections();
        }
        result
    }

    /// Fails, changing nothing, when the rows could open more journeys
    /// than allowed (counted exactly only when the cheap bound is over).
    fn check_open_room_for(&self, journey: &Ids<'_>) -> Result<(), Error> {
        let max = self.config.limits.max_open_journeys;
        if self.open.len().saturating_add(journey.len()) <= max {
            return Ok(());
        }
        let mut new: hashbrown::HashSet<Key<'_>> = hashbrown::HashSet::new();
        for i in 0..journey.len() {
            if let Some(k) = journey.get(i)
                && !self.open.contains_key(&k)
            {
                new.insert(k);
            }
        }
        if self.open.len() + new.len() > max {
            return Err(Error::limit(
                "max_open_journeys",
                max,
                &format!(
                    "the batch would make {} open journeys",
                    self.open.len() + new.len()
                ),
            ));
        }
        Ok(())
    }

    fn append_rows(&mut self, c: &Columns<'_>) -> Result<IngestSummary, Error> {
        let (accepted_before, rejected_before) =
            (self.agg.interactions, self.agg.rejected.iter().sum::<u64>());
        let first_row = accepted_before + rejected_before;
        let journeys_before = self.agg.journeys;
        // MOT ids resolved once per distinct text: through the codes of a
        // dictionary column as given (text tables are), or of one encoded
        // here for plain text.
        let encoded;
        let dict: Option<(&[u32], &[&str])> = match c.mot {
            Ids::Dict { codes, values } => Some((codes, values)),
            _ => {
                encoded = c.mot.dict_encode();
                encoded.as_ref().map(|(c, v)| (c.as_slice(), v.as_slice()))
            }
        };
        let mut resolved: Vec<Option<Result<u32, RejectReason>>> =
            vec![None; dict.map_or(0, |d| d.1.len())];
        for i in 0..c.len() {
            let row = first_row + i as u64;
            // The order of every path: the journey id, a closed journey
            // (the row API's checks), then the values (those a front end
            // could not read first).
            let key = c
                .journey
                .get(i)
                .filter(|_| c.journey_valid.is_valid(i))
                .unwrap_or(Key::Str(""));
            if let Some(stopped) = self.journey_checks(row, &key) {
                stopped?;
                continue;
            }
            if let Some(reason) = c.unreadable.and_then(|u| u.get(i).copied().flatten()) {
                self.reject(row, reason, None)?;
                continue;
            }
            let success = c
                .success
                .and_then(|s| c.success_valid.is_valid(i).then(|| s[i]));
            let cost = c.cost.and_then(|v| c.cost_valid.is_valid(i).then(|| v[i]));
            let value = c
                .value
                .and_then(|v| c.value_valid.is_valid(i).then(|| v[i]));
            let ts = c
                .timestamp
                .get(i)
                .copied()
                .filter(|_| c.timestamp_valid.is_valid(i));
            let ns = match check_values(
                ts,
                c.time_unit,
                c.success.is_some() && success.is_none(),
                cost,
                value,
            ) {
                Ok(ns) => ns,
                Err(reason) => {
                    self.reject(row, reason, None)?;
                    continue;
                }
            };
            let mot = if !c.mot_valid.is_valid(i) {
                Err(RejectReason::MissingMot)
            } else if let Some((codes, values)) = dict {
                let code = codes[i] as usize;
                match (values.get(code), resolved.get(code).copied().flatten()) {
                    (None, _) => Err(RejectReason::MissingMot),
                    (Some(_), Some(r)) => r,
                    (Some(id), None) => {
                        let r = self.registry.resolve(id);
                        resolved[code] = Some(r);
                        r
                    }
                }
            } else {
                match c.mot.get(i) {
                    None => Err(RejectReason::MissingMot),
                    Some(k) => self.registry.resolve(&k.to_string()),
                }
            };
            let m = match mot {
                Ok(m) => m,
                Err(reason) => {
                    self.reject(row, reason, None)?;
                    continue;
                }
            };
            self.agg.ensure(self.registry.len());
            let producer = c
                .producer
                .as_ref()
                .and_then(|p| p.get(i))
                .and_then(|k| match k {
                    Key::Str(s) => Some(s),
                    Key::Int(_) => None,
                });
            self.detect_later(m, ns, i, success);
            self.keep(
                key,
                m,
                ns,
                success,
                Extra {
                    cost,
                    value,
                    producer,
                },
            );
        }
        Ok(IngestSummary {
            rows: c.len() as u64,
            accepted: self.agg.interactions - accepted_before,
            rejected: self.agg.rejected.iter().sum::<u64>() - rejected_before,
            journeys: self.agg.journeys - journeys_before,
            outcomes: 0,
        })
    }

    /// Closes journeys with their outcomes, one row each (the first row of
    /// a journey counts): the streaming counterpart of the outcome columns
    /// of [`Tracker::ingest`]. A row is rejected without a journey id
    /// (`missing-journey`), without a readable SCO flag (`missing-outcome`),
    /// with a value that is not finite, for a journey with no open
    /// interaction (`outcome-without-interactions`) or one already closed
    /// (`duplicate-outcome`).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Columns`](crate::ErrorKind::Columns) when the columns
    /// do not fit together; with [`BadRows::Fail`],
    /// [`ErrorKind::BadRow`](crate::ErrorKind::BadRow) for the first bad row,
    /// the tracker left unchanged.
    pub fn close_outcomes(&mut self, o: &OutcomeColumns<'_>) -> Result<IngestSummary, Error> {
        o.check()?;
        if self.config.bad_rows == BadRows::Fail {
            let mut work = self.clone();
            let summary = work.close_rows(o)?;
            *self = work;
            return Ok(summary);
        }
        self.close_rows(o)
    }

    fn close_rows(&mut self, o: &OutcomeColumns<'_>) -> Result<IngestSummary, Error> {
        let rejected_before: u64 = self.agg.rejected.iter().sum();
        let journeys_before = self.agg.journeys;
        for i in 0..o.len() {
            let row = i as u64;
            let Some(key) = o.journey.get(i).filter(|_| o.journey_valid.is_valid(i)) else {
                self.reject(row, RejectReason::MissingJourney, None)?;
                continue;
            };
            if !o.sco_valid.is_valid(i) {
                self.reject(row, RejectReason::MissingOutcome, None)?;
                continue;
            }
            let value = o.value.filter(|_| o.value_valid.is_valid(i)).map(|v| v[i]);
            self.close_journey(key, Some(o.sco[i]), value)?;
        }
        let journeys = self.agg.journeys - journeys_before;
        Ok(IngestSummary {
            rows: 0,
            accepted: 0,
            rejected: self.agg.rejected.iter().sum::<u64>() - rejected_before,
            journeys,
            outcomes: journeys,
        })
    }

    /// [`Tracker::append`] for a table read from text (CSV, JSON rows,
    /// XES): the rows its reader rejected are counted too.
    ///
    /// # Errors
    ///
    /// As [`Tracker::append`].
    pub fn append_table(&mut self, events: &EventTable) -> Result<IngestSummary, Error> {
        let mut summary = events.with_columns(|c| self.append(c))?;
        for &(reason, n) in events.rejected() {
            self.count_rejected(reason, n);
            summary.rows += n;
            summary.rejected += n;
        }
        Ok(summary)
    }

    /// [`Tracker::close_outcomes`] for a table read from text: the rows its
    /// reader rejected are counted too.
    ///
    /// # Errors
    ///
    /// As [`Tracker::close_outcomes`].
    pub fn close_table(&mut self, outcomes: &OutcomeTable) -> Result<IngestSummary, Error> {
        let mut summary = outcomes.with_columns(|o| self.close_outcomes(o))?;
        for &(reason, n) in outcomes.rejected() {
            self.count_rejected(reason, n);
            summary.rejected += n;
        }
        Ok(summary)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use crate::{
        Columns, Dashboard, DashboardOptions, Ids, OutcomeColumns, RejectReason, Tracker,
        TrackerConfig, sample,
    };

    /// A small log: (journey, MOT index, timestamp, success), outcomes per
    /// journey.
    fn log(rows: &[(u64, usize, i64, bool)], outcomes: &[(u64, bool)]) -> (Tracker, Tracker) {
        // Batches follow each other in time (the detectors run per batch).
        let mut rows = rows.to_vec();
        rows.sort_by_key(|r| r.2);
        const MOTS: [&str; 5] = ["search-book", "check-in", "bag-drop", "flight", "teleport"];
        let x = sample::airline();
        let j: Vec<u64> = rows.iter().map(|r| r.0).collect();
        let m: Vec<&str> = rows.iter().map(|r| MOTS[r.1]).collect();
        let ts: Vec<i64> = rows.iter().map(|r| r.2).collect();
        let ok: Vec<bool> = rows.iter().map(|r| r.3).collect();
        let oj: Vec<u64> = outcomes.iter().map(|o| o.0).collect();
        let osco: Vec<bool> = outcomes.iter().map(|o| o.1).collect();
        let config = TrackerConfig {
            remember_closed: false,
            ..TrackerConfig::default()
        };
        let mut whole = Tracker::new(&x, config.clone());
        whole
            .ingest(
                &Columns::new(Ids::U64(&j), Ids::Str(&m), &ts, &ok),
                Some(&OutcomeColumns::new(Ids::U64(&oj), &osco)),
            )
            .unwrap();
        let mut streamed = Tracker::new(&x, config);
        // Batches of three rows, in the order given.
        for start in (0..rows.len()).step_by(3) {
            let end = (start + 3).min(rows.len());
            streamed
                .append(&Columns::new(
                    Ids::U64(&j[start..end]),
                    Ids::Str(&m[start..end]),
                    &ts[start..end],
                    &ok[start..end],
                ))
                .unwrap();
        }
        streamed
            .close_outcomes(&OutcomeColumns::new(Ids::U64(&oj), &osco))
            .unwrap();
        streamed.close_open_journeys();
        (whole, streamed)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Appending in batches, then closing, equals reading the whole log.
        #[test]
        fn batches_then_closing_equal_one_ingest(
            rows in prop::collection::vec((0u64..8, 0usize..5, 1_795_392_000i64..1_795_392_600, any::<bool>()), 0..40),
            outcomes in prop::collection::btree_map(0u64..10, any::<bool>(), 0..10),
        ) {
            let outcomes: Vec<(u64, bool)> = outcomes.into_iter().collect();
            let (whole, streamed) = log(&rows, &outcomes);
            let x = sample::airline();
            let o = DashboardOptions::default();
            let a = Dashboard::build(&whole, Some(&x), &o).unwrap().to_json();
            let b = Dashboard::build(&streamed, Some(&x), &o).unwrap().to_json();
            prop_assert_eq!(a, b);
        }
    }

    #[test]
    fn rows_are_checked_like_record() {
        let x = sample::airline();
        let mut t = Tracker::new(&x, TrackerConfig::default());
        let j = ["a", "", "b", "c"];
        let m = ["check-in", "check-in", "teleport", "check-in"];
        let ts = [
            1_795_392_000i64,
            1_795_392_000,
            1_795_392_000,
            99_999_999_999,
        ];
        let ok = [true; 4];
        let s = t
            .append(&Columns::new(Ids::Str(&j), Ids::Str(&m), &ts, &ok))
            .unwrap();
        assert_eq!((s.rows, s.accepted, s.rejected), (4, 1, 3));
        let r = t.rejected();
        assert_eq!(r.get(RejectReason::MissingJourney), 1);
        assert_eq!(r.get(RejectReason::UnknownMot), 1);
        assert_eq!(r.get(RejectReason::TimestampOutOfRange), 1);
        // Outcomes: unknown journey, then a real one, then again.
        let oj = ["zz", "a", "a"];
        let s = t
            .close_outcomes(&OutcomeColumns::new(Ids::Str(&oj), &[true; 3]))
            .unwrap();
        assert_eq!((s.journeys, s.rejected), (1, 2));
        assert_eq!(t.rejected().get(RejectReason::DuplicateOutcome), 1);
        assert_eq!(
            t.rejected().get(RejectReason::OutcomeWithoutInteractions),
            1
        );
        // A closed journey takes no more interactions.
        let s = t
            .append(&Columns::new(
                Ids::Str(&["a"]),
                Ids::Str(&["flight"]),
                &[1_795_395_000],
                &[true],
            ))
            .unwrap();
        assert_eq!(s.rejected, 1);
        assert_eq!(t.rejected().get(RejectReason::AfterClose), 1);
        // Whatever its values: a row of a closed journey whose timestamp
        // the front end could not read is `after-close` too (as the row
        // API and one-shot reads say), and one with no journey id is
        // `missing-journey`.
        let mut late = Columns::new(
            Ids::Str(&["a", ""]),
            Ids::Str(&["flight", "flight"]),
            &[0, 0],
            &[true, true],
        );
        let unreadable = [Some(RejectReason::TimestampOutOfRange); 2];
        late.unreadable = Some(&unreadable);
        let before = t.rejected();
        t.append(&late).unwrap();
        let count = |r| t.rejected().get(r) - before.get(r);
        assert_eq!(count(RejectReason::AfterClose), 1);
        assert_eq!(count(RejectReason::MissingJourney), 1);
        assert_eq!(count(RejectReason::TimestampOutOfRange), 0);
    }

    #[test]
    fn over_the_open_journey_limit_nothing_is_read() {
        let x = sample::airline();
        let config = TrackerConfig {
            limits: crate::Limits {
                max_open_journeys: 2,
                ..crate::Limits::default()
            },
            ..TrackerConfig::default()
        };
        let mut t = Tracker::new(&x, config);
        let j = [1u64, 1, 2, 3];
        let m = ["check-in"; 4];
        let ts = [1_795_392_000i64; 4];
        let e = t
            .append(&Columns::new(Ids::U64(&j), Ids::Str(&m), &ts, &[true; 4]))
            .unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Limit);
        assert_eq!(t.interactions(), 0);
        // Two journeys fit, even in a batch of four rows.
        t.append(&Columns::new(
            Ids::U64(&j[..3]),
            Ids::Str(&m[..3]),
            &ts[..3],
            &[true; 3],
        ))
        .unwrap();
        assert_eq!(t.open_journeys(), 2);
    }

    #[test]
    fn fail_fast_changes_nothing() {
        let x = sample::airline();
        let config = TrackerConfig {
            bad_rows: crate::BadRows::Fail,
            ..TrackerConfig::default()
        };
        let mut t = Tracker::new(&x, config);
        let e = t
            .append(&Columns::new(
                Ids::Str(&["a", "b"]),
                Ids::Str(&["check-in", "teleport"]),
                &[1_795_392_000, 1_795_392_000],
                &[true, false],
            ))
            .unwrap_err();
        assert_eq!(e.reject_reason(), Some(RejectReason::UnknownMot));
        assert_eq!((t.interactions(), t.open_journeys()), (0, 0));
    }
}
