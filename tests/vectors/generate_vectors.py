#!/usr/bin/env python3
"""Writes the conformance vectors in this folder (contract section 9).

The JSON files are the artefact every binding runs; this script is how they are authored, so
that shared prefixes ("an engagement that has reached coaching") are written once. Run it
after editing; `scripts/test-all` fails when the files and the script disagree.

    python3 tests/vectors/generate_vectors.py            # rewrite the files
    python3 tests/vectors/generate_vectors.py --check    # exit 1 if a file would change
"""
import copy
import datetime as dt
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
ENG = "v-1"
COACHEE, SUPERVISOR, COACH, ADMIN = "cleo", "sam", "kim", "hr"
THREE = [COACHEE, SUPERVISOR, COACH]


class Log:
    """Events of one engagement; the clock moves one hour per event unless told otherwise."""

    def __init__(self, policy=None, start="2026-03-02T09:00:00+00:00"):
        self.events = []
        self.clock = dt.datetime.fromisoformat(start)
        self.sessions_held = 0
        payload = {"coachee": COACHEE, "supervisor": SUPERVISOR, "program_admins": [ADMIN]}
        if policy is not None:
            payload["policy"] = policy
        self.add(ADMIN, "engagement_opened", **payload)

    # -- basics -------------------------------------------------------------------------
    def stamp(self, moment=None):
        moment = moment or self.clock
        return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    def later(self, hours):
        return self.stamp(self.clock + dt.timedelta(hours=hours))

    def day(self):
        return self.clock.date().isoformat()

    def add(self, actor, event_type, at=None, **payload):
        """Appends an event and returns its index."""
        event = {"engagement": ENG, "at": at or self.stamp(), "actor": actor, "type": event_type}
        event.update(payload)
        self.events.append(event)
        self.clock += dt.timedelta(hours=1)
        return len(self.events) - 1

    def raw(self, event):
        self.events.append(event)
        self.clock += dt.timedelta(hours=1)
        return len(self.events) - 1

    def wait(self, hours):
        self.clock += dt.timedelta(hours=hours)
        return self

    # -- stages -------------------------------------------------------------------------
    def pre_work(self, acknowledge=True):
        self.add(ADMIN, "coach_assigned", coach=COACH)
        self.add(COACHEE, "orientation_completed")
        self.add(COACHEE, "preliminary_goals_discussed", notes="CANARY-PRELIM wants calmer meetings")
        if acknowledge:
            for who in THREE:
                self.add(who, "responsibilities_acknowledged")
        self.add(SUPERVISOR, "meeting_scheduled", meeting="m-goals", kind="goal_setting", starts_at=self.later(24))
        return self

    def to_goal_setting(self):
        self.pre_work()
        self.add(SUPERVISOR, "stage_advanced", to="goal_setting")
        return self

    def goal_meeting(self):
        self.wait(24)
        self.add(COACH, "meeting_held", meeting="m-goals", attendees=THREE)
        return self

    def agree(self, goal="g1"):
        return self.add(COACHEE, "goal_agreed", goal=goal, statement=f"CANARY-GOAL-{goal} delegate the weekly report",
                        org_priority="Service plan 2026", success_measures=["report delegated by May"])

    def to_coaching(self):
        self.to_goal_setting().goal_meeting()
        self.add(COACH, "confidentiality_agreed", reviewed_on=self.day(), limits=["risk_of_harm", "required_by_law"])
        self.agree()
        self.add(COACH, "stage_advanced", to="coaching")
        return self

    def session(self, number, skip=(), next_assignment=True, review=None):
        """Schedules, runs and ends session `number` with the default script."""
        self.add(COACH, "session_scheduled", session=number, starts_at=self.later(48))
        self.wait(48)
        self.add(COACH, "session_started", session=number, attendees=[COACHEE, COACH])
        self.steps = {}  # step name -> event index, for the last session run
        steps = [
            ("check_in", COACHEE, {"mood": "CANARY-MOOD fine"}),
            ("session_goal", COACHEE, {"outcome": "CANARY-OUTCOME plan the handover"}),
            ("assignment_review", COACHEE, {"went_well": "tried it", "actions_reviewed": review if review is not None else ([f"a{number - 1}"] if number > 1 else [])}),
            ("coaching", COACH, {"approaches": ["role_play"]}),
            ("action_commitment", COACHEE, {"actions": [{"id": f"a{number}", "description": f"CANARY-ACTION-{number} hand over one task", "due": "2026-12-31"}]}),
            ("key_outcomes", COACHEE, {"takeaways": ["asking beats telling"]}),
            ("next_assignment", COACHEE, {"assignment": "try twice"}),
            ("session_feedback", COACHEE, {"rating": 5, "comment": "CANARY-FEEDBACK-COMMENT"}),
        ]
        for name, actor, fields in steps:
            if name in skip or (name == "assignment_review" and number == 1):
                continue
            if name == "next_assignment" and not next_assignment:
                continue
            self.steps[name] = self.add(actor, "script_step", session=number, step=name, **fields)
        end = self.add(COACH, "session_ended", session=number)
        self.sessions_held += 1
        return end

    def sessions(self, count):
        for number in range(1, count + 1):
            self.session(number, next_assignment=number < count)
        return self

    def to_final_review(self, count=6):
        self.to_coaching().sessions(count)
        self.add(SUPERVISOR, "stage_advanced", to="final_review")
        return self

    def final_meeting(self):
        self.add(COACH, "meeting_scheduled", meeting="m-final", kind="final_review", starts_at=self.later(2))
        self.wait(2)
        return self.add(COACH, "meeting_held", meeting="m-final", attendees=THREE)


def vector(name, rules, log, **expect):
    return {"name": name, "rules": rules, "events": copy.deepcopy(log.events), "expect": expect}


def rejected(index, *codes):
    return {"index": index, "codes": list(codes)}


VECTORS = {}


def group(file_name):
    def register(builder):
        VECTORS[file_name] = builder
        return builder
    return register


@group("envelope.json")
def envelope():
    out = []
    log = Log()
    i = log.add(COACHEE, "orientation_completed", schema=3)
    j = log.add(COACHEE, "orientation_completed", schema=1)
    out.append(vector("a schema this library does not know is refused; schema 1 is the default", ["L1"], log,
                      rejected=[rejected(i, "unsupported_schema")], stage="pre_work"))

    log = Log()
    i = log.add(ADMIN, "coach_assigned", coach=COACH, coach_name="Kim")
    j = log.add(ADMIN, "coach_assigned")
    k = log.add(ADMIN, "coach_assigned", coach=7)
    log.add(ADMIN, "coach_assigned", coach=COACH)
    out.append(vector("unknown, missing and mistyped payload fields are invalid_event", ["L2"], log,
                      rejected=[rejected(i, "invalid_event"), rejected(j, "invalid_event"), rejected(k, "invalid_event")],
                      requirements={"goal_setting": {"unmet": ["orientation_incomplete", "preliminary_discussion_missing"]}}))

    log = Log()
    i = log.raw({"engagement": ENG, "at": log.stamp(), "actor": COACHEE, "type": "orientation_completed", "seq": 2, "note": "x"})
    j = log.raw({"engagement": ENG, "at": "last tuesday", "actor": COACHEE, "type": "orientation_completed"})
    k = log.raw({"engagement": ENG, "actor": COACHEE, "type": "orientation_completed"})
    out.append(vector("envelope fields are checked: unknown top-level field, bad timestamp, missing at", ["L2"], log,
                      rejected=[rejected(i, "invalid_event"), rejected(j, "invalid_event"), rejected(k, "invalid_event")]))

    log = Log()
    i = log.add(COACHEE, "orientation_finished")
    out.append(vector("an unknown event type is unknown_event_type", ["L6"], log, rejected=[rejected(i, "unknown_event_type")]))

    log = Log()
    i = log.raw({"engagement": ENG, "at": log.stamp(), "actor": COACHEE, "type": {"orientation_completed": None}})
    j = log.raw({"engagement": ENG, "at": log.stamp(), "actor": COACHEE, "type": ["orientation_completed"]})
    k = log.raw({"engagement": ENG, "at": log.stamp(), "actor": COACHEE, "type": 7})
    log.add(COACHEE, "orientation_completed")
    out.append(vector("a type that is not a text is invalid_event, even an object or list naming a type", ["L2"], log,
                      rejected=[rejected(i, "invalid_event"), rejected(j, "invalid_event"), rejected(k, "invalid_event")]))

    log = Log().to_coaching()
    i = log.add(COACH, "meeting_scheduled", meeting="m-x", kind={"midpoint_check_in": None}, starts_at=log.later(2))
    j = log.add(COACH, "meeting_scheduled", meeting="m-x", kind=["midpoint_check_in"], starts_at=log.later(2))
    log.add(COACH, "meeting_scheduled", meeting="m-x", kind="midpoint_check_in", starts_at=log.later(2))
    log.add(COACH, "session_scheduled", session=1, starts_at=log.later(1))
    log.wait(1)
    log.add(COACH, "session_started", session=1, attendees=[COACHEE, COACH])
    k = log.add(COACHEE, "script_step", session=1, step="action_commitment", actions=[["a1", "d"]])
    log.add(COACHEE, "script_step", session=1, step="action_commitment", actions=[{"id": "a1", "description": "d"}])
    log.add(COACH, "session_ended", session=1)
    l = log.add(COACH, "partnership_reviewed", session=1, phases=[True, True, True, True, True])
    m = log.add(COACH, "partnership_reviewed", session=1, phases=ALL_PHASES, signals=[{"led_instead_of_followed": None}])
    log.add(COACH, "partnership_reviewed", session=1, phases=ALL_PHASES, signals=["led_instead_of_followed"])
    out.append(vector("L2: a name from a closed list is a text, and a payload's object is an object, never a list", ["L2"], log,
                      rejected=[exactly(index, "invalid_event") for index in (i, j, k, l, m)]))

    log = Log()
    log.events = []
    opening = {"coachee": COACHEE, "supervisor": SUPERVISOR, "program_admins": [ADMIN]}
    i = log.add(ADMIN, "engagement_opened", **opening, policy=[6, "optional", True, True, True, 1, 24, "advisory", None, 3])
    j = log.add(ADMIN, "engagement_opened", **opening, policy={"script": [["check_in", False, [COACHEE, COACH]]]})
    log.add(ADMIN, "engagement_opened", **opening, policy={"sessions": 6})
    out.append(vector("L2: a policy and each step of its script are objects, never lists", ["L2"], log,
                      rejected=[exactly(index, "invalid_event") for index in (i, j)], stage="pre_work"))

    log = Log()
    i = log.raw({"engagement": ENG, "seq": 5, "at": log.stamp(), "actor": COACHEE, "type": "orientation_completed"})
    j = log.raw({"engagement": ENG, "seq": 1, "at": log.stamp(), "actor": COACHEE, "type": "orientation_completed"})
    log.raw({"engagement": ENG, "seq": 2, "at": log.stamp(), "actor": COACHEE, "type": "orientation_completed"})
    out.append(vector("seq must be exactly the previous plus one", ["L3"], log,
                      rejected=[rejected(i, "sequence_gap"), rejected(j, "duplicate_seq")]))

    log = Log()
    i = log.add(COACHEE, "orientation_completed", at="2026-03-01T09:00:00Z")
    log.add(COACHEE, "orientation_completed", at="2026-03-02T09:00:00Z")
    j = log.add(COACHEE, "orientation_completed", at="2026-03-02T10:00:00+02:00")
    out.append(vector("time never goes backwards; offsets compare as instants", ["L4"], log,
                      rejected=[rejected(i, "time_went_backwards"), rejected(j, "time_went_backwards")]))

    log = Log()
    i = log.add("mallory", "orientation_completed")
    j = log.add(SUPERVISOR, "orientation_completed")
    k = log.add(ADMIN, "preliminary_goals_discussed")
    out.append(vector("the actor must be a participant whose role may record the type", ["L5"], log,
                      rejected=[rejected(i, "not_a_participant"), rejected(j, "actor_not_permitted"), rejected(k, "actor_not_permitted")]))

    log = Log()
    log.events = []
    i = log.add(COACHEE, "orientation_completed")
    j = log.add(ADMIN, "engagement_opened", coachee=COACHEE, supervisor=SUPERVISOR, program_admins=[ADMIN])
    k = log.add(ADMIN, "engagement_opened", coachee=COACHEE, supervisor=SUPERVISOR, program_admins=[ADMIN])
    out.append(vector("engagement_opened comes first and only once", ["L7"], log,
                      rejected=[rejected(i, "not_opened"), rejected(k, "already_opened")], stage="pre_work"))

    log = Log()
    log.events = []
    i = log.add(ADMIN, "engagement_opened", coachee=COACHEE, supervisor=COACHEE, program_admins=[ADMIN])
    j = log.add(ADMIN, "engagement_opened", coachee=COACHEE, supervisor=SUPERVISOR, coach=ADMIN, program_admins=[ADMIN])
    k = log.add("x" * 129, "engagement_opened", coachee="x" * 129, supervisor=SUPERVISOR)
    l = log.add("outsider", "engagement_opened", coachee=COACHEE, supervisor=SUPERVISOR)
    m = log.add("a" * 128, "engagement_opened", coachee="a" * 128, supervisor=SUPERVISOR, coach=COACH)
    n = log.add(SUPERVISOR, "coach_assigned", coach=SUPERVISOR)
    out.append(vector("participants: distinct people, ids of 1-128 characters, the opener among them", ["O1", "L5"], log,
                      rejected=[rejected(i, "duplicate_participant"), rejected(j, "duplicate_participant"),
                                rejected(k, "invalid_event"), rejected(l, "not_a_participant"),
                                rejected(n, "coach_already_assigned", "duplicate_participant")]))

    log = Log()
    log.add(COACHEE, "orientation_completed", meta={"source": "CANARY-META", "nested": {"x": [1, 2]}})
    i = log.add(COACHEE, "goal_agreed", goal="g1", statement="s", org_priority="p", success_measures=["m"])
    j = log.raw({"engagement": "other", "at": log.stamp(), "actor": COACHEE, "type": "orientation_completed"})
    out.append(vector("meta is kept and accepted; a type outside its stages is wrong_stage; another engagement's event is refused",
                      ["L2", "T2"], log, rejected=[rejected(i, "wrong_stage"), rejected(j, "invalid_event")]))
    log = Log()
    i = log.add(COACHEE, "orientation_completed", meta={"items": list(range(1001))})
    log.add(COACHEE, "orientation_completed", meta={"items": list(range(1000))})
    out.append(vector("H1: an event over a default size cap (1,000 list items) is limit_exceeded; at the cap it applies", ["H1"], log,
                      rejected=[rejected(i, "limit_exceeded")],
                      requirements={"goal_setting": {"unmet": ["coach_not_assigned", "preliminary_discussion_missing"]}}))

    return out


@group("stages.json")
def stages():
    out = []
    log = Log()
    i = log.add(SUPERVISOR, "stage_advanced", to="goal_setting")
    out.append(vector("S1-S3: every unmet guard of goal_setting is reported together", ["S1", "S2", "S3"], log,
                      rejected=[rejected(i, "coach_not_assigned", "orientation_incomplete", "preliminary_discussion_missing")],
                      stage="pre_work",
                      requirements={"goal_setting": {"unmet": ["coach_not_assigned", "orientation_incomplete", "preliminary_discussion_missing"]},
                                    "pre_work": {"unmet": []}}))

    log = Log(policy={"require_orientation": False, "require_preliminary_discussion": False, "require_acknowledgements": False})
    log.add(SUPERVISOR, "coach_assigned", coach=COACH)
    log.add(SUPERVISOR, "meeting_scheduled", meeting="m-goals", kind="goal_setting", starts_at=log.later(5))
    log.add(SUPERVISOR, "stage_advanced", to="goal_setting")
    out.append(vector("S2, S3 switched off by policy: a coach is enough for goal_setting; S7 off too", ["S1", "S2", "S3", "S7", "8"], log,
                      stage="goal_setting",
                      requirements={"coaching": {"unmet": ["goal_setting_meeting_not_held", "too_few_goals", "confidentiality_not_agreed"]}}))

    log = Log().to_goal_setting()
    i = log.add(SUPERVISOR, "stage_advanced", to="coaching")
    out.append(vector("S4-S6: coaching needs the meeting, goals and the agreement", ["S4", "S5", "S6"], log,
                      rejected=[rejected(i, "goal_setting_meeting_not_held", "too_few_goals", "confidentiality_not_agreed")],
                      requirements={"coaching": {"unmet": ["goal_setting_meeting_not_held", "too_few_goals", "confidentiality_not_agreed"]}}))

    log = Log(policy={"min_goals": 2})
    log.pre_work(acknowledge=False)
    log.add(COACHEE, "responsibilities_acknowledged")
    log.add(SUPERVISOR, "stage_advanced", to="goal_setting")
    log.goal_meeting()
    log.add(COACH, "confidentiality_agreed", reviewed_on=log.day(), limits=["risk_of_harm"])
    log.agree("g1")
    i = log.add(COACH, "stage_advanced", to="coaching")
    log.add(SUPERVISOR, "responsibilities_acknowledged")
    log.add(COACH, "responsibilities_acknowledged")
    log.agree("g2")
    log.add(COACH, "stage_advanced", to="coaching")
    out.append(vector("S5 and S7: policy.min_goals and the acknowledgements of all three", ["S5", "S7"], log,
                      rejected=[rejected(i, "too_few_goals", "responsibilities_not_acknowledged")], stage="coaching"))

    log = Log().to_coaching()
    log.session(1)
    log.add(COACH, "session_scheduled", session=2, starts_at=log.later(24))
    i = log.add(SUPERVISOR, "stage_advanced", to="final_review")
    out.append(vector("S8, S9: sessions remaining and a session still scheduled", ["S8", "S9"], log,
                      rejected=[rejected(i, "sessions_remaining", "open_sessions")],
                      requirements={"final_review": {"unmet": ["sessions_remaining", "open_sessions"]}}))

    log = Log(policy={"sessions": 2, "midpoint_check_in": "required"}).to_coaching()
    log.sessions(2)
    i = log.add(SUPERVISOR, "stage_advanced", to="final_review")
    out.append(vector("S10: a required midpoint check-in must be held", ["S10"], log,
                      rejected=[rejected(i, "midpoint_check_in_missing")],
                      requirements={"final_review": {"unmet": ["midpoint_check_in_missing"]}}))

    log = Log().to_final_review()
    i = log.add(SUPERVISOR, "stage_advanced", to="completed")
    out.append(vector("S11, S12: the final review meeting and every goal's outcome", ["S11", "S12"], log,
                      rejected=[rejected(i, "final_review_not_held", "goals_not_assessed")], stage="final_review",
                      requirements={"completed": {"unmet": ["final_review_not_held", "goals_not_assessed"]}}))

    log = Log().to_goal_setting()
    i = log.add(SUPERVISOR, "stage_advanced", to="final_review")
    j = log.add(SUPERVISOR, "stage_advanced", to="pre_work")
    k = log.add(SUPERVISOR, "stage_advanced", to="goal_setting")
    l = log.add(SUPERVISOR, "stage_advanced", to="wrap_up")
    m = log.add(COACH, "stage_advanced", to="discontinued")
    out.append(vector("stage_advanced moves exactly one step forward", ["T1"], log,
                      rejected=[rejected(i, "invalid_transition"), rejected(j, "invalid_transition"), rejected(k, "invalid_transition"),
                                rejected(l, "invalid_transition"), rejected(m, "invalid_transition")], stage="goal_setting"))
    return out


@group("meetings.json")
def meetings():
    out = []
    log = Log()
    i = log.add(SUPERVISOR, "meeting_scheduled", meeting="m-mid", kind="midpoint_check_in", starts_at=log.later(3))
    j = log.add(SUPERVISOR, "meeting_scheduled", meeting="m-al", kind="alignment", starts_at=log.later(3))
    k = log.add(COACHEE, "meeting_scheduled", meeting="m-fin", kind="final_review", starts_at=log.later(3))
    log.pre_work()
    l = log.add(COACH, "meeting_held", meeting="m-goals", attendees=THREE)
    out.append(vector("M1: meeting kinds are scheduled and held only in their stages", ["M1"], log,
                      rejected=[rejected(i, "wrong_stage"), rejected(j, "wrong_stage"), rejected(k, "wrong_stage"), rejected(l, "wrong_stage")]))

    log = Log().to_coaching()
    i = log.add(COACH, "meeting_scheduled", meeting="m-goals-2", kind="goal_setting", starts_at=log.later(3))
    log.add(COACH, "meeting_scheduled", meeting="m-final", kind="final_review", starts_at=log.later(3))
    j = log.add(COACH, "meeting_held", meeting="m-final", attendees=THREE)
    log.add(SUPERVISOR, "meeting_scheduled", meeting="m-align", kind="alignment", starts_at=log.later(3))
    log.add(SUPERVISOR, "meeting_held", meeting="m-align", attendees=THREE + [ADMIN])
    out.append(vector("M1: in coaching, a final review is scheduled but not held; alignment meetings happen any time", ["M1"], log,
                      rejected=[rejected(i, "wrong_stage"), rejected(j, "wrong_stage")], stage="coaching"))

    log = Log().to_goal_setting()
    i = log.add(COACH, "meeting_held", meeting="m-goals", attendees=[COACHEE, COACH])
    j = log.add(COACH, "meeting_held", meeting="m-goals", attendees=THREE + ["stranger"])
    k = log.add(COACH, "meeting_held", meeting="m-nope", attendees=THREE)
    log.add(COACH, "meeting_held", meeting="m-goals", attendees=THREE)
    l = log.add(COACH, "meeting_held", meeting="m-goals", attendees=THREE)
    m = log.add(COACH, "meeting_scheduled", meeting="m-goals", kind="alignment", starts_at=log.later(2))
    n = log.add(COACH, "meeting_cancelled", meeting="m-goals")
    out.append(vector("M2: three-way attendance, participants only, scheduled first, held once, unique ids", ["M2", "U1"], log,
                      rejected=[rejected(i, "missing_attendee"), rejected(j, "not_a_participant"), rejected(k, "unknown_reference"),
                                rejected(l, "meeting_already_held"), rejected(m, "duplicate_id"), rejected(n, "meeting_already_held")],
                      requirements={"coaching": {"unmet": ["too_few_goals", "confidentiality_not_agreed"]}}))

    log = Log().to_goal_setting()
    log.add(COACHEE, "meeting_cancelled", meeting="m-goals", reason="travel")
    i = log.add(COACH, "meeting_held", meeting="m-goals", attendees=THREE)
    log.add(COACHEE, "meeting_scheduled", meeting="m-goals-b", kind="goal_setting", starts_at=log.later(2))
    log.add(COACH, "meeting_held", meeting="m-goals-b", attendees=THREE)
    out.append(vector("M2: a cancelled meeting cannot be held; a new one can", ["M2"], log,
                      rejected=[rejected(i, "unknown_reference")],
                      requirements={"coaching": {"unmet": ["too_few_goals", "confidentiality_not_agreed"]}}))

    log = Log().to_coaching()
    log.session(1)
    log.session(2)
    log.add(SUPERVISOR, "meeting_scheduled", meeting="m-mid", kind="midpoint_check_in", starts_at=log.later(2))
    i = log.add(COACH, "meeting_held", meeting="m-mid", attendees=THREE)
    log.session(3)
    log.add(COACH, "meeting_held", meeting="m-mid", attendees=THREE)
    j = log.add(SUPERVISOR, "meeting_scheduled", meeting="m-mid-2", kind="midpoint_check_in", starts_at=log.later(2))
    out.append(vector("M3: midpoint after ceil(sessions/2) sessions, at most once", ["M3"], log,
                      rejected=[rejected(i, "midpoint_too_early"), rejected(j, "midpoint_already_held")], stage="coaching"))

    log = Log(policy={"midpoint_check_in": "off", "sessions": 2}).to_coaching()
    log.sessions(1)
    i = log.add(SUPERVISOR, "meeting_scheduled", meeting="m-mid", kind="midpoint_check_in", starts_at=log.later(2))
    out.append(vector("M3: midpoint_check_in off refuses the meeting", ["M3"], log,
                      rejected=[rejected(i, "midpoint_disabled")]))
    return out


@group("goals.json")
def goals():
    out = []
    log = Log().to_goal_setting()
    i = log.agree("g0")
    log.goal_meeting()
    j = log.add(COACHEE, "goal_agreed", goal="g1", statement="Speak up", org_priority="  ", success_measures=["x"])
    k = log.add(COACHEE, "goal_agreed", goal="g1", statement="Speak up", org_priority="Culture", success_measures=[])
    l = log.add(SUPERVISOR, "goal_agreed", goal="g1", statement="Speak up", org_priority="Culture", success_measures=["x"])
    log.agree("g1")
    m = log.agree("g1")
    log.add(COACHEE, "goal_agreed", goal="g2", statement="Plan", org_priority="Ops", success_measures="one plan a quarter", activities="shadow a planner")
    out.append(vector("G1: aligned, measurable, unique, after the goal-setting meeting, by the coachee", ["G1", "U1"], log,
                      rejected=[rejected(i, "goal_setting_meeting_not_held"), rejected(j, "goal_not_aligned"),
                                rejected(k, "goal_without_measure"), rejected(l, "actor_not_permitted"), rejected(m, "duplicate_id")],
                      requirements={"coaching": {"unmet": ["confidentiality_not_agreed"]}}))

    log = Log().to_coaching()
    i = log.add(COACHEE, "goal_revised", goal="g1", org_priority="")
    j = log.add(COACHEE, "goal_revised", goal="g9", statement="x")
    k = log.add(COACHEE, "goal_revised", goal="g1")
    log.add(COACHEE, "goal_revised", goal="g1", statement="Delegate two reports")
    l = log.add(COACH, "goal_progress_noted", goal="g1", note="half way", percent=140)
    log.add(COACH, "goal_progress_noted", goal="g1", note="half way", percent=50)
    log.agree("g2")
    n = log.add(SUPERVISOR, "goal_assessed", goal="g1", outcome="achieved")
    out.append(vector("goals in coaching: revisions keep G1, progress 0-100, assessment only in final_review", ["G1", "T2"], log,
                      rejected=[rejected(i, "goal_not_aligned"), rejected(j, "unknown_reference"), rejected(k, "invalid_event"),
                                rejected(l, "invalid_event"), rejected(n, "wrong_stage")]))

    log = Log().to_final_review(6)
    log.final_meeting()
    i = log.add(SUPERVISOR, "goal_assessed", goal="g1", outcome="mostly")
    log.add(SUPERVISOR, "goal_assessed", goal="g1", outcome="partially_achieved", evidence="one of two reports")
    log.add(COACHEE, "goal_assessed", goal="g1", outcome="achieved")
    out.append(vector("goal outcomes: a fixed vocabulary; a later assessment replaces an earlier one", ["S12"], log,
                      rejected=[rejected(i, "invalid_event")], requirements={"completed": {"unmet": []}}))
    return out


@group("sessions.json")
def sessions():
    out = []
    log = Log(policy={"sessions": 2}).to_goal_setting()
    i = log.add(COACH, "session_scheduled", session=2, starts_at=log.later(24))
    log.add(COACH, "session_scheduled", session=1, starts_at=log.later(24))
    log.add(COACHEE, "session_scheduled", session=2, starts_at=log.later(48))
    j = log.add(COACH, "session_scheduled", session=3, starts_at=log.later(72))
    k = log.add(SUPERVISOR, "session_scheduled", session=3, starts_at=log.later(72))
    out.append(vector("Q1: sessions are scheduled in order, up to policy.sessions, by coachee or coach", ["Q1"], log,
                      rejected=[rejected(i, "session_out_of_order"), rejected(j, "session_limit_reached"), rejected(k, "actor_not_permitted")]))

    log = Log(policy={"late_cancellation_hours": 24}).to_coaching()
    log.add(COACHEE, "session_scheduled", session=1, starts_at=log.later(10))
    log.add(COACHEE, "session_cancelled", session=1, reason="sick")
    log.add(COACHEE, "session_scheduled", session=1, starts_at=log.later(100))
    log.add(COACH, "session_rescheduled", session=1, starts_at=log.later(120))
    log.add(COACH, "session_missed", session=1)
    i = log.add(COACH, "session_cancelled", session=1)
    log.add(COACH, "session_scheduled", session=1, starts_at=log.later(2))
    j = log.add(COACH, "session_scheduled", session=1, starts_at=log.later(2))
    out.append(vector("Q2: cancelled and missed sessions free their number; only a waiting session is cancelled", ["Q1", "Q2"], log,
                      rejected=[rejected(i, "session_not_scheduled"), rejected(j, "session_out_of_order")],
                      requirements={"final_review": {"unmet": ["sessions_remaining", "open_sessions"]}}))

    log = Log().to_coaching()
    i = log.add(COACH, "session_started", session=1, attendees=[COACHEE, COACH])
    log.add(COACH, "session_scheduled", session=1, starts_at=log.later(2))
    log.add(COACH, "session_scheduled", session=2, starts_at=log.later(4))
    j = log.add(COACH, "session_started", session=1, attendees=[COACHEE, COACH, SUPERVISOR])
    k = log.add(COACH, "session_started", session=1, attendees=[COACH])
    l = log.add(COACH, "session_started", session=2, attendees=[COACHEE, COACH])
    m = log.add(COACH, "session_started", session=1, attendees=[COACHEE, COACH, ADMIN])
    log.add(COACH, "session_started", session=1, attendees=[COACHEE, COACH])
    n = log.add(COACH, "session_started", session=1, attendees=[COACHEE, COACH])
    o = log.add(COACH, "session_ended", session=2)
    out.append(vector("Q3, Q4: start only scheduled sessions, in order, one at a time, coachee and coach only", ["Q3", "Q4"], log,
                      rejected=[rejected(i, "session_not_scheduled"), rejected(j, "supervisor_in_session"), rejected(k, "missing_attendee"),
                                rejected(l, "session_out_of_order"), rejected(m, "third_party_in_session"),
                                rejected(n, "session_in_progress"), rejected(o, "session_not_in_progress")],
                      requirements={"final_review": {"unmet": ["sessions_remaining", "open_sessions"]}}))

    log = Log(policy={"sessions": 1}).to_coaching()
    end = log.session(1)
    i = log.add(COACH, "session_ended", session=1)
    j = log.add(COACH, "session_scheduled", session=2, starts_at=log.later(2))
    log.add(SUPERVISOR, "stage_advanced", to="final_review")
    out.append(vector("Q4: an ended session counts as held and ends once", ["Q4", "S8"], log,
                      rejected=[rejected(i, "session_not_in_progress"), rejected(j, "session_limit_reached")], stage="final_review"))
    return out


@group("script.json")
def script():
    out = []
    log = Log().to_coaching()
    log.add(COACH, "session_scheduled", session=1, starts_at=log.later(2))
    i = log.add(COACHEE, "script_step", session=1, step="check_in")
    log.add(COACH, "session_started", session=1, attendees=[COACHEE, COACH])
    log.add(COACHEE, "script_step", session=1, step="session_goal", outcome="o")
    j = log.add(COACHEE, "script_step", session=1, step="check_in")
    k = log.add(COACHEE, "script_step", session=1, step="session_goal", outcome="again")
    l = log.add(COACHEE, "script_step", session=1, step="coaching", approaches=["strategies"])
    m = log.add(COACH, "script_step", session=1, step="key_outcomes", takeaways=["the coach's summary"])
    n = log.add(COACHEE, "script_step", session=1, step="reflection")
    p = log.add(COACHEE, "script_step", session=1, step="assignment_review")
    q = log.add(COACHEE, "script_step", session=1, step="session_feedback", rating=9)
    r = log.add(SUPERVISOR, "script_step", session=1, step="session_feedback", rating=3)
    out.append(vector("P1: steps in order, once, by their owners, in a started session, from the script", ["P1"], log,
                      rejected=[rejected(i, "session_not_in_progress"), rejected(j, "script_step_out_of_order"),
                                rejected(k, "script_step_repeated"), rejected(l, "actor_not_permitted"),
                                rejected(m, "actor_not_permitted"), rejected(n, "unknown_step"),
                                rejected(p, "script_step_not_applicable"), rejected(q, "invalid_event"),
                                rejected(r, "actor_not_permitted")]))

    log = Log(policy={"script_enforcement": "strict"}).to_coaching()
    log.add(COACH, "session_scheduled", session=1, starts_at=log.later(2))
    log.add(COACH, "session_started", session=1, attendees=[COACHEE, COACH])
    log.add(COACHEE, "script_step", session=1, step="session_goal", outcome="o")
    i = log.add(COACH, "session_ended", session=1)
    log.add(COACHEE, "script_step", session=1, step="action_commitment", actions=[])
    log.add(COACHEE, "script_step", session=1, step="key_outcomes", takeaways="one")
    log.add(COACHEE, "script_step", session=1, step="session_feedback", rating=1)
    j = log.add(COACH, "session_ended", session=1)
    out.append(vector("P2 strict: a session does not end with required steps missing", ["P2"], log,
                      rejected=[rejected(i, "required_steps_missing")], warnings=[rejected(j, "no_next_appointment")]))

    log = Log().to_coaching()
    log.session(1)
    i = log.session(2, skip=("key_outcomes", "session_feedback", "next_assignment"), review=[])
    out.append(vector("P2 advisory and P3: missing steps, unreviewed actions and no next appointment are warnings", ["P2", "P3"], log,
                      warnings=[rejected(i, "required_steps_missing", "no_next_appointment"), rejected(log.steps["assignment_review"], "actions_not_reviewed")],
                      stage="coaching"))

    log = Log().to_coaching()
    log.session(1)
    log.add(COACHEE, "action_completed", action="a1")
    j = log.add(COACHEE, "action_dropped", action="a1")
    k = log.add(COACHEE, "action_completed", action="zz")
    i = log.session(2, review=[], next_assignment=True)
    log.add(COACHEE, "action_dropped", action="a2", reason="no longer relevant")
    m = log.add(COACHEE, "action_completed", action="a2")
    out.append(vector("P3: only still-open actions need reviewing; closed or unknown actions cannot be closed again", ["P3", "AC1"], log,
                      rejected=[rejected(j, "unknown_reference"), rejected(k, "unknown_reference"), rejected(m, "unknown_reference")]))

    custom = [{"name": "check_in", "required": False, "owners": ["coachee", "coach"]},
              {"name": "gratitude", "required": True, "owners": ["coachee"]},
              {"name": "session_feedback", "required": True, "owners": ["coachee"]}]
    log = Log(policy={"script": custom, "sessions": 2, "script_enforcement": "strict"}).to_coaching()
    log.add(COACH, "session_scheduled", session=1, starts_at=log.later(2))
    log.add(COACH, "session_started", session=1, attendees=[COACHEE, COACH])
    i = log.add(COACHEE, "script_step", session=1, step="session_goal", outcome="o")
    log.add(COACHEE, "script_step", session=1, step="gratitude", fields={"for": "CANARY-GRATITUDE my team"})
    j = log.add(COACH, "session_ended", session=1)
    log.add(COACHEE, "script_step", session=1, step="session_feedback", rating=4)
    log.add(COACH, "session_ended", session=1)
    out.append(vector("P4: a programme's own script replaces the default one", ["P4"], log,
                      rejected=[rejected(i, "unknown_step"), rejected(j, "required_steps_missing")]))

    log = Log(policy={"script": [{"name": "a", "required": True, "owners": ["supervisor"]}]})
    log2 = Log(policy={"script": []})
    log.events += log2.events
    out.append(vector("P4: script owners are coachee or coach; a script has steps", ["P4", "8"], log,
                      rejected=[rejected(0, "invalid_event"), rejected(1, "invalid_event")]))
    return out


@group("confidentiality.json")
def confidentiality():
    out = []
    log = Log().to_goal_setting().goal_meeting()
    meeting_day = (log.clock - dt.timedelta(hours=1)).date().isoformat()
    i = log.add(COACH, "confidentiality_agreed", reviewed_on=meeting_day, limits=[])
    j = log.add(COACH, "confidentiality_agreed", reviewed_on="2026-01-01", limits=["risk_of_harm"])
    k = log.add(COACHEE, "confidentiality_agreed", reviewed_on=meeting_day, limits=["risk_of_harm"])
    log.add(COACH, "confidentiality_agreed", reviewed_on=meeting_day, limits=["risk_of_harm", "union matters"])
    out.append(vector("F1, F2: the coach states limits; reviewed on the date of a held three-way meeting", ["F1", "F2"], log,
                      rejected=[rejected(i, "confidentiality_limits_unstated"), rejected(j, "agreement_not_reviewed_in_meeting"),
                                rejected(k, "actor_not_permitted")],
                      requirements={"coaching": {"unmet": ["too_few_goals"]}}))

    log = Log().to_goal_setting().goal_meeting()
    meeting_day = (log.clock - dt.timedelta(hours=1)).date()
    wrong = [log.add(COACH, "confidentiality_agreed", reviewed_on=spelling, limits=["risk_of_harm"])
             for spelling in (f"{meeting_day.year}-{meeting_day.month}-{meeting_day.day}", "+" + meeting_day.isoformat(),
                              meeting_day.isoformat() + " ", meeting_day.isoformat() + "T00:00:00Z")]
    log.add(COACH, "confidentiality_agreed", reviewed_on=meeting_day.isoformat(), limits=["risk_of_harm"])
    out.append(vector("L2: a date is written exactly YYYY-MM-DD", ["L2", "F2"], log,
                      rejected=[rejected(index, "invalid_event") for index in wrong]))

    log = Log().to_goal_setting()
    i = log.add(COACH, "disclosure_recorded", to="HR", limit="risk_of_harm", summary="x")
    log.goal_meeting()
    log.add(COACH, "confidentiality_agreed", reviewed_on=(log.clock - dt.timedelta(hours=1)).date().isoformat(), limits=["risk_of_harm"])
    j = log.add(COACH, "disclosure_recorded", to="HR", limit="required_by_law", summary="x")
    log.add(COACH, "disclosure_recorded", to="HR", limit="risk_of_harm", summary="CANARY-DISCLOSURE")
    k = log.add(SUPERVISOR, "disclosure_recorded", to="HR", limit="risk_of_harm", summary="x")
    out.append(vector("F5: disclosures only by the coach, under a limit of the agreement", ["F5"], log,
                      rejected=[rejected(i, "disclosure_outside_limits"), rejected(j, "disclosure_outside_limits"),
                                rejected(k, "actor_not_permitted")]))

    log = Log().to_coaching()
    log.session(1)
    log.add(COACHEE, "assessment_recorded", assessment="a-360", instrument="MBTI", summary="CANARY-ASSESS")
    i = log.add(COACH, "assessment_recorded", assessment="a-360", instrument="x", summary="y")
    log.add(COACHEE, "consent_granted", record="assessment:a-360", to="supervisor")
    log.add(COACHEE, "consent_granted", record="session:1", to="program_admin")
    j = log.add(COACHEE, "consent_granted", record="session:2", to="supervisor")
    k = log.add(COACHEE, "consent_granted", record="diary:1", to="supervisor")
    l = log.add(COACHEE, "consent_granted", record="action:a1", to="coach")
    m = log.add(COACH, "consent_granted", record="action:a1", to="supervisor")
    n = log.add(COACHEE, "consent_revoked", record="action:a1", to="supervisor")
    log.add(COACHEE, "consent_revoked", record="assessment:a-360", to="supervisor")
    out.append(vector("F4: consent names an existing record and supervisor or program_admin; revoke what was granted", ["F4", "U1"], log,
                      rejected=[rejected(i, "duplicate_id"), rejected(j, "unknown_reference"), rejected(k, "invalid_event"),
                                rejected(l, "invalid_event"), rejected(m, "actor_not_permitted"), rejected(n, "unknown_reference")]))

    log = Log()
    log.add(COACH if False else ADMIN, "rater_feedback_recorded", survey="s1", rater="r-1", group="peer", scores={"listening": 4})
    i = log.add(ADMIN, "rater_feedback_recorded", survey="s1", rater="r-1", group="peer", scores={"listening": 2})
    j = log.add(ADMIN, "rater_feedback_recorded", survey="s1", rater="r-2", group="boss", scores={"listening": 2})
    log.add(ADMIN, "rater_feedback_recorded", survey="s1", rater="r-2", group="self", scores={"listening": 3}, comment="c")
    out.append(vector("R0: rater groups are a fixed list; a rater answers a survey once", ["R0"], log,
                      rejected=[rejected(i, "duplicate_id"), rejected(j, "invalid_event")]))
    return out


@group("participants.json")
def participants():
    out = []
    log = Log()
    log.add(SUPERVISOR, "coach_assigned", coach=COACH)
    i = log.add(ADMIN, "coach_assigned", coach="kai")
    log.add(COACHEE, "responsibilities_acknowledged")
    j = log.add(COACHEE, "responsibilities_acknowledged")
    k = log.add(ADMIN, "responsibilities_acknowledged")
    out.append(vector("one coach by coach_assigned; each person acknowledges once; admins have nothing to acknowledge", ["O2", "A1"], log,
                      rejected=[rejected(i, "coach_already_assigned"), rejected(j, "already_acknowledged"), rejected(k, "actor_not_permitted")]))

    log = Log().to_coaching()
    i = log.add(COACH, "coach_replaced", coach="kai", reason="x")
    j = log.add(ADMIN, "coach_replaced", coach=SUPERVISOR, reason="x")
    log.add(ADMIN, "coach_replaced", coach="kai", reason="coach moved abroad")
    k = log.add(COACH, "engagement_level_rated", level="high")
    log.add("kai", "engagement_level_rated", level="high")
    l = log.add("kai", "session_started", session=1, attendees=[COACHEE, COACH])
    out.append(vector("coach_replaced: only admins; the former coach stops being a participant", ["L5", "O1"], log,
                      rejected=[rejected(i, "actor_not_permitted"), rejected(j, "duplicate_participant"),
                                rejected(k, "not_a_participant"), rejected(l, "not_a_participant", "session_not_scheduled")]))
    return out


@group("discontinuation.json")
def discontinuation():
    out = []
    log = Log().to_goal_setting()
    i = log.add(COACHEE, "engagement_discontinued", initiated_by="coachee", reason="r", mutual_discussion=False)
    j = log.add(COACHEE, "engagement_discontinued", initiated_by="coach", reason="r", mutual_discussion=True)
    k = log.add(SUPERVISOR, "engagement_discontinued", initiated_by="supervisor", reason="r", mutual_discussion=True)
    l = log.add(COACHEE, "sponsor_informed", explanation="x")
    m = log.add(COACH, "engagement_discontinued", initiated_by="coach", reason="r")
    log.add(COACH, "engagement_discontinued", initiated_by="coach", reason="CANARY-REASON", mutual_discussion=True)
    n = log.add(COACHEE, "orientation_completed")
    o = log.add(SUPERVISOR, "stage_advanced", to="coaching")
    p = log.add(COACH, "engagement_discontinued", initiated_by="coach", reason="again", mutual_discussion=True)
    q = log.add(SUPERVISOR, "sponsor_informed", explanation="x")
    out.append(vector("discontinuation: own role, after a mutual discussion; then the engagement is closed", ["D1", "T3"], log,
                      rejected=[rejected(i, "discontinuation_without_discussion"), rejected(j, "actor_not_permitted"),
                                rejected(k, "actor_not_permitted"), rejected(l, "wrong_stage"),
                                rejected(m, "discontinuation_without_discussion"), rejected(n, "engagement_closed"),
                                rejected(o, "engagement_closed"), rejected(p, "engagement_closed"), rejected(q, "actor_not_permitted")],
                      stage="discontinued", requirements={"coaching": {"unmet": ["goal_setting_meeting_not_held", "too_few_goals", "confidentiality_not_agreed"]}}))

    log = Log().to_coaching()
    log.session(1)
    log.add(COACHEE, "consent_granted", record="session:1", to="supervisor")
    log.add(ADMIN, "engagement_discontinued", initiated_by="program_admin", reason="employment ended", mutual_discussion=False)
    i = log.add(COACHEE, "consent_granted", record="action:a1", to="supervisor")
    log.add(COACHEE, "consent_revoked", record="session:1", to="supervisor")
    log.add(COACHEE, "sponsor_informed", explanation="I left the organisation.")
    out.append(vector("a program admin discontinues without a discussion; consent can still be revoked", ["D1", "F4", "T3"], log,
                      rejected=[rejected(i, "engagement_closed")], stage="discontinued"))

    log = Log().to_final_review(6)
    log.final_meeting()
    log.add(SUPERVISOR, "goal_assessed", goal="g1", outcome="achieved")
    log.add(COACH, "stage_advanced", to="completed")
    i = log.add(COACHEE, "sponsor_informed", explanation="x")
    j = log.add(COACHEE, "summary_shared", summary="x")
    k = log.add(COACH, "engagement_discontinued", initiated_by="coach", reason="r", mutual_discussion=True)
    out.append(vector("a completed engagement is closed; sponsor_informed belongs to discontinued", ["T3", "D2"], log,
                      rejected=[rejected(i, "wrong_stage"), rejected(j, "engagement_closed"), rejected(k, "engagement_closed")],
                      stage="completed"))
    return out


@group("policy.json")
def policy():
    out = []
    log = Log(policy={"sessions": 0})
    log2 = Log(policy={"sessions": 53, "min_goals": 21, "late_cancellation_hours": 721, "min_raters": 1})
    log3 = Log(policy={"session_count": 6})
    log4 = Log(policy={"midpoint_check_in": "sometimes"})
    log5 = Log(policy={"sessions": 52, "min_goals": 20, "late_cancellation_hours": 720, "min_raters": 50})
    log.events += log2.events + log3.events + log4.events + log5.events
    out.append(vector("policy keys are known and within range", ["8"], log,
                      rejected=[rejected(0, "invalid_event"), rejected(1, "invalid_event"), rejected(2, "invalid_event"), rejected(3, "invalid_event")],
                      stage="pre_work"))
    return out


@group("whole_engagements.json")
def whole():
    out = []
    log = Log().to_final_review(6)
    log.final_meeting()
    log.add(SUPERVISOR, "goal_assessed", goal="g1", outcome="achieved", evidence="reports delegated")
    log.add(COACHEE, "final_review_recorded", successes=["delegates"], development_opportunities=["feedback"], resources=["mentor"])
    log.add(SUPERVISOR, "stage_advanced", to="completed")
    out.append(vector("the default programme from pre-work to completion", ["S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9", "S11", "S12"], log,
                      stage="completed", requirements={"completed": {"unmet": []}}))

    log = Log(policy={"sessions": 3, "script_enforcement": "strict", "midpoint_check_in": "required"}).to_coaching()
    log.session(1)
    log.add(COACH, "meeting_scheduled", meeting="m-mid", kind="midpoint_check_in", starts_at=log.later(2))
    log.session(2)
    log.wait(2)
    log.add(COACH, "meeting_held", meeting="m-mid", attendees=THREE)
    log.session(3, next_assignment=False)
    log.add(COACH, "meeting_scheduled", meeting="m-final", kind="final_review", starts_at=log.later(3))
    log.add(SUPERVISOR, "stage_advanced", to="final_review")
    log.wait(3)
    log.add(COACH, "meeting_held", meeting="m-final", attendees=THREE)
    log.add(COACHEE, "goal_assessed", goal="g1", outcome="partially_achieved")
    log.add(SUPERVISOR, "stage_advanced", to="completed")
    out.append(vector("a 3-session strict programme with a required midpoint check-in", ["M3", "P2", "S10"], log, stage="completed"))

    log = Log().to_coaching()
    log.session(1)
    log.session(2)
    log.add(COACH, "engagement_discontinued", initiated_by="coach", reason="CANARY-REASON the coaching no longer helps", mutual_discussion=True)
    log.add(COACHEE, "sponsor_informed", explanation="We agreed to stop after two sessions.")
    out.append(vector("a coach-initiated discontinuation followed by the sponsor explanation", ["D1", "D2"], log, stage="discontinued"))
    return out


SECRETS_OF_THE_PAIR = ["CANARY-MOOD", "CANARY-OUTCOME", "CANARY-ACTION-1", "CANARY-FEEDBACK-COMMENT",
                      "CANARY-CANCEL-REASON", "CANARY-LEVEL-NOTE", "CANARY-PROGRESS", "CANARY-ASSESS",
                      "CANARY-DISCLOSURE"]
NOBODY = ["CANARY-META", "CANARY-RATER"]


def everything_log():
    """An engagement in coaching with a marker in every kind of free text."""
    log = Log().to_coaching()
    log.add(COACHEE, "session_scheduled", session=1, starts_at=log.later(6))
    log.add(COACHEE, "session_cancelled", session=1, reason="CANARY-CANCEL-REASON")
    log.session(1)
    log.add(COACH, "engagement_level_rated", level="high", note="CANARY-LEVEL-NOTE")
    log.add(COACH, "goal_progress_noted", goal="g1", note="CANARY-PROGRESS", percent=50)
    log.add(SUPERVISOR, "progress_feedback_given", note="CANARY-SPONSOR-FEEDBACK")
    log.add(COACHEE, "summary_shared", summary="CANARY-SUMMARY")
    log.add(COACHEE, "assessment_recorded", assessment="disc", instrument="DISC", summary="CANARY-ASSESS",
            meta={"import": "CANARY-META"})
    log.add(ADMIN, "rater_feedback_recorded", survey="s1", rater="CANARY-RATER-1", group="self", scores={"listening": 4})
    log.add(COACH, "survey_closed", survey="s1")
    log.add(COACH, "disclosure_recorded", to="CANARY-RECIPIENT", limit="risk_of_harm", summary="CANARY-DISCLOSURE")
    return log


@group("views.json")
def views():
    out = []
    log = everything_log()
    out.append(vector("the matrix without consent: each role sees its rows, nobody sees rater ids or meta",
                      ["F3", "F4", "F5", "R1", "6"], log, stage="coaching", views={
        "coachee": {"contains": SECRETS_OF_THE_PAIR + ["CANARY-PRELIM", "CANARY-GOAL-g1", "CANARY-SPONSOR-FEEDBACK",
                                                       "CANARY-SUMMARY", "CANARY-RECIPIENT", "risk_of_harm", "\"late\":true"],
                    "excludes": NOBODY},
        "coach": {"contains": SECRETS_OF_THE_PAIR + ["CANARY-PRELIM", "CANARY-SUMMARY"], "excludes": NOBODY},
        "supervisor": {"contains": ["CANARY-PRELIM", "CANARY-GOAL-g1", "CANARY-SPONSOR-FEEDBACK", "CANARY-SUMMARY",
                                    "\"level\":\"high\"", "\"status\":\"held\"", "risk_of_harm", "m-goals"],
                       "excludes": SECRETS_OF_THE_PAIR + NOBODY + ["CANARY-RECIPIENT", "\"cancelled\"", "late", "\"rating\""]},
        "program_admin": {"contains": ["\"cancelled\"", "\"late_cancellation\":true", "\"rating\":5", "CANARY-RECIPIENT",
                                       "\"goal_count\":1", "\"level\":\"high\"", "risk_of_harm", "\"status\":\"held\""],
                          "excludes": SECRETS_OF_THE_PAIR + NOBODY + ["CANARY-PRELIM", "CANARY-GOAL", "CANARY-SPONSOR-FEEDBACK",
                                                                      "CANARY-SUMMARY"]},
    }))

    out.append(vector("redacted logs: each participant's copy holds only their view; survey administrators keep rater ids",
                      ["6", "F3"], log, stage="coaching", redacted_logs={
        "coachee": {"contains": SECRETS_OF_THE_PAIR + ["CANARY-PRELIM", "CANARY-GOAL-g1", "CANARY-SPONSOR-FEEDBACK",
                                                       "CANARY-SUMMARY", "CANARY-RECIPIENT"],
                    "excludes": NOBODY},
        "coach": {"contains": SECRETS_OF_THE_PAIR + ["CANARY-RATER-1"], "excludes": ["CANARY-META"]},
        "supervisor": {"contains": ["CANARY-PRELIM", "CANARY-GOAL-g1", "CANARY-SPONSOR-FEEDBACK", "CANARY-SUMMARY",
                                    "[redacted]"],
                       "excludes": SECRETS_OF_THE_PAIR + NOBODY + ["CANARY-RECIPIENT"]},
        "program_admin": {"contains": ["CANARY-RATER-1", "CANARY-RECIPIENT", "[redacted]"],
                          "excludes": SECRETS_OF_THE_PAIR + ["CANARY-META", "CANARY-PRELIM", "CANARY-GOAL",
                                                             "CANARY-SPONSOR-FEEDBACK", "CANARY-SUMMARY"]},
    }))

    log = Log().to_final_review(6)
    log.final_meeting()
    log.add(SUPERVISOR, "goal_assessed", goal="g1", outcome="achieved", evidence="CANARY-EVIDENCE")
    log.add(COACHEE, "final_review_recorded", successes="CANARY-SUCCESS", development_opportunities="d", resources="r")
    out.append(vector("goal outcomes and the final review: the admin sees outcomes only", ["6"], log, views={
        "supervisor": {"contains": ["CANARY-EVIDENCE", "CANARY-SUCCESS", "\"outcome\":\"achieved\""]},
        "program_admin": {"contains": ["\"goal_outcomes\":[\"achieved\"]"], "excludes": ["CANARY-EVIDENCE", "CANARY-SUCCESS", "CANARY-GOAL"]},
        "coach": {"contains": ["CANARY-EVIDENCE", "CANARY-SUCCESS"]},
    }))

    log = Log().to_coaching()
    log.add(COACH, "engagement_discontinued", initiated_by="coach", reason="CANARY-REASON", mutual_discussion=True)
    log.add(COACHEE, "sponsor_informed", explanation="CANARY-EXPLANATION")
    out.append(vector("discontinuation: everyone sees the fact; the reason stays with the pair; the sponsor reads the explanation",
                      ["6", "D1", "D2"], log, views={
        "supervisor": {"contains": ["\"initiated_by\":\"coach\"", "CANARY-EXPLANATION"], "excludes": ["CANARY-REASON"]},
        "program_admin": {"contains": ["\"initiated_by\":\"coach\""], "excludes": ["CANARY-REASON", "CANARY-EXPLANATION"]},
        "coachee": {"contains": ["CANARY-REASON", "CANARY-EXPLANATION"]},
    }))

    shares = [("session:1", "supervisor", "CANARY-MOOD"), ("action:a1", "program_admin", "CANARY-ACTION-1"),
              ("assessment:disc", "supervisor", "CANARY-ASSESS"), ("goal_progress:g1", "supervisor", "CANARY-PROGRESS"),
              ("survey:s1", "program_admin", "\"survey\":\"s1\"")]
    for record, role, marker in shares:
        other = "program_admin" if role == "supervisor" else "supervisor"
        log = everything_log()
        log.add(COACHEE, "consent_granted", record=record, to=role)
        out.append(vector(f"F4: consent opens {record} to the {role} only", ["F4"], log, views={
            role: {"contains": [marker], "excludes": NOBODY}, other: {"excludes": [marker]}}))
        log.add(COACHEE, "consent_revoked", record=record, to=role)
        out.append(vector(f"F4: revoking closes {record} again", ["F4"], log, views={role: {"excludes": [marker]}}))

    log = everything_log()
    i = log.add(COACHEE, "consent_granted", record="goal_progress:g1", to="program_admin")
    out.append(vector("goal progress is never opened to programme admins", ["F4", "6"], log,
                      rejected=[rejected(i, "invalid_event")], views={"program_admin": {"excludes": ["CANARY-PROGRESS"]}}))

    log = Log().to_coaching()
    def rate(rater, group, score, comment=None):
        payload = {"survey": "s360", "rater": rater, "group": group, "scores": {"listening": score}}
        if comment:
            payload["comment"] = comment
        log.add(COACH, "rater_feedback_recorded", **payload)
    rate("CANARY-RATER-z", "peer", 2, "zeta: listens well")
    rate("CANARY-RATER-a", "self", 4, "mu: self view")
    rate("CANARY-RATER-m", "manager", 3)
    rate("CANARY-RATER-p2", "peer", 4, "alpha: interrupts")
    rate("CANARY-RATER-p3", "peer", 4)
    rate("CANARY-RATER-d1", "direct_report", 5, "omega: supportive")
    rate("CANARY-RATER-d2", "direct_report", 5)
    rate("CANARY-RATER-c1", "customer", 2)
    log.add(COACH, "survey_closed", survey="s360")
    out.append(vector("360: self and manager always, groups at min_raters, small groups pooled into others, comments sorted",
                      ["R0", "R1", "R2"], log, views={"coachee": {
        "contains": ["\"group\":\"self\"", "\"group\":\"manager\"", "\"group\":\"peer\",\"responses\":3,\"scores\":{\"listening\":3.3333333333333335}",
                     "\"group\":\"others\",\"responses\":3", "\"comments\":[\"alpha: interrupts\",\"mu: self view\",\"omega: supportive\",\"zeta: listens well\"]",
                     "\"left_out\":0"],
        "excludes": ["CANARY-RATER", "\"group\":\"direct_report\"", "\"group\":\"customer\""]}}))

    log = Log().to_coaching()
    rate("CANARY-RATER-1", "peer", 2, "CANARY-SMALL-GROUP")
    rate("CANARY-RATER-2", "peer", 4)
    rate("CANARY-RATER-3", "manager", 3, "manager says hi")
    log.add(COACH, "survey_closed", survey="s360")
    out.append(vector("360: a group below min_raters that cannot be pooled is left out and counted", ["R2"], log, views={"coach": {
        "contains": ["\"left_out\":2", "\"group\":\"manager\"", "manager says hi"],
        "excludes": ["CANARY-SMALL-GROUP", "CANARY-RATER", "\"group\":\"peer\""]}}))

    log = Log(policy={"min_raters": 2}).to_coaching()
    rate("CANARY-RATER-1", "peer", 2, "CANARY-PAIR-OF-PEERS")
    rate("CANARY-RATER-2", "peer", 4)
    log.add(COACH, "survey_closed", survey="s360")
    out.append(vector("360: policy.min_raters sets the threshold", ["R2", "PL1"], log, views={"coach": {
        "contains": ["CANARY-PAIR-OF-PEERS", "\"group\":\"peer\",\"responses\":2"], "excludes": ["CANARY-RATER"]}}))
    return out


def exactly(index, code, excludes=()):
    """A rejection with exactly this one code, whose messages show none of `excludes`."""
    return {"index": index, "codes": [code], "exact": True, "excludes": list(excludes)}


@group("channels.json")
def channels():
    """Issue 13: no answer tells its reader more than the reader's own view shows."""
    out = []
    log = everything_log()
    log.add(ADMIN, "rater_feedback_recorded", survey="s2", rater="bob", group="peer", scores={"listening": 3})
    i = log.add(SUPERVISOR, "rater_feedback_recorded", survey="s2", rater="bob", group="peer", scores={"listening": 1})
    j = log.add(SUPERVISOR, "assessment_recorded", assessment="disc", instrument="x", summary="y")
    k = log.add("stranger", "assessment_recorded", assessment="disc", instrument="x", summary="y")
    l = log.add("stranger", "consent_granted", record="session:1", to="supervisor", seq=1)
    m = log.add(SUPERVISOR, "action_completed", action="a1")
    n = log.add(ADMIN, "script_step", session=1, step="key_outcomes", takeaways=["x"])
    log.add(ADMIN, "coach_replaced", coach="kai", reason="moved")
    o = log.add(COACH, "action_dropped", action="a1")
    out.append(vector("someone who may not record an event learns nothing from the answer", ["L5"], log,
                      rejected=[exactly(i, "actor_not_permitted"), exactly(j, "actor_not_permitted"),
                                exactly(k, "not_a_participant"), exactly(l, "not_a_participant"),
                                exactly(m, "actor_not_permitted"), exactly(n, "actor_not_permitted"),
                                exactly(o, "not_a_participant")]))

    log = everything_log()
    log.add(COACHEE, "consent_granted", record="assessment:disc", to="program_admin")
    hidden_and_missing = [
        {"viewer": "supervisor", "record": "session:1", "visible": False, "reason": "not_visible"},
        {"viewer": "supervisor", "record": "session:9", "visible": False, "reason": "not_visible"},
        {"viewer": "supervisor", "record": "action:a1", "visible": False, "reason": "not_visible"},
        {"viewer": "supervisor", "record": "action:zz", "visible": False, "reason": "not_visible"},
        {"viewer": "program_admin", "record": "assessment:disc", "visible": True, "reason": "consent_granted"},
        {"viewer": "supervisor", "record": "assessment:disc", "visible": False, "reason": "not_visible"},
        {"viewer": "supervisor", "record": "assessment:nope", "visible": False, "reason": "not_visible"},
        {"viewer": "supervisor", "record": "survey:s1/self", "visible": False, "reason": "not_visible"},
        {"viewer": "supervisor", "record": "survey:s7/peer", "visible": False, "reason": "not_visible"},
        {"viewer": "coachee", "record": "session:9", "error": "unknown_reference"},
        {"viewer": "coach", "record": "survey:s1/direct_report", "visible": False, "reason": "below_anonymity_threshold",
         "excludes": ["0 direct", "1 direct", "response(s)"]},
    ]
    out.append(vector("explain answers the same for a hidden record and a missing one", ["F3", "F4", "R2"], log,
                      explain=hidden_and_missing))

    log = Log().to_coaching()
    log.session(1)
    i = log.add(COACHEE, "consent_granted", record="session:01", to="supervisor")
    j = log.add(COACHEE, "consent_granted", record="session:+1", to="supervisor")
    k = log.add(COACHEE, "consent_granted", record="Session:1", to="supervisor")
    l = log.add(COACHEE, "consent_granted", record="session: 1", to="supervisor")
    log.add(COACHEE, "consent_granted", record="session:1", to="supervisor")
    m = log.add(COACHEE, "consent_revoked", record="session:01", to="supervisor")
    log.add(COACHEE, "consent_revoked", record="session:1", to="supervisor")
    out.append(vector("consent names a record one way only: non-canonical references are refused", ["F4"], log,
                      rejected=[exactly(i, "invalid_event", ["session:01"]), exactly(j, "invalid_event"),
                                exactly(k, "invalid_event"), exactly(l, "invalid_event"), exactly(m, "invalid_event")],
                      views={"supervisor": {"excludes": ["CANARY-MOOD", "CANARY-OUTCOME"]}},
                      explain=[{"viewer": "supervisor", "record": "session:1", "visible": False, "reason": "not_visible"}]))

    log = Log().to_coaching()
    log.add(COACH, "session_scheduled", session=1, starts_at=log.later(1))
    log.wait(1)
    log.add(COACH, "session_started", session=1, attendees=[COACHEE, COACH])
    log.add(COACHEE, "script_step", session=1, step="check_in", mood="CANARY-MOOD")
    i = log.add(COACHEE, "consent_granted", record="session:1", to="supervisor")
    log.add(COACHEE, "script_step", session=1, step="session_goal", outcome="CANARY-OUTCOME")
    log.add(COACHEE, "script_step", session=1, step="action_commitment", actions=[{"id": "a1", "description": "CANARY-ACTION-1"}])
    log.add(COACHEE, "script_step", session=1, step="key_outcomes", takeaways=["CANARY-TAKEAWAY"])
    log.add(COACHEE, "script_step", session=1, step="session_feedback", rating=2, comment="CANARY-FEEDBACK-COMMENT")
    log.add(COACH, "session_ended", session=1)
    log.add(COACHEE, "consent_granted", record="session:1", to="supervisor")
    out.append(vector("consent to a session: once it has ended; its script and actions, never its feedback", ["F4"], log,
                      rejected=[exactly(i, "session_not_held")],
                      views={"supervisor": {"contains": ["CANARY-MOOD", "CANARY-OUTCOME", "CANARY-ACTION-1", "CANARY-TAKEAWAY"],
                                            "excludes": ["CANARY-FEEDBACK-COMMENT", "\"rating\""]}}))

    log = Log().to_coaching()
    for rater, scores in [("p1", {"listening": 4, "CANARY-ITEM-RARE": 1}), ("p2", {"listening": 2}), ("p3", {"listening": 4})]:
        log.add(COACH, "rater_feedback_recorded", survey="s1", rater=rater, group="peer", scores=scores)
    log.add(COACH, "rater_feedback_recorded", survey="s1", rater="me", group="self", scores={"listening": 5, "CANARY-SELF-ITEM": 4})
    log.add(COACH, "survey_closed", survey="s1")
    out.append(vector("360 per item: an item's mean appears only when min_raters of its group answered it", ["R2"], log,
                      views={"coachee": {"contains": ["\"group\":\"peer\",\"responses\":3,\"scores\":{\"listening\":3.3333333333333335}",
                                                      "CANARY-SELF-ITEM"],
                                         "excludes": ["CANARY-ITEM-RARE"]}}))

    log = Log().to_coaching()
    for rater in ["p1", "p2", "p3"]:
        log.add(COACH, "rater_feedback_recorded", survey="s1", rater=rater, group="peer", scores={"listening": 3},
                comment=f"CANARY-COMMENT-{rater}")
    log.add(COACHEE, "consent_granted", record="survey:s1", to="supervisor")
    open_views = {"coachee": {"contains": ["\"open\":true", "\"responses\":3"], "excludes": ["CANARY-COMMENT", "listening"]},
                  "supervisor": {"excludes": ["CANARY-COMMENT", "listening", "s1"]}}
    out.append(vector("360 over time: an open survey shows only that it is open and how many responded", ["R3"], log,
                      views=open_views,
                      explain=[{"viewer": "coach", "record": "survey:s1/peer", "visible": False, "reason": "survey_open"}]))
    i = log.add(COACHEE, "survey_closed", survey="s1")
    log.add(ADMIN, "survey_closed", survey="s1")
    j = log.add(COACH, "rater_feedback_recorded", survey="s1", rater="p4", group="peer", scores={"listening": 1})
    k = log.add(COACH, "survey_closed", survey="s1")
    l = log.add(COACH, "survey_closed", survey="s9")
    out.append(vector("360 over time: closing freezes the results; later responses are refused", ["R3"], log,
                      rejected=[exactly(i, "actor_not_permitted"), exactly(j, "survey_already_closed"),
                                exactly(k, "survey_already_closed"), exactly(l, "unknown_reference")],
                      views={"coachee": {"contains": ["\"open\":false", "CANARY-COMMENT-p1", "\"responses\":3"]},
                             "supervisor": {"contains": ["CANARY-COMMENT-p1"]}},
                      explain=[{"viewer": "supervisor", "record": "survey:s1/peer", "visible": True, "reason": "consent_granted"}]))

    log = Log().to_final_review(6)
    log.final_meeting()
    i = log.add(ADMIN, "stage_advanced", to="completed")
    j = log.add(SUPERVISOR, "stage_advanced", to="completed")
    out.append(vector("a guard message names only what its reader sees", ["S12"], log,
                      rejected=[{"index": i, "codes": ["goals_not_assessed"], "exact": True, "excludes": ["g1", "CANARY"]},
                                rejected(j, "goals_not_assessed")]))

    log = Log().to_coaching()
    refused = [
        (log.raw({"engagement": ENG, "at": log.stamp(), "actor": COACHEE, "type": "goal_progress_noted", "goal": "g1",
                  "note": "n", "percent": "CANARY-NOT-A-NUMBER"}), "invalid_event"),
        (log.raw({"engagement": ENG, "at": log.stamp(), "actor": COACH, "type": "engagement_level_rated",
                  "level": "CANARY-LEVEL"}), "invalid_event"),
        (log.raw({"engagement": ENG, "at": log.stamp(), "actor": COACH, "type": "CANARY-TYPE"}), "unknown_event_type"),
        (log.raw({"engagement": ENG, "at": "CANARY-TIME", "actor": COACH, "type": "orientation_completed"}), "invalid_event"),
        (log.raw({"engagement": ENG, "at": log.stamp(), "actor": COACH, "type": "session_scheduled", "session": -1,
                  "starts_at": "CANARY-WHEN"}), "invalid_event"),
    ]
    out.append(vector("a refused line's message names the field and what was expected, never the value", ["L2", "L6"], log,
                      rejected=[{"index": index, "codes": [code], "excludes": ["CANARY"]} for index, code in refused]))

    log = Log().to_coaching()
    log.session(1)
    log.wait(24 * 400)
    owed = [{"viewer": "coachee", "as_of": "2028-01-01", "kinds": ["complete_overdue_action", "schedule_next_session"]},
            {"viewer": "coach", "as_of": "2028-01-01", "kinds": ["complete_overdue_action", "schedule_next_session"]},
            {"viewer": "supervisor", "as_of": "2028-01-01", "kinds": ["schedule_next_session"], "excludes": ["a1", "CANARY"]},
            {"viewer": "program_admin", "as_of": "2028-01-01", "kinds": ["schedule_next_session"], "excludes": ["a1"]}]
    out.append(vector("obligations: each participant sees their own and those whose subject their view shows", ["F3"], log,
                      obligations=owed))
    log.add(COACHEE, "consent_granted", record="action:a1", to="supervisor")
    out.append(vector("obligations: an action opened to the supervisor shows in the supervisor's list", ["F4"], log,
                      obligations=[{"viewer": "supervisor", "as_of": "2028-01-01",
                                    "kinds": ["complete_overdue_action", "schedule_next_session"]}]))

    log = Log()
    log.events = []
    i = log.add(" cleo", "engagement_opened", coachee=" cleo", supervisor=SUPERVISOR)
    j = log.add(SUPERVISOR, "engagement_opened", coachee="cle\u200bo", supervisor=SUPERVISOR)
    k = log.add(SUPERVISOR, "engagement_opened", coachee="cleo\u202e", supervisor=SUPERVISOR)
    l = log.add(COACHEE, "engagement_opened", coachee=COACHEE, supervisor="Cleo")
    m = log.add(COACHEE, "engagement_opened", coachee=COACHEE, supervisor="\uff43\uff4c\uff45\uff4f")
    log.add(ADMIN, "engagement_opened", coachee=COACHEE, supervisor=SUPERVISOR, program_admins=[ADMIN])
    n = log.add(SUPERVISOR, "coach_assigned", coach="Sam")
    o = log.add(SUPERVISOR, "coach_assigned", coach="kim ")
    out.append(vector("participant ids: no invisible or look-alike ids; equal after NFKC and case folding is one person",
                      ["O1"], log, stage="pre_work",
                      rejected=[rejected(i, "invalid_event"), rejected(j, "invalid_event"), rejected(k, "invalid_event"),
                                rejected(l, "duplicate_participant"), rejected(m, "duplicate_participant"),
                                rejected(n, "duplicate_participant"), rejected(o, "invalid_event")]))
    return out


ALL_PHASES = {"opening": True, "checking_in": True, "meaning_making": False, "action_planning": True, "closing": True}


@group("partnership.json")
def partnership():
    """Issue 14: the coach's partnership self-review of a session that has ended."""
    out = []
    log = Log().to_coaching()
    i = log.add(COACH, "partnership_reviewed", session=1, phases=ALL_PHASES)
    log.add(COACH, "session_scheduled", session=1, starts_at=log.later(1))
    log.wait(1)
    log.add(COACH, "session_started", session=1, attendees=[COACHEE, COACH])
    j = log.add(COACH, "partnership_reviewed", session=1, phases=ALL_PHASES)
    log.add(COACHEE, "script_step", session=1, step="session_goal", outcome="o")
    log.add(COACHEE, "script_step", session=1, step="action_commitment", actions=[{"id": "a1", "description": "d"}])
    log.add(COACHEE, "script_step", session=1, step="key_outcomes", takeaways=["t"])
    log.add(COACHEE, "script_step", session=1, step="session_feedback", rating=4)
    log.add(COACH, "session_ended", session=1)
    log.add(COACH, "partnership_reviewed", session=1, phases=ALL_PHASES, signals=["led_instead_of_followed"],
            note="CANARY-PARTNER-NOTE I jumped in twice")
    k = log.add(COACH, "partnership_reviewed", session=1, phases=ALL_PHASES)
    l = log.add(COACHEE, "partnership_reviewed", session=1, phases=ALL_PHASES)
    m = log.add(SUPERVISOR, "partnership_reviewed", session=1, phases=ALL_PHASES)
    missing = dict(ALL_PHASES)
    del missing["closing"]
    n = log.add(COACH, "partnership_reviewed", session=1, phases=missing)
    o = log.add(COACH, "partnership_reviewed", session=1, phases={**ALL_PHASES, "wrapping_up": True})
    p = log.add(COACH, "partnership_reviewed", session=1, phases=ALL_PHASES, signals=["talked_too_much"])
    q = log.add(COACH, "partnership_reviewed", session=1, phases={**ALL_PHASES, "opening": "yes"})
    out.append(vector("K1: the coach reviews an ended session once, naming each of the five phases", ["K1"], log,
                      rejected=[exactly(i, "session_not_held"), exactly(j, "session_not_held"), exactly(k, "duplicate_id"),
                                exactly(l, "actor_not_permitted"), exactly(m, "actor_not_permitted"),
                                exactly(n, "invalid_event"), exactly(o, "invalid_event"), exactly(p, "invalid_event"),
                                exactly(q, "invalid_event")],
                      views={"coach": {"contains": ["CANARY-PARTNER-NOTE", "led_instead_of_followed", "\"meaning_making\":false"]},
                             "coachee": {"excludes": ["CANARY-PARTNER-NOTE", "partnership_reviews", "led_instead_of_followed"]},
                             "supervisor": {"excludes": ["CANARY-PARTNER-NOTE", "partnership_review", "led_instead_of_followed"]},
                             "program_admin": {"contains": ["\"partnership_reviews\":1"],
                                               "excludes": ["CANARY-PARTNER-NOTE", "led_instead_of_followed", "meaning_making"]}}))

    log = Log().to_goal_setting()
    i = log.add(COACH, "partnership_reviewed", session=1, phases=ALL_PHASES)
    out.append(vector("K1: a partnership review belongs to coaching and the final review", ["K1", "T2"], log,
                      rejected=[rejected(i, "wrong_stage")]))
    return out


def render(vectors):
    return json.dumps({"vectors": vectors}, indent=1, ensure_ascii=False) + "\n"


def sample_engagement():
    """The examples' sample log: the default programme up to the last session's end, so the
    next stage (final review) waits on one event. Written with `seq`, as a stored log is."""
    events = json.loads(render(VECTORS["whole_engagements.json"]()))["vectors"][0]["events"]
    lines = [json.dumps({**event, "seq": seq}, ensure_ascii=False) for seq, event in enumerate(events[:76], 1)]
    assert events[76]["type"] == "session_ended", "the sample must stop before the last session ends"
    return "\n".join(lines) + "\n"


def main():
    check = "--check" in sys.argv
    stale = []
    outputs = {file_name: (HERE / file_name, lambda builder=builder: render(builder())) for file_name, builder in VECTORS.items()}
    outputs["examples/sample-engagement.jsonl"] = (HERE.parent.parent / "examples" / "sample-engagement.jsonl", sample_engagement)
    for file_name, (path, build) in outputs.items():
        text = build()
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(file_name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print("vectors out of date (run tests/vectors/generate_vectors.py):", ", ".join(stale))
        sys.exit(1)


if __name__ == "__main__":
    main()
