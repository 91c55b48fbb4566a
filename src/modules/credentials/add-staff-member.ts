/**
 * "Add staff" in one step: the person, and, when the form asks for them, their first password
 * and their permissions. Each part keeps the rule of its own endpoint — adding needs "Add and
 * edit staff"; a password or any permission needs Admin Access and sudo mode, as on the STAFF
 * page's edit window — and all of it commits in one transaction with the audit rows the separate
 * steps write (`staff.created`, `staff.permissions_changed`, `password.changed`), so a refusal
 * or a failure leaves nobody half made.
 */
import { DomainError } from "../../shared/errors.js";
import { requireAdminAccess, requireRecentAuthentication } from "../permissions/index.js";
import {
  addStaffMemberIn,
  cleanNewStaffDetails,
  findStaffById,
  fullName,
  requirePermissionsChange,
  setStaffPermissionsIn,
  viewWithTwoFactor,
  withUniqueFields,
  type Actor,
  type ManageStaffDeps,
  type PermissionsInput,
  type StaffView,
} from "../staff/index.js";
import type { AccountContext, CredentialsDeps } from "./credentials.deps.js";
import { hashAcceptablePassword, storeNewPassword } from "./new-password.js";

export interface AddStaffMemberInput {
  readonly username: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email?: string | null | undefined;
  readonly mobilePhone?: string | null | undefined;
  readonly smsOptIn?: boolean | undefined;
  readonly password?: string | undefined;
  /** With `password`: by default the person chooses their own at first sign-in. */
  readonly mustChangeAtNextLogin?: boolean | undefined;
  readonly adminFullAccess?: boolean | undefined;
  readonly permissions?: readonly string[] | undefined;
}

export async function addStaffMember(
  deps: CredentialsDeps & ManageStaffDeps,
  account: AccountContext,
  actor: Actor,
  input: AddStaffMemberInput,
): Promise<StaffView> {
  const rights: PermissionsInput | null =
    input.adminFullAccess !== undefined || input.permissions !== undefined
      ? { adminFullAccess: input.adminFullAccess ?? false, permissions: input.permissions ?? [] }
      : null;
  const grants = rights !== null && (rights.adminFullAccess || rights.permissions.length > 0);
  if (input.password === undefined && input.mustChangeAtNextLogin !== undefined) {
    throw new DomainError("validation_failed", undefined, {
      fields: { mustChangeAtNextLogin: "only with a password" },
    });
  }
  // Every refusal before any work: nothing is hashed or written for a request that can't succeed.
  const details = await cleanNewStaffDetails(deps.db, account.id, input);
  if (input.password !== undefined) {
    requireAdminAccess(actor.staff, "set a password");
    requireRecentAuthentication(actor, "set a password");
  }
  if (rights !== null) requirePermissionsChange(actor, rights);
  if (grants) requireRecentAuthentication(actor, "grant permissions");

  const words = {
    username: details.username,
    first_name: details.firstName,
    last_name: details.lastName,
    email: details.email,
  };
  const passwordHash =
    input.password === undefined ? null : await hashAcceptablePassword(deps, account, words, input.password);

  const created = await withUniqueFields(() =>
    deps.db.transaction().execute(async (tx) => {
      // addStaffMemberIn checks "Add and edit staff" first.
      const person = await addStaffMemberIn(tx, deps, actor, details);
      if (rights !== null) await setStaffPermissionsIn(tx, deps, actor, person.id, rights);
      if (passwordHash !== null) {
        await storeNewPassword(tx, deps, {
          account,
          staff: person,
          passwordHash,
          mustChangeAtNextLogin: input.mustChangeAtNextLogin ?? true,
          source: "office_portal",
          actor: { type: "staff", id: actor.staff.id, name: fullName(actor.staff) },
          ip: actor.ip,
          method: "admin",
          howForEmail: `${fullName(actor.staff)} set it when adding you on the STAFF page.`,
        });
      }
      // The row as it is now, password and permissions included.
      return viewWithTwoFactor(tx, (await findStaffById(tx, account.id, person.id)) ?? person);
    }),
  );
  if (passwordHash !== null) deps.notifyOutbox();
  return created;
}
