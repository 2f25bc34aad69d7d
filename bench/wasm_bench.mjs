// Issue 5 benchmark, one node process: coachflow (WebAssembly) against the same stage machine
// built with XState v5 (stages of contract section 3, guards S1-S12 as XState guards).
//
//   node bench/wasm_bench.mjs          (after scripts/build-wasm and npm ci in bindings-wasm)
//
// Compared: coachflow's full-rule `check` of a `stage_advanced` and `requirements`, against
// XState's `snapshot.can` and `transition()` for the same step (coaching -> final_review).
// A floor is printed beside them: `JSON.stringify` of the event and `TextEncoder.encodeInto`
// of its text, what handing any event to the module as text costs before it is read.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const started = performance.now();
const { Engagement } = await import("../bindings-wasm/pkg/node.js");
const instantiation = performance.now() - started;

const require = createRequire(new URL("../bindings-wasm/package.json", import.meta.url));
const { setup, createActor, transition } = await import(pathToFileURL(require.resolve("xstate")).href);

const log = JSON.parse(readFileSync(new URL("../tests/vectors/whole_engagements.json", import.meta.url), "utf8")).vectors[0].events;
const cut = log.findIndex((event) => event.type === "stage_advanced" && event.to === "final_review");
const history = log.slice(0, cut);
const advance = log[cut];

// The XState machine: context counts what the guards read; other events update it.
const machine = setup({
  guards: {
    mayEnterGoalSetting: ({ context }) => context.coach && context.orientation && context.preliminary,
    mayEnterCoaching: ({ context }) =>
      context.heldKinds.includes("goal_setting") && context.goals.length >= 1 && context.confidentiality && context.acknowledged.length >= 3,
    mayEnterFinalReview: ({ context }) => context.sessionsHeld >= 6 && context.openSessions.length === 0,
    mayComplete: ({ context }) => context.heldKinds.includes("final_review") && context.goals.every((goal) => context.assessed.includes(goal)),
  },
  actions: {
    record: ({ context, event }) => {
      const e = event.event;
      switch (e.type) {
        case "engagement_opened": context.coach = Boolean(e.coach); break;
        case "coach_assigned": context.coach = true; break;
        case "orientation_completed": context.orientation = true; break;
        case "preliminary_goals_discussed": context.preliminary = true; break;
        case "responsibilities_acknowledged": if (!context.acknowledged.includes(e.actor)) context.acknowledged.push(e.actor); break;
        case "meeting_scheduled": context.meetings[e.meeting] = e.kind; break;
        case "meeting_held": if ((e.attendees ?? []).length >= 3) context.heldKinds.push(context.meetings[e.meeting]); break;
        case "goal_agreed": context.goals.push(e.goal); break;
        case "goal_assessed": context.assessed.push(e.goal); break;
        case "confidentiality_agreed": context.confidentiality = true; break;
        case "session_scheduled": context.openSessions.push(e.session); break;
        case "session_ended": context.openSessions = context.openSessions.filter((s) => s !== e.session); context.sessionsHeld += 1; break;
      }
    },
  },
}).createMachine({
  id: "engagement",
  initial: "pre_work",
  context: () => ({ coach: false, orientation: false, preliminary: false, acknowledged: [], meetings: {}, heldKinds: [], goals: [],
    assessed: [], confidentiality: false, openSessions: [], sessionsHeld: 0 }),
  on: { record: { actions: "record" } },
  states: {
    pre_work: { on: { advance_goal_setting: { target: "goal_setting", guard: "mayEnterGoalSetting" } } },
    goal_setting: { on: { advance_coaching: { target: "coaching", guard: "mayEnterCoaching" } } },
    coaching: { on: { advance_final_review: { target: "final_review", guard: "mayEnterFinalReview" } } },
    final_review: { on: { advance_completed: { target: "completed", guard: "mayComplete" } } },
    completed: { type: "final" },
    discontinued: { type: "final" },
  },
});

const actor = createActor(machine).start();
for (const event of history) {
  actor.send(event.type === "stage_advanced" ? { type: `advance_${event.to}` } : { type: "record", event });
}
const snapshot = actor.getSnapshot();
const xstateAdvance = { type: "advance_final_review" };
const engagement = Engagement.replay(history);

// Sanity: both machines agree that the step is allowed.
if (!snapshot.can(xstateAdvance) || !engagement.check(advance).ok || snapshot.value !== engagement.stage) {
  throw new Error("the two machines disagree about the benchmarked step");
}

function perCall(work, calls = 200_000, rounds = 7) {
  let best = Infinity;
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) work();
    best = Math.min(best, ((performance.now() - start) * 1000) / calls);
  }
  return best; // microseconds
}

const encoder = new TextEncoder();
const scratch = new Uint8Array(4096);
const results = {};
for (let round = 0; round < 3; round++) { // alternate, so all see the same machine state
  const times = {
    "coachflow check(stage_advanced)": perCall(() => engagement.check(advance)),
    "coachflow requirements(final_review)": perCall(() => engagement.requirements("final_review")),
    "xstate snapshot.can": perCall(() => snapshot.can(xstateAdvance)),
    "xstate transition()": perCall(() => transition(machine, snapshot, xstateAdvance), 50_000),
    "floor: stringify + encodeInto": perCall(() => encoder.encodeInto(JSON.stringify(advance), scratch)),
  };
  for (const [name, time] of Object.entries(times)) results[name] = Math.min(results[name] ?? Infinity, time);
}
for (const [name, time] of Object.entries(results)) console.log(`${name.padEnd(40)} ${time.toFixed(3)} us/call`);
const check = results["coachflow check(stage_advanced)"];
console.log(`check / snapshot.can = ${(check / results["xstate snapshot.can"]).toFixed(2)}x (issue 16: at most 5x)`);
console.log(`check / transition() = ${(check / results["xstate transition()"]).toFixed(2)}x (issue 16: at most 0.2x, 5x faster)`);
const handing = results["floor: stringify + encodeInto"];
console.log(`floor: handing the event over as text = ${(handing / results["xstate snapshot.can"]).toFixed(2)}x snapshot.can, ` +
  `${((100 * handing) / (5 * results["xstate snapshot.can"])).toFixed(0)}% of the 5x budget`);
console.log(`wasm instantiation (import of the node entry: read, compile, instantiate): ${instantiation.toFixed(1)} ms`);
