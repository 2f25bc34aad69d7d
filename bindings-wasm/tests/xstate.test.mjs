// The stage machine as an XState config (`xstateMachine()`, `coachflow diagram --format
// xstate`): XState's own createMachine loads it, and an actor of it, whose `rules_hold` guard
// asks coachflow, agrees with coachflow on every stage change of the whole-engagement vectors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createActor, createMachine } from "xstate";
import { Engagement, xstateMachine } from "../pkg/node.js";

const whole = JSON.parse(readFileSync(new URL("../../tests/vectors/whole_engagements.json", import.meta.url), "utf8"));
const STAGES = ["pre_work", "goal_setting", "coaching", "final_review", "completed", "discontinued"];

test("XState's createMachine loads the config: every stage a state, the last two final", () => {
  const machine = createMachine(xstateMachine());
  assert.deepEqual(Object.keys(machine.root.states).sort(), [...STAGES].sort());
  assert.equal(machine.config.initial, "pre_work");
  for (const stage of ["completed", "discontinued"]) assert.equal(machine.root.states[stage].type, "final");
  const guard = machine.config.states.pre_work.on.stage_advanced.guard;
  assert.deepEqual(guard, { type: "rules_hold", params: { rules: ["T1", "S1", "S2", "S3"] } });
});

for (const vector of whole.vectors) {
  test(`an XState actor of the config follows coachflow: ${vector.name}`, () => {
    const engagement = new Engagement(vector.events[0].engagement);
    const machine = createMachine(xstateMachine()).provide({
      guards: { rules_hold: ({ event }) => engagement.check(event).ok },
    });
    const actor = createActor(machine).start();
    const opened = vector.events[0];
    let attempts = 0;
    for (const event of vector.events) {
      // Before each event, an advance to the next stage: XState may take it exactly when
      // coachflow would accept it.
      const next = STAGES[STAGES.indexOf(engagement.stage) + 1];
      if (engagement.eventCount > 0 && next && next !== "discontinued") {
        const advance = { engagement: opened.engagement, at: event.at, actor: opened.supervisor, type: "stage_advanced", to: next };
        assert.equal(actor.getSnapshot().can(advance), engagement.check(advance).ok, `advance to ${next} before ${event.type}`);
        attempts += 1;
      }
      if (event.type === "stage_advanced" || event.type === "engagement_discontinued") {
        assert.equal(actor.getSnapshot().can(event), true, `${event.type} at seq ${engagement.eventCount + 1}`);
      }
      actor.send(event); // before applying: the guard sees the engagement the event is checked against
      engagement.apply(event);
      assert.equal(actor.getSnapshot().value, engagement.stage, `after ${event.type}`);
    }
    assert.ok(attempts > 10);
    assert.equal(actor.getSnapshot().status, "done");
    engagement.free();
  });
}
