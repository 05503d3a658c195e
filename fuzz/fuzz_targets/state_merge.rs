//! Merging decoded states: two arbitrary states (the input after its first
//! two bytes, cut where they say — a little-endian `u16` — each part read
//! as a whole state or as a body behind this version's header) merged both
//! ways; merging must succeed or fail with a typed error that leaves the
//! state unchanged.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mot_core::{Dashboard, DashboardOptions, Tracker, TrackerConfig};

/// The magic and version this library writes (the first 10 bytes of any
/// state), so that the seeds and mutations stay current when it changes.
fn header() -> &'static [u8] {
    static HEADER: OnceLock<Vec<u8>> = OnceLock::new();
    HEADER.get_or_init(|| Tracker::discovery(TrackerConfig::default()).to_bytes()[..10].to_vec())
}

fuzz_target!(|data: &[u8]| {
    let [c0, c1, rest @ ..] = data else {
        return;
    };
    let cut = usize::from(u16::from_le_bytes([*c0, *c1])).min(rest.len());
    let (a, b) = rest.split_at(cut);
    let decode =
        |d: &[u8]| Tracker::from_bytes(d).or_else(|_| Tracker::from_bytes(&[header(), d].concat()));
    let (Ok(a), Ok(b)) = (decode(a), decode(b)) else {
        return;
    };
    for (x, y) in [(&a, &b), (&b, &a)] {
        let mut m = x.clone();
        let before = m.to_bytes();
        match m.merge(y) {
            Ok(()) => {
                assert_eq!(m.interactions(), x.interactions() + y.interactions());
                let _ = Dashboard::build(&m, None, &DashboardOptions::default());
                let back = Tracker::from_bytes(&m.to_bytes()).expect("merged state reads back");
                assert_eq!(back.to_bytes(), m.to_bytes());
            }
            Err(_) => assert_eq!(m.to_bytes(), before),
        }
    }
});
