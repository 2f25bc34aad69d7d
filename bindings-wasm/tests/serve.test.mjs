// The example server serves the page, the package and the sample log, and nothing else.
import { test } from "node:test";
import assert from "node:assert/strict";
import { serve } from "../../examples/web/serve.mjs";

test("the example server serves only the example and the package", async () => {
  const server = await serve(0);
  const base = `http://127.0.0.1:${server.address().port}`;
  const get = (path) => fetch(base + path, { redirect: "manual" });
  try {
    assert.equal((await get("/examples/web/")).status, 200);
    assert.equal((await get("/bindings-wasm/pkg/coachflow_bg.wasm")).status, 200);
    assert.equal((await get("/examples/sample-engagement.jsonl")).status, 200);
    for (const hidden of ["/.git/config", "/Cargo.toml", "/examples/web/../../Cargo.toml", "/examples/%2e%2e/Cargo.toml", "/core/src/lib.rs"]) {
      assert.equal((await get(hidden)).status, 404, hidden);
    }
    for (const folder of ["/examples/web", "/"]) {
      const response = await get(folder);
      assert.equal(response.status, 301, folder);
      assert.equal(response.headers.get("location"), "/examples/web/");
    }
  } finally {
    server.close();
  }
});
