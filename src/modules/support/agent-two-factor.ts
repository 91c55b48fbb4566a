/**
 * Vendor support agents must use two-step sign-in (issue 14): an agent's password opens only a
 * pending support session (5 minutes) at the stage `second_factor` — or `enrolment`, for an
 * agent with no authenticator app yet, who sets one up there and then. A code that passes makes
 * the session `active`: only then does the console open. A lost phone is reset by an operator
 * (`staffgate support-agent:reset-two-factor`), never over the web.
 */
import type { Kysely } from "kysely";
import type { Database } from "../../db/database.js";
import { DomainError } from "../../shared/errors.js";
import { sha256Hex } from "../../shared/hash.js";
import { recordAuditEvent } from "../audit/index.js";
import {
  beginTotp,
  checkSecondFactor,
  confirmTotp,
  deleteTotpFactor,
  type SecondFactorDeps,
  type TotpEnrolment,
} from "../two-factor/index.js";
import { clearAttempts } from "../throttling/index.js";
import {
  agentParty,
  agentSubject,
  findAgentByEmail,
  resolveSupportSession,
  toAgentView,
  toSignedInAgentView,
  type AgentView,
  type SignedInAgentView,
} from "./agents.js";
import { SUPPORT_ABSOLUTE_TIMEOUT_SECONDS, SUPPORT_MAX_CONSECUTIVE_FAILURES } from "./agents.js";
import type { SupportAgentRow } from "./support.table.js";
import { normalizeLogin } from "../staff/index.js";

export interface AgentTwoFactorDeps extends SecondFactorDeps {
  readonly db: Kysely<Database>;
}

const expired = () =>
  new DomainError("unauthenticated", "Your sign-in took too long or was already used. Please sign in again.");

async function pendingAgent(deps: AgentTwoFactorDeps, token: string | undefined, stage: "second_factor" | "enrolment") {
  const agent = token ? await resolveSupportSession(deps.db, deps.clock, token, [stage]) : undefined;
  if (!agent || !token) throw expired();
  return agent;
}

/** The pending session becomes the agent's console session: one winner. */
async function activate(
  deps: AgentTwoFactorDeps,
  token: string,
  agent: SupportAgentRow,
  ip: string | null,
  method: string,
) {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const result = await tx
      .updateTable("support_sessions")
      .set({ stage: "active", last_seen_at: now, expires_at: now + SUPPORT_ABSOLUTE_TIMEOUT_SECONDS * 1000 })
      .where("id_hash", "=", sha256Hex(token))
      .where("stage", "!=", "active")
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw expired();
    await recordAuditEvent(tx, deps, {
      accountId: null,
      source: "support",
      actor: agentParty(agent),
      action: "support.signed_in",
      target: null,
      ip,
      details: { methods: ["pwd", method] },
    });
  });
}

/** `POST /api/support/session/second-factor`: the agent's code opens the console. */
export async function completeAgentSecondFactor(
  deps: AgentTwoFactorDeps,
  token: string | undefined,
  code: string,
  ip: string | null,
): Promise<SignedInAgentView> {
  const agent = await pendingAgent(deps, token, "second_factor");
  const person = {
    accountId: null,
    subject: agentSubject(agent.id),
    party: agentParty(agent),
    // Agents reach every business: as few wrong codes as wrong passwords.
    maxFailures: SUPPORT_MAX_CONSECUTIVE_FAILURES,
  };
  await checkSecondFactor(deps, person, { totpCode: code }, ip);
  await activate(deps, token as string, agent, ip, "otp");
  return toSignedInAgentView(agent);
}

/** `POST /api/support/me/totp`: an agent without an authenticator app starts setting one up. */
export async function startAgentEnrolment(deps: AgentTwoFactorDeps, token: string | undefined): Promise<TotpEnrolment> {
  const agent = await pendingAgent(deps, token, "enrolment");
  return beginTotp(deps, {
    subject: agentSubject(agent.id),
    accountId: null,
    issuer: "Staffgate support",
    label: agent.email,
  });
}

/** `PUT /api/support/me/totp`: the first code confirms the app and opens the console. */
export async function confirmAgentEnrolment(
  deps: AgentTwoFactorDeps,
  token: string | undefined,
  code: string,
  ip: string | null,
): Promise<SignedInAgentView> {
  const agent = await pendingAgent(deps, token, "enrolment");
  await deps.db.transaction().execute(async (tx) => {
    await confirmTotp(tx, deps, agentSubject(agent.id), code);
    await recordAuditEvent(tx, deps, {
      accountId: null,
      source: "support",
      actor: agentParty(agent),
      action: "support.two_factor_enrolled",
      target: agentParty(agent),
      ip,
    });
  });
  await activate(deps, token as string, agent, ip, "otp");
  return toSignedInAgentView(agent);
}

/** CLI `support-agent:reset-two-factor`: a lost phone; the agent enrols again at next sign-in. */
export async function resetAgentTwoFactor(deps: AgentTwoFactorDeps, email: string): Promise<AgentView> {
  const agent = await findAgentByEmail(deps.db, normalizeLogin(email));
  if (!agent) throw new DomainError("not_found", `There is no support agent with the email ${email.trim()}.`);
  await deps.db.transaction().execute(async (tx) => {
    await deleteTotpFactor(tx, agentSubject(agent.id));
    await clearAttempts(tx, `otp:${agentSubject(agent.id)}`);
    // Sessions begun with the old factor end too.
    await tx.deleteFrom("support_sessions").where("agent_id", "=", agent.id).execute();
    await recordAuditEvent(tx, deps, {
      accountId: null,
      source: "system",
      actor: { type: "system", id: null, name: "Staffgate CLI" },
      action: "support.two_factor_reset",
      target: agentParty(agent),
    });
  });
  return toAgentView(agent);
}
