// The npm package as users get it: `npm pack` holds exactly the module, both entry points and
// the type definitions, and the packed tarball installs into a fresh project where
// `import { Engagement } from "coachflow"` works in node.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const pkg = fileURLToPath(new URL("../pkg/", import.meta.url));

test("npm pack holds the module, both entry points and the types, nothing else", (t) => {
  const scratch = (prefix) => {
    const folder = mkdtempSync(join(tmpdir(), prefix));
    t.after(() => rmSync(folder, { recursive: true, force: true }));
    return folder;
  };
  const out = scratch("coachflow-pack-");
  const [packed] = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", out], { cwd: pkg, encoding: "utf8" }));
  const files = packed.files.map((file) => file.path).sort();
  assert.deepEqual(files, [
    "README.md", "browser.js", "coachflow.d.ts", "coachflow.js", "coachflow_bg.wasm", "coachflow_bg.wasm.d.ts",
    "event.schema.json", "index.d.ts", "node.js", "package.json",
  ]);
  const manifest = JSON.parse(execFileSync("node", ["-p", "JSON.stringify(require('./package.json'))"], { cwd: pkg, encoding: "utf8" }));
  for (const field of ["license", "repository", "keywords", "engines"]) assert.ok(manifest[field], field);

  const project = scratch("coachflow-user-");
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "user", private: true, type: "module" }));
  execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--loglevel=error", join(out, packed.filename)], { cwd: project });
  writeFileSync(join(project, "main.js"), `
    import { Engagement, version } from "coachflow";
    const engagement = new Engagement("e");
    engagement.apply({ engagement: "e", at: "2026-01-05T09:00:00Z", actor: "sam", type: "engagement_opened", coachee: "cleo", supervisor: "sam" });
    console.log(version(), engagement.stage);
  `);
  const printed = execFileSync("node", ["main.js"], { cwd: project, encoding: "utf8" }).trim();
  assert.equal(printed, `${manifest.version} pre_work`);
});
