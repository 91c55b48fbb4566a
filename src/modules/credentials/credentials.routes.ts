import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { AppDeps } from "../../app-deps.js";
import { AccountParams, ErrorResponse, PasswordString, StaffSchema, StrictObject } from "../../http/schemas.js";
import {
  clearSessionCookie,
  portalSession,
  requestContext,
  sessionCookieName,
  setSessionCookie,
  type SessionGuard,
} from "../../http/session-auth.js";
import { getAccountBySlug } from "../accounts/index.js";
import { resolveSession } from "../sessions/index.js";
import { changeOwnPassword } from "./change-own-password.js";
import { signIn } from "./sign-in.js";
import { signOut } from "./sign-out.js";

const SignInBody = StrictObject({
  login: Type.String({ minLength: 1, maxLength: 320 }),
  password: PasswordString,
  staySignedIn: Type.Optional(Type.Boolean()),
});

const ChangeOwnPasswordBody = StrictObject({
  currentPassword: PasswordString,
  newPassword: PasswordString,
  newPasswordConfirmation: PasswordString,
});

export function credentialsRoutes(deps: AppDeps, guard: SessionGuard): FastifyPluginAsyncTypebox {
  const { publicUrl } = deps.config;
  return async (app) => {
    app.post(
      "/api/accounts/:account/session",
      {
        schema: {
          summary: "Sign in to the Office Portal",
          tags: ["sessions"],
          params: AccountParams,
          body: SignInBody,
          response: {
            200: Type.Object({ staff: StaffSchema, passwordChangeRequired: Type.Boolean() }),
            401: ErrorResponse,
            429: ErrorResponse,
          },
        },
      },
      async (request, reply) => {
        const account = await getAccountBySlug(deps.db, request.params.account);
        const result = await signIn(
          deps,
          account,
          { ...request.body, staySignedIn: request.body.staySignedIn ?? false },
          requestContext(request),
        );
        setSessionCookie(reply, publicUrl, result.session.token, result.session.staySignedIn);
        return { staff: result.staff, passwordChangeRequired: result.passwordChangeRequired };
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
        clearSessionCookie(reply, publicUrl);
        return reply.status(204).send(null);
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
        const { account, staff } = portalSession(request);
        await changeOwnPassword(deps, account, staff, request.body, requestContext(request));
        clearSessionCookie(reply, publicUrl);
        return reply.status(204).send(null);
      },
    );
  };
}
