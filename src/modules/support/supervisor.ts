/**
 * The next step when the answers can't settle a recovery (facts missing on file, or an answer
 * that doesn't match but a caller who has more proof): an agent sends the case to a support
 * supervisor with a note; a supervisor — never the agent who opened it, so two people still
 * stand behind every recovery — approves it, and it goes on like an approved case, or closes
 * it. Each step is in the business's audit log. See case-flow.ts for the states.
 */
import { DomainError } from "../../shared/errors.js";
import { FORBIDDEN_CHARACTERS_HINT, hasForbiddenCharacters } from "../../shared/text.js";
import { recordAuditEvent } from "../audit/index.js";
import { normalizeLogin, fullName } from "../staff/index.js";
import { agentParty, findAgentByEmail, toAgentView, type AgentView, type SupportDeps } from "./agents.js";
import {
  CASE_LIFETIME_SECONDS,
  ESCALATED_CASE_LIFETIME_SECONDS,
  assertDecidable,
  assertEscalatable,
} from "./case-flow.js";
import { agentName, getCase, ownerOf, toCaseView, type CaseView, type RecoveryDeps } from "./recovery.js";
import type { SupportAgentRow } from "./support.table.js";

export const NOTE_MAX_LENGTH = 500;

/** A note is the agent's own words for the log: required, one paragraph of plain text. */
function cleanNote(note: string): string {
  const text = note.trim();
  if (!text || hasForbiddenCharacters(text)) {
    throw new DomainError("validation_failed", undefined, {
      fields: { note: text ? FORBIDDEN_CHARACTERS_HINT : "required: say what the supervisor should know" },
    });
  }
  return text;
}

/** An agent asks a supervisor to decide a case that the answers could not verify. */
export async function escalateRecoveryCase(
  deps: RecoveryDeps,
  agent: SupportAgentRow,
  caseId: string,
  input: { note: string },
  ip: string | null,
): Promise<CaseView> {
  const note = cleanNote(input.note);
  return deps.db.transaction().execute(async (tx) => {
    const { row, account } = await getCase(tx, caseId);
    const now = deps.clock.now();
    assertEscalatable(row, now);
    const result = await tx
      .updateTable("recovery_cases")
      .set({
        status: "needs_supervisor",
        escalated_by: agent.id,
        escalated_at: now,
        escalation_note: note,
        expires_at: now + ESCALATED_CASE_LIFETIME_SECONDS * 1000,
      })
      .where("id", "=", caseId)
      .where("status", "=", row.status)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) {
      throw new DomainError("conflict", "This case changed meanwhile. Reload it.");
    }
    const owner = await ownerOf(tx, account.id);
    await recordAuditEvent(tx, deps, {
      accountId: account.id,
      source: "support",
      actor: agentParty(agent),
      action: "support.recovery_case_escalated",
      target: { type: "staff", id: owner.id, name: fullName(owner) },
      ip,
      details: { caseId, status: row.status, note },
    });
    const { row: updated } = await getCase(tx, caseId);
    return toCaseView(tx, updated, account, deps.config.supportDualControl);
  });
}

/**
 * A supervisor decides an escalated case. `approve` makes it an approved case (the supervisor is
 * the second person), to be completed as usual within the hour; `close` ends it.
 */
export async function decideRecoveryCase(
  deps: RecoveryDeps,
  supervisor: SupportAgentRow,
  caseId: string,
  input: { decision: "approve" | "close"; note: string },
  ip: string | null,
): Promise<CaseView> {
  const note = cleanNote(input.note);
  return deps.db.transaction().execute(async (tx) => {
    const { row, account } = await getCase(tx, caseId);
    const now = deps.clock.now();
    assertDecidable(row, supervisor, now);
    const approve = input.decision === "approve";
    const result = await tx
      .updateTable("recovery_cases")
      .set({
        status: approve ? "approved" : "closed",
        decided_by: supervisor.id,
        decided_at: now,
        decision_note: note,
        ...(approve
          ? { approved_by: supervisor.id, approved_at: now, expires_at: now + CASE_LIFETIME_SECONDS * 1000 }
          : {}),
      })
      .where("id", "=", caseId)
      .where("status", "=", "needs_supervisor")
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) {
      throw new DomainError("conflict", "This case changed meanwhile. Reload it.");
    }
    const owner = await ownerOf(tx, account.id);
    await recordAuditEvent(tx, deps, {
      accountId: account.id,
      source: "support",
      actor: agentParty(supervisor),
      action: approve ? "support.recovery_case_supervisor_approved" : "support.recovery_case_closed",
      target: { type: "staff", id: owner.id, name: fullName(owner) },
      ip,
      details: {
        caseId,
        decision: input.decision,
        note,
        openedBy: await agentName(tx, row.opened_by),
        escalatedBy: await agentName(tx, row.escalated_by),
      },
    });
    const { row: updated } = await getCase(tx, caseId);
    return toCaseView(tx, updated, account, deps.config.supportDualControl);
  });
}

export interface EscalatedCase {
  readonly id: string;
  readonly account: { readonly slug: string; readonly name: string };
  readonly callerName: string;
  readonly escalatedBy: string;
  readonly escalatedAt: string;
  readonly note: string;
}

/** The cases waiting for a supervisor, oldest first (a supervisor's worklist). */
export async function listCasesAwaitingSupervisor(deps: SupportDeps, limit: number): Promise<EscalatedCase[]> {
  const rows = await deps.db
    .selectFrom("recovery_cases")
    .innerJoin("accounts", "accounts.id", "recovery_cases.account_id")
    .leftJoin("support_agents", "support_agents.id", "recovery_cases.escalated_by")
    .select([
      "recovery_cases.id",
      "recovery_cases.caller_name",
      "recovery_cases.escalated_at",
      "recovery_cases.escalation_note",
      "accounts.slug",
      "accounts.name",
      "support_agents.name as escalated_by_name",
    ])
    .where("recovery_cases.status", "=", "needs_supervisor")
    .where("recovery_cases.expires_at", ">", deps.clock.now())
    .orderBy("recovery_cases.escalated_at")
    .orderBy("recovery_cases.id")
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    account: { slug: row.slug, name: row.name },
    callerName: row.caller_name,
    escalatedBy: row.escalated_by_name ?? "",
    escalatedAt: new Date(row.escalated_at ?? 0).toISOString(),
    note: row.escalation_note ?? "",
  }));
}

/** CLI `support-agent:set-supervisor`: gives or takes the supervisor role, audited. */
export async function setAgentSupervisor(
  deps: SupportDeps,
  email: string,
  supervisor: boolean,
): Promise<AgentView & { supervisor: boolean }> {
  const agent = await findAgentByEmail(deps.db, normalizeLogin(email));
  if (!agent) throw new DomainError("not_found", `There is no support agent with the email "${email.trim()}".`);
  await deps.db.transaction().execute(async (tx) => {
    await tx
      .updateTable("support_agents")
      .set({ is_supervisor: supervisor ? 1 : 0 })
      .where("id", "=", agent.id)
      .execute();
    await recordAuditEvent(tx, deps, {
      accountId: null,
      source: "system",
      actor: { type: "system", id: null, name: "Staffgate CLI" },
      action: "support.agent_supervisor_changed",
      target: agentParty(agent),
      details: { supervisor: { from: agent.is_supervisor === 1, to: supervisor } },
    });
  });
  return { ...toAgentView(agent), supervisor };
}
