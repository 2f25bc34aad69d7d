// The JavaScript API: each method, the error shape, hostile input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Engagement, CoachflowError, version } from "../pkg/node.js";

const whole = JSON.parse(readFileSync(new URL("../../tests/vectors/whole_engagements.json", import.meta.url), "utf8"));
const completedLog = whole.vectors[0].events;

const OPENED = {
  engagement: "e-1", at: "2026-01-05T09:00:00Z", actor: "sam", type: "engagement_opened",
  coachee: "cleo", supervisor: "sam", coach: "kim",
};
const ORIENTATION = { engagement: "e-1", at: "2026-01-05T10:00:00Z", actor: "cleo", type: "orientation_completed" };
const ADVANCE = { engagement: "e-1", at: "2026-01-06T09:00:00Z", actor: "sam", type: "stage_advanced", to: "goal_setting" };

function opened() {
  const engagement = new Engagement("e-1");
  engagement.apply(OPENED);
  return engagement;
}

function thrown(work) {
  try {
    work();
  } catch (error) {
    return error;
  }
  assert.fail("expected a throw");
}

test("version() is the package's version", () => {
  const manifest = JSON.parse(readFileSync(new URL("../pkg/package.json", import.meta.url), "utf8"));
  assert.equal(version(), manifest.version);
});

test("apply takes objects and JSON strings and returns warnings", () => {
  const engagement = new Engagement("e-1");
  assert.deepEqual(engagement.apply(JSON.stringify(OPENED)), []);
  assert.deepEqual(engagement.apply(ORIENTATION), []);
  assert.equal(engagement.eventCount, 2);
  assert.deepEqual(engagement.toJsonl().trim().split("\n").map((line) => JSON.parse(line).seq), [1, 2]);
  engagement.free();
});

test("a rejected apply throws CoachflowError with every violation and changes nothing", () => {
  const engagement = opened();
  const error = thrown(() => engagement.apply(ADVANCE));
  assert.ok(error instanceof CoachflowError && error instanceof Error);
  assert.equal(error.name, "CoachflowError");
  assert.equal(error.code, "orientation_incomplete");
  assert.deepEqual(error.violations.map((f) => [f.code, f.rule]), [["orientation_incomplete", "S2"], ["preliminary_discussion_missing", "S3"]]);
  assert.equal(error.index, null);
  assert.match(error.message, /orientation/);
  assert.equal(engagement.stage, "pre_work");
  assert.equal(engagement.eventCount, 1);
});

test("check never throws for rule problems", () => {
  const engagement = opened();
  const verdict = engagement.check(ADVANCE);
  assert.equal(verdict.ok, false);
  assert.deepEqual(verdict.violations.map((f) => f.code), ["orientation_incomplete", "preliminary_discussion_missing"]);
  assert.deepEqual(verdict.warnings, []);
  assert.deepEqual(engagement.check("{not json").violations.map((f) => f.code), ["invalid_event"]);
  assert.deepEqual(engagement.check(ORIENTATION), { ok: true, violations: [], warnings: [] });
});

test("each check returns a fresh plain object whose lists the caller may change", () => {
  const engagement = opened();
  const first = engagement.check(ORIENTATION);
  assert.equal(JSON.stringify(first), '{"ok":true,"violations":[],"warnings":[]}');
  first.warnings.push("mine");
  first.ok = false;
  assert.deepEqual(engagement.check(ORIENTATION), { ok: true, violations: [], warnings: [] });
  assert.deepEqual(engagement.apply(ORIENTATION), []);
});

test("requirements list every guard with met", () => {
  assert.deepEqual(opened().requirements("goal_setting").map((r) => [r.code, r.met]), [
    ["coach_not_assigned", true], ["orientation_incomplete", false], ["preliminary_discussion_missing", false],
  ]);
  const error = thrown(() => opened().requirements("Coaching"));
  assert.ok(error instanceof CoachflowError);
  assert.equal(error.code, "invalid_argument");
  assert.deepEqual(error.violations, []);
});

test("replay takes arrays and JSON Lines and names the rejected event", () => {
  const fromArray = Engagement.replay(completedLog);
  const fromLines = Engagement.replay(completedLog.map((event) => JSON.stringify(event)).join("\n"));
  assert.equal(fromArray.stage, "completed");
  assert.equal(fromArray.id, "v-1");
  assert.equal(fromArray.toJsonl(), fromLines.toJsonl());
  const broken = [...completedLog.slice(0, 5), { ...completedLog[5], actor: "stranger" }];
  const error = thrown(() => Engagement.replay(broken));
  assert.equal(error.index, 5);
  assert.equal(error.code, "not_a_participant");
  assert.equal(thrown(() => Engagement.replay(42)).code, "invalid_argument");
});

test("allowedEvents, obligations, views, metrics, explainVisibility", () => {
  const engagement = opened();
  assert.ok(engagement.allowedEvents("cleo").includes("orientation_completed"));
  assert.equal(thrown(() => engagement.allowedEvents("stranger")).code, "not_a_participant");
  const owed = engagement.obligations("2026-02-01", "cleo");
  assert.deepEqual([owed[0].participant, owed[0].kind], ["cleo", "complete_orientation"]);
  assert.equal(thrown(() => engagement.obligations("2026-02-30", "cleo")).code, "invalid_argument");
  assert.equal(thrown(() => engagement.obligations("2026-02-01", "stranger")).code, "not_a_participant");

  const done = Engagement.replay(completedLog);
  const supervisor = done.viewAs("supervisor");
  assert.equal(supervisor.role, "supervisor");
  assert.deepEqual(done.view("sam"), supervisor);
  assert.ok(JSON.stringify(done.view("cleo")).includes("CANARY"));
  assert.ok(!JSON.stringify(supervisor).includes("CANARY-SESSION"));
  assert.equal(thrown(() => done.viewAs("admin")).code, "invalid_argument");
  const metrics = done.metrics();
  assert.equal(metrics.completed, true);
  assert.equal(metrics.sessions_held, 6);
  const answer = done.explainVisibility("sam", "session:1");
  assert.deepEqual([answer.visible, answer.reason], [false, "not_visible"]);
});

test("redactedLog holds only what its viewer's view shows and replays to the same stage", () => {
  const engagement = Engagement.replay(completedLog);
  const markers = (value) => new Set(JSON.stringify(value).match(/CANARY-[A-Z0-9-]+/g) ?? []);
  for (const viewer of ["cleo", "sam", "kim", "hr"]) {
    const redacted = engagement.redactedLog(viewer);
    const shown = markers(engagement.view(viewer));
    assert.deepEqual([...markers(redacted)].filter((marker) => !shown.has(marker)), [], viewer);
    const replayed = Engagement.replay(redacted);
    assert.deepEqual([replayed.stage, replayed.eventCount], [engagement.stage, engagement.eventCount]);
  }
  assert.ok(!JSON.stringify(engagement.redactedLog("sam")).includes("CANARY-MOOD"));
  assert.ok(JSON.stringify(engagement.redactedLog("cleo")).includes("CANARY-MOOD"));
  assert.equal(thrown(() => engagement.redactedLog("stranger")).code, "not_a_participant");
});

test("hostile input becomes CoachflowError or a violation, never a crash", () => {
  const engagement = new Engagement("h");
  let deep = null;
  for (let i = 0; i < 100000; i++) deep = { a: deep };
  const cyclic = { ...OPENED };
  cyclic.meta = cyclic;
  const hostile = [
    "[".repeat(100000), { ...OPENED, meta: deep }, cyclic, undefined, null, 42, () => 1,
    { ...OPENED, seq: 10n ** 30n }, { ...OPENED, coachee: "x".repeat(5_000_000) }, "\ud800",
    { ...OPENED, favourite_colour: "teal" }, { ...OPENED, type: "coffee_ordered" }, { ...OPENED, at: "yesterday" },
    // Numbers JSON cannot hold or that no field accepts, keys that are not strings, and
    // objects that fight back while being read (issue 16, item 5).
    { ...OPENED, seq: NaN }, { ...OPENED, seq: Infinity }, { ...OPENED, seq: 1e300 }, { ...OPENED, seq: -1 },
    { ...OPENED, [Symbol("key")]: 1 }, { ...OPENED, 7: "seven" },
    new Proxy({ ...OPENED }, { get() { throw new Error("trap"); }, ownKeys() { throw new Error("trap"); } }),
    Object.defineProperty({ ...OPENED }, "coachee", { enumerable: true, get() { throw new Error("getter"); } }),
    { ...OPENED, toJSON() { throw new Error("toJSON"); } },
    { ...OPENED, meta: new Map([[1, 2]]) },
  ];
  for (const event of hostile) {
    const verdict = engagement.check(event);
    let applied = true;
    try {
      engagement.apply(event);
    } catch (error) {
      applied = false;
      assert.ok(error instanceof CoachflowError, `not a CoachflowError: ${error}`);
      assert.deepEqual(error.violations, verdict.violations);
    }
    assert.equal(applied, verdict.ok);
  }
  assert.equal(engagement.eventCount, 0);
  assert.equal(thrown(() => Engagement.replay("\u0000\n{}")).code, "invalid_event");
});

test("a text argument that is not a string is invalid_argument, and the engagement keeps working", () => {
  const engagement = opened();
  const calls = {
    "new Engagement": (value) => new Engagement(value),
    requirements: (value) => engagement.requirements(value),
    allowedEvents: (value) => engagement.allowedEvents(value),
    obligations: (value) => engagement.obligations(value, "cleo"),
    "obligations (viewer)": (value) => engagement.obligations("2026-01-06", value),
    view: (value) => engagement.view(value),
    viewAs: (value) => engagement.viewAs(value),
    redactedLog: (value) => engagement.redactedLog(value),
    explainVisibility: (value) => engagement.explainVisibility(value, "goal:g1"),
    "explainVisibility (record)": (value) => engagement.explainVisibility("cleo", value),
  };
  for (const [name, call] of Object.entries(calls)) {
    for (const value of [42, null, undefined, {}, ["cleo"], Symbol("cleo"), 10n]) {
      const error = thrown(() => call(value));
      assert.ok(error instanceof CoachflowError && error.code === "invalid_argument", `${name}(${typeof value}): ${error}`);
    }
  }
  assert.equal(engagement.viewAs("coachee").viewer, "cleo");
});

const badInput = JSON.parse(readFileSync(new URL("../../tests/bad-input/cases.json", import.meta.url), "utf8"));

test("the bad-input table: each text row is a CoachflowError at event 1 with the row's code", () => {
  // Rows of bytes that are not UTF-8 cannot be a JavaScript string, so only text rows apply.
  const rows = badInput.cases.filter((row) => row.line !== undefined);
  assert.ok(rows.length >= 15);
  for (const row of rows) {
    const log = `${JSON.stringify(badInput.opening)}\n${row.line}\n`;
    const error = thrown(() => Engagement.replay(log, badInput.limits));
    assert.ok(error instanceof CoachflowError, row.kind);
    assert.equal(error.code, row.code, row.kind);
    assert.equal(error.index, 1, row.kind);
  }
});

test("limits: over a cap is limit_exceeded; a malformed limits object is invalid_argument", () => {
  const engagement = new Engagement("e-1", { max_events_per_engagement: 1 });
  engagement.apply(OPENED);
  const error = thrown(() => engagement.apply(ORIENTATION));
  assert.equal(error.code, "limit_exceeded");
  assert.equal(engagement.eventCount, 1);
  for (const bad of [{ max_text_char: 5 }, { max_text_chars: -1 }, { max_text_chars: "5" }]) {
    assert.equal(thrown(() => new Engagement("e-1", bad)).code, "invalid_argument");
  }
});
