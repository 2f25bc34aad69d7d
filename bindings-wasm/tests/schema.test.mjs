// The published JSON Schema, checked with ajv (draft 2020-12) against every event of the
// vectors: the events the engine refuses as invalid_event or unknown_event_type are invalid,
// the others valid (an event of another engagement than its log's aside: only the log knows).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import { schema } from "../pkg/node.js";

const SHAPE_CODES = new Set(["invalid_event", "unknown_event_type"]);
const folder = new URL("../../tests/vectors/", import.meta.url);

function vectorEvents() {
  const found = [];
  for (const name of readdirSync(folder).filter((file) => file.endsWith(".json")).sort()) {
    for (const vector of JSON.parse(readFileSync(new URL(name, folder), "utf8")).vectors ?? []) {
      const refused = new Map((vector.expect?.rejected ?? []).map((item) => [item.index, item.codes]));
      const engagement = vector.events[0]?.engagement;
      vector.events.forEach((event, index) => {
        if (event.engagement !== engagement) return;
        const codes = refused.get(index) ?? [];
        found.push({ where: `${name}: ${vector.name} [${index}]`, event, refused: codes.some((code) => SHAPE_CODES.has(code)) });
      });
    }
  }
  return found;
}

test("ajv compiles the schema under draft 2020-12", () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const validate = ajv.compile(schema());
  assert.equal(typeof validate, "function");
});

test("the schema accepts exactly the events the parser accepts", () => {
  const validate = new Ajv2020({ strict: false }).compile(schema());
  const events = vectorEvents();
  const disagreements = events
    .filter(({ event, refused }) => validate(event) === refused)
    .map(({ where, refused }) => `${where}: the parser ${refused ? "refuses" : "accepts"} it, the schema does not`);
  assert.ok(events.length > 1500);
  assert.ok(events.filter(({ refused }) => refused).length >= 40);
  assert.deepEqual(disagreements, []);
});

test("schema() is the published event.schema.json, a fresh copy on each call", () => {
  const published = JSON.parse(readFileSync(new URL("../npm/event.schema.json", import.meta.url), "utf8"));
  const first = schema();
  assert.deepEqual(first, published);
  first.properties = null;
  assert.deepEqual(schema(), published);
});
