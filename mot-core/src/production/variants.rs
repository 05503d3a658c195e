//! Variants: the distinct MOT sequences of closed journeys, with counts.
//!
//! Sequences are stored back to back in an arena and found through a hash
//! table keyed by a fixed-seed hash of the sequence, so that adding a
//! journey allocates nothing for a known variant, and merging states needs
//! no re-hashing when both number their MOTs alike. The variants are kept
//! in two shards by one bit of that hash, so that a large batch of
//! journeys (a bulk read, or the parts of one read on several threads) is
//! added on two threads, one shard each, with no table to merge after.

use hashbrown::HashTable;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default)]
struct Entry {
    hash: u64,
    start: usize,
    len: u32,
    count: u64,
}

/// Distinct sequences with their counts, in two [`Shard`]s by
/// [`shard_of`] their hash: a sequence is always in the same one.
#[derive(Clone, Default)]
pub(crate) struct Variants {
    shards: [Shard; 2],
}

/// Distinct sequences with their counts, kept in insertion order (so that
/// merges read another state's sequences front to back) and found through
/// a table of `(hash, entry index)`.
#[derive(Clone, Default)]
struct Shard {
    table: HashTable<(u64, u32)>,
    entries: Vec<Entry>,
    arena: Vec<u32>,
}

/// The shard of a sequence whose hash is `hash`: bit 40, which neither
/// the table's slot (its low bits) nor its tag (its top 7 bits) uses
/// below 2^40 slots.
#[inline]
fn shard_of(hash: u64) -> usize {
    (hash >> 40 & 1) as usize
}

/// Fewest journeys of a batch for its shards to be added on two threads.
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
const TWO_THREADS: usize = if cfg!(test) { 64 } else { 1 << 16 };

/// Journeys to add to a [`Variants`] table in one go
/// ([`Variants::add_batches`]), queued by the shard their sequence falls
/// in. A journey's sequence is kept in its item, packed when it fits in
/// 120 bits: a byte per MOT index up to 256 MOTs (15 steps), else `bits`
/// bits (7 steps over 65,536 MOTs); longer ones are copied to `seqs`. So
/// adding the batch reads no sequence from anywhere else.
#[derive(Clone, Debug, Default)]
pub(crate) struct Batch {
    /// Bits per MOT index: 8 up to 256 MOTs (0: none packs).
    bits: u32,
    /// Per shard, its journeys in the order they were queued.
    items: [Vec<Item>; 2],
    seqs: Vec<u32>,
}

/// A queued journey: its sequence's hash and the sequence, packed (the
/// length in the top byte, MOT `k` at bits `k·bits`), or — with
/// [`IN_SEQS`] as length — at `start << 32 | len` in [`Batch::seqs`].
#[derive(Clone, Copy, Debug, Default)]
struct Item {
    hash: u64,
    /// The packed key's low and high halves (24 bytes an item, where a
    /// `u128` field would align it to 32).
    key: [u64; 2],
}

impl Item {
    #[inline]
    fn key(&self) -> u128 {
        u128::from(self.key[0]) | u128::from(self.key[1]) << 64
    }
}

const IN_SEQS: u128 = 0xff;
const PACKED_BITS: u32 = 120;

/// Below this many journeys a batch is added one by one.
const BULK: usize = if cfg!(test) { 4 } else { 4_096 };

impl Batch {
    /// Starts queueing for journeys over `mots` MOTs (later ones still
    /// queue, unpacked).
    pub(crate) fn start(&mut self, mots: usize) {
        let bits = (usize::BITS - mots.saturating_sub(1).leading_zeros()).max(1);
        // Up to 256 MOTs, a byte each: packed and unpacked byte by byte
        // (15 MOTs a key), far cheaper than shifting a 128-bit key.
        self.bits = if bits <= 8 { 8 } else { bits };
    }

    /// Makes room for `journeys` more journeys (their items: not their
    /// sequences, which need room only when too long to pack), so that the
    /// queue is not copied as it grows.
    pub(crate) fn reserve(&mut self, journeys: usize) {
        // About half a shard (a few more, for chance).
        let half = journeys / 2 + journeys / 64 + 64;
        for items in &mut self.items {
            items.reserve(half);
        }
    }

    /// Queues a journey that followed `seq` (whose hash is `hash`).
    #[inline]
    pub(crate) fn push(&mut self, seq: &[u32], hash: u64) {
        let bits = self.bits;
        let fits = bits > 0
            && seq.len() as u32 <= PACKED_BITS / bits
            && seq.iter().fold(0, |a, &m| a | m) >> bits == 0;
        let key = if fits && bits == 8 {
            let mut bytes = [0u8; 16];
            for (b, &m) in bytes.iter_mut().zip(seq) {
                *b = m as u8;
            }
            bytes[15] = seq.len() as u8;
            u128::from_le_bytes(bytes)
        } else if fits {
            let mut key = (seq.len() as u128) << PACKED_BITS;
            for (k, &m) in seq.iter().enumerate() {
                key |= u128::from(m) << (k as u32 * bits);
            }
            key
        } else {
            let start = self.seqs.len() as u128;
            self.seqs.extend_from_slice(seq);
            IN_SEQS << PACKED_BITS | start << 32 | seq.len() as u128
        };
        self.items[shard_of(hash)].push(Item {
            hash,
            key: [key as u64, (key >> 64) as u64],
        });
    }

    /// The length of `item`'s sequence.
    #[inline]
    fn len(&self, item: &Item) -> usize {
        let key = item.key();
        let len = (key >> PACKED_BITS) as usize;
        if len == IN_SEQS as usize {
            key as u32 as usize
        } else {
            len
        }
    }

    /// Appends the sequence of `item` to `out` (unpacked, or copied from
    /// `seqs`).
    #[inline]
    fn write(&self, item: &Item, out: &mut Vec<u32>) {
        let key = item.key();
        let len = (key >> PACKED_BITS) as usize;
        if len == IN_SEQS as usize {
            let start = (key >> 32) as u64 as usize;
            out.extend_from_slice(&self.seqs[start..start + key as u32 as usize]);
            return;
        }
        if self.bits == 8 {
            out.extend(key.to_le_bytes()[..len].iter().map(|&m| u32::from(m)));
            return;
        }
        let mask = (1u128 << self.bits) - 1;
        out.extend((0..len).map(|k| ((key >> (k as u32 * self.bits)) & mask) as u32));
    }

    pub(crate) fn clear(&mut self) {
        self.seqs.clear();
        self.items.iter_mut().for_each(Vec::clear);
        self.bits = 0;
    }

    /// How many journeys are queued.
    pub(crate) fn journeys(&self) -> usize {
        self.items.iter().map(Vec::len).sum()
    }

    /// The journeys queued in `shard` in another numbering of the MOTs
    /// (this batch's MOT `m` is `map[m]`), as a batch over `mots` MOTs:
    /// their sequences rewritten and hashed again (so queued by their new
    /// shard).
    pub(crate) fn translated(&self, shard: usize, map: &[u32], mots: usize) -> Batch {
        let mut out = Batch::default();
        out.start(mots);
        out.reserve(self.items[shard].len());
        let mut seq = Vec::new();
        for item in &self.items[shard] {
            seq.clear();
            self.write(item, &mut seq);
            for m in &mut seq {
                *m = map[*m as usize];
            }
            out.push(&seq, hash_seq(&seq));
        }
        out
    }
}

/// About how many distinct values the hashes added hold (HyperLogLog
/// with 4,096 registers, standard error 1.6%, with the small-range
/// correction).
struct Distinct {
    reg: [u8; 1 << Distinct::P],
}

impl Default for Distinct {
    fn default() -> Distinct {
        Distinct {
            reg: [0; 1 << Distinct::P],
        }
    }
}

impl Distinct {
    const P: u32 = 12;

    #[inline]
    fn add(&mut self, h: u64) {
        let r = &mut self.reg[(h >> (64 - Self::P)) as usize];
        *r = (*r).max(((h << Self::P) | (1 << (Self::P - 1))).leading_zeros() as u8 + 1);
    }

    fn estimate(&self) -> usize {
        let m = self.reg.len() as f64;
        let sum: f64 = self.reg.iter().map(|&r| 2f64.powi(-i32::from(r))).sum();
        let raw = 0.7213 / (1.0 + 1.079 / m) * m * m / sum;
        let zeros = self.reg.iter().filter(|&&r| r == 0).count();
        let estimate = if raw <= 2.5 * m && zeros > 0 {
            m * (m / zeros as f64).ln()
        } else {
            raw
        };
        estimate as usize
    }
}

/// A fixed-seed hash of a sequence (FxHash rounds, SplitMix64 finish).
#[inline]
#[cfg_attr(mot_speed, optimize(speed))]
pub(crate) fn hash_seq(seq: &[u32]) -> u64 {
    let mut h = seq.len() as u64;
    // Two MOTs a round: half the rounds of one at a time.
    let mut pairs = seq.chunks_exact(2);
    for p in &mut pairs {
        let x = u64::from(p[0]) | u64::from(p[1]) << 32;
        h = (h.rotate_left(5) ^ x).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    for &x in pairs.remainder() {
        h = (h.rotate_left(5) ^ u64::from(x)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

impl Variants {
    /// Adds `count` journeys that followed `seq` (whose hash is `hash`).
    #[inline]
    pub(crate) fn add(&mut self, seq: &[u32], hash: u64, count: u64) {
        self.shards[shard_of(hash)].add(seq, hash, count);
    }

    /// Adds every journey of `batches` (one count each), in their order,
    /// and empties them: the same table as [`Variants::add`] called for
    /// each journey in turn, but faster for large batches. Each shard takes
    /// the journeys whose sequences fall in it, on a thread of its own when
    /// `threads` allows and the batches are large.
    pub(crate) fn add_batches(&mut self, batches: &mut [&mut Batch], threads: usize) {
        {
            let all: Vec<&Batch> = batches.iter().map(|b| &**b).collect();
            let items: usize = all.iter().map(|b| b.journeys()).sum();
            let [first, second] = &mut self.shards;
            let threads = if items < TWO_THREADS { 1 } else { threads };
            crate::threads::both(
                threads,
                || first.add_batches(0, &all),
                || second.add_batches(1, &all),
            );
        }
        for b in batches {
            b.clear();
        }
    }

    /// Number of distinct sequences.
    pub(crate) fn len(&self) -> usize {
        self.shards.iter().map(|s| s.entries.len()).sum()
    }

    /// `(sequence, count)` for every variant, shard by shard in insertion
    /// order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&[u32], u64)> + '_ {
        let [first, second] = &self.shards;
        first.iter().chain(second.iter())
    }

    /// Adds `other`, whose MOT `m` is this state's `map[m]` (`None`: the same
    /// numbering).
    pub(crate) fn merge(&mut self, other: &Variants, map: Option<&[u32]>) {
        let Some(map) = map else {
            for (mine, theirs) in self.shards.iter_mut().zip(&other.shards) {
                mine.merge(theirs);
            }
            return;
        };
        // The other's sequences in our numbering: their hashes change, and
        // so may their shards.
        let mut seq = Vec::new();
        for (theirs, count) in other.iter() {
            seq.clear();
            seq.extend(theirs.iter().map(|&m| map[m as usize]));
            self.add(&seq, hash_seq(&seq), count);
        }
    }

    /// Every sequence sorted, for deterministic output.
    fn sorted(&self) -> Vec<(&[u32], u64)> {
        let mut v: Vec<(&[u32], u64)> = self.iter().collect();
        v.sort_unstable_by(|a, b| a.0.cmp(b.0));
        v
    }
}

impl Shard {
    /// `(sequence, count)` for every variant, in insertion order.
    fn iter(&self) -> impl Iterator<Item = (&[u32], u64)> + '_ {
        (self.entries.iter()).map(|e| (&self.arena[e.start..e.start + e.len as usize], e.count))
    }

    /// The index of the variant `seq` (whose hash is `hash`), if known.
    #[inline]
    #[cfg_attr(mot_speed, optimize(speed))]
    fn find(&self, seq: &[u32], hash: u64) -> Option<u32> {
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
        self.table.find(hash, same).map(|&(_, i)| i)
    }

    /// Adds `count` journeys that followed `seq` (whose hash is `hash`).
    #[inline]
    #[cfg_attr(mot_speed, optimize(speed))]
    fn add(&mut self, seq: &[u32], hash: u64, count: u64) {
        if let Some(i) = self.find(seq, hash) {
            self.entries[i as usize].count += count;
            return;
        }
        let start = self.arena.len();
        self.arena.extend_from_slice(seq);
        self.insert(start, seq.len(), hash, count);
    }

    /// [`Shard::add`] for a sequence already in the arena, at `start`
    /// with `len` MOTs: a new variant keeps it there; for a known one it is
    /// left unused (given back when it is the arena's end: `tail`).
    #[inline]
    #[cfg_attr(mot_speed, optimize(speed))]
    fn add_stored(&mut self, start: usize, len: usize, hash: u64, count: u64, tail: bool) {
        if let Some(i) = self.find(&self.arena[start..start + len], hash) {
            self.entries[i as usize].count += count;
            if tail {
                self.arena.truncate(start);
            }
            return;
        }
        self.insert(start, len, hash, count);
    }

    /// A new variant, its sequence at `arena[start..start + len]`.
    #[inline]
    fn insert(&mut self, start: usize, len: usize, hash: u64, count: u64) {
        let index = self.entries.len() as u32;
        self.entries.push(Entry {
            hash,
            start,
            len: len as u32,
            count,
        });
        self.table.insert_unique(hash, (hash, index), |&(h, _)| h);
    }

    /// Rewrites the arena with only the variants' sequences, when more
    /// than half of it holds sequences no variant uses (left by merges).
    fn compact(&mut self) {
        let live: usize = self.entries.iter().map(|e| e.len as usize).sum();
        if self.arena.len() <= 2 * live + 1024 {
            return;
        }
        let mut arena = Vec::with_capacity(live);
        for e in &mut self.entries {
            let start = arena.len();
            arena.extend_from_slice(&self.arena[e.start..e.start + e.len as usize]);
            e.start = start;
        }
        self.arena = arena;
    }

    /// Adds the journeys of `batches` whose sequences fall in shard `s`,
    /// in their order. A large batch goes in faster than one journey at a
    /// time: the table is sized for it first and the journeys go in
    /// grouped by the part of the table their hash falls in, so each probe
    /// lands in a small region that stays in cache instead of anywhere in
    /// a table of a million sequences.
    #[cfg_attr(mot_speed, optimize(speed))]
    fn add_batches(&mut self, s: usize, batches: &[&Batch]) {
        // Each sequence is written at the arena's end, where a new variant
        // keeps it (no copy) and a known one gives it back.
        let add = |v: &mut Shard, b: &Batch, item: &Item| {
            let start = v.arena.len();
            b.write(item, &mut v.arena);
            v.add_stored(start, v.arena.len() - start, item.hash, 1, true);
        };
        // How many journeys, their steps, and about how many distinct
        // sequences (HyperLogLog: within a few percent).
        let (mut n, mut steps, mut distinct) = (0usize, 0usize, Distinct::default());
        for b in batches {
            for item in &b.items[s] {
                n += 1;
                steps += b.len(item);
                distinct.add(item.hash);
            }
        }
        if n < BULK {
            for b in batches {
                for item in &b.items[s] {
                    add(self, b, item);
                }
            }
            return;
        }
        // Room for the distinct sequences, so the table neither grows
        // during the batch nor is sized for every journey when most repeat
        // a variant; the same room for the variants and their sequences (at
        // the batch's mean length), so that neither is copied as it grows:
        // room reserved and never touched costs no memory (except in
        // WebAssembly, where reserved memory is memory taken).
        let distinct = distinct.estimate();
        self.table.reserve(distinct + distinct / 8, |&(h, _)| h);
        #[cfg(not(target_arch = "wasm32"))]
        {
            let room = distinct + distinct / 8 + 1;
            self.entries.reserve(room);
            self.arena.reserve(room * steps.div_ceil(n) + 1024);
        }
        #[cfg(target_arch = "wasm32")]
        let _ = steps;
        let (regions, region) = self.regions();
        // One buffer to group every batch in (each grouping overwrites
        // what it uses), so that its memory is mapped once.
        let longest = batches.iter().map(|b| b.items[s].len()).max();
        let mut grouped = vec![Item::default(); longest.unwrap_or(0)];
        for b in batches {
            let grouped = &mut grouped[..b.items[s].len()];
            super::group::by_key(&b.items[s], grouped, regions, |i| region(i.hash));
            for item in grouped.iter() {
                add(self, b, item);
            }
        }
    }

    /// Adds `other`, numbered alike (its sequences in this shard).
    fn merge(&mut self, other: &Shard) {
        self.table.reserve(other.entries.len(), |&(h, _)| h);
        self.entries.reserve(other.entries.len());
        // The other's arena is taken whole (one copy, read front to back):
        // a new variant's sequence stays where it lands, a known one's is
        // left unused, and the arena is compacted when that is most of it.
        let base = self.arena.len();
        self.arena.extend_from_slice(&other.arena);
        let mut entries: Vec<Entry> = other
            .entries
            .iter()
            .map(|e| Entry {
                start: base + e.start,
                ..*e
            })
            .collect();
        // A large table: the entries go in grouped by the region of the
        // table their hash falls in, as a batch does.
        if entries.len() >= BULK {
            let (regions, region) = self.regions();
            let mut grouped = vec![Entry::default(); entries.len()];
            super::group::by_key(&entries, &mut grouped, regions, |e| region(e.hash));
            entries = grouped;
        }
        for e in entries {
            self.add_stored(e.start, e.len as usize, e.hash, e.count, false);
        }
        self.compact();
    }

    /// The table's regions of about 1,024 slots (16 KiB) as it is sized
    /// now: how many, and which a hash falls in. hashbrown finds a hash's
    /// slot from its low bits (`hash & mask`), so a region is a run of
    /// slots, and adding hashes region by region touches one small part of
    /// the table at a time.
    fn regions(&self) -> (usize, impl Fn(u64) -> usize + use<>) {
        let buckets = (self.table.capacity() / 7 * 8).next_power_of_two().max(2);
        let bits = buckets.trailing_zeros();
        let part_bits = bits.saturating_sub(10).min(16);
        let shift = bits - part_bits;
        let mask = (buckets - 1) as u64;
        (1 << part_bits, move |h: u64| ((h & mask) >> shift) as usize)
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

    /// A batch gives the table that adding each journey in turn gives:
    /// sequences packed (short ones) or copied (long ones, and MOTs beyond
    /// the batch's width), in bulk or one by one.
    #[test]
    fn batches_equal_adding_one_by_one() {
        let mut rng = crate::simulate::Rng::new(3);
        for (mots, journeys) in [(3, 3), (40, 5_000), (300, 6_000), (1 << 20, 50)] {
            let seqs: Vec<Vec<u32>> = (0..journeys)
                .map(|_| {
                    let long = rng.below(10) == 0;
                    let len = 1 + rng.below(if long { 90 } else { 12 }) as usize;
                    // Few distinct MOTs early in a journey: many repeats.
                    (0..len)
                        .map(|k| rng.below(mots.min(2 + 3 * k as u64)) as u32)
                        .collect()
                })
                .collect();
            let mut one = Variants::default();
            let mut batched = Variants::default();
            let mut batch = Batch::default();
            // The batch is told of fewer MOTs than appear: those journeys are copied.
            batch.start((mots as usize / 2).max(1));
            for s in &seqs {
                one.add(s, hash_seq(s), 1);
                batch.push(s, hash_seq(s));
            }
            batched.add_batches(&mut [&mut batch], 1);
            assert_eq!(batched, one, "{mots} MOTs");
            assert_eq!(batched.len(), one.len());
            // A second batch onto a full table.
            batch.start(mots as usize);
            for s in &seqs {
                one.add(s, hash_seq(s), 1);
                batch.push(s, hash_seq(s));
            }
            batched.add_batches(&mut [&mut batch], 2);
            assert_eq!(batched, one);
        }
    }

    /// The batches of a read's parts, the later ones numbered otherwise and
    /// translated (in two pieces), add up to the table of adding every
    /// journey in turn, on one thread or two.
    #[test]
    fn batches_of_parts_add_as_one_in_any_numbering() {
        let mut rng = crate::simulate::Rng::new(5);
        let mots = 300u32;
        let seqs: Vec<Vec<u32>> = (0..4_000)
            .map(|_| {
                let long = rng.below(8) == 0;
                let len = 1 + rng.below(if long { 40 } else { 9 }) as usize;
                (0..len)
                    .map(|k| rng.below(u64::from(mots).min(2 + 4 * k as u64)) as u32)
                    .collect()
            })
            .collect();
        let mut one = Variants::default();
        for s in &seqs {
            one.add(s, hash_seq(s), 1);
        }
        // The other part's MOT `k` is our `map[k]`.
        let map: Vec<u32> = (0..mots).map(|k| (k * 7 + 3) % mots).collect();
        let mut theirs = vec![0u32; mots as usize];
        for (k, &m) in map.iter().enumerate() {
            theirs[m as usize] = k as u32;
        }
        let (mut first, mut other) = (Batch::default(), Batch::default());
        first.start(mots as usize);
        other.start(mots as usize);
        for s in &seqs[..1_500] {
            first.push(s, hash_seq(s));
        }
        for s in &seqs[1_500..] {
            let t: Vec<u32> = s.iter().map(|&m| theirs[m as usize]).collect();
            other.push(&t, hash_seq(&t));
        }
        for threads in [1, 0] {
            let mut a = first.clone();
            let mut b = other.translated(0, &map, mots as usize);
            let mut c = other.translated(1, &map, mots as usize);
            let mut v = Variants::default();
            v.add_batches(&mut [&mut a, &mut b, &mut c], threads);
            assert_eq!(v, one, "{threads} threads");
            assert_eq!(a.journeys() + c.journeys(), 0);
        }
    }

    #[test]
    fn distinct_hashes_are_estimated_within_a_few_percent() {
        for n in [0usize, 10, 1_000, 100_000] {
            let hashes = (0..n as u64).map(|i| hash_seq(&[i as u32, (i >> 32) as u32]));
            // Every value twice: duplicates do not count.
            let mut d = Distinct::default();
            hashes.clone().chain(hashes).for_each(|h| d.add(h));
            let est = d.estimate() as f64;
            assert!(
                (est - n as f64).abs() <= 0.06 * n as f64 + 1.0,
                "{n}: {est}"
            );
        }
    }

    /// Merges take the other's arena whole: merging the same states again
    /// and again leaves sequences no variant uses, and the arena is
    /// compacted so that they never outweigh the variants' own; the table
    /// is that of adding every sequence in turn.
    #[test]
    fn repeated_merges_stay_compact_and_exact() {
        let mut rng = crate::simulate::Rng::new(9);
        let seqs: Vec<Vec<u32>> = (0..3_000)
            .map(|_| {
                (0..1 + rng.below(12))
                    .map(|_| rng.below(6) as u32)
                    .collect()
            })
            .collect();
        let mut part = Variants::default();
        for s in &seqs {
            part.add(s, hash_seq(s), 1);
        }
        let (mut merged, mut one) = (Variants::default(), Variants::default());
        for round in 0..40 {
            let map: Vec<u32> = (0..6).map(|m| (m + round) % 6).collect();
            merged.merge(&part, Some(&map));
            for s in &seqs {
                let s: Vec<u32> = s.iter().map(|&m| map[m as usize]).collect();
                one.add(&s, hash_seq(&s), 1);
            }
            let live: usize = merged.iter().map(|(s, _)| s.len()).sum();
            let arena = |v: &Variants| v.shards.iter().map(|s| s.arena.len()).sum::<usize>();
            assert!(arena(&merged) <= 2 * (live + 1024) + arena(&part));
        }
        assert_eq!(merged, one);
    }

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
