//! Workload generators shared by the benchmarks.
//!
//! The experience benchmarks scale the bundled airline sample: [`scaled`]
//! copies its MOTs and landscape `n` times with fresh ids, keeping every
//! reference inside its copy, so validation and landscape queries can be
//! measured at sizes a large company has.

use mot_core::simulate::Log;
use mot_core::{ExperienceSpec, Tracker, TrackerConfig, sample};

/// Writes a log as `events.csv` and `outcomes.csv` in `dir`, for the peers;
/// `mot_name` names MOT index `m` (its id, or its integer code).
///
/// # Panics
///
/// When a file cannot be written (a benchmark tool).
#[allow(clippy::unwrap_used)]
pub fn export_csv(log: &Log, dir: &std::path::Path, mot_name: impl Fn(usize) -> String) {
    use std::io::Write as _;
    std::fs::create_dir_all(dir).unwrap();
    let mut e = std::io::BufWriter::new(std::fs::File::create(dir.join("events.csv")).unwrap());
    writeln!(e, "journey_id,mot_id,timestamp,success,cost").unwrap();
    for i in 0..log.len() {
        writeln!(
            e,
            "{},{},{},{},{}",
            log.journey[i],
            mot_name(log.mot[i] as usize),
            log.timestamp[i],
            log.success[i],
            log.cost[i]
        )
        .unwrap();
    }
    e.flush().unwrap();
    let mut o = std::io::BufWriter::new(std::fs::File::create(dir.join("outcomes.csv")).unwrap());
    writeln!(o, "journey_id,sco,value").unwrap();
    for i in 0..log.outcome_journey.len() {
        writeln!(
            o,
            "{},{},{}",
            log.outcome_journey[i], log.outcome_sco[i], log.outcome_value[i]
        )
        .unwrap();
    }
    o.flush().unwrap();
}

/// Streams a journey-grouped log through the row API: `record_index` for
/// every interaction, `close_journey` after each journey's last one. MOTs
/// are known in advance (`discovery_with`), as a stream consumer would.
///
/// # Panics
///
/// If a row is refused, which the generated logs never make happen.
#[allow(clippy::expect_used)]
pub fn stream(log: &Log, config: &TrackerConfig) -> Tracker {
    let mut t = Tracker::discovery_with(log.mot_ids.iter().map(String::as_str), config.clone());
    let n = log.len();
    let mut o = 0;
    for i in 0..n {
        t.record_index(log.journey[i], log.mot[i], log.timestamp[i], log.success[i])
            .expect("generated rows are valid");
        if i + 1 == n || log.journey[i + 1] != log.journey[i] {
            t.close_journey(
                log.journey[i],
                Some(log.outcome_sco[o]),
                Some(log.outcome_value[o]),
            )
            .expect("generated outcomes are valid");
            o += 1;
        }
    }
    t
}

/// Trackers for `k` partitions of a log by journey (`journey % k`), each
/// knowing the log's MOT list, as the workers of a distributed job would.
///
/// # Panics
///
/// If ingestion fails, which the generated logs never make it do.
#[allow(clippy::expect_used)]
pub fn partition(log: &Log, k: u64, config: &TrackerConfig) -> Vec<Tracker> {
    let n = log.len();
    (0..k)
        .map(|p| {
            let rows: Vec<usize> = (0..n).filter(|&i| log.journey[i] % k == p).collect();
            let outs: Vec<usize> = (0..log.outcome_journey.len())
                .filter(|&i| log.outcome_journey[i] % k == p)
                .collect();
            let pick = |v: &[u32]| rows.iter().map(|&i| v[i]).collect::<Vec<_>>();
            let part = Log {
                mot_ids: log.mot_ids.clone(),
                producer_ids: log.producer_ids.clone(),
                journey: rows.iter().map(|&i| log.journey[i]).collect(),
                mot: pick(&log.mot),
                timestamp: rows.iter().map(|&i| log.timestamp[i]).collect(),
                success: rows.iter().map(|&i| log.success[i]).collect(),
                cost: rows.iter().map(|&i| log.cost[i]).collect(),
                producer: if log.producer.is_empty() {
                    Vec::new()
                } else {
                    pick(&log.producer)
                },
                outcome_journey: outs.iter().map(|&i| log.outcome_journey[i]).collect(),
                outcome_sco: outs.iter().map(|&i| log.outcome_sco[i]).collect(),
                outcome_value: outs.iter().map(|&i| log.outcome_value[i]).collect(),
            };
            let mut t =
                Tracker::discovery_with(log.mot_ids.iter().map(String::as_str), config.clone());
            part.ingest_into(&mut t).expect("generated logs ingest");
            t
        })
        .collect()
}

/// The airline sample repeated `n` times (ids suffixed `~k`), as one spec.
pub fn scaled(n: usize) -> ExperienceSpec {
    let base = sample::airline().into_spec();
    let mut out = base.clone();
    out.mots.clear();
    out.ideas.clear();
    out.landscape.work.clear();
    for k in 0..n {
        let sfx = |id: &str| format!("{id}~{k}");
        for m in &base.mots {
            let mut m = m.clone();
            m.id = sfx(m.id.as_str()).into();
            m.parent = m.parent.map(|p| sfx(p.as_str()).into());
            if m.parent.is_none() {
                m.position = m.position.map(|p| p + (k as u32) * 100);
            }
            if let Some(d) = &mut m.design {
                for s in &mut d.steps {
                    s.work = s.work.iter().map(|w| sfx(w.as_str()).into()).collect();
                }
            }
            out.mots.push(m);
        }
        for i in &base.ideas {
            let mut i = i.clone();
            i.id = sfx(i.id.as_str()).into();
            i.mot = sfx(i.mot.as_str()).into();
            out.ideas.push(i);
        }
        for w in &base.landscape.work {
            let mut w = w.clone();
            w.id = sfx(w.id.as_str()).into();
            for l in &mut w.mots {
                l.mot = sfx(l.mot.as_str()).into();
            }
            for l in &mut w.supports {
                l.work = sfx(l.work.as_str()).into();
            }
            out.landscape.work.push(w);
        }
    }
    out
}

/// The recipe of the high-variety workload W2 (see [`w2`]). Public so that
/// the recipe can be read and varied; [`W2Recipe::default`] is W2.
#[derive(Clone, Debug, PartialEq)]
pub struct W2Recipe {
    /// Number of MOTs; each gets a distinct random `u16` code (never 0).
    pub mots: usize,
    /// Number of routes (processes); route `r` is chosen with weight
    /// `1 / (r + 2)` (a few common routes, a long tail).
    pub routes: usize,
    /// Steps per route: uniform in this range (inclusive), distinct MOTs.
    pub route_len: (usize, usize),
    /// Share of a route's steps that are optional (fixed per route).
    pub optional_share: f64,
    /// Chance that a journey takes an optional step.
    pub optional_taken: f64,
    /// Chance, after a failed interaction, of repeating the same MOT at
    /// once (a retry); at most `max_retries` in a row.
    pub retry_after_failure: f64,
    /// At most this many retries of one step.
    pub max_retries: usize,
    /// Chance, after each step, of a detour: one or two MOTs drawn from all
    /// of them (one in three detours has two).
    pub detour_rate: f64,
    /// Chance that two adjacent steps are taken in the other order.
    pub swap_rate: f64,
    /// Days over which journeys start.
    pub days: u32,
}

impl Default for W2Recipe {
    fn default() -> Self {
        W2Recipe {
            mots: 150,
            routes: 100,
            route_len: (6, 12),
            optional_share: 0.5,
            optional_taken: 0.5,
            retry_after_failure: 0.7,
            max_retries: 2,
            detour_rate: 0.08,
            swap_rate: 0.06,
            days: 90,
        }
    }
}

/// A W2 log: the generated columns, MOTs as indexes into `log.mot_ids`,
/// which are the decimal text of `codes`.
#[derive(Clone, Debug)]
pub struct W2 {
    /// The log (journey ids ascending, each journey's rows together, in
    /// time order; one outcome per journey).
    pub log: Log,
    /// The `u16` code of each MOT: MOT index `k` is `codes[k]`.
    pub codes: Vec<u16>,
}

impl W2 {
    /// The MOT column as integer codes, one per row.
    pub fn mot_codes_u64(&self) -> Vec<u64> {
        self.log
            .mot
            .iter()
            .map(|&m| u64::from(self.codes[m as usize]))
            .collect()
    }

    /// Number of distinct MOT sequences (variants) among the journeys.
    pub fn distinct_variants(&self) -> usize {
        let log = &self.log;
        let mut seen: std::collections::HashSet<&[u32]> = std::collections::HashSet::new();
        let mut start = 0;
        while start < log.len() {
            let mut end = start + 1;
            while end < log.len() && log.journey[end] == log.journey[start] {
                end += 1;
            }
            seen.insert(&log.mot[start..end]);
            start = end;
        }
        seen.len()
    }
}

/// W2, the high-variety workload: `journeys` journeys (1,000,000 for the
/// benchmark, ≈9.5 interactions each) of which about 70% follow a MOT
/// sequence no other journey follows, as real logs with optional steps,
/// retries and detours do (W1 has 23%). Deterministic from `seed`.
///
/// The recipe ([`W2Recipe::default`]): 150 MOTs with distinct random `u16`
/// codes; 100 routes of 6–12 distinct MOTs, route `r` chosen with weight
/// `1 / (r + 2)`; half of each route's steps (drawn per route) optional,
/// each taken by half the journeys; after a failed interaction the same MOT
/// is retried at once with chance 0.7 (at most twice); after any step a
/// detour to one or two random MOTs with chance 0.08; two adjacent steps
/// swapped with chance 0.06. Success 0.6–0.99 per MOT (six drift down),
/// the SCO hurt by failures of a third of the MOTs. Journey ids are
/// ascending but sparse over the `u32` range; journeys start uniformly
/// over 90 days between 05:00 and 17:00 UTC, 30 s – 2 h between
/// interactions (never a tie).
pub fn w2(journeys: usize, seed: u64) -> W2 {
    w2_with(&W2Recipe::default(), journeys, seed)
}

/// [`w2`] with another recipe.
pub fn w2_with(recipe: &W2Recipe, journeys: usize, seed: u64) -> W2 {
    use mot_core::simulate::Rng;
    let m = recipe.mots.max(2);
    let mut rng = Rng::new(seed ^ 0x5732);
    // Distinct random u16 codes, never 0.
    let mut codes: Vec<u16> = Vec::with_capacity(m);
    let mut taken = vec![false; 1 << 16];
    taken[0] = true;
    while codes.len() < m {
        let c = rng.below(1 << 16) as usize;
        if !taken[c] {
            taken[c] = true;
            codes.push(c as u16);
        }
    }
    // Routes: distinct MOTs in a random order; some steps optional.
    let routes: Vec<Vec<(u32, bool)>> = (0..recipe.routes.max(1))
        .map(|_| {
            let (lo, hi) = recipe.route_len;
            let len = (lo + rng.below((hi - lo + 1) as u64) as usize).min(m);
            let mut picks: Vec<u32> = (0..m as u32).collect();
            for i in 0..len {
                let j = i + rng.below((m - i) as u64) as usize;
                picks.swap(i, j);
            }
            picks[..len]
                .iter()
                .map(|&k| (k, rng.unit() < recipe.optional_share))
                .collect()
        })
        .collect();
    let weights: Vec<f64> = (0..routes.len()).map(|r| 1.0 / (r as f64 + 2.0)).collect();
    let total: f64 = weights.iter().sum();
    let success: Vec<f64> = (0..m)
        .map(|k| 0.6 + 0.39 * ((k * 37 % m) as f64 / (m - 1) as f64))
        .collect();
    let drift: Vec<f64> = (0..m)
        .map(|k| if k % 25 == 7 { -0.0015 } else { 0.0 })
        .collect();
    let penalty: Vec<f64> = (0..m)
        .map(|k| if k % 3 == 0 { 0.75 } else { 1.0 })
        .collect();
    let cost: Vec<f64> = (0..m).map(|k| 1.0 + (k % 9) as f64).collect();
    let start = 1_785_542_400i64; // 2026-08-01T00:00:00Z
    let stride = (u64::from(u32::MAX) / (journeys as u64 + 1)).max(1);

    let mut log = Log {
        mot_ids: codes.iter().map(u16::to_string).collect(),
        ..Log::default()
    };
    let cap = journeys * 10;
    log.journey.reserve(cap);
    log.mot.reserve(cap);
    log.timestamp.reserve(cap);
    log.success.reserve(cap);
    log.cost.reserve(cap);
    let mut steps: Vec<u32> = Vec::with_capacity(64);
    for j in 0..journeys {
        let journey = j as u64 * stride + 1 + rng.below(stride.saturating_sub(1).max(1));
        let mut pick = rng.unit() * total;
        let r = weights
            .iter()
            .position(|w| {
                pick -= w;
                pick < 0.0
            })
            .unwrap_or(routes.len() - 1);
        steps.clear();
        for &(k, optional) in &routes[r] {
            if !optional || rng.unit() < recipe.optional_taken {
                steps.push(k);
            }
            if rng.unit() < recipe.detour_rate {
                steps.push(rng.below(m as u64) as u32);
                if rng.below(3) == 0 {
                    steps.push(rng.below(m as u64) as u32);
                }
            }
        }
        if steps.is_empty() {
            // Every step optional and skipped: the route's first step.
            steps.push(routes[r][0].0);
        }
        for i in 1..steps.len() {
            if rng.unit() < recipe.swap_rate {
                steps.swap(i - 1, i);
            }
        }
        let day = rng.below(u64::from(recipe.days.max(1))) as i64;
        let mut ts = start + day * 86_400 + 5 * 3_600 + rng.below(12 * 3_600) as i64;
        let mut p_sco = 0.95;
        for &k in &steps {
            let i = k as usize;
            let mut tries = 0;
            loop {
                let day_now = ((ts - start) / 86_400) as f64;
                let p = (success[i] + drift[i] * day_now).clamp(0.01, 0.999);
                let ok = rng.unit() < p;
                if !ok {
                    p_sco *= penalty[i];
                }
                log.journey.push(journey);
                log.mot.push(k);
                log.timestamp.push(ts);
                log.success.push(ok);
                log.cost
                    .push((cost[i] * (0.5 + rng.unit()) * 100.0).round() / 100.0);
                ts += 30 + rng.below(2 * 3_600 - 30) as i64;
                if ok || tries >= recipe.max_retries || rng.unit() >= recipe.retry_after_failure {
                    break;
                }
                tries += 1;
            }
        }
        log.outcome_journey.push(journey);
        log.outcome_sco.push(rng.unit() < p_sco);
        log.outcome_value
            .push(((50.0 + 450.0 * rng.unit()) * 100.0).round() / 100.0);
    }
    W2 { log, codes }
}

/// The value after flag `name` in a binary's arguments, or `default`.
pub fn arg<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> T {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
