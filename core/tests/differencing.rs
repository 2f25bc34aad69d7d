//! The differencing attacks of issue 13 on 360 results, each now finding nothing: a reader
//! cannot isolate one rater by comparing an item across raters, two views over time, or a
//! pool before and after it splits.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use coachflow::{Code, Engagement, Event, Role};
use serde_json::{json, Value};

struct Log {
    engagement: Engagement,
    hour: i64,
}

impl Log {
    /// An open engagement (coachee cleo, supervisor sam, coach kim, admin hr), default policy
    /// (`min_raters` 3).
    fn new() -> Log {
        let mut log = Log { engagement: Engagement::new("d"), hour: 0 };
        log.apply(
            "hr",
            json!({"type": "engagement_opened", "coachee": "cleo", "supervisor": "sam",
                               "coach": "kim", "program_admins": ["hr"]}),
        )
        .unwrap();
        log
    }

    fn apply(&mut self, actor: &str, payload: Value) -> Result<(), Code> {
        self.hour += 1;
        let at = chrono::DateTime::from_timestamp(1_767_600_000 + self.hour * 3600, 0).unwrap().to_rfc3339();
        let mut event = json!({"engagement": "d", "at": at, "actor": actor});
        event.as_object_mut().unwrap().extend(payload.as_object().unwrap().clone());
        self.engagement.apply(Event::from_value(&event).unwrap()).map(|_| ()).map_err(|rejection| rejection.codes()[0])
    }

    fn rate(&mut self, rater: &str, group: &str, scores: Value, comment: Option<&str>) -> Result<(), Code> {
        let mut payload = json!({"type": "rater_feedback_recorded", "survey": "s1", "rater": rater, "group": group,
                                 "scores": scores});
        if let Some(comment) = comment {
            payload["comment"] = json!(comment);
        }
        self.apply("kim", payload)
    }

    fn close(&mut self) -> Result<(), Code> {
        self.apply("kim", json!({"type": "survey_closed", "survey": "s1"}))
    }

    fn coachee_view(&self) -> String {
        self.engagement.view_as(Role::Coachee).unwrap().to_json()
    }
}

#[test]
fn per_item_an_answer_of_one_rater_in_a_shown_group_is_not_shown() {
    let mut log = Log::new();
    log.rate("p1", "peer", json!({"listening": 4, "courage": 1}), None).unwrap();
    log.rate("p2", "peer", json!({"listening": 2}), None).unwrap();
    log.rate("p3", "peer", json!({"listening": 3, "courage": 5}), None).unwrap();
    log.close().unwrap();
    let view = log.coachee_view();
    assert!(view.contains("\"group\":\"peer\",\"responses\":3"), "{view}");
    assert!(view.contains("\"listening\":3.0"), "{view}");
    assert!(!view.contains("courage"), "two of three peers answered `courage`; its mean would expose them: {view}");
}

#[test]
fn over_time_there_is_one_result_and_it_never_changes() {
    let mut log = Log::new();
    for (rater, score) in [("p1", 1), ("p2", 2), ("p3", 3)] {
        log.rate(rater, "peer", json!({"listening": score}), Some(&format!("comment of {rater}"))).unwrap();
    }
    let while_open = log.coachee_view();
    assert!(!while_open.contains("listening") && !while_open.contains("comment of"), "{while_open}");
    log.rate("p4", "peer", json!({"listening": 5}), Some("comment of p4")).unwrap();
    let still_open = log.coachee_view();
    assert!(!still_open.contains("listening") && !still_open.contains("comment of"), "{still_open}");
    log.close().unwrap();
    let closed = log.coachee_view();
    assert!(closed.contains("\"listening\":2.75") && closed.contains("comment of p4"), "{closed}");
    assert_eq!(log.rate("p5", "peer", json!({"listening": 1}), Some("late")), Err(Code::SurveyAlreadyClosed));
    assert_eq!(log.coachee_view(), closed, "a refused response changes nothing, so there is nothing to subtract");
}

#[test]
fn a_pool_cannot_split_after_its_results_are_shown() {
    let mut log = Log::new();
    log.rate("d1", "direct_report", json!({"listening": 2}), None).unwrap();
    log.rate("d2", "direct_report", json!({"listening": 4}), None).unwrap();
    log.rate("c1", "customer", json!({"listening": 5}), Some("the only customer")).unwrap();
    log.close().unwrap();
    let pooled = log.coachee_view();
    assert!(pooled.contains("\"group\":\"others\",\"responses\":3"), "{pooled}");
    // The third direct report that would split the pool (and leave the lone customer's score
    // to subtraction) is refused.
    assert_eq!(log.rate("d3", "direct_report", json!({"listening": 3}), None), Err(Code::SurveyAlreadyClosed));
    assert_eq!(log.coachee_view(), pooled);
}

#[test]
fn explaining_a_small_group_counts_nothing() {
    let mut log = Log::new();
    log.rate("d1", "direct_report", json!({"listening": 2}), None).unwrap();
    log.rate("m1", "manager", json!({"listening": 4}), None).unwrap();
    log.close().unwrap();
    let answer = log.engagement.explain_visibility("cleo", "survey:s1/direct_report").unwrap();
    assert!(!answer.visible);
    let absent = log.engagement.explain_visibility("cleo", "survey:s1/customer").unwrap();
    assert_eq!(
        (answer.reason, answer.message.replace("direct_report", "G")),
        (absent.reason, absent.message.replace("customer", "G"))
    );
    assert!(
        !answer.message.contains("1 direct_report") && !answer.message.contains("response(s)"),
        "{}",
        answer.message
    );
}
