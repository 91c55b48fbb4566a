import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { AppDeps } from "../../app-deps.js";
import { AccountParams, ErrorResponse } from "../../http/schemas.js";
import type { SessionGuard } from "../../http/session-auth.js";
import { policyFor } from "../password-policy/index.js";
import { toAccountSettings, toPublicAccount } from "./account.js";
import { getAccountBySlug } from "./accounts.repository.js";

const PublicAccountSchema = Type.Object({ slug: Type.String(), name: Type.String() });
const PolicySchema = Type.Object({ minLength: Type.Integer(), maxLength: Type.Integer() });
const SettingsSchema = Type.Object({
  name: Type.String(),
  smsVoiceEnabled: Type.Boolean(),
  smsCredits: Type.Integer(),
  passwordMinLength: Type.Integer(),
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
  };
}
