//! Deterministic synthetic engagement logs: for the demo, benchmarks and notebooks.

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{json, Map, Value};

/// A small deterministic pseudo-random generator (SplitMix64), so the same seed always
/// gives the same file on every machine.
pub struct SplitMix(u64);

impl SplitMix {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> SplitMix {
        SplitMix(seed)
    }

    /// The next 64 pseudo-random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (bound > 0).
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound.max(1)
    }

    /// One of `items`, or `fallback` when `items` is empty.
    pub fn choose<T: Copy>(&mut self, items: &[T], fallback: T) -> T {
        let index = usize::try_from(self.below(items.len() as u64)).unwrap_or(0);
        items.get(index).copied().unwrap_or(fallback)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// Builds the events of one engagement, advancing a clock as it goes.
pub struct EngagementBuilder {
    /// Engagement id.
    pub id: String,
    /// Coachee id.
    pub coachee: String,
    /// Supervisor id.
    pub supervisor: String,
    /// Coach id.
    pub coach: String,
    /// Programme admin id.
    pub admin: String,
    clock: DateTime<Utc>,
    /// The events built so far.
    pub events: Vec<Value>,
}

impl EngagementBuilder {
    /// A builder for engagement `id` whose clock starts at `start`; ids derive from `id`.
    pub fn new(id: &str, start: DateTime<Utc>) -> EngagementBuilder {
        EngagementBuilder {
            id: id.to_owned(),
            coachee: format!("{id}-coachee"),
            supervisor: format!("{id}-supervisor"),
            coach: format!("{id}-coach"),
            admin: format!("{id}-hr"),
            clock: start,
            events: Vec::new(),
        }
    }

    /// Moves the clock forward.
    pub fn wait(&mut self, minutes: i64) -> &mut Self {
        self.clock += Duration::minutes(minutes);
        self
    }

    /// The clock as RFC 3339 text.
    pub fn now(&self) -> String {
        self.clock.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }

    fn later(&self, minutes: i64) -> String {
        (self.clock + Duration::minutes(minutes)).to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }

    /// Appends an event of `kind` by `actor` with `payload` fields.
    pub fn event(&mut self, actor: &str, kind: &str, payload: Value) -> &mut Self {
        let mut object = Map::new();
        object.insert("engagement".into(), json!(self.id));
        object.insert("at".into(), json!(self.now()));
        object.insert("actor".into(), json!(actor));
        object.insert("type".into(), json!(kind));
        if let Value::Object(fields) = payload {
            object.extend(fields);
        }
        self.events.push(Value::Object(object));
        self.wait(30)
    }

    /// `engagement_opened` by the admin, with `policy` overrides when not empty.
    pub fn open(&mut self, policy: Value) -> &mut Self {
        let (admin, coachee, supervisor) = (self.admin.clone(), self.coachee.clone(), self.supervisor.clone());
        let mut payload = json!({"coachee": coachee, "supervisor": supervisor, "program_admins": [admin]});
        if policy.as_object().is_some_and(|policy| !policy.is_empty()) {
            if let Some(fields) = payload.as_object_mut() {
                fields.insert("policy".into(), policy);
            }
        }
        self.event(&admin, "engagement_opened", payload)
    }

    /// Pre-work: coach, orientation, acknowledgements, preliminary discussion, goal-setting meeting scheduled.
    pub fn pre_work(&mut self) -> &mut Self {
        let (admin, coachee, supervisor, coach) =
            (self.admin.clone(), self.coachee.clone(), self.supervisor.clone(), self.coach.clone());
        self.event(&admin, "coach_assigned", json!({"coach": coach}))
            .wait(60 * 24)
            .event(&coachee, "orientation_completed", json!({}))
            .event(&coachee, "responsibilities_acknowledged", json!({}))
            .event(&supervisor, "responsibilities_acknowledged", json!({}))
            .event(&coach, "responsibilities_acknowledged", json!({}))
            .wait(60 * 24)
            .event(
                &supervisor,
                "preliminary_goals_discussed",
                json!({"notes": "Wants to delegate more and run calmer team meetings."}),
            );
        let starts = self.later(60 * 24 * 3);
        self.event(
            &supervisor,
            "meeting_scheduled",
            json!({"meeting": "m-goals", "kind": "goal_setting", "starts_at": starts}),
        )
    }

    /// `stage_advanced` to `to`.
    pub fn advance(&mut self, actor: &str, to: &str) -> &mut Self {
        self.event(actor, "stage_advanced", json!({"to": to}))
    }

    /// Coachee, supervisor and coach, as a JSON list of attendees.
    pub fn three(&self) -> Value {
        json!([self.coachee, self.supervisor, self.coach])
    }

    /// The goal-setting meeting held, the agreement recorded, `goals` goals agreed.
    pub fn goal_setting(&mut self, goals: usize) -> &mut Self {
        let (coachee, coach, attendees) = (self.coachee.clone(), self.coach.clone(), self.three());
        self.wait(60 * 24 * 3);
        let meeting_day = self.clock.date_naive().to_string();
        self.event(&coach, "meeting_held", json!({"meeting": "m-goals", "attendees": attendees})).event(
            &coach,
            "confidentiality_agreed",
            json!({"reviewed_on": meeting_day, "limits": ["risk_of_harm", "required_by_law"]}),
        );
        for goal in 1..=goals {
            self.event(
                &coachee,
                "goal_agreed",
                json!({"goal": format!("g{goal}"), "statement": format!("Goal {goal}: delegate one recurring task each month"),
                       "org_priority": "Branch service plan", "success_measures": ["two tasks delegated by the midpoint"]}),
            );
        }
        self
    }

    /// One regular session with the full default script.
    pub fn session(&mut self, number: u32, with_next: bool) -> &mut Self {
        let (coachee, coach) = (self.coachee.clone(), self.coach.clone());
        let starts = self.later(60 * 24 * 7);
        self.event(&coach, "session_scheduled", json!({"session": number, "starts_at": starts}));
        self.wait(60 * 24 * 7);
        self.event(&coach, "session_started", json!({"session": number, "attendees": [coachee, coach]}))
            .event(&coachee, "script_step", json!({"session": number, "step": "check_in", "mood": "steady"}))
            .event(
                &coachee,
                "script_step",
                json!({"session": number, "step": "session_goal", "outcome": format!("Plan for session {number}")}),
            );
        if number > 1 {
            let reviewed = json!([format!("a{}", number - 1)]);
            self.event(&coachee, "script_step", json!({"session": number, "step": "assignment_review", "went_well": "kept the habit", "actions_reviewed": reviewed}));
        }
        let due = (self.clock + Duration::days(7)).date_naive().to_string();
        self.event(&coach, "script_step", json!({"session": number, "step": "coaching", "approaches": ["role_play", "strategies"]}))
            .event(&coachee, "script_step", json!({"session": number, "step": "action_commitment",
                "actions": [{"id": format!("a{number}"), "description": "Hand the weekly report to a team member", "due": due}]}))
            .event(&coachee, "script_step", json!({"session": number, "step": "key_outcomes", "takeaways": ["Asking first works better than telling"]}));
        if with_next {
            self.event(
                &coachee,
                "script_step",
                json!({"session": number, "step": "next_assignment", "assignment": "Try it twice"}),
            );
        }
        self.event(&coachee, "script_step", json!({"session": number, "step": "session_feedback", "rating": 4})).event(
            &coach,
            "session_ended",
            json!({"session": number}),
        );
        if number > 1 {
            let previous = format!("a{}", number - 1);
            self.event(&coachee, "action_completed", json!({"action": previous}));
        }
        self
    }

    /// Final review: meeting, `goals` outcomes, the review record, and completion.
    pub fn final_review(&mut self, goals: usize) -> &mut Self {
        let (coachee, supervisor, coach, attendees) =
            (self.coachee.clone(), self.supervisor.clone(), self.coach.clone(), self.three());
        let starts = self.later(60 * 24 * 5);
        self.event(
            &coach,
            "meeting_scheduled",
            json!({"meeting": "m-final", "kind": "final_review", "starts_at": starts}),
        )
        .advance(&supervisor, "final_review")
        .wait(60 * 24 * 5)
        .event(&coach, "meeting_held", json!({"meeting": "m-final", "attendees": attendees}));
        for goal in 1..=goals {
            self.event(&supervisor, "goal_assessed", json!({"goal": format!("g{goal}"), "outcome": "achieved"}));
        }
        self.event(&coachee, "final_review_recorded", json!({"successes": ["Delegates weekly"], "development_opportunities": ["Feedback conversations"], "resources": ["Peer mentoring circle"]}))
            .advance(&supervisor, "completed")
    }
}

/// Generates `engagements` engagements (about 100 events each) whose events interleave,
/// as JSON Lines.
pub fn generate(engagements: u64, seed: u64) -> Vec<String> {
    let mut rng = SplitMix::new(seed);
    let start = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).single().unwrap_or_default();
    let mut logs: Vec<Vec<Value>> = Vec::new();
    for index in 0..engagements {
        let begins = start + Duration::hours(i64::try_from(rng.below(24 * 300)).unwrap_or(0));
        let mut builder = EngagementBuilder::new(&format!("eng-{index:06}"), begins);
        synthesize(&mut builder, &mut rng);
        logs.push(builder.events);
    }
    interleave(logs)
}

fn synthesize(builder: &mut EngagementBuilder, rng: &mut SplitMix) {
    let sessions = rng.choose(&[4_u32, 6, 6, 6, 8], 6);
    let goals = 1 + usize::try_from(rng.below(3)).unwrap_or(0);
    let (coachee, supervisor, coach, admin) =
        (builder.coachee.clone(), builder.supervisor.clone(), builder.coach.clone(), builder.admin.clone());
    builder.open(if sessions == 6 { json!({}) } else { json!({"sessions": sessions}) }).pre_work();
    // Roughly: 8% end in pre-work or goal setting, 12% during coaching, the rest complete.
    let fate = rng.below(100);
    if fate < 4 {
        builder.event(
            &admin,
            "engagement_discontinued",
            json!({"initiated_by": "program_admin", "reason": "left the organisation"}),
        );
        return;
    }
    builder.advance(&supervisor, "goal_setting").goal_setting(goals);
    builder.event(&coach, "engagement_level_rated", json!({"level": "moderate"}));
    builder.event(
        &coachee,
        "assessment_recorded",
        json!({"assessment": "style", "instrument": "DISC", "summary": "Direct, fast-paced."}),
    );
    for (rater, group) in ["peer", "peer", "direct_report"].iter().enumerate() {
        let rater = format!("{}-rater-{rater}", builder.id);
        builder.event(
            &admin,
            "rater_feedback_recorded",
            json!({"survey": "360", "rater": rater, "group": group, "scores": {"listening": 3 + rng.below(3)}}),
        );
    }
    if fate < 8 {
        builder
            .event(
                &coachee,
                "engagement_discontinued",
                json!({"initiated_by": "coachee", "reason": "new role", "mutual_discussion": true}),
            )
            .event(&coachee, "sponsor_informed", json!({"explanation": "Moving to a new role next month."}));
        return;
    }
    builder.advance(&coach, "coaching");
    let level = rng.choose(&["low", "moderate", "high"], "moderate");
    builder.event(&coach, "engagement_level_rated", json!({"level": level}));
    let stop_after =
        if fate < 20 { Some(1 + u32::try_from(rng.below(u64::from(sessions - 1))).unwrap_or(0)) } else { None };
    // How often this coach reviews their own partnering after a session, and how often a
    // phase goes well: coaches differ, which the notebook's partnering rates show.
    let (review_rate, partnering) = (rng.below(101), 60 + rng.below(40));
    for number in 1..=sessions {
        if rng.chance(10) {
            let starts = builder.later(60 * 24 * 7);
            builder.event(&coachee, "session_scheduled", json!({"session": number, "starts_at": starts})).event(
                &coachee,
                "session_cancelled",
                json!({"session": number, "reason": "conflict"}),
            );
        }
        builder.session(number, number < sessions);
        if rng.chance(review_rate) {
            let mut phases = serde_json::Map::new();
            for phase in coachflow::PartnershipPhase::ALL {
                phases.insert(phase.as_str().into(), json!(rng.chance(partnering)));
            }
            let signals: Vec<&str> = coachflow::PartneringSignal::ALL
                .iter()
                .filter(|_| rng.chance(100 - partnering))
                .map(|signal| signal.as_str())
                .collect();
            builder.event(
                &coach,
                "partnership_reviewed",
                json!({"session": number, "phases": phases, "signals": signals}),
            );
        }
        builder.event(
            &coachee,
            "goal_progress_noted",
            json!({"goal": "g1", "note": "Delegated the rota", "percent": 40}),
        );
        builder.event(&coach, "engagement_level_rated", json!({"level": rng.choose(&["moderate", "high"], "high")}));
        if number == sessions / 2 || number == sessions {
            builder
                .event(&supervisor, "progress_feedback_given", json!({"note": "Noticeably calmer stand-ups."}))
                .event(&coachee, "summary_shared", json!({"summary": "Halfway: delegation is becoming a habit."}));
        }
        if stop_after == Some(number) {
            builder.event(
                &coach,
                "engagement_discontinued",
                json!({"initiated_by": "coach", "reason": "no longer useful", "mutual_discussion": true}),
            );
            if rng.chance(70) {
                builder.event(&coachee, "sponsor_informed", json!({"explanation": "We agreed to stop."}));
            }
            return;
        }
    }
    builder.final_review(goals);
}

/// Round-robin interleaving: the k-th event of every engagement, then the (k+1)-th, ...
fn interleave(logs: Vec<Vec<Value>>) -> Vec<String> {
    let total = logs.iter().map(Vec::len).sum();
    let mut lines = Vec::with_capacity(total);
    let mut iterators: Vec<_> = logs.into_iter().map(Vec::into_iter).collect();
    while lines.len() < total {
        for events in &mut iterators {
            if let Some(event) = events.next() {
                lines.push(event.to_string());
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_logs_are_deterministic_and_valid() {
        let first = generate(40, 7);
        assert_eq!(first, generate(40, 7));
        assert_ne!(first, generate(40, 8));
        let replay = coachflow::log::read_log(first.join("\n").as_bytes());
        assert!(replay.problems.is_empty(), "{:?}", replay.problems.first());
        assert_eq!(replay.engagements.len(), 40);
        assert!(replay.engagements.iter().any(|e| e.stage() == coachflow::Stage::Completed));
        assert!(replay.engagements.iter().any(|e| e.stage() == coachflow::Stage::Discontinued));
    }
}
