//! The high-variety workload W2 (`mot_benches::w2`) outside criterion:
//! its shape, an export for the Python peers, and the engine's timings.
//!
//! ```text
//! cargo run --release -p mot-benches --bin w2 -- shape  [--journeys N] [--seed S]
//! cargo run --release -p mot-benches --bin w2 -- export DIR [--journeys N] [--seed S]
//! cargo run --release -p mot-benches --bin w2 -- time   [--journeys N] [--seed S] [--runs R] [--threads T]
//! cargo run --release -p mot-benches --bin w2 -- once   [--mot dict|int|text] [--variants on|off] [--repeat K] [--threads T]
//! ```
//!
//! `export` writes `DIR/events.csv` (journey_id,mot_id,timestamp,success,cost
//! with integer MOT codes), `DIR/outcomes.csv` (journey_id,sco,value), our
//! dashboard as `DIR/mot_dashboard.json` and the shape as `DIR/w2_shape.json`.
//! `time` prints one JSON object: `Dashboard::from_columns` on `T` threads
//! (default 1; 0 for every thread of the machine), best of `R` (default 5), with the MOT column as dictionary codes, as
//! integers and as text, each with variants on and off. `once` builds one
//! dashboard (for profilers). `shape`, `export` and `time` take the recipe's
//! fields as options (`--routes 60`, `--detour-rate 0.1`, ...; see
//! `mot_benches::W2Recipe`) to explore other mixes; without them the log is W2.
//! `--no-durations` turns durations off (`TrackerConfig::durations`).

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::unwrap_used,
    clippy::expect_used
)]

use std::time::Instant;

use mot_benches::{W2, W2Recipe, w2_with};
use mot_core::{
    Columns, Dashboard, DashboardOptions, Ids, OutcomeColumns, TimeUnit, TrackerConfig,
};

use mot_benches::arg;

fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, Vec<f64>, T) {
    let mut times = Vec::with_capacity(runs);
    let mut out = None;
    for _ in 0..runs {
        let t = Instant::now();
        let r = f();
        times.push(t.elapsed().as_secs_f64());
        out = Some(r);
    }
    let best = times.iter().copied().fold(f64::INFINITY, f64::min);
    (best, times, out.unwrap())
}

/// `(id, interactions, successes)` of every MOT, sorted by id.
type PerMot = Vec<(String, u64, Option<u64>)>;

/// How the MOT column is handed to the engine.
#[derive(Clone, Copy, Debug)]
enum MotAs {
    /// Dictionary codes into the distinct ids (a polars `Categorical`).
    Dict,
    /// The integer codes (`u16` values widened to `u64`).
    Int,
    /// Text, one string per row (Arrow `Utf8`: offsets and bytes).
    Text,
}

struct Inputs {
    codes: Vec<u64>,
    offsets: Vec<i32>,
    bytes: Vec<u8>,
}

fn inputs(w: &W2) -> Inputs {
    let codes = w.mot_codes_u64();
    let mut offsets = Vec::with_capacity(codes.len() + 1);
    let mut bytes = Vec::with_capacity(codes.len() * 5);
    offsets.push(0i32);
    for &m in &w.log.mot {
        bytes.extend_from_slice(w.log.mot_ids[m as usize].as_bytes());
        offsets.push(bytes.len() as i32);
    }
    Inputs {
        codes,
        offsets,
        bytes,
    }
}

fn dashboard(w: &W2, inp: &Inputs, mot_as: MotAs, variants: bool) -> Dashboard {
    let log = &w.log;
    let names: Vec<&str> = log.mot_ids.iter().map(String::as_str).collect();
    let mot = match mot_as {
        MotAs::Dict => Ids::Dict {
            codes: &log.mot,
            values: &names,
        },
        MotAs::Int => Ids::U64(&inp.codes),
        MotAs::Text => Ids::Utf8 {
            offsets: &inp.offsets,
            data: &inp.bytes,
        },
    };
    let mut events = Columns::new(Ids::U64(&log.journey), mot, &log.timestamp, &log.success);
    events.time_unit = TimeUnit::Seconds;
    events.cost = Some(&log.cost);
    let mut outcomes = OutcomeColumns::new(Ids::U64(&log.outcome_journey), &log.outcome_sco);
    outcomes.value = Some(&log.outcome_value);
    let config = TrackerConfig {
        remember_closed: false,
        track_variants: variants,
        threads: THREADS.get().copied().unwrap_or(1),
        durations: DURATIONS.get().copied().unwrap_or(true),
        ..TrackerConfig::default()
    };
    Dashboard::from_columns(
        None,
        &events,
        Some(&outcomes),
        config,
        &DashboardOptions::default(),
    )
    .unwrap()
}

fn shape(w: &W2, journeys: usize, seed: u64, secs: f64) -> serde_json::Value {
    let n = w.log.len();
    let distinct = w.distinct_variants();
    serde_json::json!({
        "workload": "W2",
        "journeys": journeys,
        "seed": seed,
        "interactions": n,
        "interactions_per_journey": n as f64 / journeys as f64,
        "mots": w.codes.len(),
        "mot_code_max": w.codes.iter().max(),
        "journey_id_max": w.log.journey.iter().max(),
        "distinct_variants": distinct,
        "distinct_share": distinct as f64 / journeys as f64,
        "generate_s": secs,
    })
}

/// Threads a dashboard may use (`--threads`, default 1; 0 for as many as
/// the machine has).
static THREADS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
/// Whether durations are measured (`--no-durations` turns them off).
static DURATIONS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let journeys: usize = arg(&args, "--journeys", 1_000_000);
    let seed: u64 = arg(&args, "--seed", 1);
    let runs: usize = arg(&args, "--runs", 5);
    let _ = THREADS.set(arg(&args, "--threads", 1));
    let _ = DURATIONS.set(!args.iter().any(|a| a == "--no-durations"));
    let t = Instant::now();
    let mode = args.first().map(String::as_str);
    if !matches!(mode, Some("shape" | "export" | "time" | "once")) {
        eprintln!(
            "usage: w2 shape|time [--journeys N] [--seed S] [--runs R] | w2 export DIR [--journeys N] [--seed S]"
        );
        std::process::exit(2);
    }
    // The recipe is W2's unless varied (for exploring; W2 is the default).
    let d = W2Recipe::default();
    let recipe = W2Recipe {
        mots: arg(&args, "--mots", d.mots),
        routes: arg(&args, "--routes", d.routes),
        route_len: (
            arg(&args, "--route-min", d.route_len.0),
            arg(&args, "--route-max", d.route_len.1),
        ),
        optional_share: arg(&args, "--optional-share", d.optional_share),
        optional_taken: arg(&args, "--optional-taken", d.optional_taken),
        retry_after_failure: arg(&args, "--retry", d.retry_after_failure),
        max_retries: arg(&args, "--max-retries", d.max_retries),
        detour_rate: arg(&args, "--detour-rate", d.detour_rate),
        swap_rate: arg(&args, "--swap-rate", d.swap_rate),
        days: arg(&args, "--days", d.days),
    };
    if recipe != d {
        eprintln!("note: not W2's recipe: {recipe:?}");
    }
    let w = w2_with(&recipe, journeys, seed);
    let generate_s = t.elapsed().as_secs_f64();
    let log = &w.log;
    match mode {
        Some("shape") => {
            println!(
                "{}",
                serde_json::to_string_pretty(&shape(&w, journeys, seed, generate_s)).unwrap()
            );
        }
        Some("export") => {
            let dir = std::path::PathBuf::from(args.get(1).expect("export DIR"));
            mot_benches::export_csv(log, &dir, |m| w.codes[m].to_string());
            let s = shape(&w, journeys, seed, generate_s);
            std::fs::write(
                dir.join("w2_shape.json"),
                serde_json::to_string_pretty(&s).unwrap(),
            )
            .unwrap();
            let inp = inputs(&w);
            let t = Instant::now();
            let d = dashboard(&w, &inp, MotAs::Dict, true);
            let secs = t.elapsed().as_secs_f64();
            std::fs::write(dir.join("mot_dashboard.json"), d.to_json_pretty()).unwrap();
            eprintln!(
                "wrote {} interactions of {} journeys to {} ({} distinct variants, {:.1}%); dashboard in {secs:.3} s",
                log.len(),
                journeys,
                dir.display(),
                s["distinct_variants"],
                100.0 * s["distinct_share"].as_f64().unwrap()
            );
        }
        Some("time") => {
            let inp = inputs(&w);
            let mut out = shape(&w, journeys, seed, generate_s);
            let mut reference: Option<(PerMot, Option<u64>)> = None;
            for (name, mot_as) in [
                ("dict", MotAs::Dict),
                ("int", MotAs::Int),
                ("text", MotAs::Text),
            ] {
                for variants in [true, false] {
                    let (t, all, d) = best(runs, || dashboard(&w, &inp, mot_as, variants));
                    assert_eq!(d.amount.interactions as usize, log.len());
                    let mut mots: PerMot = d
                        .mots
                        .iter()
                        .map(|m| (m.id.to_string(), m.interactions, m.successes))
                        .collect();
                    mots.sort();
                    if variants {
                        let got = (mots, d.variants.distinct);
                        match &reference {
                            None => reference = Some(got),
                            Some(r) => assert_eq!(r, &got, "MOT ids as {name} disagree"),
                        }
                    }
                    let key = format!(
                        "dashboard_mot_{name}_variants_{}_s",
                        if variants { "on" } else { "off" }
                    );
                    out[&key] = serde_json::json!(t);
                    out[format!("{key}_all")] = serde_json::json!(all);
                    eprintln!("{key}: {t:.3} s");
                }
            }
            out["dashboard_variants"] = serde_json::json!(reference.and_then(|r| r.1));
            out["runs"] = serde_json::json!(runs);
            println!("{}", serde_json::to_string_pretty(&out).unwrap());
        }
        Some("once") => {
            // Dashboards for profilers: `w2 once [--mot dict|int|text] [--variants off] [--repeat K]`.
            let inp = inputs(&w);
            let mot_as = match arg(&args, "--mot", String::from("dict")).as_str() {
                "int" => MotAs::Int,
                "text" => MotAs::Text,
                _ => MotAs::Dict,
            };
            let variants = arg(&args, "--variants", String::from("on")) != "off";
            for _ in 1..arg(&args, "--repeat", 1usize) {
                std::hint::black_box(dashboard(&w, &inp, mot_as, variants));
            }
            let t = Instant::now();
            let d = dashboard(&w, &inp, mot_as, variants);
            eprintln!(
                "{} interactions, MOT ids as {mot_as:?}, variants {variants}: dashboard in {:.3} s",
                d.amount.interactions,
                t.elapsed().as_secs_f64()
            );
        }
        _ => unreachable!(),
    }
}
