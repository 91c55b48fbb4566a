import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { AppDeps } from "../../app-deps.js";
import { AccountParams, ErrorResponse, StrictObject } from "../../http/schemas.js";
import { portalSession, type SessionGuard } from "../../http/session-auth.js";
import { DomainError } from "../../shared/errors.js";
import { requireAdminAccess } from "../permissions/index.js";
import { listAuditEvents } from "./audit.repository.js";

const Party = Type.Union([
  Type.Object({
    type: Type.String(),
    id: Type.Union([Type.String(), Type.Null()]),
    name: Type.Union([Type.String(), Type.Null()]),
  }),
  Type.Null(),
]);

const AuditEventSchema = Type.Object({
  id: Type.String(),
  at: Type.String(),
  source: Type.String(),
  actor: Party,
  action: Type.String(),
  target: Party,
  ip: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
});

const AuditQuerySchema = StrictObject({
  action: Type.Optional(Type.String({ maxLength: 64 })),
  staffId: Type.Optional(Type.String({ maxLength: 64 })),
  from: Type.Optional(Type.String({ maxLength: 40 })),
  to: Type.Optional(Type.String({ maxLength: 40 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
});

function parseInstant(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    throw new DomainError("validation_failed", undefined, { fields: { [field]: "a date and time" } });
  return ms;
}

export function auditRoutes(deps: AppDeps, guard: SessionGuard): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      "/api/accounts/:account/audit-events",
      {
        preHandler: guard.requireSession(),
        schema: {
          summary: "The audit log, newest first (Admin Access)",
          tags: ["audit"],
          params: AccountParams,
          querystring: AuditQuerySchema,
          response: {
            200: Type.Object({
              items: Type.Array(AuditEventSchema),
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
        requireAdminAccess(staff, "see the audit log");
        const { action, staffId, from, to, limit, cursor } = request.query;
        const fromMs = parseInstant(from, "from");
        const toMs = parseInstant(to, "to");
        return listAuditEvents(deps.db, account.id, {
          limit: limit ?? 50,
          ...(action ? { action } : {}),
          ...(staffId ? { staffId } : {}),
          ...(fromMs !== undefined ? { fromMs } : {}),
          ...(toMs !== undefined ? { toMs } : {}),
          ...(cursor ? { cursor } : {}),
        });
      },
    );
  };
}
