//! Merging decoded states: two arbitrary states (the input split in two,
//! each behind a valid header) merged both ways; merging must succeed or
//! fail with a typed error that leaves the state unchanged.
#![no_main]
use libfuzzer_sys::fuzz_target;
use mot_core::{Dashboard, DashboardOptions, Tracker};

fuzz_target!(|data: &[u8]| {
    let cut = data.first().map_or(0, |&b| b as usize).min(data.len());
    let (a, b) = data.split_at(cut);
    let header = b"MOTSTATE\x01\x00".as_slice();
    let decode =
        |d: &[u8]| Tracker::from_bytes(&[header, d].concat()).or_else(|_| Tracker::from_bytes(d));
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
