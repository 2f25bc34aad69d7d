//! `coachflow demo`: one engagement from pre-work to completion, narrated.

use crate::generate::EngagementBuilder;
use chrono::{TimeZone, Utc};
use coachflow::{Engagement, Event, EventBody, Stage};
use serde_json::{json, Value};
use std::io::{self, Write};

/// The sample engagement: default programme, six sessions, two goals.
pub fn sample_events() -> Vec<Value> {
    let start = Utc.with_ymd_and_hms(2026, 2, 2, 9, 0, 0).single().unwrap_or_default();
    let mut builder = EngagementBuilder::new("demo", start);
    builder.coachee = "cleo".into();
    builder.supervisor = "sam".into();
    builder.coach = "kim".into();
    builder.admin = "hr-office".into();
    builder.open(json!({})).pre_work().advance("sam", "goal_setting").goal_setting(2).advance("kim", "coaching");
    for number in 1..=6 {
        builder.session(number, number < 6);
        if number == 1 {
            let phases = json!({"opening": true, "checking_in": true, "meaning_making": false,
                                "action_planning": true, "closing": true});
            builder.event(
                "kim",
                "partnership_reviewed",
                json!({"session": 1, "phases": phases,
                "signals": ["made_meaning_for_them"], "note": "I offered my own reading of the conflict too early."}),
            );
        }
    }
    builder.final_review(2);
    builder.events
}

fn describe(event: &Event) -> String {
    match &event.body {
        EventBody::EngagementOpened(opened) => format!("coachee {}, supervisor {}", opened.coachee, opened.supervisor),
        EventBody::CoachAssigned(assigned) => format!("coach {}", assigned.coach),
        EventBody::MeetingScheduled(meeting) => {
            format!("{} meeting {} at {}", meeting.kind, meeting.meeting, meeting.starts_at)
        }
        EventBody::MeetingHeld(meeting) => format!("{} with {}", meeting.meeting, meeting.attendees.join(", ")),
        EventBody::ConfidentialityAgreed(agreed) => format!("limits: {}", agreed.limits.0.join(", ")),
        EventBody::GoalAgreed(goal) => format!("{}: {}", goal.goal, goal.statement),
        EventBody::GoalAssessed(goal) => format!("{}: {}", goal.goal, goal.outcome),
        EventBody::SessionScheduled(session) => format!("session {} at {}", session.session, session.starts_at),
        EventBody::SessionStarted(session) => format!("session {}", session.session),
        EventBody::SessionEnded(session) => format!("session {}", session.session),
        EventBody::ScriptStep(step) => format!("session {}: {}", step.session, step.step),
        EventBody::ActionCompleted(action) => action.action.clone(),
        EventBody::StageAdvanced(advanced) => format!("-> {}", advanced.to),
        _ => String::new(),
    }
}

fn print_requirements(out: &mut impl Write, engagement: &Engagement, target: Stage) -> io::Result<()> {
    writeln!(out, "      checklist for {target}:")?;
    for requirement in engagement.requirements(target) {
        let mark = if requirement.met { "x" } else { " " };
        writeln!(out, "        [{mark}] {:<4} {}", requirement.rule, requirement.message)?;
    }
    Ok(())
}

fn print_obligations(out: &mut impl Write, engagement: &Engagement, event: &Event) -> io::Result<()> {
    let as_of = event.at.date() + chrono::Days::new(10);
    writeln!(out, "      obligations as of {as_of}:")?;
    let owed = engagement.all_obligations(as_of);
    if owed.is_empty() {
        writeln!(out, "        (nothing owed)")?;
    }
    for obligation in owed {
        writeln!(
            out,
            "        {:<10} {:<14} {}",
            obligation.participant,
            obligation.role.as_str(),
            obligation.message
        )?;
    }
    Ok(())
}

/// The session guide, step by step, before the first session.
fn print_session_guide(out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "      the session guide (coachflow guide --step STEP):")?;
    for step in coachflow::BuiltinStep::ALL {
        let guide = coachflow::guide::script_guide(*step);
        let first = guide.questions.first().copied().unwrap_or_default();
        writeln!(out, "        {:<18} {}  e.g. \"{first}\"", step.as_str(), guide.purpose)?;
    }
    Ok(())
}

/// Prints the narrated demo.
pub fn run(out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "coachflow demo: one supervisor-partnered engagement, pre-work to completion\n")?;
    let mut engagement = Engagement::new("demo");
    let mut shown_rejection = false;
    for raw in sample_events() {
        let event = Event::from_value(&raw).map_err(|rejection| io::Error::other(rejection.to_string()))?;
        if let EventBody::StageAdvanced(advanced) = &event.body {
            if let Ok(target) = advanced.to.parse::<Stage>() {
                print_requirements(out, &engagement, target)?;
            }
        }
        let line =
            format!("{}  {:<10} {:<30} {}", event.at, event.actor, event.event_type().as_str(), describe(&event));
        let kind = event.event_type();
        let snapshot = event.clone();
        match engagement.apply(event) {
            Ok(applied) => {
                writeln!(out, "  {line}")?;
                for warning in applied.warnings {
                    writeln!(out, "      warning {warning}")?;
                }
            }
            Err(rejection) => return Err(io::Error::other(format!("the sample engagement was rejected: {rejection}"))),
        }
        if kind == coachflow::EventType::StageAdvanced && engagement.stage() == Stage::GoalSetting && !shown_rejection {
            shown_rejection = true;
            let early = Event::from_value(&json!({
                "engagement": "demo", "at": snapshot.at.to_string(), "actor": "sam",
                "type": "stage_advanced", "to": "coaching"
            }))
            .map_err(|rejection| io::Error::other(rejection.to_string()))?;
            writeln!(out, "\n  sam tries to start coaching straight away:")?;
            match engagement.apply(early) {
                Ok(_) => writeln!(out, "      (unexpectedly accepted)")?,
                Err(rejection) => {
                    writeln!(out, "      rejected, nothing changed:")?;
                    for finding in rejection.violations {
                        writeln!(out, "        {finding}")?;
                    }
                }
            }
            writeln!(out)?;
        }
        if matches!(&snapshot.body, EventBody::SessionStarted(started) if started.session == 1) {
            print_session_guide(out)?;
        }
        if kind == coachflow::EventType::ResponsibilitiesAcknowledged {
            if let Some(role) = engagement.role_of(&snapshot.actor) {
                let items = coachflow::guide::responsibilities(role);
                let first = items.first().map(|item| item.text).unwrap_or_default();
                writeln!(out, "      acknowledges the {} responsibilities of the {role}, first: {first}", items.len())?;
            }
        }
        if let EventBody::PartnershipReviewed(review) = &snapshot.body {
            let signals: Vec<&str> = review.signals.iter().flatten().map(|signal| signal.as_str()).collect();
            writeln!(
                out,
                "      the coach's self-review (only the coach sees it): meaning making {}, signals: {}",
                if review.phases.meaning_making { "partnered" } else { "not partnered" },
                signals.join(", ")
            )?;
        }
        let after_third = matches!(&snapshot.body, EventBody::SessionEnded(ended) if ended.session == 3);
        if kind == coachflow::EventType::EngagementOpened || after_third || engagement.stage() == Stage::Completed {
            print_obligations(out, &engagement, &snapshot)?;
        }
    }
    writeln!(out, "\nfinal stage: {} after {} events", engagement.stage(), engagement.log().len())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_reaches_completion_and_shows_a_rejection() {
        let mut out = Vec::new();
        run(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("final stage: completed"), "{text}");
        assert!(text.contains("confidentiality_not_agreed"));
        assert!(text.contains("[x] S8"));
        assert!(text.contains("obligations as of"));
        assert!(text.contains("the session guide") && text.contains("key_outcomes"), "{text}");
        assert!(text.contains("the coach's self-review"), "{text}");
    }
}
