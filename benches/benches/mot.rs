//! Criterion benchmarks, ids `"<concept>/<op>/<case>"`. Each checks its
//! result inside the loop so that a fast wrong answer fails.

#![allow(clippy::unwrap_used)] // a benchmark that gets a wrong answer should stop loudly
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use mot_core::{Experience, ExperienceSpec, sample};
use std::hint::black_box;

fn experience(c: &mut Criterion) {
    let mut g = c.benchmark_group("experience");
    g.bench_function("from_json/airline", |b| {
        b.iter(|| {
            let x = Experience::from_json(black_box(sample::AIRLINE_JSON)).unwrap();
            assert_eq!(x.mots().len(), 18);
        })
    });
    for n in [1usize, 100] {
        let spec = mot_benches::scaled(n);
        let json = spec.to_json();
        let mots = spec.mots.len();
        g.bench_with_input(
            BenchmarkId::new("validate", format!("x{n}")),
            &spec,
            |b, spec| {
                b.iter(|| {
                    let x = Experience::new(black_box(spec.clone())).unwrap();
                    assert_eq!(x.mots().len(), mots);
                })
            },
        );
        g.bench_with_input(
            BenchmarkId::new("from_json", format!("x{n}")),
            &json,
            |b, json| {
                b.iter(|| {
                    let s = ExperienceSpec::from_json(black_box(json)).unwrap();
                    assert_eq!(s.mots.len(), mots);
                })
            },
        );
    }
    g.finish();
}

fn landscape(c: &mut Criterion) {
    let mut g = c.benchmark_group("landscape");
    for n in [1usize, 100] {
        let x = Experience::new(mot_benches::scaled(n)).unwrap();
        g.bench_function(BenchmarkId::new("cost_rollup", format!("x{n}")), |b| {
            b.iter(|| {
                let r = black_box(&x).cost_rollup();
                assert!((r.allocated + r.unexplained - r.total).abs() <= 1e-9 * r.total);
            })
        });
        g.bench_function(BenchmarkId::new("unexplained", format!("x{n}")), |b| {
            b.iter(|| assert_eq!(black_box(&x).unexplained_work().len(), n))
        });
        g.bench_function(BenchmarkId::new("failure_impact", format!("x{n}")), |b| {
            b.iter(|| {
                let f = black_box(&x).failure_impact("sys-dcs~0").unwrap();
                assert!(f.journey_steps_at_risk > 0);
            })
        });
    }
    g.finish();
}

/// W1 size, overridable for quick runs: `MOT_W1_JOURNEYS=100000 cargo bench ...`.
fn w1_journeys() -> usize {
    std::env::var("MOT_W1_JOURNEYS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

fn production(c: &mut Criterion) {
    use mot_core::simulate::w1;
    use mot_core::{Dashboard, DashboardOptions, Tracker, TrackerConfig};
    let journeys = w1_journeys();
    let log = w1(journeys, 1).generate();
    let n = log.len();
    let config = || TrackerConfig {
        remember_closed: false,
        ..TrackerConfig::default()
    };
    let mut g = c.benchmark_group("production");
    g.sample_size(10);
    g.throughput(criterion::Throughput::Elements(n as u64));
    g.bench_function("dashboard/w1-columns", |b| {
        b.iter(|| {
            let d = log
                .with_columns(|e, o| {
                    Dashboard::from_columns(
                        None,
                        e,
                        Some(o),
                        config(),
                        &DashboardOptions::default(),
                    )
                })
                .unwrap();
            assert_eq!(d.amount.interactions as usize, n);
        })
    });
    g.bench_function("count/w1-per-mot", |b| {
        b.iter(|| {
            let mut counts = vec![[0u64; 2]; log.mot_ids.len()];
            for (m, s) in black_box(&log.mot).iter().zip(&log.success) {
                let e = &mut counts[*m as usize];
                e[0] += 1;
                e[1] += u64::from(*s);
            }
            assert_eq!(counts.iter().map(|c| c[0]).sum::<u64>() as usize, n);
        })
    });
    g.bench_function("stream/w1-rows", |b| {
        b.iter(|| {
            let t = mot_benches::stream(black_box(&log), &config());
            assert_eq!(t.interactions() as usize, n);
        })
    });
    let ids: Vec<&str> = log.mot_ids.iter().map(String::as_str).collect();
    let partition = |config: TrackerConfig| mot_benches::partition(&log, 64, &config);
    let parts = partition(config());
    let lean_config = TrackerConfig {
        track_variants: false,
        ..config()
    };
    let lean = partition(lean_config.clone());
    g.throughput(criterion::Throughput::Elements(64));
    g.bench_function("merge/w1-64-states", |b| {
        b.iter(|| {
            let mut m = Tracker::discovery_with(ids.iter().copied(), config());
            for p in black_box(&parts) {
                m.merge(p).unwrap();
            }
            assert_eq!(m.interactions() as usize, n);
        })
    });
    g.bench_function("merge/w1-64-states-without-variants", |b| {
        b.iter(|| {
            let mut m = Tracker::discovery_with(ids.iter().copied(), lean_config.clone());
            for p in black_box(&lean) {
                m.merge(p).unwrap();
            }
            assert_eq!(m.interactions() as usize, n);
        })
    });
    let bytes = parts[0].to_bytes();
    g.throughput(criterion::Throughput::Bytes(bytes.len() as u64));
    g.bench_function("state/decode-1-of-64", |b| {
        b.iter(|| assert!(Tracker::from_bytes(black_box(&bytes)).is_ok()))
    });
    g.finish();
}

criterion_group!(benches, experience, landscape, production);
criterion_main!(benches);
