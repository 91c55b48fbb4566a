/**
 * `POST /api/accounts/{account}/staff`: "Add staff", with an optional first password and
 * permissions in the same step (add-staff-member.ts). It lives beside the credentials it may set,
 * since the staff module sits below credentials and can't hash a password.
 */
import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { AppDeps } from "../../app-deps.js";
import { AccountParams, ErrorResponse, PasswordString, StaffSchema, StrictObject } from "../../http/schemas.js";
import { portalSession, requestContext, type SessionGuard } from "../../http/session-auth.js";
import { addStaffMember } from "./add-staff-member.js";

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

// The same limits as the STAFF page's edit (staff.routes.ts).
const CreateStaffBody = StrictObject({
  username: Type.String({ minLength: 1, maxLength: 40 }),
  firstName: Type.String({ minLength: 1, maxLength: 80 }),
  lastName: Type.String({ minLength: 1, maxLength: 80 }),
  email: Type.Optional(Nullable(Type.String({ maxLength: 254 }))),
  mobilePhone: Type.Optional(Nullable(Type.String({ maxLength: 24 }))),
  smsOptIn: Type.Optional(Type.Boolean()),
  // Optional, in the same step (Admin Access and sudo mode, as their own endpoints need).
  password: Type.Optional(PasswordString),
  mustChangeAtNextLogin: Type.Optional(Type.Boolean()),
  adminFullAccess: Type.Optional(Type.Boolean()),
  permissions: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50 })),
});

export function addStaffRoutes(deps: AppDeps, guard: SessionGuard): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      "/api/accounts/:account/staff",
      {
        preHandler: guard.requireSession(),
        schema: {
          summary:
            "Add a staff member (Add and edit staff); optionally with a password and permissions (Admin Access, sudo mode)",
          tags: ["staff"],
          params: AccountParams,
          body: CreateStaffBody,
          response: {
            201: StaffSchema,
            400: ErrorResponse,
            401: ErrorResponse,
            403: ErrorResponse,
            409: ErrorResponse,
            422: ErrorResponse,
          },
        },
      },
      async (request, reply) => {
        const session = portalSession(request);
        const actor = {
          staff: session.staff,
          ip: requestContext(request).ip,
          recentlyAuthenticated: session.recentlyAuthenticated,
        };
        const created = await addStaffMember(deps, session.account, actor, request.body);
        return reply.status(201).send(created);
      },
    );
  };
}
