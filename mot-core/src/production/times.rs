//! Durations per directly-follows edge, found through a dense slot table
//! (as the transition counts are) so that each interaction costs one
//! index, not a hash.

use hashbrown::HashMap;
use serde::{Deserialize, Serialize};

use crate::timing::Timing;

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
}

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
        let (fi, ti) = (f as usize, t as usize);
        let k = if fi < self.dim && ti < self.dim {
            self.slot[fi * self.dim + ti]
        } else {
            self.sparse.get(&(f, t)).copied().unwrap_or(u32::MAX)
        };
        let k = if k == u32::MAX { self.insert(f, t) } else { k };
        &mut self.edges[k as usize].1
    }

    #[cold]
    fn insert(&mut self, f: u32, t: u32) -> u32 {
        let k = self.edges.len() as u32;
        self.edges.push(((f, t), Timing::default()));
        self.place(f, t, k);
        k
    }

    /// The edge's durations, if it has any.
    pub(crate) fn get(&self, f: u32, t: u32) -> Option<&Timing> {
        let (fi, ti) = (f as usize, t as usize);
        let k = if fi < self.dim && ti < self.dim {
            self.slot[fi * self.dim + ti]
        } else {
            *self.sparse.get(&(f, t))?
        };
        self.edges.get(k as usize).map(|e| &e.1)
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
