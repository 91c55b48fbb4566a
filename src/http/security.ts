/**
 * Request-level defences (SECURITY.md "HTTP"): the Origin check on every unsafe request,
 * security headers with a strict CSP, and no caching of API replies.
 */
import type { FastifyInstance } from "fastify";
import { DomainError } from "../shared/errors.js";
import { sendError } from "./errors.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
];

/** Strict CSP (no inline script or style), no framing, no sniffing, no referrer; HSTS under https. */
export function securityHeaders(https: boolean): Record<string, string> {
  return {
    "content-security-policy": [...CONTENT_SECURITY_POLICY, ...(https ? ["upgrade-insecure-requests"] : [])].join("; "),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    // Reset links carry their token in the fragment; no page of ours needs to send a Referer.
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "origin-agent-cluster": "?1",
    "x-dns-prefetch-control": "off",
    "x-permitted-cross-domain-policies": "none",
    ...(https ? { "strict-transport-security": "max-age=31536000; includeSubDomains" } : {}),
  };
}

/**
 * `allowedOrigins` is PUBLIC_URL's origin alone, or, with PUBLIC_URL unset outside production,
 * the loopback names of the port (config.ts): never anything taken from the request itself.
 */
export async function registerSecurity(
  app: FastifyInstance,
  publicUrl: URL,
  allowedOrigins: readonly string[] = [publicUrl.origin],
): Promise<void> {
  const expectedOrigins = new Set(allowedOrigins);
  const https = publicUrl.protocol === "https:";

  // The headers never vary, so they are computed once (rebuilding them per request through a
  // middleware chain cost ~35 µs a request in the benchmark). The hooks below run on every
  // request, so they are plain callbacks: an async hook costs a promise and a turn of the
  // microtask queue each time (docs/benchmarks.md).
  const headers = securityHeaders(https);
  app.addHook("onRequest", (request, reply, done) => {
    reply.headers(headers);
    // Cross-site request forgery: browsers always send Origin on unsafe requests, so anything
    // else — missing, "null", another site, the Host header's idea of us — is refused.
    if (!SAFE_METHODS.has(request.method)) {
      const origin = request.headers.origin;
      if (origin === undefined || !expectedOrigins.has(origin)) {
        // Answered here: the rest of the request's hooks and its handler never run.
        sendError(reply, new DomainError("csrf_rejected"));
        return;
      }
    }
    done();
  });

  app.addHook("onSend", (request, reply, payload, done) => {
    if (request.url.startsWith("/api/")) reply.header("Cache-Control", "no-store");
    done(null, payload);
  });
}
