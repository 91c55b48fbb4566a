import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { AppDeps } from "../../app-deps.js";
import { AccountParams, ErrorResponse, StrictObject } from "../../http/schemas.js";
import { portalSession, requestContext, type SessionGuard } from "../../http/session-auth.js";
import { policyFor } from "../password-policy/index.js";
import { toAccountSettings, toPublicAccount } from "./account.js";
import { getAccountBySlug } from "./accounts.repository.js";
import { updateSettings } from "./update-settings.js";

const PublicAccountSchema = Type.Object({ slug: Type.String(), name: Type.String() });
const PolicySchema = Type.Object({ minLength: Type.Integer(), maxLength: Type.Integer() });
const SettingsSchema = Type.Object({
  name: Type.String(),
  smsVoiceEnabled: Type.Boolean(),
  smsCredits: Type.Integer(),
  passwordMinLength: Type.Integer(),
});

const SettingsPatch = StrictObject({
  smsVoiceEnabled: Type.Optional(Type.Boolean()),
  passwordMinLength: Type.Optional(Type.Integer({ minimum: 8, maximum: 64 })),
});

export function accountsRoutes(deps: AppDeps, guard: SessionGuard): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      "/api/accounts/:account",
      {
        schema: {
          summary: "The business behind a portal address, for its sign-in page",
          tags: ["accounts"],
          params: AccountParams,
          response: { 200: PublicAccountSchema, 404: ErrorResponse },
        },
      },
      async (request) => toPublicAccount(await getAccountBySlug(deps.db, request.params.account)),
    );

    app.get(
      "/api/accounts/:account/password-policy",
      {
        schema: {
          summary: "What a new password must satisfy in this business",
          tags: ["accounts"],
          params: AccountParams,
          response: { 200: PolicySchema, 404: ErrorResponse },
        },
      },
      async (request) => {
        const account = await getAccountBySlug(deps.db, request.params.account);
        return policyFor(account.password_min_length);
      },
    );

    app.get(
      "/api/accounts/:account/settings",
      {
        preHandler: guard.requireSession(),
        schema: {
          summary: "The business's settings",
          tags: ["accounts"],
          params: AccountParams,
          response: { 200: SettingsSchema, 401: ErrorResponse },
        },
      },
      async (request) => toAccountSettings(await getAccountBySlug(deps.db, request.params.account)),
    );

    app.patch(
      "/api/accounts/:account/settings",
      {
        preHandler: guard.requireSession(),
        schema: {
          summary: "Change the business's settings (Admin Access)",
          tags: ["accounts"],
          params: AccountParams,
          body: SettingsPatch,
          response: { 200: SettingsSchema, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse },
        },
      },
      async (request) => {
        const { account, staff } = portalSession(request);
        return updateSettings(deps, account.id, staff, request.body, requestContext(request).ip);
      },
    );
  };
}
