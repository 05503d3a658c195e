//! Variants: the distinct MOT sequences of closed journeys, with counts.
//!
//! Sequences are stored back to back in one arena and found through a hash
//! table keyed by a fixed-seed hash of the sequence, so that adding a
//! journey allocates nothing for a known variant, and merging states needs
//! no re-hashing when both number their MOTs alike.

use hashbrown::HashTable;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug)]
struct Entry {
    hash: u64,
    start: usize,
    len: u32,
    count: u64,
}

/// Distinct sequences with their counts, kept in insertion order (so that
/// merges read another state's sequences front to back) and found through
/// a table of `(hash, entry index)`.
#[derive(Clone, Default)]
pub(crate) struct Variants {
    table: HashTable<(u64, u32)>,
    entries: Vec<Entry>,
    arena: Vec<u32>,
}

/// A fixed-seed hash of a sequence (FxHash rounds, SplitMix64 finish).
#[inline]
#[cfg_attr(mot_speed, optimize(speed))]
pub(crate) fn hash_seq(seq: &[u32]) -> u64 {
    let mut h = seq.len() as u64;
    for &x in seq {
        h = (h.rotate_left(5) ^ u64::from(x)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

impl Variants {
    /// Adds `count` journeys that followed `seq` (whose hash is `hash`);
    /// returns the variant's index (in insertion order, stable: variants
    /// are only ever appended).
    #[inline]
    #[cfg_attr(mot_speed, optimize(speed))]
    pub(crate) fn add(&mut self, seq: &[u32], hash: u64, count: u64) -> u32 {
        let (entries, arena) = (&self.entries, &self.arena);
        let same = |&(h, i): &(u64, u32)| {
            h == hash && {
                let e = &entries[i as usize];
                // Element by element: sequences are short, and a slice `==`
                // would call `memcmp`, a byte loop in WebAssembly.
                e.len as usize == seq.len()
                    && arena[e.start..e.start + seq.len()]
                        .iter()
                        .zip(seq)
                        .all(|(a, b)| a == b)
            }
        };
        if let Some(&(_, i)) = self.table.find(hash, same) {
            self.entries[i as usize].count += count;
            return i;
        }
        let index = self.entries.len() as u32;
        self.entries.push(Entry {
            hash,
            start: self.arena.len(),
            len: seq.len() as u32,
            count,
        });
        self.arena.extend_from_slice(seq);
        self.table.insert_unique(hash, (hash, index), |&(h, _)| h);
        index
    }

    /// Number of distinct sequences.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// `(sequence, count)` for every variant, in insertion order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&[u32], u64)> + '_ {
        self.entries
            .iter()
            .map(|e| (&self.arena[e.start..e.start + e.len as usize], e.count))
    }

    /// Adds `other`, whose MOT `m` is this state's `map[m]` (`None`: the same
    /// numbering).
    pub(crate) fn merge(&mut self, other: &Variants, map: Option<&[u32]>) {
        self.table.reserve(other.entries.len(), |&(h, _)| h);
        self.entries.reserve(other.entries.len());
        self.arena.reserve(other.arena.len());
        let mut remapped = Vec::new();
        for e in &other.entries {
            let seq = &other.arena[e.start..e.start + e.len as usize];
            match map {
                None => {
                    self.add(seq, e.hash, e.count);
                }
                Some(map) => {
                    remapped.clear();
                    remapped.extend(seq.iter().map(|&m| map[m as usize]));
                    self.add(&remapped, hash_seq(&remapped), e.count);
                }
            }
        }
    }

    /// Every sequence sorted, for deterministic output.
    fn sorted(&self) -> Vec<(&[u32], u64)> {
        let mut v: Vec<(&[u32], u64)> = self.iter().collect();
        v.sort_unstable_by(|a, b| a.0.cmp(b.0));
        v
    }
}

impl PartialEq for Variants {
    fn eq(&self, other: &Variants) -> bool {
        self.sorted() == other.sorted()
    }
}

impl std::fmt::Debug for Variants {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.sorted()).finish()
    }
}

impl Serialize for Variants {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.sorted())
    }
}

impl<'de> Deserialize<'de> for Variants {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let list = Vec::<(Vec<u32>, u64)>::deserialize(deserializer)?;
        let mut v = Variants::default();
        for (seq, count) in list {
            let before = v.len();
            v.add(&seq, hash_seq(&seq), count);
            if v.len() == before {
                return Err(serde::de::Error::custom("a variant is listed twice"));
            }
        }
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_merge_and_compare() {
        let mut a = Variants::default();
        for seq in [&[1u32, 2, 3][..], &[1, 2], &[1, 2, 3], &[]] {
            a.add(seq, hash_seq(seq), 1);
        }
        assert_eq!(a.len(), 3);
        let mut b = Variants::default();
        b.add(&[2, 1], hash_seq(&[2, 1]), 5);
        b.add(&[1, 2], hash_seq(&[1, 2]), 1);
        let mut c = a.clone();
        c.merge(&b, None);
        assert_eq!(c.len(), 4);
        assert!(c.iter().any(|(s, n)| s == [1, 2] && n == 2));
        // A remapping merge: b's MOT 1 is our 2 and its 2 our 1.
        let mut d = a.clone();
        d.merge(&b, Some(&[0, 2, 1]));
        assert!(d.iter().any(|(s, n)| s == [1, 2] && n == 6));
        let json = serde_json::to_string(&c).unwrap();
        let back: Variants = serde_json::from_str(&json).unwrap();
        assert_eq!(back, c);
        assert!(serde_json::from_str::<Variants>("[[[1],1],[[1],2]]").is_err());
    }
}
