//! The service's path (`mot serve`): arbitrary bytes as JSON rows (NDJSON or
//! an array), interactions (first half) and outcomes (second half), read in
//! both bad-row policies and streamed into a bound tracker with
//! `append_table` / `close_table` — journeys kept open between batches —
//! then the dashboard and a state round trip.
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
        let config = TrackerConfig {
            bad_rows,
            ..TrackerConfig::default()
        };
        let mut t = Tracker::with_config(Some(x), config).expect("config");
        // The same batch twice: the second adds to journeys still open.
        for _ in 0..2 {
            let Ok(e) = EventTable::read_json(events, "e.ndjson", &options) else {
                break;
            };
            let before = t.to_bytes();
            match t.append_table(&e) {
                Ok(s) => {
                    assert!(s.accepted <= s.rows);
                    assert_eq!(s.journeys, 0, "appending closes nothing without a timeout");
                }
                // A failed read leaves the tracker as it was.
                Err(_) => assert_eq!(t.to_bytes(), before),
            }
        }
        if let Ok(o) = OutcomeTable::read_json(outcomes, "o.ndjson", &options) {
            let open = t.open_journeys() as u64;
            let before = t.to_bytes();
            match t.close_table(&o) {
                Ok(s) => assert!(s.journeys <= open),
                Err(_) => assert_eq!(t.to_bytes(), before),
            }
        }
        let d = Dashboard::build(&t, Some(x), &DashboardOptions::default()).expect("dashboard");
        assert_eq!(d.amount.interactions, t.interactions());
        assert_eq!(d.rejected.total(), t.rejected().total());
        let back = Tracker::from_bytes(&t.to_bytes()).expect("state round trip");
        assert_eq!(back, t);
    }
});
