// The example page in headless Chromium (Debian's, driven by playwright-core): load the sample,
// record an event that is refused and then accepted, advance a stage, and check that the
// supervisor's view holds no session content.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { serve } from "../../examples/web/serve.mjs";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const OUTPUT = new URL("../../target/test-output/", import.meta.url);

test("the web page validates, records, advances and hides session notes from the supervisor", async () => {
  const server = await serve(0);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("console", (message) => message.type() === "error" && problems.push(message.text()));
    await page.goto(`http://127.0.0.1:${server.address().port}/examples/web/`);
    await page.waitForSelector("body[data-ready=true]");

    assert.equal(await page.textContent("#stage"), "coaching");
    assert.equal(await page.textContent("#next-stage"), "final_review");
    assert.ok(await page.isDisabled("#advance"));
    const unmet = await page.$$eval("#requirements li.unmet", (items) => items.map((item) => item.dataset.code));
    assert.deepEqual(unmet.sort(), ["open_sessions", "sessions_remaining"]);

    // The supervisor may not end a session: refused inline, then on record.
    await page.selectOption("#event-type", "session_ended");
    await page.fill("#event-fields", '{"session": 6}');
    await page.selectOption("#event-actor", "sam");
    await page.waitForSelector('#violations li[data-code="actor_not_permitted"]');
    await page.click("#record-button");
    assert.match(await page.textContent("#record-result"), /refused: .*actor_not_permitted/);
    assert.equal(await page.textContent("#event-count"), "76");

    // The coach may.
    await page.selectOption("#event-actor", "kim");
    await page.waitForFunction(() => document.querySelectorAll("#violations li").length === 0);
    await page.click("#record-button");
    assert.match(await page.textContent("#record-result"), /^recorded session_ended/);
    assert.equal(await page.textContent("#event-count"), "77");

    // Every requirement met: advance.
    assert.equal(await page.locator("#requirements li.unmet").count(), 0);
    assert.ok(await page.isEnabled("#advance"));
    await page.click("#advance");
    assert.equal(await page.textContent("#stage"), "final_review");

    await page.selectOption("#view-role", "coachee");
    assert.match(await page.textContent("#view"), /CANARY-MOOD/);
    await page.selectOption("#view-role", "supervisor");
    const supervisor = await page.textContent("#view");
    assert.match(supervisor, /"role": "supervisor"/);
    for (const marker of ["CANARY-MOOD", "CANARY-OUTCOME", "CANARY-FEEDBACK-COMMENT"]) {
      assert.ok(!supervisor.includes(marker), `the supervisor sees ${marker}`);
    }

    mkdirSync(OUTPUT, { recursive: true });
    const screenshot = new URL("web-page.png", OUTPUT);
    await page.screenshot({ path: screenshot.pathname, fullPage: true });
    console.log(`screenshot: ${screenshot.pathname}`);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    server.close();
  }
});
