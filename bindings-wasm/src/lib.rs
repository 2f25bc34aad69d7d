//! The WebAssembly binding of coachflow, for browsers and node.
//!
//! Thin by design: events arrive as JavaScript objects or JSON text and go through the core
//! parser; results leave as plain JavaScript objects; every error is a JavaScript `Error`
//! named `CoachflowError` with a stable `code` (a rule code or a boundary code) and the
//! `violations`. The TypeScript types of the package come from [`typescript_definitions`].

use coachflow::boundary::{self, replay_texts, BoundaryError, CheckResult, ErrorPayload};
use coachflow::{Rejection, Rule};
use serde::Serialize;
use wasm_bindgen::prelude::*;

mod typescript;
pub use typescript::typescript_definitions;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("../types/coachflow-types.d.ts");

/// Runs when the module is instantiated. Participant ids are compared after NFKC; the
/// JavaScript engine has the Unicode tables, so the module does not carry them.
///
/// The module is built with `panic = "immediate-abort"` (scripts/build-wasm): a
/// panic, which no known input causes, traps at once and the call throws a `RuntimeError`.
#[wasm_bindgen(start)]
pub fn start() {
    coachflow::boundary::set_nfkc_normalizer(|text| String::from(js_sys::JsString::from(text).normalize("NFKC")));
}

/// Builds the thrown value from the binding protocol's error payload: an `Error` named
/// `CoachflowError` with `code`, `violations` and, for replays, the `index` of the rejected
/// event. Built only on the error path.
fn throw(error: impl Into<ErrorPayload>) -> JsValue {
    let error = error.into();
    let thrown = js_sys::Error::new(&error.message);
    thrown.set_name("CoachflowError");
    let set = |key: &str, value: JsValue| js_sys::Reflect::set(&thrown, &JsValue::from_str(key), &value);
    // Setting a property on a fresh Error object cannot fail; ignore the Result.
    let _ = set("code", JsValue::from_str(error.code));
    let _ = set("violations", to_js(&error.violations).unwrap_or(JsValue::NULL));
    let _ = set("index", error.index.map_or(JsValue::NULL, |index| JsValue::from_f64(index as f64)));
    thrown.into()
}

/// Converts a core value to a plain JavaScript value (through JSON, so dates stay strings).
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let internal = |message: String| throw(BoundaryError::internal(message));
    let text = serde_json::to_string(value).map_err(|error| internal(error.to_string()))?;
    js_sys::JSON::parse(&text).map_err(|_| internal(String::from("the result could not be handed to JavaScript")))
}

/// The findings as a JavaScript array: a fresh empty array, the common answer, without the
/// round trip through JSON text that a non-empty list takes.
fn findings_to_js(findings: &[coachflow::Finding]) -> Result<JsValue, JsValue> {
    if findings.is_empty() {
        return Ok(js_sys::Array::new().into());
    }
    to_js(findings)
}

/// A `CheckResult` as a plain object `{ ok, violations, warnings }`, built field by field so
/// that a verdict with no findings never becomes JSON text.
fn check_result_to_js(result: &CheckResult) -> Result<JsValue, JsValue> {
    let object: CheckResultObject = js_sys::Object::new().unchecked_into();
    object.set_ok(result.ok);
    object.set_violations(findings_to_js(&result.violations)?);
    object.set_warnings(findings_to_js(&result.warnings)?);
    Ok(object.into())
}

/// The JSON text of an event given as an object or as a JSON string. What cannot be
/// written as JSON is `invalid_event`.
fn event_text(event: &JsValue) -> Result<String, Rejection> {
    // `is_string` first: reading a value that is not a string as one still costs a crossing.
    if let Some(text) = event.is_string().then(|| event.as_string()).flatten() {
        return Ok(text);
    }
    let unreadable = |why: &str| Rejection::single(coachflow::Code::InvalidEvent, Rule::L2, why.to_owned());
    json_text(event)
        .map_err(|_| unreadable("the event cannot be written as JSON (a cycle, a BigInt, or nesting too deep)"))?
        .ok_or_else(|| unreadable("the event is not a JSON value (undefined or a function)"))
}

/// A text argument. The glue wasm-bindgen generates for a `&str` or `String` parameter reads
/// any other value as if it were a string and traps (`RuntimeError: memory access out of
/// bounds`), so text parameters arrive as values, and anything but a string is
/// `invalid_argument`.
fn text_argument(value: &JsValue, name: &str) -> Result<String, JsValue> {
    value.as_string().ok_or_else(|| throw(BoundaryError::invalid_argument(format!("`{name}` must be a string"))))
}

/// The version of the coachflow package, such as `0.1.0`.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

#[wasm_bindgen]
extern "C" {
    /// `JSON.stringify`, its text handed into the module by the same call: `None` for a value
    /// JSON cannot hold (`undefined`, a function), `Err` when it throws. One crossing where
    /// `js_sys::JSON::stringify` and reading the string it returns took two.
    #[wasm_bindgen(catch, js_namespace = JSON, js_name = stringify)]
    fn json_text(value: &JsValue) -> Result<Option<String>, JsValue>;

    /// The `Limits` interface of the TypeScript types: size caps, each optional.
    #[wasm_bindgen(typescript_type = "Limits")]
    pub type LimitsObject;

    /// The `CheckResult` interface, filled in by plain property writes (no `Reflect` call).
    #[wasm_bindgen(typescript_type = "CheckResult")]
    type CheckResultObject;
    #[wasm_bindgen(method, setter = ok)]
    fn set_ok(this: &CheckResultObject, ok: bool);
    #[wasm_bindgen(method, setter = violations)]
    fn set_violations(this: &CheckResultObject, violations: JsValue);
    #[wasm_bindgen(method, setter = warnings)]
    fn set_warnings(this: &CheckResultObject, warnings: JsValue);
}

/// Reads size caps from an object such as `{ max_text_chars: 1000 }`; none: the defaults.
fn read_limits(limits: Option<LimitsObject>) -> Result<coachflow::Limits, JsValue> {
    let Some(limits) = limits else { return Ok(coachflow::Limits::DEFAULT) };
    let text = json_text(&limits.into())
        .ok()
        .flatten()
        .ok_or_else(|| throw(BoundaryError::invalid_argument("limits must be a plain object of numbers")))?;
    coachflow::boundary::parse_limits(&text).map_err(throw)
}

/// One coaching engagement: the fold of its events. Call `free()` when done with it.
#[wasm_bindgen]
pub struct Engagement {
    inner: coachflow::Engagement,
}

#[wasm_bindgen]
impl Engagement {
    /// An engagement with this id and no events yet, under the default size caps or `limits`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        limits: Option<LimitsObject>,
    ) -> Result<Engagement, JsValue> {
        let id = text_argument(&id, "id")?;
        let limits = read_limits(limits)?;
        Ok(Engagement { inner: coachflow::Engagement::new(id).with_limits(limits) })
    }

    /// Replays a whole log: an array of events (objects or JSON strings) or a JSON Lines
    /// string. Throws a `CoachflowError` with `index` at the first rejected event.
    pub fn replay(
        #[wasm_bindgen(unchecked_param_type = "ReadonlyArray<EngagementEvent | string> | string")] events: JsValue,
        limits: Option<LimitsObject>,
    ) -> Result<Engagement, JsValue> {
        let limits = read_limits(limits)?;
        if let Some(text) = events.as_string() {
            return coachflow::Engagement::replay_jsonl_with_limits(&text, &limits)
                .map(|inner| Engagement { inner })
                .map_err(throw);
        }
        if !js_sys::Array::is_array(&events) {
            return Err(throw(BoundaryError::invalid_argument(
                "replay takes an array of events or a JSON Lines string",
            )));
        }
        let events = js_sys::Array::from(&events);
        replay_texts(events.iter().map(|event| event_text(&event)), &limits)
            .map(|inner| Engagement { inner })
            .map_err(throw)
    }

    /// Applies an event; returns its warnings, or throws a `CoachflowError` listing every
    /// violated rule (the engagement is then unchanged).
    #[wasm_bindgen(unchecked_return_type = "Finding[]")]
    pub fn apply(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "EngagementEvent | string")] event: JsValue,
    ) -> Result<JsValue, JsValue> {
        let text = event_text(&event).map_err(throw)?;
        let applied = self.inner.apply_json(&text).map_err(throw)?;
        findings_to_js(&applied.warnings)
    }

    /// What `apply` would do, without changing anything and without throwing for rule problems.
    #[wasm_bindgen(unchecked_return_type = "CheckResult")]
    pub fn check(
        &self,
        #[wasm_bindgen(unchecked_param_type = "EngagementEvent | string")] event: JsValue,
    ) -> Result<JsValue, JsValue> {
        check_result_to_js(&match event_text(&event) {
            Ok(text) => CheckResult::of_json(&self.inner, &text),
            Err(rejection) => CheckResult::from_verdict(Err(rejection)),
        })
    }

    /// Every guard of the target stage, met or not: the checklist before "advance".
    #[wasm_bindgen(unchecked_return_type = "Requirement[]")]
    pub fn requirements(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Stage")] stage: JsValue,
    ) -> Result<JsValue, JsValue> {
        let stage = boundary::parse_stage(&text_argument(&stage, "stage")?).map_err(throw)?;
        to_js(&self.inner.requirements(stage))
    }

    /// The event types this participant may record now.
    #[wasm_bindgen(js_name = allowedEvents, unchecked_return_type = "EventType[]")]
    pub fn allowed_events(
        &self,
        #[wasm_bindgen(js_name = participantId, unchecked_param_type = "string")] participant_id: JsValue,
    ) -> Result<JsValue, JsValue> {
        let participant_id = text_argument(&participant_id, "participantId")?;
        to_js(&self.inner.allowed_events(&participant_id).map_err(throw)?)
    }

    /// What `viewer` may see of what everyone still owes as of a date written `YYYY-MM-DD`:
    /// their own obligations and those whose subject their view shows.
    #[wasm_bindgen(unchecked_return_type = "Obligation[]")]
    pub fn obligations(
        &self,
        #[wasm_bindgen(js_name = asOf, unchecked_param_type = "string")] as_of: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] viewer: JsValue,
    ) -> Result<JsValue, JsValue> {
        let as_of = boundary::parse_date(&text_argument(&as_of, "asOf")?).map_err(throw)?;
        to_js(&self.inner.obligations(as_of, &text_argument(&viewer, "viewer")?).map_err(throw)?)
    }

    /// What this participant may see.
    #[wasm_bindgen(unchecked_return_type = "View")]
    pub fn view(
        &self,
        #[wasm_bindgen(js_name = participantId, unchecked_param_type = "string")] participant_id: JsValue,
    ) -> Result<JsValue, JsValue> {
        to_js(&self.inner.view(&text_argument(&participant_id, "participantId")?).map_err(throw)?)
    }

    /// What the (first) participant with this role may see.
    #[wasm_bindgen(js_name = viewAs, unchecked_return_type = "View")]
    pub fn view_as(&self, #[wasm_bindgen(unchecked_param_type = "Role")] role: JsValue) -> Result<JsValue, JsValue> {
        let role = boundary::parse_role(&text_argument(&role, "role")?).map_err(throw)?;
        to_js(&self.inner.view_as(role).map_err(throw)?)
    }

    /// Analytics of this engagement, computed from the programme admin's view.
    #[wasm_bindgen(unchecked_return_type = "Metrics")]
    pub fn metrics(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.metrics())
    }

    /// The log as `viewer` may hold it: everything their view does not show replaced by
    /// placeholders, so that a browser can check their events without anyone else's content.
    #[wasm_bindgen(js_name = redactedLog, unchecked_return_type = "EngagementEvent[]")]
    pub fn redacted_log(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] viewer: JsValue,
    ) -> Result<JsValue, JsValue> {
        to_js(&self.inner.redacted_log(&text_argument(&viewer, "viewer")?).map_err(throw)?)
    }

    /// Whether `viewer` may see `record`, and why.
    #[wasm_bindgen(js_name = explainVisibility, unchecked_return_type = "Visibility")]
    pub fn explain_visibility(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] viewer: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] record: JsValue,
    ) -> Result<JsValue, JsValue> {
        let (viewer, record) = (text_argument(&viewer, "viewer")?, text_argument(&record, "record")?);
        to_js(&self.inner.explain_visibility(&viewer, &record).map_err(throw)?)
    }

    /// The engagement id.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.inner.id().to_owned()
    }

    /// The current stage.
    #[wasm_bindgen(getter, unchecked_return_type = "Stage")]
    pub fn stage(&self) -> String {
        self.inner.stage().as_str().to_owned()
    }

    /// The number of events applied.
    #[wasm_bindgen(getter, js_name = eventCount)]
    pub fn event_count(&self) -> usize {
        self.inner.log().len()
    }

    /// The log as JSON Lines, one event per line with its `seq`.
    #[wasm_bindgen(js_name = toJsonl)]
    pub fn to_jsonl(&self) -> String {
        self.inner.to_jsonl()
    }
}
