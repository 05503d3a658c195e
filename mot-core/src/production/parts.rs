//! Large bulk reads in parts, on the machine's threads.
//!
//! A read into a fresh one-shot tracker ([`Tracker::one_shot`], as every
//! dashboard built from columns is) of a log sorted by integer journey id
//! is cut between journeys into as many parts as there are threads (each
//! part at least [`PART_ROWS`] rows). Each part is read into its own copy
//! of the empty tracker on its own thread, then the parts are merged in
//! order ([`Tracker::merge`]). Each part numbers the MOTs as the merged
//! tracker will: it starts from the previous part's registry, handed on
//! once that part has resolved its MOTs ([`Handoff`]). The parts' journeys
//! are not added to their variant tables but left queued, and added to the
//! merged table at once, one shard a thread, so that no table of variants
//! is merged (nor, numbered alike, any queue translated). A partition
//! by journey merges to what one pass gives: every count exactly,
//! compensated float sums to 1e-12 relative (see [`crate::numeric`]).
//! Where threads cannot be started (WebAssembly) or a part fails, the read
//! is done in one pass instead, so errors are those of one pass.

use std::sync::{Arc, Condvar, Mutex, PoisonError};

use super::fast::IntIds;
use super::variants::Batch;
use super::{IngestSummary, Registry, Tracker};
use crate::Error;
use crate::events::{BadRows, Columns, OutcomeColumns};

/// How a part of a read numbers the MOTs as the merged tracker will: it
/// starts from the previous part's registry once that part has resolved
/// its MOTs, and hands its own on to the next part. Then every part's
/// sequences are in the merged numbering and no queue needs translating.
#[derive(Clone, Debug)]
#[cfg_attr(target_arch = "wasm32", allow(dead_code))] // never made there
pub(crate) struct Handoff {
    /// The previous part's registry (none for the first part).
    from: Option<Arc<Slot>>,
    /// Where this part hands its own on.
    to: Arc<Slot>,
}

/// A registry handed from one part to the next: `Some(None)` when the part
/// has none to give (it read otherwise, or failed).
#[derive(Debug, Default)]
struct Slot {
    registry: Mutex<Option<Option<Registry>>>,
    ready: Condvar,
}

#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
impl Slot {
    /// Hands `registry` on, unless something was handed already.
    fn give(&self, registry: Option<Registry>) {
        let mut slot = self.registry.lock().unwrap_or_else(PoisonError::into_inner);
        if slot.is_none() {
            *slot = Some(registry);
            self.ready.notify_all();
        }
    }

    /// Waits for the registry handed on.
    fn take(&self) -> Option<Registry> {
        let mut slot = self.registry.lock().unwrap_or_else(PoisonError::into_inner);
        while slot.is_none() {
            slot = self
                .ready
                .wait(slot)
                .unwrap_or_else(PoisonError::into_inner);
        }
        slot.as_ref().and_then(Clone::clone)
    }
}

/// Hands nothing on when dropped, unless the part handed its registry:
/// the next part never waits for a part that ended (or panicked).
struct GiveOnDrop(Arc<Slot>);

impl Drop for GiveOnDrop {
    fn drop(&mut self) {
        self.0.give(None);
    }
}

#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
impl Handoff {
    /// Before a part resolves its MOTs: starts from the previous part's
    /// registry when it extends this one (as it does for parts of one
    /// fresh tracker).
    pub(super) fn receive(&self, registry: &mut Registry) {
        if let Some(previous) = self.from.as_ref().and_then(|from| from.take())
            && previous.binding == registry.binding
            && previous.ids.starts_with(&registry.ids)
        {
            *registry = previous;
        }
    }

    /// Once a part has resolved its MOTs (`None`: it will not).
    pub(super) fn pass_on(&self, registry: Option<&Registry>) {
        self.to.give(registry.cloned());
    }
}

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
        // Each part hands its numbering of the MOTs on to the next.
        let slots: Vec<Arc<Slot>> = (0..parts).map(|_| Arc::default()).collect();
        for (k, t) in std::iter::once(&mut *self)
            .chain(others.iter_mut())
            .enumerate()
        {
            t.scratch.handoff = Some(Handoff {
                from: k.checked_sub(1).map(|p| Arc::clone(&slots[p])),
                to: Arc::clone(&slots[k]),
            });
        }
        let results: Vec<Option<Result<IngestSummary, Error>>> = std::thread::scope(|s| {
            let handles: Vec<_> = others
                .iter_mut()
                .enumerate()
                .map(|(k, t)| {
                    let (ev, out) = piece(k + 1);
                    let give = GiveOnDrop(Arc::clone(&slots[k + 1]));
                    std::thread::Builder::new()
                        .spawn_scoped(s, move || {
                            let _give = give;
                            t.ingest_any(&ev, out.as_ref())
                        })
                        .ok()
                })
                .collect();
            let (ev, out) = piece(0);
            let give = GiveOnDrop(Arc::clone(&slots[0]));
            let mut results = vec![Some(self.ingest_any(&ev, out.as_ref()))];
            drop(give);
            // A part whose thread could not start (or failed) is `None`.
            results.extend(handles.into_iter().map(|h| h.and_then(|h| h.join().ok())));
            results
        });
        for t in std::iter::once(&mut *self).chain(others.iter_mut()) {
            t.scratch.handoff = None;
        }
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
    /// merged one) — as they are when the part was numbered alike (its
    /// [`Handoff`]), translated on two threads otherwise.
    fn add_queued_variants(&mut self, others: &mut [Tracker]) {
        let threads = self.config.threads;
        let mots = self.registry.len();
        let mut queued: Vec<Batch> = Vec::new();
        for other in others {
            let batch = std::mem::take(&mut other.scratch.batch);
            // (Every MOT of the other part is ours since the merge.)
            let map = self.registry.absorb(&other.registry);
            if super::is_identity(&map) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MotId;

    fn registry(ids: &[&str]) -> Registry {
        Registry::from_ids(ids.iter().map(|&id| MotId::from(id)).collect())
    }

    /// A part starts from the previous part's registry when it extends its
    /// own, and keeps its own otherwise; a part that ends without handing
    /// one on (or whose thread never ran) does not keep the next waiting.
    #[test]
    fn parts_hand_their_numbering_on() {
        let slots: Vec<Arc<Slot>> = (0..3).map(|_| Arc::default()).collect();
        let handoff = |k: usize| Handoff {
            from: k.checked_sub(1).map(|p| Arc::clone(&slots[p])),
            to: Arc::clone(&slots[k]),
        };
        let (first, second, third) = (handoff(0), handoff(1), handoff(2));
        std::thread::scope(|s| {
            let later = s.spawn(|| {
                let mut mine = registry(&[]);
                second.receive(&mut mine);
                assert_eq!(mine, registry(&["b", "a"]));
                mine.resolve("c").unwrap();
                second.pass_on(Some(&mine));
            });
            let mut mine = registry(&[]);
            first.receive(&mut mine); // no previous part: nothing to wait for
            mine.resolve("b").unwrap();
            mine.resolve("a").unwrap();
            first.pass_on(Some(&mine));
            first.pass_on(None); // a second word changes nothing
            later.join().unwrap();
        });
        let mut unrelated = registry(&["z"]);
        third.receive(&mut unrelated);
        assert_eq!(unrelated, registry(&["z"]), "not an extension: kept");
        let mut fresh = registry(&[]);
        third.receive(&mut fresh);
        assert_eq!(fresh, registry(&["b", "a", "c"]));
        // A part that ends without a word hands nothing on.
        let slot: Arc<Slot> = Arc::default();
        let next = Handoff {
            from: Some(Arc::clone(&slot)),
            to: Arc::default(),
        };
        std::thread::scope(|s| {
            let give = GiveOnDrop(Arc::clone(&slot));
            s.spawn(move || drop(give));
        });
        let mut own = registry(&["x"]);
        next.receive(&mut own);
        assert_eq!(own, registry(&["x"]));
    }
}
