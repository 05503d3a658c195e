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
//! **How sure each figure is.** The transition probabilities are estimated
//! from counts: each state's row of next states is a multinomial sample of
//! its `n_a` observed steps, rows independent. The **delta method** gives
//! the variance of any smooth function of them:
//! `Var ≈ Σ_a (1/n_a)·(Σ_b p_ab g_ab² − (Σ_b p_ab g_ab)²)`, with `g` its
//! gradient. For absorption probabilities the gradient is exact and
//! cheap: `∂P/∂p_ab = N_{start,a}·h_b`, with `h` the SCO absorption
//! probabilities; with `i` removed, the same with the chain in which `i`
//! is a no-SCO sink, whose `N` and `h` follow from the first chain's by
//! the same rank-one update (`h⁽ⁱ⁾_b = h_b − f_b h_i`,
//! `N⁽ⁱ⁾_{start,a} = N_{start,a} − f_start N_{i,a}`, `f_b = N_{b,i}/N_{i,i}`
//! the chance of reaching `i` from `b`). So `RE(i) = 1 − P_i/P` has
//! gradient `(P_i/P²)·∇P − ∇P_i/P`, and the shares `RE(i)/Σ_j RE(j)` theirs
//! by the quotient rule. [`RemovalEffects::interval`] and
//! [`RemovalEffects::share_interval`] are `estimate ± z·se`, kept in
//! [0, 1]. The tests check the standard errors against a bootstrap over
//! journeys. An interval that reaches 0 means the data cannot tell the
//! MOT's effect from none.
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
    /// The delta-method standard error of each effect (0 for MOTs that
    /// never occur).
    pub std_errors: Vec<f64>,
    /// The delta-method standard error of each share of the total effect
    /// (empty when [`RemovalEffects::shares`] is `None`).
    pub share_std_errors: Vec<f64>,
}

impl RemovalEffects {
    /// `RE(i) ± z·se`, kept in [0, 1].
    pub fn interval(&self, i: usize, z: f64) -> Option<(f64, f64)> {
        let (e, se) = (*self.effects.get(i)?, *self.std_errors.get(i)?);
        Some(((e - z * se).clamp(0.0, 1.0), (e + z * se).clamp(0.0, 1.0)))
    }

    /// MOT `i`'s share of the total effect `± z·se`, kept in [0, 1]
    /// (`None` without shares).
    pub fn share_interval(&self, i: usize, z: f64) -> Option<(f64, f64)> {
        let total: f64 = self.effects.iter().sum();
        let share = *self.effects.get(i)? / total;
        let se = *self.share_std_errors.get(i)?;
        Some((
            (share - z * se).clamp(0.0, 1.0),
            (share + z * se).clamp(0.0, 1.0),
        ))
    }

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
    removal_effects_on(mots, transitions, 1)
}

/// MOTs from which the per-MOT work of [`removal_effects_on`] goes on two
/// threads (few in tests, so that the tests take that route too).
const APART: usize = if cfg!(test) { 2 } else { 32 };

/// [`removal_effects`] with the per-MOT work (and the per-row sums of the
/// shares' gradients) in two halves, on two threads when `threads` allows
/// (`0`: as many as the machine has, as [`TrackerConfig::threads`](crate::TrackerConfig::threads)):
/// every figure is computed as on one thread, bit for bit.
pub(crate) fn removal_effects_on(
    mots: usize,
    transitions: impl Iterator<Item = (u32, u32, [u64; 3])>,
    threads: usize,
) -> Option<RemovalEffects> {
    let t = mots + 1; // transient states: start and the MOTs
    let transitions: Vec<(u32, u32, [u64; 3])> = transitions.collect();
    let (m, r, out) = absorbing(t, transitions.iter().copied());
    if out[0] == 0 {
        return None;
    }
    let lu = Lu::factor(m, t)?;
    let h = lu.solve(&r);
    let p = h[0];
    if p <= 0.0 || p.is_nan() {
        return None;
    }
    let mut e0 = vec![0.0; t];
    e0[0] = 1.0;
    let a = lu.solve_transposed(&e0);
    let rows = Rows::of(t, &transitions, &out, &h);
    // Per reachable MOT, what its gradient needs: the chance of reaching
    // it from each state, and its row of N.
    let removed: Vec<Option<Removed>> = crate::threads::in_halves(mots, threads, APART, |range| {
        range
            .map(|i| {
                let s = i + 1;
                if a[s] == 0.0 {
                    return None;
                }
                let mut unit = vec![0.0; t];
                unit[s] = 1.0;
                let column = lu.solve(&unit);
                let n_ss = column[s];
                Some(Removed {
                    s,
                    h_s: h[s],
                    // Nothing is reached from SCO or no SCO.
                    reach: (column.iter().map(|c| c / n_ss))
                        .chain([0.0, 0.0])
                        .collect(),
                    row: lu.solve_transposed(&unit),
                })
            })
            .collect()
    });
    let effects: Vec<f64> = removed
        .iter()
        .map(|r| {
            r.as_ref()
                .map_or(0.0, |r| (r.reach[0] * h[r.s] / p).clamp(0.0, 1.0))
        })
        .collect();
    let total: f64 = effects.iter().sum();
    // The shares' gradients by the quotient rule:
    // ∇(RE_i/S) = (∇RE_i − share_i·Σ_j ∇RE_j)/S. Σ_j per edge, over j in
    // order, whichever half holds the edge's row.
    let sums = if total > 0.0 {
        crate::threads::in_halves(rows.rows.len(), threads, APART, |part| {
            let rows_part = &rows.rows[part];
            let first = rows_part.first().map_or(0, |r| r.0.start);
            let last = rows_part.last().map_or(0, |r| r.0.end);
            let mut acc = vec![0.0; last - first];
            for r_j in removed.iter().flatten() {
                for (edges, from) in rows_part {
                    let g = r_j.gradient(*from, &a, p);
                    let acc = &mut acc[edges.start - first..edges.end - first];
                    let targets = rows.h[edges.clone()].iter().zip(&rows.to[edges.clone()]);
                    for (sum, (&h_b, &to)) in acc.iter_mut().zip(targets) {
                        *sum += g(h_b, to);
                    }
                }
            }
            acc
        })
    } else {
        Vec::new()
    };
    // Per MOT, the standard errors of its effect and of its share, in one
    // pass over the edges.
    let errors: Vec<(f64, f64)> = crate::threads::in_halves(mots, threads, APART, |range| {
        range
            .map(|i| {
                let share = effects[i] / total;
                let mine = removed[i].as_ref();
                let sums = &sums;
                let [effect, of_share] = rows.variances(|from| {
                    let g = mine.map(|r_i| r_i.gradient(from, &a, p));
                    move |k: usize, h_b, to| {
                        let g = g.as_ref().map_or(0.0, |g| g(h_b, to));
                        let of_share = sums.get(k).map_or(0.0, |&sum| (g - share * sum) / total);
                        [g, of_share]
                    }
                });
                (
                    if mine.is_some() { effect.sqrt() } else { 0.0 },
                    of_share.sqrt(),
                )
            })
            .collect()
    });
    let (std_errors, share_std_errors): (Vec<f64>, Vec<f64>) = errors.into_iter().unzip();
    Some(RemovalEffects {
        p_sco: p,
        effects,
        std_errors,
        share_std_errors: if total > 0.0 {
            share_std_errors
        } else {
            Vec::new()
        },
    })
}

/// The observed steps of the chain, as multinomial rows: per from-state
/// `a` with known-outcome steps (`n_a` of them), its edges `a → b`, each
/// with its share of the row's steps `p_ab` and the SCO absorption
/// probability `h_b` of its target.
struct Rows {
    /// Per edge, its target `b`: a transient state, or `t` for SCO and
    /// `t + 1` for no SCO. Grouped by row, targets in order.
    to: Vec<u32>,
    /// Per edge, `p_ab = count / n_a`.
    p: Vec<f64>,
    /// Per edge, `h_b` (1 into SCO, 0 into no SCO).
    h: Vec<f64>,
    /// Every row with steps: its edges' range and its from-state.
    rows: Vec<(std::ops::Range<usize>, usize)>,
    out: Vec<u64>,
}

impl Rows {
    fn of(t: usize, transitions: &[(u32, u32, [u64; 3])], out: &[u64], h: &[f64]) -> Rows {
        let (sco, no_sco) = (t, t + 1);
        let mut edges: Vec<(usize, usize, u64)> = Vec::new();
        for &(from, to, c) in transitions {
            let (f, to) = (from as usize, to as usize);
            if f >= t || to >= t {
                continue;
            }
            if to == 0 {
                edges.extend(
                    [(f, sco, c[0]), (f, no_sco, c[1])]
                        .into_iter()
                        .filter(|e| e.2 > 0),
                );
            } else if c[0] + c[1] > 0 {
                edges.push((f, to, c[0] + c[1]));
            }
        }
        edges.sort_unstable();
        let mut rows = Vec::new();
        let mut k = 0;
        while k < edges.len() {
            let f = edges[k].0;
            let start = k;
            while k < edges.len() && edges[k].0 == f {
                k += 1;
            }
            if out[f] > 0 {
                rows.push((start..k, f));
            }
        }
        let h_ext: Vec<f64> = h.iter().copied().chain([1.0, 0.0]).collect();
        Rows {
            to: edges.iter().map(|e| e.1 as u32).collect(),
            p: edges.iter().map(|e| e.2 as f64 / out[e.0] as f64).collect(),
            h: edges.iter().map(|e| h_ext[e.1]).collect(),
            rows,
            out: out.to_vec(),
        }
    }

    /// `Σ_a (1/n_a)·(Σ_b p_ab g_ab² − (Σ_b p_ab g_ab)²)` for two gradients
    /// at once: `grad(a)` gives both on row `a`, as a function of an
    /// edge's index, `h_b` and target.
    fn variances<G: Fn(usize, f64, u32) -> [f64; 2]>(&self, grad: impl Fn(usize) -> G) -> [f64; 2] {
        let mut v = [0.0; 2];
        for (edges, from) in &self.rows {
            let n = self.out[*from] as f64;
            let g = grad(*from);
            let (mut m1, mut m2) = ([0.0; 2], [0.0; 2]);
            let (p, h, to) = (
                &self.p[edges.clone()],
                &self.h[edges.clone()],
                &self.to[edges.clone()],
            );
            for (k, ((&p, &h_b), &to)) in edges.clone().zip(p.iter().zip(h).zip(to)) {
                let g = g(k, h_b, to);
                for j in 0..2 {
                    m1[j] += p * g[j];
                    m2[j] += p * g[j] * g[j];
                }
            }
            for j in 0..2 {
                v[j] += (m2[j] - m1[j] * m1[j]).max(0.0) / n;
            }
        }
        v
    }
}

/// What the gradient of `RE(i)` needs about MOT state `s`.
struct Removed {
    s: usize,
    /// `h_s`: the SCO absorption probability from `s`.
    h_s: f64,
    /// `f_b = N_{b,s} / N_{s,s}`: the chance of reaching `s` from `b` (0
    /// from SCO and no SCO, after the transient states).
    reach: Vec<f64>,
    /// `N_{s,·}`: expected visits from `s`.
    row: Vec<f64>,
}

impl Removed {
    /// `∂RE(i)/∂p_ab` on the row of from-state `a`, as a function of an
    /// edge's `h_b` and target `b`:
    /// `g = (P_i/P²)·N_{0,a}·h_b − N⁽ⁱ⁾_{0,a}·h⁽ⁱ⁾_b / P`.
    fn gradient(&self, a: usize, visits: &[f64], p: f64) -> impl Fn(f64, u32) -> f64 + '_ {
        let (f0, h_s) = (self.reach[0], self.h_s);
        let beta = (p - f0 * h_s) / (p * p) * visits[a];
        let alpha = -(visits[a] - f0 * self.row[a]) / p;
        // h⁽ⁱ⁾_b = h_b − f_b·h_s: 1 into SCO, 0 into no SCO.
        move |h_b, b| beta * h_b + alpha * (h_b - self.reach[b as usize] * h_s)
    }
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
        // Each sum in order of j, as written: s − l_i0·x_0 − l_i1·x_1 − …
        let less = |s: f64, l: &[f64], x: &[f64]| l.iter().zip(x).fold(s, |s, (l, x)| s - l * x);
        for i in 0..n {
            let row = &self.lu[i * n..(i + 1) * n];
            x[i] = less(x[i], &row[..i], &x[..i]);
        }
        for i in (0..n).rev() {
            let row = &self.lu[i * n..(i + 1) * n];
            x[i] = less(x[i], &row[i + 1..], &x[i + 1..]) / row[i];
        }
        x
    }

    /// Solves `Aᵀ x = b`.
    pub(crate) fn solve_transposed(&self, b: &[f64]) -> Vec<f64> {
        // PA = LU ⇒ Aᵀ = Uᵀ Lᵀ P, so solve Uᵀ y = b, Lᵀ z = y, x = Pᵀ z.
        let n = self.n;
        let mut y = b.to_vec();
        // Column i of the factors, from row `from`: lu[from·n + i], ….
        let column = |i: usize, from: usize| {
            let rest = self.lu.get(from * n + i..).unwrap_or_default();
            rest.iter().step_by(n)
        };
        for i in 0..n {
            let s = column(i, 0).zip(&y[..i]).fold(y[i], |s, (l, y)| s - l * y);
            y[i] = s / self.lu[i * n + i];
        }
        for i in (0..n).rev() {
            y[i] = column(i, i + 1)
                .zip(&y[i + 1..])
                .fold(y[i], |s, (l, y)| s - l * y);
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

    /// On two threads every figure is the one-thread figure, bit for bit.
    #[test]
    fn two_threads_give_one_threads_figures() {
        for seed in 0..12 {
            let mots = 2 + (seed as usize % 11) * 3;
            let t = random_log(seed, mots, 600);
            let one = removal_effects_on(mots, t.iter().copied(), 1).unwrap();
            let two = removal_effects_on(mots, t.iter().copied(), 0).unwrap();
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(one.p_sco.to_bits(), two.p_sco.to_bits());
            assert_eq!(bits(&one.effects), bits(&two.effects), "seed {seed}");
            assert_eq!(bits(&one.std_errors), bits(&two.std_errors), "seed {seed}");
            assert_eq!(
                bits(&one.share_std_errors),
                bits(&two.share_std_errors),
                "seed {seed}"
            );
            assert!(one.share_std_errors.len() == mots);
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

    /// Journeys of a first-order chain over `mots` MOTs: from each state a
    /// categorical over the MOTs, SCO and no-SCO.
    fn markov_journeys(seed: u64, mots: usize, journeys: usize) -> Vec<(Vec<u32>, bool)> {
        let mut rng = crate::simulate::Rng::new(seed);
        let weights: Vec<Vec<f64>> = (0..=mots)
            .map(|s| {
                (0..mots + 2)
                    .map(|k| {
                        let w = rng.unit();
                        // Leave the start only to MOTs; keep journeys short.
                        if s == 0 && k >= mots {
                            0.0
                        } else if k >= mots {
                            w + 0.6
                        } else {
                            w * w
                        }
                    })
                    .collect()
            })
            .collect();
        let pick = |rng: &mut crate::simulate::Rng, w: &[f64]| {
            let total: f64 = w.iter().sum();
            let mut u = rng.unit() * total;
            for (k, x) in w.iter().enumerate() {
                if u < *x {
                    return k;
                }
                u -= x;
            }
            w.len() - 1
        };
        (0..journeys)
            .map(|_| {
                let mut seq = Vec::new();
                let mut state = 0;
                loop {
                    let k = pick(&mut rng, &weights[state]);
                    if k >= mots {
                        return (seq, k == mots);
                    }
                    seq.push(k as u32);
                    state = k + 1;
                }
            })
            .collect()
    }

    fn transitions_of<'a>(
        journeys: impl Iterator<Item = &'a (Vec<u32>, bool)>,
    ) -> Vec<(u32, u32, [u64; 3])> {
        let mut map = std::collections::BTreeMap::new();
        for (seq, sco) in journeys {
            let class = usize::from(!sco);
            let mut prev = 0u32;
            for &m in seq {
                map.entry((prev, m + 1)).or_insert([0u64; 3])[class] += 1;
                prev = m + 1;
            }
            map.entry((prev, 0)).or_insert([0u64; 3])[class] += 1;
        }
        map.into_iter().map(|((f, t), c)| (f, t, c)).collect()
    }

    #[test]
    fn standard_errors_match_a_bootstrap_over_journeys() {
        // The delta method against 400 bootstrap resamples of the journeys
        // (fixed seeds): their standard deviations agree within 15%, for
        // the effects and for the shares.
        for (seed, mots) in [(11u64, 4usize), (12, 6)] {
            let journeys = markov_journeys(seed, mots, 4_000);
            let re = removal_effects(mots, transitions_of(journeys.iter()).into_iter()).unwrap();
            let shares = re.shares().unwrap();
            let mut rng = crate::simulate::Rng::new(seed + 100);
            let (b, n) = (400, journeys.len());
            let mut sums = vec![[0.0f64; 4]; mots];
            for _ in 0..b {
                let sample = (0..n).map(|_| &journeys[rng.below(n as u64) as usize]);
                let r = removal_effects(mots, transitions_of(sample).into_iter()).unwrap();
                let sh = r.shares().unwrap();
                for i in 0..mots {
                    sums[i][0] += r.effects[i];
                    sums[i][1] += r.effects[i] * r.effects[i];
                    sums[i][2] += sh[i];
                    sums[i][3] += sh[i] * sh[i];
                }
            }
            let sd = |s: f64, s2: f64| ((s2 - s * s / b as f64) / (b - 1) as f64).sqrt();
            for i in 0..mots {
                let boot = sd(sums[i][0], sums[i][1]);
                let delta = re.std_errors[i];
                assert!(
                    (delta / boot - 1.0).abs() < 0.15,
                    "seed {seed} mot {i}: RE {:.4} se {delta:.5} vs bootstrap {boot:.5}",
                    re.effects[i]
                );
                let boot = sd(sums[i][2], sums[i][3]);
                let delta = re.share_std_errors[i];
                assert!(
                    (delta / boot - 1.0).abs() < 0.15,
                    "seed {seed} mot {i}: share {:.4} se {delta:.5} vs bootstrap {boot:.5}",
                    shares[i]
                );
            }
        }
    }

    #[test]
    fn intervals_stay_in_range_and_vanish_without_variation() {
        // Every journey goes start → A → SCO: nothing varies.
        let t = [(0, 1, [50, 0, 0]), (1, 0, [50, 0, 0])];
        let re = removal_effects(2, t.iter().copied()).unwrap();
        assert_eq!(re.std_errors, [0.0, 0.0]);
        assert_eq!(re.interval(0, 1.96), Some((1.0, 1.0)));
        assert_eq!(re.interval(1, 1.96), Some((0.0, 0.0)));
        let small = [
            (0, 1, [3, 2, 0]),
            (1, 2, [3, 1, 0]),
            (1, 0, [0, 1, 0]),
            (2, 0, [3, 1, 0]),
        ];
        let re = removal_effects(2, small.iter().copied()).unwrap();
        for i in 0..2 {
            let (lo, hi) = re.interval(i, 1.96).unwrap();
            assert!(
                (0.0..=1.0).contains(&lo)
                    && lo <= re.effects[i]
                    && re.effects[i] <= hi
                    && hi <= 1.0
            );
            let (lo, hi) = re.share_interval(i, 1.96).unwrap();
            assert!(lo >= 0.0 && hi <= 1.0 && lo <= hi);
        }
    }

    #[test]
    fn lift_needs_both_groups() {
        assert_eq!(lift(10, 8, 5, 1), Some(0.8 - 0.2));
        assert_eq!(lift(10, 8, 0, 0), None);
        assert_eq!(lift(0, 0, 5, 1), None);
    }
}
