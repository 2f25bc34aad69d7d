// The coaching guide's accessors and the XState machine config. Both are data the core made
// (tests/guide/guide.json and xstate-machine.json, each checked against the core by a test):
// the texts, and the code that would write them, stay out of the WebAssembly module.
// scripts/build-wasm appends this file to the module's glue (coachflow.js) after the
// constants GUIDE_TEXT and XSTATE_MACHINE_TEXT, which hold that data as JSON text. The text
// is parsed on first use and every call returns a fresh copy, which the caller may change.

let guide;
const whole = () => (guide ??= JSON.parse(GUIDE_TEXT));

/** The error the module throws for an argument it cannot read, with the same fields. */
function invalidArgument(value, type, plural, names) {
  const given = typeof value === "string" ? `\`${value}\`` : `a ${value === null ? "null" : typeof value}`;
  const error = new Error(`invalid_argument: ${given} is not a ${type}; ${plural} are ${names.join(", ")}`);
  error.name = "CoachflowError";
  return Object.assign(error, { code: "invalid_argument", violations: [], index: null });
}

/** The entry of `list` whose `key` is `value`, copied; an unknown value throws. */
function entry(list, key, value, type, plural) {
  const found = typeof value === "string" ? list.find((item) => item[key] === value) : undefined;
  if (found === undefined) throw invalidArgument(value, type, plural, list.map((item) => item[key]));
  return structuredClone(found);
}

export function responsibilities(role) {
  return entry(whole().responsibilities, "role", role, "Role", "roles").items;
}

export function scriptGuide(step) {
  return entry(whole().script, "step", step, "BuiltinStep", "steps");
}

export function partnershipPrompts(phase) {
  return entry(whole().partnership_prompts, "phase", phase, "PartnershipPhase", "phases");
}

export function partneringSignals() {
  return structuredClone(whole().partnering_signals);
}

export function processPhases() {
  return structuredClone(whole().process_phases);
}

export function xstateMachine() {
  return JSON.parse(XSTATE_MACHINE_TEXT);
}
