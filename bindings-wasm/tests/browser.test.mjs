// The example web app (examples/web) in headless Chromium (Debian's, driven by
// playwright-core), through its UI only: start an engagement, walk it from pre-work to
// completed as each participant in turn (one refused draft on the way, its finding next to
// its field), type a canary into a session step as the coachee and check that neither the
// supervisor's nor the programme admin's page shows or holds it, reload, run axe-core, and
// save a screenshot of each role's screen under target/test-output/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import { serve } from "../../examples/web/serve.mjs";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const OUTPUT = new URL("../../target/test-output/", import.meta.url);
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const CANARY = "CANARY-E2E-MOOD";
const today = new Date().toISOString().slice(0, 10);

/** The app, as one browser tab: navigation, form filling and what the page holds. */
class App {
  constructor(page, url) {
    this.page = page;
    this.url = url;
    this.loaded = [];
    page.on("response", async (response) => {
      if (response.frame() !== page.mainFrame()) return;
      try {
        this.loaded.push(await response.text());
      } catch {
        // a redirect or an aborted load has no body
      }
    });
  }

  async as(person) {
    this.loaded = [];
    await this.page.goto(person ? `${this.url}?as=${person}` : this.url);
    await this.page.waitForSelector("body[data-ready=true]");
  }

  /** Waits until the page has the platform's answer to `requests` more requests, and has drawn it. */
  async settled(before, requests) {
    await this.page.waitForFunction(([count]) => window.coachflowApp.received.length >= count, [before + requests]);
    await this.page.waitForFunction(() => !document.querySelector("[aria-busy=true]"));
  }

  async received() {
    return this.page.evaluate(() => window.coachflowApp.received.length);
  }

  /** Chooses `type` in "Record something", lets `fill` fill the form, and records it. */
  async record(type, fill = async () => {}) {
    await this.page.selectOption("#event-type", type);
    await this.page.waitForSelector("#event-form");
    await fill(this.page);
    await this.submit("#event-form-submit");
  }

  async submit(button) {
    await this.page.waitForSelector(`${button}:not([disabled])`);
    const before = await this.received();
    await this.page.click(button);
    await this.settled(before, 2);
    const status = await this.page.textContent("#status");
    assert.match(status, /^Recorded/, status);
  }

  /** Schedules a three-way meeting and records it held with coachee, supervisor and coach. */
  async threeWayMeeting(meeting, kind, startsAt) {
    await this.record("meeting_scheduled", async (p) => {
      await p.fill("#event-form-meeting", meeting);
      await p.selectOption("#event-form-kind", kind);
      await p.fill("#event-form-starts_at", startsAt);
    });
    await this.record("meeting_held", async (p) => {
      await p.fill("#event-form-meeting", meeting);
      for (const person of ["cleo", "sam", "kim"]) await p.check(`#event-form-attendees-${person}`);
    });
  }

  async advance(to) {
    await this.submit("#advance-form-submit");
    assert.equal(await this.page.getAttribute("#timeline li[aria-current=step]", "data-stage"), to);
  }

  /** Everything the page holds: its text, its HTML, what it loaded, what the platform sent, its storage. */
  async everything() {
    const held = await this.page.evaluate(() => JSON.stringify({
      text: document.body.innerText,
      html: document.documentElement.outerHTML,
      received: window.coachflowApp.received,
      log: window.coachflowApp.engagement?.toJsonl() ?? "",
      storage: { ...localStorage },
      session: { ...sessionStorage },
    }));
    return held + this.loaded.join("\n");
  }

  async screenshot(name) {
    mkdirSync(OUTPUT, { recursive: true });
    const file = new URL(`web-${name}.png`, OUTPUT);
    await this.page.screenshot({ path: file.pathname, fullPage: true });
    return file.pathname;
  }

  async accessibilityProblems() {
    await this.page.addScriptTag({ path: AXE });
    const results = await this.page.evaluate(() => window.axe.run(document, { iframes: false }));
    return results.violations
      .filter((violation) => ["serious", "critical"].includes(violation.impact))
      .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(" ")).join("; ")})`);
  }
}

test("a whole engagement through the web app, each person with only their own screen", async () => {
  const sites = await serve(0);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = [];
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("console", (message) => message.type() === "error" && problems.push(message.text()));
    const app = new App(page, sites.url);

    // Start: the platform holds no engagement yet.
    await app.as();
    await page.fill("#open-engagement", "e2e-1");
    await page.fill("#open-coachee", "cleo");
    await page.fill("#open-supervisor", "sam");
    await page.fill("#open-coach", "kim");
    await page.fill("#open-program_admins", "hr");
    await page.fill("#open-sessions", "1");
    await page.waitForSelector("#open-submit:not([disabled])");
    await Promise.all([page.waitForURL(/\?as=hr$/), page.click("#open-submit")]);
    await page.waitForSelector("body[data-ready=true]");
    assert.equal(await page.getAttribute("#timeline li[aria-current=step]", "data-stage"), "pre_work");
    assert.deepEqual(await page.$$eval("#person option", (options) => options.map((option) => option.value)), ["", "cleo", "sam", "kim", "hr"]);

    // Pre-work.
    await app.as("cleo");
    const unmet = await page.$$eval("#requirements li.unmet", (items) => items.map((item) => item.dataset.code));
    assert.deepEqual(unmet.sort(), ["orientation_incomplete", "preliminary_discussion_missing"]);
    assert.ok(await page.isDisabled("#advance-form-submit"));
    await app.record("orientation_completed");
    await app.record("preliminary_goals_discussed", (p) => p.fill("#event-form-notes", "we talked about delegation"));
    await app.record("responsibilities_acknowledged");
    for (const person of ["sam", "kim"]) {
      await app.as(person);
      await app.record("responsibilities_acknowledged");
    }
    await app.advance("goal_setting");

    // Goal setting.
    await app.as("sam");
    await app.threeWayMeeting("m1", "goal_setting", `${today}T09:00`);
    await app.as("kim");
    await app.record("confidentiality_agreed", async (p) => {
      await p.fill("#event-form-reviewed_on", today);
      await p.fill("#event-form-limits", "risk of harm to anyone");
    });
    await app.as("cleo");
    // A refused draft: no organisational priority. The finding sits next to that field.
    await page.selectOption("#event-type", "goal_agreed");
    await page.fill("#event-form-goal", "g1");
    await page.fill("#event-form-statement", "Run the weekly review without me");
    await page.fill("#event-form-success_measures", "the team runs it for a month");
    await page.waitForSelector('[data-field=org_priority] .field-problem [data-code=goal_not_aligned]');
    assert.ok(await page.isDisabled("#event-form-submit"));
    assert.equal(await page.locator("#event-form-problems li").count(), 0, "the finding is not left at the form's foot");
    await page.fill("#event-form-org_priority", "Service plan 2026");
    await page.waitForFunction(() => !document.querySelector("[data-field=org_priority] .field-problem").textContent);
    await app.submit("#event-form-submit");
    await app.advance("coaching");

    // Coaching: one session, walked with the session runner.
    await app.record("session_scheduled", async (p) => {
      await p.fill("#event-form-session", "1");
      await p.fill("#event-form-starts_at", `${today}T10:00`);
    });
    await app.record("session_started", async (p) => {
      await p.fill("#event-form-session", "1");
      await p.check("#event-form-attendees-cleo");
      await p.check("#event-form-attendees-kim");
    });
    assert.equal(await page.getAttribute("#script-steps li.next", "data-step"), "check_in");
    assert.match(await page.textContent("#runner .prompts"), /\?/, "the guide's questions are shown");
    await page.fill("#step-form-mood", `${CANARY} rested and ready`);
    await app.submit("#step-form-submit");
    assert.equal(await page.getAttribute("#script-steps li.next", "data-step"), "session_goal");
    await page.fill("#step-form-outcome", "a plan for handing over the review");
    await app.submit("#step-form-submit");
    assert.deepEqual(await page.$$eval("#script-steps li.done", (items) => items.map((item) => item.dataset.step)), ["check_in", "session_goal"]);
    await app.screenshot("coachee-session-runner");
    await app.submit("#end-form-submit");
    await app.advance("final_review");

    // Final review.
    await app.as("sam");
    await app.threeWayMeeting("m2", "final_review", `${today}T15:00`);
    await app.record("goal_assessed", async (p) => {
      await p.fill("#event-form-goal", "g1");
      await p.selectOption("#event-form-outcome", "achieved");
    });
    await app.advance("completed");

    // The canary: in the coachee's and the coach's screens, nowhere in the others' pages.
    const screenshots = [];
    for (const [person, role, sees] of [["cleo", "coachee", true], ["kim", "coach", true], ["sam", "supervisor", false], ["hr", "program_admin", false]]) {
      await app.as(person);
      assert.equal(await page.getAttribute("#timeline li[aria-current=step]", "data-stage"), "completed", person);
      assert.equal((await app.everything()).includes(CANARY), sees, `${person} (${role}) ${sees ? "misses" : "holds"} the canary`);
      const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export")]);
      const exported = readFileSync(await download.path(), "utf8");
      assert.equal(exported.trim().split("\n").length, await page.evaluate(() => window.coachflowApp.engagement.eventCount), `${person}'s export has every event`);
      assert.equal(exported.includes(CANARY), sees, `${person}'s export`);
      screenshots.push(await app.screenshot(role));
      assert.deepEqual(await app.accessibilityProblems(), [], `${role}'s screen`);
    }
    console.log(`screenshots: ${screenshots.join(", ")}`);

    // The engagement survives a reload.
    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    assert.equal(await page.getAttribute("#timeline li[aria-current=step]", "data-stage"), "completed");
    assert.match(await page.textContent("#goals"), /1 goal/);

    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    sites.close();
  }
});
