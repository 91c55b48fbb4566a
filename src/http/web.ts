/**
 * Serves the built web UI (dist/web) and falls back to its index.html for the UI's own routes,
 * so `/a/{account}/login` and `/reset-password` load the single-page app. Unknown API paths stay
 * JSON 404s; a browser asking for an unknown page gets a small HTML one (with a title and a
 * language, as screen readers need), never a bare JSON body.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { DomainError } from "../shared/errors.js";
import { sendError } from "./errors.js";

const UI_ROUTE = /^\/(?:$|a\/|reset-password|unlock|verify-email|support(?:\/|$))/;

/** Plain HTML, no script or style (the CSP allows neither inline). */
const NOT_FOUND_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Page not found · Staffgate</title>
</head>
<body>
<main>
<h1>Page not found</h1>
<p>There is no page at this address. Check the address, or start again from your business's sign-in page.</p>
<p><a href="/">Go to the Office Portal</a></p>
</main>
</body>
</html>
`;

/** A browser navigating to a page (not a script calling the API). */
function wantsPage(method: string, path: string, accept: string | undefined): boolean {
  return (method === "GET" || method === "HEAD") && !path.startsWith("/api/") && (accept ?? "").includes("text/html");
}

export async function registerWeb(
  app: FastifyInstance,
  webRoot: string,
  methods: { allowed(path: string): string[] | undefined },
): Promise<void> {
  const hasBuild = existsSync(join(webRoot, "index.html"));
  if (hasBuild) {
    await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: false, cacheControl: false });
    // Hashed asset names make these safe to cache for long.
    app.get("/assets/*", async (request, reply) => {
      reply.header("Cache-Control", "public, max-age=31536000, immutable");
      return reply.sendFile(`assets/${(request.params as { "*": string })["*"]}`);
    });
  }

  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split("?")[0] ?? "/";
    if ((request.method === "GET" || request.method === "HEAD") && UI_ROUTE.test(path)) {
      if (!hasBuild) {
        return reply
          .status(503)
          .type("text/plain")
          .send("The web UI has not been built. Run `npm run build` (or `npm start`, which builds it).");
      }
      reply.header("Cache-Control", "no-store");
      return reply.type("text/html").sendFile("index.html");
    }
    if (hasBuild && request.method === "GET" && /^\/[\w.-]+\.(?:svg|png|ico|txt|webmanifest)$/.test(path)) {
      return reply.sendFile(path.slice(1));
    }
    const allowed = methods.allowed(path);
    if (allowed) {
      reply.header("Allow", allowed.join(", "));
      return sendError(reply, new DomainError("method_not_allowed"));
    }
    if (wantsPage(request.method, path, request.headers.accept)) {
      return reply
        .status(404)
        .header("Cache-Control", "no-store")
        .type("text/html; charset=utf-8")
        .send(NOT_FOUND_PAGE);
    }
    return sendError(reply, new DomainError("not_found"));
  });
}
