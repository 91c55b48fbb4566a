/**
 * The support-agent session guard: its own cookie, scoped to /api/support, checked against the
 * support sessions table only. A portal session is never valid here, nor a support session on
 * portal paths.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { AppDeps } from "../app-deps.js";
import { SUPPORT_IDLE_TIMEOUT_SECONDS, resolveSupportSession, type SupportAgentRow } from "../modules/support/index.js";
import { DomainError } from "../shared/errors.js";

export const SUPPORT_COOKIE_PATH = "/api/support";

declare module "fastify" {
  interface FastifyRequest {
    supportAgent: SupportAgentRow | null;
  }
}

export function supportCookieName(publicUrl: URL): string {
  return publicUrl.protocol === "https:" ? "__Secure-staffgate_support" : "staffgate_support";
}

function cookieOptions(publicUrl: URL) {
  return {
    httpOnly: true,
    sameSite: "strict" as const,
    secure: publicUrl.protocol === "https:",
    path: SUPPORT_COOKIE_PATH,
  };
}

export function setSupportCookie(reply: FastifyReply, publicUrl: URL, token: string): void {
  reply.setCookie(supportCookieName(publicUrl), token, {
    ...cookieOptions(publicUrl),
    maxAge: SUPPORT_IDLE_TIMEOUT_SECONDS * 20,
  });
}

export function clearSupportCookie(reply: FastifyReply, publicUrl: URL): void {
  reply.clearCookie(supportCookieName(publicUrl), cookieOptions(publicUrl));
}

export function supportAgent(request: FastifyRequest): SupportAgentRow {
  if (!request.supportAgent) throw new Error("route is missing the support guard");
  return request.supportAgent;
}

export function createSupportGuard(deps: AppDeps) {
  const cookieName = supportCookieName(deps.config.publicUrl);
  return async (request: FastifyRequest): Promise<void> => {
    const token = request.cookies[cookieName];
    const agent = token ? await resolveSupportSession(deps.db, deps.clock, token) : undefined;
    if (!agent) throw new DomainError("unauthenticated", "Please sign in to the support console.");
    request.supportAgent = agent;
  };
}
