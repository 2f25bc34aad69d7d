export { Engagement, version } from "./coachflow.js";

/** The JSON Schema (draft 2020-12) of an event: the envelope and every event type, as `coachflow schema` prints it. */
export declare function schema(): Record<string, unknown>;
export type * from "./coachflow.js";
import type {
  BoundaryCode, Finding, PartnershipPhase, PhasePrompts, ProcessPhase, Responsibility, Role, RuleCode, SignalText, StepGuide,
} from "./coachflow.js";

/** Thrown by every coachflow call that fails. */
export declare class CoachflowError extends Error {
  /** A rule code ("wrong_stage", ...) or a boundary code ("invalid_argument", ...). */
  readonly code: RuleCode | BoundaryCode;
  /** Every violated rule; empty for boundary errors. */
  readonly violations: Finding[];
  /** For `Engagement.replay`: the position of the rejected event; otherwise null. */
  readonly index: number | null;
}

/** What `role` commits to (the coaching guide). Throws `invalid_argument` for an unknown role. */
export declare function responsibilities(role: Role): Responsibility[];
/** What a built-in session step is for, who leads it, and what a coach can ask. Throws `invalid_argument` for an unknown step. */
export declare function scriptGuide(step: string): StepGuide;
/** The questions that show a coach is partnering in one phase of a session. Throws `invalid_argument` for an unknown phase. */
export declare function partnershipPrompts(phase: PartnershipPhase): PhasePrompts;
/** The six signs that a coach was not partnering. */
export declare function partneringSignals(): SignalText[];
/** The five phases of the coaching process. */
export declare function processPhases(): ProcessPhase[];
/**
 * The stage machine as an XState (v5) machine config, the same as `coachflow diagram --format
 * xstate`: each transition's guard is `rules_hold` with the rules it stands for.
 */
export declare function xstateMachine(): Record<string, unknown>;
