/**
 * A signed-in person changes their own password (also the forced change after a one-time
 * password). The current password is proven first (prove-password.ts: throttled, capped, never
 * evaluated while the login is locked), and the new one may not be the same. Success ends every
 * session of theirs, this one included: they sign in again with the new password (OWASP ASVS
 * 5.0 V7.4.3).
 */
import { DomainError } from "../../shared/errors.js";
import { fullName, type StaffPrincipal } from "../staff/index.js";
import type { AccountContext, CredentialsDeps, RequestContext } from "./credentials.deps.js";
import { hashAcceptablePassword, storeNewPassword } from "./new-password.js";
import { proveCurrentPassword, type ProvingSession } from "./prove-password.js";

export interface ChangeOwnPasswordInput {
  readonly currentPassword: string;
  readonly newPassword: string;
  readonly newPasswordConfirmation: string;
}

export async function changeOwnPassword(
  deps: CredentialsDeps,
  account: AccountContext,
  staff: StaffPrincipal,
  input: ChangeOwnPasswordInput,
  request: RequestContext & { readonly session: ProvingSession },
): Promise<void> {
  if (input.newPassword.normalize("NFC") !== input.newPasswordConfirmation.normalize("NFC")) {
    throw new DomainError("passwords_do_not_match");
  }
  const provenHash = await proveCurrentPassword(
    deps,
    account,
    staff,
    input.currentPassword,
    "change_password",
    request,
  );
  const passwordHash = await hashAcceptablePassword(deps, account, staff, input.newPassword, {
    currentPassword: input.currentPassword,
  });
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
      provenHash,
      howForEmail: "You changed it while signed in.",
    }),
  );
  deps.notifyOutbox();
}
