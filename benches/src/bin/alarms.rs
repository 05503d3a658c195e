//! The sequential detectors: their cost on the streaming row API, and how
//! soon they see a shift compared with the daily p-chart.
//!
//! ```text
//! cargo run --release -p mot-benches --bin alarms -- time [--journeys N]
//! cargo run --release -p mot-benches --bin alarms -- delay [--runs N]
//! ```
//!
//! `time` streams the airline scenario row by row (`record_index` in row
//! order, each journey closed after its last row) bound to the airline
//! experience — with its SMOTO targets (13 detectors) and with the same
//! experience stripped of its targets (no detector) — best of 5 each.
//!
//! `delay` plants a shift of an MOT's failure rate from p0 = 1 − target to
//! 2·p0 at a uniformly random interaction of a day of `per_day`
//! interactions, and counts interactions from the shift to the first alarm:
//! of the CUSUM (run from 0 at the shift, as after a restart; ARL0 10,000)
//! and of the daily p-chart (limits p̄ ± 3·√(p̄(1 − p̄)/n) around the
//! in-control rate, judged when each day closes).

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use mot_core::cusum::Cusum;
use mot_core::{Experience, Tracker, TrackerConfig, sample, simulate};

use mot_benches::arg;

fn stream(x: &Experience, log: &simulate::Log) -> Tracker {
    let config = TrackerConfig {
        remember_closed: false,
        ..TrackerConfig::default()
    };
    let mut t = Tracker::new(x, config);
    let index: Vec<u32> = log
        .mot_ids
        .iter()
        .map(|id| t.mot_index(id).unwrap())
        .collect();
    let n = log.len();
    let mut o = 0;
    for i in 0..n {
        t.record_index(
            log.journey[i],
            index[log.mot[i] as usize],
            log.timestamp[i],
            log.success[i],
        )
        .unwrap();
        if i + 1 == n || log.journey[i + 1] != log.journey[i] {
            t.close_journey(log.journey[i], Some(log.outcome_sco[o]), None)
                .unwrap();
            o += 1;
        }
    }
    t
}

fn time(journeys: usize) {
    let x = sample::airline();
    let log = simulate::airline_scenario(&x, journeys, 1).generate();
    let mut spec = x.spec().clone();
    for m in &mut spec.mots {
        m.smoto.target_rate = None;
    }
    let bare = Experience::new(spec).unwrap();
    let best = |x: &Experience| {
        (0..5)
            .map(|_| {
                let t0 = Instant::now();
                let mut t = stream(x, &log);
                let secs = t0.elapsed().as_secs_f64();
                (secs, t.drain_alarms().len())
            })
            .fold((f64::INFINITY, 0), |a, b| (a.0.min(b.0), b.1))
    };
    let (on, alarms) = best(&x);
    let (off, none) = best(&bare);
    assert_eq!(none, 0);
    let n = log.len() as f64;
    println!(
        "{}",
        serde_json::json!({
            "interactions": log.len(),
            "journeys": journeys,
            "with_detectors_per_s": n / on,
            "without_detectors_per_s": n / off,
            "alarms": alarms,
            "cost": on / off - 1.0,
        })
    );
}

/// SplitMix64 uniforms in [0, 1).
struct Uniform(u64);

impl Uniform {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// P(X = k) for X ~ Binomial(n, p), in log space.
fn binomial(n: u64, k: u64, p: f64) -> f64 {
    let ln_fact = |x: u64| (1..=x).map(|i| (i as f64).ln()).sum::<f64>();
    (ln_fact(n) - ln_fact(k) - ln_fact(n - k) + k as f64 * p.ln() + (n - k) as f64 * (1.0 - p).ln())
        .exp()
}

fn median(mut v: Vec<u64>) -> u64 {
    v.sort_unstable();
    v[v.len() / 2]
}

fn delay(runs: usize) {
    let mut rows = Vec::new();
    for (target, per_day) in [(0.90, 200u64), (0.95, 200), (0.99, 200), (0.90, 50)] {
        let c = Cusum::new(target, 2.0, 10_000.0).unwrap();
        let p0 = 1.0 - target;
        let shifted = 2.0 * p0;
        let mut u = Uniform(2026);
        let (mut cusum, mut chart) = (Vec::new(), Vec::new());
        let sd = (target * (1.0 - target) / per_day as f64).sqrt();
        let lcl = target - 3.0 * sd;
        for _ in 0..runs {
            // CUSUM: from 0 at the shift.
            let mut s = 0;
            let mut n = 0u64;
            loop {
                n += 1;
                if c.step(&mut s, u.next() < shifted).is_some() {
                    break;
                }
            }
            cusum.push(n);
            // p-chart: the shift at a random interaction of a day; the
            // day is judged when it closes, its earlier part in control.
            let at = (u.next() * per_day as f64) as u64;
            let mut waited = 0u64;
            let mut first = true;
            loop {
                let mut ok = 0u64;
                for i in 0..per_day {
                    let p = if first && i < at { p0 } else { shifted };
                    ok += u64::from(u.next() >= p);
                }
                waited += if first { per_day - at } else { per_day };
                first = false;
                if (ok as f64 / per_day as f64) < lcl {
                    break;
                }
            }
            chart.push(waited);
        }
        // The p-chart's own in-control ARL (interactions): a day in control
        // falls below its LCL with the exact binomial probability.
        let false_per_day: f64 = (0..=per_day)
            .filter(|&k| (k as f64 / per_day as f64) < lcl)
            .map(|k| binomial(per_day, k, target))
            .sum();
        let chart_arl0 = per_day as f64 / false_per_day;
        // The CUSUM set to the same in-control ARL, for a like-for-like delay.
        let matched = Cusum::new(target, 2.0, chart_arl0).unwrap();
        let mut v = Uniform(7);
        let mut same = Vec::new();
        for _ in 0..runs {
            let (mut s, mut n) = (0, 0u64);
            loop {
                n += 1;
                if matched.step(&mut s, v.next() < shifted).is_some() {
                    break;
                }
            }
            same.push(n);
        }
        let (a, b, m) = (median(cusum), median(chart), median(same));
        rows.push(serde_json::json!({
            "target": target, "per_day": per_day, "p0": p0, "shifted_p": shifted,
            "h": c.h, "cusum_median_interactions": a, "p_chart_median_interactions": b,
            "ratio": b as f64 / a as f64,
            "p_chart_in_control_arl": chart_arl0,
            "cusum_at_the_p_charts_arl_median_interactions": m,
            "ratio_at_equal_false_alarms": b as f64 / m as f64,
        }));
    }
    println!("{}", serde_json::to_string_pretty(&rows).unwrap());
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("time") => time(arg(&args, "--journeys", 200_000)),
        Some("delay") => delay(arg(&args, "--runs", 10_000)),
        _ => {
            eprintln!("usage: alarms time [--journeys N] | alarms delay [--runs N]");
            std::process::exit(2);
        }
    }
}
