//! The transitions of a bulk read, counted per interaction in a small
//! table of their own ([`Chain`]) and added to the state's tables when the
//! read ends.

use super::agg::{Class, Transitions};

/// The transitions of a bulk read, counted in a small table of its own:
/// between (MOT, failed) states ([`crate::risk::state`]) per outcome class,
/// `counts[(class · states + from) · states + to]`. The transitions between
/// MOTs are the same counts with the failed flag dropped, so only these are
/// counted per interaction, and both tables get them when the read ends
/// ([`Chain::flush`]). Half the work per interaction, and a table a quarter
/// the size of the two it stands for.
///
/// A cell is one byte, so that the table (265 KiB for 150 MOTs, read at
/// random once an interaction) stays in the core's cache: each time a
/// cell wraps around to 0, its count of wraps in `wraps` (a table of the
/// same shape, made at the first wrap) goes up by one, for 256.
#[derive(Clone, Debug, Default)]
pub(crate) struct Chain {
    /// 0: off.
    states: usize,
    counts: Vec<u8>,
    wraps: Vec<u32>,
}

/// Largest number of states a [`Chain`] takes on (512 MOTs: 3 MiB of
/// counts, of which only the pages touched are ever mapped).
const CHAIN_STATES: usize = 1_025;

impl Chain {
    /// Starts counting for `mots` MOTs (none may be added until
    /// [`Chain::flush`]); stays off when the table would be too large.
    pub(crate) fn start(&mut self, mots: usize) {
        let states = 2 * mots + 1;
        if states <= CHAIN_STATES {
            self.states = states;
            self.counts = vec![0; 3 * states * states];
            self.wraps = Vec::new();
        }
    }

    #[inline(always)]
    pub(crate) fn on(&self) -> bool {
        self.states > 0
    }

    #[inline(always)]
    pub(crate) fn add(&mut self, class: Class, from: u32, to: u32) {
        let s = self.states;
        let k = (class as usize * s + from as usize) * s + to as usize;
        let c = &mut self.counts[k];
        *c = c.wrapping_add(1);
        if *c == 0 {
            self.wrapped(k);
        }
    }

    #[cold]
    #[inline(never)]
    fn wrapped(&mut self, k: usize) {
        if self.wraps.is_empty() {
            self.wraps = vec![0; self.counts.len()];
        }
        self.wraps[k] += 1;
    }

    /// Adds the counts to both tables and turns off.
    pub(crate) fn flush(&mut self, transitions: &mut Transitions, risk: &mut Transitions) {
        let s = std::mem::take(&mut self.states);
        let counts = std::mem::take(&mut self.counts);
        if s == 0 {
            return;
        }
        let wraps = std::mem::take(&mut self.wraps);
        let mot_state = |r: usize| if r == 0 { 0 } else { (r - 1) / 2 + 1 };
        for (k, &c) in counts.iter().enumerate() {
            let n = u64::from(c) + 256 * wraps.get(k).map_or(0, |&w| u64::from(w));
            if n == 0 {
                continue;
            }
            let (class, from, to) = (k / (s * s), k / s % s, k % s);
            risk.add(from as u32, to as u32, class, n);
            transitions.add(mot_state(from) as u32, mot_state(to) as u32, class, n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Chain cells counted past a byte wrap around and still count
    /// exactly, in both tables.
    #[test]
    fn chain_counts_past_a_byte() {
        let (mut transitions, mut risk) = (Transitions::default(), Transitions::default());
        transitions.ensure(2);
        risk.ensure(4);
        let mut chain = Chain::default();
        chain.start(2);
        let cells = [
            (Class::Sco, 0, 1, 255u64),
            (Class::Sco, 1, 4, 256),
            (Class::NoSco, 3, 0, 3 * 256 + 7),
            (Class::Unknown, 2, 2, 1),
        ];
        for &(class, from, to, n) in &cells {
            for _ in 0..n {
                chain.add(class, from, to);
            }
        }
        chain.flush(&mut transitions, &mut risk);
        assert!(!chain.on());
        let counts = |class: Class, n: u64| {
            let mut c = [0; 3];
            c[class as usize] = n;
            c
        };
        let mut expected: Vec<_> = cells
            .iter()
            .map(|&(class, f, t, n)| (f, t, counts(class, n)))
            .collect();
        expected.sort_by_key(|&(f, t, _)| (f, t));
        assert_eq!(risk.iter().collect::<Vec<_>>(), expected);
        // The same with the failed flag dropped: state r is MOT (r - 1) / 2.
        assert_eq!(
            transitions.iter().collect::<Vec<_>>(),
            [
                (0, 1, counts(Class::Sco, 255)),
                (1, 1, counts(Class::Unknown, 1)),
                (1, 2, counts(Class::Sco, 256)),
                (2, 0, counts(Class::NoSco, 3 * 256 + 7)),
            ]
        );
    }
}
