//! Columnar ingestion from arbitrary arrays: ids as integers, text or a
//! dictionary (codes may point outside it), arbitrary timestamps, flags,
//! costs (NaN, infinities, negatives), masks of any length, both policies.
#![no_main]
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use mot_core::events::BadRows;
use mot_core::{
    Columns, Dashboard, DashboardOptions, Ids, OutcomeColumns, Tracker, TrackerConfig, Validity,
};

#[derive(Arbitrary, Debug)]
struct Input {
    journeys: Vec<u64>,
    signed: bool,
    mot_codes: Vec<u32>,
    mot_values: Vec<String>,
    text_mots: Option<Vec<String>>,
    timestamps: Vec<i64>,
    success: Vec<bool>,
    cost: Option<Vec<f64>>,
    masks: Vec<Vec<bool>>,
    outcome_journeys: Vec<u64>,
    sco: Vec<bool>,
    value: Option<Vec<f64>>,
    bound: bool,
    fail: bool,
    variants: bool,
}

/// The sample experience, parsed once.
fn sample() -> &'static mot_core::Experience {
    static X: std::sync::OnceLock<mot_core::Experience> = std::sync::OnceLock::new();
    X.get_or_init(mot_core::sample::airline)
}

fuzz_target!(|input: Input| {
    let values: Vec<&str> = input.mot_values.iter().map(String::as_str).collect();
    let texts: Option<Vec<&str>> = input
        .text_mots
        .as_ref()
        .map(|v| v.iter().map(String::as_str).collect());
    let signed: Vec<i64> = input.journeys.iter().map(|&j| j as i64).collect();
    let journey = if input.signed {
        Ids::I64(&signed)
    } else {
        Ids::U64(&input.journeys)
    };
    let mot = match &texts {
        Some(t) => Ids::Str(t),
        None => Ids::Dict {
            codes: &input.mot_codes,
            values: &values,
        },
    };
    let mut cols = Columns::new(journey, mot, &input.timestamps, &input.success);
    cols.cost = input.cost.as_deref();
    let mask = |k: usize| {
        input
            .masks
            .get(k)
            .map_or(Validity::All, |m| Validity::Bools(m))
    };
    cols.journey_valid = mask(0);
    cols.mot_valid = mask(1);
    cols.timestamp_valid = mask(2);
    cols.success_valid = mask(3);
    cols.cost_valid = mask(4);
    let mut outs = OutcomeColumns::new(Ids::U64(&input.outcome_journeys), &input.sco);
    outs.value = input.value.as_deref();
    outs.sco_valid = mask(5);

    let x = sample();
    let experience = input.bound.then_some(x);
    let config = TrackerConfig {
        bad_rows: if input.fail {
            BadRows::Fail
        } else {
            BadRows::Reject
        },
        track_variants: input.variants,
        ..TrackerConfig::default()
    };
    let mut t = Tracker::with_config(experience, config).expect("config");
    let before = t.to_bytes();
    match t.ingest(&cols, Some(&outs)) {
        Ok(s) => {
            assert!(s.accepted <= s.rows);
            let d =
                Dashboard::build(&t, experience, &DashboardOptions::default()).expect("dashboard");
            assert_eq!(d.amount.interactions, s.accepted);
            for m in &d.mots {
                if let Some(r) = m.smoto_rate {
                    assert!((0.0..=1.0).contains(&r));
                }
            }
            let back = Tracker::from_bytes(&t.to_bytes()).expect("own bytes read back");
            assert_eq!(back.to_bytes(), t.to_bytes());
        }
        Err(_) => assert_eq!(t.to_bytes(), before, "a failed ingest changes nothing"),
    }
});
