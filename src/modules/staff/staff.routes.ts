import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { AccountParams, ErrorResponse, StaffSchema } from "../../http/schemas.js";
import { portalSession, type SessionGuard } from "../../http/session-auth.js";
import { toStaffView } from "./staff.js";

export function staffRoutes(guard: SessionGuard): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      "/api/accounts/:account/me",
      {
        preHandler: guard.requireSession(),
        schema: {
          summary: "The signed-in staff member",
          tags: ["staff"],
          params: AccountParams,
          response: { 200: StaffSchema, 401: ErrorResponse, 403: ErrorResponse },
        },
      },
      async (request) => toStaffView(portalSession(request).staff),
    );
  };
}
