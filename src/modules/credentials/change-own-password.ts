/**
 * A signed-in person changes their own password (also the forced change after a one-time
 * password). The current password is checked first, under the same throttle as sign-in — a
 * stolen session must not become a way to guess it. Success ends every session of theirs, this
 * one included: they sign in again with the new password (OWASP ASVS 5.0 V7.4.3).
 */
import { DomainError } from "../../shared/errors.js";
import { recordAuditEvent } from "../audit/index.js";
import { fullName, type StaffRow } from "../staff/index.js";
import { staffSubject } from "../throttling/index.js";
import type { AccountContext, CredentialsDeps, RequestContext } from "./credentials.deps.js";
import { hashAcceptablePassword, storeNewPassword } from "./new-password.js";
import { oneAtATime } from "./sign-in.js";

export interface ChangeOwnPasswordInput {
  readonly currentPassword: string;
  readonly newPassword: string;
  readonly newPasswordConfirmation: string;
}

export async function changeOwnPassword(
  deps: CredentialsDeps,
  account: AccountContext,
  staff: StaffRow,
  input: ChangeOwnPasswordInput,
  request: RequestContext,
): Promise<void> {
  if (input.newPassword.normalize("NFC") !== input.newPasswordConfirmation.normalize("NFC")) {
    throw new DomainError("passwords_do_not_match");
  }
  const keys = { subject: staffSubject(staff.id), ip: request.ip ?? "unknown" };
  const wait = await deps.loginThrottle.secondsToWait(keys);
  if (wait > 0) throw new DomainError("too_many_attempts", undefined, undefined, wait);
  const person = { type: "staff" as const, id: staff.id, name: fullName(staff) };

  await oneAtATime(deps, keys.subject, async () => {
    const current = staff.password_hash
      ? await deps.hasher.verify(staff.password_hash, input.currentPassword)
      : { valid: false };
    if (!current.valid) {
      await deps.loginThrottle.recordFailure(keys);
      await recordAuditEvent(deps.db, deps, {
        accountId: account.id,
        source: "office_portal",
        actor: person,
        action: "password.change_failed",
        target: person,
        ip: request.ip,
        details: { reason: "current_password_incorrect" },
      });
      throw new DomainError("current_password_incorrect");
    }
  });

  const passwordHash = await hashAcceptablePassword(deps, account, staff, input.newPassword);
  await deps.db.transaction().execute((tx) =>
    storeNewPassword(tx, deps, {
      account,
      staff,
      passwordHash,
      mustChangeAtNextLogin: false,
      source: "office_portal",
      actor: person,
      ip: request.ip,
      method: staff.must_change_password === 1 ? "forced_change" : "self",
      howForEmail: "You changed it while signed in.",
    }),
  );
  await deps.loginThrottle.clear(keys.subject);
}
