/**
 * Admin Access sets a staff member's password from the STAFF page. The field is write-only:
 * nothing returns the password or hints at its length. The owner's password is set only by
 * the owner. Setting someone else's password makes them choose their own at next sign-in
 * unless the admin says otherwise; it ends their sessions and links and tells them by email.
 */
import { DomainError } from "../../shared/errors.js";
import { requireAdminAccess, requireOwnerProtection } from "../permissions/index.js";
import { findStaffById, fullName, type StaffRow } from "../staff/index.js";
import type { AccountContext, CredentialsDeps, RequestContext } from "./credentials.deps.js";
import { hashAcceptablePassword, storeNewPassword } from "./new-password.js";

export async function setStaffPassword(
  deps: CredentialsDeps,
  account: AccountContext,
  actor: StaffRow,
  staffId: string,
  input: { password: string; mustChangeAtNextLogin?: boolean },
  request: RequestContext,
): Promise<{ signedOut: boolean }> {
  requireAdminAccess(actor, "change another person's password");
  const target = await findStaffById(deps.db, account.id, staffId);
  if (!target) throw new DomainError("not_found", "There is no such staff member in this business.");
  requireOwnerProtection(actor, target);

  const own = target.id === actor.id;
  const mustChangeAtNextLogin = input.mustChangeAtNextLogin ?? !own;
  const passwordHash = await hashAcceptablePassword(deps, account, target, input.password);
  await deps.db.transaction().execute((tx) =>
    storeNewPassword(tx, deps, {
      account,
      staff: target,
      passwordHash,
      mustChangeAtNextLogin,
      source: "office_portal",
      actor: { type: "staff", id: actor.id, name: fullName(actor) },
      ip: request.ip,
      method: own ? "self_from_staff_page" : "admin",
      howForEmail: own ? "You set it on the STAFF page." : `${fullName(actor)} set it on the STAFF page.`,
    }),
  );
  return { signedOut: own };
}
