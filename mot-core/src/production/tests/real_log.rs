//! The columnar fast path on a real log: the public helpdesk log
//! (`tests/real-logs/`) handed over as a warehouse or a dataframe would hand
//! it over — integer case ids, sorted; MOTs as dictionary codes;
//! nanoseconds; no success column — must be read by the fast path and give
//! exactly what the general path gives, and pm4py's counts.

use std::path::Path;

use super::super::Tracker;
use crate::TrackerConfig;
use crate::csv::EventTable;
use crate::events::{ColumnNames, Columns, Ids, Key, ReadOptions, TimeUnit, Validity};
use crate::{Dashboard, DashboardOptions};

fn dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/real-logs")
}

/// The helpdesk log's columns as the fast path takes them: each case id
/// numbered by its rank among the case ids, rows sorted by that number
/// (a stable sort: a journey's rows keep the file's order).
struct Handed {
    journeys: Vec<u64>,
    codes: Vec<u32>,
    names: Vec<String>,
    timestamps: Vec<i64>,
}

fn helpdesk() -> Handed {
    let options = ReadOptions {
        names: ColumnNames::preset("pm4py").unwrap(),
        ..ReadOptions::default()
    };
    let file = std::fs::File::open(dir().join("helpdesk.xes.gz")).unwrap();
    let table = EventTable::read_any(file, "helpdesk.xes.gz", &options).unwrap();
    assert!(table.rejected().is_empty());
    table.with_columns(|c| {
        assert_eq!(c.time_unit, TimeUnit::Nanos);
        assert!(c.success.is_none(), "the log has no success flag");
        let case = |r: usize| match c.journey.get(r) {
            Some(Key::Str(s)) => s.to_string(),
            other => panic!("case id {other:?}"),
        };
        let ids: Vec<String> = (0..c.len()).map(case).collect();
        let mut distinct = ids.clone();
        distinct.sort();
        distinct.dedup();
        let number = |s: &String| distinct.binary_search(s).unwrap() as u64;
        let mut order: Vec<usize> = (0..c.len()).collect();
        order.sort_by_key(|&r| number(&ids[r]));
        let Ids::Dict { codes, values } = c.mot else {
            panic!("MOTs as codes")
        };
        Handed {
            journeys: order.iter().map(|&r| number(&ids[r])).collect(),
            codes: order.iter().map(|&r| codes[r]).collect(),
            names: values.iter().map(|s| s.to_string()).collect(),
            timestamps: order.iter().map(|&r| c.timestamp[r]).collect(),
        }
    })
}

#[test]
fn helpdesk_through_the_fast_path_equals_the_general_path() {
    let h = helpdesk();
    let names: Vec<&str> = h.names.iter().map(String::as_str).collect();
    let all = vec![true; h.journeys.len()];
    let want: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir().join("helpdesk.expected.json")).unwrap(),
    )
    .unwrap();
    let happy: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir().join("helpdesk.alignments.json")).unwrap(),
    )
    .unwrap();
    let designed: Vec<String> = happy["designed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect();
    let options = DashboardOptions {
        top_variants: 100_000,
        ..DashboardOptions::default()
    };
    for designed in [Vec::new(), designed] {
        let config = TrackerConfig {
            designed,
            threads: 1,
            ..TrackerConfig::default()
        };
        let read = |general: bool| {
            let mut c = Columns::without_success(
                Ids::U64(&h.journeys),
                Ids::Dict {
                    codes: &h.codes,
                    values: &names,
                },
                &h.timestamps,
            );
            c.time_unit = TimeUnit::Nanos;
            let mut t = Tracker::discovery(config.clone());
            if general {
                // The same rows with a validity mask: the general path.
                c.journey_valid = Validity::Bools(&all);
                t.ingest(&c, None).unwrap();
            } else {
                let read = t.ingest_sorted(&c, None).expect("the fast path takes it");
                assert_eq!(read.unwrap().rejected, 0);
            }
            t
        };
        let (fast, general) = (read(false), read(true));
        assert_eq!(fast.agg, general.agg);
        let d = |t: &Tracker| Dashboard::build(t, None, &options).unwrap();
        let (d_fast, d_general) = (d(&fast), d(&general));
        assert_eq!(d_fast.to_json(), d_general.to_json());
        // And pm4py's counts (the file's own figures, independent of ours).
        assert_eq!(d_fast.amount.journeys, want["cases"].as_u64().unwrap());
        assert_eq!(d_fast.amount.interactions, want["events"].as_u64().unwrap());
        let variants = want["variants"].as_array().unwrap();
        assert_eq!(d_fast.variants.distinct, Some(variants.len() as u64));
        let top = variants.iter().map(|v| v["count"].as_u64().unwrap()).max();
        assert_eq!(d_fast.variants.top.first().map(|v| v.count), top);
    }
}
