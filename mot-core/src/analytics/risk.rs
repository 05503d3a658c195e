//! Journeys at risk (DOMAIN §3d): P(SCO | the journey's last interaction),
//! from the absorbing Markov chain over (MOT, success) states estimated
//! from closed journeys with a known outcome.
//!
//! States: the start, then for each MOT m the state "an interaction with m
//! that did not fail" (2m + 1) and "one that failed" (2m + 2); absorbing:
//! SCO and no SCO. Transition probabilities are the observed shares of each
//! state's next steps (journeys with an unknown outcome are left out, as for
//! the removal effects). The probability of ending in SCO from every state
//! at once is b = (I − Q)⁻¹·r — one LU factorisation of I − Q, solved once
//! — exactly, not by simulation. An open journey's risk is the entry of its
//! last interaction's state; a state no closed journey passed through has
//! no estimate (`None`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::impact::{Lu, absorbing};

/// An open journey whose chance of reaching the SCO is low (see
/// [`Tracker::at_risk`](crate::Tracker::at_risk)).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct AtRisk {
    /// Journey id.
    pub journey: String,
    /// Its last interaction's MOT.
    pub mot: String,
    /// That MOT's Manager (person id), to call for recovery.
    pub owner: Option<String>,
    /// Whether that last interaction failed.
    pub failed: bool,
    /// P(SCO | that last interaction).
    pub probability: f64,
    /// When it happened, seconds since the epoch.
    pub at: i64,
}

/// The `at_risk` section of the dashboard: open journeys below a threshold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct AtRiskFigures {
    /// The threshold on P(SCO | last interaction).
    pub threshold: f64,
    /// Journeys still open.
    pub open_journeys: u64,
    /// Of those, how many are below the threshold.
    pub below: u64,
    /// The lowest ones, lowest first (ties by journey id).
    pub top: Vec<AtRisk>,
}

/// The state of an interaction with MOT `m`: 2m + 1, or 2m + 2 when it
/// failed.
#[inline(always)]
pub(crate) fn state(m: u32, failed: bool) -> u32 {
    2 * m + 1 + u32::from(failed)
}

/// P(SCO | state) for every state (index 0 is the start), from transition
/// counts `(from, to, [sco, no_sco, unknown])` where `to = 0` is the end;
/// `None` where a state was never left by a journey with a known outcome,
/// and `None` altogether when there is no such journey or the chain is
/// singular.
pub(crate) fn sco_probabilities(
    states: usize,
    transitions: impl Iterator<Item = (u32, u32, [u64; 3])>,
) -> Option<Vec<Option<f64>>> {
    let t = states;
    let (m, r, out) = absorbing(t, transitions);
    if out.iter().all(|&o| o == 0) {
        return None;
    }
    let b = Lu::factor(m, t)?.solve(&r);
    Some(
        b.into_iter()
            .zip(&out)
            .map(|(p, &o)| (o > 0 && p.is_finite()).then(|| p.clamp(0.0, 1.0)))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The absorption probabilities by iterating b ← Q·b + r to a fixed
    /// point: a method independent of the LU solve.
    fn iterate(t: usize, tr: &[(u32, u32, [u64; 3])]) -> Vec<f64> {
        let mut out = vec![0u64; t];
        for &(f, _, c) in tr {
            out[f as usize] += c[0] + c[1];
        }
        let mut b = vec![0.0; t];
        for _ in 0..20_000 {
            let mut next = vec![0.0; t];
            for &(f, to, c) in tr {
                let (f, to) = (f as usize, to as usize);
                let w = (c[0] + c[1]) as f64 / out[f] as f64;
                if to == 0 {
                    next[f] += c[0] as f64 / out[f] as f64;
                } else {
                    next[f] += w * b[to];
                }
            }
            b = next;
        }
        b
    }

    #[test]
    fn equals_a_fixed_point_iteration() {
        // Start → a (ok) / a (failed); loops back to a; ends in SCO or not.
        let (a_ok, a_fail, b_ok) = (state(0, false), state(0, true), state(1, false));
        let tr = vec![
            (0, a_ok, [6, 2, 9]),
            (0, a_fail, [1, 3, 0]),
            (a_ok, b_ok, [5, 1, 0]),
            (a_ok, 0, [1, 1, 4]),
            (a_fail, a_ok, [1, 1, 0]),
            (a_fail, 0, [0, 2, 0]),
            (b_ok, 0, [5, 0, 0]),
            (b_ok, a_fail, [0, 1, 0]),
            (a_fail, b_ok, [0, 0, 3]), // unknown outcome only: not in the chain
        ];
        let t = 5;
        let got = sco_probabilities(t, tr.iter().copied()).unwrap();
        let want = iterate(t, &tr);
        for s in 0..4 {
            let g = got[s].unwrap();
            assert!((g - want[s]).abs() < 1e-12, "state {s}: {g} vs {}", want[s]);
        }
        assert_eq!(got[state(1, true) as usize], None, "never visited");
        // Failing the first MOT makes SCO less likely here.
        assert!(got[a_fail as usize].unwrap() < got[a_ok as usize].unwrap());
        assert!(sco_probabilities(t, std::iter::empty()).is_none());
    }
}
