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

criterion_group!(benches, experience, landscape);
criterion_main!(benches);
