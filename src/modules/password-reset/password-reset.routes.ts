import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { AppDeps } from "../../app-deps.js";
import { AccountParams, ErrorResponse, PasswordString, StrictObject } from "../../http/schemas.js";
import { requestContext } from "../../http/session-auth.js";
import { DomainError } from "../../shared/errors.js";
import { sha256Hex } from "../../shared/hash.js";
import { checkResetPassword, completeReset, lookupReset } from "./complete-reset.js";

/** The one reply to every reset request, whoever asked and whatever happens next. */
export const RESET_REQUESTED_MESSAGE =
  "If that username or email belongs to a staff member here, we've sent a link to reset the password to their primary email. It works for 30 minutes.";

const TokenString = Type.String({ minLength: 1, maxLength: 200 });
const PolicySchema = Type.Object({ minLength: Type.Integer(), maxLength: Type.Integer() });

export function passwordResetRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      "/api/accounts/:account/password-resets",
      {
        schema: {
          summary: "Forgot Password: email a reset link (the same 202 for every input)",
          tags: ["password resets"],
          params: AccountParams,
          body: StrictObject({ login: Type.String({ minLength: 1, maxLength: 320 }) }),
          response: { 202: Type.Object({ message: Type.String() }) },
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
        return reply.status(202).send({ message: RESET_REQUESTED_MESSAGE });
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
