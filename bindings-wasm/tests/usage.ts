// Type-checked (tsc --noEmit --strict) against the shipped .d.ts: the types are real, not `any`.
import { Engagement, CoachflowError, partnershipPrompts, responsibilities, schema, scriptGuide } from "../pkg/index.js";
import type { CheckResult, EngagementEvent, Finding, Limits, PhaseChecks, Requirement, Role, Stage, View } from "../pkg/index.js";

const opened: EngagementEvent = {
  engagement: "e-1",
  at: "2026-01-05T09:00:00Z",
  actor: "sam",
  type: "engagement_opened",
  coachee: "cleo",
  supervisor: "sam",
  policy: { sessions: 4, midpoint_check_in: "required" },
};
const step: EngagementEvent = {
  engagement: "e-1", at: "2026-01-05T09:00:00Z", actor: "kim", type: "script_step", session: 1, step: "warm_up",
  notes: "anything the step defines",
};

const engagement = new Engagement("e-1");
const warnings: Finding[] = engagement.apply(opened);
const verdict: CheckResult = engagement.check(step);
const next: Stage = "goal_setting";
const checklist: Requirement[] = engagement.requirements(next);
const unmet: string[] = checklist.filter((requirement) => !requirement.met).map((requirement) => requirement.code);
const role: Role = "supervisor";
const view: View = engagement.viewAs(role);
const stage: Stage = engagement.stage;
const forSupervisor: EngagementEvent[] = engagement.redactedLog("sam");
const eventSchema: Record<string, unknown> = schema();
try {
  engagement.apply({ ...opened, type: "stage_advanced", to: "goal_setting" } as EngagementEvent);
} catch (error) {
  if (error instanceof CoachflowError) {
    const codes: string[] = error.violations.map((finding) => finding.code);
    console.log(error.code, codes, error.index);
  }
}
console.log(warnings, verdict.ok, unmet, view.role, stage, engagement.metrics().sessions_held);
engagement.free();

const limits: Limits = { max_text_chars: 2000, max_list_items: 50 };
Engagement.replay([opened], limits).free();
// @ts-expect-error: not a cap
const misspelt: Limits = { max_text_char: 5 };

// @ts-expect-error: not a stage
engagement.requirements("coachingg");
// @ts-expect-error: an engagement_opened event needs a coachee
const incomplete: EngagementEvent = { engagement: "e", at: "x", actor: "a", type: "engagement_opened", supervisor: "s" };
void incomplete;

const ids: string[] = responsibilities("coach").map((item) => item.id);
const questions: string[] = scriptGuide("key_outcomes").questions.concat(partnershipPrompts("closing").questions);
const phases: PhaseChecks = { opening: true, checking_in: true, meaning_making: false, action_planning: true, closing: true };
const review: EngagementEvent = { engagement: "e", at: "x", actor: "k", type: "partnership_reviewed", session: 1, phases, signals: ["stayed_on_problem"] };
void ids; void questions; void review;
// @ts-expect-error: not a phase
partnershipPrompts("middle");
// @ts-expect-error: a review names every phase
const partial: PhaseChecks = { opening: true };
void partial;
