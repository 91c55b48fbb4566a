import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { AppDeps } from "../../app-deps.js";
import { AccountParams, ErrorResponse, StaffSchema, StrictObject } from "../../http/schemas.js";
import { portalSession, requestContext, type SessionGuard } from "../../http/session-auth.js";
import type { FastifyRequest } from "fastify";
import { requireStaffView } from "../permissions/index.js";
import { getStaffMember, updateStaffDetails, updateStaffPermissions, type Actor } from "./manage-staff.js";
import { toStaffView } from "./staff.js";
import { twoFactorSummary } from "../two-factor/index.js";
import { completeEmailVerification } from "./email-verification.js";
import { listStaff } from "./staff-directory.js";

const StaffParams = StrictObject({
  account: Type.String({ minLength: 1, maxLength: 63 }),
  staffId: Type.String({ minLength: 1, maxLength: 64 }),
});

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const DetailFields = {
  username: Type.String({ minLength: 1, maxLength: 40 }),
  firstName: Type.String({ minLength: 1, maxLength: 80 }),
  lastName: Type.String({ minLength: 1, maxLength: 80 }),
  email: Nullable(Type.String({ maxLength: 254 })),
  mobilePhone: Nullable(Type.String({ maxLength: 24 })),
  smsOptIn: Type.Boolean(),
};

const PermissionKeys = Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50 });

const PatchStaffBody = StrictObject({
  username: Type.Optional(DetailFields.username),
  firstName: Type.Optional(DetailFields.firstName),
  lastName: Type.Optional(DetailFields.lastName),
  email: Type.Optional(DetailFields.email),
  mobilePhone: Type.Optional(DetailFields.mobilePhone),
  smsOptIn: Type.Optional(DetailFields.smsOptIn),
  status: Type.Optional(Type.Union([Type.Literal("active"), Type.Literal("inactive")])),
});

const PermissionsBody = StrictObject({
  adminFullAccess: Type.Boolean(),
  permissions: PermissionKeys,
});

const ListQuery = StrictObject({
  search: Type.Optional(Type.String({ maxLength: 100 })),
  status: Type.Optional(Type.Union([Type.Literal("active"), Type.Literal("inactive"), Type.Literal("all")])),
  /** By last then first name: `name` A to Z (default), `-name` Z to A. */
  sort: Type.Optional(Type.Union([Type.Literal("name"), Type.Literal("-name")])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
});

const StaffListItem = Type.Object({
  ...StaffSchema.properties,
  /** ISO 8601; null when the audit log knows of no sign-in. */
  lastSignedInAt: Type.Union([Type.String(), Type.Null()]),
});
const StaffPage = Type.Object({
  items: Type.Array(StaffListItem),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
const Errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

function actorOf(request: FastifyRequest): Actor {
  const session = portalSession(request);
  return {
    staff: session.staff,
    ip: requestContext(request).ip,
    recentlyAuthenticated: session.recentlyAuthenticated,
  };
}

export function staffRoutes(deps: AppDeps, guard: SessionGuard): FastifyPluginAsyncTypebox {
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
      async (request) => {
        const { staff } = portalSession(request);
        return toStaffView(staff, await twoFactorSummary(deps.db, staff.account_id, staff.id));
      },
    );

    app.get(
      "/api/accounts/:account/staff",
      {
        preHandler: guard.requireSession(),
        schema: {
          summary: "The STAFF page's list (View staff)",
          tags: ["staff"],
          params: AccountParams,
          querystring: ListQuery,
          response: { 200: StaffPage, ...Errors },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        requireStaffView(actor.staff);
        const { search, status, sort, limit, cursor } = request.query;
        return listStaff(deps.db, actor.staff.account_id, {
          status: status ?? "active",
          sort: sort ?? "name",
          limit: limit ?? 50,
          ...(search !== undefined ? { search } : {}),
          ...(cursor !== undefined ? { cursor } : {}),
        });
      },
    );

    app.get(
      "/api/accounts/:account/staff/:staffId",
      {
        preHandler: guard.requireSession(),
        schema: {
          summary: "One staff member (View staff)",
          tags: ["staff"],
          params: StaffParams,
          response: { 200: StaffSchema, ...Errors },
        },
      },
      async (request) => getStaffMember(deps.db, actorOf(request), request.params.staffId),
    );

    app.patch(
      "/api/accounts/:account/staff/:staffId",
      {
        preHandler: guard.requireSession(),
        schema: {
          summary: "Edit a staff member's details or status (Add and edit staff)",
          tags: ["staff"],
          params: StaffParams,
          body: PatchStaffBody,
          response: { 200: StaffSchema, ...Errors },
        },
      },
      async (request) => updateStaffDetails(deps, actorOf(request), request.params.staffId, request.body),
    );

    app.post(
      "/api/email-verifications/complete",
      {
        schema: {
          summary: "Open an email verification link: the address becomes the primary email",
          tags: ["staff"],
          body: StrictObject({ token: Type.String({ minLength: 1, maxLength: 2000 }) }),
          response: { 204: Type.Null(), 409: ErrorResponse, 410: ErrorResponse },
        },
      },
      async (request, reply) => {
        await completeEmailVerification(deps, request.body.token, requestContext(request));
        return reply.status(204).send(null);
      },
    );

    app.put(
      "/api/accounts/:account/staff/:staffId/permissions",
      {
        preHandler: guard.requireSession(),
        schema: {
          summary: "Set Admin Access and the granular permissions (Admin Access)",
          tags: ["staff"],
          params: StaffParams,
          body: PermissionsBody,
          response: { 200: StaffSchema, ...Errors },
        },
      },
      async (request) => updateStaffPermissions(deps, actorOf(request), request.params.staffId, request.body),
    );
  };
}
