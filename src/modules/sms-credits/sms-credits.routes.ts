import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { AppDeps } from "../../app-deps.js";
import { AccountParams, ErrorResponse, StrictObject } from "../../http/schemas.js";
import { portalSession, type SessionGuard } from "../../http/session-auth.js";
import { requireAdminAccess } from "../permissions/index.js";
import { listLedger } from "./sms-credits.js";

const LedgerEntrySchema = Type.Object({
  id: Type.String(),
  at: Type.String(),
  kind: Type.Union([Type.Literal("grant"), Type.Literal("debit"), Type.Literal("refund"), Type.Literal("unconfirmed")]),
  change: Type.Integer(),
  balance: Type.Integer(),
  reason: Type.String(),
  staffId: Type.Optional(Type.String()),
  by: Type.Union([Type.String(), Type.Null()]),
});

export function smsCreditsRoutes(deps: AppDeps, guard: SessionGuard): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      "/api/accounts/:account/sms-credits/ledger",
      {
        preHandler: guard.requireSession(),
        schema: {
          summary: "The SMS credit ledger, newest first (Admin Access)",
          tags: ["sms credits"],
          params: AccountParams,
          querystring: StrictObject({
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
            cursor: Type.Optional(Type.String({ maxLength: 512 })),
          }),
          response: {
            200: Type.Object({
              items: Type.Array(LedgerEntrySchema),
              nextCursor: Type.Union([Type.String(), Type.Null()]),
            }),
            400: ErrorResponse,
            401: ErrorResponse,
            403: ErrorResponse,
          },
        },
      },
      async (request) => {
        const { account, staff } = portalSession(request);
        requireAdminAccess(staff, "see the SMS credit ledger");
        return listLedger(deps.db, account.id, {
          limit: request.query.limit ?? 50,
          ...(request.query.cursor ? { cursor: request.query.cursor } : {}),
        });
      },
    );
  };
}
