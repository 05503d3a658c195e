//! Tracker state decoding: arbitrary bytes (as they are, and behind this
//! version's header) must give a state or a typed error, and a decoded
//! state must encode back to the same bytes and build a dashboard.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mot_core::{Dashboard, DashboardOptions, Tracker, TrackerConfig};

/// The magic and version this library writes (the first 10 bytes of any
/// state), so that mutated bodies stay current when the version changes.
fn header() -> &'static [u8] {
    static HEADER: OnceLock<Vec<u8>> = OnceLock::new();
    HEADER.get_or_init(|| Tracker::discovery(TrackerConfig::default()).to_bytes()[..10].to_vec())
}

fuzz_target!(|data: &[u8]| {
    for bytes in [data.to_vec(), [header(), data].concat()] {
        if let Ok(t) = Tracker::from_bytes(&bytes) {
            let again = t.to_bytes();
            let back = Tracker::from_bytes(&again).expect("re-encoded state reads back");
            assert_eq!(back.to_bytes(), again);
            let _ = Dashboard::build(&t, None, &DashboardOptions::default());
        }
    }
});
