//! Soak: stream many interactions through one tracker, row by row, and
//! watch memory stay flat.
//!
//! ```text
//! cargo run --release -p mot-benches --bin soak -- [--interactions 100000000] [--open 10000] [--seed 1]
//! ```
//!
//! A deterministic stream of journeys (40 MOTs; 300 journey templates of 3
//! to 17 interactions, one journey in fifty with a detour; `--open`
//! journeys in flight at once, interleaved; event time moving forward) goes through `Tracker::record_index`; each journey is closed
//! with its outcome after its last interaction, and one in fifty is left to
//! be closed as abandoned by the 30-minute timeout. Closed journeys are not
//! remembered (`remember_closed: false`), so what the tracker holds is
//! bounded by the journeys in flight, the MOT × period counts and the
//! variant table. Prints a JSON line per checkpoint (every tenth of the
//! run): interactions, elapsed seconds, throughput, current and peak RSS.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::unwrap_used,
    clippy::expect_used
)]

use std::time::Instant;

use mot_core::{Period, Tracker, TrackerConfig};

use mot_benches::arg;

fn status(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// SplitMix64: a small, fast, deterministic generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// One journey in flight: its id, its path (a template), where it is on
/// it, and whether it will be abandoned.
struct Flight {
    id: u64,
    path: usize,
    at: usize,
    detour: Option<(usize, u32)>,
    abandon: bool,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let total = arg(&args, "--interactions", 100_000_000);
    let in_flight = arg(&args, "--open", 10_000) as usize;
    let mut rng = Rng(arg(&args, "--seed", 1));
    let config = TrackerConfig {
        period: Period::Day,
        remember_closed: false,
        timeout: Some(1_800),
        ..TrackerConfig::default()
    };
    let mut t = Tracker::discovery(config);
    // Register 40 MOTs once, then stream by index.
    let t0 = 1_795_392_000i64;
    for m in 0..40 {
        t.record(u64::MAX - m, &format!("mot-{m:02}"), t0, true, None)
            .unwrap();
    }
    t.close_open_journeys();
    // 300 journey templates of 3 to 17 MOTs; one journey in fifty takes a
    // detour at one step, so the variety of journeys is large but bounded,
    // as in a real experience.
    let templates: Vec<Vec<u32>> = (0..300)
        .map(|_| {
            let n = 3 + rng.below(15) as usize;
            let mut m = rng.below(8) as u32;
            (0..n)
                .map(|_| {
                    let here = m;
                    m = (m + 1 + rng.below(3) as u32) % 40;
                    here
                })
                .collect()
        })
        .collect();
    let mut next_id = 0u64;
    let mut new_flight = |rng: &mut Rng| {
        next_id += 1;
        let path = rng.below(templates.len() as u64) as usize;
        let detour = (rng.below(50) == 0).then(|| {
            (
                rng.below(templates[path].len() as u64) as usize,
                rng.below(40) as u32,
            )
        });
        Flight {
            id: next_id,
            path,
            at: 0,
            detour,
            abandon: rng.below(50) == 0,
        }
    };
    let mut flights: Vec<Flight> = (0..in_flight).map(|_| new_flight(&mut rng)).collect();
    let mut now = t0;
    let start = Instant::now();
    let step = (total / 10).max(1);
    let mut done = 0u64;
    while done < total {
        let k = rng.below(in_flight as u64) as usize;
        let f = &mut flights[k];
        // Event time: one second per 50 interactions, so a journey in flight
        // is visited every few minutes, well within the timeout.
        if rng.below(50) == 0 {
            now += 1;
        }
        let ok = rng.below(10) != 0;
        let mot = match f.detour {
            Some((at, m)) if at == f.at => m,
            _ => templates[f.path][f.at],
        };
        t.record_index(f.id, mot, now, ok).unwrap();
        done += 1;
        f.at += 1;
        if f.at == templates[f.path].len() {
            if !f.abandon {
                t.close_journey(f.id, Some(rng.below(3) != 0), Some(10.0))
                    .unwrap();
            }
            flights[k] = new_flight(&mut rng);
        }
        if done % step == 0 {
            let secs = start.elapsed().as_secs_f64();
            println!(
                "{{\"interactions\": {done}, \"elapsed_s\": {secs:.2}, \"per_s\": {:.0}, \"rss_bytes\": {}, \"peak_rss_bytes\": {}, \"open_journeys\": {}, \"journeys\": {}}}",
                done as f64 / secs,
                status("VmRSS:"),
                status("VmHWM:"),
                t.open_journeys(),
                t.journeys()
            );
        }
    }
    let d = mot_core::Dashboard::build(&t, None, &mot_core::DashboardOptions::default()).unwrap();
    eprintln!(
        "dashboard: {} interactions, {} journeys, {} variants, SCO rate {:?}",
        d.amount.interactions,
        d.amount.journeys,
        d.variants.distinct.unwrap_or(0),
        d.sco.rate
    );
}
