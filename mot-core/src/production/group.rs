//! Grouping rows by a small key: the stable counting sort behind every
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
