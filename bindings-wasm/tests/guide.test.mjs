// The coaching guide in JavaScript: every accessor answers for every role, step and phase,
// and the data is exactly the core's (tests/guide/guide.json).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  CoachflowError, partneringSignals, partnershipPrompts, processPhases, responsibilities, scriptGuide, xstateMachine,
} from "../pkg/node.js";

const guide = JSON.parse(readFileSync(new URL("../../tests/guide/guide.json", import.meta.url), "utf8"));
const roles = ["coachee", "supervisor", "coach", "program_admin"];

test("every accessor answers for every role, step and phase", () => {
  for (const role of roles) assert.ok(responsibilities(role).length > 0, role);
  for (const { step } of guide.script) assert.ok(scriptGuide(step).questions.length > 0, step);
  for (const { phase } of guide.partnership_prompts) assert.ok(partnershipPrompts(phase).questions.length > 0, phase);
  assert.equal(partneringSignals().length, 6);
  assert.equal(processPhases().length, 5);
});

test("the data is the core's", () => {
  assert.deepEqual(roles.map((role) => ({ role, items: responsibilities(role) })), guide.responsibilities);
  assert.deepEqual(guide.script.map(({ step }) => scriptGuide(step)), guide.script);
  assert.deepEqual(guide.partnership_prompts.map(({ phase }) => partnershipPrompts(phase)), guide.partnership_prompts);
  assert.deepEqual(partneringSignals(), guide.partnering_signals);
  assert.deepEqual(processPhases(), guide.process_phases);
});

test("an unknown step names the valid ones", () => {
  assert.throws(() => scriptGuide("warm_up"), (error) => error instanceof CoachflowError && error.code === "invalid_argument"
    && error.message.includes("check_in, session_goal"));
});

test("an argument that is not a known name throws the same error as the other bindings", () => {
  // Word for word what the Python and Swift packages raise: the core's `boundary::parse_role`.
  const expected = {
    name: "CoachflowError", code: "invalid_argument", violations: [], index: null,
    message: "invalid_argument: `boss` is not a Role; roles are coachee, supervisor, coach, program_admin",
  };
  assert.throws(() => responsibilities("boss"), (error) => error instanceof CoachflowError
    && assert.deepEqual({ ...error, name: error.name, message: error.message }, expected) === undefined);
  const hostile = [42, null, undefined, {}, ["opening"], Symbol("opening"), { toString() { throw new Error("no"); } }];
  for (const value of hostile) {
    for (const accessor of [responsibilities, scriptGuide, partnershipPrompts]) {
      assert.throws(() => accessor(value), (error) => error instanceof CoachflowError && error.code === "invalid_argument",
        `${accessor.name}(${typeof value})`);
    }
  }
});

test("each call returns a fresh copy", () => {
  scriptGuide("check_in").questions.push("changed");
  responsibilities("coach").length = 0;
  partneringSignals().pop();
  xstateMachine().states = {};
  assert.deepEqual(scriptGuide("check_in"), guide.script.find(({ step }) => step === "check_in"));
  assert.deepEqual(responsibilities("coach"), guide.responsibilities.find(({ role }) => role === "coach").items);
  assert.equal(partneringSignals().length, 6);
  assert.ok(Object.keys(xstateMachine().states).length >= 6);
});
