//! Bulk reads against the general path: the columnar fast path (clean
//! reads, integer journey ids sorted), the detectors' grouped words and
//! their sorts, and reads in parts on several threads — each must give
//! exactly what reading the same rows one by one gives.

use proptest::prelude::*;

use super::*;

/// Rows `(journey, mot code, ts offset, success, cost)` sorted by journey,
/// and outcomes `(journey, sco, value)` sorted by journey.
#[allow(clippy::type_complexity)]
fn sorted_log() -> impl Strategy<Value = (Vec<(u64, u32, i64, bool, f64)>, Vec<(u64, bool, f64)>)> {
    let cost = prop_oneof![8 => 0.0f64..100.0, 1 => Just(-1.0), 1 => Just(f64::NAN)];
    let ts = prop_oneof![9 => 0i64..300_000, 1 => Just(99_999_999_999i64)];
    let rows = prop::collection::vec((0u64..15, 0u32..6, ts, any::<bool>(), cost), 0..60);
    let value = prop_oneof![9 => 0.0f64..1000.0, 1 => Just(f64::INFINITY)];
    let outs = prop::collection::vec((0u64..18, any::<bool>(), value), 0..20);
    (rows, outs).prop_map(|(mut rows, mut outs)| {
        rows.sort_by_key(|r| r.0); // stable: keeps the random order within a journey
        outs.sort_by_key(|o| o.0);
        (rows, outs)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn fast_path_equals_general_path((rows, outs) in sorted_log(), bound in any::<bool>(), remember in any::<bool>()) {
        let journeys: Vec<u64> = rows.iter().map(|r| r.0).collect();
        // Codes 0..4 name sample MOTs; 4 is unknown to the experience, 5 is empty.
        let values = ["check-in", "bag-drop", "boarding-gate", "flight", "teleport", ""];
        let codes: Vec<u32> = rows.iter().map(|r| r.1).collect();
        let ts: Vec<i64> = rows.iter().map(|r| T0 + r.2).collect();
        let ok: Vec<bool> = rows.iter().map(|r| r.3).collect();
        let cost: Vec<f64> = rows.iter().map(|r| r.4).collect();
        let oj: Vec<u64> = outs.iter().map(|o| o.0).collect();
        let os: Vec<bool> = outs.iter().map(|o| o.1).collect();
        let ov: Vec<f64> = outs.iter().map(|o| o.2).collect();
        let all_valid = vec![true; rows.len()];
        let x = sample::airline();
        let config = TrackerConfig { remember_closed: remember, ..TrackerConfig::default() };
        // The same MOT ids as plain text: the fast path dictionary-encodes them.
        let text: Vec<&str> = codes.iter().map(|&c| values[c as usize]).collect();
        // And as integers (signed, some negative): the fast path encodes those too.
        let ints: Vec<i64> = codes.iter().map(|&c| i64::from(c) * 7 - 20).collect();
        let run_as = |general: bool, mot: Ids<'_>| {
            let mut c = Columns::new(Ids::U64(&journeys), mot, &ts, &ok);
            c.cost = Some(&cost);
            if general {
                // A mask the fast path does not take, meaning the same.
                c.journey_valid = Validity::Bools(&all_valid);
            }
            let mut o = OutcomeColumns::new(Ids::U64(&oj), &os);
            o.value = Some(&ov);
            let mut t = if bound { Tracker::new(&x, config.clone()) } else { Tracker::discovery(config.clone()) };
            let s1 = t.ingest(&c, Some(&o)).unwrap();
            // A second call sees the first one's journeys as closed.
            let s2 = t.ingest(&c, Some(&o)).unwrap();
            (t, s1, s2)
        };
        let dict = Ids::Dict { codes: &codes, values: &values };
        let (fast, f1, f2) = run_as(false, dict);
        let (general, g1, g2) = run_as(true, dict);
        let (encoded, e1, e2) = run_as(false, Ids::Str(&text));
        let (int_fast, i1, i2) = run_as(false, Ids::I64(&ints));
        let (int_general, j1, j2) = run_as(true, Ids::I64(&ints));
        prop_assert_eq!((i1, i2), (j1, j2));
        prop_assert_eq!(&int_fast.registry, &int_general.registry);
        prop_assert_eq!(&int_fast.agg, &int_general.agg);
        // Small non-negative codes: the flat table of the encoding.
        let codes64: Vec<u64> = codes.iter().map(|&c| u64::from(c) * 3).collect();
        let (flat_fast, k1, k2) = run_as(false, Ids::U64(&codes64));
        let (flat_general, l1, l2) = run_as(true, Ids::U64(&codes64));
        prop_assert_eq!((k1, k2), (l1, l2));
        prop_assert_eq!(&flat_fast.registry, &flat_general.registry);
        prop_assert_eq!(&flat_fast.agg, &flat_general.agg);
        // `u32` codes, sparse (most codes below the largest unused): the
        // fast path reads them as their own codes below 2^16, and encodes
        // larger ones.
        for step in [1_000, 20_000] {
            let codes32: Vec<u32> = codes.iter().map(|&c| c * step + 7).collect();
            let (own_fast, m1, m2) = run_as(false, Ids::U32(&codes32));
            let (own_general, n1, n2) = run_as(true, Ids::U32(&codes32));
            prop_assert_eq!((m1, m2), (n1, n2));
            prop_assert_eq!(&own_fast.registry, &own_general.registry);
            prop_assert_eq!(&own_fast.agg, &own_general.agg);
        }
        // `u16` codes: read as they lie on both paths (the fast one
        // widens them only for the detectors).
        let codes16: Vec<u16> = codes.iter().map(|&c| (c * 1_000 + 7) as u16).collect();
        let (short_fast, p1, p2) = run_as(false, Ids::U16(&codes16));
        let (short_general, q1, q2) = run_as(true, Ids::U16(&codes16));
        prop_assert_eq!((p1, p2), (q1, q2));
        prop_assert_eq!(&short_fast.registry, &short_general.registry);
        prop_assert_eq!(&short_fast.agg, &short_general.agg);
        prop_assert_eq!(f1, g1);
        prop_assert_eq!(f2, g2);
        prop_assert_eq!(&fast.registry, &general.registry);
        prop_assert_eq!(&fast.agg, &general.agg);
        prop_assert_eq!((e1, e2), (g1, g2));
        prop_assert_eq!(&encoded.registry, &general.registry);
        prop_assert_eq!(&encoded.agg, &general.agg);
    }
}

proptest! {
    /// The detectors' bucketed sort orders interactions exactly as a plain
    /// sort by (time, row) does, ties and spread included.
    #[test]
    fn bucketed_time_sort_equals_a_plain_sort(
        times in prop::collection::vec(prop_oneof![0i64..50, -1_000_000_000i64..1_000_000_000, Just(i64::MAX / 4)], 0..300),
    ) {
        let batch: Vec<Detection> = times
            .iter()
            .enumerate()
            .map(|(row, &ns)| Detection { ns, row: row as u32, mot: row as u32 % 7 })
            .collect();
        let mut want: Vec<(i64, u32)> = batch.iter().map(|d| d.key()).collect();
        want.sort_unstable();
        let got: Vec<(i64, u32)> = super::detect::sort_by_time(batch).iter().map(|d| d.key()).collect();
        prop_assert_eq!(got, want);
    }
}

proptest! {
    /// The detectors' radix sort of packed words is a stable sort on the
    /// time bits: ties keep their order, every width of key and payload.
    #[test]
    fn radix_word_sort_equals_a_stable_sort(
        keys in prop::collection::vec(prop_oneof![0u64..8, 0u64..5_000, any::<u64>()], 0..400),
        shift in 1u32..40,
    ) {
        let bits = 64 - shift;
        let words: Vec<u64> = keys
            .iter()
            .enumerate()
            .map(|(i, &k)| {
                let k = if bits == 64 { k } else { k & ((1 << bits) - 1) };
                k << shift | (i as u64 & ((1 << shift) - 1))
            })
            .collect();
        let mut want = words.clone();
        want.sort_by_key(|w| w >> shift); // stable
        let (mut got, mut room) = (words, Vec::new());
        super::detect::sort_words(&mut got, &mut room, shift, bits);
        prop_assert_eq!(got, want);
    }
}

/// Detectors on a clean columnar call (interactions grouped by MOT in
/// packed words) fire exactly as on the general path (one record per
/// interaction), alarm for alarm and in the same order — with many alarms,
/// ties in time across MOTs, and a span too wide for a word (nanoseconds
/// over months), which falls back to records; and every count (the day
/// table in seconds, milliseconds and nanoseconds) equal.
#[test]
fn grouped_detections_equal_the_general_path() {
    let (x, log) = airline_log(3_000, 5);
    let mut order: Vec<usize> = (0..log.len()).collect();
    order.sort_by_key(|&i| log.journey[i]);
    let bag = log.mot_ids.iter().position(|m| m == "bag-drop").unwrap() as u32;
    let journeys: Vec<u64> = order.iter().map(|&i| log.journey[i]).collect();
    let codes: Vec<u32> = order.iter().map(|&i| log.mot[i]).collect();
    // Times to the hour: many ties, within and across MOTs.
    let hours: Vec<i64> = order
        .iter()
        .map(|&i| log.timestamp[i] / 3600 * 3600)
        .collect();
    // Bag drop fails every other time in the second half of the log.
    let mid = hours.iter().sum::<i64>() / hours.len() as i64;
    let ok: Vec<bool> = order
        .iter()
        .zip(&hours)
        .enumerate()
        .map(|(r, (&i, &t))| log.success[i] && !(codes[r] == bag && t > mid && r % 2 == 0))
        .collect();
    let names: Vec<&str> = log.mot_ids.iter().map(String::as_str).collect();
    let all = vec![true; journeys.len()];
    // Milliseconds off the hour (a day table in any unit), and nanoseconds.
    let millis: Vec<i64> = hours.iter().map(|t| t * 1_000 + t % 997).collect();
    let nanos: Vec<i64> = hours.iter().map(|t| t * 1_000_000_000).collect();
    // A millisecond either side of midnight, over 50 days.
    let midnight = T0 / 86_400 * 86_400_000;
    let around: Vec<i64> = (0..hours.len() as i64)
        .map(|r| midnight + (r % 50) * 86_400_000 + r % 3 - 1)
        .collect();
    let units = [
        (&hours, TimeUnit::Seconds),
        (&millis, TimeUnit::Millis),
        (&around, TimeUnit::Millis),
        (&nanos, TimeUnit::Nanos),
    ];
    for (ts, unit) in units {
        let run = |general: bool| {
            let mut t = Tracker::new(&x, TrackerConfig::default());
            let dict = Ids::Dict {
                codes: &codes,
                values: &names,
            };
            let mut c = Columns::new(Ids::U64(&journeys), dict, ts, &ok);
            c.time_unit = unit;
            if general {
                c.journey_valid = Validity::Bools(&all);
            }
            t.ingest(&c, None).unwrap();
            t
        };
        let (mut grouped, mut general) = (run(false), run(true));
        let alarms = grouped.drain_alarms();
        assert!(alarms.len() > 3, "{unit:?}: {} alarms", alarms.len());
        assert_eq!(alarms, general.drain_alarms(), "{unit:?}");
        assert_eq!(grouped.agg, general.agg, "{unit:?}");
    }
}

/// A clean bulk read (every row accepted) takes the columnar route: row
/// counts in passes of their own, transitions through a [`super::chain::Chain`],
/// durations queued and counted per edge, variants added in a batch. It
/// must give exactly what the general path gives, with a design, with
/// detectors, with an SCO rule, per week, with journeys out of time order
/// and over two calls.
#[test]
fn clean_bulk_reads_equal_the_general_path() {
    let (x, log) = airline_log(1_500, 11);
    let mut order: Vec<usize> = (0..log.len()).collect();
    order.sort_by_key(|&i| (log.journey[i], log.timestamp[i]));
    // Every seventh journey's rows reversed: out of time order.
    let mut k = 0;
    while k < order.len() {
        let j = log.journey[order[k]];
        let mut end = k;
        while end < order.len() && log.journey[order[end]] == j {
            end += 1;
        }
        if j % 7 == 0 {
            order[k..end].reverse();
        }
        k = end;
    }
    let pick = |v: &[i64]| order.iter().map(|&i| v[i]).collect::<Vec<_>>();
    let journeys: Vec<u64> = order.iter().map(|&i| log.journey[i]).collect();
    let codes: Vec<u32> = order.iter().map(|&i| log.mot[i]).collect();
    let ts = pick(&log.timestamp);
    let ok: Vec<bool> = order.iter().map(|&i| log.success[i]).collect();
    let cost: Vec<f64> = order.iter().map(|&i| log.cost[i]).collect();
    let names: Vec<&str> = log.mot_ids.iter().map(String::as_str).collect();
    let all = vec![true; journeys.len()];
    let mut o: Vec<usize> = (0..log.outcome_journey.len()).collect();
    o.sort_by_key(|&i| log.outcome_journey[i]);
    let oj: Vec<u64> = o.iter().map(|&i| log.outcome_journey[i]).collect();
    let os: Vec<bool> = o.iter().map(|&i| log.outcome_sco[i]).collect();
    let ov: Vec<f64> = o.iter().map(|&i| log.outcome_value[i]).collect();
    let half = journeys.partition_point(|&j| j < journeys[journeys.len() / 2]);
    let out_half = oj.partition_point(|&j| j < journeys[half]);
    let configs = [
        TrackerConfig::default(),
        TrackerConfig {
            period: Period::Week,
            remember_closed: false,
            ..TrackerConfig::default()
        },
        TrackerConfig {
            sco_reached: vec!["flight".into()],
            ..TrackerConfig::default()
        },
        // Periods of whole days (summed from the day table) and of hours.
        TrackerConfig {
            period: Period::Seconds(2 * 86_400),
            ..TrackerConfig::default()
        },
        TrackerConfig {
            period: Period::Seconds(6 * 3_600),
            ..TrackerConfig::default()
        },
    ];
    // One thread: reads in parts have a test of their own.
    for config in configs.map(|c| TrackerConfig { threads: 1, ..c }) {
        for bound in [true, false] {
            let run = |general: bool| {
                let mut t = if bound {
                    Tracker::new(&x, config.clone())
                } else {
                    Tracker::discovery(config.clone())
                };
                // Two calls, split between journeys.
                for (rows, outs) in [
                    (0..half, 0..out_half),
                    (half..journeys.len(), out_half..oj.len()),
                ] {
                    let dict = Ids::Dict {
                        codes: &codes[rows.clone()],
                        values: &names,
                    };
                    let mut c = Columns::new(
                        Ids::U64(&journeys[rows.clone()]),
                        dict,
                        &ts[rows.clone()],
                        &ok[rows.clone()],
                    );
                    c.cost = Some(&cost[rows.clone()]);
                    if general {
                        c.journey_valid = Validity::Bools(&all[rows.clone()]);
                    }
                    let mut oc =
                        OutcomeColumns::new(Ids::U64(&oj[outs.clone()]), &os[outs.clone()]);
                    oc.value = Some(&ov[outs]);
                    t.ingest(&c, Some(&oc)).unwrap();
                }
                t
            };
            let (mut fast, mut general) = (run(false), run(true));
            assert_eq!(fast.agg.interactions as usize, log.len());
            assert_eq!(fast.registry, general.registry);
            assert_eq!(fast.agg, general.agg, "bound {bound}, {config:?}");
            assert_eq!(fast.drain_alarms(), general.drain_alarms());
            let d = |t: &Tracker| {
                Dashboard::build(t, bound.then_some(&x), &DashboardOptions::default())
                    .unwrap()
                    .to_json()
            };
            assert_eq!(d(&fast), d(&general));
        }
    }
}

/// A large one-shot read is cut between journeys and read on threads
/// (`threads: 0`, or any number above 1): the dashboard is the one a single
/// pass gives — every count, and float sums to 1e-12 — with rows rejected,
/// outcomes without journeys and bound or discovery mode alike.
#[test]
fn reads_in_parts_equal_one_pass() {
    let (x, log) = airline_log(1_200, 5);
    let mut order: Vec<usize> = (0..log.len()).collect();
    order.sort_by_key(|&i| (log.journey[i], log.timestamp[i]));
    let journeys: Vec<u64> = order.iter().map(|&i| log.journey[i]).collect();
    let codes: Vec<u32> = order.iter().map(|&i| log.mot[i]).collect();
    let mut ts: Vec<i64> = order.iter().map(|&i| log.timestamp[i]).collect();
    let ok: Vec<bool> = order.iter().map(|&i| log.success[i]).collect();
    let mut cost: Vec<f64> = order.iter().map(|&i| log.cost[i]).collect();
    // A few bad rows: rejected by reason in whichever part they fall.
    ts[10] = i64::MAX;
    cost[2_000] = f64::NAN;
    let names: Vec<&str> = log.mot_ids.iter().map(String::as_str).collect();
    let mut o: Vec<usize> = (0..log.outcome_journey.len()).collect();
    o.sort_by_key(|&i| log.outcome_journey[i]);
    // Outcomes for journeys with no interactions, between and after them.
    let mut oj: Vec<u64> = o.iter().map(|&i| log.outcome_journey[i]).collect();
    oj.extend([u64::MAX - 1, u64::MAX - 1]);
    let mut os: Vec<bool> = o.iter().map(|&i| log.outcome_sco[i]).collect();
    os.extend([true, false]);
    let mut ov: Vec<f64> = o.iter().map(|&i| log.outcome_value[i]).collect();
    ov.extend([1.0, 2.0]);
    for bound in [true, false] {
        let dashboard = |threads: usize| {
            let config = TrackerConfig {
                threads,
                ..TrackerConfig::default()
            };
            let dict = Ids::Dict {
                codes: &codes,
                values: &names,
            };
            let mut c = Columns::new(Ids::U64(&journeys), dict, &ts, &ok);
            c.cost = Some(&cost);
            let mut oc = OutcomeColumns::new(Ids::U64(&oj), &os);
            oc.value = Some(&ov);
            // Without targets, so that no detector keeps the read whole.
            let spec = {
                let mut s = x.spec().clone();
                for m in &mut s.mots {
                    m.smoto.target_rate = None;
                }
                Experience::new(s).unwrap()
            };
            let mut t = Tracker::one_shot(bound.then_some(&spec), config).unwrap();
            let summary = t.ingest(&c, Some(&oc)).unwrap();
            let d =
                Dashboard::build(&t, bound.then_some(&spec), &DashboardOptions::default()).unwrap();
            (summary, t.rejected(), serde_json::to_value(&d).unwrap())
        };
        let one = dashboard(1);
        for threads in [2, 3, 7] {
            let parts = dashboard(threads);
            assert_eq!(parts.0, one.0, "{threads} threads");
            assert_eq!(parts.1, one.1);
            assert_close(&parts.2, &one.2, "");
        }
    }
}
