/**
 * Support agents and their sessions: a realm of their own. The cookie is scoped to /api/support,
 * the sessions table is separate, and an agent's session idles out after 30 minutes. Sign-in has
 * the portal's limits, with a hard cap much lower than a staff member's.
 */
import type { Kysely } from "kysely";
import type { Database, Executor } from "../../db/database.js";
import type { Clock } from "../../shared/clock.js";
import { DomainError } from "../../shared/errors.js";
import { FORBIDDEN_CHARACTERS_HINT, hasForbiddenCharacters } from "../../shared/text.js";
import { sha256Hex } from "../../shared/hash.js";
import { newId, newToken, type Random } from "../../shared/random.js";
import { recordAuditEvent, type AuditParty } from "../audit/index.js";
import { attemptPassword, type CredentialsDeps, type PasswordHasher } from "../credentials/index.js";
import { evaluatePassword, type CommonPasswordList } from "../password-policy/index.js";
import { normalizeLogin } from "../staff/index.js";
import { loginSubject, type LoginThrottle } from "../throttling/index.js";
import type { SupportAgentRow, SupportSessionStage } from "./support.table.js";
import { PENDING_SIGN_IN_SECONDS, findTotpFactor } from "../two-factor/index.js";

export const SUPPORT_IDLE_TIMEOUT_SECONDS = 30 * 60;
export const SUPPORT_ABSOLUTE_TIMEOUT_SECONDS = 10 * 60 * 60;
/** Agents protect every business at once: their passwords need more than the portal minimum. */
export const SUPPORT_PASSWORD_MIN_LENGTH = 12;
/**
 * Consecutive failed sign-ins after which an agent's password is no longer evaluated, until
 * `staffgate support-agent:unlock`. An agent reaches every business, so far below the portal's 100.
 */
export const SUPPORT_MAX_CONSECUTIVE_FAILURES = 10;
/** The throttling "account" of emails that match no agent (`login:support-realm:<email>`). */
const SUPPORT_THROTTLE_ACCOUNT = "support-realm";
const LAST_SEEN_WRITE_INTERVAL_MS = 60_000;

export interface SupportDeps {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly random: Random;
  readonly hasher: PasswordHasher;
  readonly loginThrottle: LoginThrottle;
  readonly commonPasswords?: CommonPasswordList;
}

/** Sign-in evaluates passwords the portal's way (credentials/password-attempt.ts). */
export type AgentSignInDeps = SupportDeps & CredentialsDeps;

export interface AgentView {
  readonly id: string;
  readonly email: string;
  readonly name: string;
}

export const toAgentView = (agent: SupportAgentRow): AgentView => ({
  id: agent.id,
  email: agent.email,
  name: agent.name,
});

/**
 * The signed-in agent as the console sees it, whichever step signed them in: with the role that
 * shows the supervisor's steps.
 */
export interface SignedInAgentView extends AgentView {
  readonly supervisor: boolean;
}

export const toSignedInAgentView = (agent: SupportAgentRow): SignedInAgentView => ({
  ...toAgentView(agent),
  supervisor: agent.is_supervisor === 1,
});

/** Whom an agent's attempts are counted against: one subject per agent, however the email is typed. */
export const agentSubject = (agentId: string) => `agent:${agentId}`;

export const agentParty = (agent: SupportAgentRow): AuditParty => ({
  type: "support_agent",
  id: agent.id,
  name: agent.name,
});

export async function findAgentByEmail(db: Executor, normalizedEmail: string): Promise<SupportAgentRow | undefined> {
  return db.selectFrom("support_agents").selectAll().where("email_normalized", "=", normalizedEmail).executeTakeFirst();
}

export async function createSupportAgent(
  deps: SupportDeps,
  input: { email: string; name: string; password: string; supervisor?: boolean },
): Promise<AgentView> {
  const fields: Record<string, string> = {};
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.email)) fields["email"] = "a valid email address";
  if (!input.name.trim()) fields["name"] = "required";
  else if (hasForbiddenCharacters(input.name)) fields["name"] = FORBIDDEN_CHARACTERS_HINT;
  if (Object.keys(fields).length > 0) throw new DomainError("validation_failed", undefined, { fields });
  const evaluation = evaluatePassword(
    input.password,
    { minLength: SUPPORT_PASSWORD_MIN_LENGTH, email: input.email, firstName: input.name },
    deps.commonPasswords,
  );
  if (!evaluation.ok) throw new DomainError("password_rejected", undefined, { reasons: evaluation.reasons });
  const emailNormalized = normalizeLogin(input.email);
  if (
    await deps.db
      .selectFrom("support_agents")
      .select("id")
      .where("email_normalized", "=", emailNormalized)
      .executeTakeFirst()
  ) {
    throw new DomainError("conflict", "A support agent with that email already exists.", {
      fields: { email: "taken" },
    });
  }
  const agent: SupportAgentRow = {
    id: newId(deps.random, "agt"),
    email: input.email.trim(),
    email_normalized: emailNormalized,
    name: input.name.trim(),
    password_hash: await deps.hasher.hash(evaluation.normalized),
    status: "active",
    created_at: deps.clock.now(),
    is_supervisor: input.supervisor === true ? 1 : 0,
  };
  await deps.db.transaction().execute(async (tx) => {
    await tx.insertInto("support_agents").values(agent).execute();
    await recordAuditEvent(tx, deps, {
      accountId: null,
      source: "system",
      actor: { type: "system", id: null, name: "Staffgate CLI" },
      action: "support.agent_created",
      target: { type: "support_agent", id: agent.id, name: agent.name },
      details: { supervisor: agent.is_supervisor === 1 },
    });
  });
  return toAgentView(agent);
}

/** An agent's sign-in delays are keyed on the email as typed (normalized), like the portal's. */
export const agentLoginSubject = (normalizedEmail: string) => loginSubject(SUPPORT_THROTTLE_ACCOUNT, normalizedEmail);

/**
 * Agent sign-in, on the portal's pieces (credentials/password-attempt.ts; SECURITY.md "Login and
 * throttling"): growing delays per agent and per IP, one evaluation at a time per agent, the
 * attempt counted before it is evaluated, and exactly one Argon2 verification whether the email
 * is unknown, the agent inactive or locked, or the password wrong — the same answer after the
 * same work. An email that matches nobody is counted under its own subject, by the same
 * statements. After SUPPORT_MAX_CONSECUTIVE_FAILURES nothing more is evaluated for the agent
 * until `staffgate support-agent:unlock` (agent-unlock.ts).
 */
export async function signInAgent(
  deps: AgentSignInDeps,
  input: { email: string; password: string },
  ip: string | null,
): Promise<{ agent: AgentView; token: string; enrollmentRequired: boolean }> {
  // Under a flood, refuse before touching the database: refusals must cost next to nothing.
  if (deps.hasher.saturated) throw new DomainError("overloaded", undefined, undefined, 1);
  const login = normalizeLogin(input.email);
  const agent = await findAgentByEmail(deps.db, login);
  const typed = agentLoginSubject(login);
  const target = agent ? agentParty(agent) : null;
  const outcome = await attemptPassword(deps, {
    capSubject: agent ? agentSubject(agent.id) : typed,
    keys: { subject: typed, ip: ip ?? "unknown" },
    passwordHash: agent?.password_hash ?? null,
    password: input.password,
    maxFailures: SUPPORT_MAX_CONSECUTIVE_FAILURES,
    audit: { accountId: null, source: "support", target, ip },
  });
  // Checked after the verification, so that an inactive agent costs the same time.
  const reason = !outcome.valid ? outcome.reason : agent?.status !== "active" ? "inactive" : undefined;
  if (reason !== undefined || !agent) {
    await recordAuditEvent(deps.db, deps, {
      accountId: null,
      source: "support",
      actor: null,
      action: "support.sign_in_failed",
      target,
      ip,
      details: { reason: agent ? reason : "unknown_login" },
    });
    if (agent && !outcome.valid && outcome.lockedNow) {
      await recordAuditEvent(deps.db, deps, {
        accountId: null,
        source: "support",
        actor: null,
        action: "support.agent_locked",
        target,
        ip,
        details: { failures: SUPPORT_MAX_CONSECUTIVE_FAILURES },
      });
    }
    throw new DomainError("invalid_credentials", "The email or password is incorrect.");
  }
  const rehashed = outcome.valid && outcome.needsRehash ? await deps.hasher.hash(input.password) : undefined;
  const token = newToken(deps.random, 32);
  const now = deps.clock.now();
  // Agents protect every business: the password opens only the second step (issue 14), which
  // an agent without an authenticator app starts by setting one up.
  const factor = await findTotpFactor(deps.db, agentSubject(agent.id));
  const stage = factor && factor.confirmed_at !== null ? "second_factor" : "enrolment";
  await deps.db.transaction().execute(async (tx) => {
    if (rehashed) {
      await tx.updateTable("support_agents").set({ password_hash: rehashed }).where("id", "=", agent.id).execute();
    }
    await tx
      .insertInto("support_sessions")
      .values({
        id_hash: sha256Hex(token),
        agent_id: agent.id,
        created_at: now,
        last_seen_at: now,
        expires_at: now + PENDING_SIGN_IN_SECONDS * 1000,
        ip,
        stage,
      })
      .execute();
    await recordAuditEvent(tx, deps, {
      accountId: null,
      source: "support",
      actor: target,
      action: "support.password_verified",
      target: null,
      ip,
      details: { rehashed: rehashed !== undefined, next: stage },
    });
  });
  return { agent: toAgentView(agent), token, enrollmentRequired: stage === "enrolment" };
}

/**
 * The agent behind a support cookie. Only an `active` session opens the console; the second
 * step's own routes ask for the pending stages instead.
 */
export async function resolveSupportSession(
  db: Executor,
  clock: Clock,
  token: string,
  stages: readonly SupportSessionStage[] = ["active"],
): Promise<SupportAgentRow | undefined> {
  const idHash = sha256Hex(token);
  const row = await db
    .selectFrom("support_sessions")
    .innerJoin("support_agents", "support_agents.id", "support_sessions.agent_id")
    .selectAll("support_agents")
    .select(["support_sessions.last_seen_at", "support_sessions.expires_at", "support_sessions.stage"])
    .where("support_sessions.id_hash", "=", idHash)
    .executeTakeFirst();
  if (!row) return undefined;
  const now = clock.now();
  if (
    now >= row.expires_at ||
    now >= row.last_seen_at + SUPPORT_IDLE_TIMEOUT_SECONDS * 1000 ||
    row.status !== "active"
  ) {
    await db.deleteFrom("support_sessions").where("id_hash", "=", idHash).execute();
    return undefined;
  }
  if (!stages.includes(row.stage)) return undefined;
  if (now - row.last_seen_at >= LAST_SEEN_WRITE_INTERVAL_MS) {
    await db.updateTable("support_sessions").set({ last_seen_at: now }).where("id_hash", "=", idHash).execute();
  }
  const { last_seen_at: _seen, expires_at: _expires, stage: _stage, ...agent } = row;
  return agent;
}

export async function signOutAgent(
  deps: SupportDeps,
  token: string,
  agent: SupportAgentRow | undefined,
  ip: string | null,
) {
  await deps.db.transaction().execute(async (tx) => {
    await tx.deleteFrom("support_sessions").where("id_hash", "=", sha256Hex(token)).execute();
    if (agent) {
      await recordAuditEvent(tx, deps, {
        accountId: null,
        source: "support",
        actor: { type: "support_agent", id: agent.id, name: agent.name },
        action: "support.signed_out",
        target: null,
        ip,
      });
    }
  });
}
