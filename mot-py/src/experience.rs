//! `mot.Experience`: the validated experience framework.

use pyo3::prelude::*;
use pyo3::types::PyType;

use crate::errors::{to_py, to_python};

/// An experience: one customer segment's SCO, MOTs, people, designs, ideas
/// and Customer Performance Landscape, validated.
///
/// Load one with :meth:`Experience.from_json` or :meth:`Experience.load`;
/// an invalid document raises :class:`mot.InvalidExperienceError` whose
/// ``problems`` lists every problem with its path.
///
/// Example:
///     >>> import mot
///     >>> x = mot.sample_experience()
///     >>> x.name, len(x.mot_ids())
///     ('Air travel', 18)
#[pyclass(name = "Experience", module = "mot", frozen)]
pub(crate) struct PyExperience {
    pub(crate) inner: mot_core::Experience,
}

#[pymethods]
impl PyExperience {
    /// Reads and validates a ``mot.experience/1`` JSON document.
    ///
    /// Args:
    ///     text: the JSON text.
    ///
    /// Returns:
    ///     The experience.
    ///
    /// Raises:
    ///     JsonError: not JSON, a wrong type or an unknown field (``path`` says where).
    ///     FormatError: a missing, unknown or newer ``format`` tag.
    ///     InvalidExperienceError: the model breaks rules (``problems`` lists them all).
    #[classmethod]
    fn from_json(_cls: &Bound<'_, PyType>, text: &str) -> PyResult<Self> {
        let inner = mot_core::Experience::from_json(text).map_err(to_py)?;
        Ok(PyExperience { inner })
    }

    /// Reads and validates a ``mot.experience/1`` file.
    ///
    /// Args:
    ///     path: the file's path.
    ///
    /// Raises:
    ///     OSError: the file cannot be read.
    ///     JsonError, FormatError, InvalidExperienceError: as :meth:`from_json`.
    #[classmethod]
    fn load(cls: &Bound<'_, PyType>, path: std::path::PathBuf) -> PyResult<Self> {
        let text = std::fs::read_to_string(&path).map_err(|e| {
            pyo3::exceptions::PyOSError::new_err(format!("cannot read `{}`: {e}", path.display()))
        })?;
        Self::from_json(cls, &text)
    }

    /// The experience as ``mot.experience/1`` JSON.
    ///
    /// Args:
    ///     pretty: indent the JSON.
    #[pyo3(signature = (pretty = false))]
    fn to_json(&self, pretty: bool) -> String {
        if pretty {
            self.inner.to_json_pretty()
        } else {
            self.inner.to_json()
        }
    }

    /// The experience as plain Python data (the JSON document, parsed).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, self.inner.spec())
    }

    /// The experience's id.
    #[getter]
    fn id(&self) -> String {
        self.inner.spec().id.clone()
    }

    /// The experience's name.
    #[getter]
    fn name(&self) -> String {
        self.inner.spec().name.clone()
    }

    /// The framework's version label, if any.
    #[getter]
    fn version(&self) -> Option<String> {
        self.inner.spec().version.clone()
    }

    /// The MOT ids, in document order.
    fn mot_ids(&self) -> Vec<String> {
        self.inner.mots().iter().map(|m| m.id.to_string()).collect()
    }

    /// The designed journey, step by step: MOT ids in order, nested MOTs
    /// expanded into their children.
    fn designed_journey(&self) -> Vec<String> {
        self.inner
            .designed_journey()
            .iter()
            .map(|m| m.id.to_string())
            .collect()
    }

    /// The roles of a person: ``experience-manager``, ``mot-manager``,
    /// ``experience-producer``.
    fn roles_of<'py>(&self, py: Python<'py>, person: &str) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner.roles_of(person))
    }

    /// Traces a work item up to the MOTs and the SCO it serves.
    ///
    /// Raises:
    ///     NotFoundError: unknown work id.
    fn trace<'py>(&self, py: Python<'py>, work: &str) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner.trace(work).map_err(to_py)?)
    }

    /// The ids of work that serves no MOT, directly or through other work.
    fn unexplained_work(&self) -> Vec<String> {
        self.inner
            .unexplained_work()
            .iter()
            .map(|w| w.id.to_string())
            .collect()
    }

    /// Work costs rolled up to MOTs and to the experience.
    fn cost_rollup<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner.cost_rollup())
    }

    /// What is at risk if a work item fails.
    ///
    /// Raises:
    ///     NotFoundError: unknown work id.
    fn failure_impact<'py>(&self, py: Python<'py>, work: &str) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner.failure_impact(work).map_err(to_py)?)
    }

    /// What changed from this version to ``other``.
    fn diff<'py>(&self, py: Python<'py>, other: &PyExperience) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &mot_core::diff(self.inner.spec(), other.inner.spec()))
    }

    /// The experience as a Mermaid flowchart.
    fn mermaid(&self) -> String {
        self.inner.mermaid()
    }

    /// The experience as Graphviz DOT.
    fn dot(&self) -> String {
        self.inner.dot()
    }

    /// One MOT's design as a Mermaid flowchart.
    ///
    /// Raises:
    ///     NotFoundError: unknown MOT or no design.
    fn design_mermaid(&self, mot: &str) -> PyResult<String> {
        self.inner.design_mermaid(mot).map_err(to_py)
    }

    /// Pickles through the JSON document.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        let from_json = py.get_type::<PyExperience>().getattr("from_json")?;
        Ok((from_json, (self.inner.to_json(),)))
    }

    fn __repr__(&self) -> String {
        let s = self.inner.spec();
        format!(
            "<mot.Experience {:?} ({} MOTs, {} work items)>",
            s.id,
            s.mots.len(),
            s.landscape.work.len()
        )
    }
}
