// Every conformance vector of tests/vectors, run through the npm package in node.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { Engagement, CoachflowError } from "../pkg/node.js";

const folder = new URL("../../tests/vectors/", import.meta.url);
const vectors = readdirSync(folder)
  .filter((name) => name.endsWith(".json"))
  .sort()
  .flatMap((name) => {
    const document = JSON.parse(readFileSync(new URL(name, folder), "utf8"));
    return (document.vectors ?? [document]).map((vector) => ({ file: name, vector }));
  });

export function run(vector) {
  const expect = vector.expect ?? {};
  const rejected = new Map((expect.rejected ?? []).map((item) => [item.index, item.codes]));
  const rejectedDetail = new Map((expect.rejected ?? []).map((item) => [item.index, item]));
  const warned = new Map((expect.warnings ?? []).map((item) => [item.index, item.codes]));
  const failures = [];
  const engagement = new Engagement("");
  try {
    vector.events.forEach((event, index) => {
      let warnings;
      try {
        warnings = engagement.apply(event).map((finding) => finding.code);
      } catch (error) {
        if (!(error instanceof CoachflowError)) throw error;
        const codes = error.violations.map((finding) => finding.code);
        if (!rejected.has(index)) failures.push(`event ${index}: unexpectedly rejected: ${error.message}`);
        else {
          const missing = rejected.get(index).filter((code) => !codes.includes(code));
          if (missing.length) failures.push(`event ${index}: rejected without ${missing}: ${error.message}`);
          const detail = rejectedDetail.get(index);
          if (detail.exact && codes.some((code) => !rejected.get(index).includes(code))) {
            failures.push(`event ${index}: rejected with more than ${rejected.get(index)}: ${error.message}`);
          }
          const messages = error.violations.map((finding) => finding.message).join(" ");
          for (const text of detail.excludes ?? []) if (messages.includes(text)) failures.push(`event ${index}: a message shows ${text}`);
        }
        if (warned.has(index)) failures.push(`event ${index}: warnings expected, but the event was rejected`);
        return;
      }
      if (rejected.has(index)) failures.push(`event ${index}: applied, but should be rejected with ${rejected.get(index)}`);
      const missing = (warned.get(index) ?? []).filter((code) => !warnings.includes(code));
      if (missing.length) failures.push(`event ${index}: warnings lack ${missing} (got ${warnings})`);
    });
    for (const index of [...rejected.keys(), ...warned.keys()]) {
      if (index >= vector.events.length) failures.push(`expectation names event ${index}, but there are ${vector.events.length} events`);
    }
    if (expect.stage !== undefined && engagement.stage !== expect.stage) {
      failures.push(`stage is ${engagement.stage}, expected ${expect.stage}`);
    }
    for (const [stage, wanted] of Object.entries(expect.requirements ?? {})) {
      const unmet = engagement.requirements(stage).filter((r) => !r.met).map((r) => r.code).sort();
      if (JSON.stringify(unmet) !== JSON.stringify([...wanted.unmet].sort())) {
        failures.push(`requirements for ${stage}: unmet [${unmet}], expected [${wanted.unmet}]`);
      }
    }
    for (const [role, wanted] of Object.entries(expect.views ?? {})) {
      const text = JSON.stringify(engagement.viewAs(role));
      for (const item of wanted.contains ?? []) if (!text.includes(item)) failures.push(`the ${role} view lacks ${item}`);
      for (const item of wanted.excludes ?? []) if (text.includes(item)) failures.push(`the ${role} view shows ${item}`);
    }
    const firstOf = (role) => {
      const people = engagement.viewAs(role).participants;
      return role === "program_admin" ? people.program_admins[0] : people[role];
    };
    for (const [role, wanted] of Object.entries(expect.redacted_logs ?? {})) {
      const redacted = engagement.redactedLog(firstOf(role));
      const text = redacted.map((event) => JSON.stringify(event)).join("\n");
      for (const item of wanted.contains ?? []) if (!text.includes(item)) failures.push(`the ${role}'s redacted log lacks ${item}`);
      for (const item of wanted.excludes ?? []) if (text.includes(item)) failures.push(`the ${role}'s redacted log shows ${item}`);
      const replayed = Engagement.replay(redacted);
      if (replayed.stage !== engagement.stage) failures.push(`the ${role}'s redacted log replays to ${replayed.stage}`);
      replayed.free();
    }
    for (const wanted of expect.explain ?? []) {
      const what = `explain ${wanted.record} to the ${wanted.viewer}`;
      let answer, text;
      try {
        answer = engagement.explainVisibility(firstOf(wanted.viewer), wanted.record);
        text = JSON.stringify(answer);
      } catch (error) {
        if (!(error instanceof CoachflowError)) throw error;
        if (error.code !== wanted.error) failures.push(`${what}: failed with ${error.code}: ${error.message}`);
        text = error.message;
      }
      if (answer !== undefined) {
        if (wanted.error !== undefined) failures.push(`${what}: answered, but should fail with ${wanted.error}`);
        if (wanted.visible !== undefined && answer.visible !== wanted.visible) failures.push(`${what}: visible is ${answer.visible}`);
        if (wanted.reason !== undefined && answer.reason !== wanted.reason) failures.push(`${what}: reason is ${answer.reason}`);
      }
      for (const item of wanted.excludes ?? []) if (text.includes(item)) failures.push(`${what}: the answer shows ${item}`);
    }
    for (const wanted of expect.obligations ?? []) {
      const owed = engagement.obligations(wanted.as_of, firstOf(wanted.viewer));
      const kinds = [...new Set(owed.map((obligation) => obligation.kind))].sort();
      if (JSON.stringify(kinds) !== JSON.stringify([...wanted.kinds].sort())) {
        failures.push(`obligations of the ${wanted.viewer}: [${kinds}], expected [${wanted.kinds}]`);
      }
      const text = JSON.stringify(owed);
      for (const item of wanted.excludes ?? []) if (text.includes(item)) failures.push(`obligations of the ${wanted.viewer} show ${item}`);
    }
  } finally {
    engagement.free();
  }
  return failures;
}

for (const { file, vector } of vectors) {
  test(`${file}: ${vector.name}`, () => {
    assert.deepEqual(run(vector), []);
  });
}

test("every vector file is found", () => {
  assert.ok(vectors.length >= 67, `only ${vectors.length} vectors`);
});

test("the runner fails a vector whose expectation is wrong", () => {
  const { vector } = vectors[0];
  const wrong = { ...vector, expect: { ...vector.expect, stage: "completed" } };
  assert.ok(run(wrong).some((failure) => failure.includes("expected completed")));
});
