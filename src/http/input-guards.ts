/**
 * Hostile input answers 4xx, never 500 (issue: "hostile input never answers 500"):
 * - JSON bodies are parsed strictly (json-body.ts);
 * - a NUL (U+0000) anywhere in the path, the query or the body is `400 validation_failed`
 *   (PostgreSQL refuses NUL in text; nothing of ours needs it), and so is a lone surrogate in
 *   anything but a password (which the password policy answers for);
 * - a path that exists with other methods is `405` with `Allow`; a body of a type we don't take
 *   is `415`.
 */
import type { FastifyInstance } from "fastify";
import { DomainError } from "../shared/errors.js";
import { parseJsonBody } from "./json-body.js";

const PASSWORD_FIELDS = new Set([
  "password",
  "currentPassword",
  "newPassword",
  "newPasswordConfirmation",
  "passwordConfirmation",
]);

/** The first field holding a NUL (or, outside passwords, a lone surrogate), by its dotted path. */
export function findBadString(value: unknown, path: string): string | undefined {
  if (typeof value === "string") {
    if (value.includes("\u0000")) return path;
    const field = path.slice(path.lastIndexOf(".") + 1);
    if (!PASSWORD_FIELDS.has(field) && !value.isWellFormed()) return path;
    return undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = findBadString(value[i], `${path}.${i}`);
      if (bad) return bad;
    }
    return undefined;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      if (key.includes("\u0000") || !key.isWellFormed()) return `${path}.(key)`;
      const bad = findBadString(child, `${path}.${key}`);
      if (bad) return bad;
    }
  }
  return undefined;
}

export function registerInputGuards(app: FastifyInstance): void {
  // JSON only: a text/plain body is a 415, not a string that fails validation.
  app.removeContentTypeParser(["application/json", "text/plain"]);
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  });

  app.addHook("preValidation", async (request) => {
    const bad =
      findBadString(request.params, "params") ??
      findBadString(request.query, "query") ??
      findBadString(request.body, "body");
    if (bad) {
      const field = bad.replace(/^(params|query|body)\./, "");
      throw new DomainError("validation_failed", undefined, {
        fields: { [field]: "contains a character that isn't allowed (NUL or a broken Unicode sequence)" },
      });
    }
  });
}

/** Every route's path pattern and its methods, to tell 405 from 404. */
export function createMethodIndex(app: FastifyInstance) {
  const routes: Array<{ pattern: RegExp; methods: Set<string> }> = [];
  app.addHook("onRoute", (route) => {
    if (route.url.includes("*")) return;
    const source = route.url
      .split("/")
      .map((part) => (part.startsWith(":") ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
      .join("/");
    const pattern = new RegExp(`^${source}/?$`);
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const existing = routes.find((entry) => entry.pattern.source === pattern.source);
    if (existing) for (const method of methods) existing.methods.add(method);
    else routes.push({ pattern, methods: new Set(methods) });
  });
  return {
    /** The methods a path answers to, or undefined when no route has that path. */
    allowed(path: string): string[] | undefined {
      const entry = routes.find((route) => route.pattern.test(path));
      return entry ? [...entry.methods].sort() : undefined;
    },
  };
}
