//! The JSON Schema (draft 2020-12) of the event format, generated from the event types'
//! field lists ([`EventType::fields`]) and the closed vocabularies, so that it cannot drift
//! from the decoder. Other stacks validate shapes and build forms from it; the rules that
//! need the engagement's history (stages, roles, references) stay in the engine.
//!
//! What a schema cannot say without the log is listed in `docs/decisions.md` (issue 20):
//! the engagement id matching the log's, a consent to a session that has not ended, and a
//! programme script naming one step twice.

use super::{ActionItem, EventType, FieldSpec, ScriptStep, MAX_PARTICIPANT_ID_CHARS, SCHEMA_VERSION};
use crate::engine::INVISIBLE;
use crate::model::{
    BuiltinStep, EngagementLevel, GoalOutcome, MeetingKind, MidpointCheckIn, PartneringSignal, PartnershipPhase,
    RaterGroup, Role, ScriptEnforcement,
};
use serde_json::{json, Map, Value};

/// The address the schema names itself by (`$id`).
pub const SCHEMA_ID: &str = "https://coachflow.dev/schema/event.json";

/// The JSON Schema (draft 2020-12) of one event line: the envelope and every event type,
/// discriminated by `type`. Each event type is also under `$defs/<type>`, with the
/// contract's description as its `description`, for form builders.
///
/// ```
/// let schema = coachflow::event::json_schema();
/// assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
/// assert_eq!(schema["$defs"]["goal_agreed"]["required"][0], "engagement");
/// ```
pub fn json_schema() -> Value {
    let mut definitions = Map::new();
    definitions.insert("envelope".into(), envelope());
    definitions.insert("participant_id".into(), participant_id());
    definitions.insert(
        "id".into(),
        json!({"type": "string", "pattern": "\\S", "description": "An id: any text that is not blank."}),
    );
    definitions.insert(
        "timestamp".into(),
        json!({
            "type": "string",
            "description": "An RFC 3339 instant with its offset, e.g. 2026-03-02T09:00:00Z.",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$",
            "examples": ["2026-03-02T09:00:00Z"],
        }),
    );
    definitions.insert(
        "date".into(),
        json!({"type": "string", "description": "A calendar date, e.g. 2026-03-02.", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}),
    );
    definitions.insert(
        "text_list".into(),
        json!({
            "description": "A text, or a list of texts.",
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
        }),
    );
    definitions.insert("policy".into(), policy_schema());
    definitions
        .insert("action_item".into(), object("An action the coachee commits to.", "action_item", ActionItem::FIELDS));
    for event_type in EventType::ALL {
        let definition = match event_type {
            EventType::ScriptStep => script_step(),
            _ => event_definition(*event_type, event_type.fields(), Vec::new()),
        };
        definitions.insert(event_type.as_str().into(), definition);
    }
    let dispatch: Vec<Value> = EventType::ALL
        .iter()
        .map(|event_type| {
            json!({
                "if": {"properties": {"type": {"const": event_type.as_str()}}, "required": ["type"]},
                "then": {"$ref": format!("#/$defs/{event_type}")},
            })
        })
        .collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "coachflow event",
        "description": format!(
            "One line of an engagement's log (schema version {SCHEMA_VERSION}): the envelope every event carries and \
             the fields of its type. The engine checks the rules that need the log (stages, roles, references)."
        ),
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"enum": EventType::ALL.iter().map(|kind| kind.as_str()).collect::<Vec<_>>()}},
        "allOf": dispatch,
        "$defs": definitions,
    })
}

fn envelope() -> Value {
    json!({
        "description": "The fields every event carries.",
        "type": "object",
        "properties": {
            "engagement": {"type": "string", "pattern": "\\S", "description": "The engagement id."},
            "seq": {"type": "integer", "minimum": 1, "description": "1-based position in the engagement; assigned when absent."},
            "at": {"$ref": "#/$defs/timestamp", "description": "When the event happened."},
            "actor": {"type": "string", "description": "The participant who records it."},
            "schema": {
                "type": "integer", "minimum": 1,
                "description": format!("The log schema version the line is written in (1 to {SCHEMA_VERSION}); 1 when absent."),
            },
            "meta": {"type": "object", "description": "The caller's own data; kept in the log, shown in no view."},
        },
        "required": ["engagement", "at", "actor", "type"],
    })
}

fn participant_id() -> Value {
    let invisible: String = INVISIBLE
        .iter()
        .map(|(first, last)| format!("\\u{:04X}-\\u{:04X}", u32::from(*first), u32::from(*last)))
        .collect();
    json!({
        "type": "string",
        "description": "A participant id: 1 to 128 characters, no leading or trailing space, no invisible characters.",
        "minLength": 1,
        "maxLength": MAX_PARTICIPANT_ID_CHARS,
        "pattern": "^\\S(.*\\S)?$",
        "not": {"pattern": format!("[{invisible}]")},
    })
}

fn names<T: Copy>(values: &[T], name: fn(T) -> &'static str) -> Value {
    Value::from(values.iter().map(|value| name(*value)).collect::<Vec<_>>())
}

fn policy_schema() -> Value {
    let range = |low: u32, high: u32, description: &str| json!({"type": "integer", "minimum": low, "maximum": high, "description": description});
    let owners = names(&[Role::Coachee, Role::Coach], Role::as_str);
    json!({
        "description": "Overrides of the programme's default policy (contract section 8).",
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "sessions": range(1, 52, "Number of coaching sessions."),
            "midpoint_check_in": {"enum": names(MidpointCheckIn::ALL, MidpointCheckIn::as_str), "description": "Whether the midpoint check-in is optional, required or off."},
            "require_orientation": {"type": "boolean", "description": "Whether goal setting waits for the orientation (S2)."},
            "require_preliminary_discussion": {"type": "boolean", "description": "Whether goal setting waits for the preliminary goal discussion (S3)."},
            "require_acknowledgements": {"type": "boolean", "description": "Whether coaching waits for everyone's acknowledgement (S7)."},
            "min_goals": range(1, 20, "Goals needed to enter coaching."),
            "late_cancellation_hours": range(0, 720, "A coachee's cancellation closer than this to the start is late."),
            "script_enforcement": {"enum": names(ScriptEnforcement::ALL, ScriptEnforcement::as_str), "description": "Whether missing required steps reject the session's end or warn."},
            "script": {
                "type": "array",
                "minItems": 1,
                "description": "The programme's own session script, in order.",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["name", "required", "owners"],
                    "properties": {
                        "name": {"type": "string", "pattern": "\\S", "description": "The step's name."},
                        "required": {"type": "boolean", "description": "Whether a session may not end without it."},
                        "owners": {"type": "array", "minItems": 1, "items": {"enum": owners}, "description": "Who records it."},
                    },
                },
            },
            "min_raters": range(2, 50, "Responses a 360 rater group needs before it is shown."),
        },
    })
}

/// The schema of one payload field. Every Rust type used in a payload is listed; the test
/// below fails on a new one.
fn field_schema(owner: &str, field: &FieldSpec) -> Value {
    let mut schema = match (owner, field.name, field.rust_type) {
        (_, "coachee" | "supervisor" | "coach", "String") => json!({"$ref": "#/$defs/participant_id"}),
        (_, "goal" | "action" | "meeting" | "assessment" | "survey" | "rater" | "id", "String") => {
            json!({"$ref": "#/$defs/id"})
        }
        ("consent_granted" | "consent_revoked", "record", _) => json!({
            "type": "string",
            "pattern": "^(session:[1-9][0-9]*|(action|assessment|goal_progress|survey):[^\\s\\x00-\\x1f\\x7f-\\x9f]+)$",
        }),
        ("consent_granted" | "consent_revoked", "to", _) => {
            json!({"enum": names(&[Role::Supervisor, Role::ProgramAdmin], Role::as_str)})
        }
        (_, "program_admins", _) => json!({"type": "array", "items": {"$ref": "#/$defs/participant_id"}}),
        (_, "percent", _) => json!({"type": "number", "minimum": 0, "maximum": 100}),
        (_, "rating", _) => json!({"type": "integer", "minimum": 1, "maximum": 5}),
        (_, "session", _) => json!({"type": "integer", "minimum": 1, "maximum": u32::MAX}),
        (_, _, "String") => json!({"type": "string"}),
        (_, _, "Timestamp") => json!({"$ref": "#/$defs/timestamp"}),
        (_, _, "NaiveDate") => json!({"$ref": "#/$defs/date"}),
        (_, _, "TextList") => json!({"$ref": "#/$defs/text_list"}),
        (_, _, "Vec<String>") => json!({"type": "array", "items": {"type": "string"}}),
        (_, _, "bool") => json!({"type": "boolean"}),
        (_, _, "f64") => json!({"type": "number"}),
        (_, _, "Scores") => json!({"type": "object", "additionalProperties": {"type": "number"}}),
        (_, _, "Map<String, Value>") => json!({"type": "object"}),
        (_, _, "Vec<ActionItem>") => json!({"type": "array", "items": {"$ref": "#/$defs/action_item"}}),
        (_, _, "PhaseChecks") => {
            let phases: Vec<&str> = PartnershipPhase::ALL.iter().map(|phase| phase.as_str()).collect();
            let properties: Map<String, Value> =
                phases.iter().map(|phase| (String::from(*phase), json!({"type": "boolean"}))).collect();
            json!({"type": "object", "additionalProperties": false, "required": phases, "properties": properties})
        }
        (_, _, "Vec<PartneringSignal>") => {
            json!({"type": "array", "items": {"enum": names(PartneringSignal::ALL, PartneringSignal::as_str)}})
        }
        (_, _, "Policy") => json!({"$ref": "#/$defs/policy"}),
        (_, _, "Role") => json!({"enum": names(Role::ALL, Role::as_str)}),
        (_, _, "MeetingKind") => json!({"enum": names(MeetingKind::ALL, MeetingKind::as_str)}),
        (_, _, "GoalOutcome") => json!({"enum": names(GoalOutcome::ALL, GoalOutcome::as_str)}),
        (_, _, "EngagementLevel") => json!({"enum": names(EngagementLevel::ALL, EngagementLevel::as_str)}),
        (_, _, "RaterGroup") => json!({"enum": names(RaterGroup::ALL, RaterGroup::as_str)}),
        _ => Value::Null,
    };
    if let Value::Object(map) = &mut schema {
        map.insert("description".into(), Value::from(field.description.trim()));
    }
    schema
}

fn properties(owner: &str, fields: &[FieldSpec]) -> (Map<String, Value>, Vec<&'static str>) {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for field in fields.iter().filter(|field| field.name != "*") {
        properties.insert(field.name.into(), field_schema(owner, field));
        if !field.optional {
            required.push(field.name);
        }
    }
    (properties, required)
}

fn object(description: &str, owner: &str, fields: &[FieldSpec]) -> Value {
    let (properties, required) = properties(owner, fields);
    json!({
        "description": description,
        "type": "object",
        "additionalProperties": false,
        "required": required,
        "properties": properties,
    })
}

/// The definition of one event type: the envelope, `type` and the payload fields; `extra`
/// adds the step-by-step fields of `script_step` to its `allOf`.
fn event_definition(event_type: EventType, fields: &[FieldSpec], extra: Vec<Value>) -> Value {
    let (mut properties, payload_required) = properties(event_type.as_str(), fields);
    properties.insert("type".into(), json!({"const": event_type.as_str()}));
    if let Some(Value::Object(step)) = properties.get_mut("step") {
        // The built-in steps, in script order, for form builders.
        step.insert("examples".into(), names(BuiltinStep::ALL, BuiltinStep::as_str));
    }
    let mut required = vec!["engagement", "at", "actor", "type"];
    required.extend(payload_required);
    let mut all_of = vec![json!({"$ref": "#/$defs/envelope"})];
    all_of.extend(extra);
    let mut definition = Map::new();
    definition.insert("title".into(), Value::from(event_type.as_str()));
    definition.insert("description".into(), Value::from(event_type.description()));
    definition.insert("type".into(), Value::from("object"));
    definition.insert("allOf".into(), Value::from(all_of));
    definition.insert("required".into(), Value::from(required));
    definition.insert("properties".into(), Value::Object(properties));
    definition.insert("unevaluatedProperties".into(), Value::Bool(false));
    if event_type == EventType::ConsentGranted {
        // Goal progress is opened to the supervisor only (F4).
        let to_admin = json!({
            "required": ["record", "to"],
            "properties": {"record": {"pattern": "^goal_progress:"}, "to": {"const": Role::ProgramAdmin.as_str()}},
        });
        definition.insert("not".into(), to_admin);
    }
    if event_type == EventType::GoalRevised {
        // A revision changes at least one of the goal's fields.
        let changes: Vec<Value> = ["statement", "org_priority", "success_measures", "activities"]
            .iter()
            .map(|field| json!({"required": [field]}))
            .collect();
        definition.insert("anyOf".into(), Value::from(changes));
    }
    Value::Object(definition)
}

/// `script_step`: the envelope, `session` and `step`, then the step's own fields by name; a
/// programme's own step (P4) carries a free `fields` object.
fn script_step() -> Value {
    let builtin = names(BuiltinStep::ALL, BuiltinStep::as_str);
    let mut by_step: Vec<Value> = BuiltinStep::ALL
        .iter()
        .map(|step| {
            let (properties, required) = properties(step.as_str(), step.fields());
            json!({
                "if": {"properties": {"step": {"const": step.as_str()}}},
                "then": {"required": required, "properties": properties},
            })
        })
        .collect();
    by_step.push(json!({
        "if": {"properties": {"step": {"not": {"enum": builtin}}}},
        "then": {"properties": {"fields": {"type": "object", "description": "The fields of a programme's own step."}}},
    }));
    event_definition(EventType::ScriptStep, ScriptStep::FIELDS, by_step)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_payload_field_has_a_schema() {
        let step_fields =
            BuiltinStep::ALL.iter().flat_map(|step| step.fields().iter().map(move |f| (step.as_str(), f)));
        let event_fields = EventType::ALL.iter().flat_map(|kind| kind.fields().iter().map(move |f| (kind.as_str(), f)));
        for (owner, field) in event_fields.chain(step_fields).filter(|(_, field)| field.name != "*") {
            assert!(field_schema(owner, field).is_object(), "{owner}.{}: {}", field.name, field.rust_type);
        }
    }

    /// The policy and the partnership phases are not declared with `payload!`: their schemas
    /// must name exactly the fields serde reads.
    #[test]
    fn the_policy_and_phase_schemas_name_exactly_the_serialized_fields() {
        let keys =
            |value: Value| value.as_object().map(|map| map.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
        let policy = crate::model::Policy { script: Some(Vec::new()), ..Default::default() };
        assert_eq!(keys(serde_json::to_value(policy).unwrap()), keys(policy_schema()["properties"].clone()));
        let phases = super::super::PhaseChecks {
            opening: true,
            checking_in: true,
            meaning_making: true,
            action_planning: true,
            closing: true,
        };
        let field = FieldSpec { name: "phases", rust_type: "PhaseChecks", optional: false, description: "" };
        assert_eq!(
            keys(serde_json::to_value(phases).unwrap()),
            keys(field_schema("partnership_reviewed", &field)["properties"].clone())
        );
    }

    #[test]
    fn every_event_type_is_defined_and_dispatched_on_its_type() {
        let schema = json_schema();
        for event_type in EventType::ALL {
            let definition = &schema["$defs"][event_type.as_str()];
            assert_eq!(definition["properties"]["type"]["const"], event_type.as_str());
            assert_eq!(definition["description"], event_type.description());
        }
        assert_eq!(schema["allOf"].as_array().map(Vec::len), Some(EventType::ALL.len()));
        let steps = &schema["$defs"]["script_step"]["properties"]["step"]["examples"];
        assert_eq!(steps.as_array().map(Vec::len), Some(BuiltinStep::ALL.len()));
    }
}
