/**
 * Two-factor sign-in over HTTP (API.md v2, "two-factor sign-in"): the second step of a sign-in,
 * enrolling an authenticator app (with a session, or during a sign-in when the business requires
 * it), removing it, new recovery codes, and an admin's reset of someone's second factors.
 */
import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { AppDeps } from "../../app-deps.js";
import { AccountParams, ErrorResponse, StaffSchema, StrictObject } from "../../http/schemas.js";
import {
  browserCookieName,
  clearPendingCookie,
  pendingCookieName,
  portalSession,
  requestContext,
  sessionCookieName,
  setBrowserCookie,
  setSessionCookie,
  type SessionGuard,
} from "../../http/session-auth.js";
import { DomainError } from "../../shared/errors.js";
import { requireRecentAuthentication } from "../permissions/index.js";
import { getAccountContextBySlug } from "./credentials.repository.js";
import { findStaffById, fullName, listAdminAccessMembers } from "../staff/index.js";
import { revokeAllSessionsOfStaff } from "../sessions/index.js";
import {
  deletePendingSignInsOfStaff,
  regenerateRecoveryCodes,
  removeAllSecondFactors,
  removeOwnTotp,
  requireMayResetTwoFactor,
  startTotpEnrolment,
} from "../two-factor/index.js";
import {
  completeSecondFactor,
  confirmEnrolmentAndSignIn,
  requireEnrolmentDue,
  factorOwner,
  pendingSignIn,
  type SignedIn,
} from "./second-step.js";
import { confirmTotpEnrolment } from "../two-factor/index.js";

const CodeString = Type.String({ minLength: 1, maxLength: 64 });
const SecondFactorBody = Type.Union([
  StrictObject({ totpCode: CodeString }),
  StrictObject({ recoveryCode: CodeString }),
]);
const SignedInResponse = Type.Object({ staff: StaffSchema, passwordChangeRequired: Type.Boolean() });
const RecoveryCodes = Type.Object({ recoveryCodes: Type.Array(Type.String()) });
const Errors = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
  409: ErrorResponse,
  429: ErrorResponse,
};

export function twoFactorRoutes(deps: AppDeps, guard: SessionGuard): FastifyPluginAsyncTypebox {
  const { publicUrl } = deps.config;
  const browser = (request: FastifyRequest) => ({
    ...requestContext(request),
    sessionToken: request.cookies[sessionCookieName(publicUrl)],
    browserToken: request.cookies[browserCookieName(publicUrl)],
  });
  const signedIn = (reply: FastifyReply, result: SignedIn) => {
    setSessionCookie(reply, publicUrl, result.session.token, result.session.staySignedIn);
    setBrowserCookie(reply, publicUrl, result.browser.token, result.browser.maxAgeSeconds);
    clearPendingCookie(reply, publicUrl);
    return { staff: result.staff, passwordChangeRequired: result.passwordChangeRequired };
  };
  /** The signed-in person, or (enrolment during sign-in) the person of the pending sign-in. */
  async function enrollingPerson(request: FastifyRequest) {
    const account = await getAccountContextBySlug(deps.db, (request.params as { account: string }).account);
    const session = await guard.optionalSession(request);
    if (session) {
      // Signed in, adding a way in is a sensitive change: sudo mode (a stolen session must not
      // set up its own app and then confirm "it's you" with it), and never during a forced change.
      if (session.staff.must_change_password === 1) throw new DomainError("password_change_required");
      requireRecentAuthentication(session, "set up an authenticator app");
      return { account, staff: session.staff, pending: false };
    }
    const { pending, staff } = await pendingSignIn(deps, account, request.cookies[pendingCookieName(publicUrl)]);
    // Only a sign-in that must set up its first factor may: otherwise the password alone would
    // set up a new app and skip the second step the person already has (a passkey, say).
    requireEnrolmentDue(pending);
    return { account, staff, pending: true };
  }

  return async (app) => {
    app.post(
      "/api/accounts/:account/session/second-factor",
      {
        schema: {
          summary: "The second step of a sign-in: an authenticator code or a recovery code",
          tags: ["two-factor"],
          params: AccountParams,
          body: SecondFactorBody,
          response: { 200: SignedInResponse, ...Errors },
        },
      },
      async (request, reply) => {
        const account = await getAccountContextBySlug(deps.db, request.params.account);
        const pendingToken = request.cookies[pendingCookieName(publicUrl)];
        const result = await completeSecondFactor(deps, account, pendingToken, request.body, browser(request));
        return signedIn(reply, result);
      },
    );

    app.post(
      "/api/accounts/:account/me/totp",
      {
        schema: {
          summary: "Start setting up an authenticator app (signed in, or during a sign-in that requires it)",
          tags: ["two-factor"],
          params: AccountParams,
          body: StrictObject({}),
          response: {
            200: Type.Object({ secret: Type.String(), otpauthUri: Type.String(), qrSvg: Type.String() }),
            ...Errors,
          },
        },
      },
      async (request) => {
        const { account, staff } = await enrollingPerson(request);
        return startTotpEnrolment(deps, factorOwner(account, staff));
      },
    );

    app.put(
      "/api/accounts/:account/me/totp",
      {
        schema: {
          summary: "Confirm the authenticator app with its first code; returns 10 recovery codes, shown once",
          tags: ["two-factor"],
          params: AccountParams,
          body: StrictObject({ totpCode: CodeString }),
          response: {
            200: Type.Intersect([
              RecoveryCodes,
              Type.Partial(Type.Object({ signedIn: Type.Boolean(), ...SignedInResponse.properties })),
            ]),
            ...Errors,
          },
        },
      },
      async (request, reply) => {
        const { account, staff, pending } = await enrollingPerson(request);
        if (!pending) {
          return confirmTotpEnrolment(
            deps,
            factorOwner(account, staff),
            request.body.totpCode,
            requestContext(request).ip,
          );
        }
        const pendingToken = request.cookies[pendingCookieName(publicUrl)];
        const result = await confirmEnrolmentAndSignIn(
          deps,
          account,
          pendingToken,
          request.body.totpCode,
          browser(request),
        );
        return { recoveryCodes: result.recoveryCodes, signedIn: true, ...signedIn(reply, result) };
      },
    );

    app.delete(
      "/api/accounts/:account/me/totp",
      {
        preHandler: guard.requireSession(),
        schema: {
          summary: "Remove your authenticator app (sudo mode)",
          tags: ["two-factor"],
          params: AccountParams,
          response: { 204: Type.Null(), ...Errors },
        },
      },
      async (request, reply) => {
        const session = portalSession(request);
        await removeOwnTotp(
          deps,
          {
            person: factorOwner(session.account, session.staff),
            recentlyAuthenticated: session.recentlyAuthenticated,
            businessRequiresIt: session.account.require_two_factor === 1,
          },
          requestContext(request).ip,
        );
        return reply.status(204).send(null);
      },
    );

    app.post(
      "/api/accounts/:account/me/recovery-codes",
      {
        preHandler: guard.requireSession(),
        schema: {
          summary: "New recovery codes, replacing the old ones (sudo mode)",
          tags: ["two-factor"],
          params: AccountParams,
          response: { 200: RecoveryCodes, ...Errors },
        },
      },
      async (request) => {
        const session = portalSession(request);
        return regenerateRecoveryCodes(
          deps,
          { person: factorOwner(session.account, session.staff), recentlyAuthenticated: session.recentlyAuthenticated },
          requestContext(request).ip,
        );
      },
    );

    app.delete(
      "/api/accounts/:account/staff/:staffId/two-factor",
      {
        preHandler: guard.requireSession(),
        schema: {
          summary:
            "Lost phone: remove every second factor of a staff member (Admin Access, sudo mode; the owner's only by the owner)",
          tags: ["two-factor"],
          params: StrictObject({
            account: Type.String({ minLength: 1, maxLength: 63 }),
            staffId: Type.String({ minLength: 1, maxLength: 64 }),
          }),
          response: { 204: Type.Null(), ...Errors },
        },
      },
      async (request, reply) => {
        const session = portalSession(request);
        const target = await findStaffById(deps.db, session.account.id, request.params.staffId);
        if (!target) throw new DomainError("not_found", "There is no such staff member in this business.");
        requireMayResetTwoFactor({ ...session.staff, recentlyAuthenticated: session.recentlyAuthenticated }, target);
        await deps.db.transaction().execute(async (tx) =>
          removeAllSecondFactors(tx, deps, factorOwner(session.account, target), {
            party: { type: "staff", id: session.staff.id, name: fullName(session.staff) },
            source: "office_portal",
            ip: requestContext(request).ip,
            admins: await listAdminAccessMembers(tx, session.account.id),
          }).then(async (result) => {
            // Whatever was signed in with the old factors ends with them.
            await revokeAllSessionsOfStaff(tx, session.account.id, target.id, {
              reason: "two_factor_reset",
              at: deps.clock.now(),
            });
            await deletePendingSignInsOfStaff(tx, session.account.id, target.id);
            return result;
          }),
        );
        deps.notifyOutbox();
        return reply.status(204).send(null);
      },
    );
  };
}
