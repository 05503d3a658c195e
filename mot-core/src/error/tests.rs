//! Every message in one style (see the module docs): each [`ErrorKind`] is
//! made the way a user meets it, each [`RejectReason`] is described and
//! reported, and every text is checked — lowercase start, no trailing
//! period, the values given in backticks. The matches below have no
//! wildcard arm, so a new kind or reason does not compile until it is
//! listed here, and so checked.

use super::*;
use crate::csv::EventTable;
use crate::events::{ReadOptions, TimeUnit};
use crate::{
    BadRows, Columns, Experience, Extra, IdeaStatus, Ids, InteractionType, Limits, Period,
    RejectReason, Settings, Tracker, TrackerConfig, sample,
};

/// The style rules, on one message and the values it must quote.
fn assert_style(message: &str, values: &[&str]) {
    let first = message.chars().next().expect("a message is not empty");
    assert!(!first.is_uppercase(), "starts in uppercase: {message:?}");
    assert!(
        !message.ends_with(['.', ' ', '\n', ':', ',']),
        "ends in punctuation or space: {message:?}"
    );
    for line in message.lines() {
        assert_eq!(
            line.matches('`').count() % 2,
            0,
            "unbalanced backticks: {line:?}"
        );
    }
    for v in values {
        assert!(
            message.contains(&format!("`{v}`")),
            "`{v}` is not quoted in {message:?}"
        );
    }
}

/// Every reason, each at its own place in [`RejectReason::ALL`].
fn position(r: RejectReason) -> usize {
    match r {
        RejectReason::MissingJourney => 0,
        RejectReason::MissingMot => 1,
        RejectReason::UnknownMot => 2,
        RejectReason::MissingTimestamp => 3,
        RejectReason::InvalidTimestamp => 4,
        RejectReason::TimestampOutOfRange => 5,
        RejectReason::MissingSuccess => 6,
        RejectReason::InvalidSuccess => 7,
        RejectReason::InvalidCost => 8,
        RejectReason::NonFiniteCost => 9,
        RejectReason::NegativeCost => 10,
        RejectReason::InvalidValue => 11,
        RejectReason::NonFiniteValue => 12,
        RejectReason::AfterClose => 13,
        RejectReason::MissingOutcome => 14,
        RejectReason::DuplicateOutcome => 15,
        RejectReason::OutcomeWithoutInteractions => 16,
        RejectReason::MalformedRow => 17,
    }
}

#[test]
fn every_reject_reason_reads_in_the_style() {
    assert_eq!(
        RejectReason::ALL.len(),
        18,
        "a reason added: list it in `position`"
    );
    for (i, &r) in RejectReason::ALL.iter().enumerate() {
        assert_eq!(position(r), i, "{r}");
        let name = r.as_str();
        assert!(
            name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
            "{name}"
        );
        assert_style(r.describe(), &[]);
        assert!(r.describe().len() > 12, "{r}: say what is wrong");
        let plain = Error::bad_row(3, r, None);
        assert_eq!(plain.kind(), ErrorKind::BadRow);
        assert_eq!(plain.reject_reason(), Some(r));
        assert_eq!(
            plain.to_string(),
            format!("row 3 rejected as `{name}`: {}", r.describe())
        );
        assert_style(&plain.to_string(), &[name]);
        let placed = Error::bad_row(3, r, Some("`log.csv` line 5: mot `teleport`".into()));
        assert_style(&placed.to_string(), &[name, "log.csv", "teleport"]);
        assert!(
            placed
                .to_string()
                .ends_with("(`log.csv` line 5: mot `teleport`)")
        );
    }
}

/// What a user meets for `kind`, made through the public API, with the
/// values each message must quote. At least one per kind; several where
/// a kind has several sources.
fn examples(kind: ErrorKind) -> Vec<(Error, Vec<&'static str>)> {
    let x = sample::airline();
    let csv = |text: &str, options: &ReadOptions| {
        EventTable::read(text.as_bytes(), "log.csv", options).map(|_| ())
    };
    let fail = ReadOptions {
        bad_rows: BadRows::Fail,
        ..ReadOptions::default()
    };
    let config = |c: TrackerConfig| Tracker::with_config(Some(&x), c).map(|_| ());
    match kind {
        ErrorKind::Json => vec![
            (
                Experience::from_json(r#"{"format": "mot.experience/1", "id": 3}"#).unwrap_err(),
                vec!["id", "3"],
            ),
            (Experience::from_json("not json").unwrap_err(), vec![]),
        ],
        ErrorKind::Format => vec![
            (
                Experience::from_json(r#"{"format": "mot.experience/9"}"#).unwrap_err(),
                vec!["mot.experience/9", "mot.experience/1"],
            ),
            (
                Experience::from_json(r#"{"format": "something/1"}"#).unwrap_err(),
                vec!["something/1"],
            ),
            (
                Experience::from_json(r#"{"id": "x"}"#).unwrap_err(),
                vec!["format"],
            ),
            (
                EventTable::read(
                    &b"journey_id,mot_id,timestamp\n\xff\n"[..],
                    "log.csv",
                    &ReadOptions::default(),
                )
                .map(|_| ())
                .unwrap_err(),
                vec!["log.csv"],
            ),
            (
                EventTable::read_json(b"[1, 2]", "rows.json", &ReadOptions::default())
                    .map(|_| ())
                    .unwrap_err(),
                vec!["rows.json"],
            ),
            (
                EventTable::read_xes(&b"<log><trace>"[..], "log.xes", &ReadOptions::default())
                    .map(|_| ())
                    .unwrap_err(),
                vec!["log.xes", "<trace>"],
            ),
            (
                EventTable::read_xes(&b"<html></html>"[..], "page.xes", &ReadOptions::default())
                    .map(|_| ())
                    .unwrap_err(),
                vec!["page.xes", "<html>", "<log>"],
            ),
        ],
        ErrorKind::Invalid => {
            let broken = sample::AIRLINE_JSON.replacen("\"p-em\"", "\"p-nobody\"", 1);
            vec![(
                Experience::from_json(&broken).unwrap_err(),
                vec!["manager", "p-nobody"],
            )]
        }
        ErrorKind::InteractionType => {
            vec![(
                "XX".parse::<InteractionType>().unwrap_err(),
                vec!["XX", "PP"],
            )]
        }
        ErrorKind::NotFound => vec![
            (x.design_mermaid("teleport").unwrap_err(), vec!["teleport"]),
            (
                x.trace("no-such-work").map(|_| ()).unwrap_err(),
                vec!["no-such-work"],
            ),
        ],
        ErrorKind::IdeaTransition => {
            let mut idea = x.spec().ideas[0].clone();
            idea.status = IdeaStatus::Implemented;
            let err = idea.set_status(IdeaStatus::Proposed).unwrap_err();
            vec![(err, vec!["implemented", "proposed"])]
        }
        ErrorKind::Config => vec![
            ("0s".parse::<Period>().unwrap_err(), vec!["0s", "day"]),
            (
                "fortnight".parse::<Period>().unwrap_err(),
                vec!["fortnight"],
            ),
            (
                "minutes".parse::<TimeUnit>().unwrap_err(),
                vec!["minutes", "ms"],
            ),
            (
                "skip".parse::<BadRows>().unwrap_err(),
                vec!["skip", "reject"],
            ),
            (
                crate::input::values::TimeReader::new(TimeUnit::Seconds, Some("%d/%Q"))
                    .map(|_| ())
                    .unwrap_err(),
                vec!["%Q", "%d/%Q"],
            ),
            (
                Settings::from_json(r#"{"top_variant": 3}"#)
                    .map(|_| ())
                    .unwrap_err(),
                vec!["top_variant"],
            ),
            (
                Settings::from_json(r#"{"preset": "celonis"}"#)
                    .and_then(|s| s.names())
                    .map(|_| ())
                    .unwrap_err(),
                vec!["celonis", "pm4py"],
            ),
            (
                config(TrackerConfig {
                    timeout: Some(0),
                    ..TrackerConfig::default()
                })
                .unwrap_err(),
                vec!["0"],
            ),
            (
                config(TrackerConfig {
                    designed: vec!["check-in".into(), "teleport".into()],
                    ..TrackerConfig::default()
                })
                .unwrap_err(),
                vec!["teleport", "air-travel-business"],
            ),
            (
                Tracker::discovery(TrackerConfig::default())
                    .rebind(&x)
                    .unwrap_err(),
                vec![],
            ),
        ],
        ErrorKind::Columns => {
            let columns = Columns::new(
                Ids::Str(&["j1", "j2"]),
                Ids::Str(&["check-in"]),
                &[1_795_392_000, 1_795_392_001],
                &[true, true],
            );
            let mut t = Tracker::new(&x, TrackerConfig::default());
            vec![
                (
                    t.ingest(&columns, None).map(|_| ()).unwrap_err(),
                    vec!["timestamp"],
                ),
                (
                    csv(
                        "case,activity,time\nj1,check-in,1\n",
                        &ReadOptions::default(),
                    )
                    .unwrap_err(),
                    vec!["log.csv", "journey_id", "case"],
                ),
                (
                    csv("", &ReadOptions::default()).unwrap_err(),
                    vec!["log.csv"],
                ),
            ]
        }
        ErrorKind::BadRow => {
            let mut t = Tracker::new(
                &x,
                TrackerConfig {
                    bad_rows: BadRows::Fail,
                    ..TrackerConfig::default()
                },
            );
            let unknown = t
                .record("j1", "teleport", 1_795_392_000, true, None)
                .unwrap_err();
            let negative = t
                .record(
                    "j1",
                    "check-in",
                    1_795_392_000,
                    true,
                    Some(Extra {
                        cost: Some(-1.0),
                        ..Extra::default()
                    }),
                )
                .unwrap_err();
            vec![
                (unknown, vec!["unknown-mot", "teleport"]),
                (negative, vec!["negative-cost"]),
                (
                    csv(
                        "journey_id,mot_id,timestamp\nj1,check-in,yesterday\n",
                        &fail,
                    )
                    .unwrap_err(),
                    vec!["invalid-timestamp", "log.csv", "yesterday"],
                ),
            ]
        }
        ErrorKind::State => vec![
            (
                Tracker::from_bytes(b"not a state").map(|_| ()).unwrap_err(),
                vec![],
            ),
            (
                Tracker::from_bytes(&Tracker::new(&x, TrackerConfig::default()).to_bytes()[..8])
                    .map(|_| ())
                    .unwrap_err(),
                vec![],
            ),
        ],
        ErrorKind::Merge => {
            let mut day = Tracker::new(&x, TrackerConfig::default());
            let week = Tracker::new(
                &x,
                TrackerConfig {
                    period: Period::Week,
                    ..TrackerConfig::default()
                },
            );
            let other = Tracker::discovery(TrackerConfig::default());
            vec![
                (day.merge(&week).unwrap_err(), vec!["day", "week"]),
                (day.merge(&other).unwrap_err(), vec!["air-travel-business"]),
            ]
        }
        ErrorKind::Limit => {
            let mut t = Tracker::discovery(TrackerConfig {
                limits: Limits {
                    max_mots: 1,
                    ..Limits::default()
                },
                ..TrackerConfig::default()
            });
            t.record("j1", "a", 1_795_392_000, true, None).unwrap();
            let err = t.record("j1", "b", 1_795_392_001, true, None).unwrap_err();
            vec![(err, vec!["max_mots", "1", "b", "Limits"])]
        }
    }
}

const KINDS: [ErrorKind; 12] = [
    ErrorKind::Json,
    ErrorKind::Format,
    ErrorKind::Invalid,
    ErrorKind::InteractionType,
    ErrorKind::NotFound,
    ErrorKind::IdeaTransition,
    ErrorKind::Config,
    ErrorKind::Columns,
    ErrorKind::BadRow,
    ErrorKind::State,
    ErrorKind::Merge,
    ErrorKind::Limit,
];

#[test]
fn every_error_kind_reads_in_the_style() {
    for kind in KINDS {
        let all = examples(kind);
        assert!(!all.is_empty());
        for (err, values) in all {
            assert_eq!(err.kind(), kind, "{err}");
            assert_style(&err.to_string(), &values);
            assert!(
                kind.as_str()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-')
            );
        }
    }
    // Each kind once in KINDS: the match in `examples` covers them all.
    let mut names: Vec<&str> = KINDS.iter().map(|k| k.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), KINDS.len());
}

/// How many kinds of problem there are: each has its place below.
const PROBLEMS: usize = 17;

fn problem_position(k: &ProblemKind) -> usize {
    match k {
        ProblemKind::Empty => 0,
        ProblemKind::DuplicateId { .. } => 1,
        ProblemKind::DanglingReference { .. } => 2,
        ProblemKind::NestingCycle { .. } => 3,
        ProblemKind::LandscapeCycle { .. } => 4,
        ProblemKind::ScoreOutOfRange { .. } => 5,
        ProblemKind::RateOutOfRange { .. } => 6,
        ProblemKind::NonFinite { .. } => 7,
        ProblemKind::NegativeCost { .. } => 8,
        ProblemKind::BestNotAboveWorst { .. } => 9,
        ProblemKind::DuplicatePosition { .. } => 10,
        ProblemKind::ZeroPosition => 11,
        ProblemKind::InvalidWeight { .. } => 12,
        ProblemKind::MixedWeights => 13,
        ProblemKind::DuplicateLink { .. } => 14,
        ProblemKind::BeforeSubmitted { .. } => 15,
        ProblemKind::NotImplemented { .. } => 16,
    }
}

#[test]
fn every_validation_problem_reads_in_the_style() {
    let f = 1.5;
    let problems = [
        (ProblemKind::Empty, vec![]),
        (
            ProblemKind::DuplicateId {
                what: "mot".into(),
                id: "check-in".into(),
                first: "mots[2]".into(),
            },
            vec!["check-in", "mots[2]"],
        ),
        (
            ProblemKind::DanglingReference {
                what: "person".into(),
                id: "p-x".into(),
            },
            vec!["p-x"],
        ),
        (
            ProblemKind::NestingCycle {
                cycle: vec!["a".into(), "b".into(), "a".into()],
            },
            vec!["a", "b"],
        ),
        (
            ProblemKind::LandscapeCycle {
                cycle: vec!["w".into(), "w".into()],
            },
            vec!["w"],
        ),
        (ProblemKind::ScoreOutOfRange { value: 11 }, vec!["11"]),
        (ProblemKind::RateOutOfRange { value: f }, vec!["1.5"]),
        (ProblemKind::NonFinite { value: f64::NAN }, vec!["NaN"]),
        (ProblemKind::NegativeCost { value: -f }, vec!["-1.5"]),
        (
            ProblemKind::BestNotAboveWorst {
                best: 1.0,
                worst: f,
            },
            vec!["1", "1.5"],
        ),
        (
            ProblemKind::DuplicatePosition {
                position: 3,
                other: "bag-drop".into(),
            },
            vec!["3", "bag-drop"],
        ),
        (ProblemKind::ZeroPosition, vec![]),
        (ProblemKind::InvalidWeight { value: -f }, vec!["-1.5"]),
        (ProblemKind::MixedWeights, vec![]),
        (
            ProblemKind::DuplicateLink {
                what: "mot".into(),
                id: "seat".into(),
            },
            vec!["seat"],
        ),
        (
            ProblemKind::BeforeSubmitted {
                implemented: "2026-01-02".into(),
                submitted: "2026-03-04".into(),
            },
            vec!["2026-01-02", "2026-03-04"],
        ),
        (
            ProblemKind::NotImplemented {
                status: "accepted".into(),
            },
            vec!["accepted", "implemented", "implemented_at"],
        ),
    ];
    let mut seen: Vec<usize> = problems.iter().map(|(k, _)| problem_position(k)).collect();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(
        seen,
        (0..PROBLEMS).collect::<Vec<_>>(),
        "an example of every problem"
    );
    for (kind, values) in problems {
        assert_style(&kind.to_string(), &values);
        let p = Problem::new("mots[1].manager", kind);
        assert_style(&p.to_string(), &["mots[1].manager"]);
    }
}
