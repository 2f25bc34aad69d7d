// The page's logic: every rule comes from coachflow (WebAssembly); this file only wires the DOM.
import { Engagement, CoachflowError } from "../../bindings-wasm/pkg/browser.js";

const NEXT = { pre_work: "goal_setting", goal_setting: "coaching", coaching: "final_review", final_review: "completed" };
// Common events and a template of their fields.
const TEMPLATES = {
  session_ended: { session: 6 },
  session_scheduled: { session: 1, starts_at: "2026-04-01T09:00:00Z" },
  orientation_completed: {},
  preliminary_goals_discussed: { notes: "" },
  responsibilities_acknowledged: {},
  meeting_scheduled: { meeting: "m-1", kind: "goal_setting", starts_at: "2026-04-01T09:00:00Z" },
  meeting_held: { meeting: "m-1", attendees: [] },
  goal_agreed: { goal: "g-1", statement: "", org_priority: "", success_measures: [] },
  confidentiality_agreed: { reviewed_on: "2026-04-01", limits: ["risk_of_harm"] },
  goal_assessed: { goal: "g1", outcome: "achieved", evidence: "" },
};

const $ = (id) => document.getElementById(id);
let engagement = null;

function lastAt() {
  const lines = engagement.toJsonl().trim().split("\n").filter(Boolean);
  return lines.length ? JSON.parse(lines[lines.length - 1]).at : new Date().toISOString();
}

function anHourAfter(at) {
  return new Date(Date.parse(at) + 3600_000).toISOString().replace(".000Z", "Z");
}

function participants() {
  const view = engagement.viewAs("coach");
  const { coachee, supervisor, coach, program_admins: admins } = view.participants;
  return [coachee, supervisor, coach, ...(admins ?? [])].filter(Boolean);
}

function fill(select, values, keep) {
  select.replaceChildren(...values.map((value) => new Option(value, value)));
  if (values.includes(keep)) select.value = keep;
}

function render() {
  $("engagement-id").textContent = engagement.id;
  $("stage").textContent = engagement.stage;
  $("event-count").textContent = engagement.eventCount;
  const next = NEXT[engagement.stage];
  $("next-stage").textContent = next ?? "none (closed)";
  const requirements = next ? engagement.requirements(next) : [];
  $("requirements").replaceChildren(
    ...requirements.map((requirement) => {
      const item = document.createElement("li");
      item.className = requirement.met ? "met" : "unmet";
      item.dataset.code = requirement.code;
      item.textContent = `${requirement.rule}: ${requirement.message}`;
      return item;
    }),
  );
  $("advance").disabled = !next || requirements.some((requirement) => !requirement.met);
  $("advance").textContent = next ? `Advance to ${next}` : "Advance";
  const people = participants();
  fill($("advance-actor"), people, $("advance-actor").value || people[1]);
  fill($("event-actor"), people, $("event-actor").value);
  $("event-at").value = anHourAfter(lastAt());
  renderView();
  validate();
}

function renderView() {
  try {
    $("view").textContent = JSON.stringify(engagement.viewAs($("view-role").value), null, 2);
  } catch (error) {
    $("view").textContent = error.message;
  }
}

function draftEvent() {
  let fields = {};
  const text = $("event-fields").value.trim();
  if (text) fields = JSON.parse(text); // a syntax error is reported by validate()
  return { ...fields, engagement: engagement.id, at: $("event-at").value, actor: $("event-actor").value, type: $("event-type").value };
}

// Inline validation: runs `check` on every edit and lists what would block the event.
function validate() {
  let verdict;
  try {
    verdict = engagement.check(draftEvent());
  } catch (error) {
    verdict = { ok: false, violations: [{ code: "invalid_event", rule: "L2", message: `fields: ${error.message}` }], warnings: [] };
  }
  $("violations").replaceChildren(
    ...verdict.violations.map((finding) => {
      const item = document.createElement("li");
      item.dataset.code = finding.code;
      item.textContent = `${finding.code}: ${finding.message}`;
      return item;
    }),
  );
  $("warnings").textContent = verdict.warnings.map((finding) => `${finding.code}: ${finding.message}`).join("; ");
  return verdict;
}

function apply(event, result) {
  try {
    const warnings = engagement.apply(event);
    $(result).textContent = `recorded ${event.type}` + (warnings.length ? ` (warnings: ${warnings.map((w) => w.code).join(", ")})` : "");
    $(result).className = "";
    render();
    return true;
  } catch (error) {
    if (!(error instanceof CoachflowError)) throw error;
    $(result).textContent = `refused: ${error.violations.map((finding) => finding.code).join(", ")}`;
    $(result).className = "error";
    return false;
  }
}

function load(text, label) {
  try {
    const loaded = Engagement.replay(text);
    engagement?.free();
    engagement = loaded;
    $("load-error").hidden = true;
    render();
  } catch (error) {
    $("load-error").hidden = false;
    $("load-error").textContent = `${label}: event ${error.index ?? "?"} refused: ${error.message}`;
  }
}

fill($("event-type"), Object.keys(TEMPLATES));
$("event-type").addEventListener("change", () => {
  $("event-fields").value = JSON.stringify(TEMPLATES[$("event-type").value]);
  validate();
});
for (const id of ["event-actor", "event-at", "event-fields"]) $(id).addEventListener("input", validate);
$("event-actor").addEventListener("change", validate);
$("event-form").addEventListener("submit", (submit) => {
  submit.preventDefault();
  let event;
  try {
    event = draftEvent();
  } catch (error) {
    $("record-result").textContent = `the fields are not JSON: ${error.message}`;
    return;
  }
  apply(event, "record-result");
});
$("advance").addEventListener("click", () => {
  const event = { engagement: engagement.id, at: anHourAfter(lastAt()), actor: $("advance-actor").value, type: "stage_advanced", to: NEXT[engagement.stage] };
  apply(event, "advance-result");
});
$("view-role").addEventListener("change", renderView);
$("file").addEventListener("change", async () => {
  const file = $("file").files[0];
  if (file) load(await file.text(), file.name);
});

$("event-fields").value = JSON.stringify(TEMPLATES[$("event-type").value]);
const sample = await fetch(new URL("../sample-engagement.jsonl", import.meta.url));
load(await sample.text(), "sample-engagement.jsonl");
document.body.dataset.ready = "true";
