//! The W1 workload outside criterion: export it for the peer scripts, and
//! time the targets of the engine in one process.
//!
//! ```text
//! cargo run --release -p mot-benches --bin w1 -- export DIR [--journeys N] [--seed S]
//! cargo run --release -p mot-benches --bin w1 -- time [--journeys N] [--seed S]
//! cargo run --release -p mot-benches --bin w1 -- profile [--designed] [--runs R] [--threads T]
//! cargo run --release -p mot-benches --bin w1 -- floor | floor-detectors | floor-durations
//! ```
//!
//! `export` writes `DIR/events.csv` (journey_id,mot_id,timestamp,success,cost),
//! `DIR/outcomes.csv` (journey_id,sco,value) and our dashboard as
//! `DIR/mot_dashboard.json`. `time` prints one JSON object of timings and
//! memory, each the best of several runs: the dashboard on one thread (the
//! engine's target) and on every thread of the machine. Every other mode
//! uses `--threads T` (default 1; 0 for every thread) and `--no-durations`
//! (durations not measured, `TrackerConfig::durations`).

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::unwrap_used,
    clippy::expect_used
)]

use std::time::Instant;

use mot_core::simulate::{Log, w1};
use mot_core::{Dashboard, DashboardOptions, Tracker, TrackerConfig};

use mot_benches::arg;

/// Threads a dashboard may use (`--threads`, default 1: the engine's
/// single-threaded figures; 0 for as many as the machine has).
static THREADS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();

/// Whether durations are measured (`--no-durations` turns them off).
static DURATIONS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

fn config() -> TrackerConfig {
    TrackerConfig {
        remember_closed: false,
        threads: THREADS.get().copied().unwrap_or(1),
        durations: DURATIONS.get().copied().unwrap_or(true),
        ..TrackerConfig::default()
    }
}

fn dashboard(log: &Log) -> Dashboard {
    dashboard_with(log, config())
}

fn dashboard_with(log: &Log, config: TrackerConfig) -> Dashboard {
    log.with_columns(|e, o| {
        Dashboard::from_columns(None, e, Some(o), config, &DashboardOptions::default())
    })
    .unwrap()
}

/// W1's designed journey for conformance: its longest route (15 steps).
pub fn designed(journeys: usize, seed: u64) -> Vec<String> {
    let scenario = w1(journeys, seed);
    let route = scenario
        .routes
        .iter()
        .max_by_key(|r| r.mots.len())
        .expect("W1 has routes");
    route
        .mots
        .iter()
        .map(|&m| scenario.mot_ids[m as usize].to_string())
        .collect()
}

/// Peak resident memory of this process, in bytes (Linux), and a way to
/// reset it.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut out = None;
    for _ in 0..runs {
        let t = Instant::now();
        let r = f();
        best = best.min(t.elapsed().as_secs_f64());
        out = Some(r);
    }
    (best, out.unwrap())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let journeys: usize = arg(&args, "--journeys", 1_000_000);
    let seed: u64 = arg(&args, "--seed", 1);
    let _ = THREADS.set(arg(&args, "--threads", 1));
    let _ = DURATIONS.set(!args.iter().any(|a| a == "--no-durations"));
    match args.first().map(String::as_str) {
        Some("export") => {
            let dir = std::path::PathBuf::from(args.get(1).expect("export DIR"));
            let log = w1(journeys, seed).generate();
            mot_benches::export_csv(&log, &dir, |m| log.mot_ids[m].to_string());
            let t = Instant::now();
            let d = dashboard(&log);
            let secs = t.elapsed().as_secs_f64();
            std::fs::write(dir.join("mot_dashboard.json"), d.to_json_pretty()).unwrap();
            // The designed journey, for conformance against the peers.
            let designed = designed(journeys, seed);
            std::fs::write(
                dir.join("designed.json"),
                serde_json::to_string(&designed).unwrap(),
            )
            .unwrap();
            eprintln!(
                "wrote {} interactions of {} journeys to {}; dashboard in {secs:.3} s",
                log.len(),
                journeys,
                dir.display()
            );
        }
        Some("time") => time(journeys, seed),
        Some("detectors") => {
            // W1 bound to an experience of its 40 MOTs, each with a SMOTO
            // target at its in-control success rate (40 detectors), against
            // the same experience without targets (none): best of 5 each.
            let scenario = w1(journeys, seed);
            let log = scenario.generate();
            let bound = |targets: bool| {
                let mut spec = mot_core::sample::airline().into_spec();
                let template = spec.mots[0].clone();
                spec.ideas.clear();
                spec.landscape.work.clear();
                spec.mots = scenario
                    .mot_ids
                    .iter()
                    .enumerate()
                    .map(|(i, id)| {
                        let mut m = template.clone();
                        m.id = id.as_str().into();
                        m.name = id.to_string();
                        m.parent = None;
                        m.position = None;
                        m.design = None;
                        m.smoto.target_rate = targets.then(|| scenario.success[i].clamp(0.5, 0.99));
                        m
                    })
                    .collect();
                mot_core::Experience::new(spec).unwrap()
            };
            for (label, x) in [("with detectors", bound(true)), ("without", bound(false))] {
                let (secs, d) = best(5, || {
                    log.with_columns(|e, o| {
                        Dashboard::from_columns(
                            Some(&x),
                            e,
                            Some(o),
                            config(),
                            &DashboardOptions::default(),
                        )
                    })
                    .unwrap()
                });
                let alarms: u64 = d
                    .mots
                    .iter()
                    .filter_map(|m| m.cusum.as_ref())
                    .map(|c| c.alarms)
                    .sum();
                eprintln!("{label}: best of 5 {secs:.3} s, {alarms} alarms");
            }
        }
        Some("profile") => {
            // The dashboard alone, repeated (for `perf record`), with the
            // designed journey when `--designed` is given.
            let log = w1(journeys, seed).generate();
            let config = if args.iter().any(|a| a == "--designed") {
                TrackerConfig {
                    designed: designed(journeys, seed),
                    ..config()
                }
            } else {
                config()
            };
            let runs: usize = arg(&args, "--runs", 5);
            let (secs, d) = best(runs, || dashboard_with(&log, config.clone()));
            eprintln!(
                "best of {runs}: {secs:.3} s, {} journeys",
                d.amount.journeys
            );
        }
        Some("floor") => {
            // A lower bound: the same per-row and per-journey work written
            // as plainly as possible for exactly this input (no nulls, no
            // checks), to see how far the library is from the floor.
            // With `--durations`, also each directly-follows edge's exact
            // sum and 16-bit counts per sketch code (as `floor-durations`),
            // both loops alternated: the durations' cost inside the
            // heavier loop, where other work may hide their latency.
            let log = w1(journeys, seed).generate();
            let with_durations = args.iter().any(|a| a == "--durations");
            let kk = log.mot_ids.len();
            let gamma = 1.01f64 / 0.99;
            let mut first_code = vec![0u16; 4096];
            for (key, f) in first_code.iter_mut().enumerate() {
                let x = f64::from_bits(((key as u64) + (1023 << 6)) << 46);
                *f = (x.ln() / gamma.ln()).ceil() as u16;
            }
            let bound: Vec<f64> = (0..2400).map(|i| gamma.powi(i)).collect();
            let code = |ns: i64| -> usize {
                if ns == 0 {
                    return 0;
                }
                let x = ns as f64;
                let i = first_code[((x.to_bits() >> 46) - (1023 << 6)) as usize] as usize;
                i + usize::from(x > bound[i]) + 1
            };
            let mut sums = vec![0u64; kk * kk];
            let mut table = vec![1u16; kk * kk * 4096];
            let mut spill = 0u64;
            let rounds: Vec<bool> = if with_durations {
                [false, true].repeat(3)
            } else {
                vec![false; 3]
            };
            for durations in rounds {
                table.iter_mut().for_each(|c| *c = 0);
                let t = Instant::now();
                let k = log.mot_ids.len();
                let mut n = vec![[0u64; 2]; k];
                let mut days = vec![[0u64; 2]; k * 200];
                let mut trans = vec![0u64; (k + 1) * (k + 1) * 3];
                let mut lift = vec![[0u64; 4]; k];
                // Variants keyed by the sequence packed into 128 bits (6 bits
                // a step: W1 has 40 MOTs), hashed by one multiplication;
                // longer sequences keyed by their steps.
                let mut variants: std::collections::HashMap<u128, u64, Mul> = Default::default();
                let mut long: std::collections::HashMap<Vec<u32>, u64> = Default::default();
                let mut cost = vec![0f64; k];
                let mut seq: Vec<u32> = Vec::new();
                let mut stamp = vec![0usize; k];
                let mut failed = vec![false; k];
                let d0 = log.timestamp.iter().min().unwrap() / 86_400;
                let mut start = 0;
                let mut j = 0;
                while start < log.len() {
                    let mut end = start + 1;
                    while end < log.len() && log.journey[end] == log.journey[start] {
                        end += 1;
                    }
                    let class = if log.outcome_sco[j] { 0 } else { 1 };
                    seq.clear();
                    let mut prev = 0usize;
                    let mut last_ts = 0i64;
                    for i in start..end {
                        let m = log.mot[i] as usize;
                        if durations {
                            let ts = log.timestamp[i] * 1_000_000_000;
                            if prev > 0 {
                                let e = (prev - 1) * k + m;
                                let d = ts - last_ts;
                                sums[e] = sums[e].wrapping_add(d as u64);
                                let c = &mut table[e << 12 | code(d)];
                                *c = c.wrapping_add(1);
                                if *c == 0 {
                                    spill += 1 << 16;
                                }
                            }
                            last_ts = ts;
                        }
                        let ok = log.success[i];
                        n[m][0] += 1;
                        n[m][1] += u64::from(ok);
                        let d = (log.timestamp[i] / 86_400 - d0) as usize;
                        days[m * 200 + d][0] += 1;
                        cost[m] += log.cost[i];
                        if stamp[m] != j + 1 {
                            stamp[m] = j + 1;
                            failed[m] = false;
                        }
                        failed[m] |= !ok;
                        trans[(prev * (k + 1) + m + 1) * 3 + class] += 1;
                        prev = m + 1;
                        seq.push(m as u32);
                    }
                    trans[(prev * (k + 1)) * 3 + class] += 1;
                    for &m in &seq {
                        let m = m as usize;
                        if stamp[m] == j + 1 {
                            stamp[m] = 0;
                            lift[m][usize::from(failed[m]) * 2] += 1;
                        }
                    }
                    if seq.len() <= 21 {
                        let key = seq
                            .iter()
                            .fold(0u128, |key, &m| key << 6 | u128::from(m + 1));
                        *variants.entry(key).or_default() += 1;
                    } else {
                        *long.entry(seq.clone()).or_default() += 1;
                    }
                    start = end;
                    j += 1;
                }
                eprintln!(
                    "floor{}: {:.3} s ({} variants, {} journeys)",
                    if durations {
                        format!(
                            " with durations ({} counted)",
                            table.iter().map(|&c| u64::from(c)).sum::<u64>() + spill
                        )
                    } else {
                        String::new()
                    },
                    t.elapsed().as_secs_f64(),
                    variants.len() + long.len(),
                    j
                );
            }
        }
        Some("floor-detectors") => {
            // A lower bound for the detectors' own work on W1 (issue 13):
            // every interaction of the 40 MOTs put in time order per MOT
            // (ties in row order) and fed to a CUSUM — written as plainly
            // and as fast as we can for exactly this input (32-bit words:
            // time offset and the failed flag, a stable order standing in
            // for the row), with every buffer allocated and faulted in
            // before the clock starts (the library cannot skip those
            // faults; the floor does).
            let log = w1(journeys, seed).generate();
            let (n, k) = (log.len(), log.mot_ids.len());
            let t0 = *log.timestamp.iter().min().unwrap();
            let span = (*log.timestamp.iter().max().unwrap() - t0) as u64;
            assert!(span < 1 << 31, "the floor needs offsets in 31 bits");
            let time_bits = u64::BITS - span.leading_zeros();
            let mut words = vec![1u32; n];
            let mut room = vec![1u32; n];
            // A Bernoulli CUSUM's weights for p0 = 5%, R = 2 (DOMAIN §3d);
            // the threshold is illustrative (the cost does not depend on it).
            let (p0, r) = (0.05f64, 2.0f64);
            let p1 = r * p0 / (1.0 - p0 + r * p0);
            let (w_ok, w_fail, h) = (((1.0 - p1) / (1.0 - p0)).ln(), (p1 / p0).ln(), 4.0f64);
            for _ in 0..5 {
                let t = Instant::now();
                // 1. Grouped by MOT: a count, then a stable scatter.
                let mut start = vec![0usize; k + 1];
                for &m in &log.mot {
                    start[m as usize + 1] += 1;
                }
                for m in 0..k {
                    start[m + 1] += start[m];
                }
                let mut next = start.clone();
                for i in 0..n {
                    let m = log.mot[i] as usize;
                    words[next[m]] =
                        ((log.timestamp[i] - t0) as u32) << 1 | u32::from(!log.success[i]);
                    next[m] += 1;
                }
                let grouped = t.elapsed().as_secs_f64();
                // 2. Each MOT in time order: a least-significant-digit
                // radix sort in two passes (stable), the histograms of
                // both taken in one read.
                let lo_bits = time_bits.div_ceil(2);
                let hi_bits = time_bits - lo_bits;
                let mut alarms = 0u64;
                let mut c_lo = vec![0usize; 1 << lo_bits];
                let mut c_hi = vec![0usize; 1 << hi_bits];
                let mut cusum_s = 0f64;
                for m in 0..k {
                    let (a, b) = (start[m], start[m + 1]);
                    c_lo.iter_mut().for_each(|c| *c = 0);
                    c_hi.iter_mut().for_each(|c| *c = 0);
                    let lo_mask = (1u32 << lo_bits) - 1;
                    for &w in &words[a..b] {
                        c_lo[((w >> 1) & lo_mask) as usize] += 1;
                        c_hi[(w >> (1 + lo_bits)) as usize] += 1;
                    }
                    let mut at = 0;
                    for c in c_lo.iter_mut() {
                        (*c, at) = (at, at + *c);
                    }
                    let mut at = 0;
                    for c in c_hi.iter_mut() {
                        (*c, at) = (at, at + *c);
                    }
                    {
                        let (src, dst) = (&words[a..b], &mut room[a..b]);
                        for &w in src {
                            let slot = &mut c_lo[((w >> 1) & lo_mask) as usize];
                            dst[*slot] = w;
                            *slot += 1;
                        }
                    }
                    let (src, dst) = (&room[a..b], &mut words[a..b]);
                    for &w in src {
                        let slot = &mut c_hi[(w >> (1 + lo_bits)) as usize];
                        dst[*slot] = w;
                        *slot += 1;
                    }
                    let dst = &words[a..b];
                    // 3. The CUSUM.
                    let c0 = Instant::now();
                    let mut s = 0f64;
                    for &w in dst.iter() {
                        s = (s + if w & 1 == 1 { w_fail } else { w_ok }).max(0.0);
                        if s >= h {
                            alarms += 1;
                            s = 0.0;
                        }
                    }
                    cusum_s += c0.elapsed().as_secs_f64();
                }
                let all = t.elapsed().as_secs_f64();
                eprintln!(
                    "floor of the detectors: {all:.3} s (grouping by MOT {grouped:.3} s, time order {:.3} s, CUSUM {cusum_s:.3} s; {n} interactions, {k} MOTs, {time_bits} time bits, {alarms} alarms)",
                    all - grouped - cusum_s
                );
            }
        }
        Some("floor-durations") => {
            // A lower bound for the durations' own work on W1 (issue 12):
            // per directly-follows edge an exact sum and a 1%-accurate
            // sketch of the time between two interactions of a journey,
            // and per journey its duration — added to a bare journey loop
            // that reads what the library's loop reads (journey, MOT and
            // time) and counts directly-follows pairs. Written as plainly
            // and fast as we can for exactly this input: every pair of MOTs
            // an edge in advance (no insertion), the sketch code from the
            // f64 bits and a 4,096-entry table (as the library's), every
            // buffer allocated and faulted in before the clock. The
            // durations' floor is the difference between the loops. Each
            // variant's loop is written out in full: one generic walk
            // shared by them measured 5-8 ms slower (its closures were not
            // specialised as well), and a floor must be the fastest we can
            // write.
            let log = w1(journeys, seed).generate();
            let (n, k) = (log.len(), log.mot_ids.len());
            let gamma = 1.01f64 / 0.99;
            let ln_gamma = gamma.ln();
            // Code of x ≥ 1: its bucket ⌈log_γ x⌉ + 1 (0: a zero).
            let mut first = vec![0u16; 4096];
            for (key, f) in first.iter_mut().enumerate() {
                let x = f64::from_bits(((key as u64) + (1023 << 6)) << 46);
                *f = (x.ln() / ln_gamma).ceil() as u16;
            }
            let bound: Vec<f64> = (0..2400).map(|i| gamma.powi(i)).collect();
            let code = |ns: i64| -> u32 {
                if ns == 0 {
                    return 0;
                }
                let x = ns as f64;
                let i = first[((x.to_bits() >> 46) - (1023 << 6)) as usize] as usize;
                (i + usize::from(x > bound[i]) + 1) as u32
            };
            let k1 = k + 1;
            let mut pairs = vec![0u32; k1 * k1];
            let mut sums = vec![0u64; k * k];
            let mut table = vec![0u32; k * k * 4096];
            let mut table16 = vec![0u16; k * k * 4096];
            let mut spill = 0u64;
            let mut journey_table = vec![0u32; 4096];
            let mut journey_sum = 0u64;
            let mut queue = vec![1u32; n];
            let mut room = vec![1u32; n];
            let nanos = 1_000_000_000i64;
            // Each loop returns a checksum so that nothing is optimised away.
            let bare = |pairs: &mut [u32]| -> u64 {
                let mut prev = 0usize;
                let mut check = 0u64;
                for i in 0..n {
                    if i > 0 && log.journey[i] != log.journey[i - 1] {
                        pairs[prev * k1] += 1;
                        prev = 0;
                    }
                    let m = log.mot[i] as usize;
                    let ts = log.timestamp[i] * nanos;
                    check = check.wrapping_add(ts as u64);
                    pairs[prev * k1 + m + 1] += 1;
                    prev = m + 1;
                }
                pairs[prev * k1] += 1;
                check
            };
            for _ in 0..5 {
                pairs.iter_mut().for_each(|c| *c = 0);
                let t = Instant::now();
                let c0 = bare(&mut pairs);
                let t_bare = t.elapsed().as_secs_f64();

                // Parts of the work: the sums alone, then the sums and the
                // codes (folded into a checksum instead of counted).
                let mut parts_s = [0f64; 2];
                let mut fold = 0u64;
                for (p, with_code) in [false, true].into_iter().enumerate() {
                    pairs.iter_mut().for_each(|c| *c = 0);
                    let t = Instant::now();
                    let (mut prev, mut last_ts) = (0usize, 0i64);
                    for i in 0..n {
                        let ts = log.timestamp[i] * nanos;
                        if i > 0 && log.journey[i] != log.journey[i - 1] {
                            pairs[prev * k1] += 1;
                            prev = 0;
                        }
                        let m = log.mot[i] as usize;
                        if prev != 0 {
                            let e = (prev - 1) * k + m;
                            let d = ts - last_ts;
                            sums[e] = sums[e].wrapping_add(d as u64);
                            if with_code {
                                fold = fold.wrapping_add(u64::from(code(d)));
                            }
                        }
                        pairs[prev * k1 + m + 1] += 1;
                        prev = m + 1;
                        last_ts = ts;
                    }
                    pairs[prev * k1] += 1;
                    parts_s[p] = t.elapsed().as_secs_f64() - t_bare;
                }
                eprintln!(
                    "  the sums alone +{:.3} s, sums and codes +{:.3} s ({})",
                    parts_s[0],
                    parts_s[1],
                    fold % 7
                );

                // The durations counted at once into a dense table per edge.
                pairs.iter_mut().for_each(|c| *c = 0);
                table.iter_mut().for_each(|c| *c = 0);
                let t = Instant::now();
                let (mut prev, mut start_ts, mut last_ts) = (0usize, 0i64, 0i64);
                for i in 0..n {
                    let ts = log.timestamp[i] * nanos;
                    if i > 0 && log.journey[i] != log.journey[i - 1] {
                        pairs[prev * k1] += 1;
                        let d = last_ts - start_ts;
                        journey_sum = journey_sum.wrapping_add(d as u64);
                        journey_table[code(d) as usize] += 1;
                        prev = 0;
                    }
                    let m = log.mot[i] as usize;
                    if prev == 0 {
                        start_ts = ts;
                    } else {
                        let e = (prev - 1) * k + m;
                        let d = ts - last_ts;
                        sums[e] = sums[e].wrapping_add(d as u64);
                        table[e << 12 | code(d) as usize] += 1;
                    }
                    pairs[prev * k1 + m + 1] += 1;
                    prev = m + 1;
                    last_ts = ts;
                }
                pairs[prev * k1] += 1;
                let t_direct = t.elapsed().as_secs_f64();
                let direct: u64 = table.iter().map(|&c| u64::from(c)).sum();

                // The same into 16-bit counts (a wrap to zero carried to a
                // 64-bit spill: never, on W1).
                pairs.iter_mut().for_each(|c| *c = 0);
                table16.iter_mut().for_each(|c| *c = 0);
                let t = Instant::now();
                let (mut prev, mut start_ts, mut last_ts) = (0usize, 0i64, 0i64);
                for i in 0..n {
                    let ts = log.timestamp[i] * nanos;
                    if i > 0 && log.journey[i] != log.journey[i - 1] {
                        pairs[prev * k1] += 1;
                        let d = last_ts - start_ts;
                        journey_sum = journey_sum.wrapping_add(d as u64);
                        journey_table[code(d) as usize] += 1;
                        prev = 0;
                    }
                    let m = log.mot[i] as usize;
                    if prev == 0 {
                        start_ts = ts;
                    } else {
                        let e = (prev - 1) * k + m;
                        let d = ts - last_ts;
                        sums[e] = sums[e].wrapping_add(d as u64);
                        let c = &mut table16[e << 12 | code(d) as usize];
                        *c = c.wrapping_add(1);
                        if *c == 0 {
                            spill += 1 << 16;
                        }
                    }
                    pairs[prev * k1 + m + 1] += 1;
                    prev = m + 1;
                    last_ts = ts;
                }
                pairs[prev * k1] += 1;
                let t_direct16 = t.elapsed().as_secs_f64();
                let touched = table16
                    .chunks(32)
                    .filter(|l| l.iter().any(|&c| c > 0))
                    .count();
                assert_eq!(
                    direct,
                    table16.iter().map(|&c| u64::from(c)).sum::<u64>() + spill
                );

                // The durations queued, then ordered by edge and counted.
                pairs.iter_mut().for_each(|c| *c = 0);
                table.iter_mut().for_each(|c| *c = 0);
                let t = Instant::now();
                let (mut prev, mut start_ts, mut last_ts, mut q) = (0usize, 0i64, 0i64, 0usize);
                for i in 0..n {
                    let ts = log.timestamp[i] * nanos;
                    if i > 0 && log.journey[i] != log.journey[i - 1] {
                        pairs[prev * k1] += 1;
                        let d = last_ts - start_ts;
                        journey_sum = journey_sum.wrapping_add(d as u64);
                        journey_table[code(d) as usize] += 1;
                        prev = 0;
                    }
                    let m = log.mot[i] as usize;
                    if prev == 0 {
                        start_ts = ts;
                    } else {
                        let e = (prev - 1) * k + m;
                        let d = ts - last_ts;
                        sums[e] = sums[e].wrapping_add(d as u64);
                        queue[q] = (e as u32) << 12 | code(d);
                        q += 1;
                    }
                    pairs[prev * k1 + m + 1] += 1;
                    prev = m + 1;
                    last_ts = ts;
                }
                pairs[prev * k1] += 1;
                let t_queue = t.elapsed().as_secs_f64();
                // One stable counting pass on the edge bits, then counts.
                let mut at = vec![0usize; k * k + 1];
                for &w in &queue[..q] {
                    at[(w >> 12) as usize + 1] += 1;
                }
                for e in 0..k * k {
                    at[e + 1] += at[e];
                }
                for &w in &queue[..q] {
                    let e = (w >> 12) as usize;
                    room[at[e]] = w;
                    at[e] += 1;
                }
                for &w in &room[..q] {
                    table[w as usize] += 1;
                }
                let t_queued = t.elapsed().as_secs_f64();
                let queued: u64 = table.iter().map(|&c| u64::from(c)).sum();
                assert_eq!(direct, queued);
                eprintln!(
                    "bare loop {t_bare:.3} s; with durations counted at once {t_direct:.3} s (+{:.3}), in 16 bits {t_direct16:.3} s (+{:.3}, {touched} lines of 64 bytes touched), queued and ordered {t_queued:.3} s (+{:.3}; the queue alone +{:.3}); {direct} durations, checksum {}",
                    t_direct - t_bare,
                    t_direct16 - t_bare,
                    t_queued - t_bare,
                    t_queue - t_bare,
                    c0 % 1000
                        + journey_sum % 2
                        + sums.iter().sum::<u64>() % 2
                        + u64::from(journey_table[0]) % 2
                );
            }
        }
        Some("merge") => {
            // Merging only, for profilers.
            let log = w1(journeys, seed).generate();
            let parts = mot_benches::partition(&log, 64, &config());
            let t = Instant::now();
            for _ in 0..20 {
                let mut m =
                    Tracker::discovery_with(log.mot_ids.iter().map(String::as_str), config());
                for p in &parts {
                    m.merge(p).unwrap();
                }
                assert_eq!(m.interactions() as usize, log.len());
            }
            eprintln!("merge of 64: {:.4} s", t.elapsed().as_secs_f64() / 20.0);
        }
        Some("once") => {
            // One dashboard, for profilers.
            let log = w1(journeys, seed).generate();
            let t = Instant::now();
            let d = dashboard(&log);
            eprintln!(
                "{} interactions, dashboard in {:.3} s",
                d.amount.interactions,
                t.elapsed().as_secs_f64()
            );
        }
        _ => {
            eprintln!(
                "usage: w1 export DIR [--journeys N] [--seed S] | w1 time [--journeys N] [--seed S]"
            );
            std::process::exit(2);
        }
    }
}

/// A hash of one multiplication, for the floor's 128-bit variant keys.
#[derive(Default, Clone, Copy)]
struct Mul(u64);

impl std::hash::Hasher for Mul {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u128(&mut self, x: u128) {
        let folded = (x as u64) ^ ((x >> 64) as u64).wrapping_mul(0xA076_1D64_78BD_642F);
        self.0 = folded.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(26);
    }
}

impl std::hash::BuildHasher for Mul {
    type Hasher = Mul;
    fn build_hasher(&self) -> Mul {
        Mul(0)
    }
}

fn time(journeys: usize, seed: u64) {
    let log = w1(journeys, seed).generate();
    let n = log.len();
    let input_bytes = n * (8 + 4 + 8 + 1 + 8) + log.outcome_journey.len() * (8 + 1 + 8);
    let rss_before = rss();
    let measured_peak = reset_peak();
    let (t_dashboard, d) = best(5, || dashboard(&log));
    assert_eq!(d.amount.interactions as usize, n);
    let peak = peak_rss();
    // The same on every thread of the machine (read in parts and merged).
    let all_threads = TrackerConfig {
        threads: 0,
        ..config()
    };
    let (t_threads, dt) = best(5, || dashboard_with(&log, all_threads.clone()));
    assert_eq!(dt.variants, d.variants);
    assert_eq!(dt.directly_follows, d.directly_follows);
    // The same with a designed journey: every journey's conformance.
    let with_design = TrackerConfig {
        designed: designed(journeys, seed),
        ..config()
    };
    let (t_conformance, dc) = best(5, || dashboard_with(&log, with_design.clone()));
    let c = dc.conformance.as_ref().expect("a design gives conformance");
    assert_eq!(c.journeys as usize, journeys);

    // Per-MOT counting alone: the innermost loop of SMOTO production.
    let (t_count, counts) = best(5, || {
        let mut c = vec![[0u64; 2]; log.mot_ids.len()];
        for (m, s) in log.mot.iter().zip(&log.success) {
            let e = &mut c[*m as usize];
            e[0] += 1;
            e[1] += u64::from(*s);
        }
        c
    });
    assert_eq!(counts.iter().map(|c| c[0]).sum::<u64>() as usize, n);

    // The streaming row API: record every row, close each journey.
    let (t_stream, streamed) = best(3, || mot_benches::stream(&log, &config()));
    assert_eq!(streamed.interactions() as usize, n);

    // Merging 64 partial states (partitioned by journey).
    let parts = mot_benches::partition(&log, 64, &config());
    let (t_merge, merged) = best(5, || {
        let mut m = Tracker::discovery_with(log.mot_ids.iter().map(String::as_str), config());
        for p in &parts {
            m.merge(p).unwrap();
        }
        m
    });
    assert_eq!(merged.interactions() as usize, n);
    let bytes: usize = parts.iter().map(|p| p.to_bytes().len()).sum();
    // The same partitions without variant tables.
    let lean = TrackerConfig {
        track_variants: false,
        ..config()
    };
    let lean_parts = mot_benches::partition(&log, 64, &lean);
    let (t_merge_lean, lean_merged) = best(5, || {
        let mut m = Tracker::discovery_with(log.mot_ids.iter().map(String::as_str), lean.clone());
        for p in &lean_parts {
            m.merge(p).unwrap();
        }
        m
    });
    assert_eq!(lean_merged.interactions() as usize, n);

    let out = serde_json::json!({
        "journeys": journeys,
        "interactions": n,
        "seed": seed,
        "dashboard_from_columns_s": t_dashboard,
        "dashboard_from_columns_all_threads_s": t_threads,
        "threads": std::thread::available_parallelism().map_or(1, usize::from),
        "dashboard_with_conformance_s": t_conformance,
        "designed_steps": c.designed_steps,
        "conformance_rate": c.rate,
        "per_mot_counting_interactions_per_s": n as f64 / t_count,
        "streaming_interactions_per_s": n as f64 / t_stream,
        "merge_64_states_s": t_merge,
        "merge_64_states_without_variants_s": t_merge_lean,
        "state_bytes_64_parts": bytes,
        "input_column_bytes": input_bytes,
        "rss_before_dashboard_bytes": rss_before,
        "peak_rss_during_dashboard_bytes": if measured_peak { peak } else { None },
        "peak_over_input": if measured_peak { peak.map(|p| p as f64 / input_bytes as f64) } else { None },
        "variants": d.variants.distinct,
    });
    println!("{}", serde_json::to_string_pretty(&out).unwrap());
}
