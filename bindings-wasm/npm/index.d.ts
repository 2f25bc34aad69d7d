export { Engagement, version, responsibilities, scriptGuide, partnershipPrompts, partneringSignals, processPhases, xstateMachine } from "./coachflow.js";

/** The JSON Schema (draft 2020-12) of an event: the envelope and every event type, as `coachflow schema` prints it. */
export declare function schema(): Record<string, unknown>;
export type * from "./coachflow.js";
import type { BoundaryCode, Finding, RuleCode } from "./coachflow.js";

/** Thrown by every coachflow call that fails. */
export declare class CoachflowError extends Error {
  /** A rule code ("wrong_stage", ...) or a boundary code ("invalid_argument", ...). */
  readonly code: RuleCode | BoundaryCode;
  /** Every violated rule; empty for boundary errors. */
  readonly violations: Finding[];
  /** For `Engagement.replay`: the position of the rejected event; otherwise null. */
  readonly index: number | null;
}
