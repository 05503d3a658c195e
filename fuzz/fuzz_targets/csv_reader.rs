//! The CSV reader (what `mot dashboard` and the browser read): arbitrary
//! bytes as an interactions file (first half) and an outcomes file (second
//! half), in both bad-row policies, into a tracker bound to the sample and
//! one in discovery mode, then the dashboard.
#![no_main]
use libfuzzer_sys::fuzz_target;
use mot_core::csv::{EventTable, OutcomeTable};
use mot_core::events::{BadRows, ReadOptions};
use mot_core::{Dashboard, DashboardOptions, Tracker, TrackerConfig};

/// The sample experience, parsed once.
fn sample() -> &'static mot_core::Experience {
    static X: std::sync::OnceLock<mot_core::Experience> = std::sync::OnceLock::new();
    X.get_or_init(mot_core::sample::airline)
}

fuzz_target!(|data: &[u8]| {
    let (events, outcomes) = data.split_at(data.len() / 2);
    let x = sample();
    for bad_rows in [BadRows::Reject, BadRows::Fail] {
        let options = ReadOptions {
            bad_rows,
            ..ReadOptions::default()
        };
        let Ok(e) = EventTable::read(events, "e.csv", &options) else {
            continue;
        };
        let o = OutcomeTable::read(outcomes, "o.csv", &options).ok();
        let config = TrackerConfig {
            bad_rows,
            ..TrackerConfig::default()
        };
        for experience in [Some(x), None] {
            let mut t = Tracker::with_config(experience, config.clone()).expect("config");
            let before = t.to_bytes();
            match t.ingest_table(&e, o.as_ref()) {
                Ok(s) => {
                    assert!(s.accepted <= s.rows);
                    assert_eq!(t.interactions(), s.accepted);
                    let d = Dashboard::build(&t, experience, &DashboardOptions::default())
                        .expect("dashboard");
                    assert_eq!(d.amount.interactions, s.accepted);
                    assert_eq!(d.rejected.total(), t.rejected().total());
                }
                // A failed read leaves the tracker as it was.
                Err(_) => assert_eq!(t.to_bytes(), before),
            }
        }
    }
});
