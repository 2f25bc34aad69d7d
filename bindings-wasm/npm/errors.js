/**
 * The error every coachflow call throws: an `Error` whose `name` is "CoachflowError", with a
 * stable `code`, the `violations` (Finding[]) and, for replays, the `index` of the rejected
 * event. The module creates plain `Error` objects; this class makes `instanceof` work.
 * scripts/build-wasm appends this file to the module's glue (coachflow.js).
 */
export class CoachflowError extends Error {
  static [Symbol.hasInstance](value) {
    return value instanceof Error && value.name === "CoachflowError";
  }
}
