import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { AppDeps } from "../../app-deps.js";
import { AccountParams, ErrorResponse, PasswordString, StrictObject } from "../../http/schemas.js";
import {
  browserCookieName,
  portalSession,
  requestContext,
  setBrowserCookie,
  type SessionGuard,
} from "../../http/session-auth.js";
import { IDEMPOTENCY_KEY_PATTERN, runIdempotent, type IdempotentScope } from "../idempotency/index.js";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Transaction } from "kysely";
import type { Database } from "../../db/database.js";
import { DomainError } from "../../shared/errors.js";
import { sha256Hex } from "../../shared/hash.js";
import { checkResetPassword, completeReset, lookupReset } from "./complete-reset.js";
import { sendResetLinkByEmail, sendResetLinkBySms, type SendResetInput } from "./send-reset-link.js";
import { completeUnlock } from "./unlock-login.js";

/** The one reply to every reset request, whoever asked and whatever happens next. */
export const RESET_REQUESTED_MESSAGE =
  "If that username or email belongs to a staff member here, we've sent a link to reset the password to their primary email. It works for 30 minutes.";

// Generous: a mangled or made-up token is a 410 like any other bad link, not a 400.
const TokenString = Type.String({ minLength: 1, maxLength: 2000 });
const PolicySchema = Type.Object({ minLength: Type.Integer(), maxLength: Type.Integer() });

const StaffParams = StrictObject({
  account: Type.String({ minLength: 1, maxLength: 63 }),
  staffId: Type.String({ minLength: 1, maxLength: 64 }),
});
const IdempotencyHeaders = Type.Object({ "idempotency-key": Type.Optional(Type.String({ maxLength: 200 })) });
const SendErrors = {
  401: ErrorResponse,
  402: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
  409: ErrorResponse,
  422: ErrorResponse,
};

/** The Idempotency-Key scope of a request, or none when the client sent no key. */
function idempotencyScope(request: FastifyRequest): IdempotentScope | undefined {
  const key = request.headers["idempotency-key"];
  if (typeof key !== "string") return undefined;
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new DomainError("validation_failed", undefined, {
      fields: { "Idempotency-Key": "8 to 128 visible ASCII characters, e.g. a UUID" },
    });
  }
  const { staff } = portalSession(request);
  return {
    accountId: staff.account_id,
    actorId: staff.id,
    key,
    fingerprint: `${request.method} ${request.url.split("?")[0]}`,
  };
}

export function passwordResetRoutes(deps: AppDeps, guard: SessionGuard): FastifyPluginAsyncTypebox {
  /** Both reset buttons: once per Idempotency-Key, then wake the outbox. */
  async function sendLink<T>(
    request: FastifyRequest,
    staffId: string,
    reply: FastifyReply,
    send: (tx: Transaction<Database>, deps: AppDeps, input: SendResetInput) => Promise<T>,
  ) {
    const input = { actor: portalSession(request).staff, staffId, ip: requestContext(request).ip };
    const answer = await runIdempotent(deps, idempotencyScope(request), 202, (tx) => send(tx, deps, input));
    deps.notifyOutbox();
    return reply.status(answer.statusCode).send(answer.body);
  }

  return async (app) => {
    app.post(
      "/api/accounts/:account/staff/:staffId/password-reset-email",
      {
        preHandler: guard.requireSession(),
        schema: {
          summary: "Reset Password Via Email: send the staff member a reset link (Admin Access; Idempotency-Key)",
          tags: ["password resets"],
          params: StaffParams,
          headers: IdempotencyHeaders,
          response: { 202: Type.Object({ sentTo: Type.String() }), ...SendErrors },
        },
      },
      (request, reply) => sendLink(request, request.params.staffId, reply, sendResetLinkByEmail),
    );

    app.post(
      "/api/accounts/:account/staff/:staffId/password-reset-sms",
      {
        preHandler: guard.requireSession(),
        schema: {
          summary:
            "Reset Password Via SMS: text the staff member a reset link for 1 SMS credit (Admin Access; Idempotency-Key)",
          tags: ["password resets"],
          params: StaffParams,
          headers: IdempotencyHeaders,
          response: {
            202: Type.Object({ sentTo: Type.String(), smsCreditsRemaining: Type.Integer() }),
            ...SendErrors,
            // SMS_PER_PERSON_PER_HOUR / SMS_PER_BUSINESS_PER_HOUR reached: Retry-After, nothing charged.
            429: ErrorResponse,
          },
        },
      },
      (request, reply) => sendLink(request, request.params.staffId, reply, sendResetLinkBySms),
    );

    app.post(
      "/api/accounts/:account/password-resets",
      {
        schema: {
          summary: "Forgot Password: email a reset link (the same 202 for every input)",
          tags: ["password resets"],
          params: AccountParams,
          body: StrictObject({ login: Type.String({ minLength: 1, maxLength: 320 }) }),
          response: {
            // `supportContact`: shown to everyone, so that an owner who can't get in knows whom to
            // call, without the reply telling whether the login was the owner's.
            202: Type.Object({ message: Type.String(), supportContact: Type.String() }),
          },
        },
      },
      async (request, reply) => {
        // Queued, not awaited: nothing about the reply (body, headers, time) depends on the login.
        const accepted = deps.resetRequests.submit({
          accountSlug: request.params.account,
          login: request.body.login,
          ip: requestContext(request).ip,
        });
        if (!accepted) request.log.warn("reset request queue full; request dropped");
        return reply.status(202).send({ message: RESET_REQUESTED_MESSAGE, supportContact: deps.config.supportContact });
      },
    );

    app.post(
      "/api/password-resets/lookup",
      {
        schema: {
          summary: "What a reset link is for (changes nothing)",
          tags: ["password resets"],
          body: StrictObject({ token: TokenString }),
          response: {
            200: Type.Object({
              account: Type.Object({ slug: Type.String(), name: Type.String() }),
              username: Type.String(),
              expiresAt: Type.String(),
              policy: PolicySchema,
            }),
            410: ErrorResponse,
          },
        },
      },
      async (request) => lookupReset(deps, request.body.token),
    );

    app.post(
      "/api/password-resets/check",
      {
        schema: {
          summary: "Check a new password against the policy while it is typed on the reset page (rate-limited)",
          tags: ["password resets"],
          body: StrictObject({ token: TokenString, password: PasswordString }),
          response: {
            200: Type.Object({ ok: Type.Boolean(), reasons: Type.Array(Type.String()), policy: PolicySchema }),
            410: ErrorResponse,
            429: ErrorResponse,
          },
        },
      },
      async (request) => {
        const wait = await deps.passwordCheckLimiter.hit(`reset-check:${sha256Hex(request.body.token)}`);
        if (wait > 0) throw new DomainError("too_many_attempts", undefined, undefined, wait);
        return checkResetPassword(deps, request.body.token, request.body.password);
      },
    );

    app.post(
      "/api/login-unlocks/complete",
      {
        schema: {
          summary: "Open an unlock link: lifts the lock on a sign-in (changes no password) and trusts this browser",
          tags: ["password resets"],
          body: StrictObject({ token: TokenString }),
          response: {
            200: Type.Object({
              account: Type.Object({ slug: Type.String(), name: Type.String() }),
              username: Type.String(),
            }),
            410: ErrorResponse,
          },
        },
      },
      async (request, reply) => {
        const { publicUrl } = deps.config;
        const result = await completeUnlock(deps, request.body.token, {
          ...requestContext(request),
          browserToken: request.cookies[browserCookieName(publicUrl)],
        });
        setBrowserCookie(reply, publicUrl, result.browserToken, result.browserMaxAgeSeconds);
        return { account: result.account, username: result.username };
      },
    );

    app.post(
      "/api/password-resets/complete",
      {
        schema: {
          summary: "Set the new password with a reset link; signs nobody in",
          tags: ["password resets"],
          body: StrictObject({ token: TokenString, password: PasswordString, passwordConfirmation: PasswordString }),
          response: { 204: Type.Null(), 410: ErrorResponse, 422: ErrorResponse },
        },
      },
      async (request, reply) => {
        await completeReset(deps, request.body, requestContext(request));
        return reply.status(204).send(null);
      },
    );
  };
}
