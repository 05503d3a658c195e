//! Durations per directly-follows edge, found through a dense slot table
//! (as the transition counts are) so that each interaction costs one
//! index, not a hash.

use hashbrown::HashMap;
use serde::{Deserialize, Serialize};

use crate::timing::{DdSketch, Timing};

/// Above this many MOTs edges are found through a hash map.
const DENSE_MOTS: usize = 1024;

/// `(from MOT, to MOT) → Timing`.
#[derive(Clone, Debug, Default)]
pub(crate) struct EdgeTimes {
    /// MOTs covered by `slot`.
    dim: usize,
    /// `slot[from · dim + to]`: the edge's index in `edges`, `u32::MAX`
    /// for none.
    slot: Vec<u32>,
    /// Edges beyond the dense table.
    sparse: HashMap<(u32, u32), u32>,
    edges: Vec<((u32, u32), Timing)>,
    /// Durations queued during a bulk read ([`EdgeTimes::add`] with
    /// `queue`), counted a chunk at a time and by [`EdgeTimes::flush`]
    /// (the sums at the flush only): per duration its edge's
    /// index and its sketch code (`edge << CODE_BITS | code`), and per
    /// edge the sum of its queued durations modulo 2⁶⁴ (each wrap is
    /// added to the edge's sum at once: a 64-bit add per duration costs
    /// far less than a 128-bit one in memory).
    queued: Vec<u32>,
    queued_sum: Vec<u64>,
    /// Room for ordering the queue (reused).
    sorted: Vec<u32>,
}

type Figures = Vec<Option<crate::timing::Duration>>;

/// Each edge's figures, in order; the two halves on two threads when
/// `threads` allows and there are many edges.
fn figures_of(edges: &[((u32, u32), Timing)], threads: usize) -> Figures {
    crate::threads::in_halves(edges.len(), threads, APART, |r| {
        edges[r].iter().map(|(_, t)| t.figures()).collect()
    })
}

/// Edges for their figures to be computed on two threads (few in tests,
/// so that the tests take that route too).
const APART: usize = if cfg!(test) { 4 } else { 4_096 };

/// Durations queued before they are counted: at least this many (4 MiB
/// of queue, and as much room to order it, reused chunk after chunk: in
/// cache, and no fresh memory to fault in)...
const CHUNK_MIN: usize = if cfg!(test) { 1 << 10 } else { 1 << 20 };
/// ... about 512 per edge (counting a chunk walks each edge's range of
/// codes once, which must stay small beside its durations)...
const CHUNK_PER_EDGE: usize = 512;
/// ... and at most this many (256 MiB). (Small chunks in tests, so that
/// they count chunk after chunk.)
const QUEUE: usize = 1 << 26;

/// Durations queued before they are counted, over `edges` edges.
#[inline]
fn chunk_for(edges: usize) -> usize {
    (edges * CHUNK_PER_EDGE).clamp(CHUNK_MIN, QUEUE)
}

/// Bits of a queued duration's sketch code ([`DdSketch::nanos_code`]).
const CODE_BITS: u32 = 12;
/// Edges beyond this index are not queued.
const QUEUED_EDGES: usize = 1 << (32 - CODE_BITS);

impl EdgeTimes {
    /// Makes room for `mots` MOTs.
    pub(crate) fn ensure(&mut self, mots: usize) {
        let dim = mots.min(DENSE_MOTS);
        if dim <= self.dim {
            return;
        }
        self.dim = dim;
        self.slot = vec![u32::MAX; dim * dim];
        self.sparse.clear();
        for k in 0..self.edges.len() {
            let (f, t) = self.edges[k].0;
            self.place(f, t, k as u32);
        }
    }

    fn place(&mut self, f: u32, t: u32, k: u32) {
        let (fi, ti) = (f as usize, t as usize);
        if fi < self.dim && ti < self.dim {
            self.slot[fi * self.dim + ti] = k;
        } else {
            self.sparse.insert((f, t), k);
        }
    }

    /// The edge's durations, created when new.
    #[inline(always)]
    pub(crate) fn get_mut(&mut self, f: u32, t: u32) -> &mut Timing {
        let e = self.index_or_insert(f, t);
        &mut self.edges[e].1
    }

    /// The edge's index, the edge created when new.
    #[inline(always)]
    fn index_or_insert(&mut self, f: u32, t: u32) -> usize {
        match self.index(f, t) {
            Some(e) => e,
            None => self.insert(f, t) as usize,
        }
    }

    /// Adds a duration of `ns` on edge `(f, t)`; with `queue`, only notes
    /// it, to be counted when the queue holds a chunk or by
    /// [`EdgeTimes::flush`] (much faster over many edges: one sequential
    /// write instead of a touch of the edge's sketch).
    #[inline(always)]
    pub(crate) fn add(&mut self, f: u32, t: u32, ns: i64, queue: bool) {
        let e = self.index_or_insert(f, t);
        if queue && ns >= 0 && e < QUEUED_EDGES {
            if self.queued_sum.len() <= e {
                self.queued_sum.resize(self.edges.len(), 0);
            }
            let (sum, wrapped) = self.queued_sum[e].overflowing_add(ns as u64);
            self.queued_sum[e] = sum;
            if wrapped {
                self.wrapped(e);
            }
            self.queued
                .push((e as u32) << CODE_BITS | DdSketch::nanos_code(ns));
            if self.queued.len() >= CHUNK_MIN && self.queued.len() >= self.chunk() {
                self.count_queued();
            }
        } else {
            self.edges[e].1.add_nanos(ns);
        }
    }

    /// Edge `e`'s queued sum went past 2⁶⁴: that much goes to its sum now.
    #[cold]
    #[inline(never)]
    fn wrapped(&mut self, e: usize) {
        self.edges[e].1.add_sum(1 << 64);
    }

    /// Room in the queue for a bulk read of `rows` interactions over
    /// `mots` MOTs: as many durations as one chunk can hold (at most one a
    /// row; edges counted as if every pair of MOTs followed each other), so
    /// that the queue is not copied as it grows. At most 4 bytes a row.
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    pub(crate) fn reserve_queue(&mut self, mots: usize, rows: usize) {
        let want = chunk_for(mots * mots).min(rows);
        self.queued.reserve(want.saturating_sub(self.queued.len()));
    }

    /// Durations queued before they are counted, for as many edges as
    /// there are now.
    #[inline]
    fn chunk(&self) -> usize {
        chunk_for(self.edges.len())
    }

    /// Counts the queued durations into their edges' sketches: grouped by
    /// edge first (one pass to count, one to place), then each edge's codes
    /// counted in a small table.
    pub(crate) fn flush(&mut self) {
        self.count_queued();
        for (e, sum) in self.queued_sum.iter_mut().enumerate() {
            self.edges[e].1.add_sum(u128::from(std::mem::take(sum)));
        }
    }

    /// Counts the queued durations' codes (not their sums) into their
    /// edges' sketches, and empties the queue: the queue is ordered by
    /// edge (a least-significant-digit radix sort on the edge bits, at
    /// most 11 bits a pass, so each pass writes to a few thousand places
    /// that stay in cache), then each edge's codes are counted in a small
    /// table and added to its sketch in one go.
    #[cfg_attr(mot_speed, optimize(speed))]
    fn count_queued(&mut self) {
        let n = self.queued.len();
        if n == 0 {
            return;
        }
        let edges = self.queued_sum.len().max(1);
        let edge_bits = usize::BITS - (edges - 1).leading_zeros();
        let mut queued = std::mem::take(&mut self.queued);
        let mut room = std::mem::take(&mut self.sorted);
        let in_room = super::group::radix(&mut queued, &mut room, edge_bits, |q| {
            u64::from(q >> CODE_BITS)
        });
        let src = if in_room { &room[..] } else { &queued[..] };
        let mut counts = vec![0u64; 1 << CODE_BITS];
        let code_mask = (1u32 << CODE_BITS) - 1;
        let mut k = 0;
        while k < n {
            let e = src[k] >> CODE_BITS;
            let (mut lo, mut hi) = (usize::MAX, 0);
            while k < n && src[k] >> CODE_BITS == e {
                let c = (src[k] & code_mask) as usize;
                counts[c] += 1;
                lo = lo.min(c);
                hi = hi.max(c);
                k += 1;
            }
            self.edges[e as usize].1.add_codes(&mut counts, lo, hi);
        }
        queued.clear();
        room.clear();
        self.queued = queued;
        self.sorted = room;
    }

    #[cold]
    fn insert(&mut self, f: u32, t: u32) -> u32 {
        let k = self.edges.len() as u32;
        self.edges.push(((f, t), Timing::default()));
        self.place(f, t, k);
        k
    }

    /// Every edge's figures, found by `(from, to)` as [`EdgeTimes::get`]
    /// finds the edge: computed in the order the sketches were made (and
    /// laid out in memory), which reads them far faster than the order of
    /// the transitions.
    ///
    /// With `threads` other than 1 and many edges, the two halves are
    /// computed on two threads.
    pub(crate) fn figures(
        &self,
        threads: usize,
    ) -> impl Fn(u32, u32) -> Option<crate::timing::Duration> + '_ {
        let all = figures_of(&self.edges, threads);
        move |f, t| {
            let k = self.index(f, t)?;
            all.get(k).cloned().flatten()
        }
    }

    #[inline(always)]
    fn index(&self, f: u32, t: u32) -> Option<usize> {
        let (fi, ti) = (f as usize, t as usize);
        let k = if fi < self.dim && ti < self.dim {
            self.slot[fi * self.dim + ti]
        } else {
            *self.sparse.get(&(f, t))?
        };
        (k != u32::MAX).then_some(k as usize)
    }

    /// The edge's durations, if it has any.
    #[cfg(test)]
    pub(crate) fn get(&self, f: u32, t: u32) -> Option<&Timing> {
        self.edges.get(self.index(f, t)?).map(|e| &e.1)
    }

    /// Every edge, by `(from, to)`.
    pub(crate) fn sorted(&self) -> Vec<&((u32, u32), Timing)> {
        let mut v: Vec<_> = self.edges.iter().collect();
        v.sort_unstable_by_key(|e| e.0);
        v
    }

    /// Adds `other`, whose MOT `m` is this state's `map[m]`.
    pub(crate) fn merge(&mut self, other: &EdgeTimes, map: &[u32]) {
        for ((f, t), time) in &other.edges {
            self.get_mut(map[*f as usize], map[*t as usize]).merge(time);
        }
    }

    /// Number of edges.
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    pub(crate) fn len(&self) -> usize {
        self.edges.len()
    }

    /// Whether every edge joins MOTs below `mots`.
    pub(crate) fn check(&self, mots: usize) -> bool {
        self.edges
            .iter()
            .all(|((f, t), _)| (*f as usize) < mots && (*t as usize) < mots)
    }
}

impl PartialEq for EdgeTimes {
    fn eq(&self, other: &EdgeTimes) -> bool {
        self.sorted() == other.sorted()
    }
}

impl Serialize for EdgeTimes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.sorted())
    }
}

impl<'de> Deserialize<'de> for EdgeTimes {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let list = Vec::<((u32, u32), Timing)>::deserialize(deserializer)?;
        let mut e = EdgeTimes::default();
        for ((f, t), time) in list {
            if e.sparse.insert((f, t), e.edges.len() as u32).is_some() {
                return Err(serde::de::Error::custom(
                    "an edge's durations are listed twice",
                ));
            }
            e.edges.push(((f, t), time));
        }
        Ok(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Durations queued and counted per edge (in one radix pass or in
    /// several) equal durations added one by one.
    #[test]
    fn queued_durations_equal_adding_one_by_one() {
        let mut rng = crate::simulate::Rng::new(5);
        for mots in [3u64, 40, 120] {
            let (mut queued, mut direct) = (EdgeTimes::default(), EdgeTimes::default());
            queued.ensure(mots as usize);
            direct.ensure(mots as usize);
            for _ in 0..50_000 {
                let (f, t) = (rng.below(mots) as u32, rng.below(mots) as u32);
                let ns = match rng.below(20) {
                    0 => 0,
                    1 => -5,
                    // Centuries: a queued sum wraps past 2⁶⁴ many times.
                    2 => (1 << 62) + rng.below(1 << 61) as i64,
                    _ => rng.below(1 << 40) as i64,
                };
                queued.add(f, t, ns, true);
                direct.add(f, t, ns, false);
            }
            queued.flush();
            assert!(queued.queued.is_empty());
            assert_eq!(queued, direct, "{mots} MOTs");
        }
    }

    /// Figures computed on two threads are those of one thread, edge by
    /// edge.
    #[test]
    fn figures_on_two_threads_equal_one() {
        let mut rng = crate::simulate::Rng::new(6);
        let mut e = EdgeTimes::default();
        e.ensure(12);
        for _ in 0..5_000 {
            let (f, t) = (rng.below(12) as u32, rng.below(12) as u32);
            e.add(f, t, rng.below(1 << 36) as i64 * (1 + i64::from(f)), false);
        }
        assert!(e.len() >= 2 * APART);
        let (one, two) = (e.figures(1), e.figures(0));
        for f in 0..13 {
            for t in 0..13 {
                assert_eq!(one(f, t), two(f, t), "{f} -> {t}");
            }
        }
        assert!(one(0, 1).is_some() && one(12, 0).is_none());
    }

    #[test]
    fn dense_sparse_and_growth_find_the_same_edges() {
        let mut e = EdgeTimes::default();
        e.get_mut(3, 5).add_nanos(1_000);
        e.ensure(4); // 5 is still beyond the table
        e.get_mut(3, 5).add_nanos(2_000);
        e.get_mut(1, 2).add_nanos(0);
        e.ensure(2_000);
        e.get_mut(1_500, 2).add_nanos(7);
        e.get_mut(3, 5).add_nanos(3_000);
        assert_eq!(e.get(3, 5).unwrap().count(), 3);
        assert_eq!(e.get(1, 2).unwrap().count(), 1);
        assert_eq!(e.get(1_500, 2).unwrap().count(), 1);
        assert!(e.get(2, 1).is_none());
        let json = serde_json::to_string(&e).unwrap();
        let mut back: EdgeTimes = serde_json::from_str(&json).unwrap();
        assert_eq!(back, e);
        back.ensure(10);
        back.get_mut(3, 5).add_nanos(1);
        assert_eq!(back.get(3, 5).unwrap().count(), 4);
        assert!(e.check(1_501) && !e.check(1_500));
    }
}
