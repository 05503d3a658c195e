//! wasm-bindgen-test: the binding's Rust API as JavaScript sees it, run in
//! Node (`wasm-bindgen-test-runner`) and in headless Chromium
//! (`WASM_BINDGEN_USE_BROWSER=1`, chromedriver). See scripts/test.sh.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use js_sys::Reflect;
use mot_wasm::{Experience, Tracker, dashboard, dashboard_from_csv, sample_experience, sample_log};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn prop(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn log() -> (String, String) {
    let log = sample_log(Some(300), Some(5.0));
    (
        prop(&log, "events").as_string().unwrap(),
        prop(&log, "outcomes").as_string().unwrap(),
    )
}

#[wasm_bindgen_test]
fn csv_dashboard_is_the_contract() {
    let (events, outcomes) = log();
    let options: JsValue = js_sys::JSON::parse(&format!(
        r#"{{"experience": {}, "period": "day"}}"#,
        serde_json::to_string(&sample_experience()).unwrap()
    ))
    .unwrap();
    let d: JsValue = dashboard_from_csv(
        &events,
        Some(outcomes),
        Some(tsify::Ts::new_unchecked(options)),
    )
    .unwrap()
    .into();
    assert_eq!(
        prop(&d, "format").as_string().as_deref(),
        Some("mot.dashboard/1")
    );
    assert_eq!(prop(&prop(&d, "sco"), "journeys").as_f64(), Some(300.0));
}

#[wasm_bindgen_test]
fn errors_are_js_errors_and_the_module_keeps_working() {
    for text in ["{", r#"{"format": "mot.experience/9"}"#, "[]"] {
        let err = Experience::from_json(text).unwrap_err();
        assert!(err.is_instance_of::<js_sys::Error>());
        let e: &js_sys::Error = err.unchecked_ref();
        assert_eq!(String::from(e.name()), "MotError");
        assert!(prop(&err, "kind").as_string().is_some());
        // The next call still works.
        assert_eq!(
            Experience::from_json(&sample_experience()).unwrap().name(),
            "Air travel"
        );
    }
    let err = Tracker::from_bytes(&[0xff; 16], JsValue::UNDEFINED).unwrap_err();
    assert_eq!(prop(&err, "kind").as_string().as_deref(), Some("state"));
    let err = dashboard(JsValue::from_f64(1.0), None, JsValue::UNDEFINED, None).unwrap_err();
    assert_eq!(prop(&err, "kind").as_string().as_deref(), Some("columns"));
}

#[wasm_bindgen_test]
fn tracker_round_trips_through_bytes() {
    let x = JsValue::from_str(&sample_experience());
    let mut t = Tracker::new(x.clone(), None).unwrap();
    t.record(
        JsValue::from_str("j1"),
        "check-in",
        1_795_392_000.0,
        Some(true),
        Some(1.0),
        None,
        None,
    )
    .unwrap();
    t.close_journey(JsValue::from_str("j1"), Some(true), None)
        .unwrap();
    let back = Tracker::from_bytes(&t.to_bytes(), x).unwrap();
    assert_eq!((back.interactions(), back.journeys()), (1.0, 1.0));
    assert_eq!(back.to_bytes(), t.to_bytes());
}
