// The example's two sites: the app serves the app and the platform's address, the platform
// serves the platform and the sample log; neither serves anything else, and the app's site
// never serves the log.
import { test } from "node:test";
import assert from "node:assert/strict";
import { serve } from "../../examples/web/serve.mjs";

test("each site of the example serves only its own files", async () => {
  const sites = await serve(0);
  const app = (path) => fetch(`http://127.0.0.1:${sites.app.address().port}${path}`, { redirect: "manual" });
  const platform = (path) => fetch(`http://127.0.0.1:${sites.platform.address().port}${path}`, { redirect: "manual" });
  try {
    for (const path of ["/", "/style.css", "/dist/app.js", "/dist/coachflow_bg.wasm"]) {
      assert.equal((await app(path)).status, 200, path);
    }
    assert.deepEqual(await (await app("/platform.json")).json(), { origin: `http://127.0.0.1:${sites.platform.address().port}` });
    for (const path of ["/platform.html", "/dist/platform.js", "/sample-engagement.jsonl"]) {
      assert.equal((await platform(path)).status, 200, path);
      assert.equal((await app(path)).status, 404, `the app's site serves ${path}`);
    }
    for (const hidden of ["/.git/config", "/../../Cargo.toml", "/%2e%2e/serve.mjs", "/serve.mjs", "/src/app.js", "/package.json"]) {
      assert.equal((await app(hidden)).status, 404, hidden);
      assert.equal((await platform(hidden)).status, 404, hidden);
    }
  } finally {
    sites.close();
  }
});
