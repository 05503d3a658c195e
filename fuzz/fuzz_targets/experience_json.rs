//! Experience JSON: load and validate arbitrary text. Must answer with an
//! experience or a typed error; a loaded one must write and read back equal.
#![no_main]
use libfuzzer_sys::fuzz_target;
use mot_core::Experience;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(x) = Experience::from_json(text) {
        let back = Experience::from_json(&x.to_json()).expect("a written experience reads back");
        assert_eq!(back, x);
        let _ = (x.cost_rollup(), x.unexplained_work(), x.mermaid(), x.dot());
    }
});
