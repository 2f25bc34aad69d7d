//! The native half of the `coachflow` Python package.
//!
//! This crate only converts: Python objects to core events and names, core results to Python
//! objects, and core errors to the exception classes of `coachflow.errors`. Every rule lives in
//! the `coachflow` crate. Each call runs inside [`catch_panic`], so a bug surfaces as
//! `CoachflowError(code="internal_error")` and never as pyo3's `PanicException`.

use coachflow::boundary::{self, catch_panic, parse_limits, replay_texts, BoundaryError, ErrorPayload};
use coachflow::log::{read_log_with_progress, LogProblem as CoreLogProblem};
use coachflow::{Code, Limits, Rejection, Rule};
use pyo3::exceptions::{PyOSError, PyTypeError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple};
use pyo3::IntoPyObjectExt;
use pythonize::pythonize;
use serde::Serialize;
use std::borrow::Cow;
use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

mod read;
mod store;

/// The Python module that holds the exception classes.
const ERRORS_MODULE: &str = "coachflow.errors";

static COACHFLOW_ERROR: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static RULE_VIOLATION: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// One of the exception classes of `coachflow.errors`, looked up once per process.
fn exception_class<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyAny>>,
    name: &str,
) -> PyResult<&'py Bound<'py, PyAny>> {
    cell.get_or_try_init(py, || Ok(py.import(ERRORS_MODULE)?.getattr(name)?.unbind())).map(|class| class.bind(py))
}

/// The exception for the binding protocol's error payload: `RuleViolation` for violated
/// rules, `CoachflowError` for boundary errors. Built only on the error path.
fn raise(py: Python<'_>, error: impl Into<ErrorPayload>) -> PyErr {
    let error = error.into();
    let made = if error.is_rule_violation() {
        let violations: Vec<Finding> = error.violations.into_iter().map(Finding::from).collect();
        exception_class(py, &RULE_VIOLATION, "RuleViolation")
            .and_then(|class| class.call1((error.message, violations, error.index)))
    } else {
        exception_class(py, &COACHFLOW_ERROR, "CoachflowError")
            .and_then(|class| class.call1((error.message, error.code)))
    };
    match made {
        Ok(instance) => PyErr::from_value(instance),
        Err(failure) => failure,
    }
}

/// Runs `work` with panics caught, then maps its error.
fn guarded<T>(py: Python<'_>, work: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    catch_panic(work).map_err(|error| raise(py, error))?
}

/// Converts a core value to plain Python data (dicts, lists, str, int, float, bool, None).
fn to_python<'py, T: Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    pythonize(py, value).map_err(|error| raise(py, BoundaryError::internal(error.to_string())))
}

/// The JSON text of an event given as a dict (any mapping of JSON-like values, written as
/// JSON here) or as a JSON string. Anything that cannot be read is a rejection with
/// `invalid_event`, like malformed JSON.
fn event_text<'a>(event: &'a Bound<'_, PyAny>) -> Result<Cow<'a, str>, Rejection> {
    if let Ok(text) = event.cast::<PyString>() {
        return text.to_cow().map_err(|error| {
            Rejection::single(Code::InvalidEvent, Rule::L2, format!("the event text is not valid Unicode: {error}"))
        });
    }
    let mut text = Vec::with_capacity(256);
    write_json(event, 0, &mut text)
        .and_then(|()| String::from_utf8(text).map_err(|error| error.to_string()))
        .map(Cow::Owned)
        .map_err(|problem| {
            Rejection::single(Code::InvalidEvent, Rule::L2, format!("the event cannot be read as JSON data: {problem}"))
        })
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
        return write_text(out, &text.to_cow().map_err(|error| error.to_string())?);
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
    let kind = type_name(value);
    Err(format!("a {kind} is not JSON data (use dicts, lists, str, int, float, bool, None)"))
}

/// The name of a value's type, for a message.
fn type_name(value: &Bound<'_, PyAny>) -> String {
    value.get_type().name().map(|name| name.to_string()).unwrap_or_default()
}

/// Writes a string as JSON: as it is when nothing in it needs escaping (the common case),
/// through serde_json's escaping otherwise.
fn write_text(out: &mut Vec<u8>, text: &str) -> Result<(), String> {
    if text.bytes().all(|byte| byte >= 0x20 && byte != b'"' && byte != b'\\') {
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
        return Ok(());
    }
    write_scalar(out, text)
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
        // The key's type, not the key: printing it runs the caller's code, which may raise.
        let key = key.cast::<PyString>().map_err(|_| format!("a key of type {} is not a string", type_name(&key)))?;
        write_text(out, &key.to_cow().map_err(|error| error.to_string())?)?;
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
        Finding {
            code: finding.code.as_str().to_owned(),
            rule: finding.rule.as_str().to_owned(),
            message: finding.message,
        }
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

/// The verdict of `check`: whether the event would apply, every violated rule, and the
/// warnings it would bring.
#[pyclass(frozen, get_all, module = "coachflow")]
struct CheckResult {
    /// Whether the event would apply.
    ok: bool,
    /// Every violated rule; empty when `ok`.
    violations: Vec<Finding>,
    /// The warnings the event would bring; empty when not `ok`.
    warnings: Vec<Finding>,
}

impl From<boundary::CheckResult> for CheckResult {
    fn from(result: boundary::CheckResult) -> CheckResult {
        let findings = |list: Vec<coachflow::Finding>| list.into_iter().map(Finding::from).collect();
        CheckResult { ok: result.ok, violations: findings(result.violations), warnings: findings(result.warnings) }
    }
}

#[pymethods]
impl CheckResult {
    /// The codes of the violations, in order.
    #[getter]
    fn codes(&self) -> Vec<String> {
        self.violations.iter().map(|finding| finding.code.clone()).collect()
    }

    fn __bool__(&self) -> bool {
        self.ok
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "CheckResult(ok={}, codes={}, warnings={})",
            python_repr(py, self.ok)?,
            python_repr(py, self.codes())?,
            self.warnings.len()
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
        let limits = read_limits(limits).map_err(|error| raise(py, error))?;
        Ok(Engagement::wrap(coachflow::Engagement::new(id).with_limits(limits)))
    }

    /// Replays a whole log: an iterable of events (dicts or JSON strings) or one JSON Lines string.
    #[staticmethod]
    #[pyo3(signature = (events, *, limits=None))]
    fn replay(py: Python<'_>, events: &Bound<'_, PyAny>, limits: Option<&Bound<'_, PyAny>>) -> PyResult<Engagement> {
        guarded(py, || {
            let limits = read_limits(limits).map_err(|error| raise(py, error))?;
            if let Ok(text) = events.cast::<PyString>() {
                let text = text.to_cow()?.into_owned();
                return py
                    .detach(|| coachflow::Engagement::replay_jsonl_with_limits(&text, &limits))
                    .map(Engagement::wrap)
                    .map_err(|error| raise(py, error));
            }
            // Read up to the first event that cannot be read; the replay reports it with its index.
            let mut read = Vec::new();
            for event in events.try_iter()? {
                let text = event_text(&event?).map(Cow::into_owned);
                let unreadable = text.is_err();
                read.push(text);
                if unreadable {
                    break;
                }
            }
            py.detach(|| replay_texts(read, &limits)).map(Engagement::wrap).map_err(|error| raise(py, error))
        })
    }

    /// Applies an event; returns its warnings or raises `RuleViolation`.
    fn apply(&self, py: Python<'_>, event: &Bound<'_, PyAny>) -> PyResult<Vec<Finding>> {
        guarded(py, || {
            let text = event_text(event).map_err(|rejection| raise(py, rejection))?;
            let applied = self.lock().apply_json(&text).map_err(|rejection| raise(py, rejection))?;
            Ok(applied.warnings.into_iter().map(Finding::from).collect())
        })
    }

    /// What `apply` would do, without changing anything. Never raises for rule problems.
    fn check(&self, py: Python<'_>, event: &Bound<'_, PyAny>) -> PyResult<CheckResult> {
        self.read(py, |engagement| {
            let result = match read::read_event(event) {
                Some(read) => boundary::CheckResult::from_verdict(engagement.check(&read)),
                None => match event_text(event) {
                    Ok(text) => boundary::CheckResult::of_json(engagement, &text),
                    Err(rejection) => boundary::CheckResult::from_verdict(Err(rejection)),
                },
            };
            Ok(CheckResult::from(result))
        })
    }

    /// Every guard of the target stage, met or not.
    fn requirements(&self, py: Python<'_>, stage: &str) -> PyResult<Vec<Requirement>> {
        let stage = boundary::parse_stage(stage).map_err(|error| raise(py, error))?;
        self.read(py, |engagement| {
            Ok(engagement
                .requirements(stage)
                .into_iter()
                .map(|requirement| Requirement {
                    code: requirement.code.as_str().to_owned(),
                    rule: requirement.rule.as_str().to_owned(),
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
            Err(finding) => Err(raise(py, finding)),
        })
    }

    /// What `viewer` may see of what everyone still owes as of a date: their own
    /// obligations and those whose subject their view shows.
    fn obligations<'py>(
        &self,
        py: Python<'py>,
        as_of: &Bound<'py, PyAny>,
        viewer: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let as_of = read_date(as_of).map_err(|error| raise(py, error))?;
        self.read(py, |engagement| match engagement.obligations(as_of, viewer) {
            Ok(owed) => to_python(py, &owed),
            Err(finding) => Err(raise(py, finding)),
        })
    }

    /// What this participant may see, as a dict.
    fn view<'py>(&self, py: Python<'py>, participant: &str) -> PyResult<Bound<'py, PyAny>> {
        self.read(py, |engagement| match engagement.view(participant) {
            Ok(view) => to_python(py, &view),
            Err(finding) => Err(raise(py, finding)),
        })
    }

    /// The log as `viewer` may hold it, as a list of dicts: everything their view does not
    /// show replaced by placeholders, so that another process can check their events
    /// without anyone else's content.
    fn redacted_log<'py>(&self, py: Python<'py>, viewer: &str) -> PyResult<Bound<'py, PyAny>> {
        self.read(py, |engagement| match engagement.redacted_log(viewer) {
            Ok(events) => to_python(py, &events),
            Err(finding) => Err(raise(py, finding)),
        })
    }

    /// What the (first) participant with this role may see, as a dict.
    fn view_as<'py>(&self, py: Python<'py>, role: &str) -> PyResult<Bound<'py, PyAny>> {
        let role = boundary::parse_role(role).map_err(|error| raise(py, error))?;
        self.read(py, |engagement| match engagement.view_as(role) {
            Ok(view) => to_python(py, &view),
            Err(finding) => Err(raise(py, finding)),
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
            Err(finding) => Err(raise(py, finding)),
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
    let limits = read_limits(limits).map_err(|error| raise(py, error))?;
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

/// Reads log lines already in memory (one engagement's lines in a Spark group, say) as the
/// file reader would: every line judged against its engagement, bad lines reported and
/// skipped. Returns the engagements and the problems (line numbers count from 1 in `lines`).
#[pyfunction]
#[pyo3(signature = (lines, *, limits=None))]
fn read_lines(
    py: Python<'_>,
    lines: Vec<String>,
    limits: Option<&Bound<'_, PyAny>>,
) -> PyResult<(Vec<Engagement>, Vec<LogProblem>)> {
    let limits = read_limits(limits).map_err(|error| raise(py, error))?;
    guarded(py, || {
        let replay = py.detach(|| {
            let mut reader = coachflow::log::LogReplayer::with_limits(limits);
            for line in &lines {
                reader.push_line(line);
            }
            reader.finish()
        });
        Ok((
            replay.engagements.into_iter().map(Engagement::wrap).collect(),
            replay.problems.into_iter().map(LogProblem::from).collect(),
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
/// What `role` commits to: a list of `{id, text, locale}`.
#[pyfunction]
fn responsibilities<'py>(py: Python<'py>, role: &str) -> PyResult<Bound<'py, PyAny>> {
    let role = boundary::parse_role(role).map_err(|error| raise(py, error))?;
    to_python(py, &coachflow::guide::responsibilities(role))
}

/// What a built-in session step is for, who leads it, and what a coach can ask.
#[pyfunction]
fn script_guide<'py>(py: Python<'py>, step: &str) -> PyResult<Bound<'py, PyAny>> {
    let step = boundary::parse_step(step).map_err(|error| raise(py, error))?;
    to_python(py, coachflow::guide::script_guide(step))
}

/// The questions that show a coach is partnering in one phase of a session.
#[pyfunction]
fn partnership_prompts<'py>(py: Python<'py>, phase: &str) -> PyResult<Bound<'py, PyAny>> {
    let phase = boundary::parse_phase(phase).map_err(|error| raise(py, error))?;
    to_python(py, coachflow::guide::partnership_prompts(phase))
}

/// The six signs that a coach was not partnering.
#[pyfunction]
fn partnering_signals(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    to_python(py, &coachflow::guide::partnering_signals())
}

/// The five phases of the coaching process.
#[pyfunction]
fn process_phases(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    to_python(py, &coachflow::guide::process_phases())
}

/// The JSON Schema (draft 2020-12) of an event: the envelope and every event type, as a dict.
#[pyfunction]
fn schema(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    to_python(py, &coachflow::event::json_schema())
}

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
    module.add_class::<CheckResult>()?;
    module.add_class::<store::Store>()?;
    module.add_function(wrap_pyfunction!(load_jsonl_native, module)?)?;
    module.add_function(wrap_pyfunction!(metrics_table, module)?)?;
    module.add_function(wrap_pyfunction!(read_lines, module)?)?;
    module.add_function(wrap_pyfunction!(responsibilities, module)?)?;
    module.add_function(wrap_pyfunction!(script_guide, module)?)?;
    module.add_function(wrap_pyfunction!(partnership_prompts, module)?)?;
    module.add_function(wrap_pyfunction!(partnering_signals, module)?)?;
    module.add_function(wrap_pyfunction!(process_phases, module)?)?;
    module.add_function(wrap_pyfunction!(schema, module)?)?;
    let names = |all: Vec<&'static str>| PyTuple::new(py, all);
    module.add("STAGES", names(coachflow::Stage::ALL.iter().map(|stage| stage.as_str()).collect())?)?;
    module.add("ROLES", names(coachflow::Role::ALL.iter().map(|role| role.as_str()).collect())?)?;
    module.add("CODES", names(Code::ALL.iter().map(|code| code.as_str()).collect())?)?;
    module.add("BOUNDARY_CODES", names(boundary::BoundaryCode::ALL.iter().map(|code| code.as_str()).collect())?)?;
    module.add("METRICS_COLUMNS", PyTuple::new(py, coachflow::METRICS_COLUMNS)?)?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
