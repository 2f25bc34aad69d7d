// One person's screen. The platform (platform.js, another origin) keeps the whole log; this
// page receives only the person's view, obligations and redacted log, checks every event the
// person drafts against that redacted log with coachflow, and sends accepted drafts to the
// platform. Forms are built from coachflow's JSON Schema; every rule is coachflow's.
import { Engagement, CoachflowError, schema, scriptGuide } from "coachflow";

const SCHEMA = schema();
const DEFS = SCHEMA.$defs;
const ENVELOPE = new Set(["engagement", "seq", "at", "actor", "type", "schema", "meta"]);
const STAGES = ["pre_work", "goal_setting", "coaching", "final_review", "completed"];
const NEXT = { pre_work: "goal_setting", goal_setting: "coaching", coaching: "final_review", final_review: "completed" };
/** The built-in session script, in order (the schema lists the step names). */
const SCRIPT = DEFS.script_step.properties.step.examples;
/** Event types with a screen of their own: opening (the start form), script steps (the session runner); `stage_advanced` is the checklist's button. */
const OWN_SCREEN = new Set(["engagement_opened", "script_step"]);
const LONG_TEXT = /note|summary|statement|evidence|explanation|reason|comment|description|assignment|outcome|learned|since_last|struggles|went_well|do_differently|going_forward|obstacles|support/;

/** Everything this page received from the platform, for inspection (the browser test reads it). */
const received = [];
const app = { received, engagement: null };
window.coachflowApp = app;

// ---------- the platform connection ----------

const platformOrigin = (await (await fetch("platform.json")).json()).origin;
const pending = new Map();
let nextRequest = 1;
let platformReady;
const ready = new Promise((resolve) => (platformReady = resolve));
addEventListener("message", (message) => {
  if (message.origin !== platformOrigin) return;
  if (message.data?.ready) return platformReady();
  const answer = pending.get(message.data?.id);
  if (!answer) return;
  pending.delete(message.data.id);
  received.push(message.data.answer);
  answer(message.data.answer);
});
const frame = document.createElement("iframe");
frame.hidden = true;
frame.title = "platform";
frame.src = `${platformOrigin}/platform.html?app=${encodeURIComponent(location.origin)}`;
document.body.append(frame);

async function ask(request, body = {}) {
  await ready;
  return new Promise((resolve) => {
    const id = nextRequest++;
    pending.set(id, resolve);
    frame.contentWindow.postMessage({ id, request, ...body }, platformOrigin);
  });
}

// ---------- small DOM helpers ----------

const $ = (id) => document.getElementById(id);

function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") element.className = value;
    else if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name in element && typeof value !== "string") element[name] = value;
    else element.setAttribute(name, value === true ? "" : value);
  }
  element.append(...children.flat().filter((child) => child !== undefined && child !== null && child !== false));
  return element;
}

/** `goal_setting` reads "Goal setting". */
function words(name) {
  const text = String(name).replaceAll("_", " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function when(timestamp) {
  if (!timestamp) return "";
  const date = new Date(timestamp);
  return Number.isNaN(date.valueOf()) ? String(timestamp) : date.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";
}

/** Any value of a view, for people: objects as definition lists, lists as lists. */
function describe(value) {
  if (value === null || value === undefined || value === "") return el("span", { class: "empty" }, "none");
  if (Array.isArray(value)) {
    if (value.length === 0) return el("span", { class: "empty" }, "none");
    if (value.every((item) => typeof item !== "object")) return document.createTextNode(value.join(", "));
    return el("ul", {}, value.map((item) => el("li", {}, describe(item))));
  }
  if (typeof value === "object") {
    return el("dl", {}, Object.entries(value).flatMap(([key, item]) => [el("dt", {}, words(key)), el("dd", {}, describe(item))]));
  }
  if (typeof value === "boolean") return document.createTextNode(value ? "yes" : "no");
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T/.test(value)) return document.createTextNode(when(value));
  return document.createTextNode(String(value));
}

function section(id, title, ...content) {
  return el("section", { id, "aria-labelledby": `${id}-title` }, el("h2", { id: `${id}-title` }, title), ...content);
}

function status(text, bad = false) {
  $("status").textContent = text;
  $("status").className = bad ? "bad" : "";
}

// ---------- forms generated from the schema ----------

function resolve(spec) {
  return spec.$ref ? { ...DEFS[spec.$ref.split("/").pop()], ...spec, ref: spec.$ref.split("/").pop() } : spec;
}

function lines(text) {
  return text.split("\n").map((line) => line.trim()).filter(Boolean);
}

/** One form control for a payload field: the element and how to read its value (undefined when left empty). */
function control(name, given, id, people, required) {
  const spec = resolve(given);
  const text = () => (LONG_TEXT.test(name) && !spec.ref ? el("textarea", { id, name, rows: 2 }) : el("input", { id, name }));
  if (spec.ref === "participant_id") {
    const input = el("input", { id, name, list: "people", autocomplete: "off" });
    return { element: input, read: () => input.value.trim() || undefined };
  }
  if (spec.ref === "timestamp") {
    const input = el("input", { id, name, type: "datetime-local" });
    return { element: input, read: () => (input.value ? new Date(`${input.value}Z`).toISOString().replace(".000Z", "Z") : undefined) };
  }
  if (spec.ref === "date") {
    const input = el("input", { id, name, type: "date" });
    return { element: input, read: () => input.value || undefined };
  }
  const items = spec.items ? resolve(spec.items) : null;
  if (spec.ref === "text_list" || (spec.type === "array" && items?.type === "string" && !items.enum && name !== "attendees")) {
    const area = el("textarea", { id, name, rows: 3 });
    return { element: area, hint: "One per line.", read: () => (lines(area.value).length ? lines(area.value) : undefined) };
  }
  if (spec.enum) {
    const select = el("select", { id, name }, el("option", { value: "" }, "choose…"), spec.enum.map((value) => el("option", { value }, words(value))));
    return { element: select, read: () => select.value || undefined };
  }
  if (spec.type === "boolean") {
    const box = el("input", { id, name, type: "checkbox" });
    return { element: box, inline: true, read: () => box.checked };
  }
  if (spec.type === "integer" || spec.type === "number") {
    const input = el("input", { id, name, type: "number", step: spec.type === "integer" ? 1 : "any", min: spec.minimum, max: spec.maximum });
    return { element: input, read: () => (input.value === "" ? undefined : Number(input.value)) };
  }
  if (spec.type === "array" && name === "attendees") {
    const boxes = people.map((person) => el("input", { type: "checkbox", name, value: person.id, id: `${id}-${person.id}` }));
    const group = el("fieldset", { id }, el("legend", {}, "Who was there"),
      boxes.map((box, index) => el("label", {}, box, ` ${people[index].id} (${words(people[index].role)})`)));
    return { element: group, grouped: true, read: () => boxes.filter((box) => box.checked).map((box) => box.value) };
  }
  if (spec.type === "array" && items?.enum) {
    const boxes = items.enum.map((value) => el("input", { type: "checkbox", name, value, id: `${id}-${value}` }));
    const group = el("fieldset", { id }, el("legend", {}, words(name)), boxes.map((box) => el("label", {}, box, ` ${words(box.value)}`)));
    return { element: group, grouped: true, read: () => (boxes.some((box) => box.checked) ? boxes.filter((box) => box.checked).map((box) => box.value) : undefined) };
  }
  if (spec.type === "array" && spec.items?.$ref) {
    const area = el("textarea", { id, name, rows: 3 });
    return {
      element: area,
      hint: "One action per line: id | what you will do | due date (optional, YYYY-MM-DD).",
      read: () => {
        const items = lines(area.value).map((line) => {
          const [actionId, description, due] = line.split("|").map((part) => part.trim());
          return { id: actionId, description: description ?? "", ...(due ? { due } : {}) };
        });
        return items.length ? items : undefined;
      },
    };
  }
  if (spec.type === "object" && spec.properties) {
    const boxes = Object.keys(spec.properties).map((key) => el("input", { type: "checkbox", name: key, id: `${id}-${key}` }));
    const group = el("fieldset", { id }, el("legend", {}, words(name)), boxes.map((box) => el("label", {}, box, ` ${words(box.name)}`)));
    return { element: group, grouped: true, read: () => Object.fromEntries(boxes.map((box) => [box.name, box.checked])) };
  }
  if (spec.type === "object") {
    const area = el("textarea", { id, name, rows: 3 });
    const numbers = spec.additionalProperties?.type === "number";
    return {
      element: area,
      hint: "One per line: name = value.",
      read: () => {
        const entries = lines(area.value).map((line) => {
          const [key, ...rest] = line.split("=");
          const value = rest.join("=").trim();
          return [key.trim(), numbers ? Number(value) : value];
        });
        return entries.length ? Object.fromEntries(entries) : undefined;
      },
    };
  }
  // A required text left empty is sent empty, so that the rule about it (not a bare
  // "missing field") is what the person reads.
  const input = text();
  return { element: input, read: () => (input.value.trim() === "" && !required ? undefined : input.value) };
}

/**
 * A form for the fields of one event type (or one script step): each field with its label,
 * description and the findings about it. `draft()` builds the event; `show(verdict)` places
 * each finding next to the field it names.
 */
function fieldsForm(prefix, properties, required, people) {
  const fields = [];
  // Required fields first, in the order the contract declares them; then the optional ones.
  const ordered = Object.entries(properties).sort(([a], [b]) => rank(required, a) - rank(required, b) || a.localeCompare(b));
  for (const [name, spec] of ordered) {
    if (ENVELOPE.has(name) || name === "policy" || spec.const !== undefined) continue;
    const id = `${prefix}-${name}`;
    const made = control(name, spec, id, people, required.includes(name));
    const problem = el("p", { class: "field-problem", id: `${id}-problem`, "data-problem-for": name });
    const hintText = [spec.description?.trim(), made.hint].filter(Boolean).join(" ");
    const hint = hintText ? el("p", { class: "hint", id: `${id}-hint` }, hintText) : null;
    made.element.setAttribute?.("aria-describedby", [hint && `${id}-hint`, `${id}-problem`].filter(Boolean).join(" "));
    const mark = required.includes(name) ? " (required)" : "";
    const label = made.grouped ? null : el("label", { for: id }, made.inline ? made.element : null, `${made.inline ? " " : ""}${words(name)}${mark}`);
    const wrapper = el("div", { class: "field", "data-field": name }, label, made.inline ? null : made.element, hint, problem);
    fields.push({ name, wrapper, problem, read: made.read });
  }
  return {
    elements: fields.map((field) => field.wrapper),
    values() {
      return Object.fromEntries(fields.map((field) => [field.name, field.read()]).filter(([, value]) => value !== undefined));
    },
    /** Puts each finding next to the field it is about; returns the findings about no field. */
    place(findings) {
      for (const field of fields) {
        field.problem.textContent = "";
        field.wrapper.classList.remove("has-problem");
      }
      const unplaced = [];
      for (const finding of findings) {
        const field = fields.find((candidate) => finding.message.includes(`\`${candidate.name}\``)) ??
          fields.find((candidate) => (FIELD_OF_CODE[finding.code] ?? []).includes(candidate.name)) ??
          fields.find((candidate) => new RegExp(`\\b${candidate.name}\\b`).test(finding.message));
        if (field) {
          field.problem.append(el("span", { "data-code": finding.code }, finding.message), " ");
          field.wrapper.classList.add("has-problem");
        } else {
          unplaced.push(finding);
        }
      }
      return unplaced;
    },
  };
}

function rank(required, name) {
  const index = required.indexOf(name);
  return index === -1 ? required.length : index;
}

/** Where a finding belongs when its message names no field. */
const FIELD_OF_CODE = {
  goal_not_aligned: ["org_priority"],
  goal_without_measure: ["success_measures"],
  missing_attendee: ["attendees"],
  supervisor_in_session: ["attendees"],
  third_party_in_session: ["attendees"],
  duplicate_id: ["goal", "meeting", "assessment", "rater", "actions", "survey"],
  unknown_reference: ["goal", "meeting", "action", "session", "record", "survey"],
  session_out_of_order: ["session"],
  session_limit_reached: ["session"],
  session_not_scheduled: ["session"],
  session_not_in_progress: ["session"],
  session_not_held: ["session", "record"],
  session_in_progress: ["session"],
  meeting_already_held: ["meeting"],
  agreement_not_reviewed_in_meeting: ["reviewed_on"],
  confidentiality_limits_unstated: ["limits"],
  disclosure_outside_limits: ["limit"],
  invalid_transition: ["to"],
  coach_already_assigned: ["coach"],
  discontinuation_without_discussion: ["mutual_discussion"],
};

function findingList(findings, className) {
  return findings.map((finding) => el("li", { class: className, "data-code": finding.code }, `${finding.message} (${finding.code})`));
}

/** The check of a draft against this person's redacted log. */
function verdictOf(engagement, event) {
  try {
    return engagement.check(event);
  } catch (error) {
    if (error instanceof CoachflowError) return { ok: false, violations: error.violations.length ? error.violations : [{ code: error.code, rule: "", message: error.message }], warnings: [] };
    throw error;
  }
}

function nowAfter(lastAt) {
  const now = Date.now();
  const last = lastAt ? Date.parse(lastAt) + 1000 : 0;
  return new Date(Math.max(now, last)).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * A complete event form: the fields, the findings list, and a submit button that is enabled
 * only while the draft would be accepted. `onSubmit(event)` records it. `makeEvent(values)`
 * builds the draft instead of the default (this person's event now), and may set
 * `context.engagement` to the engagement the draft is checked against.
 */
function eventForm({ id, title, type, properties, required, extra = {}, context, submitLabel, onSubmit, prefixElements = [], listFindings = true, makeEvent }) {
  const fields = fieldsForm(id, properties, required, context.people);
  const problems = el("ul", { class: "form-problems", id: `${id}-problems`, "aria-live": "polite" });
  const warnings = el("ul", { class: "warning", id: `${id}-warnings` });
  const submit = el("button", { type: "submit", id: `${id}-submit`, disabled: true }, submitLabel);
  const draft = () => makeEvent?.(fields.values()) ??
    { engagement: context.engagementId, at: nowAfter(context.lastAt), actor: context.viewer, type, ...extra, ...fields.values() };
  const validate = () => {
    const event = draft();
    const verdict = verdictOf(context.engagement, event);
    const unplaced = fields.place(verdict.violations);
    problems.replaceChildren(...(listFindings ? findingList(unplaced, "error") : []));
    warnings.replaceChildren(...findingList(verdict.ok ? verdict.warnings : [], "warning"));
    submit.disabled = !verdict.ok;
    return verdict;
  };
  const form = el("form", {
    id, "aria-label": title, novalidate: true,
    oninput: validate, onchange: validate,
    onsubmit: async (submitted) => {
      submitted.preventDefault();
      if (!validate().ok) return;
      submit.disabled = true;
      await onSubmit(draft());
    },
  }, prefixElements, fields.elements, problems, warnings, submit);
  return { form, validate };
}

// ---------- the screens ----------

async function record(viewer, event) {
  const answer = await ask("record", { viewer, event });
  if (answer.ok) {
    status(`Recorded: ${words(event.type)}${event.step ? ` (${words(event.step)})` : ""}.`);
    await showPerson(viewer);
  } else {
    status(`The platform refused it: ${answer.message}`, true);
  }
}

function timeline(view) {
  const entered = Object.fromEntries(view.stage_history.map((entry) => [entry.stage, entry.at]));
  const stages = view.stage === "discontinued" ? [...STAGES.slice(0, STAGES.indexOf(view.stage_history.at(-2)?.stage ?? "pre_work") + 1), "discontinued"] : STAGES;
  const current = stages.indexOf(view.stage);
  return el("ol", { class: "timeline", id: "timeline", "aria-label": "Stages" }, stages.map((stage, index) =>
    el("li", { class: index < current ? "done" : index === current ? "current" : "upcoming", "data-stage": stage, "aria-current": index === current ? "step" : undefined },
      words(stage), entered[stage] ? el("small", {}, when(entered[stage])) : null)));
}

function checklist(context, view) {
  const next = NEXT[view.stage];
  if (!next) return el("p", {}, `The engagement is ${words(view.stage).toLowerCase()}.`);
  const requirements = context.engagement.requirements(next);
  const advance = eventForm({
    id: "advance-form", title: `Advance to ${words(next)}`, type: "stage_advanced", properties: {}, required: [], extra: { to: next },
    context, submitLabel: `Advance to ${words(next).toLowerCase()}`, onSubmit: (event) => record(context.viewer, event),
    listFindings: false, // the checklist above already says what is missing
  });
  queueMicrotask(advance.validate);
  return el("div", {},
    el("p", {}, "Before moving to ", el("strong", { id: "next-stage" }, words(next)), ":"),
    el("ul", { class: "checklist", id: "requirements" }, requirements.map((requirement) =>
      el("li", { class: requirement.met ? "met" : "unmet", "data-code": requirement.code },
        el("span", { class: "mark", "aria-hidden": "true" }, requirement.met ? "✔" : "✘"),
        el("span", { class: "visually-hidden" }, requirement.met ? "Done: " : "Still to do: "), requirement.message))),
    context.engagement.allowedEvents(context.viewer).includes("stage_advanced") ? advance.form : null);
}

function goalsSection(view) {
  if (view.role === "program_admin") {
    return el("p", {}, `${view.goal_count} goal(s) agreed. Outcomes: `, describe(view.goal_outcomes.map(words)));
  }
  if (!view.goals.length) return el("p", { class: "empty" }, "No goals agreed yet.");
  return el("div", {}, view.goals.map((goal) => el("article", { class: "goal" },
    el("h3", {}, goal.statement),
    el("dl", {},
      el("dt", {}, "Serves"), el("dd", {}, goal.org_priority),
      el("dt", {}, "Success looks like"), el("dd", {}, describe(goal.success_measures)),
      goal.progress ? [el("dt", {}, "Progress"), el("dd", {}, describe(goal.progress.map((note) => `${note.note}${note.percent !== undefined && note.percent !== null ? ` (${note.percent}%)` : ""}`)))] : null,
      el("dt", {}, "Outcome"), el("dd", {}, words(goal.assessment?.outcome ?? goal.outcome ?? "not assessed yet"))))));
}

function sessionsSection(view) {
  if (!view.sessions.length) return el("p", { class: "empty" }, "No sessions yet.");
  const full = view.role === "coachee" || view.role === "coach";
  return el("div", {},
    el("table", { id: "sessions-table" },
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Session"), el("th", { scope: "col" }, "Planned"), el("th", { scope: "col" }, "Status"), el("th", { scope: "col" }, "Ended"))),
      el("tbody", {}, view.sessions.map((session) => el("tr", {},
        el("td", {}, String(session.number)), el("td", {}, when(session.starts_at)), el("td", {}, words(session.status)), el("td", {}, when(session.ended_at)))))),
    full ? view.sessions.filter((session) => session.steps.length).map((session) =>
      el("details", { class: "session-notes" }, el("summary", {}, `What was said in session ${session.number}`),
        session.steps.map((step) => el("div", {}, el("h3", {}, words(step.name)), describe(Object.fromEntries(Object.entries(step).filter(([key]) => key !== "name" && key !== "at"))))))) : null);
}

function listOr(items, render, empty) {
  return items.length ? el("ul", {}, items.map((item) => el("li", {}, render(item)))) : el("p", { class: "empty" }, empty);
}

function screenSections(context, screen) {
  const { view } = screen;
  const full = view.role === "coachee" || view.role === "coach";
  const actions = full ? view.actions : view.shared.actions;
  const surveys = full ? view.surveys : view.shared.surveys;
  const sections = [
    el("section", { class: "wide", id: "overview", "aria-labelledby": "overview-title" },
      el("h2", { id: "overview-title" }, `Engagement ${view.engagement}: ${words(view.stage)}`),
      timeline(view),
      el("p", {}, `Coachee ${view.participants.coachee}, supervisor ${view.participants.supervisor}, coach ${view.participants.coach ?? "not assigned yet"}.`)),
    section("next", "Next stage", checklist(context, view)),
    section("owed", "What you still owe", listOr(screen.obligations.filter((item) => item.participant === context.viewer), (item) => item.message, "Nothing right now.")),
    recordSection(context),
    sessionRunner(context, view),
    section("goals", "Goals", goalsSection(view)),
    section("sessions", "Sessions", sessionsSection(view)),
    section("actions", "Actions", listOr(actions, (action) => `${action.description}${action.due ? ` (due ${action.due})` : ""}: ${words(action.status)}`, "No actions to show.")),
    section("meetings", "Three-way meetings", listOr(view.meetings, (meeting) => `${words(meeting.kind)} on ${when(meeting.starts_at)}: ${words(meeting.status)}${meeting.attendees.length ? `, with ${meeting.attendees.join(", ")}` : ""}`, "No meetings yet.")),
    section("surveys", "360 feedback", surveys.length ? el("div", {}, surveys.map((survey) => el("article", {}, el("h3", {}, `Survey ${survey.survey}`), describe(survey)))) : el("p", { class: "empty" }, "No 360 results to show.")),
  ];
  if (!full) {
    const shared = view.shared;
    const opened = shared.sessions.length + shared.goal_progress.length + shared.assessments.length;
    sections.push(section("shared", "Shared with you by the coachee", opened ? describe({ sessions: shared.sessions, goal_progress: shared.goal_progress, assessments: shared.assessments }) : el("p", { class: "empty" }, "Nothing has been shared with you.")));
  }
  sections.push(dataSection(context));
  return sections;
}

function recordSection(context) {
  const types = context.engagement.allowedEvents(context.viewer).filter((type) => !OWN_SCREEN.has(type) && type !== "stage_advanced");
  const holder = el("div", { id: "record-form-holder" });
  const choose = el("select", { id: "event-type", onchange: () => showForm(choose.value) },
    el("option", { value: "" }, "choose…"), types.map((type) => el("option", { value: type }, words(type))));
  const showForm = (type) => {
    if (!type) return holder.replaceChildren();
    const definition = DEFS[type];
    const { form, validate } = eventForm({
      id: "event-form", title: words(type), type, properties: definition.properties, required: definition.required,
      context, submitLabel: `Record ${words(type).toLowerCase()}`, onSubmit: (event) => record(context.viewer, event),
      prefixElements: [el("p", { class: "hint" }, definition.description)],
    });
    holder.replaceChildren(form);
    validate();
  };
  return section("record", "Record something",
    types.length ? el("label", { for: "event-type" }, "What happened? ") : el("p", { class: "empty" }, "Nothing you can record at this stage."),
    types.length ? choose : null, holder);
}

/** The session runner: the script's steps in order, with the guide's prompts, for coachee and coach. */
function sessionRunner(context, view) {
  const running = (view.role === "coachee" || view.role === "coach") && view.sessions.find((session) => session.status === "in_progress");
  if (!running) return null;
  const recorded = running.steps.map((step) => step.name);
  const lastIndex = Math.max(-1, ...recorded.map((name) => SCRIPT.indexOf(name)));
  const skipped = context.skipped;
  const next = SCRIPT.find((step, index) => index > lastIndex && !skipped.has(`${running.number}:${step}`));
  const steps = el("ol", { class: "steps", id: "script-steps" }, SCRIPT.map((step) =>
    el("li", { class: recorded.includes(step) ? "done" : step === next ? "next" : "", "data-step": step }, words(step), recorded.includes(step) ? " ✔" : "")));
  const parts = [el("p", {}, `Session ${running.number} is in progress. Walk the steps in order; skip what does not apply.`), steps];
  if (next) {
    const guide = scriptGuide(next);
    const branch = DEFS.script_step.allOf.find((part) => part.if?.properties?.step?.const === next)?.then ?? { properties: {}, required: [] };
    const { form, validate } = eventForm({
      id: "step-form", title: words(next), type: "script_step", properties: branch.properties, required: branch.required ?? [],
      extra: { session: running.number, step: next }, context, submitLabel: `Record ${words(next).toLowerCase()}`,
      onSubmit: (event) => record(context.viewer, event),
      prefixElements: [el("h3", {}, words(next)), el("div", { class: "prompts" }, el("p", {}, guide.purpose), el("ul", {}, guide.questions.map((question) => el("li", {}, question))))],
    });
    const skip = el("button", { type: "button", class: "secondary", id: "skip-step", onclick: () => { skipped.add(`${running.number}:${next}`); showPerson(context.viewer); } }, "Skip this step");
    parts.push(form, skip);
    queueMicrotask(validate);
  }
  const end = eventForm({
    id: "end-form", title: "End the session", type: "session_ended", properties: {}, required: [], extra: { session: running.number },
    context, submitLabel: `End session ${running.number}`, onSubmit: (event) => record(context.viewer, event),
  });
  parts.push(end.form);
  queueMicrotask(end.validate);
  return section("runner", `Session ${running.number}`, ...parts);
}

function dataSection(context) {
  const download = async () => {
    const { jsonl } = await ask("export", { viewer: context.viewer });
    const link = el("a", { href: URL.createObjectURL(new Blob([jsonl], { type: "application/x-ndjson" })), download: `${context.engagementId}-${context.viewer}.jsonl` });
    link.click();
    URL.revokeObjectURL(link.href);
  };
  return section("data", "Your copy", el("p", {}, "Download the log as you may see it (JSON Lines)."),
    el("button", { type: "button", class: "secondary", id: "export", onclick: download }, "Export JSON Lines"));
}

// ---------- choosing who you are, and starting ----------

function startScreen() {
  const opened = DEFS.engagement_opened;
  const idField = el("div", { class: "field" }, el("label", { for: "open-engagement" }, "Engagement id (required)"), el("input", { id: "open-engagement", value: `eng-${Date.now().toString(36)}` }));
  const sessions = el("div", { class: "field" }, el("label", { for: "open-sessions" }, "Coaching sessions"), el("input", { id: "open-sessions", type: "number", min: 1, max: 52, value: 6 }));
  // Each draft is checked against a new engagement of the id typed so far.
  const context = { engagement: null, people: [] };
  const { form } = eventForm({
    id: "open", title: "Start an engagement", type: "engagement_opened", properties: opened.properties, required: opened.required,
    context, submitLabel: "Start the engagement", prefixElements: [idField, sessions],
    makeEvent: (values) => {
      const engagement = $("open-engagement").value.trim();
      context.engagement?.free();
      context.engagement = new Engagement(engagement);
      const actor = values.program_admins?.[0] ?? values.supervisor ?? "";
      return { engagement, at: nowAfter(null), actor, type: "engagement_opened", ...values, policy: { sessions: Number($("open-sessions").value) } };
    },
    onSubmit: async (event) => {
      const answer = await ask("open", { event });
      if (!answer.ok) return status(`The platform refused it: ${answer.message}`, true);
      location.search = `?as=${encodeURIComponent(event.actor)}`;
    },
  });
  form.querySelector("[data-field=program_admins] .hint")?.append(" The first programme admin (or else the supervisor) opens the engagement.");
  const sample = el("button", { type: "button", class: "secondary", id: "load-sample", onclick: async () => { await ask("sample"); location.search = ""; } }, "Load the sample engagement");
  const file = el("input", { type: "file", id: "import-file", accept: ".jsonl,.txt", onchange: async () => {
    const answer = await ask("import", { jsonl: await file.files[0].text() });
    if (answer.ok) location.search = "";
    else status(`That log cannot be imported: ${answer.message}`, true);
  } });
  return [
    section("start", "Start an engagement", form),
    section("load", "Or load one", el("p", {}, sample), el("label", { for: "import-file" }, "Import a log (JSON Lines) "), file),
  ];
}

async function showPerson(viewer) {
  const screen = await ask("screen", { viewer });
  if (screen.ok === false) {
    status(screen.message, true);
    return;
  }
  const engagement = Engagement.replay(screen.redactedLog);
  app.engagement?.free?.();
  app.engagement = engagement;
  const context = {
    engagement, engagementId: engagement.id, viewer,
    lastAt: screen.redactedLog.at(-1)?.at ?? null, people: app.people, skipped: app.skipped,
  };
  $("main").replaceChildren(...screenSections(context, screen).filter(Boolean));
  document.title = `coachflow: ${viewer} (${words(screen.view.role)})`;
}

async function main() {
  const directory = await ask("directory");
  app.people = directory.participants;
  app.skipped = new Set();
  const chosen = new URLSearchParams(location.search).get("as");
  const person = $("person");
  person.append(...app.people.map((entry) => el("option", { value: entry.id }, `${entry.id} (${words(entry.role)})`)));
  person.value = app.people.some((entry) => entry.id === chosen) ? chosen : "";
  person.addEventListener("change", () => (location.search = person.value ? `?as=${encodeURIComponent(person.value)}` : "?start"));
  document.body.append(el("datalist", { id: "people" }, app.people.map((entry) => el("option", { value: entry.id }))));
  if (!directory.engagement || !person.value) {
    $("main").replaceChildren(...(directory.engagement && !new URLSearchParams(location.search).has("start")
      ? [section("choose", "Who are you?", el("p", {}, `Engagement ${directory.engagement} is open. Choose who you are at the top to see your screen.`)), ...startScreen()]
      : startScreen()));
  } else {
    await showPerson(person.value);
  }
  $("main").setAttribute("aria-busy", "false");
  document.body.dataset.ready = "true";
}

main().catch((error) => {
  status(`Something went wrong: ${error.message}`, true);
  document.body.dataset.ready = "true";
});
