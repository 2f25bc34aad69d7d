// Bundles the example app with esbuild, resolving `coachflow` through the npm package's
// `exports` (installed from bindings-wasm/pkg, the package scripts/build-wasm builds), and
// copies the WebAssembly module next to the bundles: `node examples/web/build.mjs`.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL("./", import.meta.url));
const dist = `${here}dist/`;
mkdirSync(dist, { recursive: true });
await build({
  entryPoints: { app: `${here}src/app.js`, platform: `${here}src/platform.js` },
  outdir: dist,
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  sourcemap: true,
  logLevel: "warning",
});
// The package's browser entry fetches coachflow_bg.wasm next to the importing module.
const packageDir = realpathSync(`${here}node_modules/coachflow`);
copyFileSync(`${packageDir}/coachflow_bg.wasm`, `${dist}coachflow_bg.wasm`);
console.log(`built ${dist}app.js and ${dist}platform.js`);
