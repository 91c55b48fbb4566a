/**
 * Admin Access sets a staff member's password from the STAFF page. The field is write-only:
 * nothing returns the password or hints at its length. The owner's password is set only by
 * the owner. It needs sudo mode (a sign-in or re-authentication in the last 10 minutes), and
 * one's own password here also needs the current one, as on every path that changes one's own
 * password. Setting someone else's password makes them choose their own at next sign-in
 * unless the admin says otherwise; it ends their sessions and links and tells them by email.
 */
import { DomainError } from "../../shared/errors.js";
import { requireAdminAccess, requireOwnerProtection, requireRecentAuthentication } from "../permissions/index.js";
import { findStaffById, fullName, type StaffPrincipal } from "../staff/index.js";
import type { AccountContext, CredentialsDeps, RequestContext } from "./credentials.deps.js";
import { hashAcceptablePassword, storeNewPassword } from "./new-password.js";
import { proveCurrentPassword, type ProvingSession } from "./prove-password.js";

export interface SetStaffPasswordInput {
  readonly password: string;
  readonly mustChangeAtNextLogin?: boolean | undefined;
  /** Required when it is the caller's own password. */
  readonly currentPassword?: string | undefined;
}

export async function setStaffPassword(
  deps: CredentialsDeps,
  account: AccountContext,
  actor: { readonly staff: StaffPrincipal; readonly recentlyAuthenticated: boolean },
  staffId: string,
  input: SetStaffPasswordInput,
  request: RequestContext & { readonly session: ProvingSession },
): Promise<{ signedOut: boolean }> {
  requireAdminAccess(actor.staff, "change another person's password");
  const target = await findStaffById(deps.db, account.id, staffId);
  if (!target) throw new DomainError("not_found", "There is no such staff member in this business.");
  requireOwnerProtection(actor.staff, target);
  requireRecentAuthentication(actor, "set a password");
  const own = target.id === actor.staff.id;
  let provenHash: string | undefined;
  if (own) {
    if (input.currentPassword === undefined) {
      throw new DomainError("current_password_incorrect", "To change your own password, enter your current one too.", {
        fields: { currentPassword: "is required for your own password" },
      });
    }
    provenHash = await proveCurrentPassword(deps, account, target, input.currentPassword, "change_password", request);
  }
  const mustChangeAtNextLogin = input.mustChangeAtNextLogin ?? !own;
  const passwordHash = await hashAcceptablePassword(
    deps,
    account,
    target,
    input.password,
    own && input.currentPassword !== undefined ? { currentPassword: input.currentPassword } : {},
  );
  await deps.db.transaction().execute((tx) =>
    storeNewPassword(tx, deps, {
      account,
      staff: target,
      passwordHash,
      mustChangeAtNextLogin,
      source: "office_portal",
      actor: { type: "staff", id: actor.staff.id, name: fullName(actor.staff) },
      ip: request.ip,
      method: own ? "self_from_staff_page" : "admin",
      ...(provenHash !== undefined ? { provenHash } : {}),
      howForEmail: own ? "You set it on the STAFF page." : `${fullName(actor.staff)} set it on the STAFF page.`,
    }),
  );
  deps.notifyOutbox();
  return { signedOut: own };
}
