//! The native half of the `coachflow` Python package.
//!
//! This crate only converts: Python objects to core events and names, core results to Python
//! objects, and core errors to the exception classes of `coachflow.errors`. Every rule lives in
//! the `coachflow` crate. Each call runs inside [`catch_panic`], so a bug surfaces as
//! `CoachflowError(code="internal_error")` and never as pyo3's `PanicException`.

use coachflow::boundary::{self, catch_panic, parse_limits, BoundaryError};
use coachflow::log::{read_log_with_progress, LogProblem as CoreLogProblem};
use coachflow::{Code, Event, Limits, Rejection, ReplayError};
use pyo3::exceptions::{PyOSError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple};
use pyo3::IntoPyObjectExt;
use pythonize::pythonize;
use serde::Serialize;
use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

/// The Python module that holds the exception classes.
const ERRORS_MODULE: &str = "coachflow.errors";

/// Instantiates one of the exception classes of `coachflow.errors`.
fn exception<'py>(py: Python<'py>, class: &str, args: impl pyo3::call::PyCallArgs<'py>) -> PyErr {
    let made = py.import(ERRORS_MODULE).and_then(|module| module.getattr(class)).and_then(|class| class.call1(args));
    match made {
        Ok(instance) => PyErr::from_value(instance),
        Err(error) => error,
    }
}

fn boundary_error(py: Python<'_>, error: BoundaryError) -> PyErr {
    exception(py, "CoachflowError", (error.message, error.code.as_str()))
}

fn rule_violation(py: Python<'_>, rejection: Rejection, index: Option<usize>) -> PyErr {
    let message = match index {
        Some(index) => format!("event {index} was rejected: {rejection}"),
        None => rejection.to_string(),
    };
    let violations: Vec<Finding> = rejection.violations.into_iter().map(Finding::from).collect();
    exception(py, "RuleViolation", (message, violations, index))
}

fn replay_error(py: Python<'_>, error: ReplayError) -> PyErr {
    rule_violation(py, error.rejection, Some(error.index))
}

/// Runs `work` with panics caught, then maps its error.
fn guarded<T>(py: Python<'_>, work: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    catch_panic(work).map_err(|error| boundary_error(py, error))?
}

/// Converts a core value to plain Python data (dicts, lists, str, int, float, bool, None).
fn to_python<'py, T: Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    pythonize(py, value).map_err(|error| {
        boundary_error(py, BoundaryError { code: boundary::BoundaryCode::InternalError, message: error.to_string() })
    })
}

/// Reads an event from a dict (any mapping of JSON-like values) or a JSON string. Anything
/// that cannot be read is a rejection with `invalid_event`, like malformed JSON.
fn read_event(event: &Bound<'_, PyAny>) -> Result<Event, Rejection> {
    if let Ok(text) = event.cast::<PyString>() {
        let text = text.to_str().map_err(|error| {
            Rejection::single(Code::InvalidEvent, "L2", format!("the event text is not valid Unicode: {error}"))
        })?;
        return Event::from_json(text);
    }
    let mut text = Vec::with_capacity(256);
    let written = write_json(event, 0, &mut text)
        .and_then(|()| String::from_utf8(text).map_err(|error| error.to_string()))
        .map_err(|problem| {
            Rejection::single(Code::InvalidEvent, "L2", format!("the event cannot be read as JSON data: {problem}"))
        })?;
    Event::from_json(&written)
}

/// How deeply Python data may nest; the same limit serde_json puts on JSON text.
const MAX_DEPTH: usize = 128;

/// Writes Python data as JSON text, refusing what JSON cannot hold and nesting deeper than
/// [`MAX_DEPTH`] (deeper recursion could exhaust the stack and crash the interpreter). The
/// text then goes through the same parser as every other event.
fn write_json(value: &Bound<'_, PyAny>, depth: usize, out: &mut Vec<u8>) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err(format!("it nests deeper than {MAX_DEPTH} levels"));
    }
    if let Ok(text) = value.cast::<PyString>() {
        return write_scalar(out, text.to_str().map_err(|error| error.to_string())?);
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        return write_object(dict.iter(), depth, out);
    }
    if let Ok(list) = value.cast::<PyList>() {
        return write_array(list.iter(), depth, out);
    }
    if let Ok(flag) = value.cast::<PyBool>() {
        return write_scalar(out, flag.is_true());
    }
    if value.cast::<PyInt>().is_ok() {
        return match value.extract::<i64>() {
            Ok(number) => write_scalar(out, number),
            Err(_) => {
                write_scalar(out, value.extract::<u64>().map_err(|_| format!("the integer {value} is out of range"))?)
            }
        };
    }
    if value.is_none() {
        out.extend_from_slice(b"null");
        return Ok(());
    }
    if let Ok(number) = value.cast::<PyFloat>() {
        let number = number.value();
        return if number.is_finite() {
            write_scalar(out, number)
        } else {
            Err(format!("{value} is not a JSON number"))
        };
    }
    if let Ok(tuple) = value.cast::<PyTuple>() {
        return write_array(tuple.iter(), depth, out);
    }
    if let Ok(mapping) = value.cast::<PyMapping>() {
        let pairs: Vec<(Bound<'_, PyAny>, Bound<'_, PyAny>)> =
            mapping.items().and_then(|items| items.extract()).map_err(|error: PyErr| error.to_string())?;
        return write_object(pairs.into_iter(), depth, out);
    }
    let kind = value.get_type().name().map(|name| name.to_string()).unwrap_or_default();
    Err(format!("a {kind} is not JSON data (use dicts, lists, str, int, float, bool, None)"))
}

/// Writes a string, number or boolean as JSON (strings escaped).
fn write_scalar(out: &mut Vec<u8>, value: impl Serialize) -> Result<(), String> {
    serde_json::to_writer(out, &value).map_err(|error| error.to_string())
}

fn write_object<'py>(
    pairs: impl Iterator<Item = (Bound<'py, PyAny>, Bound<'py, PyAny>)>,
    depth: usize,
    out: &mut Vec<u8>,
) -> Result<(), String> {
    out.push(b'{');
    for (index, (key, item)) in pairs.enumerate() {
        if index > 0 {
            out.push(b',');
        }
        let key = key.cast::<PyString>().map_err(|_| format!("the key {key} is not a string"))?;
        write_json(key.as_any(), depth + 1, out)?;
        out.push(b':');
        write_json(&item, depth + 1, out)?;
    }
    out.push(b'}');
    Ok(())
}

fn write_array<'py>(
    items: impl Iterator<Item = Bound<'py, PyAny>>,
    depth: usize,
    out: &mut Vec<u8>,
) -> Result<(), String> {
    out.push(b'[');
    for (index, item) in items.enumerate() {
        if index > 0 {
            out.push(b',');
        }
        write_json(&item, depth + 1, out)?;
    }
    out.push(b']');
    Ok(())
}

/// Reads a date: a `datetime.date` (or `datetime`), or a `YYYY-MM-DD` string.
/// Reads size caps from a mapping such as `{"max_text_chars": 1000}`; `None` is the defaults.
fn read_limits(limits: Option<&Bound<'_, PyAny>>) -> Result<Limits, BoundaryError> {
    let Some(limits) = limits else { return Ok(Limits::DEFAULT) };
    let mut json = Vec::new();
    write_json(limits, 0, &mut json).map_err(BoundaryError::invalid_argument)?;
    parse_limits(&String::from_utf8_lossy(&json))
}

fn read_date(value: &Bound<'_, PyAny>) -> Result<chrono::NaiveDate, BoundaryError> {
    if let Ok(text) = value.cast::<PyString>() {
        return boundary::parse_date(&text.to_string_lossy());
    }
    let part = |name: &str| value.getattr(name).and_then(|part| part.extract::<u32>()).ok();
    match (value.getattr("year").and_then(|year| year.extract::<i32>()).ok(), part("month"), part("day")) {
        (Some(year), Some(month), Some(day)) => chrono::NaiveDate::from_ymd_opt(year, month, day)
            .ok_or_else(|| BoundaryError::invalid_argument(format!("{year}-{month}-{day} is not a date"))),
        _ => Err(BoundaryError::invalid_argument("expected a datetime.date or a YYYY-MM-DD string")),
    }
}

/// One violated rule or one warning.
#[pyclass(frozen, get_all, eq, hash, module = "coachflow")]
#[derive(Clone, PartialEq, Eq, Hash)]
struct Finding {
    /// The stable code, e.g. `"coach_not_assigned"`.
    code: String,
    /// The rule reference, e.g. `"S1"`.
    rule: String,
    /// The finding in words.
    message: String,
}

impl From<coachflow::Finding> for Finding {
    fn from(finding: coachflow::Finding) -> Finding {
        Finding { code: finding.code.as_str().to_owned(), rule: finding.rule.to_owned(), message: finding.message }
    }
}

#[pymethods]
impl Finding {
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Finding(code={}, rule={}, message={})",
            python_repr(py, &self.code)?,
            python_repr(py, &self.rule)?,
            python_repr(py, &self.message)?
        ))
    }
}

/// One guard of a target stage and whether it holds.
#[pyclass(frozen, get_all, eq, module = "coachflow")]
#[derive(Clone, PartialEq, Eq)]
struct Requirement {
    /// The code reported when the guard is unmet.
    code: String,
    /// The rule reference, `S1` ... `S12`.
    rule: String,
    /// Whether the guard holds now.
    met: bool,
    /// What the guard asks, and what is missing.
    message: String,
}

#[pymethods]
impl Requirement {
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Requirement(code={}, met={}, message={})",
            python_repr(py, &self.code)?,
            python_repr(py, self.met)?,
            python_repr(py, &self.message)?
        ))
    }
}

/// A line of a log that could not be applied.
#[pyclass(frozen, get_all, module = "coachflow")]
#[derive(Clone)]
struct LogProblem {
    /// The 1-based line number.
    line: u64,
    /// The engagement of the line, when it could be read.
    engagement: Option<String>,
    /// Every violated rule.
    violations: Vec<Finding>,
}

impl From<CoreLogProblem> for LogProblem {
    fn from(problem: CoreLogProblem) -> LogProblem {
        LogProblem {
            line: problem.line,
            engagement: problem.engagement,
            violations: problem.violations.into_iter().map(Finding::from).collect(),
        }
    }
}

#[pymethods]
impl LogProblem {
    /// The codes of the violations.
    #[getter]
    fn codes(&self) -> Vec<String> {
        self.violations.iter().map(|finding| finding.code.clone()).collect()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "LogProblem(line={}, engagement={}, codes={})",
            self.line,
            python_repr(py, &self.engagement)?,
            python_repr(py, self.codes())?
        ))
    }
}

/// One coaching engagement: the fold of its events. Safe to share between threads.
#[pyclass(frozen, module = "coachflow")]
struct Engagement {
    inner: Mutex<coachflow::Engagement>,
}

impl Engagement {
    fn wrap(engagement: coachflow::Engagement) -> Engagement {
        Engagement { inner: Mutex::new(engagement) }
    }

    /// The engagement. A panic can only poison the lock outside `apply`'s fold, which changes
    /// nothing before it finishes, so a poisoned engagement is still whole.
    fn lock(&self) -> MutexGuard<'_, coachflow::Engagement> {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn read<T>(&self, py: Python<'_>, work: impl FnOnce(&coachflow::Engagement) -> PyResult<T>) -> PyResult<T> {
        guarded(py, || work(&self.lock()))
    }
}

#[pymethods]
impl Engagement {
    #[new]
    #[pyo3(signature = (id, *, limits=None))]
    fn new(py: Python<'_>, id: String, limits: Option<&Bound<'_, PyAny>>) -> PyResult<Engagement> {
        let limits = read_limits(limits).map_err(|error| boundary_error(py, error))?;
        Ok(Engagement::wrap(coachflow::Engagement::new(id).with_limits(limits)))
    }

    /// Replays a whole log: an iterable of events (dicts or JSON strings) or one JSON Lines string.
    #[staticmethod]
    #[pyo3(signature = (events, *, limits=None))]
    fn replay(py: Python<'_>, events: &Bound<'_, PyAny>, limits: Option<&Bound<'_, PyAny>>) -> PyResult<Engagement> {
        guarded(py, || {
            let limits = read_limits(limits).map_err(|error| boundary_error(py, error))?;
            if let Ok(text) = events.cast::<PyString>() {
                let text = text.to_str()?.to_owned();
                return py
                    .detach(|| coachflow::Engagement::replay_jsonl_with_limits(&text, &limits))
                    .map(Engagement::wrap)
                    .map_err(|error| replay_error(py, error));
            }
            let mut read = Vec::new();
            let mut malformed = None;
            for (index, event) in events.try_iter()?.enumerate() {
                match read_event(&event?) {
                    Ok(event) => read.push(event),
                    Err(rejection) => {
                        malformed = Some(ReplayError { index, rejection });
                        break;
                    }
                }
            }
            let engagement = py
                .detach(|| coachflow::Engagement::replay_with_limits(read, &limits))
                .map_err(|error| replay_error(py, error))?;
            match malformed {
                Some(error) => Err(replay_error(py, error)),
                None => Ok(Engagement::wrap(engagement)),
            }
        })
    }

    /// Applies an event; returns its warnings or raises `RuleViolation`.
    fn apply(&self, py: Python<'_>, event: &Bound<'_, PyAny>) -> PyResult<Vec<Finding>> {
        guarded(py, || {
            let event = read_event(event).map_err(|rejection| rule_violation(py, rejection, None))?;
            let applied = self.lock().apply(event).map_err(|rejection| rule_violation(py, rejection, None))?;
            Ok(applied.warnings.into_iter().map(Finding::from).collect())
        })
    }

    /// The violations the event would bring; empty when it would apply.
    fn check(&self, py: Python<'_>, event: &Bound<'_, PyAny>) -> PyResult<Vec<Finding>> {
        self.read(py, |engagement| {
            let verdict = read_event(event).and_then(|event| engagement.check(&event));
            Ok(verdict
                .err()
                .map(|rejection| rejection.violations)
                .unwrap_or_default()
                .into_iter()
                .map(Finding::from)
                .collect())
        })
    }

    /// Every guard of the target stage, met or not.
    fn requirements(&self, py: Python<'_>, stage: &str) -> PyResult<Vec<Requirement>> {
        let stage = boundary::parse_stage(stage).map_err(|error| boundary_error(py, error))?;
        self.read(py, |engagement| {
            Ok(engagement
                .requirements(stage)
                .into_iter()
                .map(|requirement| Requirement {
                    code: requirement.code.as_str().to_owned(),
                    rule: requirement.rule.to_owned(),
                    met: requirement.met,
                    message: requirement.message,
                })
                .collect())
        })
    }

    /// The event types the participant may record now.
    fn allowed_events(&self, py: Python<'_>, participant: &str) -> PyResult<Vec<&'static str>> {
        self.read(py, |engagement| match engagement.allowed_events(participant) {
            Ok(types) => Ok(types.into_iter().map(|event_type| event_type.as_str()).collect()),
            Err(finding) => Err(rule_violation(py, finding.into(), None)),
        })
    }

    /// What each participant still owes as of a date.
    fn obligations<'py>(&self, py: Python<'py>, as_of: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let as_of = read_date(as_of).map_err(|error| boundary_error(py, error))?;
        self.read(py, |engagement| to_python(py, &engagement.obligations(as_of)))
    }

    /// What this participant may see, as a dict.
    fn view<'py>(&self, py: Python<'py>, participant: &str) -> PyResult<Bound<'py, PyAny>> {
        self.read(py, |engagement| match engagement.view(participant) {
            Ok(view) => to_python(py, &view),
            Err(finding) => Err(rule_violation(py, finding.into(), None)),
        })
    }

    /// What the (first) participant with this role may see, as a dict.
    fn view_as<'py>(&self, py: Python<'py>, role: &str) -> PyResult<Bound<'py, PyAny>> {
        let role = boundary::parse_role(role).map_err(|error| boundary_error(py, error))?;
        self.read(py, |engagement| match engagement.view_as(role) {
            Ok(view) => to_python(py, &view),
            Err(finding) => Err(rule_violation(py, finding.into(), None)),
        })
    }

    /// Analytics of this engagement, computed from the programme admin's view.
    fn metrics<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.read(py, |engagement| to_python(py, &engagement.metrics()))
    }

    /// Whether `viewer` may see `record`, and why.
    fn explain_visibility<'py>(&self, py: Python<'py>, viewer: &str, record: &str) -> PyResult<Bound<'py, PyAny>> {
        self.read(py, |engagement| match engagement.explain_visibility(viewer, record) {
            Ok(visibility) => to_python(py, &visibility),
            Err(finding) => Err(rule_violation(py, finding.into(), None)),
        })
    }

    /// The log as JSON Lines, one event per line with its `seq`.
    fn to_jsonl(&self, py: Python<'_>) -> PyResult<String> {
        self.read(py, |engagement| Ok(engagement.to_jsonl()))
    }

    /// The engagement id.
    #[getter]
    fn id(&self, py: Python<'_>) -> PyResult<String> {
        self.read(py, |engagement| Ok(engagement.id().to_owned()))
    }

    /// The current stage.
    #[getter]
    fn stage(&self, py: Python<'_>) -> PyResult<&'static str> {
        self.read(py, |engagement| Ok(engagement.stage().as_str()))
    }

    /// The participants by role.
    #[getter]
    fn participants<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.read(py, |engagement| to_python(py, engagement.participants()))
    }

    /// The number of events applied.
    fn __len__(&self, py: Python<'_>) -> PyResult<usize> {
        self.read(py, |engagement| Ok(engagement.log().len()))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        self.read(py, |engagement| {
            Ok(format!(
                "<Engagement {} stage={} events={}>",
                python_repr(py, engagement.id())?,
                engagement.stage(),
                engagement.log().len()
            ))
        })
    }
}

/// Loads a JSON Lines log with the GIL released. Returns the engagements, the problems, the
/// number of lines and of events applied. `on_progress(bytes_read)` is called every
/// `every_bytes` bytes and once at the end.
#[pyfunction]
#[pyo3(signature = (path, on_progress=None, every_bytes=4_194_304, limits=None))]
fn load_jsonl_native(
    py: Python<'_>,
    path: PathBuf,
    on_progress: Option<Py<PyAny>>,
    every_bytes: u64,
    limits: Option<&Bound<'_, PyAny>>,
) -> PyResult<(Vec<Engagement>, Vec<LogProblem>, u64, u64)> {
    let limits = read_limits(limits).map_err(|error| boundary_error(py, error))?;
    // OSError(errno, text, filename) becomes the matching subclass (FileNotFoundError, ...)
    // and names the file in its message.
    let file = File::open(&path).map_err(|error| {
        let text = error.kind().to_string();
        PyOSError::new_err((error.raw_os_error().unwrap_or(0), text, path.display().to_string()))
    })?;
    guarded(py, || {
        let mut callback_error = None;
        let replay = py.detach(|| {
            read_log_with_progress(BufReader::with_capacity(1 << 20, file), &limits, every_bytes, |bytes| {
                if let (Some(callback), None) = (&on_progress, &callback_error) {
                    callback_error = Python::attach(|py| callback.call1(py, (bytes,)).err());
                }
            })
        });
        if let Some(error) = callback_error {
            return Err(error);
        }
        Ok((
            replay.engagements.into_iter().map(Engagement::wrap).collect(),
            replay.problems.into_iter().map(LogProblem::from).collect(),
            replay.lines,
            replay.events_applied,
        ))
    })
}

/// One metrics dict per engagement, in order.
#[pyfunction]
fn metrics_table<'py>(py: Python<'py>, engagements: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyList>> {
    let rows = PyList::empty(py);
    for engagement in engagements.try_iter()? {
        let engagement = engagement?;
        let engagement = engagement.cast::<Engagement>().map_err(|_| {
            PyTypeError::new_err(format!("metrics_table takes Engagement objects, not {}", engagement.get_type()))
        })?;
        rows.append(engagement.get().metrics(py)?)?;
    }
    Ok(rows)
}

/// Native half of the `coachflow` package; import `coachflow` instead.
/// How Python itself prints `value` (`'text'`, `None`, `True`, `['a', 'b']`).
fn python_repr<'py>(py: Python<'py>, value: impl IntoPyObject<'py>) -> PyResult<String> {
    Ok(value.into_bound_py_any(py)?.repr()?.to_string())
}

#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = module.py();
    module.add_class::<Engagement>()?;
    module.add_class::<Finding>()?;
    module.add_class::<Requirement>()?;
    module.add_class::<LogProblem>()?;
    module.add_function(wrap_pyfunction!(load_jsonl_native, module)?)?;
    module.add_function(wrap_pyfunction!(metrics_table, module)?)?;
    let names = |all: Vec<&'static str>| PyTuple::new(py, all);
    module.add("STAGES", names(coachflow::Stage::ALL.iter().map(|stage| stage.as_str()).collect())?)?;
    module.add("ROLES", names(coachflow::Role::ALL.iter().map(|role| role.as_str()).collect())?)?;
    module.add("CODES", names(Code::ALL.iter().map(|code| code.as_str()).collect())?)?;
    module.add("BOUNDARY_CODES", names(boundary::BoundaryCode::ALL.iter().map(|code| code.as_str()).collect())?)?;
    module.add("METRICS_COLUMNS", PyTuple::new(py, coachflow::metrics::METRICS_COLUMNS)?)?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
