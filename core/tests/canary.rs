//! The canary property: in random engagements where every free-text field carries a unique
//! marker, each role's view shows exactly the markers the section 6 matrix allows, never a
//! rater id or `meta`, and consent shows then hides exactly the consented record.
//!
//! The oracle here is written from the matrix, separately from `views.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use coachflow::{Engagement, Event, Role};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

const C: &str = "cleo";
const S: &str = "sam";
const K: &str = "kim";
const A: &str = "hr";

/// What a marker is, which decides who may see it.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// Coachee, coach and supervisor (preliminary notes, goals, feedback, summaries, evidence,
    /// final review, sponsor explanation).
    Sponsor,
    /// Coachee and coach only (level notes, cancellation reasons, disclosure summaries,
    /// discontinuation reasons).
    Pair,
    /// Coachee, coach and programme admin (disclosure recipients).
    PairAndAdmin,
    /// Script content of a session; opened by `session:<n>`.
    SessionContent(u32),
    /// An action's description: in its session's content, and opened by `action:<id>` too.
    ActionDescription(u32, String),
    /// A goal's progress note; opened to the supervisor by `goal_progress:<goal>`.
    GoalProgress(String),
    /// An assessment's content; opened by `assessment:<id>`.
    Assessment(String),
    /// A 360 comment; shown once its survey is closed (R3) if its group is shown (R2), opened
    /// by `survey:<id>`.
    SurveyComment { survey: String, group: String },
    /// The coach's own partnership review note: the coach only.
    CoachOnly,
    /// Rater ids and meta: nobody.
    Nobody,
    /// Replaced by a later record (a second assessment of a goal): nobody.
    Replaced,
}

struct Walk {
    engagement: Engagement,
    rng: u64,
    clock: i64,
    counter: u32,
    markers: BTreeMap<String, Kind>,
    evidence: BTreeMap<String, String>,
    final_review: Vec<String>,
    raters: Vec<(String, String, Option<String>)>,
}

impl Walk {
    fn new(seed: u64) -> Walk {
        Walk {
            engagement: Engagement::new("e"),
            rng: seed | 1,
            clock: 1_767_600_000,
            counter: 0,
            markers: BTreeMap::new(),
            evidence: BTreeMap::new(),
            final_review: Vec::new(),
            raters: Vec::new(),
        }
    }

    fn roll(&mut self, below: u64) -> u64 {
        self.rng ^= self.rng << 13;
        self.rng ^= self.rng >> 7;
        self.rng ^= self.rng << 17;
        self.rng % below.max(1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.roll(100) < percent
    }

    /// A fresh marker of a kind; registered only if its event applies.
    fn marker(&mut self, kind: Kind, pending: &mut Vec<(String, Kind)>) -> String {
        self.counter += 1;
        let marker = format!("~M{:05}~", self.counter);
        pending.push((marker.clone(), kind));
        marker
    }

    fn at(&self, hours: i64) -> String {
        chrono::DateTime::from_timestamp(self.clock + hours * 3600, 0).unwrap().to_rfc3339()
    }

    /// Applies an event; its markers count only if it applied. `must` panics on rejection.
    fn emit(&mut self, actor: &str, kind: &str, payload: Value, mut pending: Vec<(String, Kind)>, must: bool) -> bool {
        self.clock += 3600;
        let mut event = json!({"engagement": "e", "at": self.at(0), "actor": actor, "type": kind});
        event.as_object_mut().unwrap().extend(payload.as_object().unwrap().clone());
        if self.chance(15) {
            let meta = self.marker(Kind::Nobody, &mut pending);
            event["meta"] = json!({"note": meta});
        }
        let applied = self.engagement.apply(Event::from_value(&event).unwrap());
        match applied {
            Ok(_) => {
                self.markers.extend(pending);
                true
            }
            Err(rejection) if must => panic!("{kind} by {actor} was rejected: {rejection}"),
            Err(_) => false,
        }
    }

    fn text(&mut self, kind: Kind, pending: &mut Vec<(String, Kind)>) -> String {
        self.marker(kind, pending)
    }

    /// A few events that add content, chosen at random for the current stage.
    fn extras(&mut self) {
        for _ in 0..self.roll(4) {
            let mut p = Vec::new();
            match self.roll(12) {
                0 => {
                    let note = self.text(Kind::Pair, &mut p);
                    self.emit(K, "engagement_level_rated", json!({"level": "high", "note": note}), p, false);
                }
                1 => {
                    let note = self.text(Kind::Sponsor, &mut p);
                    self.emit(S, "progress_feedback_given", json!({"note": note}), p, false);
                }
                2 => {
                    let summary = self.text(Kind::Sponsor, &mut p);
                    self.emit(C, "summary_shared", json!({"summary": summary}), p, false);
                }
                3 => {
                    let id = format!("asm-{}-x", self.counter);
                    let summary = self.text(Kind::Assessment(id.clone()), &mut p);
                    let result = self.text(Kind::Assessment(id.clone()), &mut p);
                    self.emit(
                        K,
                        "assessment_recorded",
                        json!({"assessment": id, "instrument": "x", "summary": summary, "results": {"r": result}}),
                        p,
                        false,
                    );
                }
                4 => {
                    let survey = format!("srv-{}-x", self.roll(2));
                    let group = ["self", "manager", "peer", "peer", "direct_report", "customer", "other"]
                        [self.roll(7) as usize];
                    let rater = self.text(Kind::Nobody, &mut p);
                    let comment = self.chance(70).then(|| {
                        self.text(Kind::SurveyComment { survey: survey.clone(), group: group.to_owned() }, &mut p)
                    });
                    let mut payload =
                        json!({"survey": survey, "rater": rater, "group": group, "scores": {"listening": 3}});
                    if let Some(comment) = &comment {
                        payload["comment"] = json!(comment);
                    }
                    if self.emit(A, "rater_feedback_recorded", payload, p, false) {
                        self.raters.push((survey, group.to_owned(), comment));
                    }
                }
                5 => {
                    let to = self.text(Kind::PairAndAdmin, &mut p);
                    let summary = self.text(Kind::Pair, &mut p);
                    self.emit(
                        K,
                        "disclosure_recorded",
                        json!({"to": to, "limit": "risk_of_harm", "summary": summary}),
                        p,
                        false,
                    );
                }
                6 => {
                    let goal = format!("goal-{}-x", 1 + self.roll(2));
                    let note = self.text(Kind::GoalProgress(goal.clone()), &mut p);
                    self.emit(C, "goal_progress_noted", json!({"goal": goal, "note": note}), p, false);
                }
                7 | 8 => {
                    let record = self.some_record();
                    let to = if self.chance(50) { "supervisor" } else { "program_admin" };
                    self.emit(C, "consent_granted", json!({"record": record, "to": to}), p, false);
                }
                9 => {
                    let grants: Vec<_> = self.engagement.consents().iter().map(|g| (g.record.clone(), g.to)).collect();
                    if !grants.is_empty() {
                        let (record, to) = grants[self.roll(grants.len() as u64) as usize].clone();
                        self.emit(C, "consent_revoked", json!({"record": record, "to": to.as_str()}), p, false);
                    }
                }
                10 => {
                    let survey = format!("srv-{}-x", self.roll(2));
                    let closer = if self.chance(50) { K } else { A };
                    self.emit(closer, "survey_closed", json!({"survey": survey}), p, false);
                }
                _ => {
                    let notes = self.text(Kind::Sponsor, &mut p);
                    self.emit(S, "preliminary_goals_discussed", json!({"notes": notes}), p, false);
                }
            }
        }
    }

    /// A record that can be shared, picked from what exists (or a made-up one).
    fn some_record(&mut self) -> String {
        let mut records: Vec<String> = Vec::new();
        records.extend(self.engagement.assessments().iter().map(|a| format!("assessment:{}", a.id)));
        records.extend(self.engagement.actions().iter().map(|a| format!("action:{}", a.item.id)));
        records.extend(
            self.engagement.sessions().iter().filter(|s| !s.steps.is_empty()).map(|s| format!("session:{}", s.number)),
        );
        records.extend(self.engagement.goals().iter().map(|g| format!("goal_progress:{}", g.id)));
        records.extend(self.raters.iter().map(|(survey, _, _)| format!("survey:{survey}")));
        records.push("session:9".into());
        records[self.roll(records.len() as u64) as usize].clone()
    }

    fn session(&mut self, number: u32) {
        self.emit(K, "session_scheduled", json!({"session": number, "starts_at": self.at(30)}), vec![], true);
        if self.chance(25) {
            let mut p = Vec::new();
            let reason = self.text(Kind::Pair, &mut p);
            self.emit(C, "session_cancelled", json!({"session": number, "reason": reason}), p, true);
            self.emit(K, "session_scheduled", json!({"session": number, "starts_at": self.at(30)}), vec![], true);
        }
        self.emit(K, "session_started", json!({"session": number, "attendees": [C, K]}), vec![], true);
        let content = Kind::SessionContent(number);
        let steps: Vec<(&str, &str, &str)> = vec![
            ("check_in", C, "mood"),
            ("session_goal", C, "outcome"),
            ("assignment_review", C, "learned"),
            ("coaching", K, "notes"),
            ("action_commitment", C, ""),
            ("key_outcomes", C, "takeaways"),
            ("next_assignment", K, "assignment"),
            ("session_feedback", C, "comment"),
        ];
        for (step, actor, field) in steps {
            if (step == "assignment_review" && number == 1) || self.chance(15) {
                continue;
            }
            let mut p = Vec::new();
            let mut payload = json!({"session": number, "step": step});
            match step {
                "action_commitment" => {
                    let id = format!("act-{number}-x");
                    let description = self.text(Kind::ActionDescription(number, id.clone()), &mut p);
                    payload["actions"] = json!([{"id": id, "description": description}]);
                }
                "coaching" => {
                    payload["approaches"] = json!(["role_play"]);
                    payload["notes"] = json!(self.text(content.clone(), &mut p));
                }
                "session_feedback" => {
                    // Never opened with its session: coachee and coach only (section 6).
                    payload["rating"] = json!(4);
                    payload["comment"] = json!(self.text(Kind::Pair, &mut p));
                }
                _ => payload[field] = json!(self.text(content.clone(), &mut p)),
            }
            self.emit(actor, "script_step", payload, p, true);
        }
        self.emit(K, "session_ended", json!({"session": number}), vec![], true);
        if self.chance(60) {
            let mut p = Vec::new();
            let note = self.text(Kind::CoachOnly, &mut p);
            let phases = json!({"opening": true, "checking_in": self.chance(50), "meaning_making": true,
                                "action_planning": self.chance(50), "closing": true});
            let review = json!({"session": number, "phases": phases, "signals": ["stayed_on_problem"], "note": note});
            self.emit(K, "partnership_reviewed", review, p, true);
        }
    }

    fn discontinue(&mut self) {
        let mut p = Vec::new();
        let reason = self.text(Kind::Pair, &mut p);
        self.emit(
            K,
            "engagement_discontinued",
            json!({"initiated_by": "coach", "reason": reason, "mutual_discussion": true}),
            p,
            true,
        );
        let mut p = Vec::new();
        let explanation = self.text(Kind::Sponsor, &mut p);
        self.emit(C, "sponsor_informed", json!({"explanation": explanation}), p, true);
    }

    /// A random engagement walk from opening to (maybe) completion.
    fn run(&mut self) {
        let sessions = 1 + self.roll(3) as u32;
        let min_raters = 2 + self.roll(2);
        self.emit(
            A,
            "engagement_opened",
            json!({"coachee": C, "supervisor": S, "program_admins": [A],
            "policy": {"sessions": sessions, "min_raters": min_raters}}),
            vec![],
            true,
        );
        self.emit(A, "coach_assigned", json!({"coach": K}), vec![], true);
        self.emit(C, "orientation_completed", json!({}), vec![], true);
        let mut p = Vec::new();
        let notes = self.text(Kind::Sponsor, &mut p);
        self.emit(C, "preliminary_goals_discussed", json!({"notes": notes}), p, true);
        for who in [C, S, K] {
            self.emit(who, "responsibilities_acknowledged", json!({}), vec![], true);
        }
        self.emit(
            S,
            "meeting_scheduled",
            json!({"meeting": "m1", "kind": "goal_setting", "starts_at": self.at(2)}),
            vec![],
            true,
        );
        self.extras();
        self.emit(S, "stage_advanced", json!({"to": "goal_setting"}), vec![], true);
        self.emit(K, "meeting_held", json!({"meeting": "m1", "attendees": [C, S, K]}), vec![], true);
        let day = chrono::DateTime::from_timestamp(self.clock, 0).unwrap().date_naive().to_string();
        self.emit(K, "confidentiality_agreed", json!({"reviewed_on": day, "limits": ["risk_of_harm"]}), vec![], true);
        for goal in ["goal-1-x", "goal-2-x"] {
            let mut p = Vec::new();
            let statement = self.text(Kind::Sponsor, &mut p);
            let priority = self.text(Kind::Sponsor, &mut p);
            let measure = self.text(Kind::Sponsor, &mut p);
            self.emit(
                C,
                "goal_agreed",
                json!({"goal": goal, "statement": statement, "org_priority": priority, "success_measures": [measure]}),
                p,
                true,
            );
        }
        self.extras();
        if self.chance(10) {
            return self.discontinue();
        }
        self.emit(K, "stage_advanced", json!({"to": "coaching"}), vec![], true);
        for number in 1..=sessions {
            self.session(number);
            self.extras();
            if self.chance(8) {
                return self.discontinue();
            }
        }
        self.emit(
            K,
            "meeting_scheduled",
            json!({"meeting": "m2", "kind": "final_review", "starts_at": self.at(2)}),
            vec![],
            true,
        );
        self.emit(S, "stage_advanced", json!({"to": "final_review"}), vec![], true);
        self.emit(K, "meeting_held", json!({"meeting": "m2", "attendees": [C, S, K]}), vec![], true);
        for _ in 0..1 + self.roll(2) {
            for goal in ["goal-1-x", "goal-2-x"] {
                let mut p = Vec::new();
                let evidence = self.text(Kind::Sponsor, &mut p);
                if self.emit(
                    S,
                    "goal_assessed",
                    json!({"goal": goal, "outcome": "achieved", "evidence": evidence}),
                    p,
                    true,
                ) {
                    if let Some(old) = self.evidence.insert(goal.to_owned(), evidence) {
                        self.markers.insert(old, Kind::Replaced);
                    }
                }
            }
        }
        let mut p = Vec::new();
        let success = self.text(Kind::Sponsor, &mut p);
        self.final_review.push(success.clone());
        self.emit(
            C,
            "final_review_recorded",
            json!({"successes": [success], "development_opportunities": [], "resources": []}),
            p,
            true,
        );
        self.extras();
        if self.chance(50) {
            self.emit(S, "stage_advanced", json!({"to": "completed"}), vec![], true);
        }
    }

    /// The oracle: whether `role` may see `marker`, from the matrix and the current consents.
    fn allowed(&self, role: Role, kind: &Kind) -> bool {
        let pair = matches!(role, Role::Coachee | Role::Coach);
        let shared = |record: String| self.engagement.consents().iter().any(|g| g.record == record && g.to == role);
        match kind {
            Kind::Sponsor => role != Role::ProgramAdmin,
            Kind::Pair => pair,
            Kind::PairAndAdmin => role != Role::Supervisor,
            Kind::SessionContent(n) => pair || shared(format!("session:{n}")),
            Kind::ActionDescription(n, id) => pair || shared(format!("session:{n}")) || shared(format!("action:{id}")),
            Kind::GoalProgress(goal) => pair || (role == Role::Supervisor && shared(format!("goal_progress:{goal}"))),
            Kind::Assessment(id) => pair || shared(format!("assessment:{id}")),
            Kind::SurveyComment { survey, group } => {
                self.engagement.is_survey_closed(survey)
                    && (pair || shared(format!("survey:{survey}")))
                    && self.group_shown(survey, group)
            }
            Kind::CoachOnly => role == Role::Coach,
            Kind::Nobody | Kind::Replaced => false,
        }
    }

    /// R2, written from the contract: self and manager always; a group at min_raters; the
    /// small groups together when their pool reaches min_raters.
    fn group_shown(&self, survey: &str, group: &str) -> bool {
        let min = self.engagement.policy().min_raters as usize;
        let count = |g: &str| self.raters.iter().filter(|(s, rg, _)| s == survey && rg == g).count();
        if group == "self" || group == "manager" || count(group) >= min {
            return true;
        }
        let groups: BTreeSet<&str> =
            self.raters.iter().filter(|(s, _, _)| s == survey).map(|(_, g, _)| g.as_str()).collect();
        let pool: usize =
            groups.into_iter().filter(|g| *g != "self" && *g != "manager" && count(g) < min).map(count).sum();
        pool >= min
    }

    /// Checks every role's view against the oracle; returns the first disagreement.
    fn check_views(&self) -> Result<(), String> {
        for role in Role::ALL {
            let json = self.engagement.view_as(*role).unwrap().to_json();
            for (marker, kind) in &self.markers {
                let shown = json.contains(marker.as_str());
                if shown != self.allowed(*role, kind) {
                    return Err(format!("{role} view {} {marker} ({kind:?})", if shown { "shows" } else { "lacks" }));
                }
            }
        }
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn every_view_shows_exactly_what_the_matrix_allows(seed in any::<u64>()) {
        let mut walk = Walk::new(seed);
        walk.run();
        prop_assert!(walk.markers.len() >= 7, "every walk has preliminary notes and two goals");
        if let Err(problem) = walk.check_views() {
            return Err(TestCaseError::fail(problem));
        }
        // Granting then revoking one record shows, then hides, exactly that record.
        if !walk.engagement.stage().is_terminal() {
            let record = walk.some_record();
            let to = if walk.chance(50) { "supervisor" } else { "program_admin" };
            let already = walk.engagement.consents().iter().any(|g| g.record == record && g.to.as_str() == to);
            if !already && walk.emit(C, "consent_granted", json!({"record": record, "to": to}), vec![], false) {
                if let Err(problem) = walk.check_views() {
                    return Err(TestCaseError::fail(format!("after granting {record} to {to}: {problem}")));
                }
                walk.emit(C, "consent_revoked", json!({"record": record, "to": to}), vec![], true);
                if let Err(problem) = walk.check_views() {
                    return Err(TestCaseError::fail(format!("after revoking {record} from {to}: {problem}")));
                }
            }
        }
    }
}

#[test]
fn a_replaced_coach_has_no_view() {
    let mut walk = Walk::new(7);
    walk.run();
    if walk.engagement.stage().is_terminal() {
        return;
    }
    walk.emit(A, "coach_replaced", json!({"coach": "kai", "reason": "moved"}), vec![], true);
    assert_eq!(walk.engagement.view(K).unwrap_err().code, coachflow::Code::NotAParticipant);
    assert!(walk.engagement.view("kai").is_ok());
    assert_eq!(walk.engagement.explain_visibility(K, "meetings").unwrap_err().code, coachflow::Code::NotAParticipant);
}

// ----- the oracle test: no answer of any kind tells a reader more than their own view ------

/// An invented id of the same shape as real ones, that exists nowhere.
const INVENTED: &str = "zz-invented-x";

impl Walk {
    /// Every id the engagement holds that some view might not show.
    fn ids(&self) -> Vec<String> {
        let e = &self.engagement;
        let mut ids: Vec<String> = Vec::new();
        ids.extend(e.goals().iter().map(|goal| goal.id.clone()));
        ids.extend(e.actions().iter().map(|action| action.item.id.clone()));
        ids.extend(e.assessments().iter().map(|assessment| assessment.id.clone()));
        ids.extend(e.rater_responses().iter().map(|response| response.survey.clone()));
        ids.sort();
        ids.dedup();
        ids
    }

    /// What the viewer must never read: markers the matrix hides from them and ids their view
    /// does not show. An outsider (`None`) sees nothing.
    fn secrets(&self, role: Option<Role>, view: &str) -> Vec<String> {
        let mut secrets: Vec<String> = self
            .markers
            .iter()
            .filter(|(_, kind)| role.is_none_or(|role| !self.allowed(role, kind)))
            .map(|(marker, _)| marker.clone())
            .collect();
        secrets.extend(self.ids().into_iter().filter(|id| !view.contains(id.as_str())));
        secrets
    }

    /// A candidate event of a random type with `@ID@` where an id goes, the same shape for
    /// every viewer, permitted or not.
    fn candidate(&mut self) -> Value {
        let session = 1 + self.roll(4);
        let people = [C, S, K, A, "stranger"];
        let person = people[self.roll(people.len() as u64) as usize];
        let record_kinds = ["assessment", "action", "goal_progress", "survey"];
        let record = format!("{}:@ID@", record_kinds[self.roll(4) as usize]);
        let steps = [
            json!({"step": "check_in", "mood": "m"}),
            json!({"step": "session_goal", "outcome": "o"}),
            json!({"step": "assignment_review", "actions_reviewed": ["@ID@"]}),
            json!({"step": "action_commitment", "actions": [{"id": "@ID@", "description": "d"}]}),
            json!({"step": "key_outcomes", "takeaways": ["t"]}),
        ];
        let mut step = steps[self.roll(steps.len() as u64) as usize].clone();
        step["type"] = json!("script_step");
        step["session"] = json!(session);
        let stage = ["goal_setting", "coaching", "final_review", "completed"][self.roll(4) as usize];
        let choices = [
            json!({"type": "coach_assigned", "coach": person}),
            json!({"type": "responsibilities_acknowledged"}),
            json!({"type": "meeting_scheduled", "meeting": "@ID@", "kind": "alignment", "starts_at": self.at(5)}),
            json!({"type": "meeting_held", "meeting": "m1", "attendees": [C, S, K]}),
            json!({"type": "goal_agreed", "goal": "@ID@", "statement": "s", "org_priority": "p", "success_measures": ["m"]}),
            json!({"type": "goal_revised", "goal": "@ID@", "statement": "s"}),
            json!({"type": "goal_progress_noted", "goal": "@ID@", "note": "n"}),
            json!({"type": "goal_assessed", "goal": "@ID@", "outcome": "achieved"}),
            json!({"type": "session_scheduled", "session": session, "starts_at": self.at(5)}),
            json!({"type": "session_cancelled", "session": session}),
            json!({"type": "session_started", "session": session, "attendees": [C, K]}),
            step,
            json!({"type": "session_ended", "session": session}),
            json!({"type": "action_completed", "action": "@ID@"}),
            json!({"type": "action_dropped", "action": "@ID@"}),
            json!({"type": "assessment_recorded", "assessment": "@ID@", "instrument": "i", "summary": "s"}),
            json!({"type": "rater_feedback_recorded", "survey": "@ID@", "rater": "r", "group": "peer", "scores": {"x": 1}}),
            json!({"type": "survey_closed", "survey": "@ID@"}),
            json!({"type": "consent_granted", "record": record, "to": "supervisor"}),
            json!({"type": "consent_revoked", "record": record, "to": "program_admin"}),
            json!({"type": "disclosure_recorded", "to": "x", "limit": "risk_of_harm", "summary": "s"}),
            json!({"type": "stage_advanced", "to": stage}),
            json!({"type": "engagement_discontinued", "initiated_by": "coach", "reason": "r", "mutual_discussion": true}),
            json!({"type": "sponsor_informed", "explanation": "e"}),
            json!({"type": "partnership_reviewed", "session": session, "phases": {"opening": true, "checking_in": true,
                   "meaning_making": false, "action_planning": true, "closing": true}, "note": "n"}),
        ];
        choices[self.roll(choices.len() as u64) as usize].clone()
    }

    /// The event `template` recorded by `actor`, with `id` in its id slots.
    fn filled(&self, actor: &str, template: &Value, id: &str) -> Event {
        let mut event = json!({"engagement": "e", "at": self.at(1), "actor": actor});
        event.as_object_mut().unwrap().extend(template.as_object().unwrap().clone());
        let text = event.to_string().replace("@ID@", id);
        Event::from_json(&text).unwrap_or_else(|rejection| panic!("{text}: {rejection}"))
    }

    /// Everything `viewer` can be told, for one random round of questions: verdicts of
    /// candidate events (with real and invented ids), explanations, requirements,
    /// obligations and allowed events. Returns the first leak.
    fn interrogate(&mut self, viewer: &str, role: Option<Role>) -> Result<(), String> {
        let view = match self.engagement.view(viewer) {
            Ok(view) => view.to_json(),
            Err(finding) => {
                prop_assert_outsider(&finding, viewer)?;
                String::new()
            }
        };
        let secrets = self.secrets(role, &view);
        let ids = self.ids();
        let leak = |what: &str, answer: &str, submitted: &str| -> Result<(), String> {
            match secrets.iter().find(|secret| answer.contains(secret.as_str()) && !submitted.contains(secret.as_str()))
            {
                Some(secret) => Err(format!("{viewer} ({role:?}) learns {secret} from {what}: {answer}")),
                None => Ok(()),
            }
        };
        for _ in 0..10 {
            let template = self.candidate();
            let real =
                if ids.is_empty() { INVENTED.to_owned() } else { ids[self.roll(ids.len() as u64) as usize].clone() };
            let event = self.filled(viewer, &template, &real);
            let verdict = self.engagement.check(&event);
            let answer = format!("{verdict:?}");
            leak("a verdict", &answer, &event.to_json())?;
            // An oracle: asking about a real id the viewer cannot see must answer exactly as
            // asking about one that does not exist. Recording 360 responses and closing
            // surveys is the survey administrators' job (coach, programme admin): they learn
            // which surveys exist by doing it (docs/views.md).
            let administers_surveys = matches!(role, Some(Role::Coach | Role::ProgramAdmin))
                && matches!(
                    event.event_type(),
                    coachflow::EventType::RaterFeedbackRecorded | coachflow::EventType::SurveyClosed
                );
            if secrets.contains(&real) && !administers_surveys {
                let twin = self.engagement.check(&self.filled(viewer, &template, INVENTED));
                let (one, two) =
                    (format!("{verdict:?}").replace(&real, "@ID@"), format!("{twin:?}").replace(INVENTED, "@ID@"));
                if one != two {
                    return Err(format!("{viewer} ({role:?}) tells {real} from an invented id: {one} vs {two}"));
                }
            }
        }
        let mut records: Vec<String> =
            ["preliminary_notes", "session_feedback_comment", "meta", "goals"].map(String::from).to_vec();
        for id in ids.iter().chain([INVENTED.to_owned()].iter()) {
            for kind in ["assessment", "action", "goal_progress", "survey"] {
                records.push(format!("{kind}:{id}"));
            }
            records.push(format!("survey:{id}/peer"));
        }
        records.extend((1..=4).map(|number| format!("session:{number}")));
        for record in records {
            let answer = match self.engagement.explain_visibility(viewer, &record) {
                Ok(answer) => serde_json::to_string(&answer).unwrap(),
                Err(finding) => finding.to_string(),
            };
            leak("an explanation", &answer, &record)?;
        }
        for stage in coachflow::Stage::ALL {
            leak("requirements", &format!("{:?}", self.engagement.requirements(*stage)), "")?;
        }
        let later = chrono::NaiveDate::from_ymd_opt(2030, 1, 1).unwrap();
        leak("obligations", &format!("{:?}", self.engagement.obligations(later, viewer)), "")?;
        leak("allowed events", &format!("{:?}", self.engagement.allowed_events(viewer)), "")?;
        Ok(())
    }
}

/// An outsider's view is refused with `not_a_participant`, naming nothing but themselves.
fn prop_assert_outsider(finding: &coachflow::Finding, viewer: &str) -> Result<(), String> {
    if finding.code == coachflow::Code::NotAParticipant {
        Ok(())
    } else {
        Err(format!("{viewer} was refused a view with {finding}"))
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn no_answer_tells_a_reader_more_than_their_own_view(seed in any::<u64>()) {
        let mut walk = Walk::new(seed);
        walk.run();
        if walk.chance(30) && !walk.engagement.stage().is_terminal() {
            walk.emit(A, "coach_replaced", json!({"coach": "kai", "reason": "moved"}), vec![], false);
        }
        let mut viewers: Vec<(&str, Option<Role>)> = vec![("stranger", None), (K, walk.engagement.role_of(K))];
        viewers.extend([C, S, A, "kai"].iter().filter_map(|id| walk.engagement.role_of(id).map(|role| (*id, Some(role)))));
        for (viewer, role) in viewers {
            if let Err(leak) = walk.interrogate(viewer, role) {
                return Err(TestCaseError::fail(leak));
            }
        }
    }
}

/// A verdict as a reader compares it: accepted or not, with the codes and rules of its findings.
fn verdict_codes(verdict: &Result<Vec<coachflow::Finding>, coachflow::Rejection>) -> (bool, Vec<String>) {
    let findings = match verdict {
        Ok(warnings) => warnings,
        Err(rejection) => &rejection.violations,
    };
    (verdict.is_ok(), findings.iter().map(|finding| format!("{} {}", finding.code, finding.rule)).collect())
}

impl Walk {
    /// `viewer`'s redacted log holds nothing their view does not show, replays, and answers
    /// every event they may record as the whole log does.
    fn check_redacted(&mut self, viewer: &str, role: Role) -> Result<(), String> {
        let redacted = self.engagement.redacted_log(viewer).map_err(|finding| finding.to_string())?;
        let text = redacted.iter().map(Event::to_json).collect::<Vec<_>>().join("\n");
        let view = self.engagement.view(viewer).unwrap().to_json();
        let mut secrets = self.secrets(Some(role), &view);
        if matches!(role, Role::Coach | Role::ProgramAdmin) {
            // Survey administrators know surveys and raters by recording them (docs/decisions.md).
            let e = &self.engagement;
            secrets.retain(|secret| !e.rater_responses().iter().any(|r| r.rater == *secret || r.survey == *secret));
        }
        if let Some(secret) = secrets.iter().find(|secret| text.contains(secret.as_str())) {
            return Err(format!("{viewer} ({role}) finds {secret} in their redacted log:\n{text}"));
        }
        let replayed = Engagement::replay(redacted).map_err(|error| format!("{viewer}'s redacted log: {error}"))?;
        if replayed.stage() != self.engagement.stage() {
            return Err(format!("{viewer}: stage {} replayed as {}", self.engagement.stage(), replayed.stage()));
        }
        for stage in coachflow::Stage::ALL {
            if replayed.requirements(*stage) != self.engagement.requirements(*stage) {
                return Err(format!("{viewer}: the requirements of {stage} differ"));
            }
        }
        if replayed.allowed_events(viewer) != self.engagement.allowed_events(viewer) {
            return Err(format!("{viewer}: allowed events differ"));
        }
        let ids = self.ids();
        for _ in 0..30 {
            let template = self.candidate();
            let kind = coachflow::EventType::from_name(template["type"].as_str().unwrap()).unwrap();
            if !coachflow::permitted_roles(kind).contains(&role) {
                continue;
            }
            let id = if ids.is_empty() || self.chance(20) {
                INVENTED.to_owned()
            } else {
                ids[self.roll(ids.len() as u64) as usize].clone()
            };
            let event = self.filled(viewer, &template, &id);
            let (whole, redacted) = (self.engagement.check(&event), replayed.check(&event));
            if verdict_codes(&whole) != verdict_codes(&redacted) {
                return Err(format!(
                    "{viewer} ({role}): {} is {whole:?} on the whole log, {redacted:?} on the redacted one",
                    event.to_json()
                ));
            }
        }
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn a_redacted_log_holds_only_its_viewers_view_and_answers_like_the_whole_log(seed in any::<u64>()) {
        let mut walk = Walk::new(seed);
        walk.run();
        if walk.chance(20) && !walk.engagement.stage().is_terminal() {
            walk.emit(A, "coach_replaced", json!({"coach": "kai", "reason": "moved"}), vec![], false);
        }
        for viewer in [C, S, K, A, "kai"] {
            let Some(role) = walk.engagement.role_of(viewer) else { continue };
            if let Err(problem) = walk.check_redacted(viewer, role) {
                return Err(TestCaseError::fail(problem));
            }
        }
    }
}

#[test]
fn a_redacted_log_is_refused_to_someone_outside_the_engagement() {
    let mut walk = Walk::new(7);
    walk.run();
    let refused = walk.engagement.redacted_log("stranger").unwrap_err();
    assert_eq!(refused.code, coachflow::Code::NotAParticipant);
}
