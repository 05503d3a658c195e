//! Impact: how much each MOT matters for the SCO.
//!
//! Two measures:
//!
//! - **Lift**: `P(SCO | the MOT occurred and never failed in the journey) −
//!   P(SCO | it failed at least once)`, over journeys with a known outcome.
//!   `None` when either group is empty.
//! - **Removal effect** (Anderl et al. 2016, IJRM 33(3)): a first-order
//!   absorbing Markov chain over each journey's MOT sequence, with states
//!   start, the MOTs, SCO and no-SCO, transition probabilities estimated
//!   from the counts. `RE(i) = 1 − P(SCO with i removed) / P(SCO)`, where
//!   removing `i` redirects every transition into `i` to no-SCO.
//!
//! The removal effect is computed **exactly**, not by simulation: with `Q`
//! the transient part of the chain and `N = (I − Q)⁻¹` its fundamental
//! matrix, `b = N·r` the SCO absorption probabilities (`r` the one-step
//! probabilities into SCO) and `a = e_startᵀ·N` the expected visits from
//! the start,
//!
//! ```text
//! P(SCO) = b_start,    P(SCO with i removed) = P(SCO) − (a_i / N_ii) · b_i
//! ```
//!
//! because removing `i` loses exactly the journeys that reach `i`
//! (probability `a_i / N_ii`) and then produce the SCO (probability `b_i`,
//! by the Markov property). This is the Sherman–Morrison update of `N` for
//! the removal, so one LU factorisation serves every MOT. Normalised shares
//! of the removal effects attribute SCO conversions and value.
//!
//! ```
//! use mot_core::impact::removal_effects;
//!
//! // Two MOTs: start → 0 → 1 → SCO on 3 journeys; start → 0 → no-SCO on 1.
//! // (from, to, [sco, no-sco, unknown]); from 0 = start, to 0 = end, m + 1 = MOT m.
//! let t = [(0, 1, [3, 1, 0]), (1, 2, [3, 0, 0]), (1, 0, [0, 1, 0]), (2, 0, [3, 0, 0])];
//! let re = removal_effects(2, t.iter().copied()).unwrap();
//! assert_eq!(re.p_sco, 0.75);
//! assert_eq!(re.effects, [1.0, 1.0]);
//! ```

use crate::stats::rate;

/// Removal effects of every MOT.
#[derive(Clone, Debug, PartialEq)]
pub struct RemovalEffects {
    /// `P(SCO)` of the chain: the share of known-outcome journeys that
    /// produced the SCO.
    pub p_sco: f64,
    /// `RE(i)` by MOT index, in [0, 1]; 0 for MOTs that never occur.
    pub effects: Vec<f64>,
}

impl RemovalEffects {
    /// Each MOT's share of the total removal effect (summing to 1), or
    /// `None` when every effect is 0.
    pub fn shares(&self) -> Option<Vec<f64>> {
        let total: f64 = self.effects.iter().sum();
        (total > 0.0).then(|| self.effects.iter().map(|e| e / total).collect())
    }
}

/// Lift of one MOT: `P(SCO | ok) − P(SCO | failed)`.
pub fn lift(ok_known: u64, ok_sco: u64, fail_known: u64, fail_sco: u64) -> Option<f64> {
    Some(rate(ok_sco, ok_known)? - rate(fail_sco, fail_known)?)
}

/// Exact removal effects from transition counts `(from, to, [sco, no_sco,
/// unknown])` over states `0` = start / end and `m + 1` = MOT `m`, for `mots`
/// MOTs. Journeys with an unknown outcome are left out of the chain.
///
/// `None` when no journey with a known outcome exists or none produced the
/// SCO (every effect would be 0 / 0).
pub fn removal_effects(
    mots: usize,
    transitions: impl Iterator<Item = (u32, u32, [u64; 3])>,
) -> Option<RemovalEffects> {
    let t = mots + 1; // transient states: start and the MOTs
    let (m, r, out) = absorbing(t, transitions);
    if out[0] == 0 {
        return None;
    }
    let lu = Lu::factor(m, t)?;
    let b = lu.solve(&r);
    let p = b[0];
    if p <= 0.0 || p.is_nan() {
        return None;
    }
    let mut e0 = vec![0.0; t];
    e0[0] = 1.0;
    let a = lu.solve_transposed(&e0);
    let mut effects = vec![0.0; mots];
    for (i, e) in effects.iter_mut().enumerate() {
        let s = i + 1;
        if a[s] == 0.0 {
            continue;
        }
        let mut unit = vec![0.0; t];
        unit[s] = 1.0;
        let n_ss = lu.solve(&unit)[s];
        let visit = a[s] / n_ss;
        *e = (visit * b[s] / p).clamp(0.0, 1.0);
    }
    Some(RemovalEffects { p_sco: p, effects })
}

/// The absorbing chain of transition counts `(from, to, [sco, no_sco,
/// unknown])` over `t` transient states (`to = 0`: the end, into SCO or no
/// SCO), journeys with an unknown outcome left out: `(I − Q, r, out)` with
/// `r` the one-step probabilities into SCO and `out` each state's count of
/// known-outcome steps (a state never left keeps a row of the identity).
pub(crate) fn absorbing(
    t: usize,
    transitions: impl Iterator<Item = (u32, u32, [u64; 3])>,
) -> (Vec<f64>, Vec<f64>, Vec<u64>) {
    let mut counts = vec![0u64; t * t];
    let mut to_sco = vec![0u64; t];
    let mut out = vec![0u64; t];
    for (from, to, c) in transitions {
        let (f, to) = (from as usize, to as usize);
        if f >= t || to >= t {
            continue;
        }
        let (sco, no) = (c[0], c[1]);
        if sco + no == 0 {
            continue;
        }
        out[f] += sco + no;
        if to == 0 {
            to_sco[f] += sco; // into an absorbing state: SCO or no-SCO
        } else {
            counts[f * t + to] += sco + no;
        }
    }
    // M = I − Q, r = one-step probability into SCO.
    let mut m = vec![0.0f64; t * t];
    let mut r = vec![0.0f64; t];
    for f in 0..t {
        m[f * t + f] = 1.0;
        if out[f] == 0 {
            continue;
        }
        let total = out[f] as f64;
        for to in 0..t {
            let c = counts[f * t + to];
            if c > 0 {
                m[f * t + to] -= c as f64 / total;
            }
        }
        r[f] = to_sco[f] as f64 / total;
    }
    (m, r, out)
}

/// An LU factorisation with partial pivoting of a dense `n × n` matrix.
pub(crate) struct Lu {
    n: usize,
    lu: Vec<f64>,
    perm: Vec<usize>,
}

// Triangular solves read best with explicit indexes.
#[allow(clippy::needless_range_loop)]
impl Lu {
    /// Factors row-major `a`; `None` if it is singular.
    pub(crate) fn factor(mut a: Vec<f64>, n: usize) -> Option<Lu> {
        let mut perm: Vec<usize> = (0..n).collect();
        for k in 0..n {
            let (p, max) = (k..n)
                .map(|i| (i, a[i * n + k].abs()))
                .fold((k, -1.0), |best, x| if x.1 > best.1 { x } else { best });
            if max <= f64::EPSILON * 1e-3 {
                return None;
            }
            if p != k {
                for j in 0..n {
                    a.swap(k * n + j, p * n + j);
                }
                perm.swap(k, p);
            }
            let pivot = a[k * n + k];
            for i in k + 1..n {
                let f = a[i * n + k] / pivot;
                if f == 0.0 {
                    continue;
                }
                a[i * n + k] = f;
                for j in k + 1..n {
                    a[i * n + j] -= f * a[k * n + j];
                }
            }
        }
        Some(Lu { n, lu: a, perm })
    }

    /// Solves `A x = b`.
    pub(crate) fn solve(&self, b: &[f64]) -> Vec<f64> {
        let n = self.n;
        let mut x: Vec<f64> = self.perm.iter().map(|&p| b[p]).collect();
        for i in 0..n {
            let mut s = x[i];
            for j in 0..i {
                s -= self.lu[i * n + j] * x[j];
            }
            x[i] = s;
        }
        for i in (0..n).rev() {
            let mut s = x[i];
            for j in i + 1..n {
                s -= self.lu[i * n + j] * x[j];
            }
            x[i] = s / self.lu[i * n + i];
        }
        x
    }

    /// Solves `Aᵀ x = b`.
    pub(crate) fn solve_transposed(&self, b: &[f64]) -> Vec<f64> {
        // PA = LU ⇒ Aᵀ = Uᵀ Lᵀ P, so solve Uᵀ y = b, Lᵀ z = y, x = Pᵀ z.
        let n = self.n;
        let mut y = b.to_vec();
        for i in 0..n {
            let mut s = y[i];
            for j in 0..i {
                s -= self.lu[j * n + i] * y[j];
            }
            y[i] = s / self.lu[i * n + i];
        }
        for i in (0..n).rev() {
            let mut s = y[i];
            for j in i + 1..n {
                s -= self.lu[j * n + i] * y[j];
            }
            y[i] = s;
        }
        let mut x = vec![0.0; n];
        for (i, &p) in self.perm.iter().enumerate() {
            x[p] = y[i];
        }
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `P(SCO)` with MOT `removed` turned into a no-SCO sink, solved
    /// directly: the definition, one linear system per MOT.
    fn p_sco_direct(mots: usize, t: &[(u32, u32, [u64; 3])], removed: Option<usize>) -> f64 {
        let n = mots + 1;
        let mut out = vec![0u64; n];
        let mut cnt = vec![0u64; n * n];
        let mut sco = vec![0u64; n];
        for &(f, to, c) in t {
            let k = c[0] + c[1];
            out[f as usize] += k;
            if to == 0 {
                sco[f as usize] += c[0];
            } else {
                cnt[f as usize * n + to as usize] += k;
            }
        }
        let mut m = vec![0.0; n * n];
        let mut r = vec![0.0; n];
        for f in 0..n {
            m[f * n + f] = 1.0;
            if out[f] == 0 || removed.is_some_and(|i| i + 1 == f) {
                continue;
            }
            for to in 0..n {
                m[f * n + to] -= cnt[f * n + to] as f64 / out[f] as f64;
            }
            r[f] = sco[f] as f64 / out[f] as f64;
        }
        Lu::factor(m, n).unwrap().solve(&r)[0]
    }

    fn random_log(seed: u64, mots: usize, journeys: usize) -> Vec<(u32, u32, [u64; 3])> {
        let mut rng = crate::simulate::Rng::new(seed);
        let mut map = std::collections::BTreeMap::new();
        for _ in 0..journeys {
            let len = 1 + rng.below(6) as usize;
            let mut prev = 0u32;
            let mut ok = true;
            let mut path = Vec::new();
            for _ in 0..len {
                let m = rng.below(mots as u64) as u32;
                ok &= rng.unit() < 0.85 || m % 3 != 0;
                path.push((prev, m + 1));
                prev = m + 1;
            }
            path.push((prev, 0));
            let class = if rng.unit() < 0.1 {
                2
            } else if ok && rng.unit() < 0.9 {
                0
            } else {
                1
            };
            for e in path {
                map.entry(e).or_insert([0u64; 3])[class] += 1;
            }
        }
        map.into_iter().map(|((f, t), c)| (f, t, c)).collect()
    }

    #[test]
    fn closed_form_equals_removing_each_mot() {
        for seed in 0..20 {
            let mots = 2 + (seed as usize % 9);
            let t = random_log(seed, mots, 400);
            let re = removal_effects(mots, t.iter().copied()).unwrap();
            let p = p_sco_direct(mots, &t, None);
            assert!((re.p_sco - p).abs() < 1e-13, "seed {seed}");
            for i in 0..mots {
                let direct = 1.0 - p_sco_direct(mots, &t, Some(i)) / p;
                assert!(
                    (re.effects[i] - direct).abs() < 1e-12,
                    "seed {seed} mot {i}: {} vs {direct}",
                    re.effects[i]
                );
            }
        }
    }

    #[test]
    fn exact_small_chain() {
        // start → A (4); A → B (2), A → no (1), A → SCO (1); B → SCO (2).
        // P(SCO) = 3/4; without A: 0; without B: 1/4 → RE(B) = 2/3.
        let t = [
            (0, 1, [3, 1, 0]),
            (1, 2, [2, 0, 0]),
            (1, 0, [1, 1, 0]),
            (2, 0, [2, 0, 0]),
        ];
        let re = removal_effects(2, t.iter().copied()).unwrap();
        assert!((re.p_sco - 0.75).abs() < 1e-15);
        assert!((re.effects[0] - 1.0).abs() < 1e-15);
        assert!((re.effects[1] - 2.0 / 3.0).abs() < 1e-15);
        let shares = re.shares().unwrap();
        assert!((shares[0] - 0.6).abs() < 1e-15 && (shares[1] - 0.4).abs() < 1e-15);
    }

    #[test]
    fn loops_and_unseen_mots() {
        // A repeats itself; MOT 2 never occurs.
        let t = [(0, 1, [1, 1, 0]), (1, 1, [1, 0, 0]), (1, 0, [1, 1, 0])];
        let re = removal_effects(3, t.iter().copied()).unwrap();
        assert!((re.p_sco - 0.5).abs() < 1e-15);
        assert_eq!(re.effects, [1.0, 0.0, 0.0]);
    }

    #[test]
    fn no_sco_or_no_known_outcome() {
        assert!(removal_effects(1, [(0, 1, [0, 2, 0]), (1, 0, [0, 2, 0])].into_iter()).is_none());
        assert!(removal_effects(1, [(0, 1, [0, 0, 5]), (1, 0, [0, 0, 5])].into_iter()).is_none());
        assert!(removal_effects(0, std::iter::empty()).is_none());
    }

    #[test]
    fn lift_needs_both_groups() {
        assert_eq!(lift(10, 8, 5, 1), Some(0.8 - 0.2));
        assert_eq!(lift(10, 8, 0, 0), None);
        assert_eq!(lift(0, 0, 5, 1), None);
    }
}
