//! Tracker state decoding: arbitrary bytes (with and without the right
//! header) must give a state or a typed error, and a decoded state must
//! encode back to the same bytes and build a dashboard.
#![no_main]
use libfuzzer_sys::fuzz_target;
use mot_core::{Dashboard, DashboardOptions, Tracker};

fuzz_target!(|data: &[u8]| {
    for bytes in [
        data.to_vec(),
        [b"MOTSTATE\x01\x00".as_slice(), data].concat(),
    ] {
        if let Ok(t) = Tracker::from_bytes(&bytes) {
            let again = t.to_bytes();
            let back = Tracker::from_bytes(&again).expect("re-encoded state reads back");
            assert_eq!(back.to_bytes(), again);
            let _ = Dashboard::build(&t, None, &DashboardOptions::default());
        }
    }
});
