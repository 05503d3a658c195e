//! The compiled module `mot._mot`: thin wrappers over `mot-core`. Every
//! rule lives in the core; this crate converts Python values and Arrow
//! tables, maps errors, and releases the GIL while the core computes.

mod arrow_in;
mod comparison;
mod dashboard;
mod errors;
mod experience;
mod tracker;

use pyo3::prelude::*;

/// The bundled airline experience (business travellers, 18 MOTs).
#[pyfunction]
fn sample_experience() -> experience::PyExperience {
    experience::PyExperience {
        inner: mot_core::sample::airline(),
    }
}

/// The next version (2026.2) of the bundled airline experience.
#[pyfunction]
fn sample_experience_next() -> experience::PyExperience {
    experience::PyExperience {
        inner: mot_core::sample::airline_next(),
    }
}

/// A deterministic simulated log for the airline sample, as CSV texts
/// ``(events, outcomes)`` (the Python layer turns them into tables).
#[pyfunction]
#[pyo3(signature = (journeys = None, seed = None))]
fn sample_log_csv(py: Python<'_>, journeys: Option<usize>, seed: Option<u64>) -> (String, String) {
    use mot_core::simulate::{SAMPLE_JOURNEYS, SAMPLE_SEED};
    py.detach(|| {
        let x = mot_core::sample::airline();
        let (journeys, seed) = (
            journeys.unwrap_or(SAMPLE_JOURNEYS),
            seed.unwrap_or(SAMPLE_SEED),
        );
        mot_core::simulate::airline_scenario(&x, journeys, seed)
            .generate()
            .to_csv()
    })
}

#[pymodule]
fn _mot(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<experience::PyExperience>()?;
    m.add_class::<tracker::PyTracker>()?;
    m.add_class::<dashboard::PyDashboard>()?;
    m.add_class::<comparison::PyComparison>()?;
    m.add_class::<comparison::PyIdeaReport>()?;
    m.add_function(wrap_pyfunction!(dashboard::dashboard, m)?)?;
    m.add_function(wrap_pyfunction!(dashboard::dashboard_from_csv, m)?)?;
    m.add_function(wrap_pyfunction!(dashboard::dashboard_from_xes, m)?)?;
    m.add_function(wrap_pyfunction!(dashboard::read_xes_columns, m)?)?;
    m.add_function(wrap_pyfunction!(comparison::fitting_period, m)?)?;
    m.add_function(wrap_pyfunction!(comparison::timeline, m)?)?;
    m.add_function(wrap_pyfunction!(sample_experience, m)?)?;
    m.add_function(wrap_pyfunction!(sample_experience_next, m)?)?;
    m.add_function(wrap_pyfunction!(sample_log_csv, m)?)?;
    m.add("DASHBOARD_FORMAT", mot_core::dashboard::DASHBOARD_FORMAT)?;
    m.add("EXPERIENCE_FORMAT", mot_core::FORMAT)?;
    m.add("COMPARISON_FORMAT", mot_core::comparison::COMPARISON_FORMAT)?;
    m.add("IDEAS_FORMAT", mot_core::comparison::IDEAS_FORMAT)?;
    Ok(())
}
