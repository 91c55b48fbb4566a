/**
 * The one way a password is set, whatever the path (own change, forced change, admin, reset,
 * CLI): the policy with the person's own words, Argon2id, then — in the caller's transaction —
 * the new hash, every session ended and the audit row.
 */
import type { Executor } from "../../db/database.js";
import { DomainError } from "../../shared/errors.js";
import { recordAuditEvent, type AuditAction, type AuditParty, type AuditSource } from "../audit/index.js";
import { evaluatePassword, type CommonPasswordList, type PasswordEvaluation } from "../password-policy/index.js";
import { forgetTrustedBrowsersOfStaff, revokeAllSessionsOfStaff } from "../sessions/index.js";
import { deletePasskeysOfStaff, deletePendingSignInsOfStaff, secondFactorCapSubject } from "../two-factor/index.js";

/** How a password set by the person themselves is recorded (`StoreNewPasswordInput.method`). */
const SELF_CHANGES = new Set(["self", "forced_change", "self_from_staff_page"]);
import { fullName, lockStaffById, updateStaff, type StaffRow } from "../staff/index.js";
import { enqueueEmail } from "../messaging/index.js";
import { revokeResetTokensOfStaff, revokeStaffTokens } from "../reset-tokens/index.js";
import type { AccountContext, CredentialsDeps } from "./credentials.deps.js";
import type { PasswordHasher } from "./password-hasher.js";
import { clearAttempts } from "../throttling/index.js";
import { staffSubject } from "../throttling/index.js";
import { passwordChangedEmail } from "./password-changed-email.js";

type StaffWords = Pick<StaffRow, "username" | "first_name" | "last_name" | "email">;

/** The policy for this person in this business: every failing reason, or the NFC form to hash. */
export function evaluateNewPassword(
  deps: { commonPasswords?: CommonPasswordList },
  account: AccountContext,
  staff: StaffWords,
  password: string,
): PasswordEvaluation {
  return evaluatePassword(
    password,
    {
      minLength: account.password_min_length,
      username: staff.username,
      firstName: staff.first_name,
      lastName: staff.last_name,
      email: staff.email,
      accountName: account.name,
      accountSlug: account.slug,
    },
    deps.commonPasswords,
  );
}

/**
 * Checks the policy and hashes; throws `password_rejected` with every reason. A path that was
 * given the current password (and proved it) also refuses it as the new one.
 */
export async function hashAcceptablePassword(
  deps: { hasher: PasswordHasher; commonPasswords?: CommonPasswordList },
  account: AccountContext,
  staff: StaffWords,
  password: string,
  known: { currentPassword?: string } = {},
): Promise<string> {
  const evaluation = evaluateNewPassword(deps, account, staff, password);
  const sameAsCurrent =
    known.currentPassword !== undefined && known.currentPassword.normalize("NFC") === password.normalize("NFC");
  if (!evaluation.ok || sameAsCurrent) {
    const reasons = [...(evaluation.ok ? [] : evaluation.reasons), ...(sameAsCurrent ? ["same_as_current"] : [])];
    throw new DomainError("password_rejected", undefined, { reasons });
  }
  return deps.hasher.hash(evaluation.normalized);
}

export interface StoreNewPasswordInput {
  readonly account: AccountContext;
  readonly staff: Pick<StaffRow, "id" | "first_name" | "last_name" | "username" | "email" | "is_owner">;
  readonly passwordHash: string;
  readonly mustChangeAtNextLogin: boolean;
  readonly source: AuditSource;
  readonly actor: AuditParty | null;
  readonly ip: string | null;
  /** How it was set, recorded in the audit details: "self", "admin", "reset", "cli", … */
  readonly method: string;
  /**
   * How it was set, in words for the "your password was changed" email; null when the caller
   * sends the one email that tells the person (vendor support's recovery notice), so that one
   * change means one email.
   */
  readonly howForEmail: string | null;
  /**
   * The audit row this change is written as, when the use case is more than a password change
   * (a reset link's completion): one event per use, carrying both sets of details.
   */
  readonly auditAs?: { readonly action: AuditAction; readonly details: Readonly<Record<string, unknown>> };
  /** The hash the current password was proven against: the change stands only if it still is. */
  readonly provenHash?: string;
}

/**
 * Call inside a transaction: the new hash, every session and reset link of the person ended,
 * the audit row and the "your password was changed" email commit together. Returns how many
 * sessions were ended.
 */
export async function storeNewPassword(
  tx: Executor,
  deps: Pick<CredentialsDeps, "clock" | "random" | "secretBox" | "config">,
  input: StoreNewPasswordInput,
): Promise<{ sessionsEnded: number }> {
  const now = deps.clock.now();
  // Held until the transaction ends: a deactivation running at the same time (which removes the
  // password) either waits for this or went first, and then no password is set.
  const current = await lockStaffById(tx, input.account.id, input.staff.id);
  if (!current || current.status !== "active") {
    throw new DomainError("staff_inactive", `${fullName(input.staff)} is inactive. Make them active first.`);
  }
  // The current password proven a moment ago was replaced meanwhile (an admin's reset, say):
  // changing it now would undo that.
  if (input.provenHash !== undefined && current.password_hash !== input.provenHash) {
    throw new DomainError("current_password_incorrect");
  }
  await updateStaff(tx, input.account.id, input.staff.id, {
    password_hash: input.passwordHash,
    must_change_password: input.mustChangeAtNextLogin ? 1 : 0,
    password_changed_at: now,
    // A change of email waiting for its link dies with the old password: it may be the thief's.
    pending_email: null,
    updated_at: now,
  });
  // A new password lifts the hard lock (the old one can no longer be guessed).
  await clearAttempts(tx, staffSubject(input.staff.id));
  const sessionsEnded = await revokeAllSessionsOfStaff(tx, input.account.id, input.staff.id, {
    reason: SELF_CHANGES.has(input.method) ? "password_changed" : "password_reset",
    at: now,
  });
  const linksEnded = await revokeResetTokensOfStaff(tx, input.account.id, input.staff.id, now);
  // Every other link (unlock, email verification) and every trusted browser go too: whoever held
  // the old password may hold those as well.
  await revokeStaffTokens(tx, input.account.id, input.staff.id, "all", now);
  await forgetTrustedBrowsersOfStaff(tx, input.account.id, input.staff.id);
  // A sign-in waiting for its second step was begun with the old password.
  await deletePendingSignInsOfStaff(tx, input.account.id, input.staff.id);
  // Codes guessed against the person's second step count no more.
  await clearAttempts(tx, secondFactorCapSubject(input.staff.id));
  // A passkey signs in without a password: when someone else set this password (an admin, a
  // reset link, vendor support), the person may be taking their account back from whoever
  // registered one, so every passkey goes. Changing one's own password keeps them.
  const passkeysRemoved = SELF_CHANGES.has(input.method)
    ? 0
    : await deletePasskeysOfStaff(tx, input.account.id, input.staff.id);
  await recordAuditEvent(tx, deps, {
    accountId: input.account.id,
    source: input.source,
    actor: input.actor,
    action: input.auditAs?.action ?? "password.changed",
    target: { type: "staff", id: input.staff.id, name: fullName(input.staff) },
    ip: input.ip,
    details: {
      ...input.auditAs?.details,
      method: input.method,
      mustChangeAtNextLogin: input.mustChangeAtNextLogin,
      sessionsEnded,
      resetLinksEnded: linksEnded,
      ...(passkeysRemoved > 0 ? { passkeysRemoved } : {}),
    },
  });
  if (input.staff.email && input.howForEmail !== null) {
    await enqueueEmail(tx, deps, {
      accountId: input.account.id,
      to: input.staff.email,
      template: "password_changed",
      email: passwordChangedEmail({
        businessName: input.account.name,
        firstName: input.staff.first_name,
        username: input.staff.username,
        isOwner: input.staff.is_owner === 1,
        at: now,
        ip: input.ip,
        how: input.howForEmail,
        supportContact: deps.config.supportContact,
      }),
    });
  }
  return { sessionsEnded };
}
