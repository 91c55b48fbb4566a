/**
 * Business Owner recovery by vendor support (the owner can't use Forgot Password). One agent
 * opens a case with the caller's answers; the server verifies them against the facts on file; a
 * second agent approves (dual control); then either agent completes it with a reset link to the
 * owner's email on file or a one-time temporary password read to the verified caller. Either
 * way every session and link of the owner ends, the owner and every Admin Access member are
 * told, and the business's own audit log shows who did what under which case.
 */
import { DomainError } from "../../shared/errors.js";
import { FORBIDDEN_CHARACTERS_HINT, hasForbiddenCharacters } from "../../shared/text.js";
import { maskEmail } from "../../shared/mask.js";
import { newId, newOneTimePassword } from "../../shared/random.js";
import { findAccountById, getAccountBySlug, type AccountRow } from "../accounts/index.js";
import { recordAuditEvent, type AuditParty } from "../audit/index.js";
import { storeNewPassword, type CredentialsDeps } from "../credentials/index.js";
import { removeAllSecondFactors } from "../two-factor/index.js";
import { composeEmail, enqueueEmail } from "../messaging/index.js";
import { EMAIL_LINK_LIFETIME_SECONDS, resetLink } from "../password-reset/index.js";
import { hasAdminAccess } from "../permissions/index.js";
import { issueResetToken } from "../reset-tokens/index.js";
import { revokeAllSessionsOfStaff } from "../sessions/index.js";
import { fullName, type StaffRow } from "../staff/index.js";
import type { Executor } from "../../db/database.js";
import type { SupportDeps } from "./agents.js";
import { CASE_LIFETIME_SECONDS, assertApprovable, assertCompletable } from "./case-flow.js";
import type { RecoveryCaseRow, SupportAgentRow } from "./support.table.js";
import { compareAnswers, verdict, type VerificationAnswers, type VerificationChecks } from "./verification.js";

/** More failed cases than this for one business in a day are refused and flagged. */
export const FAILED_CASES_PER_DAY = 3;
const DAY_MS = 24 * 3600_000;

export interface RecoveryDeps extends SupportDeps, CredentialsDeps {
  readonly config: CredentialsDeps["config"] & { readonly supportDualControl: boolean };
  readonly notifyOutbox: () => void;
}

export interface CaseView {
  readonly id: string;
  readonly account: { readonly slug: string; readonly name: string };
  readonly status: RecoveryCaseRow["status"];
  readonly callerName: string;
  readonly checks: VerificationChecks;
  readonly verified: boolean;
  readonly openedBy: string;
  readonly openedById: string;
  readonly approvedById: string | null;
  readonly openedAt: string;
  readonly expiresAt: string;
  readonly approvedBy: string | null;
  readonly completedBy: string | null;
  readonly delivery: RecoveryCaseRow["delivery"];
  readonly dualControl: boolean;
  /** Set once an agent asked a supervisor to decide the case. */
  readonly escalation: { readonly by: string; readonly at: string; readonly note: string } | null;
  /** Set once a supervisor approved or closed it. */
  readonly decision: {
    readonly outcome: "approve" | "close";
    readonly by: string;
    readonly at: string;
    readonly note: string;
  } | null;
}

const agentParty = (agent: SupportAgentRow): AuditParty => ({ type: "support_agent", id: agent.id, name: agent.name });

export async function agentName(db: Executor, id: string | null): Promise<string | null> {
  if (!id) return null;
  const row = await db.selectFrom("support_agents").select("name").where("id", "=", id).executeTakeFirst();
  return row?.name ?? null;
}

export async function toCaseView(
  db: Executor,
  row: RecoveryCaseRow,
  account: AccountRow,
  dualControl: boolean,
): Promise<CaseView> {
  return {
    id: row.id,
    account: { slug: account.slug, name: account.name },
    status: row.status,
    callerName: row.caller_name,
    checks: JSON.parse(row.checks) as VerificationChecks,
    verified: row.status === "verified" || row.status === "approved" || row.status === "completed",
    openedBy: (await agentName(db, row.opened_by)) ?? row.opened_by,
    openedById: row.opened_by,
    approvedById: row.approved_by,
    openedAt: new Date(row.opened_at).toISOString(),
    expiresAt: new Date(row.expires_at).toISOString(),
    approvedBy: await agentName(db, row.approved_by),
    completedBy: await agentName(db, row.completed_by),
    delivery: row.delivery,
    dualControl,
    escalation:
      row.escalated_by && row.escalated_at !== null
        ? {
            by: (await agentName(db, row.escalated_by)) ?? row.escalated_by,
            at: new Date(row.escalated_at).toISOString(),
            note: row.escalation_note ?? "",
          }
        : null,
    decision:
      row.decided_by && row.decided_at !== null
        ? {
            outcome: row.status === "closed" ? "close" : "approve",
            by: (await agentName(db, row.decided_by)) ?? row.decided_by,
            at: new Date(row.decided_at).toISOString(),
            note: row.decision_note ?? "",
          }
        : null,
  };
}

export async function ownerOf(db: Executor, accountId: string): Promise<StaffRow> {
  const owner = await db
    .selectFrom("staff")
    .selectAll()
    .where("account_id", "=", accountId)
    .where("is_owner", "=", 1)
    .executeTakeFirst();
  if (!owner) throw new DomainError("not_found", "This business has no Business Owner on file.");
  return owner;
}

export async function openRecoveryCase(
  deps: RecoveryDeps,
  agent: SupportAgentRow,
  accountSlug: string,
  input: { callerName: string; answers: VerificationAnswers },
  ip: string | null,
): Promise<CaseView> {
  if (!input.callerName.trim() || hasForbiddenCharacters(input.callerName)) {
    throw new DomainError("validation_failed", undefined, {
      fields: { callerName: input.callerName.trim() ? FORBIDDEN_CHARACTERS_HINT : "required" },
    });
  }
  const account = await getAccountBySlug(deps.db, accountSlug);
  const now = deps.clock.now();
  const failedToday = await deps.db
    .selectFrom("recovery_cases")
    .select((eb) => eb.fn.countAll<number | string>().as("count"))
    .where("account_id", "=", account.id)
    // A failed case stays counted when it goes to a supervisor, whatever the supervisor decides.
    .where("status", "in", ["rejected", "unverified", "needs_supervisor", "closed"])
    .where("opened_at", ">", now - DAY_MS)
    .executeTakeFirstOrThrow();
  if (Number(failedToday.count) >= FAILED_CASES_PER_DAY) {
    await recordAuditEvent(deps.db, deps, {
      accountId: account.id,
      source: "support",
      actor: agentParty(agent),
      action: "support.recovery_throttled",
      target: null,
      ip,
      details: { failedCasesToday: Number(failedToday.count) },
    });
    throw new DomainError(
      "too_many_attempts",
      "Too many failed recovery attempts for this business today. Escalate to a supervisor.",
      undefined,
      Math.ceil(DAY_MS / 1000),
    );
  }

  const owner = await ownerOf(deps.db, account.id);
  const checks = compareAnswers(
    {
      ownerFullName: account.owner_full_name || fullName(owner),
      billingPostalCode: account.billing_postal_code,
      cardLast4: account.card_last4,
      businessPhone: account.business_phone,
    },
    input.answers,
  );
  const status = verdict(checks);
  const row: RecoveryCaseRow = {
    id: newId(deps.random, "case"),
    account_id: account.id,
    status,
    caller_name: input.callerName.trim(),
    checks: JSON.stringify(checks),
    opened_by: agent.id,
    opened_at: now,
    expires_at: now + CASE_LIFETIME_SECONDS * 1000,
    approved_by: null,
    approved_at: null,
    completed_by: null,
    completed_at: null,
    delivery: null,
    escalated_by: null,
    escalated_at: null,
    escalation_note: null,
    decided_by: null,
    decided_at: null,
    decision_note: null,
  };
  await deps.db.transaction().execute(async (tx) => {
    await tx.insertInto("recovery_cases").values(row).execute();
    await recordAuditEvent(tx, deps, {
      accountId: account.id,
      source: "support",
      actor: agentParty(agent),
      action: "support.recovery_case_opened",
      target: { type: "staff", id: owner.id, name: fullName(owner) },
      ip,
      details: { caseId: row.id, callerName: row.caller_name, checks, status },
    });
    if (status !== "verified" && Number(failedToday.count) + 1 >= FAILED_CASES_PER_DAY) {
      await recordAuditEvent(tx, deps, {
        accountId: account.id,
        source: "support",
        actor: agentParty(agent),
        action: "support.recovery_flagged",
        target: { type: "staff", id: owner.id, name: fullName(owner) },
        ip,
        details: { caseId: row.id, failedCasesToday: Number(failedToday.count) + 1 },
      });
    }
  });
  return toCaseView(deps.db, row, account, deps.config.supportDualControl);
}

export async function getCase(db: Executor, caseId: string): Promise<{ row: RecoveryCaseRow; account: AccountRow }> {
  const row = await db.selectFrom("recovery_cases").selectAll().where("id", "=", caseId).executeTakeFirst();
  const account = row ? await findAccountById(db, row.account_id) : undefined;
  if (!row || !account) throw new DomainError("not_found", "There is no such recovery case.");
  return { row, account };
}

export async function viewRecoveryCase(deps: RecoveryDeps, caseId: string): Promise<CaseView> {
  const { row, account } = await getCase(deps.db, caseId);
  return toCaseView(deps.db, row, account, deps.config.supportDualControl);
}

export async function approveRecoveryCase(
  deps: RecoveryDeps,
  agent: SupportAgentRow,
  caseId: string,
  ip: string | null,
): Promise<CaseView> {
  return deps.db.transaction().execute(async (tx) => {
    const { row, account } = await getCase(tx, caseId);
    const now = deps.clock.now();
    assertApprovable(row, agent.id, now);
    const result = await tx
      .updateTable("recovery_cases")
      .set({ status: "approved", approved_by: agent.id, approved_at: now })
      .where("id", "=", caseId)
      .where("status", "=", "verified")
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1)
      throw new DomainError("conflict", "This case changed meanwhile. Reload it.");
    await recordAuditEvent(tx, deps, {
      accountId: account.id,
      source: "support",
      actor: agentParty(agent),
      action: "support.recovery_case_approved",
      target: null,
      ip,
      details: { caseId, openedBy: await agentName(tx, row.opened_by) },
    });
    const { row: updated } = await getCase(tx, caseId);
    return toCaseView(tx, updated, account, deps.config.supportDualControl);
  });
}

function recoveryNoticeEmail(input: {
  businessName: string;
  firstName: string;
  forOwner: boolean;
  caseId: string;
  agents: string;
  delivery: string;
  at: number;
  supportContact: string;
  /** The owner's reset link, when that is how the owner gets back in: one email, not two. */
  resetLink?: { readonly url: string; readonly validMinutes: number; readonly username: string };
}) {
  const who = input.forOwner ? "your Business Owner sign-in" : `the Business Owner sign-in of ${input.businessName}`;
  const link = input.resetLink;
  return composeEmail({
    businessName: input.businessName,
    subject: `The ${input.businessName} Business Owner sign-in was recovered by Staffgate support`,
    blocks: [
      { kind: "paragraph", text: `Hi ${input.firstName},` },
      {
        kind: "paragraph",
        text: `Staffgate support verified the owner's identity and recovered ${who}. Every session of the Business Owner was signed out.`,
      },
      {
        kind: "facts",
        rows: [
          ["When", new Date(input.at).toUTCString()],
          ["Support case", input.caseId],
          ["Agents", input.agents],
          ["How", input.delivery],
          ...(link ? [["Username", link.username] as const] : []),
        ],
      },
      ...(link
        ? [
            { kind: "button" as const, label: "Choose a new password", url: link.url },
            {
              kind: "paragraph" as const,
              text: `The link works once, for ${link.validMinutes} minutes.`,
            },
          ]
        : []),
      {
        kind: "paragraph",
        text: `If the Business Owner did not ask for this, contact Staffgate support at once: ${input.supportContact}`,
      },
    ],
  });
}

export async function completeRecoveryCase(
  deps: RecoveryDeps,
  agent: SupportAgentRow,
  caseId: string,
  delivery: "email" | "temporary_password" | "two_factor_reset",
  ip: string | null,
): Promise<{ sentTo: string } | { temporaryPassword: string } | { twoFactorReset: true }> {
  const temporaryPassword = delivery === "temporary_password" ? newOneTimePassword() : undefined;
  const temporaryHash = temporaryPassword ? await deps.hasher.hash(temporaryPassword) : undefined;

  const result = await deps.db.transaction().execute(async (tx) => {
    const { row, account } = await getCase(tx, caseId);
    const now = deps.clock.now();
    assertCompletable(row, now, deps.config.supportDualControl);
    const claimed = await tx
      .updateTable("recovery_cases")
      .set({ status: "completed", completed_by: agent.id, completed_at: now, delivery })
      .where("id", "=", caseId)
      .where("status", "=", row.status)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1)
      throw new DomainError("conflict", "This case changed meanwhile. Reload it.");

    const owner = await ownerOf(tx, account.id);
    const actor = agentParty(agent);
    const agents = [await agentName(tx, row.opened_by), await agentName(tx, row.approved_by), agent.name]
      .filter((name, i, all): name is string => !!name && all.indexOf(name) === i)
      .join(", ");
    let answer: { sentTo: string } | { temporaryPassword: string } | { twoFactorReset: true };
    let ownerResetLink: string | undefined;
    if (delivery === "two_factor_reset") {
      // Lost phone: the owner's password stands; every second factor goes, and so do the owner's
      // sessions. The notices below tell the owner and the admins (once: this sends none itself).
      await removeAllSecondFactors(
        tx,
        deps,
        {
          accountId: account.id,
          accountName: account.name,
          staffId: owner.id,
          username: owner.username,
          firstName: owner.first_name,
          email: owner.email,
          party: { type: "staff", id: owner.id, name: fullName(owner) },
        },
        { party: actor, source: "support", ip, admins: [], notify: false, details: { caseId } },
      );
      await revokeAllSessionsOfStaff(tx, account.id, owner.id, { reason: "two_factor_reset", at: now });
      answer = { twoFactorReset: true };
    } else if (temporaryHash && temporaryPassword) {
      await storeNewPassword(tx, deps, {
        account,
        staff: owner,
        passwordHash: temporaryHash,
        mustChangeAtNextLogin: true,
        source: "support",
        actor,
        ip,
        method: "support_temporary_password",
        // The recovery notice below is the owner's one email about it.
        howForEmail: null,
      });
      answer = { temporaryPassword };
    } else {
      if (!owner.email)
        throw new DomainError("no_email", "The Business Owner has no email on file. Use a temporary password.");
      await revokeAllSessionsOfStaff(tx, account.id, owner.id, { reason: "password_reset", at: now });
      const issued = await issueResetToken(tx, deps, {
        accountId: account.id,
        staffId: owner.id,
        purpose: "owner_recovery",
        channel: "email",
        lifetimeSeconds: EMAIL_LINK_LIFETIME_SECONDS,
        requestedIp: ip,
      });
      // Sent in the owner's recovery notice below: one email per recovery.
      ownerResetLink = resetLink(deps.config.publicUrl, issued.token);
      answer = { sentTo: maskEmail(owner.email) };
    }

    const admins = await tx
      .selectFrom("staff")
      .selectAll()
      .where("account_id", "=", account.id)
      .where("status", "=", "active")
      .execute();
    // The owner (who always has Admin Access) is told whatever their status; each person once.
    const told = [owner, ...admins.filter((staff) => staff.id !== owner.id && hasAdminAccess(staff))];
    for (const person of told.filter((staff) => staff.email)) {
      await enqueueEmail(tx, deps, {
        accountId: account.id,
        to: person.email as string,
        template: "owner_recovered_notice",
        email: recoveryNoticeEmail({
          businessName: account.name,
          firstName: person.first_name,
          forOwner: person.id === owner.id,
          caseId,
          agents,
          delivery:
            delivery === "email"
              ? "A reset link to the owner's email on file"
              : delivery === "two_factor_reset"
                ? "The owner's two-step sign-in was removed (lost phone); the password is unchanged"
                : "A temporary password given to the verified caller",
          at: now,
          supportContact: deps.config.supportContact,
          ...(person.id === owner.id && ownerResetLink
            ? {
                resetLink: {
                  url: ownerResetLink,
                  validMinutes: EMAIL_LINK_LIFETIME_SECONDS / 60,
                  username: owner.username,
                },
              }
            : {}),
        }),
      });
    }
    await recordAuditEvent(tx, deps, {
      accountId: account.id,
      source: "support",
      actor,
      action: "support.owner_recovered",
      target: { type: "staff", id: owner.id, name: fullName(owner) },
      ip,
      details: {
        caseId,
        delivery,
        openedBy: await agentName(tx, row.opened_by),
        approvedBy: await agentName(tx, row.approved_by),
        ...("sentTo" in answer ? { sentTo: answer.sentTo } : {}),
      },
    });
    return answer;
  });
  deps.notifyOutbox();
  return result;
}
