//! Grouping rows by a small key: the stable counting sorts behind every
//! batch of a bulk read (variants by table region, durations by edge,
//! detector rows by MOT and by time).

/// Copies `from` into `to` (of the same length) grouped by `key` (below
/// `groups`), keeping the order of each group's items; returns where each
/// group starts in `to`, and its end as the last entry (`groups + 1`
/// entries).
pub(crate) fn by_key<T: Copy>(
    from: &[T],
    to: &mut [T],
    groups: usize,
    key: impl Fn(&T) -> usize,
) -> Vec<usize> {
    let mut start = vec![0usize; groups + 1];
    for x in from {
        start[key(x) + 1] += 1;
    }
    for g in 0..groups {
        start[g + 1] += start[g];
    }
    let mut next = start.clone();
    for x in from {
        let slot = &mut next[key(x)];
        to[*slot] = *x;
        *slot += 1;
    }
    start
}

/// Orders `items` by the low `bits` bits of `key` (stable: ties keep their
/// order), by a least-significant-digit radix sort of at most 11 bits a
/// pass (each pass writes to at most 2,048 places, which stay in cache),
/// with `room` as the second buffer; the histograms of every pass are
/// taken in one read, and a digit all items share costs no pass. Whether
/// the sorted items ended in `room[..items.len()]` (else in `items`).
pub(crate) fn radix<T: Copy + Default>(
    items: &mut [T],
    room: &mut Vec<T>,
    bits: u32,
    key: impl Fn(T) -> u64,
) -> bool {
    let n = items.len();
    let passes = bits.div_ceil(11).max(1) as usize;
    let digit = bits.div_ceil(passes as u32).max(1);
    let mask = (1u64 << digit) - 1;
    let mut counts = vec![0usize; passes << digit];
    for &x in items.iter() {
        let k = key(x);
        for (p, c) in counts.chunks_exact_mut(1 << digit).enumerate() {
            c[((k >> (p as u32 * digit)) & mask) as usize] += 1;
        }
    }
    room.clear();
    room.resize(n, T::default());
    let mut in_room = false;
    for (p, c) in counts.chunks_exact_mut(1 << digit).enumerate() {
        if c.contains(&n) {
            continue; // every item has the same digit
        }
        let mut at = 0;
        for k in c.iter_mut() {
            (*k, at) = (at, at + *k);
        }
        let s = p as u32 * digit;
        let scatter = |src: &[T], dst: &mut [T], c: &mut [usize]| {
            for &x in src {
                let slot = &mut c[((key(x) >> s) & mask) as usize];
                dst[*slot] = x;
                *slot += 1;
            }
        };
        if in_room {
            scatter(room, items, c);
        } else {
            scatter(items, room, c);
        }
        in_room = !in_room;
    }
    in_room
}

#[cfg(test)]
mod tests {
    #[test]
    fn groups_keep_their_order() {
        let from = [(2, 'a'), (0, 'b'), (2, 'c'), (1, 'd'), (0, 'e')];
        let mut to = [(0, ' '); 5];
        let start = super::by_key(&from, &mut to, 3, |x| x.0);
        assert_eq!(start, [0, 2, 3, 5]);
        assert_eq!(to.map(|x| x.1), ['b', 'e', 'd', 'a', 'c']);
    }
}
