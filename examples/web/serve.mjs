// A static file server for the example page. It serves only the page, the npm package built
// into bindings-wasm/pkg and the sample log; everything else in the repository answers 404.
// `node examples/web/serve.mjs [port]`, then open the printed address (run scripts/build-wasm first).
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, posix } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const PAGE = "/examples/web/";
/** URL paths that may be served: folders end with a slash, single files do not. */
const SERVED = [PAGE, "/bindings-wasm/pkg/", "/examples/sample-engagement.jsonl"];
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".jsonl": "text/plain", ".json": "application/json" };

function isServed(path) {
  return SERVED.some((allowed) => (allowed.endsWith("/") ? path.startsWith(allowed) : path === allowed));
}

export function serve(port = 0) {
  const server = createServer(async (request, response) => {
    let path;
    try {
      path = posix.normalize(decodeURIComponent(new URL(request.url, "http://localhost").pathname));
    } catch {
      response.writeHead(400).end("bad request");
      return;
    }
    // A folder asked for without its slash (or the bare server) goes to the page's folder.
    if (path === "/" || SERVED.includes(`${path}/`)) {
      response.writeHead(301, { location: path === "/" ? PAGE : `${path}/` }).end();
      return;
    }
    if (!isServed(path) || path.split("/").some((part) => part.startsWith("."))) {
      response.writeHead(404).end("not found");
      return;
    }
    const file = join(ROOT, path.endsWith("/") ? join(path, "index.html") : path);
    try {
      const body = await readFile(file);
      response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      response.writeHead(404).end("not found");
    }
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = await serve(Number(process.argv[2] ?? 8080));
  console.log(`http://127.0.0.1:${server.address().port}${PAGE}`);
}
