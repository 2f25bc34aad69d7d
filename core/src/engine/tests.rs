//! Unit tests of the engine: late cancellations, obligations, allowed events, replay index, step content.
use super::*;
use crate::obligations::ObligationKind;
use chrono::NaiveDate;
use serde_json::{json, Value};

/// Applies events given as (actor, type, payload) one hour apart, panicking on rejection.
fn engagement(policy: Value, steps: &[(&str, &str, Value)]) -> Engagement {
    let mut engagement = Engagement::new("t");
    let mut opened = json!({"coachee": "cleo", "supervisor": "sam", "program_admins": ["hr"]});
    if !policy.is_null() {
        opened["policy"] = policy;
    }
    let all = std::iter::once(("hr", "engagement_opened", opened)).chain(steps.iter().cloned());
    for (hour, (actor, kind, payload)) in all.enumerate() {
        let event = event_at(hour as i64, actor, kind, payload);
        engagement.apply(event).unwrap_or_else(|rejection| panic!("{kind}: {rejection}"));
    }
    engagement
}

fn event_at(hour: i64, actor: &str, kind: &str, payload: Value) -> Event {
    let at = chrono::DateTime::from_timestamp(1_767_600_000 + hour * 3600, 0).unwrap().to_rfc3339();
    let mut object = json!({"engagement": "t", "at": at, "actor": actor, "type": kind});
    object.as_object_mut().unwrap().extend(payload.as_object().unwrap().clone());
    Event::from_value(&object).unwrap()
}

fn to_coaching() -> Vec<(&'static str, &'static str, Value)> {
    vec![
        ("hr", "coach_assigned", json!({"coach": "kim"})),
        ("cleo", "orientation_completed", json!({})),
        ("sam", "preliminary_goals_discussed", json!({})),
        ("cleo", "responsibilities_acknowledged", json!({})),
        ("sam", "responsibilities_acknowledged", json!({})),
        ("kim", "responsibilities_acknowledged", json!({})),
        (
            "sam",
            "meeting_scheduled",
            json!({"meeting": "m", "kind": "goal_setting", "starts_at": "2026-01-05T12:00:00Z"}),
        ),
        ("sam", "stage_advanced", json!({"to": "goal_setting"})),
        ("kim", "meeting_held", json!({"meeting": "m", "attendees": ["cleo", "sam", "kim"]})),
        ("kim", "confidentiality_agreed", json!({"reviewed_on": "2026-01-05", "limits": ["risk_of_harm"]})),
        ("cleo", "goal_agreed", json!({"goal": "g", "statement": "s", "org_priority": "p", "success_measures": ["m"]})),
        ("kim", "stage_advanced", json!({"to": "coaching"})),
    ]
}

#[test]
fn only_a_coachees_cancellation_inside_the_window_is_late() {
    // Events are an hour apart from 2026-01-05T08:00Z; the 13th event is at 20:00.
    let mut steps = to_coaching();
    steps.extend([
        ("cleo", "session_scheduled", json!({"session": 1, "starts_at": "2026-01-06T10:00:00Z"})),
        ("cleo", "session_cancelled", json!({"session": 1})),
        ("kim", "session_scheduled", json!({"session": 1, "starts_at": "2026-01-06T10:00:00Z"})),
        ("kim", "session_cancelled", json!({"session": 1})),
        ("cleo", "session_scheduled", json!({"session": 1, "starts_at": "2026-01-09T10:00:00Z"})),
        ("cleo", "session_cancelled", json!({"session": 1})),
    ]);
    let engagement = engagement(Value::Null, &steps);
    let late: Vec<(Role, bool)> =
        engagement.sessions().iter().filter_map(|s| s.cancellation.as_ref()).map(|c| (c.by, c.late)).collect();
    assert_eq!(late, [(Role::Coachee, true), (Role::Coach, false), (Role::Coachee, false)]);
    assert_eq!(engagement.lowest_free_session(), 1, "cancelled sessions free their number");
}

#[test]
fn obligations_follow_the_stage_and_the_date() {
    let fresh = engagement(Value::Null, &[]);
    let owed = fresh.all_obligations(NaiveDate::from_ymd_opt(2026, 1, 6).unwrap());
    let kinds: Vec<(&str, ObligationKind)> = owed.iter().map(|o| (o.participant.as_str(), o.kind)).collect();
    assert!(kinds.contains(&("sam", ObligationKind::AssignCoach)));
    assert!(kinds.contains(&("hr", ObligationKind::AssignCoach)));
    assert!(kinds.contains(&("cleo", ObligationKind::CompleteOrientation)));

    let mut steps = to_coaching();
    steps.extend([
        ("kim", "session_scheduled", json!({"session": 1, "starts_at": "2026-01-06T10:00:00Z"})),
        ("kim", "session_started", json!({"session": 1, "attendees": ["cleo", "kim"]})),
        ("cleo", "script_step", json!({"session": 1, "step": "action_commitment", "actions": [{"id": "a1", "description": "d", "due": "2026-01-20"}]})),
        ("kim", "session_ended", json!({"session": 1})),
    ]);
    let coaching = engagement(Value::Null, &steps);
    let before = coaching.all_obligations(NaiveDate::from_ymd_opt(2026, 1, 20).unwrap());
    assert!(before.iter().all(|o| o.kind != ObligationKind::CompleteOverdueAction));
    assert!(before.iter().any(|o| o.kind == ObligationKind::ScheduleNextSession && o.participant == "kim"));
    let after = coaching.all_obligations(NaiveDate::from_ymd_opt(2026, 1, 21).unwrap());
    let overdue: Vec<_> = after.iter().filter(|o| o.kind == ObligationKind::CompleteOverdueAction).collect();
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0].participant, "cleo");
    assert_eq!(overdue[0].due, NaiveDate::from_ymd_opt(2026, 1, 20));
}

#[test]
fn discontinued_by_the_coach_the_coachee_owes_an_explanation_until_given() {
    let mut steps = to_coaching();
    steps.push((
        "kim",
        "engagement_discontinued",
        json!({"initiated_by": "coach", "reason": "r", "mutual_discussion": true}),
    ));
    let day = NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
    let owed = engagement(Value::Null, &steps).all_obligations(day);
    assert_eq!(
        owed.iter().map(|o| (o.participant.as_str(), o.kind)).collect::<Vec<_>>(),
        [("cleo", ObligationKind::InformSponsor)]
    );
    steps.push(("cleo", "sponsor_informed", json!({"explanation": "e"})));
    assert!(engagement(Value::Null, &steps).all_obligations(day).is_empty());
}

#[test]
fn allowed_events_follow_role_and_stage() {
    let coaching = engagement(Value::Null, &to_coaching());
    let supervisor = coaching.allowed_events("sam").unwrap();
    assert!(supervisor.contains(&EventType::ProgressFeedbackGiven));
    assert!(supervisor.contains(&EventType::StageAdvanced));
    assert!(!supervisor.contains(&EventType::SessionStarted));
    let coach = coaching.allowed_events("kim").unwrap();
    assert!(coach.contains(&EventType::ScriptStep));
    assert!(!coach.contains(&EventType::CoachAssigned));
    assert_eq!(coaching.allowed_events("mallory").unwrap_err().code, Code::NotAParticipant);
    assert_eq!(Engagement::new("x").allowed_events("anyone").unwrap(), [EventType::EngagementOpened]);
}

#[test]
fn replay_reports_the_index_of_the_first_rejected_event() {
    let good = engagement(Value::Null, &[]);
    let mut events = good.log().to_vec();
    events.push(event_at(5, "cleo", "stage_advanced", json!({"to": "coaching"})));
    events.push(event_at(6, "cleo", "orientation_completed", json!({})));
    let error = Engagement::replay(events).unwrap_err();
    assert_eq!(error.index, 1);
    assert_eq!(error.rejection.codes(), [Code::InvalidTransition]);
}

#[test]
fn recorded_steps_point_at_their_log_entry() {
    let mut steps = to_coaching();
    steps.extend([
        ("kim", "session_scheduled", json!({"session": 1, "starts_at": "2026-01-06T10:00:00Z"})),
        ("kim", "session_started", json!({"session": 1, "attendees": ["cleo", "kim"]})),
        ("cleo", "script_step", json!({"session": 1, "step": "session_goal", "outcome": "clarity"})),
    ]);
    let engagement = engagement(Value::Null, &steps);
    let step = &engagement.sessions()[0].steps[0];
    match engagement.step_content(step) {
        Some(StepContent::SessionGoal(goal)) => assert_eq!(goal.outcome, "clarity"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_engagement_that_only_validates_judges_alike_and_keeps_no_free_text() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/whole_engagements.json");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let (mut full, mut validating) = (Engagement::new("v-1"), Engagement::new("v-1").validating_only());
    let mut texts = Vec::new();
    for (index, raw) in file["vectors"][0]["events"].as_array().unwrap().iter().enumerate() {
        let text = raw.to_string();
        let (judged, judged_alike) = (full.apply_json(&text), validating.apply_json(&text));
        assert_eq!(
            judged.map(|applied| applied.warnings),
            judged_alike.map(|applied| applied.warnings),
            "event {index}"
        );
        // The prose of the event: strings with spaces, which ids and codes never have.
        let prose = |value: &Value| value.as_str().filter(|text| text.contains(' ')).map(str::to_owned);
        texts.extend(raw.as_object().unwrap().values().filter_map(prose));
    }
    assert_eq!((full.stage(), full.log().len()), (validating.stage(), validating.log().len()));
    let (full, validating) = (serde_json::to_string(&full).unwrap(), serde_json::to_string(&validating).unwrap());
    assert!(texts.len() > 10, "the vector has free texts to look for");
    for text in &texts {
        let quoted = serde_json::to_string(text).unwrap();
        assert!(full.contains(&quoted), "the full engagement keeps {quoted}");
        assert!(!validating.contains(&quoted), "the validating engagement keeps {quoted}");
    }
}
