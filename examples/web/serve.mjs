// Serves the example app as two sites on two ports, so that the browser itself keeps them
// apart:
// - the platform (platform.html): stands in for an HR platform's server. It keeps the whole
//   engagement log (in its own origin's localStorage) and hands each person only their view
//   and their redacted log.
// - the app (index.html): one person's screen. It can reach nothing of the platform's but
//   the messages the platform sends it, and it never loads the log itself.
// `node examples/web/serve.mjs [port]` after `node examples/web/build.mjs`, then open the
// printed address. The platform listens on the next port.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, posix } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("./", import.meta.url));
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".jsonl": "text/plain", ".json": "application/json" };

/** The files each site serves, by URL path; everything else answers 404. */
const APP_FILES = {
  "/": "index.html",
  "/style.css": "style.css",
  "/dist/app.js": "dist/app.js",
  "/dist/coachflow_bg.wasm": "dist/coachflow_bg.wasm",
};
const PLATFORM_FILES = {
  "/platform.html": "platform.html",
  "/dist/platform.js": "dist/platform.js",
  "/dist/coachflow_bg.wasm": "dist/coachflow_bg.wasm",
  "/sample-engagement.jsonl": "../sample-engagement.jsonl",
};

function site(files, extra = {}) {
  return createServer(async (request, response) => {
    let path;
    try {
      path = posix.normalize(decodeURIComponent(new URL(request.url, "http://localhost").pathname));
    } catch {
      response.writeHead(400).end("bad request");
      return;
    }
    if (path in extra) {
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(extra[path]()));
      return;
    }
    const file = files[path];
    if (!file) {
      response.writeHead(404).end("not found");
      return;
    }
    try {
      const body = await readFile(join(ROOT, file));
      response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      response.writeHead(404).end("not found");
    }
  });
}

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

/**
 * Starts the platform and the app. Port 0 picks free ports. Returns `{ app, platform, url,
 * close() }` where `url` is the app's address.
 */
export async function serve(port = 0) {
  const platform = await listen(site(PLATFORM_FILES), port === 0 ? 0 : port + 1);
  const platformOrigin = `http://127.0.0.1:${platform.address().port}`;
  const app = await listen(site(APP_FILES, { "/platform.json": () => ({ origin: platformOrigin }) }), port);
  return {
    app,
    platform,
    url: `http://127.0.0.1:${app.address().port}/`,
    close() {
      app.close();
      platform.close();
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url } = await serve(Number(process.argv[2] ?? 8080));
  console.log(url);
}
