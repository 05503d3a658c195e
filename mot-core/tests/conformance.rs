//! The cross-language conformance fixtures in `tests/` at the repository
//! root: small inputs with outputs computed independently of this crate.
//! Python and JavaScript run the same fixtures through their bindings.
//!
//! Comparison: every field equal; numbers equal within
//! 1e-12 · max(1, |a|, |b|);
//! the `message` of a problem is not compared (its wording is pinned by
//! unit tests).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing fixture should stop loudly
use std::path::{Path, PathBuf};

use mot_core::{Experience, ExperienceSpec, diff};
use serde_json::{Value, json};

/// The case folders of a fixture family, sorted; at least three.
fn cases(family: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests")
        .join(family);
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 3, "fixtures missing: {cases:?}");
    cases
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Where `got` differs from `want`, if anywhere.
fn mismatch(want: &Value, got: &Value, at: &str) -> Option<String> {
    match (want, got) {
        (Value::Number(a), Value::Number(b)) => {
            let (a, b) = (a.as_f64()?, b.as_f64()?);
            let tol = 1e-12 * a.abs().max(b.abs()).max(1.0);
            ((a - b).abs() > tol).then(|| format!("{at}: want {a:?}, got {b:?}"))
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Some(format!(
                    "{at}: want {} items, got {}\nwant {want}\n got {got}",
                    a.len(),
                    b.len()
                ));
            }
            a.iter()
                .zip(b)
                .enumerate()
                .find_map(|(i, (x, y))| mismatch(x, y, &format!("{at}[{i}]")))
        }
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            keys.into_iter().find_map(|k| match (a.get(k), b.get(k)) {
                (Some(x), Some(y)) => mismatch(x, y, &format!("{at}.{k}")),
                (Some(_), None) => Some(format!("{at}.{k}: missing")),
                (None, Some(y)) => Some(format!("{at}.{k}: unexpected {y}")),
                (None, None) => None,
            })
        }
        _ => (want != got).then(|| format!("{at}: want {want}, got {got}")),
    }
}

fn check(case: &str, want: &Value, got: &Value) {
    if let Some(m) = mismatch(want, got, case) {
        panic!("conformance case `{case}` differs: {m}");
    }
}

fn landscape_case(case: &str, dir: &Path, expected: &Value) {
    let x = Experience::from_json(&read(&dir.join("experience.json")))
        .unwrap_or_else(|e| panic!("{case}: {e}"));
    let mut got = serde_json::Map::new();
    got.insert("valid".into(), json!(true));
    let unexplained: Vec<&str> = x.unexplained_work().iter().map(|w| w.id.as_str()).collect();
    got.insert("unexplained".into(), json!(unexplained));
    got.insert(
        "cost_rollup".into(),
        serde_json::to_value(x.cost_rollup()).unwrap(),
    );
    let per_item = |key: &str, f: &dyn Fn(&str) -> Value| -> Value {
        let items = expected[key]
            .as_object()
            .unwrap_or_else(|| panic!("{case}: no `{key}`"));
        items
            .keys()
            .map(|w| (w.clone(), f(w)))
            .collect::<serde_json::Map<_, _>>()
            .into()
    };
    got.insert(
        "trace".into(),
        per_item("trace", &|w| {
            serde_json::to_value(x.trace(w).unwrap()).unwrap()
        }),
    );
    got.insert(
        "failure_impact".into(),
        per_item("failure_impact", &|w| {
            serde_json::to_value(x.failure_impact(w).unwrap()).unwrap()
        }),
    );
    let journey: Vec<&str> = x.designed_journey().iter().map(|m| m.id.as_str()).collect();
    got.insert("designed_journey".into(), json!(journey));
    let roles: serde_json::Map<String, Value> = x
        .spec()
        .people
        .iter()
        .map(|p| {
            let roles = serde_json::to_value(x.roles_of(p.id.as_str())).unwrap();
            (p.id.to_string(), roles)
        })
        .collect();
    got.insert("roles".into(), roles.into());
    check(case, expected, &Value::Object(got));
}

fn invalid_case(case: &str, dir: &Path, expected: &Value) {
    let err = Experience::from_json(&read(&dir.join("experience.json")))
        .expect_err("the fixture is invalid");
    assert_eq!(err.kind(), mot_core::ErrorKind::Invalid, "{case}: {err}");
    let mut problems = serde_json::to_value(err.problems()).unwrap();
    for p in problems.as_array_mut().unwrap() {
        let message = p.as_object_mut().unwrap().remove("message");
        assert!(message.is_some_and(|m| !m.as_str().unwrap().is_empty()));
    }
    check(
        case,
        expected,
        &json!({"valid": false, "problems": problems}),
    );
}

fn diff_case(case: &str, dir: &Path, expected: &Value) {
    let old = ExperienceSpec::from_json(&read(&dir.join("old.json"))).unwrap();
    let new = ExperienceSpec::from_json(&read(&dir.join("new.json"))).unwrap();
    Experience::new(old.clone()).unwrap();
    Experience::new(new.clone()).unwrap();
    let d = serde_json::to_value(diff(&old, &new)).unwrap();
    check(case, expected, &json!({"diff": d}));
}

#[test]
fn every_experience_fixture() {
    for dir in cases("experience") {
        let case = dir.file_name().unwrap().to_string_lossy().to_string();
        let expected = json(&dir.join("expected.json"));
        if dir.join("old.json").exists() {
            diff_case(&case, &dir, &expected);
        } else if expected["valid"] == json!(false) {
            invalid_case(&case, &dir, &expected);
        } else if expected["valid"] == json!(true) {
            landscape_case(&case, &dir, &expected);
        } else {
            panic!("{case}: unrecognised fixture layout");
        }
        eprintln!("conformance: {case} ok");
    }
}

#[test]
fn the_comparison_can_fail() {
    assert!(
        mismatch(
            &json!({"a": [1.0, 2.0]}),
            &json!({"a": [1.0, 2.000001]}),
            "x"
        )
        .is_some()
    );
    assert!(mismatch(&json!({"a": 1.0}), &json!({"a": 1.0 + 1e-15}), "x").is_none());
    assert!(mismatch(&json!({"a": 1}), &json!({"a": 1, "b": 2}), "x").is_some());
    assert!(mismatch(&json!(["a"]), &json!(["b"]), "x").is_some());
}

/// One CSV file of a dashboard fixture: header names and rows of fields,
/// an empty field meaning null.
struct Csv {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Csv {
    fn read(path: &Path) -> Csv {
        let text = read(path);
        let mut lines = text.lines().filter(|l| !l.is_empty());
        let header = lines.next().unwrap().split(',').map(String::from).collect();
        let rows = lines
            .map(|l| l.split(',').map(String::from).collect())
            .collect();
        Csv { header, rows }
    }

    fn column(&self, name: &str) -> Option<Vec<&str>> {
        let i = self.header.iter().position(|h| h == name)?;
        Some(
            self.rows
                .iter()
                .map(|r| r.get(i).map_or("", String::as_str))
                .collect(),
        )
    }
}

fn numbers(col: &[&str]) -> (Vec<f64>, Vec<bool>) {
    col.iter()
        .map(|s| (s.parse().unwrap_or(0.0), !s.is_empty()))
        .unzip()
}

fn flags(col: &[&str]) -> (Vec<bool>, Vec<bool>) {
    col.iter().map(|s| (*s == "true", !s.is_empty())).unzip()
}

/// Calls `f` with the columns of a `tests/dashboard/` case's log (and its
/// outcomes, when it has them).
fn with_columns<R>(
    dir: &Path,
    f: impl FnOnce(&mot_core::Columns<'_>, Option<&mot_core::OutcomeColumns<'_>>) -> R,
) -> R {
    use mot_core::{Columns, Ids, OutcomeColumns, Validity};
    let events = Csv::read(&dir.join("events.csv"));
    let journeys = events.column("journey_id").unwrap();
    let journey_valid: Vec<bool> = journeys.iter().map(|s| !s.is_empty()).collect();
    let mots = events.column("mot_id").unwrap();
    let mot_valid: Vec<bool> = mots.iter().map(|s| !s.is_empty()).collect();
    let ts_text = events.column("timestamp").unwrap();
    let ts: Vec<i64> = ts_text.iter().map(|s| s.parse().unwrap_or(0)).collect();
    let ts_valid: Vec<bool> = ts_text.iter().map(|s| !s.is_empty()).collect();
    let (ok, ok_valid) = flags(&events.column("success").unwrap());
    let (cost, cost_valid) = numbers(&events.column("cost").unwrap());
    let value = events.column("value").map(|c| numbers(&c));
    let producer = events.column("producer");
    let mut cols = Columns::new(Ids::Str(&journeys), Ids::Str(&mots), &ts, &ok);
    cols.journey_valid = Validity::Bools(&journey_valid);
    cols.mot_valid = Validity::Bools(&mot_valid);
    cols.timestamp_valid = Validity::Bools(&ts_valid);
    cols.success_valid = Validity::Bools(&ok_valid);
    cols.cost = Some(&cost);
    cols.cost_valid = Validity::Bools(&cost_valid);
    if let Some((v, valid)) = &value {
        cols.value = Some(v);
        cols.value_valid = Validity::Bools(valid);
    }
    if let Some(p) = &producer {
        cols.producer = Some(Ids::Str(p));
    }
    let out_csv = dir
        .join("outcomes.csv")
        .exists()
        .then(|| Csv::read(&dir.join("outcomes.csv")));
    let out_cols = out_csv.as_ref().map(|o| {
        let j = o.column("journey_id").unwrap();
        let jv: Vec<bool> = j.iter().map(|s| !s.is_empty()).collect();
        let (sco, sv) = flags(&o.column("sco").unwrap());
        let value = o.column("value").map(|c| numbers(&c));
        (j, jv, sco, sv, value)
    });
    let outcomes = out_cols.as_ref().map(|(j, jv, sco, sv, value)| {
        let mut oc = OutcomeColumns::new(Ids::Str(j), sco);
        oc.journey_valid = Validity::Bools(jv);
        oc.sco_valid = Validity::Bools(sv);
        if let Some((v, valid)) = value {
            oc.value = Some(v);
            oc.value_valid = Validity::Bools(valid);
        }
        oc
    });
    f(&cols, outcomes.as_ref())
}

/// A `tests/dashboard/` case's experience, when it has one, and its
/// tracker configuration with the trend `period`.
fn case_setup(
    dir: &Path,
    period: mot_core::Period,
) -> (Option<Experience>, mot_core::TrackerConfig) {
    let config = json(&dir.join("config.json"));
    let designed: Vec<String> = config
        .get("designed")
        .map(|d| serde_json::from_value(d.clone()).unwrap())
        .unwrap_or_default();
    let x = dir
        .join("experience.json")
        .exists()
        .then(|| Experience::from_json(&read(&dir.join("experience.json"))).unwrap());
    let tc = mot_core::TrackerConfig {
        period,
        designed,
        ..mot_core::TrackerConfig::default()
    };
    (x, tc)
}

fn dashboard_case(dir: &Path) -> Value {
    use mot_core::{Dashboard, DashboardOptions, Period, Tracker};
    let config = json(&dir.join("config.json"));
    let period: Period = config["period"].as_str().unwrap().parse().unwrap();
    let options: DashboardOptions = serde_json::from_value(config["options"].clone()).unwrap();
    let (x, tc) = case_setup(dir, period);
    with_columns(dir, |cols, outcomes| {
        let mut t = Tracker::with_config(x.as_ref(), tc.clone()).unwrap();
        t.ingest(cols, outcomes).unwrap();
        let d = Dashboard::build(&t, x.as_ref(), &options).unwrap();
        // The one-call path must agree with the tracker path.
        let again = Dashboard::from_columns(x.as_ref(), cols, outcomes, tc, &options).unwrap();
        assert_eq!(d, again);
        serde_json::to_value(d).unwrap()
    })
}

/// One `tests/comparison/` case: a `tests/dashboard/` log read into a
/// tracker whose period fits the windows, then compared.
fn comparison_case(dir: &Path) -> Value {
    use mot_core::{CompareOptions, Comparison, Tracker, Window};
    let config = json(&dir.join("config.json"));
    let log = dir
        .join("../../dashboard")
        .join(config["log"].as_str().unwrap());
    let w = |k: &str| config[k].as_str().unwrap().parse::<Window>().unwrap();
    let (before, after) = (w("before"), w("after"));
    let d = CompareOptions::default();
    let options = CompareOptions {
        alpha: config
            .get("alpha")
            .and_then(Value::as_f64)
            .unwrap_or(d.alpha),
        tau2: config.get("tau2").and_then(Value::as_f64).unwrap_or(d.tau2),
    };
    let (x, tc) = case_setup(&log, Window::fitting_period(&[before, after]));
    with_columns(&log, |cols, outcomes| {
        let mut t = Tracker::with_config(x.as_ref(), tc).unwrap();
        t.ingest(cols, outcomes).unwrap();
        let c = Comparison::build(&t, x.as_ref(), before, after, &options).unwrap();
        serde_json::to_value(c).unwrap()
    })
}

#[test]
fn every_comparison_fixture() {
    let all = cases("comparison");
    assert!(all.len() >= 5, "the comparison fixtures are missing");
    for dir in all {
        let case = dir.file_name().unwrap().to_string_lossy().to_string();
        let want = json(&dir.join("expected.json"));
        let got = comparison_case(&dir);
        check(&case, &want, &got);
        eprintln!("conformance: comparison {case} ok");
    }
}

#[test]
fn every_dashboard_fixture() {
    for dir in cases("dashboard") {
        let case = dir.file_name().unwrap().to_string_lossy().to_string();
        let want = json(&dir.join("expected.json"));
        let got = dashboard_case(&dir);
        check(&case, &want, &got);
        eprintln!("conformance: dashboard {case} ok");
    }
}

/// One `tests/alarms/` case: the detectors' designs, the alarms in firing
/// order and their final states, from one columnar ingest.
fn alarm_case(dir: &Path) -> Value {
    use mot_core::cusum::{Cusum, CusumConfig};
    use mot_core::{Columns, Dashboard, DashboardOptions, Ids, Tracker, TrackerConfig, Validity};
    let config: CusumConfig = serde_json::from_value(json(&dir.join("config.json"))).unwrap();
    let x = Experience::from_json(&read(&dir.join("experience.json"))).unwrap();
    let events = Csv::read(&dir.join("events.csv"));
    let journeys = events.column("journey_id").unwrap();
    let mots = events.column("mot_id").unwrap();
    let ts: Vec<i64> = events
        .column("timestamp")
        .unwrap()
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    let (ok, ok_valid) = flags(&events.column("success").unwrap());
    let mut cols = Columns::new(Ids::Str(&journeys), Ids::Str(&mots), &ts, &ok);
    cols.success_valid = Validity::Bools(&ok_valid);
    let mut t = Tracker::with_config(
        Some(&x),
        TrackerConfig {
            cusum: config,
            ..TrackerConfig::default()
        },
    )
    .unwrap();
    t.ingest(&cols, None).unwrap();
    let mut detectors = serde_json::Map::new();
    for m in x.mots() {
        let target = m.smoto.target_rate.unwrap_or(f64::NAN);
        if let Some(d) = Cusum::new(target, config.odds_ratio, config.arl0) {
            detectors.insert(
                m.id.to_string(),
                serde_json::json!({"p0": d.p0, "p1": d.p1, "up": d.up, "down": d.down,
                    "scale": d.scale, "threshold": d.threshold, "h": d.h, "arl": d.arl}),
            );
        }
    }
    let alarms: Vec<Value> = t
        .drain_alarms()
        .into_iter()
        .map(|a| {
            serde_json::json!({"mot": a.mot, "timestamp": a.timestamp, "statistic": a.statistic,
                "h": a.h, "p0": a.p0, "p1": a.p1})
        })
        .collect();
    let d = Dashboard::build(&t, Some(&x), &DashboardOptions::default()).unwrap();
    let mut last = serde_json::Map::new();
    for m in &d.mots {
        if let Some(c) = &m.cusum {
            last.insert(
                m.id.clone(),
                serde_json::json!({"statistic": c.statistic, "alarms": c.alarms,
                    "last_alarm_at": c.last_alarm_at}),
            );
        }
    }
    serde_json::json!({"detectors": detectors, "alarms": alarms, "final": last})
}

#[test]
fn every_alarm_fixture() {
    let cases = cases("alarms");
    assert!(cases.len() >= 3);
    for dir in cases {
        let case = dir.file_name().unwrap().to_string_lossy().to_string();
        let want = json(&dir.join("expected.json"));
        check(&case, &want, &alarm_case(&dir));
        eprintln!("conformance: alarms {case} ok");
    }
}
