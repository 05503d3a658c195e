//! Tests of the tracker: the two ways in agree, partitions merge exactly,
//! bad rows are counted, states survive bytes. Bulk reads against the
//! general path are in `bulk`, a real log through the fast path in
//! `real_log`.

use proptest::prelude::*;

use super::*;
use crate::events::{Columns, Ids, OutcomeColumns, TimeUnit, Validity};
use crate::simulate::{self, Log};
use crate::{Dashboard, DashboardOptions, sample};

const T0: i64 = 1_795_392_000; // Monday 2026-11-23

fn dashboard(t: &Tracker, x: Option<&Experience>) -> serde_json::Value {
    serde_json::to_value(Dashboard::build(t, x, &DashboardOptions::default()).unwrap()).unwrap()
}

/// Equal JSON, numbers within 1e-12 relative (compensated sums may differ
/// in the last bits between a merge and a single pass).
pub(crate) fn assert_close(a: &serde_json::Value, b: &serde_json::Value, at: &str) {
    use serde_json::Value::*;
    match (a, b) {
        (Number(x), Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            assert!(
                (x - y).abs() <= 1e-12 * x.abs().max(y.abs()).max(1.0),
                "{at}: {x} vs {y}"
            );
        }
        (Array(x), Array(y)) => {
            assert_eq!(x.len(), y.len(), "{at}: lengths");
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                assert_close(p, q, &format!("{at}[{i}]"));
            }
        }
        (Object(x), Object(y)) => {
            assert_eq!(
                x.keys().collect::<Vec<_>>(),
                y.keys().collect::<Vec<_>>(),
                "{at}: keys"
            );
            for (k, p) in x {
                assert_close(p, &y[k], &format!("{at}.{k}"));
            }
        }
        _ => assert_eq!(a, b, "{at}"),
    }
}

fn airline_log(journeys: usize, seed: u64) -> (Experience, Log) {
    let x = sample::airline();
    let log = simulate::airline_scenario(&x, journeys, seed).generate();
    (x, log)
}

/// Feeds a log row by row in time order (ties in row order), as a live
/// stream arrives, closing each journey after its last row.
fn by_rows(t: &mut Tracker, log: &Log) {
    let mut order: Vec<usize> = (0..log.len()).collect();
    order.sort_by_key(|&i| log.timestamp[i]); // stable: ties in row order
    let mut last_row = std::collections::HashMap::new();
    for &i in &order {
        last_row.insert(log.journey[i], i);
    }
    let outcome: std::collections::HashMap<u64, (bool, f64)> = log
        .outcome_journey
        .iter()
        .zip(log.outcome_sco.iter().zip(&log.outcome_value))
        .map(|(j, (s, v))| (*j, (*s, *v)))
        .collect();
    for &i in &order {
        let producer = log
            .producer_ids
            .get(log.producer[i] as usize)
            .map(String::as_str);
        let extra = Extra {
            cost: Some(log.cost[i]),
            value: None,
            producer,
        };
        t.record(
            log.journey[i],
            &log.mot_ids[log.mot[i] as usize],
            log.timestamp[i],
            log.success[i],
            Some(extra),
        )
        .unwrap();
        if last_row[&log.journey[i]] == i {
            let (sco, v) = outcome[&log.journey[i]];
            t.close_journey(log.journey[i], Some(sco), Some(v)).unwrap();
        }
    }
}

#[test]
fn rows_and_columns_agree() {
    let (x, log) = airline_log(3_000, 11);
    let mut rows = Tracker::new(&x, TrackerConfig::default());
    by_rows(&mut rows, &log);
    let mut cols = Tracker::new(&x, TrackerConfig::default());
    let summary = log.ingest_into(&mut cols).unwrap();
    assert_eq!(summary.journeys, 3_000);
    assert_eq!(summary.accepted, log.len() as u64);
    // Rows arrive in time order, columns grouped by journey: the counts are
    // equal, compensated float sums to the last bits.
    assert_close(
        &dashboard(&rows, Some(&x)),
        &dashboard(&cols, Some(&x)),
        "rows vs columns",
    );
    assert_eq!(rows.agg.transitions, cols.agg.transitions);
    assert_eq!(rows.agg.variants, cols.agg.variants);
    let states = |t: &Tracker| t.agg.mots.iter().map(|m| m.cusum).collect::<Vec<_>>();
    assert_eq!(states(&rows), states(&cols));
    // The detectors saw the same interactions in the same order.
    let alarms = rows.drain_alarms();
    assert!(
        !alarms.is_empty(),
        "the airline scenario's incident raises alarms"
    );
    assert_eq!(alarms, cols.drain_alarms());
}

#[test]
fn grouped_and_interleaved_input_agree() {
    let x = sample::airline();
    let mut scenario = simulate::airline_scenario(&x, 2_000, 5);
    let grouped = scenario.generate();
    scenario.interleave = true;
    let interleaved = scenario.generate();
    assert_ne!(grouped.journey, interleaved.journey);
    let mut a = Tracker::new(&x, TrackerConfig::default());
    grouped.ingest_into(&mut a).unwrap();
    let mut b = Tracker::new(&x, TrackerConfig::default());
    interleaved.ingest_into(&mut b).unwrap();
    assert_close(&dashboard(&a, Some(&x)), &dashboard(&b, Some(&x)), "d");
    assert_eq!(a.agg.variants, b.agg.variants);
    assert_eq!(a.agg.transitions, b.agg.transitions);
}

#[test]
fn partitions_by_journey_merge_to_the_single_pass() {
    let (x, log) = airline_log(4_000, 3);
    let mut whole = Tracker::new(&x, TrackerConfig::default());
    log.ingest_into(&mut whole).unwrap();
    // A merged state's detectors are the binomial CUSUM over the merged
    // per-period counts (see `Tracker::merge`): the single pass, so run.
    let mut whole = whole.clone();
    whole.rerun_detectors_by_period();
    for parts in [2u64, 7, 64] {
        let mut merged = Tracker::new(&x, TrackerConfig::default());
        for p in 0..parts {
            let part = split(&log, |j| j % parts == p);
            let mut t = Tracker::new(&x, TrackerConfig::default());
            part.ingest_into(&mut t).unwrap();
            let t = Tracker::from_bytes(&t.to_bytes()).unwrap();
            merged.merge(&t).unwrap();
        }
        assert_close(
            &dashboard(&merged, Some(&x)),
            &dashboard(&whole, Some(&x)),
            "merged",
        );
        assert_eq!(merged.agg.variants, whole.agg.variants);
        assert_eq!(merged.agg.transitions, whole.agg.transitions);
        assert_eq!(
            merged.agg.sco_periods.iter().collect::<Vec<_>>(),
            whole.agg.sco_periods.iter().collect::<Vec<_>>()
        );
    }
    // That binomial CUSUM, written out from the dashboard's own daily
    // counts for every MOT with a target.
    let d = Dashboard::build(&whole, Some(&x), &DashboardOptions::default()).unwrap();
    let mut alarmed = 0;
    for (m, trend) in d.mots.iter().zip(&d.trends) {
        let Some(target) = m.target else { continue };
        let c = crate::cusum::Cusum::new(target, 2.0, 10_000.0).unwrap();
        let (mut s, mut alarms, mut last) = (0i64, 0u64, None);
        for p in &trend.periods {
            let failed = (p.interactions - p.successes) as i64;
            s += failed * i64::from(c.up) - p.successes as i64 * i64::from(c.down);
            s = s.max(0);
            if s >= i64::from(c.threshold) {
                (s, alarms, last) = (0, alarms + 1, Some(p.start));
            }
        }
        let got = m.cusum.as_ref().unwrap();
        assert_eq!((got.alarms, got.last_alarm_at), (alarms, last), "{}", m.id);
        assert!(
            (got.statistic - s as f64 / c.scale).abs() < 1e-12,
            "{}",
            m.id
        );
        alarmed += usize::from(alarms > 0);
    }
    assert!(alarmed > 0, "the incident shows in the daily counts");
}

/// The rows (and outcomes) of the journeys `keep` selects.
fn split(log: &Log, keep: impl Fn(u64) -> bool) -> Log {
    let rows: Vec<usize> = (0..log.len()).filter(|&i| keep(log.journey[i])).collect();
    let outs: Vec<usize> = (0..log.outcome_journey.len())
        .filter(|&i| keep(log.outcome_journey[i]))
        .collect();
    Log {
        mot_ids: log.mot_ids.clone(),
        producer_ids: log.producer_ids.clone(),
        journey: rows.iter().map(|&i| log.journey[i]).collect(),
        mot: rows.iter().map(|&i| log.mot[i]).collect(),
        timestamp: rows.iter().map(|&i| log.timestamp[i]).collect(),
        success: rows.iter().map(|&i| log.success[i]).collect(),
        cost: rows.iter().map(|&i| log.cost[i]).collect(),
        producer: rows.iter().map(|&i| log.producer[i]).collect(),
        outcome_journey: outs.iter().map(|&i| log.outcome_journey[i]).collect(),
        outcome_sco: outs.iter().map(|&i| log.outcome_sco[i]).collect(),
        outcome_value: outs.iter().map(|&i| log.outcome_value[i]).collect(),
    }
}

#[test]
fn discovery_states_with_different_mot_orders_merge() {
    let (_, log) = airline_log(1_500, 9);
    let mut whole = Tracker::discovery(TrackerConfig::default());
    log.ingest_into(&mut whole).unwrap();
    let mut a = Tracker::discovery(TrackerConfig::default());
    split(&log, |j| j % 2 == 0).ingest_into(&mut a).unwrap();
    let mut b = Tracker::discovery(TrackerConfig::default());
    // Reverse the rows of b's part so it registers MOTs in another order.
    let mut part = split(&log, |j| j % 2 == 1);
    part.journey.reverse();
    part.mot.reverse();
    part.timestamp.reverse();
    part.success.reverse();
    part.cost.reverse();
    part.producer.reverse();
    part.ingest_into(&mut b).unwrap();
    assert_ne!(a.mot_ids(), b.mot_ids());
    a.merge(&b).unwrap();
    assert_close(&dashboard(&a, None), &dashboard(&whole, None), "discovery");
}

#[test]
fn merging_different_experiences_or_settings_fails_unchanged() {
    let x = sample::airline();
    let y = sample::airline_next();
    let mut a = Tracker::new(&x, TrackerConfig::default());
    a.record(1u64, "bag-drop", T0, true, None).unwrap();
    let before = a.clone();
    let b = Tracker::new(&y, TrackerConfig::default());
    let err = a.merge(&b).unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::Merge);
    assert!(
        err.to_string().contains("version `2026.1`")
            && err.to_string().contains("version `2026.2`"),
        "{err}"
    );
    let c = Tracker::new(
        &x,
        TrackerConfig {
            period: Period::Week,
            ..TrackerConfig::default()
        },
    );
    assert_eq!(a.merge(&c).unwrap_err().kind(), crate::ErrorKind::Merge);
    assert_eq!(
        a.merge(&Tracker::discovery(TrackerConfig::default()))
            .unwrap_err()
            .kind(),
        crate::ErrorKind::Merge
    );
    assert_eq!(a, before);
    // A dashboard for the wrong experience is refused too.
    assert_eq!(
        Dashboard::build(&a, Some(&y), &DashboardOptions::default())
            .unwrap_err()
            .kind(),
        crate::ErrorKind::Config
    );
}

/// A designed journey or an SCO rule naming an MOT the experience does not
/// have is a configuration error (a misspelt rule would otherwise make
/// every journey fail the SCO).
#[test]
fn design_and_rule_must_name_the_experiences_mots() {
    let x = sample::airline();
    let with = |designed: &[&str], rule: &[&str]| {
        let config = TrackerConfig {
            designed: designed.iter().map(|s| s.to_string()).collect(),
            sco_reached: rule.iter().map(|s| s.to_string()).collect(),
            ..TrackerConfig::default()
        };
        Tracker::with_config(Some(&x), config.clone()).map(|_| Tracker::discovery(config))
    };
    assert!(with(&["check-in", "bag-drop"], &["flight"]).is_ok());
    let e = with(&[], &["fligth"]).unwrap_err();
    assert_eq!(e.kind(), crate::ErrorKind::Config);
    assert_eq!(
        e.to_string(),
        "the SCO rule names `fligth`, which is not an MOT of experience `air-travel-business`"
    );
    let e = with(&["check-in", "bag-dorp"], &[]).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("the designed journey names `bag-dorp`"),
        "{e}"
    );
}

#[test]
fn bytes_round_trip_exactly() {
    let (x, log) = airline_log(500, 1);
    let mut t = Tracker::new(
        &x,
        TrackerConfig {
            timeout: Some(3_600),
            ..TrackerConfig::default()
        },
    );
    log.ingest_into(&mut t).unwrap();
    t.record("still-open", "check-in", T0, true, None).unwrap();
    let back = Tracker::from_bytes(&t.to_bytes()).unwrap();
    assert_eq!(back, t);
    assert!(
        back.to_bytes() == t.to_bytes(),
        "equal states encode to equal bytes"
    );
    assert_eq!(back.open_journeys(), 1);
}

#[test]
fn every_bad_row_is_counted() {
    let x = sample::airline();
    let journeys = ["a", "a", "", "b", "b", "b", "b", "b", "c", "c"];
    let mots = [
        "check-in", "nope", "check-in", "check-in", "bag-drop", "", "check-in", "check-in",
        "check-in", "bag-drop",
    ];
    let ts = [T0, T0, T0, T0, 99_999_999_999, T0, T0, T0 + 1, T0, T0];
    let ok = [true; 10];
    let ok_valid = [true, true, true, true, true, true, false, true, true, true];
    let cost = [1.0, 1.0, 1.0, f64::NAN, 1.0, 1.0, 1.0, -2.0, 1.0, 1.0];
    let value = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, f64::INFINITY, 0.0];
    let mut events = Columns::new(Ids::Str(&journeys), Ids::Str(&mots), &ts, &ok);
    events.success_valid = Validity::Bools(&ok_valid);
    events.cost = Some(&cost);
    events.value = Some(&value);
    let out_j = ["a", "a", "zzz", "c", ""];
    let out_sco = [true, false, true, true, true];
    let sco_valid = [true, true, true, false, true];
    let mut outcomes = OutcomeColumns::new(Ids::Str(&out_j), &out_sco);
    outcomes.sco_valid = Validity::Bools(&sco_valid);
    let mut t = Tracker::new(&x, TrackerConfig::default());
    let s = t.ingest(&events, Some(&outcomes)).unwrap();
    let r = t.rejected();
    use RejectReason::*;
    let want = [
        (UnknownMot, 1),
        (MissingJourney, 2), // one event row, one outcome row
        (NonFiniteCost, 1),
        (TimestampOutOfRange, 1),
        (MissingMot, 1),
        (MissingSuccess, 1),
        (NegativeCost, 1),
        (NonFiniteValue, 1),
        (DuplicateOutcome, 1),
        (MissingOutcome, 1),
        (OutcomeWithoutInteractions, 1),
    ];
    for (reason, n) in want {
        assert_eq!(r.get(reason), n, "{reason}");
    }
    assert_eq!(r.total(), 12);
    // a: 1 accepted; b: none; c: 1 accepted (bag-drop).
    assert_eq!(s.accepted, 2);
    assert_eq!(s.rows, 10);
    assert_eq!(s.accepted + 8, s.rows);
    assert_eq!(t.journeys(), 2);
    let d = Dashboard::build(&t, Some(&x), &DashboardOptions::default()).unwrap();
    assert_eq!(d.rejected.total(), 12);
    assert_eq!(d.sco.journeys, 1); // a is known, c's outcome was null
    assert_eq!(d.sco.unknown, 1);
}

#[test]
fn fail_fast_names_the_row_and_changes_nothing() {
    let x = sample::airline();
    let mut t = Tracker::new(
        &x,
        TrackerConfig {
            bad_rows: BadRows::Fail,
            ..TrackerConfig::default()
        },
    );
    t.record(1u64, "check-in", T0, true, None).unwrap();
    let before = t.clone();
    let journeys = [5u64, 5, 6];
    let mots = ["check-in", "bag-drop", "nope"];
    let ts = [T0; 3];
    let ok = [true; 3];
    let err = t
        .ingest(
            &Columns::new(Ids::U64(&journeys), Ids::Str(&mots), &ts, &ok),
            None,
        )
        .unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::BadRow);
    assert_eq!(err.row(), Some(2));
    assert_eq!(err.reject_reason(), Some(RejectReason::UnknownMot));
    assert_eq!(t, before);
    let err = t
        .record(
            2u64,
            "check-in",
            T0,
            true,
            Some(Extra {
                cost: Some(-1.0),
                ..Extra::default()
            }),
        )
        .unwrap_err();
    assert_eq!(err.reject_reason(), Some(RejectReason::NegativeCost));
    assert_eq!(
        err.to_string(),
        "row 1 rejected as `negative-cost`: the cost is negative (journey `2`, cost `-1`)"
    );
    assert_eq!(t, before);
}

#[test]
fn late_rows_after_close_are_rejected() {
    let x = sample::airline();
    let mut t = Tracker::new(&x, TrackerConfig::default());
    let ts = [T0, T0 + 5];
    let ok = [true, true];
    let mots = ["check-in", "bag-drop"];
    t.ingest(
        &Columns::new(Ids::U64(&[7, 7]), Ids::Str(&mots), &ts, &ok),
        None,
    )
    .unwrap();
    t.ingest(
        &Columns::new(Ids::U64(&[7, 8]), Ids::Str(&mots), &ts, &ok),
        None,
    )
    .unwrap();
    assert_eq!(t.rejected().get(RejectReason::AfterClose), 1);
    assert_eq!(t.journeys(), 2);
    t.record(7u64, "check-in", T0 + 9, true, None).unwrap();
    assert_eq!(t.rejected().get(RejectReason::AfterClose), 2);
    t.close_journey(7u64, Some(true), None).unwrap();
    assert_eq!(t.rejected().get(RejectReason::DuplicateOutcome), 1);
}

#[test]
fn timeout_abandons_idle_journeys() {
    let x = sample::airline();
    let mut t = Tracker::new(
        &x,
        TrackerConfig {
            timeout: Some(3_600),
            ..TrackerConfig::default()
        },
    );
    t.record("a", "check-in", T0, true, None).unwrap();
    t.record("b", "check-in", T0 + 1_000, true, None).unwrap();
    t.record("c", "check-in", T0 + 4_000, true, None).unwrap(); // a idle 4000 s > 3600
    assert_eq!(t.journeys(), 1);
    assert_eq!(t.open_journeys(), 2);
    assert_eq!(t.expire(T0 + 10_000), 2);
    let d = Dashboard::build(&t, Some(&x), &DashboardOptions::default()).unwrap();
    assert_eq!(
        (d.sco.abandoned, d.sco.journeys, d.sco.successes),
        (3, 3, 0)
    );
}

#[test]
fn ties_keep_input_order() {
    let mut t = Tracker::discovery(TrackerConfig::default());
    let ts = [T0 + 5, T0, T0];
    let ok = [true; 3];
    t.ingest(
        &Columns::new(Ids::U64(&[1, 1, 1]), Ids::Str(&["c", "a", "b"]), &ts, &ok),
        None,
    )
    .unwrap();
    let seq: Vec<&str> = t
        .agg
        .variants
        .iter()
        .next()
        .unwrap()
        .0
        .iter()
        .map(|&m| t.mot_ids()[m as usize].as_str())
        .collect();
    assert_eq!(seq, ["a", "b", "c"]);
}

#[test]
fn arrow_layouts_read_the_same() {
    let data = b"j1j1j2";
    let offsets = [0i32, 2, 4, 6];
    let large = [0i64, 2, 4, 6];
    let mots = ["check-in", "bag-drop", "check-in"];
    let codes = [0u32, 1, 0];
    let dict_values = ["check-in", "bag-drop"];
    let ts = [T0, T0 + 1, T0];
    let ok = [true, false, true];
    let x = sample::airline();
    let run = |journey: Ids<'_>, mot: Ids<'_>| {
        let mut t = Tracker::new(&x, TrackerConfig::default());
        t.ingest(&Columns::new(journey, mot, &ts, &ok), None)
            .unwrap();
        t.agg
    };
    let base = run(Ids::Str(&["j1", "j1", "j2"]), Ids::Str(&mots));
    assert_eq!(
        run(
            Ids::Utf8 {
                offsets: &offsets,
                data
            },
            Ids::Dict {
                codes: &codes,
                values: &dict_values
            }
        ),
        base
    );
    assert_eq!(
        run(
            Ids::LargeUtf8 {
                offsets: &large,
                data
            },
            Ids::Str(&mots)
        ),
        base
    );
    let bits = Validity::Bits {
        bytes: &[0b101],
        offset: 0,
    };
    let mut t = Tracker::new(&x, TrackerConfig::default());
    let mut c = Columns::new(Ids::Str(&["j1", "j1", "j2"]), Ids::Str(&mots), &ts, &ok);
    c.mot_valid = bits;
    t.ingest(&c, None).unwrap();
    assert_eq!(t.rejected().get(RejectReason::MissingMot), 1);
}

fn small_log() -> impl Strategy<Value = Vec<(u8, u8, i64, bool, Option<bool>)>> {
    // (journey, mot, seconds offset, success, outcome of the journey)
    prop::collection::vec(
        (
            0u8..12,
            0u8..5,
            0i64..400_000,
            any::<bool>(),
            prop::option::of(any::<bool>()),
        ),
        0..80,
    )
}

/// Two-hour periods, and a designed journey with a repeat (`m3` and `m4`
/// are undesigned), so that conformance and durations are exercised.
fn small_config() -> TrackerConfig {
    TrackerConfig {
        period: Period::Seconds(7_200),
        designed: ["m0", "m1", "m2", "m1"].map(String::from).to_vec(),
        ..TrackerConfig::default()
    }
}

fn ingest_rows(rows: &[(u8, u8, i64, bool, Option<bool>)], keep: impl Fn(u8) -> bool) -> Tracker {
    ingest_rows_with(rows, keep, small_config())
}

fn ingest_rows_with(
    rows: &[(u8, u8, i64, bool, Option<bool>)],
    keep: impl Fn(u8) -> bool,
    config: TrackerConfig,
) -> Tracker {
    let rows: Vec<_> = rows.iter().filter(|r| keep(r.0)).collect();
    let journeys: Vec<u64> = rows.iter().map(|r| u64::from(r.0)).collect();
    let names = ["m0", "m1", "m2", "m3", "m4"];
    let mots: Vec<&str> = rows.iter().map(|r| names[r.1 as usize]).collect();
    let ts: Vec<i64> = rows.iter().map(|r| T0 + r.2).collect();
    let ok: Vec<bool> = rows.iter().map(|r| r.3).collect();
    let mut outcome: std::collections::BTreeMap<u64, bool> = Default::default();
    for r in &rows {
        if let Some(s) = r.4 {
            outcome.entry(u64::from(r.0)).or_insert(s);
        }
    }
    let oj: Vec<u64> = outcome.keys().copied().collect();
    let os: Vec<bool> = outcome.values().copied().collect();
    let mut t = Tracker::discovery(config);
    t.ingest(
        &Columns::new(Ids::U64(&journeys), Ids::Str(&mots), &ts, &ok),
        Some(&OutcomeColumns::new(Ids::U64(&oj), &os)),
    )
    .unwrap();
    t
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn any_partition_by_journey_merges_exactly(rows in small_log(), parts in 1u8..5, cut in any::<u8>()) {
        let whole = ingest_rows(&rows, |_| true);
        let mut merged = Tracker::discovery(small_config());
        for p in 0..parts {
            let part = ingest_rows(&rows, |j| (j.wrapping_add(cut)) % parts == p);
            merged.merge(&part).unwrap();
        }
        let (m, w) = (dashboard(&merged, None), dashboard(&whole, None));
        assert_close(&m, &w, "merged");
        // Conformance and durations are counts: merged, they are exact.
        for key in ["conformance", "journey_duration", "directly_follows", "variants"] {
            prop_assert_eq!(&m[key], &w[key], "{}", key);
        }
        let gaps = |d: &serde_json::Value| d["mots"].as_array().unwrap().iter().map(|m| m["gap"].clone()).collect::<Vec<_>>();
        prop_assert_eq!(gaps(&m), gaps(&w));
        prop_assert!(w["conformance"]["journeys"].as_u64() == w["amount"]["journeys"].as_u64());
    }

    /// Without a variant table the tracker sums each journey's deviation
    /// as it closes; with one, the dashboard measures each distinct
    /// sequence once: the figures are the same, and so are merges of
    /// partitions without a table.
    #[test]
    fn conformance_is_the_same_with_or_without_a_variant_table(rows in small_log(), cut in any::<u8>()) {
        let with = dashboard(&ingest_rows(&rows, |_| true), None);
        let lean = TrackerConfig { track_variants: false, ..small_config() };
        let without = ingest_rows_with(&rows, |_| true, lean.clone());
        let mut merged = Tracker::discovery(lean.clone());
        for p in 0..2u8 {
            merged.merge(&ingest_rows_with(&rows, |j| j.wrapping_add(cut) % 2 == p, lean.clone())).unwrap();
        }
        let gaps = |d: &serde_json::Value| d["mots"].as_array().unwrap().iter().map(|m| m["gap"].clone()).collect::<Vec<_>>();
        for d in [dashboard(&without, None), dashboard(&merged, None)] {
            prop_assert_eq!(&d["conformance"], &with["conformance"]);
            prop_assert_eq!(gaps(&d), gaps(&with));
        }
    }

    #[test]
    fn merge_is_commutative_and_has_an_identity(rows in small_log()) {
        let a = ingest_rows(&rows, |j| j % 2 == 0);
        let b = ingest_rows(&rows, |j| j % 2 == 1);
        let mut ab = a.clone();
        ab.merge(&b).unwrap();
        let mut ba = b.clone();
        ba.merge(&a).unwrap();
        assert_close(&dashboard(&ab, None), &dashboard(&ba, None), "commutative");
        let mut a0 = a.clone();
        a0.merge(&Tracker::discovery(a.config.clone())).unwrap();
        prop_assert_eq!(dashboard(&a0, None), dashboard(&a, None));
    }

    #[test]
    fn merge_is_associative(rows in small_log(), cut in any::<u8>()) {
        let part = |p: u8| ingest_rows(&rows, |j| j.wrapping_add(cut) % 3 == p);
        let (a, b, c) = (part(0), part(1), part(2));
        let mut left = a.clone();
        left.merge(&b).unwrap();
        left.merge(&c).unwrap();
        let mut bc = b.clone();
        bc.merge(&c).unwrap();
        let mut right = a.clone();
        right.merge(&bc).unwrap();
        assert_close(&dashboard(&left, None), &dashboard(&right, None), "associative");
    }

    #[test]
    fn state_bytes_round_trip_exactly(rows in small_log(), open in prop::collection::vec((0u8..4, 0u8..5, any::<bool>()), 0..10)) {
        let mut t = ingest_rows(&rows, |_| true);
        // Open journeys too (ingest closes every journey it reads).
        for (j, m, ok) in open {
            t.record(format!("open-{j}"), &format!("m{m}"), T0, ok, None).unwrap();
        }
        let bytes = t.to_bytes();
        let back = Tracker::from_bytes(&bytes).unwrap();
        prop_assert_eq!(back.to_bytes(), bytes);
        prop_assert_eq!(&back.agg, &t.agg);
        prop_assert_eq!(dashboard(&back, None), dashboard(&t, None));
    }

    #[test]
    fn dashboard_does_not_depend_on_the_order_of_journeys(
        rows in small_log(),
        order in Just((0u8..12).collect::<Vec<_>>()).prop_shuffle(),
    ) {
        // The same journeys, each with its rows in their order, listed in
        // another order of journeys.
        let mut shuffled = rows.clone();
        shuffled.sort_by_key(|r| order.iter().position(|&j| j == r.0));
        let a = ingest_rows(&rows, |_| true);
        let b = ingest_rows(&shuffled, |_| true);
        assert_close(&dashboard(&a, None), &dashboard(&b, None), "journey order");
    }

    #[test]
    fn rates_lie_in_their_intervals(rows in small_log()) {
        let t = ingest_rows(&rows, |_| true);
        let d = Dashboard::build(&t, None, &DashboardOptions::default()).unwrap();
        // The contract's JSON reads back to the same dashboard, bit for bit.
        let back: Dashboard = serde_json::from_str(&serde_json::to_string(&d).unwrap()).unwrap();
        prop_assert_eq!(&back, &d);
        for m in &d.mots {
            if let (Some(r), Some(lo), Some(hi)) = (m.smoto_rate, m.ci_low, m.ci_high) {
                prop_assert!((0.0..=1.0).contains(&r) && lo <= r + 1e-15 && r <= hi + 1e-15 && lo >= 0.0 && hi <= 1.0);
            }
            if let Some(re) = m.removal_effect { prop_assert!((0.0..=1.0).contains(&re)); }
            if let Some(l) = m.lift { prop_assert!((-1.0..=1.0).contains(&l)); }
        }
        if let (Some(r), Some(lo), Some(hi)) = (d.sco.rate, d.sco.ci_low, d.sco.ci_high) {
            prop_assert!(lo <= r + 1e-15 && r <= hi + 1e-15);
        }
    }
}

#[test]
fn variants_can_be_left_untracked() {
    let (x, log) = airline_log(300, 4);
    let off = TrackerConfig {
        track_variants: false,
        ..TrackerConfig::default()
    };
    let mut a = Tracker::new(&x, off.clone());
    log.ingest_into(&mut a).unwrap();
    let d = Dashboard::build(&a, Some(&x), &DashboardOptions::default()).unwrap();
    assert_eq!(d.variants.distinct, None);
    assert!(d.variants.top.is_empty());
    assert_eq!(d.sco.journeys, 300);
    let mut on = Tracker::new(&x, TrackerConfig::default());
    assert_eq!(on.merge(&a).unwrap_err().kind(), crate::ErrorKind::Merge);
    let mut b = Tracker::new(&x, off);
    b.merge(&a).unwrap();
    assert_eq!(Tracker::from_bytes(&b.to_bytes()).unwrap(), b);
}

/// With durations off every figure is the same except the durations,
/// which are `null` — through the row API and the columnar fast path — and
/// such a state merges only with its kind and reads back from its bytes.
#[test]
fn durations_can_be_left_unmeasured() {
    let off = TrackerConfig {
        durations: false,
        ..TrackerConfig::default()
    };
    // What durations off must give: the full dashboard, durations nulled.
    let expected = |d: &Dashboard| {
        let mut v = serde_json::to_value(d).unwrap();
        assert!(!v["journey_duration"].is_null());
        v["journey_duration"] = serde_json::Value::Null;
        for e in v["directly_follows"]["edges"].as_array_mut().unwrap() {
            assert!(!e["duration"].is_null());
            e["duration"] = serde_json::Value::Null;
        }
        v
    };
    let (x, log) = airline_log(300, 4);
    let by_rows = |config: &TrackerConfig| {
        let mut t = Tracker::new(&x, config.clone());
        log.ingest_into(&mut t).unwrap();
        t
    };
    let (t_on, t_off) = (by_rows(&TrackerConfig::default()), by_rows(&off));
    let build = |t: &Tracker| Dashboard::build(t, Some(&x), &DashboardOptions::default()).unwrap();
    assert_eq!(
        serde_json::to_value(build(&t_off)).unwrap(),
        expected(&build(&t_on))
    );

    // Sorted integer journey ids with dictionary MOTs: the fast path.
    let w1 = simulate::w1(2_000, 3).generate();
    let columnar = |config: TrackerConfig| {
        w1.with_columns(|e, o| {
            Dashboard::from_columns(None, e, Some(o), config, &DashboardOptions::default())
        })
        .unwrap()
    };
    let d_on = columnar(TrackerConfig::default());
    assert_eq!(
        serde_json::to_value(columnar(off.clone())).unwrap(),
        expected(&d_on)
    );

    let mut on = Tracker::new(&x, TrackerConfig::default());
    let err = on.merge(&t_off).unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::Merge);
    assert!(
        err.to_string()
            .contains("durations measured `true` vs `false`"),
        "{err}"
    );
    let mut b = Tracker::new(&x, off);
    b.merge(&t_off).unwrap();
    let back = Tracker::from_bytes(&b.to_bytes()).unwrap();
    assert_eq!(back, b);
    assert!(!back.config().durations);
}

#[test]
fn limits_are_typed_errors_and_change_nothing() {
    use crate::{ErrorKind, Limits};
    let limits = Limits {
        max_mots: 3,
        max_open_journeys: 2,
        ..Limits::default()
    };
    let config = TrackerConfig {
        limits,
        ..TrackerConfig::default()
    };
    // Columns with four distinct MOT ids, in discovery mode.
    let journeys = [1u64, 1, 2, 2];
    let mots = ["a", "b", "c", "d"];
    let ts = [T0, T0 + 1, T0, T0 + 1];
    let ok = [true; 4];
    let cols = Columns::new(Ids::U64(&journeys), Ids::Str(&mots), &ts, &ok);
    let mut t = Tracker::discovery(config.clone());
    let err = t.ingest(&cols, None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Limit);
    assert!(err.to_string().contains("`max_mots` of `3`"), "{err}");
    assert_eq!((t.interactions(), t.registry.len()), (0, 0));
    // The same through the general path (journeys not sorted).
    let unsorted = [2u64, 2, 1, 1];
    let cols = Columns::new(Ids::U64(&unsorted), Ids::Str(&mots), &ts, &ok);
    assert_eq!(t.ingest(&cols, None).unwrap_err().kind(), ErrorKind::Limit);
    assert_eq!((t.interactions(), t.registry.len()), (0, 0));
    // A dictionary's unused values do not count.
    let values = ["a", "b", "c", "x", "y", "z"];
    let codes = [0u32, 1, 2, 2];
    let dict = Columns::new(
        Ids::U64(&journeys),
        Ids::Dict {
            codes: &codes,
            values: &values,
        },
        &ts,
        &ok,
    );
    assert_eq!(t.ingest(&dict, None).unwrap().accepted, 4);
    // Row by row: a fourth MOT, a third open journey.
    let mut t = Tracker::discovery(config.clone());
    for (j, m) in [("j1", "a"), ("j1", "b"), ("j2", "c")] {
        t.record(j, m, T0, true, None).unwrap();
    }
    let err = t.record("j2", "d", T0, true, None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Limit);
    let err = t.record("j3", "a", T0, true, None).unwrap_err();
    assert!(
        err.to_string().contains("`max_open_journeys` of `2`"),
        "{err}"
    );
    assert_eq!(t.interactions(), 3);
    // Merging: the union of open journeys is capped too.
    let mut other = Tracker::discovery(config.clone());
    other.record("j9", "a", T0, true, None).unwrap();
    let before = t.to_bytes();
    assert_eq!(t.merge(&other).unwrap_err().kind(), ErrorKind::Limit);
    assert_eq!(t.to_bytes(), before);
    // Decoding: the bytes, their MOT ids and open journeys.
    let bytes = t.to_bytes();
    let tiny = Limits {
        max_state_bytes: 10,
        ..Limits::default()
    };
    assert_eq!(
        Tracker::from_bytes_with(&bytes, &tiny).unwrap_err().kind(),
        ErrorKind::Limit
    );
    let two = Limits {
        max_mots: 2,
        ..Limits::default()
    };
    assert_eq!(
        Tracker::from_bytes_with(&bytes, &two).unwrap_err().kind(),
        ErrorKind::Limit
    );
    let one = Limits {
        max_open_journeys: 1,
        ..Limits::default()
    };
    assert_eq!(
        Tracker::from_bytes_with(&bytes, &one).unwrap_err().kind(),
        ErrorKind::Limit
    );
    let back = Tracker::from_bytes_with(&bytes, &limits).unwrap();
    assert_eq!(back.config().limits, limits);
}

/// Rows `(journey, mot, ts, success, cost, outcome)` with every kind of bad
/// value: an empty journey id (12), an unknown (5) or empty (6) MOT, a
/// timestamp out of range, a negative or NaN cost.
#[allow(clippy::type_complexity)]
fn messy_log() -> impl Strategy<Value = Vec<(u8, u8, i64, bool, u8, Option<bool>)>> {
    prop::collection::vec(
        (
            prop_oneof![9 => 0u8..8, 1 => Just(12u8)],
            0u8..7,
            prop_oneof![9 => 0i64..400_000, 1 => Just(i64::MAX / 2)],
            any::<bool>(),
            0u8..5,
            prop::option::of(any::<bool>()),
        ),
        0..60,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The row API and columnar ingest apply one set of checks, in one
    /// order: on any log, good or bad, they give the same dashboard.
    #[test]
    fn row_api_equals_columnar_ingest(rows in messy_log()) {
        let x = sample::airline();
        let names = ["search-book", "check-in", "bag-drop", "lounge", "flight", "teleport", ""];
        let journey = |j: u8| if j == 12 { String::new() } else { format!("j{j}") };
        let cost_of = |c: u8| [None, Some(1.5), Some(-1.0), Some(f64::NAN), Some(0.0)][c as usize];
        // Outcomes: the first given for a journey (with an id) counts.
        let mut outcome: std::collections::BTreeMap<String, bool> = Default::default();
        for r in &rows {
            if let (Some(o), false) = (r.5, r.0 == 12) {
                outcome.entry(journey(r.0)).or_insert(o);
            }
        }

        // A live stream arrives in time order (ties in row order): so do the
        // interactions the detectors see in a columnar call.
        let mut in_time = rows.clone();
        in_time.sort_by_key(|r| r.2);
        let mut by_rows = Tracker::new(&x, TrackerConfig::default());
        for r in &in_time {
            let extra = Extra { cost: cost_of(r.4), value: None, producer: None };
            by_rows.record(journey(r.0).as_str(), names[r.1 as usize], T0 + r.2, r.3, Some(extra)).unwrap();
        }
        for (j, o) in &outcome {
            by_rows.close_journey(j.as_str(), Some(*o), None).unwrap();
        }
        by_rows.close_open_journeys();

        let journeys: Vec<String> = rows.iter().map(|r| journey(r.0)).collect();
        let journeys: Vec<&str> = journeys.iter().map(String::as_str).collect();
        let mots: Vec<&str> = rows.iter().map(|r| names[r.1 as usize]).collect();
        let ts: Vec<i64> = rows.iter().map(|r| T0 + r.2).collect();
        let ok: Vec<bool> = rows.iter().map(|r| r.3).collect();
        let cost: Vec<f64> = rows.iter().map(|r| cost_of(r.4).unwrap_or(0.0)).collect();
        let cost_valid: Vec<bool> = rows.iter().map(|r| cost_of(r.4).is_some()).collect();
        let mut events = Columns::new(Ids::Str(&journeys), Ids::Str(&mots), &ts, &ok);
        events.cost = Some(&cost);
        events.cost_valid = Validity::Bools(&cost_valid);
        let oj: Vec<&str> = outcome.keys().map(String::as_str).collect();
        let os: Vec<bool> = outcome.values().copied().collect();
        let mut by_columns = Tracker::new(&x, TrackerConfig::default());
        by_columns.ingest(&events, Some(&OutcomeColumns::new(Ids::Str(&oj), &os))).unwrap();

        prop_assert_eq!(by_rows.rejected(), by_columns.rejected());
        assert_close(&dashboard(&by_rows, Some(&x)), &dashboard(&by_columns, Some(&x)), "rows vs columns");
        prop_assert_eq!(by_rows.drain_alarms(), by_columns.drain_alarms());
    }
}

mod bulk;
mod real_log;
