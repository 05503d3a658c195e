//! The bad-input catalogue (`tests/bad-inputs/catalogue.json`, rendered in
//! `docs/bad-inputs.md`): every kind of bad input gets the answer the
//! catalogue says — an error of a kind, or its rows rejected by reason and
//! the rest accepted — and never a panic. The Python and JavaScript suites
//! walk the same file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::collections::BTreeMap;

use mot_core::csv::{EventTable, OutcomeTable};
use mot_core::events::{BadRows, ReadOptions};
use mot_core::{Dashboard, DashboardOptions, Error, Experience, Tracker, TrackerConfig};
use serde_json::Value;

fn catalogue() -> Vec<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/bad-inputs/catalogue.json"
    );
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["entries"].as_array().unwrap().clone()
}

fn base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in text.bytes().filter(|&c| c != b'=') {
        acc = (acc << 6) | ALPHABET.iter().position(|&a| a == c).unwrap() as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

/// The input's bytes: literal text, base64, or generated.
fn bytes(input: &Value) -> Vec<u8> {
    if let Some(t) = input["text"].as_str() {
        return t.as_bytes().to_vec();
    }
    if let Some(b) = input["base64"].as_str() {
        return base64(b);
    }
    if let Some(n) = input["many_mots"].as_u64() {
        let mut s = String::from("journey_id,mot_id,timestamp,success\n");
        for i in 0..n {
            s.push_str(&format!("j{i},m{i},1795392000,true\n"));
        }
        return s.into_bytes();
    }
    panic!("unknown input {input}")
}

/// A catalogue column (`{"type", "values"}`) as a Rust program holds one:
/// values and which are present ("NaN" stands for a float NaN).
struct Col {
    kind: String,
    values: Vec<Value>,
}

impl Col {
    fn of(spec: &Value) -> Col {
        Col {
            kind: spec["type"].as_str().unwrap().to_string(),
            values: spec["values"].as_array().unwrap().clone(),
        }
    }
    fn present(&self) -> Vec<bool> {
        self.values.iter().map(|v| !v.is_null()).collect()
    }
    fn texts(&self) -> Vec<&str> {
        self.values
            .iter()
            .map(|v| v.as_str().unwrap_or(""))
            .collect()
    }
    fn floats(&self) -> Vec<f64> {
        self.values
            .iter()
            .map(|v| match v {
                Value::String(s) if s == "NaN" => f64::NAN,
                v => v.as_f64().unwrap_or(0.0),
            })
            .collect()
    }
}

/// Interactions (and outcomes) given as columns, read by the core's value
/// rules (`mot_core::input::values`) as every binding reads its own.
fn run_columns(entry: &Value) -> Answer {
    use mot_core::input::values::{TimeReader, flag_from_int, timestamp_from_f64};
    use mot_core::{Columns, Ids, OutcomeColumns, RejectReason, TimeUnit, Validity};
    let input = &entry["input"];
    let col = |name: &str| input["columns"].get(name).map(Col::of);
    let (j, m, t) = (
        col("journey_id").unwrap(),
        col("mot_id").unwrap(),
        col("timestamp").unwrap(),
    );
    let n = t.values.len();
    let mut unreadable: Vec<Option<RejectReason>> = vec![None; n];
    let (jt, mt) = (j.texts(), m.texts());
    let (jv, mv) = (j.present(), m.present());
    // Timestamps.
    let mut tv = t.present();
    let (ts, unit): (Vec<i64>, TimeUnit) = match t.kind.as_str() {
        "int" => (
            t.values.iter().map(|v| v.as_i64().unwrap_or(0)).collect(),
            TimeUnit::Seconds,
        ),
        "float" => {
            let mut out = vec![0; n];
            for (i, x) in t.floats().into_iter().enumerate() {
                match timestamp_from_f64(x) {
                    Ok(Some(v)) => out[i] = v,
                    Ok(None) => tv[i] = false,
                    Err(r) => unreadable[i] = unreadable[i].or(Some(r)),
                }
            }
            (out, TimeUnit::Seconds)
        }
        "string" => {
            let reader = TimeReader::new(TimeUnit::Seconds, None).unwrap();
            let mut out = vec![0; n];
            for (i, s) in t.texts().into_iter().enumerate() {
                match reader.read(s) {
                    Ok(v) => out[i] = v,
                    Err(r) => unreadable[i] = unreadable[i].or(Some(r)),
                }
            }
            (out, TimeUnit::Nanos)
        }
        other => panic!("timestamp type {other}"),
    };
    // Success flags.
    let success = col("success").map(|s| {
        let mut valid = s.present();
        let flags: Vec<bool> = s
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| match (s.kind.as_str(), v) {
                (_, Value::Null) => {
                    valid[i] = false;
                    false
                }
                ("bool", v) => v.as_bool().unwrap(),
                ("int" | "uint8", v) => flag_from_int(v.as_i64().unwrap()).unwrap_or_else(|r| {
                    unreadable[i] = unreadable[i].or(Some(r));
                    false
                }),
                (kind, _) => panic!("success type {kind}"),
            })
            .collect();
        (flags, valid)
    });
    let cost = col("cost").map(|c| (c.floats(), c.present()));
    let mut cols = Columns::without_success(Ids::Str(&jt), Ids::Str(&mt), &ts);
    cols.journey_valid = Validity::Bools(&jv);
    cols.mot_valid = Validity::Bools(&mv);
    cols.timestamp_valid = Validity::Bools(&tv);
    cols.time_unit = unit;
    if let Some((flags, valid)) = &success {
        cols.success = Some(flags);
        cols.success_valid = Validity::Bools(valid);
    }
    if let Some((values, valid)) = &cost {
        cols.cost = Some(values);
        cols.cost_valid = Validity::Bools(valid);
    }
    if unreadable.iter().any(Option::is_some) {
        cols.unreadable = Some(&unreadable);
    }
    // Outcomes: an SCO flag no rule reads is missing.
    let out = input.get("outcomes").map(|o| {
        let j = Col::of(&o["journey_id"]);
        let s = Col::of(&o["sco"]);
        let flags: Vec<Option<bool>> = s
            .values
            .iter()
            .map(|v| match v {
                Value::Bool(b) => Some(*b),
                v => v.as_i64().and_then(|x| flag_from_int(x).ok()),
            })
            .collect();
        (j, flags)
    });
    let out_texts: Option<Vec<&str>> = out.as_ref().map(|(j, _)| j.texts());
    let out_flags: Option<(Vec<bool>, Vec<bool>)> = out.as_ref().map(|(_, f)| {
        (
            f.iter().map(|x| x.unwrap_or(false)).collect(),
            f.iter().map(Option::is_some).collect(),
        )
    });
    let outcomes = match (&out_texts, &out_flags) {
        (Some(j), Some((sco, valid))) => {
            let mut o = OutcomeColumns::new(Ids::Str(j), sco);
            o.sco_valid = Validity::Bools(valid);
            Some(o)
        }
        _ => None,
    };
    let x = mot_core::sample::airline();
    let experience = entry["bound"].as_bool().unwrap().then_some(&x);
    let mut t = Tracker::with_config(experience, TrackerConfig::default()).unwrap();
    t.ingest(&cols, outcomes.as_ref()).map_err(|e| error(&e))?;
    let d = Dashboard::build(&t, experience, &DashboardOptions::default()).unwrap();
    let rejected = d
        .rejected
        .nonzero()
        .map(|(r, n)| (r.as_str().to_string(), n))
        .collect();
    Ok((d.amount.interactions, rejected))
}

/// What the library answered: `Err(kind, reason)` or `Ok(accepted, rejected)`.
type Answer = Result<(u64, BTreeMap<String, u64>), (String, Option<String>, Option<String>)>;

fn error(e: &Error) -> (String, Option<String>, Option<String>) {
    (
        e.kind().as_str().to_string(),
        e.reject_reason().map(|r| r.as_str().to_string()),
        e.path().map(str::to_string),
    )
}

fn run(entry: &Value) -> Answer {
    let input = &entry["input"];
    match entry["via"].as_str().unwrap() {
        "experience" => {
            let text = String::from_utf8(bytes(input)).unwrap();
            Experience::from_json(&text)
                .map(|_| (0, BTreeMap::new()))
                .map_err(|e| error(&e))
        }
        "columns" => run_columns(entry),
        "csv" => {
            let bad_rows: BadRows = entry["bad_rows"].as_str().unwrap().parse().unwrap();
            let options = ReadOptions {
                bad_rows,
                ..ReadOptions::default()
            };
            let events = bytes(input);
            let e = EventTable::read(&events[..], "events.csv", &options).map_err(|e| error(&e))?;
            let o = entry["outcomes"]
                .as_str()
                .map(|t| OutcomeTable::read(t.as_bytes(), "outcomes.csv", &options))
                .transpose()
                .map_err(|e| error(&e))?;
            let x = mot_core::sample::airline();
            let experience = entry["bound"].as_bool().unwrap().then_some(&x);
            let config = TrackerConfig {
                bad_rows,
                ..TrackerConfig::default()
            };
            let mut t = Tracker::with_config(experience, config).unwrap();
            t.ingest_table(&e, o.as_ref()).map_err(|e| error(&e))?;
            let d = Dashboard::build(&t, experience, &DashboardOptions::default()).unwrap();
            let rejected = d
                .rejected
                .nonzero()
                .map(|(r, n)| (r.as_str().to_string(), n))
                .collect();
            Ok((d.amount.interactions, rejected))
        }
        "state" => Tracker::from_bytes(&bytes(input))
            .map(|_| (0, BTreeMap::new()))
            .map_err(|e| error(&e)),
        "merge" => {
            let mut a = Tracker::from_bytes(&bytes(input)).unwrap();
            let b = Tracker::from_bytes(&base64(input["other"].as_str().unwrap())).unwrap();
            let before = a.to_bytes();
            let result = a
                .merge(&b)
                .map(|()| (0, BTreeMap::new()))
                .map_err(|e| error(&e));
            if result.is_err() {
                assert_eq!(a.to_bytes(), before, "a failed merge changes nothing");
            }
            result
        }
        via => panic!("unknown via `{via}`"),
    }
}

fn check(entry: &Value, got: &Answer) -> Result<(), String> {
    let want = &entry["expect"];
    match (want["error"].as_str(), got) {
        (Some(kind), Err((k, reason, path))) => {
            if let Some(p) = want["path"].as_str() {
                if path.as_deref() != Some(p) {
                    return Err(format!("want path `{p}`, got {path:?}"));
                }
            }
            if k != kind {
                return Err(format!("want error `{kind}`, got `{k}`"));
            }
            if let Some(r) = want["reason"].as_str() {
                if reason.as_deref() != Some(r) {
                    return Err(format!("want reason `{r}`, got {reason:?}"));
                }
            }
            Ok(())
        }
        (Some(kind), Ok(_)) => Err(format!("want error `{kind}`, got a result")),
        (None, Err(e)) => Err(format!("want a result, got error {e:?}")),
        (None, Ok((accepted, rejected))) => {
            if let Some(n) = want["accepted"].as_u64() {
                if n != *accepted {
                    return Err(format!("want {n} accepted, got {accepted}"));
                }
            }
            if let Some(r) = want["rejected"].as_object() {
                let r: BTreeMap<String, u64> = r
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
                    .collect();
                if &r != rejected {
                    return Err(format!("want rejected {r:?}, got {rejected:?}"));
                }
            }
            Ok(())
        }
    }
}

#[test]
fn every_bad_input_gets_its_answer() {
    let entries = catalogue();
    assert!(
        entries.len() >= 40,
        "the catalogue has {} kinds",
        entries.len()
    );
    let mut failures = Vec::new();
    for entry in &entries {
        let got = std::panic::catch_unwind(|| run(entry)).map_err(|_| "panicked".to_string());
        let verdict = got.and_then(|g| check(entry, &g));
        if let Err(why) = verdict {
            failures.push(format!("{}: {why}", entry["id"].as_str().unwrap()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {}:\n{}",
        failures.len(),
        entries.len(),
        failures.join("\n")
    );
}

#[test]
fn ten_million_distinct_mot_ids_are_a_limit_error_not_an_allocation() {
    // Discovery mode, 10^7 distinct MOT ids in one column: refused before
    // anything is registered.
    let n = 10_000_000usize;
    let names: Vec<String> = (0..n).map(|i| format!("m{i}")).collect();
    let mots: Vec<&str> = names.iter().map(String::as_str).collect();
    let journeys: Vec<u64> = (0..n as u64).collect();
    let ts = vec![1_795_392_000i64; n];
    let ok = vec![true; n];
    let cols = mot_core::Columns::new(
        mot_core::Ids::U64(&journeys),
        mot_core::Ids::Str(&mots),
        &ts,
        &ok,
    );
    let mut t = Tracker::discovery(TrackerConfig::default());
    let err = t.ingest(&cols, None).unwrap_err();
    assert_eq!(err.kind(), mot_core::ErrorKind::Limit);
    assert_eq!(t.interactions(), 0);
}

#[test]
fn the_docs_list_every_kind() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/bad-inputs.md");
    let doc = std::fs::read_to_string(path).unwrap();
    for entry in catalogue() {
        let id = entry["id"].as_str().unwrap();
        assert!(
            doc.contains(&format!("`{id}`")),
            "docs/bad-inputs.md does not list `{id}`"
        );
    }
}
