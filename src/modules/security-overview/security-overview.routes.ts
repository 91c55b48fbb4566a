import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { AppDeps } from "../../app-deps.js";
import { AccountParams, ErrorResponse } from "../../http/schemas.js";
import { portalSession, type SessionGuard } from "../../http/session-auth.js";
import { securityOverview } from "./security-overview.js";

const TwoFactor = Type.Object({ totp: Type.Boolean(), passkeys: Type.Integer(), recoveryCodesLeft: Type.Integer() });
const OverviewSchema = Type.Object({
  requireTwoFactor: Type.Boolean(),
  people: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      username: Type.String(),
      isOwner: Type.Boolean(),
      adminFullAccess: Type.Boolean(),
      twoFactor: TwoFactor,
      mustChangePassword: Type.Boolean(),
      passwordSet: Type.Boolean(),
      lastSignedInAt: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  totals: Type.Object({
    active: Type.Integer(),
    adminAccess: Type.Integer(),
    withTwoFactor: Type.Integer(),
    mustChangePassword: Type.Integer(),
    neverSignedIn: Type.Integer(),
  }),
  failedSignInsPerDay: Type.Array(Type.Object({ date: Type.String(), count: Type.Integer() })),
});

export function securityOverviewRoutes(deps: AppDeps, guard: SessionGuard): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      "/api/accounts/:account/security-overview",
      {
        preHandler: guard.requireSession(),
        schema: {
          summary:
            "Security overview: Admin Access, two-step sign-in, passwords, last sign-ins, failed sign-ins (Admin Access)",
          tags: ["security"],
          params: AccountParams,
          response: { 200: OverviewSchema, 401: ErrorResponse, 403: ErrorResponse },
        },
      },
      async (request) => {
        const { staff, account } = portalSession(request);
        return securityOverview(deps, staff, account.require_two_factor === 1);
      },
    );
  };
}
