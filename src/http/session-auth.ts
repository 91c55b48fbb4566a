/**
 * The portal session guard. A route opts in with `preHandler: guard.requireSession()`; the
 * session must belong to the account in the path, so a cookie from one business is
 * `unauthenticated` on another's paths. A person who must change their password may only do
 * that (and read who they are, and sign out).
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { AppDeps } from "../app-deps.js";
import type { AccountContext } from "../modules/credentials/index.js";
import {
  STAY_SIGNED_IN_SECONDS,
  isRecentlyAuthenticated,
  resolveSession,
  whySessionEnded,
} from "../modules/sessions/index.js";
import type { StaffPrincipal } from "../modules/staff/index.js";
import { DomainError } from "../shared/errors.js";
import { sha256Hex } from "../shared/hash.js";

export interface PortalSession {
  readonly token: string;
  readonly account: AccountContext;
  readonly staff: StaffPrincipal;
  /** Signed in or re-authenticated within the last 10 minutes: sudo mode. */
  readonly recentlyAuthenticated: boolean;
}

declare module "fastify" {
  interface FastifyRequest {
    portalSession: PortalSession | null;
  }
}

export function sessionCookieName(publicUrl: URL): string {
  // __Host- binds the cookie to this exact origin over https (no Domain, Path=/).
  return publicUrl.protocol === "https:" ? "__Host-staffgate_session" : "staffgate_session";
}

export function setSessionCookie(reply: FastifyReply, publicUrl: URL, token: string, staySignedIn: boolean): void {
  reply.setCookie(sessionCookieName(publicUrl), token, {
    httpOnly: true,
    sameSite: "lax",
    secure: publicUrl.protocol === "https:",
    path: "/",
    ...(staySignedIn ? { maxAge: STAY_SIGNED_IN_SECONDS } : {}),
  });
}

export function browserCookieName(publicUrl: URL): string {
  return publicUrl.protocol === "https:" ? "__Host-staffgate_browser" : "staffgate_browser";
}

/** The trusted-browser id (sessions/trusted-browsers.ts): kept across sessions, until sign-out. */
export function setBrowserCookie(reply: FastifyReply, publicUrl: URL, token: string, maxAgeSeconds: number): void {
  reply.setCookie(browserCookieName(publicUrl), token, {
    httpOnly: true,
    sameSite: "lax",
    secure: publicUrl.protocol === "https:",
    path: "/",
    maxAge: maxAgeSeconds,
  });
}

export function pendingCookieName(publicUrl: URL): string {
  return publicUrl.protocol === "https:" ? "__Host-staffgate_pending" : "staffgate_pending";
}

/** A sign-in waiting for its second step: good for nothing else, for 5 minutes. */
export function setPendingCookie(reply: FastifyReply, publicUrl: URL, token: string, maxAgeSeconds: number): void {
  reply.setCookie(pendingCookieName(publicUrl), token, {
    httpOnly: true,
    sameSite: "lax",
    secure: publicUrl.protocol === "https:",
    path: "/",
    maxAge: maxAgeSeconds,
  });
}

export function clearPendingCookie(reply: FastifyReply, publicUrl: URL): void {
  reply.clearCookie(pendingCookieName(publicUrl), {
    httpOnly: true,
    sameSite: "lax",
    secure: publicUrl.protocol === "https:",
    path: "/",
  });
}

export function clearSessionCookie(reply: FastifyReply, publicUrl: URL): void {
  reply.clearCookie(sessionCookieName(publicUrl), {
    httpOnly: true,
    sameSite: "lax",
    secure: publicUrl.protocol === "https:",
    path: "/",
  });
}

export function requestContext(request: FastifyRequest): { ip: string | null; userAgent: string | null } {
  return { ip: request.ip ?? null, userAgent: request.headers["user-agent"] ?? null };
}

/** The request's context with its session, whose id's hash keys a signed-in person's own delays. */
export function sessionRequestContext(request: FastifyRequest) {
  return { ...requestContext(request), session: { idHash: sha256Hex(portalSession(request).token) } };
}

/** The signed-in session of a guarded route; a programming error if the guard is missing. */
export function portalSession(request: FastifyRequest): PortalSession {
  if (!request.portalSession) throw new Error("route is missing the session guard");
  return request.portalSession;
}

export interface SessionGuard {
  requireSession(options?: {
    allowPasswordChangeRequired?: boolean;
  }): (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  /** The request's live session for the account in its path, if it has one (never throws). */
  optionalSession(request: FastifyRequest): Promise<PortalSession | undefined>;
}

export function createSessionGuard(deps: AppDeps): SessionGuard {
  const cookieName = sessionCookieName(deps.config.publicUrl);
  async function find(request: FastifyRequest): Promise<PortalSession | undefined> {
    const token = request.cookies[cookieName];
    const accountSlug = (request.params as { account?: string }).account;
    if (!token || !accountSlug) return undefined;
    const session = await resolveSession(deps.db, deps, token, accountSlug);
    if (!session) return undefined;
    return {
      token,
      account: session.account,
      staff: session.staff,
      recentlyAuthenticated: isRecentlyAuthenticated(session.authenticatedAt, deps.clock.now()),
    };
  }
  /**
   * `401 unauthenticated`, with `details.reason` when a change elsewhere ended this browser's
   * session (a new password, made inactive, …), so the sign-in page can say why. Looked up only
   * here, after the cookie matched no live session: signed-in requests never pay for it.
   */
  async function unauthenticated(request: FastifyRequest): Promise<DomainError> {
    const token = request.cookies[cookieName];
    const accountSlug = (request.params as { account?: string }).account;
    const reason =
      token && accountSlug ? await whySessionEnded(deps.db, token, accountSlug, deps.clock.now()) : undefined;
    return new DomainError("unauthenticated", undefined, reason ? { reason } : undefined);
  }
  return {
    requireSession(options = {}) {
      return async (request) => {
        const session = await find(request);
        if (!session) throw await unauthenticated(request);
        if (session.staff.must_change_password === 1 && !options.allowPasswordChangeRequired) {
          throw new DomainError("password_change_required");
        }
        request.portalSession = session;
      };
    },
    optionalSession: find,
  };
}
