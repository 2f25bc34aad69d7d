//! `coachflow.Store`: the event store (coachflow-store) for Python. Every database call runs
//! with the GIL released, so threads append in parallel; processes each open their own.

use crate::{event_text, exception_class, guarded, raise, read_date, to_python, Engagement, Finding};
use coachflow::boundary::parse_stage;
use coachflow_store::StoreError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;
use std::path::PathBuf;

static STORE_ERROR: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The exception for a store error: `RuleViolation` for a rejected event (with the rule
/// codes), `StoreError` with the store's code otherwise.
fn store_error(py: Python<'_>, error: StoreError) -> PyErr {
    if let Some(rejection) = error.rejection {
        return raise(py, rejection);
    }
    let made = exception_class(py, &STORE_ERROR, "StoreError")
        .and_then(|class| class.call1((error.message, error.code.as_str())));
    match made {
        Ok(instance) => PyErr::from_value(instance),
        Err(failure) => failure,
    }
}

/// An engagement store: `Store("sqlite:coachflow.db")` or
/// `Store("postgres://user@host:port/database")`.
#[pyclass(frozen, module = "coachflow")]
pub(crate) struct Store {
    inner: coachflow_store::Store,
    url: String,
}

const _: () = assert!(coachflow_store::SNAPSHOT_EVERY == 100);

#[pymethods]
impl Store {
    #[new]
    // The default is written out so that Python's signature shows it; it is the store's.
    #[pyo3(signature = (url, snapshot_every=100))]
    fn new(py: Python<'_>, url: String, snapshot_every: u64) -> PyResult<Store> {
        guarded(py, || {
            let inner = py
                .detach(|| coachflow_store::Store::open(&url))
                .map_err(|error| store_error(py, error))?
                .snapshot_every(snapshot_every);
            Ok(Store { inner, url })
        })
    }

    /// Checks an event (a dict or a JSON string) against its engagement as stored and
    /// stores it: `{"seq", "position", "warnings"}`.
    fn append<'py>(&self, py: Python<'py>, event: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyDict>> {
        guarded(py, || {
            let event = event_text(event)
                .and_then(|text| coachflow::Event::from_json(&text))
                .map_err(|rejection| raise(py, rejection))?;
            let appended = py.detach(|| self.inner.append(&event)).map_err(|error| store_error(py, error))?;
            let result = PyDict::new(py);
            result.set_item("seq", appended.seq)?;
            result.set_item("position", appended.position)?;
            let warnings: Vec<Finding> = appended.warnings.into_iter().map(Finding::from).collect();
            result.set_item("warnings", warnings)?;
            Ok(result)
        })
    }

    /// The engagement as stored, or `None`.
    fn load(&self, py: Python<'_>, engagement: &str) -> PyResult<Option<Engagement>> {
        guarded(py, || {
            let loaded = py.detach(|| self.inner.load(engagement)).map_err(|error| store_error(py, error))?;
            Ok(loaded.map(Engagement::wrap))
        })
    }

    /// Every engagement's `{"id", "stage", "events"}`, in order of first event; only those
    /// in `stage` when given.
    #[pyo3(signature = (stage=None))]
    fn engagements<'py>(&self, py: Python<'py>, stage: Option<&str>) -> PyResult<Bound<'py, PyAny>> {
        guarded(py, || {
            let stage = stage.map(parse_stage).transpose().map_err(|error| raise(py, error))?;
            let summaries = py.detach(|| self.inner.engagements(stage)).map_err(|error| store_error(py, error))?;
            to_python(py, &summaries)
        })
    }

    /// Every open obligation of every engagement as of a date (for reminder jobs; it names
    /// everyone's obligations).
    fn due<'py>(&self, py: Python<'py>, as_of: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        guarded(py, || {
            let as_of = read_date(as_of).map_err(|error| raise(py, error))?;
            let owed = py.detach(|| self.inner.due(as_of)).map_err(|error| store_error(py, error))?;
            to_python(py, &owed)
        })
    }

    /// One analytics row per engagement (`coachflow.to_pandas` makes a DataFrame of them).
    fn metrics<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guarded(py, || {
            let rows = py.detach(|| self.inner.metrics()).map_err(|error| store_error(py, error))?;
            to_python(py, &rows)
        })
    }

    /// Up to `limit` events after global position `after`: `{"position", "engagement",
    /// "seq", "event"}` with the event as its JSON line.
    #[pyo3(signature = (after=0, limit=1000))]
    fn since<'py>(&self, py: Python<'py>, after: u64, limit: u64) -> PyResult<Bound<'py, PyAny>> {
        guarded(py, || {
            let entries = py.detach(|| self.inner.since(after, limit)).map_err(|error| store_error(py, error))?;
            to_python(py, &entries)
        })
    }

    /// Imports a JSON Lines log; resumable after a crash. Returns `{"started_at_line",
    /// "lines", "events_stored", "problems"}`, each problem a `(line, [Finding])`.
    fn import_jsonl<'py>(&self, py: Python<'py>, path: PathBuf) -> PyResult<Bound<'py, PyDict>> {
        guarded(py, || {
            let report =
                py.detach(|| self.inner.import_jsonl(&path, |_, _| {})).map_err(|error| store_error(py, error))?;
            let result = PyDict::new(py);
            result.set_item("started_at_line", report.started_at_line)?;
            result.set_item("lines", report.lines)?;
            result.set_item("events_stored", report.events_stored)?;
            let problems: Vec<(u64, Vec<Finding>)> = report
                .problems
                .into_iter()
                .map(|(line, findings)| (line, findings.into_iter().map(Finding::from).collect()))
                .collect();
            result.set_item("problems", problems)?;
            Ok(result)
        })
    }

    /// Writes every stored event to `path` as JSON Lines (the canonical log); returns how
    /// many.
    fn export_jsonl(&self, py: Python<'_>, path: PathBuf) -> PyResult<u64> {
        guarded(py, || {
            py.detach(|| {
                let file = std::fs::File::create(&path).map_err(|error| StoreError::file(&path, error))?;
                let mut file = std::io::BufWriter::new(file);
                let written = self.inner.export_jsonl(&mut file)?;
                std::io::Write::flush(&mut file).map_err(|error| StoreError::file(&path, error))?;
                Ok(written)
            })
            .map_err(|error| store_error(py, error))
        })
    }

    fn __repr__(&self) -> String {
        let shown = self.url.split_once('@').map_or(self.url.as_str(), |(_, host)| host);
        format!("Store({shown:?})")
    }
}
