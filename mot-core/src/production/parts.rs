//! Large bulk reads in parts, on the machine's threads.
//!
//! A read into a fresh one-shot tracker ([`Tracker::one_shot`], as every
//! dashboard built from columns is) of a log sorted by integer journey id
//! is cut between journeys into as many parts as there are threads (each
//! part at least [`PART_ROWS`] rows). Each part is read into its own copy
//! of the empty tracker on its own thread, then the parts are merged in
//! order ([`Tracker::merge`]). The parts' journeys are not added to their
//! variant tables but left queued, and added to the merged table at once,
//! one shard a thread, so that no table of variants is merged. A partition
//! by journey merges to what one pass gives: every count exactly,
//! compensated float sums to 1e-12 relative (see [`crate::numeric`]).
//! Where threads cannot be started (WebAssembly) or a part fails, the read
//! is done in one pass instead, so errors are those of one pass.

use super::fast::IntIds;
use super::variants::Batch;
use super::{IngestSummary, Tracker};
use crate::Error;
use crate::events::{BadRows, Columns, OutcomeColumns};

/// Fewest rows worth a thread of their own.
pub(super) const PART_ROWS: usize = if cfg!(test) { 256 } else { 1 << 20 };

/// Fewest queued journeys of a part worth translating on two threads.
const TRANSLATE_APART: usize = if cfg!(test) { 16 } else { 1 << 15 };

impl Tracker {
    /// How many parts a read should be cut into: 1 (one pass) unless the
    /// tracker is fresh and one-shot, has no detectors (they need every
    /// interaction of an MOT in time order), skips bad rows, the log is
    /// sorted by integer journey id (and the outcomes too) and large
    /// enough, and the machine has threads.
    fn parts(&self, events: &Columns<'_>, outcomes: Option<&OutcomeColumns<'_>>) -> usize {
        // No threads in WebAssembly: none of this is built there.
        if cfg!(target_arch = "wasm32") {
            return 1;
        }
        let threads = match self.config.threads {
            0 => std::thread::available_parallelism().map_or(1, usize::from),
            t => t,
        };
        let parts = threads.min(events.len() / PART_ROWS);
        let fresh = self.agg.interactions == 0
            && self.agg.journeys == 0
            && self.open.is_empty()
            && self.closed.is_empty();
        if parts < 2
            || !fresh
            || self.config.remember_closed
            || self.config.bad_rows != BadRows::Reject
            || self.detectors.iter().any(Option::is_some)
        {
            return 1;
        }
        match IntIds::of(&events.journey, &events.journey_valid) {
            Some(ids) if ids.sorted() => {}
            _ => return 1,
        }
        if let Some(o) = outcomes {
            match IntIds::of(&o.journey, &o.journey_valid) {
                Some(ids) if ids.sorted() => {}
                _ => return 1,
            }
        }
        parts
    }

    /// [`Tracker::ingest`] in parts when [`Tracker::parts`] says so;
    /// `None` (nothing read) otherwise.
    pub(super) fn ingest_in_parts(
        &mut self,
        events: &Columns<'_>,
        outcomes: Option<&OutcomeColumns<'_>>,
    ) -> Option<Result<IngestSummary, Error>> {
        let parts = self.parts(events, outcomes);
        if parts < 2 {
            return None;
        }
        events.check().ok()?;
        if let Some(o) = outcomes {
            o.check().ok()?;
        }
        let ids = IntIds::of(&events.journey, &events.journey_valid)?;
        let journey = |r: usize| ids.get(r);
        let n = events.len();
        // Cuts between journeys, near equal shares of the rows.
        let mut cuts = vec![0];
        for p in 1..parts {
            let mut r = (p * n / parts).max(*cuts.last()?);
            while r < n && r > 0 && journey(r) == journey(r - 1) {
                r += 1;
            }
            cuts.push(r);
        }
        cuts.push(n);
        // Outcomes go with the part holding their journey (by key).
        let out_cuts: Vec<usize> = match outcomes {
            None => vec![0; parts + 1],
            Some(o) => {
                let keys = IntIds::of(&o.journey, &o.journey_valid)?;
                let key = |r: usize| keys.get(r);
                let first_after = |r: usize| {
                    if r >= n {
                        return o.len();
                    }
                    let j = journey(r);
                    let (mut lo, mut hi) = (0, o.len());
                    while lo < hi {
                        let mid = (lo + hi) / 2;
                        if key(mid) < j { lo = mid + 1 } else { hi = mid }
                    }
                    lo
                };
                let mut v: Vec<usize> = cuts.iter().map(|&r| first_after(r)).collect();
                v[0] = 0;
                v
            }
        };
        let piece = |p: usize| {
            let ev = events.rows(cuts[p]..cuts[p + 1]);
            let out = outcomes.map(|o| o.rows(out_cuts[p]..out_cuts[p + 1]));
            (ev, out)
        };
        let fresh = self.clone();
        self.scratch.defer_variants = true;
        let mut others: Vec<Tracker> = (1..parts).map(|_| self.clone()).collect();
        let results: Vec<Option<Result<IngestSummary, Error>>> = std::thread::scope(|s| {
            let handles: Vec<_> = others
                .iter_mut()
                .enumerate()
                .map(|(k, t)| {
                    let (ev, out) = piece(k + 1);
                    std::thread::Builder::new()
                        .spawn_scoped(s, move || t.ingest_any(&ev, out.as_ref()))
                        .ok()
                })
                .collect();
            let (ev, out) = piece(0);
            let mut results = vec![Some(self.ingest_any(&ev, out.as_ref()))];
            // A part whose thread could not start (or failed) is `None`.
            results.extend(handles.into_iter().map(|h| h.and_then(|h| h.join().ok())));
            results
        });
        let mut total = IngestSummary::default();
        let mut merged = Ok(());
        for (k, r) in results.into_iter().enumerate() {
            match r {
                Some(Ok(s)) => {
                    total.rows += s.rows;
                    total.accepted += s.accepted;
                    total.rejected += s.rejected;
                    total.journeys += s.journeys;
                    total.outcomes += s.outcomes;
                    if k > 0 && merged.is_ok() {
                        merged = self.merge(&others[k - 1]);
                    }
                }
                _ => merged = Err(Error::config("a part of the read failed".to_string())),
            }
        }
        if merged.is_err() {
            *self = fresh;
            return None;
        }
        self.scratch.defer_variants = false;
        self.add_queued_variants(&mut others);
        Some(Ok(total))
    }

    /// Adds the journeys every part left queued to the merged variants:
    /// the other parts' in this tracker's numbering of the MOTs (the
    /// merged one), on two threads.
    fn add_queued_variants(&mut self, others: &mut [Tracker]) {
        let threads = self.config.threads;
        let mots = self.registry.len();
        let mut queued: Vec<Batch> = Vec::new();
        for other in others {
            let batch = std::mem::take(&mut other.scratch.batch);
            let map: Vec<u32> = (other.registry.ids.iter())
                .map(|id| self.registry.position(id.as_str()).unwrap_or(0))
                .collect();
            if map.iter().enumerate().all(|(i, &m)| i as u32 == m) {
                queued.push(batch);
                continue;
            }
            // Each shard's journeys on a thread of their own.
            let threads = if batch.journeys() < TRANSLATE_APART {
                1
            } else {
                threads
            };
            queued.extend(crate::threads::in_halves(2, threads, 2, |shards| {
                shards.map(|s| batch.translated(s, &map, mots)).collect()
            }));
        }
        let mut batches: Vec<&mut Batch> = std::iter::once(&mut self.scratch.batch)
            .chain(queued.iter_mut())
            .collect();
        self.agg.variants.add_batches(&mut batches, threads);
    }
}
