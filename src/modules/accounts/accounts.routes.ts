import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { AppDeps } from "../../app-deps.js";
import { AccountParams, ErrorResponse, StrictObject } from "../../http/schemas.js";
import { portalSession, requestContext, type SessionGuard } from "../../http/session-auth.js";
import { policyFor } from "../password-policy/index.js";
import { toAccountSettings, toPublicAccount, type AccountSettings } from "./account.js";
import { getAccountBySlug } from "./accounts.repository.js";
import { updateSettings } from "./update-settings.js";
import { getOwnershipDetails, updateOwnershipDetails } from "./ownership-details.js";

const PublicAccountSchema = Type.Object({ slug: Type.String(), name: Type.String() });
const PolicySchema = Type.Object({ minLength: Type.Integer(), maxLength: Type.Integer() });
const CountryCode = Type.String({
  pattern: "^[A-Z]{2}$",
  description: "ISO 3166-1 alpha-2 country code, e.g. US or GB",
});
const SettingsSchema = Type.Object({
  name: Type.String(),
  smsVoiceEnabled: Type.Boolean(),
  smsCredits: Type.Integer(),
  passwordMinLength: Type.Integer(),
  country: Type.String({ description: "The business's country: numbers typed without a + are read as its numbers" }),
  smsAllowedCountries: Type.Array(Type.String(), { description: "Countries texts may go to" }),
  requireTwoFactor: Type.Boolean({ description: "Require two-factor for the Office Portal" }),
  smsAvailable: Type.Boolean({
    description:
      "Whether this installation can send texts at all (false in production without an SMS provider: sending answers 409 sms_unavailable)",
  }),
});

const SettingsPatch = StrictObject({
  smsVoiceEnabled: Type.Optional(Type.Boolean()),
  passwordMinLength: Type.Optional(Type.Integer({ minimum: 8, maximum: 64 })),
  country: Type.Optional(CountryCode),
  smsAllowedCountries: Type.Optional(Type.Array(CountryCode, { maxItems: 250, uniqueItems: true })),
  requireTwoFactor: Type.Optional(Type.Boolean()),
});

const NullableFact = (maxLength: number) => Type.Union([Type.String({ maxLength }), Type.Null()]);
const OwnershipDetailsSchema = Type.Object({
  billingPostalCode: NullableFact(32),
  cardLast4: NullableFact(8),
  businessPhone: NullableFact(40),
  ownerFullName: NullableFact(200),
});
const OwnershipPatch = StrictObject({
  billingPostalCode: Type.Optional(NullableFact(32)),
  cardLast4: Type.Optional(NullableFact(8)),
  businessPhone: Type.Optional(NullableFact(40)),
});

export function accountsRoutes(deps: AppDeps, guard: SessionGuard): FastifyPluginAsyncTypebox {
  // What the installation can do, beside what the business chose: the STAFF page explains a
  // "Via SMS" that can't work here instead of offering it.
  const withAvailability = (settings: AccountSettings) => ({ ...settings, smsAvailable: deps.config.smsAvailable });
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
      async (request) => withAvailability(toAccountSettings(await getAccountBySlug(deps.db, request.params.account))),
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
        const { account, staff, recentlyAuthenticated } = portalSession(request);
        return withAvailability(
          await updateSettings(
            deps,
            account.id,
            { ...staff, recentlyAuthenticated },
            request.body,
            requestContext(request).ip,
          ),
        );
      },
    );

    app.get(
      "/api/accounts/:account/ownership-details",
      {
        preHandler: guard.requireSession(),
        schema: {
          summary: "The facts vendor support checks to recover the Business Owner, masked (the owner only)",
          tags: ["accounts"],
          params: AccountParams,
          response: { 200: OwnershipDetailsSchema, 401: ErrorResponse, 403: ErrorResponse },
        },
      },
      async (request) => getOwnershipDetails(deps.db, portalSession(request).staff),
    );

    app.put(
      "/api/accounts/:account/ownership-details",
      {
        preHandler: guard.requireSession(),
        schema: {
          summary: "Record or update the ownership details (the owner only, sudo mode)",
          tags: ["accounts"],
          params: AccountParams,
          body: OwnershipPatch,
          response: { 200: OwnershipDetailsSchema, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse },
        },
      },
      async (request) => {
        const session = portalSession(request);
        return updateOwnershipDetails(
          deps,
          {
            staff: session.staff,
            recentlyAuthenticated: session.recentlyAuthenticated,
            ip: requestContext(request).ip,
          },
          request.body,
        );
      },
    );
  };
}
