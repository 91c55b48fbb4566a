import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { AppDeps } from "../../app-deps.js";
import { AccountParams, ErrorResponse, PasswordString, StaffSchema, StrictObject } from "../../http/schemas.js";
import {
  browserCookieName,
  clearSessionCookie,
  portalSession,
  requestContext,
  sessionCookieName,
  sessionRequestContext,
  setBrowserCookie,
  setSessionCookie,
  clearPendingCookie,
  pendingCookieName,
  setPendingCookie,
  type SessionGuard,
} from "../../http/session-auth.js";
import type { FastifyReply } from "fastify";
import { PENDING_SIGN_IN_SECONDS, consumePendingSignIn } from "../two-factor/index.js";
import type { SignedIn } from "./second-step.js";
import { sendError } from "../../http/errors.js";
import { DomainError } from "../../shared/errors.js";
import { sha256Hex } from "../../shared/hash.js";
import { getAccountContextBySlug } from "./credentials.repository.js";
import { policyFor } from "../password-policy/index.js";
import { resolveSession } from "../sessions/index.js";
import { changeOwnPassword } from "./change-own-password.js";
import { evaluateNewPassword } from "./new-password.js";
import { AuthenticationResponseSchema, toAuthenticationResponse } from "./passkeys.routes.js";
import { reauthenticate } from "./reauthenticate.js";
import { signIn } from "./sign-in.js";
import { setStaffPassword } from "./set-staff-password.js";
import { signOut } from "./sign-out.js";

const SignInBody = StrictObject({
  login: Type.String({ minLength: 1, maxLength: 320 }),
  password: PasswordString,
  staySignedIn: Type.Optional(Type.Boolean()),
});

const PasswordCheckBody = StrictObject({ password: PasswordString });
const PasswordCheckResponse = Type.Object({
  ok: Type.Boolean(),
  reasons: Type.Array(Type.String()),
  policy: Type.Object({ minLength: Type.Integer(), maxLength: Type.Integer() }),
});

const CodeString = Type.String({ minLength: 1, maxLength: 64 });
const ReauthenticateBody = Type.Union([
  StrictObject({ password: PasswordString }),
  StrictObject({ totpCode: CodeString }),
  StrictObject({ recoveryCode: CodeString }),
  // After `POST …/session/passkey-options` with this session (passkeys.routes.ts).
  StrictObject({ passkey: AuthenticationResponseSchema }),
]);

/** Sign-out clears what the browser kept for this site (W3C Clear Site Data). */
const CLEAR_SITE_DATA = '"cookies", "storage"';

const ChangeOwnPasswordBody = StrictObject({
  // Left out only by a forced change within 10 minutes of signing in (change-own-password.ts).
  currentPassword: Type.Optional(PasswordString),
  newPassword: PasswordString,
  newPasswordConfirmation: PasswordString,
});

export function credentialsRoutes(deps: AppDeps, guard: SessionGuard): FastifyPluginAsyncTypebox {
  const { publicUrl } = deps.config;
  /** The cookies of a finished sign-in, and its answer. */
  const signedIn = (reply: FastifyReply, result: SignedIn) => {
    setSessionCookie(reply, publicUrl, result.session.token, result.session.staySignedIn);
    setBrowserCookie(reply, publicUrl, result.browser.token, result.browser.maxAgeSeconds);
    clearPendingCookie(reply, publicUrl);
    return { staff: result.staff, passwordChangeRequired: result.passwordChangeRequired };
  };
  return async (app) => {
    app.post(
      "/api/accounts/:account/session",
      {
        // Load shedding at the door: while every hash slot and queue place is taken, refuse
        // before the body is even read, so a flood costs as little as possible.
        onRequest: async (_request, reply) => {
          if (deps.hasher.saturated) return sendError(reply, new DomainError("overloaded", undefined, undefined, 1));
        },
        schema: {
          summary: "Sign in to the Office Portal",
          tags: ["sessions"],
          params: AccountParams,
          body: SignInBody,
          response: {
            200: Type.Union([
              Type.Object({ staff: StaffSchema, passwordChangeRequired: Type.Boolean() }),
              Type.Object({
                secondFactorRequired: Type.Literal(true),
                methods: Type.Array(Type.String()),
                enrollmentRequired: Type.Boolean(),
              }),
            ]),
            401: ErrorResponse,
            429: ErrorResponse,
          },
        },
      },
      async (request, reply) => {
        const account = await getAccountContextBySlug(deps.db, request.params.account);
        const result = await signIn(
          deps,
          account,
          { ...request.body, staySignedIn: request.body.staySignedIn ?? false },
          {
            ...requestContext(request),
            sessionToken: request.cookies[sessionCookieName(publicUrl)],
            browserToken: request.cookies[browserCookieName(publicUrl)],
          },
        );
        if (result.kind === "second_factor_required") {
          setPendingCookie(reply, publicUrl, result.pendingToken, PENDING_SIGN_IN_SECONDS);
          return {
            secondFactorRequired: true as const,
            methods: [...result.methods],
            enrollmentRequired: result.enrollmentRequired,
          };
        }
        return signedIn(reply, result);
      },
    );

    app.delete(
      "/api/accounts/:account/session",
      {
        schema: {
          summary: "Sign out: ends this session on the server and clears the cookie",
          tags: ["sessions"],
          params: AccountParams,
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        const token = request.cookies[sessionCookieName(publicUrl)];
        const session = token ? await resolveSession(deps.db, deps, token, request.params.account) : undefined;
        if (token && session) {
          await signOut(deps, session.account, session.staff, token, requestContext(request));
        }
        // A sign-in waiting for its second step is dropped too ("Back to sign-in").
        const pendingToken = request.cookies[pendingCookieName(publicUrl)];
        if (pendingToken) await consumePendingSignIn(deps.db, sha256Hex(pendingToken), deps.clock.now());
        clearPendingCookie(reply, publicUrl);
        clearSessionCookie(reply, publicUrl);
        reply.header("Clear-Site-Data", CLEAR_SITE_DATA);
        return reply.status(204).send(null);
      },
    );

    app.post(
      "/api/accounts/:account/session/reauthenticate",
      {
        preHandler: guard.requireSession(),
        schema: {
          summary: "Re-authenticate: sudo mode for the next 10 minutes",
          tags: ["sessions"],
          params: AccountParams,
          body: ReauthenticateBody,
          response: { 204: Type.Null(), 401: ErrorResponse, 422: ErrorResponse, 429: ErrorResponse },
        },
      },
      async (request, reply) => {
        const { body } = request;
        const input = "passkey" in body ? { passkey: toAuthenticationResponse(body.passkey) } : body;
        await reauthenticate(deps, portalSession(request), input, requestContext(request));
        return reply.status(204).send(null);
      },
    );

    app.post(
      "/api/accounts/:account/password-check",
      {
        preHandler: guard.requireSession({ allowPasswordChangeRequired: true }),
        schema: {
          summary: "Check a new password for the signed-in person while they type (advisory; rate-limited)",
          tags: ["password policy"],
          params: AccountParams,
          body: PasswordCheckBody,
          response: { 200: PasswordCheckResponse, 401: ErrorResponse, 429: ErrorResponse },
        },
      },
      async (request) => {
        const session = portalSession(request);
        const wait = await deps.passwordCheckLimiter.hit(`password-check:${sha256Hex(session.token)}`);
        if (wait > 0) throw new DomainError("too_many_attempts", undefined, undefined, wait);
        const evaluation = evaluateNewPassword(deps, session.account, session.staff, request.body.password);
        return {
          ok: evaluation.ok,
          reasons: evaluation.ok ? [] : [...evaluation.reasons],
          policy: policyFor(session.account.password_min_length),
        };
      },
    );

    app.put(
      "/api/accounts/:account/me/password",
      {
        preHandler: guard.requireSession({ allowPasswordChangeRequired: true }),
        schema: {
          summary: "Change your own password; every session of yours ends",
          tags: ["sessions"],
          params: AccountParams,
          body: ChangeOwnPasswordBody,
          response: { 204: Type.Null(), 401: ErrorResponse, 422: ErrorResponse },
        },
      },
      async (request, reply) => {
        const { account, staff, recentlyAuthenticated } = portalSession(request);
        const context = sessionRequestContext(request);
        await changeOwnPassword(deps, account, staff, request.body, {
          ...context,
          session: { ...context.session, recentlyAuthenticated },
        });
        clearSessionCookie(reply, publicUrl);
        return reply.status(204).send(null);
      },
    );

    app.put(
      "/api/accounts/:account/staff/:staffId/password",
      {
        preHandler: guard.requireSession(),
        schema: {
          summary: "Set a staff member's password (Admin Access; the owner's only by the owner)",
          tags: ["staff"],
          params: StrictObject({
            account: Type.String({ minLength: 1, maxLength: 63 }),
            staffId: Type.String({ minLength: 1, maxLength: 64 }),
          }),
          body: StrictObject({
            password: PasswordString,
            mustChangeAtNextLogin: Type.Optional(Type.Boolean()),
            currentPassword: Type.Optional(PasswordString),
          }),
          response: {
            200: Type.Object({ signedOut: Type.Boolean() }),
            401: ErrorResponse,
            403: ErrorResponse,
            404: ErrorResponse,
            422: ErrorResponse,
          },
        },
      },
      async (request, reply) => {
        const session = portalSession(request);
        const result = await setStaffPassword(
          deps,
          session.account,
          session,
          request.params.staffId,
          request.body,
          sessionRequestContext(request),
        );
        if (result.signedOut) clearSessionCookie(reply, publicUrl);
        return result;
      },
    );
  };
}
