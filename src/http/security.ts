/**
 * Request-level defences (SECURITY.md "HTTP"): the Origin check on every unsafe request,
 * security headers with a strict CSP, and no caching of API replies.
 */
import helmet from "@fastify/helmet";
import type { FastifyInstance } from "fastify";
import { DomainError } from "../shared/errors.js";
import { sendError } from "./errors.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export async function registerSecurity(app: FastifyInstance, publicUrl: URL): Promise<void> {
  const expectedOrigin = publicUrl.origin;
  const https = publicUrl.protocol === "https:";

  // Cross-site request forgery: browsers always send Origin on unsafe requests, so anything
  // else — missing, "null", another site, the Host header's idea of us — is refused.
  app.addHook("onRequest", async (request, reply) => {
    if (SAFE_METHODS.has(request.method)) return;
    if (request.headers.origin !== expectedOrigin) {
      return sendError(reply, new DomainError("csrf_rejected"));
    }
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // Reset links carry their token in the fragment; no page of ours needs to send a Referer.
    referrerPolicy: { policy: "no-referrer" },
    hsts: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });

  app.addHook("onSend", async (request, reply, payload) => {
    if (request.url.startsWith("/api/")) reply.header("Cache-Control", "no-store");
    return payload;
  });
}
