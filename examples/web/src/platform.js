// The platform's side of the example: what an HR platform's server does, in a frame of its
// own origin. It keeps the whole log in this origin's localStorage and answers the app's
// requests with only what the asking person may see: their view, their obligations and
// their redacted log. Every rule is coachflow's.
import { Engagement, CoachflowError } from "coachflow";

const STORAGE_KEY = "coachflow-example-engagement";
const appOrigin = new URLSearchParams(location.search).get("app");
let engagement = null;

function load() {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved) engagement = Engagement.replay(saved);
}

function save() {
  localStorage.setItem(STORAGE_KEY, engagement.toJsonl());
}

function participants() {
  if (!engagement || engagement.eventCount === 0) return [];
  // Who takes part is in every participant's view; any current participant's view lists them.
  const { coachee, supervisor, coach, program_admins: admins } = engagement.viewAs("coachee").participants;
  return [
    { id: coachee, role: "coachee" },
    { id: supervisor, role: "supervisor" },
    ...(coach ? [{ id: coach, role: "coach" }] : []),
    ...(admins ?? []).map((id) => ({ id, role: "program_admin" })),
  ];
}

function today() {
  return new Date().toISOString().slice(0, 10);
}

/** One person's screen: their view, what they owe, and the log as they may hold it. */
function screen(viewer) {
  return {
    view: engagement.view(viewer),
    obligations: engagement.obligations(today(), viewer),
    redactedLog: engagement.redactedLog(viewer),
  };
}

function failure(error) {
  if (error instanceof CoachflowError) {
    return { ok: false, code: error.code, message: error.message, violations: error.violations };
  }
  return { ok: false, code: "internal", message: String(error), violations: [] };
}

const requests = {
  directory: () => ({ engagement: engagement?.id ?? null, participants: participants() }),
  screen: ({ viewer }) => screen(viewer),
  // A person records an event: the platform checks it against the whole log. The example
  // trusts the app to say who is asking; a real platform takes it from the login.
  record: ({ viewer, event }) => {
    if (event.actor !== viewer) return { ok: false, code: "actor_not_permitted", message: "you record events as yourself", violations: [] };
    const warnings = engagement.apply(event);
    save();
    return { ok: true, warnings };
  },
  open: ({ event }) => {
    const fresh = new Engagement(event.engagement);
    fresh.apply(event);
    engagement = fresh;
    save();
    return { ok: true };
  },
  import: ({ jsonl }) => {
    engagement = Engagement.replay(jsonl);
    save();
    return { ok: true, events: engagement.eventCount };
  },
  sample: async () => {
    const text = await (await fetch("sample-engagement.jsonl")).text();
    engagement = Engagement.replay(text);
    save();
    return { ok: true, events: engagement.eventCount };
  },
  export: ({ viewer }) => ({ jsonl: engagement.redactedLog(viewer).map((event) => JSON.stringify(event)).join("\n") + "\n" }),
};

addEventListener("message", async (message) => {
  if (message.origin !== appOrigin || message.source !== parent) return;
  const { id, request, ...body } = message.data ?? {};
  let answer;
  try {
    const handle = requests[request];
    answer = handle ? await handle(body) : { ok: false, code: "invalid_argument", message: `no request ${request}`, violations: [] };
  } catch (error) {
    answer = failure(error);
  }
  parent.postMessage({ id, answer }, appOrigin);
});

try {
  load();
} catch {
  localStorage.removeItem(STORAGE_KEY);
}
parent.postMessage({ ready: true }, appOrigin);
