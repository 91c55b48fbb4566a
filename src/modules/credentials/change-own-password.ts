/**
 * A signed-in person changes their own password (also the forced change after a one-time
 * password). Success ends every session of theirs, this one included: they sign in again with
 * the new password (OWASP ASVS 5.0 V7.4.3).
 */
import { DomainError } from "../../shared/errors.js";
import { fullName, type StaffRow } from "../staff/index.js";
import type { AccountContext, CredentialsDeps, RequestContext } from "./credentials.deps.js";
import { hashAcceptablePassword, storeNewPassword } from "./new-password.js";

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
  const passwordHash = await hashAcceptablePassword(deps, account, staff, input.newPassword);
  const current = staff.password_hash
    ? await deps.hasher.verify(staff.password_hash, input.currentPassword)
    : { valid: false };
  if (!current.valid) throw new DomainError("current_password_incorrect");

  await deps.db.transaction().execute((tx) =>
    storeNewPassword(tx, deps, {
      account,
      staff,
      passwordHash,
      mustChangeAtNextLogin: false,
      source: "office_portal",
      actor: { type: "staff", id: staff.id, name: fullName(staff) },
      ip: request.ip,
      method: staff.must_change_password === 1 ? "forced_change" : "self",
      howForEmail: "You changed it while signed in.",
    }),
  );
}
