/** One violated rule or one warning. */
export interface Finding {
  code: RuleCode;
  /** The rule reference, e.g. "S3" (docs/rules.md). */
  rule: string;
  message: string;
}

/** One guard of a target stage and whether it holds now. */
export interface Requirement {
  code: RuleCode;
  rule: string;
  met: boolean;
  message: string;
}

/** The verdict of `check`: `ok` with warnings, or the violations. */
export interface CheckResult {
  ok: boolean;
  violations: Finding[];
  warnings: Finding[];
}

/** Size caps for untrusted input; a cap left out keeps its default (docs/hardening.md). */
export interface Limits {
  /** Longest log line, in bytes (default 1 MiB). */
  max_line_bytes?: number;
  /** Most events in one engagement (default 100,000). */
  max_events_per_engagement?: number;
  /** Longest text anywhere in an event, in characters (default 65,536). */
  max_text_chars?: number;
  /** Most items in any list or object of an event (default 1,000). */
  max_list_items?: number;
  /** Most engagements in one log (default 1,000,000). */
  max_engagements?: number;
}

/** One action agreed in a session's `action_commitment` step. */
export interface ActionItem {
  id: string;
  description: string;
  /** YYYY-MM-DD */
  due?: string;
}

/** A programme's policy (contract section 2); `engagement_opened` may override any part. */
export interface Policy {
  sessions: number;
  midpoint_check_in: MidpointCheckIn;
  require_orientation: boolean;
  require_preliminary_discussion: boolean;
  require_acknowledgements: boolean;
  min_goals: number;
  late_cancellation_hours: number;
  script_enforcement: ScriptEnforcement;
  script?: { name: string; required: boolean; owners: Role[] }[];
  min_raters: number;
}

/** Something a participant still owes. */
export interface Obligation {
  participant: string;
  role: Role;
  kind: string;
  message: string;
  /** YYYY-MM-DD, for overdue actions. */
  due?: string;
  /** The action it is about, for overdue actions. */
  action?: string;
}

/** What a participant may see. The fields depend on `role`; see docs/views.md. */
export interface View {
  role: Role;
  engagement: string;
  viewer: string;
  stage: Stage;
  [field: string]: unknown;
}

/** Analytics of one engagement, from the programme admin's view: no confidential content. */
export interface Metrics {
  engagement: string;
  stage: Stage;
  completed: boolean;
  discontinued: boolean;
  discontinued_by: Role | null;
  entered_pre_work: string | null;
  entered_goal_setting: string | null;
  entered_coaching: string | null;
  entered_final_review: string | null;
  entered_completed: string | null;
  entered_discontinued: string | null;
  days_pre_work: number | null;
  days_goal_setting: number | null;
  days_coaching: number | null;
  days_final_review: number | null;
  sessions_held: number;
  sessions_cancelled: number;
  sessions_cancelled_late: number;
  sessions_missed: number;
  mean_session_rating: number | null;
  latest_engagement_level: EngagementLevel | null;
  goals: number;
  goals_achieved: number;
  goals_partially_achieved: number;
  goals_not_achieved: number;
  goals_dropped: number;
  partnership_reviews: number;
}

/** Whether a participant may see a record, and why. */
export interface Visibility {
  record: string;
  viewer: string;
  role: Role;
  visible: boolean;
  reason:
    | "always_visible_to_role"
    | "consent_granted"
    | "never_visible_to_role"
    | "hidden_from_everyone"
    | "survey_open"
    | "not_visible"
    | "below_anonymity_threshold";
  message: string;
}

/** The phases of a session in which a coach checks that they partnered (`partnership_reviewed`). */
export type PartnershipPhase = "opening" | "checking_in" | "meaning_making" | "action_planning" | "closing";

/** Signs of not partnering, as `partnership_reviewed.signals` names them. */
export type PartneringSignal =
  | "made_meaning_for_them"
  | "stayed_on_problem"
  | "withheld_observations"
  | "did_not_acknowledge"
  | "completed_their_sentences"
  | "led_instead_of_followed";

/** Each of the five phases, `true` when the coach partnered in it. */
export type PhaseChecks = Record<PartnershipPhase, boolean>;

/** What a role commits to (the coaching guide). */
export interface Responsibility {
  id: string;
  text: string;
  locale: string;
}

/** What a step of the built-in session script is for, who leads it, what a coach can ask. */
export interface StepGuide {
  step: string;
  purpose: string;
  leads: Role[];
  questions: string[];
  locale: string;
}

/** The questions that show a coach is partnering in one phase of a session. */
export interface PhasePrompts {
  phase: PartnershipPhase;
  questions: string[];
  locale: string;
}

/** A sign that a coach was not partnering. */
export interface SignalText {
  code: PartneringSignal;
  text: string;
  locale: string;
}

/** One phase of the coaching process, with its stages and event types. */
export interface ProcessPhase {
  id: string;
  name: string;
  summary: string;
  stages: Stage[];
  event_types: EventType[];
  locale: string;
}
