/**
 * A signed-in person changes their own password (also the forced change after a one-time
 * password). The current password is proven first (prove-password.ts: throttled, capped, never
 * evaluated while the login is locked), and the new one may not be the same. Success ends every
 * session of theirs, this one included: they sign in again with the new password (OWASP ASVS
 * 5.0 V7.4.3).
 *
 * One exception: a session that must replace a one-time password, and that proved who it is
 * within the sudo window (10 minutes, `authenticated_at`), may leave the current password out.
 * The person typed the one-time password a moment ago to get here; asking again adds nothing
 * but a chance to mistype someone else's random string. Past the window the proof is stale (a
 * terminal left on the "choose a new password" page), so the current password is asked again.
 * The new password must still differ from the one-time one, checked against the stored hash.
 */
import { DomainError } from "../../shared/errors.js";
import { findStaffById, fullName, type StaffPrincipal } from "../staff/index.js";
import type { AccountContext, CredentialsDeps, RequestContext } from "./credentials.deps.js";
import { hashAcceptablePassword, storeNewPassword } from "./new-password.js";
import { proveCurrentPassword, type ProvingSession } from "./prove-password.js";

export interface ChangeOwnPasswordInput {
  /** May be left out only by a forced change within the sudo window (see above). */
  readonly currentPassword?: string | undefined;
  readonly newPassword: string;
  readonly newPasswordConfirmation: string;
}

export async function changeOwnPassword(
  deps: CredentialsDeps,
  account: AccountContext,
  staff: StaffPrincipal,
  input: ChangeOwnPasswordInput,
  request: RequestContext & { readonly session: ProvingSession & { readonly recentlyAuthenticated: boolean } },
): Promise<void> {
  if (input.newPassword.normalize("NFC") !== input.newPasswordConfirmation.normalize("NFC")) {
    throw new DomainError("passwords_do_not_match");
  }
  const { currentPassword } = input;
  let provenHash: string;
  if (currentPassword !== undefined) {
    provenHash = await proveCurrentPassword(deps, account, staff, currentPassword, "change_password", request);
  } else if (staff.must_change_password === 1 && request.session.recentlyAuthenticated) {
    provenHash = await oneTimeHashUnlike(deps, account, staff, input.newPassword);
  } else {
    throw new DomainError("current_password_incorrect", "Enter your current password too.", {
      fields: { currentPassword: "is required" },
    });
  }
  const passwordHash = await hashAcceptablePassword(
    deps,
    account,
    staff,
    input.newPassword,
    currentPassword !== undefined ? { currentPassword } : {},
  );
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

/**
 * The stored one-time password's hash, for `storeNewPassword` to check that nothing replaced it
 * meanwhile; refuses a new password equal to it (`same_as_current`, as when it is typed).
 */
async function oneTimeHashUnlike(
  deps: CredentialsDeps,
  account: AccountContext,
  staff: StaffPrincipal,
  newPassword: string,
): Promise<string> {
  const current = await findStaffById(deps.db, account.id, staff.id);
  const currentHash = current?.password_hash ?? null;
  // Made inactive or reset meanwhile: the session is about to end anyway.
  if (currentHash === null) throw new DomainError("current_password_incorrect");
  if ((await deps.hasher.verify(currentHash, newPassword)).valid) {
    throw new DomainError("password_rejected", undefined, { reasons: ["same_as_current"] });
  }
  return currentHash;
}
