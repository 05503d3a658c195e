//! The `mot` command, run as a user runs it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn mot(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mot"))
        .args(args)
        .output()
        .expect("mot runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mot-cli-test-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", stderr(o));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn sample() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../mot-core/data/airline.json")
        .display()
        .to_string()
}

#[test]
fn demo_table_fits_a_terminal() {
    let o = mot(&["demo", "--journeys", "3000"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("Air travel — business traveller"));
    assert!(out.contains("Alerts") && out.contains("Bag drop"), "{out}");
    assert!(out.lines().all(|l| l.chars().count() <= 80));
    assert!(out.lines().all(|l| l == l.trim_end()), "trailing spaces");
}

/// After the table, `mot demo` names what to run next, on standard error:
/// standard output stays the dashboard alone.
#[test]
fn demo_names_the_next_steps_on_stderr() {
    let o = mot(&["demo", "--journeys", "500"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (out, err) = (stdout(&o), stderr(&o));
    assert!(!out.contains("next steps"), "{out}");
    assert!(
        err.contains("mot demo --format html -o report.html"),
        "{err}"
    );
    assert!(err.contains("mot dashboard --events your.csv"), "{err}");
    assert!(err.lines().all(|l| l.chars().count() <= 80), "{err}");
    // JSON on standard output stays a document.
    let o = mot(&["demo", "--journeys", "500", "--format", "json"]);
    assert_eq!(json(&o)["format"], "mot.dashboard/1");
    assert!(stderr(&o).contains("next steps"));
}

#[test]
fn demo_inputs_give_the_same_dashboard_through_csv() {
    let dir = temp("demo");
    let d = dir.display().to_string();
    let direct = json(&mot(&[
        "demo",
        "--journeys",
        "2000",
        "--format",
        "json",
        "--write-inputs",
        &d,
    ]));
    let via_csv = json(&mot(&[
        "dashboard",
        "--experience",
        &format!("{d}/experience.json"),
        "--events",
        &format!("{d}/events.csv"),
        "--outcomes",
        &format!("{d}/outcomes.csv"),
        "--format",
        "json",
    ]));
    assert_eq!(direct["format"], "mot.dashboard/1");
    for key in [
        "sco",
        "amount",
        "ratio",
        "variants",
        "directly_follows",
        "alerts",
    ] {
        assert_eq!(direct[key], via_csv[key], "{key}");
    }
    let (a, b) = (&direct["mots"], &via_csv["mots"]);
    for (x, y) in a.as_array().unwrap().iter().zip(b.as_array().unwrap()) {
        assert_eq!(x["interactions"], y["interactions"]);
        assert_eq!(x["smoto_rate"], y["smoto_rate"]);
        assert_eq!(x["removal_effect"], y["removal_effect"]);
        assert_eq!(x["lift"], y["lift"]);
    }
}

#[test]
fn html_report_is_one_file() {
    let dir = temp("html");
    let file = dir.join("report.html");
    let o = mot(&[
        "demo",
        "--journeys",
        "500",
        "--format",
        "html",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg"));
    assert!(!html.contains("<script") && !html.contains("src=\"http"));
}

#[test]
fn pm4py_preset_rfc3339_and_discovery_mode() {
    let dir = temp("pm4py");
    let events = dir.join("log.csv");
    std::fs::write(
        &events,
        "case:concept:name,concept:name,time:timestamp,success,org:resource\n\
         c1,register,2026-11-23T08:00:00Z,true,ana\n\
         c1,pay,2026-11-23T09:00:00+01:00,true,ana\n\
         c2,register,2026-11-23 10:00:00,false,bo\n\
         c2,register,2026-11-23T10:05:00Z,true,bo\n\
         c2,pay,2026-11-23T11:00:00Z,1,bo\n",
    )
    .unwrap();
    let outcomes = dir.join("out.csv");
    std::fs::write(&outcomes, "case:concept:name,sco\nc1,true\nc2,0\n").unwrap();
    let d = json(&mot(&[
        "dashboard",
        "--preset",
        "pm4py",
        "--events",
        events.to_str().unwrap(),
        "--outcomes",
        outcomes.to_str().unwrap(),
        "--format",
        "json",
    ]));
    assert_eq!(d["experience"], serde_json::Value::Null);
    assert_eq!(d["amount"]["interactions"], 5);
    assert_eq!(d["sco"]["journeys"], 2);
    assert_eq!(d["sco"]["successes"], 1);
    // c1 at 08:00Z and 08:00Z (09:00+01:00): ties keep file order.
    let top = &d["variants"]["top"];
    assert!(
        top.as_array()
            .unwrap()
            .iter()
            .any(|v| v["mots"] == serde_json::json!(["register", "pay"]))
    );
    let producers: Vec<&str> = d["producers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["producer"].as_str().unwrap())
        .collect();
    assert_eq!(producers, ["ana", "bo"]);
}

#[test]
fn bad_rows_are_counted_by_reason() {
    let dir = temp("bad");
    let events = dir.join("e.csv");
    std::fs::write(
        &events,
        "journey_id,mot_id,timestamp,success,cost\n\
         j1,check-in,1795392000,true,1.5\n\
         j1,check-in,not-a-time,true,1\n\
         j1,bag-drop,1795392100,maybe,1\n\
         j1,bag-drop,1795392100,true,cheap\n\
         j1,bag-drop\n\
         j2,teleport,1795392000,true,1\n\
         ,bag-drop,1795392000,true,1\n\
         j2,bag-drop,1795392000,true,-4\n\
         j2,bag-drop,1795392000,true,\n",
    )
    .unwrap();
    let d = json(&mot(&[
        "dashboard",
        "--experience",
        &sample(),
        "--events",
        events.to_str().unwrap(),
        "--format",
        "json",
    ]));
    let r = &d["rejected"];
    for (reason, n) in [
        ("invalid-timestamp", 1),
        ("invalid-success", 1),
        ("invalid-cost", 1),
        ("malformed-row", 1),
        ("unknown-mot", 1),
        ("missing-journey", 1),
        ("negative-cost", 1),
    ] {
        assert_eq!(r[reason], n, "{reason}: {r}");
    }
    assert_eq!(d["amount"]["interactions"], 2);
}

/// Rejected rows are announced on standard error whatever the output, and
/// a file whose every row is rejected fails with the first reason.
#[test]
fn rejected_rows_are_announced_and_all_rejected_fails() {
    let dir = temp("announce");
    let events = dir.join("e.csv");
    std::fs::write(
        &events,
        "journey_id,mot_id,timestamp,success
         j1,check-in,1795392000,true
         j1,check-in,not-a-time,true
         j2,teleport,1795392000,true
",
    )
    .unwrap();
    let out = dir.join("out.json");
    let o = mot(&[
        "dashboard",
        "--experience",
        &sample(),
        "--events",
        events.to_str().unwrap(),
        "--format",
        "json",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("warning: 2 rows rejected: 1 `unknown-mot`, 1 `invalid-timestamp`"),
        "{err}"
    );

    // Dates a US export writes: every row rejected, so the run fails and
    // says which row, why, and what would be read.
    std::fs::write(
        &events,
        "journey_id,mot_id,timestamp,success
j1,check-in,11/10/2011 11:45,true
j1,bag-drop,11/10/2011 11:50,true
",
    )
    .unwrap();
    let o = mot(&[
        "dashboard",
        "--events",
        events.to_str().unwrap(),
        "--format",
        "json",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("no interaction of")
            && err.contains("2 rows rejected: 2 `invalid-timestamp`")
            && err.contains("line 2")
            && err.contains("`11/10/2011 11:45` is not a timestamp")
            && err.contains("RFC 3339"),
        "{err}"
    );
    // With the format, it reads (and the `;` delimiter is found alone).
    std::fs::write(
        &events,
        "journey_id;mot_id;timestamp\r\nj1;check-in;11/10/2011 11:45\r\nj1;bag-drop;11/10/2011 11:50\r\n",
    )
    .unwrap();
    let d = json(&mot(&[
        "dashboard",
        "--events",
        events.to_str().unwrap(),
        "--time-format",
        "%m/%d/%Y %H:%M",
        "--format",
        "json",
    ]));
    assert_eq!(d["amount"]["interactions"], 2);
    assert_eq!(
        d["variants"]["top"][0]["mots"],
        serde_json::json!(["check-in", "bag-drop"])
    );
    assert_eq!(d["mots"][0]["smoto_rate"], serde_json::Value::Null);
    let bad = mot(&[
        "dashboard",
        "--events",
        events.to_str().unwrap(),
        "--time-format",
        "%Q",
    ]);
    assert!(
        !bad.status.success() && stderr(&bad).contains("`%Q`"),
        "{}",
        stderr(&bad)
    );
}

/// Both real logs through the command, as XES (gzipped) and as a CSV
/// export: pm4py's counts (cases, events, directly-follows, start and end
/// activities, every variant with its count), and the SCO from a rule over
/// the log.
#[test]
fn real_logs_read_as_pm4py_counts_them() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/real-logs");
    // `[from, to, count]` triples, `{mot: count}` maps and `[sequence, count]`
    // pairs, in one order, from the dashboard and from pm4py's figures.
    let pairs = |v: &serde_json::Value, key: &str, count: &str| -> Vec<(String, u64)> {
        let mut out: Vec<(String, u64)> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e[key].to_string(), e[count].as_u64().unwrap()))
            .collect();
        out.sort();
        out
    };
    let map = |v: &serde_json::Value| -> Vec<(String, u64)> {
        let mut out: Vec<(String, u64)> = v
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, n)| {
                (
                    serde_json::Value::from(k.as_str()).to_string(),
                    n.as_u64().unwrap(),
                )
            })
            .collect();
        out.sort();
        out
    };
    let edges = |v: &serde_json::Value| -> Vec<(String, String, u64)> {
        let mut out: Vec<(String, String, u64)> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let s = |k: &str| e[k].as_str().unwrap().to_string();
                (s("from"), s("to"), e["count"].as_u64().unwrap())
            })
            .collect();
        out.sort();
        out
    };
    for (log, sco) in [("running-example", Some((6, 3))), ("helpdesk", None)] {
        let want: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join(format!("{log}.expected.json"))).unwrap(),
        )
        .unwrap();
        for (file, preset) in [
            (format!("{log}.xes.gz"), false),
            (format!("{log}.csv"), true),
        ] {
            let path = dir.join(&file).display().to_string();
            let mut args = vec!["dashboard", "--events", &path, "--format", "json"];
            if preset {
                args.extend(["--preset", "pm4py"]);
            }
            args.extend([
                "--top-variants",
                "1000",
                "--sco-reached",
                "pay compensation",
            ]);
            let o = mot(&args);
            assert!(stderr(&o).is_empty(), "{file}: {}", stderr(&o));
            let d = json(&o);
            assert_eq!(d["amount"]["interactions"], want["events"], "{file}");
            assert_eq!(d["amount"]["journeys"], want["cases"], "{file}");
            let df = &d["directly_follows"];
            assert_eq!(
                edges(&df["edges"]),
                edges(&want["directly_follows"]),
                "{file}"
            );
            assert_eq!(
                pairs(&df["start"], "mot", "count"),
                map(&want["start"]),
                "{file}"
            );
            assert_eq!(
                pairs(&df["end"], "mot", "count"),
                map(&want["end"]),
                "{file}"
            );
            assert_eq!(
                pairs(&d["variants"]["top"], "mots", "count"),
                pairs(&want["variants"], "sequence", "count"),
                "{file}: every variant and its count"
            );
            assert_eq!(
                d["variants"]["distinct"],
                want["variants"].as_array().unwrap().len(),
                "{file}"
            );
            // Three of the six cases of the running example end with a
            // compensation paid; the helpdesk log has no such MOT.
            if let Some((journeys, paid)) = sco {
                assert_eq!(
                    (
                        d["sco"]["journeys"].as_u64(),
                        d["sco"]["successes"].as_u64()
                    ),
                    (Some(journeys), Some(paid)),
                    "{file}"
                );
            }
            assert!(
                d["mots"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|m| m["alignment"] == "unmeasured")
            );
        }
    }
}

/// `--designed` measures every journey against a happy path: on the
/// helpdesk log, the conformance of every variant equals pm4py's alignments
/// (`tests/real-logs/helpdesk.alignments.json`), and the table and the
/// HTML report show the block.
#[test]
fn designed_happy_path_gives_pm4pys_alignment_fitness() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/real-logs");
    let want: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("helpdesk.alignments.json")).unwrap(),
    )
    .unwrap();
    let designed: Vec<&str> = want["designed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let designed = designed.join(",");
    let path = dir.join("helpdesk.csv").display().to_string();
    let base = [
        "dashboard",
        "--events",
        &path,
        "--preset",
        "pm4py",
        "--designed",
        &designed,
    ];
    let o = mot(&[&base[..], &["--format", "json", "--top-variants", "1000"]].concat());
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    let d = json(&o);
    let top = d["variants"]["top"].as_array().unwrap();
    let variants = want["variants"].as_array().unwrap();
    assert_eq!(top.len(), variants.len());
    for (got, v) in top.iter().zip(variants) {
        assert_eq!(got["mots"], v["sequence"]);
        assert_eq!(got["cost"], v["deviations"]);
        let (a, b) = (
            got["fitness"].as_f64().unwrap(),
            v["fitness"].as_f64().unwrap(),
        );
        assert!((a - b).abs() <= 1e-12, "{a} vs {b}");
    }
    assert_eq!(d["conformance"]["designed"].as_array().unwrap().len(), 4);
    assert_eq!(d["conformance"]["conforming"], variants[0]["count"]);
    let table = stdout(&mot(&base));
    assert!(
        table.contains("Conformance to the designed journey (4 steps)"),
        "{table}"
    );
    assert!(table.contains("Journey duration  median"), "{table}");
    let html = stdout(&mot(&[&base[..], &["--format", "html"]].concat()));
    assert!(
        html.contains("<h2>Design vs reality</h2>")
            && html.contains("<h2>The journey in time</h2>")
    );
    // Without a design there is no conformance, and the table says nothing of it.
    let plain = json(&mot(&[
        "dashboard",
        "--events",
        &path,
        "--preset",
        "pm4py",
        "--format",
        "json",
    ]));
    assert!(plain["conformance"].is_null() && plain["variants"]["top"][0]["fitness"].is_null());
}

/// `--no-durations` nulls the durations and nothing else; `--no-variants`
/// nulls the count of distinct variants and lists none; the table and the
/// HTML report leave out what was not measured.
#[test]
fn durations_and_variants_can_be_left_out() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/real-logs");
    let path = dir.join("helpdesk.csv").display().to_string();
    let base = ["dashboard", "--events", &path, "--preset", "pm4py"];
    let run = |extra: &[&str]| {
        let o = mot(&[&base[..], extra].concat());
        assert!(o.status.success(), "{}", stderr(&o));
        o
    };
    let full = json(&run(&["--format", "json"]));
    let mut on = full.clone();
    let off = json(&run(&["--format", "json", "--no-durations"]));
    assert!(!on["journey_duration"].is_null());
    on["journey_duration"] = serde_json::Value::Null;
    for e in on["directly_follows"]["edges"].as_array_mut().unwrap() {
        assert!(!e["duration"].is_null());
        e["duration"] = serde_json::Value::Null;
    }
    assert_eq!(off, on);
    let table = stdout(&run(&["--no-durations"]));
    assert!(!table.contains("Journey duration"), "{table}");
    let html = stdout(&run(&["--format", "html", "--no-durations"]));
    assert!(html.contains("</html>") && !html.contains("The journey in time"));
    let html = stdout(&run(&["--format", "html"]));
    assert!(html.contains("<h2>The journey in time</h2>"));
    let lean = json(&run(&["--format", "json", "--no-variants"]));
    assert!(lean["variants"]["distinct"].is_null());
    assert_eq!(lean["variants"]["top"], serde_json::json!([]));
    assert_eq!(lean["directly_follows"], full["directly_follows"]);
    assert_eq!(lean["mots"], full["mots"]);
}

#[test]
fn a_design_naming_an_mot_the_experience_lacks_is_refused() {
    let dir = temp("designed");
    let events = dir.join("events.csv");
    std::fs::write(
        &events,
        "journey_id,mot_id,timestamp,success\nj1,check-in,1795392000,true\n",
    )
    .unwrap();
    let x = Path::new(env!("CARGO_MANIFEST_DIR")).join("../mot-core/data/airline.json");
    let o = mot(&[
        "dashboard",
        "--events",
        &events.display().to_string(),
        "--experience",
        &x.display().to_string(),
        "--designed",
        "check-in,teleport",
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("`teleport`"), "{}", stderr(&o));
}

#[test]
fn fail_fast_names_the_line() {
    let dir = temp("fail");
    let events = dir.join("e.csv");
    std::fs::write(&events, "journey_id,mot_id,timestamp,success\nj1,check-in,1795392000,true\nj1,teleport,1795392001,true\n").unwrap();
    let o = mot(&[
        "dashboard",
        "--experience",
        &sample(),
        "--events",
        events.to_str().unwrap(),
        "--fail-fast",
    ]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("line 3") && err.contains("unknown-mot"),
        "{err}"
    );
    std::fs::write(
        &events,
        "journey_id,mot_id,timestamp,success\nj1,check-in,yesterday,true\n",
    )
    .unwrap();
    let err = stderr(&mot(&[
        "dashboard",
        "--events",
        events.to_str().unwrap(),
        "--fail-fast",
    ]));
    assert!(
        err.contains("line 2") && err.contains("invalid-timestamp") && err.contains("`yesterday`"),
        "{err}"
    );
}

#[test]
fn missing_columns_say_what_exists() {
    let dir = temp("cols");
    let events = dir.join("e.csv");
    std::fs::write(&events, "case,activity,when,ok\n1,a,1,true\n").unwrap();
    let o = mot(&["dashboard", "--events", events.to_str().unwrap()]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("no journey id column `journey_id`")
            && err.contains("`case`, `activity`, `when`, `ok`"),
        "{err}"
    );
    let d = json(&mot(&[
        "dashboard",
        "--events",
        events.to_str().unwrap(),
        "--journey-col",
        "case",
        "--mot-col",
        "activity",
        "--time-col",
        "when",
        "--success-col",
        "ok",
        "--format",
        "json",
    ]));
    assert_eq!(d["amount"]["interactions"], 1);
    let o = mot(&[
        "dashboard",
        "--events",
        events.to_str().unwrap(),
        "--cost-col",
        "price",
        "--journey-col",
        "case",
    ]);
    assert!(
        stderr(&o).contains("no cost column `price`") || stderr(&o).contains("no MOT id column")
    );
}

#[test]
fn validate_lists_every_problem() {
    let o = mot(&["validate", &sample()]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("is valid: 18 MOTs"));
    let dir = temp("validate");
    let broken = dir.join("broken.json");
    let text = std::fs::read_to_string(sample()).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["mots"][0]["manager"] = "nobody".into();
    v["landscape"]["work"][0]["cost"] = (-5).into();
    std::fs::write(&broken, v.to_string()).unwrap();
    let o = mot(&["validate", broken.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("2 problems"), "{err}");
    assert!(err.contains("`mots[0].manager`: person `nobody` does not exist"));
    assert!(err.contains("`landscape.work[0].cost`: cost `-5` is negative"));
}

#[test]
fn diff_draw_and_schema() {
    let next = Path::new(env!("CARGO_MANIFEST_DIR")).join("../mot-core/data/airline-2026.2.json");
    let o = mot(&["diff", &sample(), next.to_str().unwrap()]);
    assert!(stdout(&o).contains("mot `survey-email` removed"));
    let o = mot(&["draw", &sample()]);
    assert!(stdout(&o).starts_with("flowchart LR"));
    let o = mot(&["draw", &sample(), "--design", "bag-drop", "--dot"]);
    assert!(stdout(&o).starts_with("digraph design {"));
    let s: serde_json::Value =
        serde_json::from_slice(&mot(&["schema", "dashboard"]).stdout).unwrap();
    assert_eq!(s["title"], "mot.dashboard/1");
}

/// `mot demo --live` replays the sample as a stream and prints the alarm on
/// the planted incident as it fires, with its delay.
#[test]
fn live_demo_prints_the_incident_alarm_as_it_fires() {
    let o = mot(&["demo", "--live", "--speed", "0"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let alarm = out
        .lines()
        .find(|l| l.contains("ALARM bag-drop") && l.contains("after the incident began"))
        .unwrap_or_else(|| panic!("no incident alarm in:\n{out}"));
    assert!(alarm.contains("tell Sofia Marino"), "{alarm}");
    assert!(out.contains("The incident was caught"), "{out}");
    assert!(out.contains("least likely to reach the SCO"), "{out}");
}

#[test]
fn compare_and_ideas_close_the_loop() {
    let dir = temp("compare");
    let out = mot(&["demo", "--write-inputs", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let p = |f: &str| dir.join(f).display().to_string();
    let (events, outcomes, x) = (p("events.csv"), p("outcomes.csv"), p("experience.json"));
    let base = [
        "compare",
        "--events",
        &events,
        "--outcomes",
        &outcomes,
        "--experience",
        &x,
    ];
    let with = |extra: &[&str]| {
        let mut a: Vec<&str> = base.to_vec();
        a.extend_from_slice(extra);
        mot(&a)
    };
    let windows = [
        "--before",
        "2026-08-01..2026-09-01",
        "--after",
        "2026-09-01..2026-10-01",
    ];
    // The table: 80 columns, every MOT, the SCO and conformance rows.
    let table = with(&windows);
    assert!(table.status.success(), "{}", stderr(&table));
    let text = stdout(&table);
    assert!(text.contains("SCO rate") && text.contains("Conformance") && text.contains("Bag drop"));
    assert!(
        text.lines()
            .all(|l| l.chars().count() <= 80 && l == l.trim_end())
    );
    // The JSON contract, and the same figures whatever the window's ends
    // (6-hour ends make the tracker's period 6 h).
    let mut a = windows.to_vec();
    a.extend(["--format", "json"]);
    let c = json(&with(&a));
    assert_eq!(c["format"], "mot.comparison/1");
    assert_eq!(c["period"], "day");
    let sco = &c["sco"];
    for k in [
        "ci_low",
        "ci_high",
        "always_valid_low",
        "always_valid_high",
        "difference",
    ] {
        assert!(sco[k].is_f64(), "{k}: {sco}");
    }
    let c6 = json(&with(&[
        "--before",
        "2026-08-01T06:00:00Z..2026-09-01",
        "--after",
        "2026-09-01..2026-10-01",
        "--format",
        "json",
    ]));
    assert_eq!(c6["period"], "21600s");
    assert_eq!(c6["after"], c["after"]);
    assert_eq!(c6["mots"][0]["after"], c["mots"][0]["after"]);
    // An HTML page.
    let html = dir.join("change.html");
    let mut a = windows.to_vec();
    a.extend(["--format", "html", "-o", html.to_str().unwrap()]);
    assert!(with(&a).status.success());
    assert!(
        std::fs::read_to_string(&html)
            .unwrap()
            .contains("<svg class=\"forest\"")
    );
    // Without windows: around the experience's `effective_from`.
    let spec = std::fs::read_to_string(&x).unwrap().replace(
        "\"effective_from\": \"2026-08-01\"",
        "\"effective_from\": \"2026-09-15\"",
    );
    let moved = dir.join("moved.json");
    std::fs::write(&moved, spec).unwrap();
    let around = json(&mot(&[
        "compare",
        "--events",
        &events,
        "--outcomes",
        &outcomes,
        "--experience",
        moved.to_str().unwrap(),
        "--window-days",
        "14",
        "--format",
        "json",
    ]));
    assert_eq!(around["before"]["to"], around["after"]["from"]);
    assert_eq!(around["after"]["from"], 1_789_430_400); // 2026-09-15
    // Refusals say what to do.
    let one = with(&["--before", "2026-08-01..2026-09-01"]);
    assert!(!one.status.success());
    assert!(
        stderr(&one).contains("give both `--before` and `--after`"),
        "{}",
        stderr(&one)
    );
    let overlap = with(&[
        "--before",
        "2026-08-01..2026-09-10",
        "--after",
        "2026-09-01..2026-10-01",
    ]);
    assert!(
        stderr(&overlap).contains("the windows overlap"),
        "{}",
        stderr(&overlap)
    );
    let bad = with(&[
        "--before",
        "August..2026-09-01",
        "--after",
        "2026-09-01..2026-10-01",
    ]);
    assert!(
        !bad.status.success() && stderr(&bad).contains("`August`"),
        "{}",
        stderr(&bad)
    );
    // Ideas: the sample's implemented idea, measured, with its cycle time.
    let ideas = json(&mot(&[
        "ideas",
        "--events",
        &events,
        "--outcomes",
        &outcomes,
        "--experience",
        &x,
        "--window-days",
        "14",
        "--format",
        "json",
    ]));
    assert_eq!(ideas["format"], "mot.ideas/1");
    let first = &ideas["ideas"][0];
    assert_eq!(first["id"], "idea-boarding-groups-app");
    assert_eq!(first["cycle_days"], 21.0);
    assert!(first["change"]["ci_low"].is_f64());
    let table = mot(&["ideas", "--events", &events, "--experience", &x]);
    assert!(stdout(&table).contains("cycle time"), "{}", stderr(&table));
    let none = mot(&["ideas", "--events", &events]);
    assert!(stderr(&none).contains("needs `--experience`"));
    for which in ["comparison", "ideas"] {
        let schema = mot(&["schema", which]);
        assert!(stdout(&schema).contains(&format!("mot.{which}/1")));
    }
}

#[test]
fn versions_in_time() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../mot-core/data");
    let (old, new) = (data.join("airline.json"), data.join("airline-2026.2.json"));
    let out = mot(&["versions", new.to_str().unwrap(), old.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<String> = stdout(&out).lines().map(str::to_string).collect();
    assert!(
        lines[1].starts_with("2026.1") && lines[2].starts_with("2026.2"),
        "{lines:?}"
    );
    let j = json(&mot(&["versions", "--json", old.to_str().unwrap()]));
    assert_eq!(j[0]["effective_from"], "2026-08-01");
    assert!(j[0]["unexplained_share"].as_f64().unwrap() > 0.0);
}
