import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";
import type { AppDeps } from "../../app-deps.js";
import { sendError } from "../../http/errors.js";
import { ErrorResponse, PasswordString, StrictObject } from "../../http/schemas.js";
import { requestContext } from "../../http/session-auth.js";
import {
  clearSupportCookie,
  createSupportGuard,
  setSupportCookie,
  supportAgent,
  supportCookieName,
} from "../../http/support-auth.js";
import { DomainError } from "../../shared/errors.js";
import { getAccountBySlug } from "../accounts/index.js";
import { recordAuditEvent } from "../audit/index.js";
import { grantCredits } from "../sms-credits/index.js";
import { resolveSupportSession, signInAgent, signOutAgent, toSignedInAgentView } from "./agents.js";
import { completeAgentSecondFactor, confirmAgentEnrolment, startAgentEnrolment } from "./agent-two-factor.js";
import { approveRecoveryCase, completeRecoveryCase, openRecoveryCase, viewRecoveryCase } from "./recovery.js";
import {
  NOTE_MAX_LENGTH,
  decideRecoveryCase,
  escalateRecoveryCase,
  listCasesAwaitingSupervisor,
} from "./supervisor.js";
import { accountSummary, searchAccounts } from "./support-directory.js";

const Agent = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  supervisor: Type.Optional(Type.Boolean({ description: "May decide cases waiting for a supervisor" })),
});
const AccountSlug = StrictObject({ account: Type.String({ minLength: 1, maxLength: 63 }) });
const CaseParams = StrictObject({ caseId: Type.String({ minLength: 1, maxLength: 64 }) });
const Check = Type.Union([Type.Literal("match"), Type.Literal("mismatch"), Type.Literal("not_provided")]);
const CaseSchema = Type.Object({
  id: Type.String(),
  account: Type.Object({ slug: Type.String(), name: Type.String() }),
  status: Type.String(),
  callerName: Type.String(),
  checks: Type.Object({ ownerFullName: Check, billingPostalCode: Check, cardLast4: Check, businessPhone: Check }),
  verified: Type.Boolean(),
  openedBy: Type.String(),
  openedById: Type.String(),
  approvedById: Type.Union([Type.String(), Type.Null()]),
  openedAt: Type.String(),
  expiresAt: Type.String(),
  approvedBy: Type.Union([Type.String(), Type.Null()]),
  completedBy: Type.Union([Type.String(), Type.Null()]),
  delivery: Type.Union([Type.String(), Type.Null()]),
  dualControl: Type.Boolean(),
  escalation: Type.Union([Type.Object({ by: Type.String(), at: Type.String(), note: Type.String() }), Type.Null()]),
  decision: Type.Union([
    Type.Object({
      outcome: Type.Union([Type.Literal("approve"), Type.Literal("close")]),
      by: Type.String(),
      at: Type.String(),
      note: Type.String(),
    }),
    Type.Null(),
  ]),
});
const Note = Type.String({ minLength: 1, maxLength: NOTE_MAX_LENGTH });
const Answer = Type.Optional(Type.String({ maxLength: 200 }));
const Errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

const ip = (request: FastifyRequest) => requestContext(request).ip;

export function supportRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  const { publicUrl } = deps.config;
  const requireAgent = createSupportGuard(deps);
  return async (app) => {
    app.decorateRequest("supportAgent", null);

    app.post(
      "/api/support/session",
      {
        // Load shedding at the door, as for the portal's sign-in: refuse before reading the body.
        onRequest: async (_request, reply) => {
          if (deps.hasher.saturated) return sendError(reply, new DomainError("overloaded", undefined, undefined, 1));
        },
        schema: {
          summary: "Support agent sign-in, first step: the password (the second step always follows)",
          tags: ["support"],
          body: StrictObject({ email: Type.String({ minLength: 1, maxLength: 320 }), password: PasswordString }),
          response: {
            200: Type.Object({
              agent: Agent,
              secondFactorRequired: Type.Literal(true),
              enrollmentRequired: Type.Boolean(),
            }),
            401: ErrorResponse,
            429: ErrorResponse,
          },
        },
      },
      async (request, reply) => {
        const { agent, token, enrollmentRequired } = await signInAgent(deps, request.body, ip(request));
        setSupportCookie(reply, publicUrl, token);
        return { agent, secondFactorRequired: true as const, enrollmentRequired };
      },
    );

    const supportToken = (request: FastifyRequest) => request.cookies[supportCookieName(publicUrl)];
    const CodeBody = StrictObject({ totpCode: Type.String({ minLength: 1, maxLength: 64 }) });

    app.post(
      "/api/support/session/second-factor",
      {
        schema: {
          summary: "Support agent sign-in, second step: the authenticator code",
          tags: ["support"],
          body: CodeBody,
          response: { 200: Type.Object({ agent: Agent }), 401: ErrorResponse, 429: ErrorResponse },
        },
      },
      async (request) => ({
        agent: await completeAgentSecondFactor(deps, supportToken(request), request.body.totpCode, ip(request)),
      }),
    );

    app.post(
      "/api/support/me/totp",
      {
        schema: {
          summary: "An agent without an authenticator app sets one up during sign-in",
          tags: ["support"],
          body: StrictObject({}),
          response: {
            200: Type.Object({ secret: Type.String(), otpauthUri: Type.String(), qrSvg: Type.String() }),
            401: ErrorResponse,
            409: ErrorResponse,
          },
        },
      },
      async (request) => startAgentEnrolment(deps, supportToken(request)),
    );

    app.put(
      "/api/support/me/totp",
      {
        schema: {
          summary: "The first code confirms the agent's authenticator app and opens the console",
          tags: ["support"],
          body: CodeBody,
          response: { 200: Type.Object({ agent: Agent }), 401: ErrorResponse, 409: ErrorResponse },
        },
      },
      async (request) => ({
        agent: await confirmAgentEnrolment(deps, supportToken(request), request.body.totpCode, ip(request)),
      }),
    );

    app.get(
      "/api/support/session",
      {
        preHandler: requireAgent,
        schema: {
          summary: "The signed-in agent",
          tags: ["support"],
          response: { 200: Type.Object({ agent: Agent }), 401: ErrorResponse },
        },
      },
      async (request) => ({ agent: toSignedInAgentView(supportAgent(request)) }),
    );

    app.delete(
      "/api/support/session",
      { schema: { summary: "Support agent sign-out", tags: ["support"], response: { 204: Type.Null() } } },
      async (request, reply) => {
        const token = request.cookies[supportCookieName(publicUrl)];
        if (token) {
          const agent = await resolveSupportSession(deps.db, deps.clock, token, [
            "active",
            "second_factor",
            "enrolment",
          ]);
          await signOutAgent(deps, token, agent, ip(request));
        }
        clearSupportCookie(reply, publicUrl);
        return reply.status(204).send(null);
      },
    );

    app.get(
      "/api/support/accounts",
      {
        preHandler: requireAgent,
        schema: {
          summary: "Find a business by name, address or owner",
          tags: ["support"],
          querystring: StrictObject({ search: Type.Optional(Type.String({ maxLength: 100 })) }),
          response: {
            200: Type.Object({
              items: Type.Array(Type.Object({ slug: Type.String(), name: Type.String(), ownerName: Type.String() })),
              nextCursor: Type.Null(),
            }),
            401: ErrorResponse,
          },
        },
      },
      async (request) => ({ items: await searchAccounts(deps.db, request.query.search, 50), nextCursor: null }),
    );

    app.get(
      "/api/support/accounts/:account",
      {
        preHandler: requireAgent,
        schema: {
          summary: "A business's summary: no secrets, owner contact masked",
          tags: ["support"],
          params: AccountSlug,
        },
      },
      async (request) => {
        const summary = await accountSummary(deps.db, request.params.account);
        const account = await getAccountBySlug(deps.db, request.params.account);
        const agent = supportAgent(request);
        await recordAuditEvent(deps.db, deps, {
          accountId: account.id,
          source: "support",
          actor: { type: "support_agent", id: agent.id, name: agent.name },
          action: "support.account_viewed",
          target: null,
          ip: ip(request),
        });
        return summary;
      },
    );

    app.post(
      "/api/support/accounts/:account/recovery-cases",
      {
        preHandler: requireAgent,
        schema: {
          summary: "Open a Business Owner recovery case with the caller's answers",
          tags: ["support"],
          params: AccountSlug,
          body: StrictObject({
            callerName: Type.String({ minLength: 1, maxLength: 120 }),
            answers: StrictObject({
              ownerFullName: Answer,
              billingPostalCode: Answer,
              cardLast4: Answer,
              businessPhone: Answer,
            }),
          }),
          response: { 201: CaseSchema, ...Errors, 429: ErrorResponse },
        },
      },
      async (request, reply) => {
        const view = await openRecoveryCase(
          deps,
          supportAgent(request),
          request.params.account,
          request.body,
          ip(request),
        );
        return reply.status(201).send(view);
      },
    );

    app.get(
      "/api/support/recovery-cases/:caseId",
      {
        preHandler: requireAgent,
        schema: {
          summary: "A recovery case",
          tags: ["support"],
          params: CaseParams,
          response: { 200: CaseSchema, ...Errors },
        },
      },
      async (request) => viewRecoveryCase(deps, request.params.caseId),
    );

    app.post(
      "/api/support/recovery-cases/:caseId/approve",
      {
        preHandler: requireAgent,
        schema: {
          summary: "Approve a verified case (a different agent than the one who opened it)",
          tags: ["support"],
          params: CaseParams,
          response: { 200: CaseSchema, ...Errors },
        },
      },
      async (request) => approveRecoveryCase(deps, supportAgent(request), request.params.caseId, ip(request)),
    );

    app.post(
      "/api/support/recovery-cases/:caseId/escalate",
      {
        preHandler: requireAgent,
        schema: {
          summary:
            "Send a case the answers could not verify (facts missing or not matching) to a supervisor, with a note",
          tags: ["support"],
          params: CaseParams,
          body: StrictObject({ note: Note }),
          response: { 200: CaseSchema, ...Errors },
        },
      },
      async (request) =>
        escalateRecoveryCase(deps, supportAgent(request), request.params.caseId, request.body, ip(request)),
    );

    app.post(
      "/api/support/recovery-cases/:caseId/supervisor-decision",
      {
        preHandler: requireAgent,
        schema: {
          summary:
            "A supervisor (not the agent who opened the case) approves an escalated case, which then completes as usual, or closes it",
          tags: ["support"],
          params: CaseParams,
          body: StrictObject({
            decision: Type.Union([Type.Literal("approve"), Type.Literal("close")]),
            note: Note,
          }),
          response: { 200: CaseSchema, ...Errors },
        },
      },
      async (request) =>
        decideRecoveryCase(deps, supportAgent(request), request.params.caseId, request.body, ip(request)),
    );

    app.get(
      "/api/support/recovery-cases",
      {
        preHandler: requireAgent,
        schema: {
          summary: "Cases waiting for a supervisor, oldest first",
          tags: ["support"],
          querystring: StrictObject({ status: Type.Literal("needs_supervisor") }),
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  id: Type.String(),
                  account: Type.Object({ slug: Type.String(), name: Type.String() }),
                  callerName: Type.String(),
                  escalatedBy: Type.String(),
                  escalatedAt: Type.String(),
                  note: Type.String(),
                }),
              ),
              nextCursor: Type.Null(),
            }),
            401: ErrorResponse,
          },
        },
      },
      async () => ({ items: await listCasesAwaitingSupervisor(deps, 100), nextCursor: null }),
    );

    app.post(
      "/api/support/recovery-cases/:caseId/complete",
      {
        preHandler: requireAgent,
        schema: {
          summary:
            "Recover the owner: a reset link to the email on file, a temporary password shown once, or (lost phone) removing the owner's two-step sign-in",
          tags: ["support"],
          params: CaseParams,
          body: StrictObject({
            delivery: Type.Union([
              Type.Literal("email"),
              Type.Literal("temporary_password"),
              Type.Literal("two_factor_reset"),
            ]),
          }),
          response: {
            200: Type.Union([
              Type.Object({ sentTo: Type.String() }),
              Type.Object({ temporaryPassword: Type.String() }),
              Type.Object({ twoFactorReset: Type.Literal(true) }),
            ]),
            ...Errors,
            422: ErrorResponse,
          },
        },
      },
      async (request, reply) => {
        reply.header("Cache-Control", "no-store");
        return completeRecoveryCase(
          deps,
          supportAgent(request),
          request.params.caseId,
          request.body.delivery,
          ip(request),
        );
      },
    );

    app.post(
      "/api/support/accounts/:account/sms-credits",
      {
        preHandler: requireAgent,
        schema: {
          summary: "Grant SMS credits to a business, with a reason",
          tags: ["support"],
          params: AccountSlug,
          body: StrictObject({
            amount: Type.Integer({ minimum: 1, maximum: 100000 }),
            reason: Type.String({ minLength: 1, maxLength: 200 }),
          }),
          response: { 200: Type.Object({ smsCredits: Type.Integer() }), ...Errors },
        },
      },
      async (request) => {
        const account = await getAccountBySlug(deps.db, request.params.account);
        const agent = supportAgent(request);
        return grantCredits(deps.db, deps, {
          accountId: account.id,
          amount: request.body.amount,
          reason: request.body.reason,
          source: "support",
          actor: { type: "support_agent", id: agent.id, name: agent.name },
          ip: ip(request),
        });
      },
    );
  };
}
