/**
 * The rules of who may touch whom, as pure functions that throw the catalogued error.
 * Only Admin Access changes passwords, permissions or sends reset links; only the Business
 * Owner changes the Business Owner; details of an Admin Access member are changed only by Admin
 * Access (otherwise `staff.edit` could change an admin's email and take over through Forgot
 * Password).
 */
import { DomainError } from "../../shared/errors.js";
import {
  ADMIN_ACCESS_LABEL,
  canViewStaff,
  hasAdminAccess,
  hasPermission,
  type PermissionHolder,
} from "./permissions.js";

export interface Party extends PermissionHolder {
  readonly id: string;
}

export function requireStaffView(actor: Party): void {
  if (!canViewStaff(actor)) throw new DomainError("forbidden", "You need the “View staff” permission to see staff.");
}

export function requireAdminAccess(actor: Party, action: string): void {
  if (!hasAdminAccess(actor)) {
    throw new DomainError("forbidden", `Only staff with ${ADMIN_ACCESS_LABEL} can ${action}.`);
  }
}

/** The owner is changed only by the owner. */
export function requireOwnerProtection(actor: Party, target: Party): void {
  if (target.is_owner === 1 && actor.id !== target.id) {
    throw new DomainError("owner_protected", "Only the Business Owner can change the Business Owner.");
  }
}

export function requireStaffEdit(actor: Party, target: Party | undefined): void {
  if (!hasPermission(actor, "staff.edit")) {
    throw new DomainError("forbidden", "You need the “Add and edit staff” permission to change staff.");
  }
  if (!target) return;
  requireOwnerProtection(actor, target);
  if (hasAdminAccess(target) && !hasAdminAccess(actor)) {
    throw new DomainError("forbidden", `Only staff with ${ADMIN_ACCESS_LABEL} can change someone who has it.`);
  }
}

/** Sudo mode: the actor signed in or re-authenticated within the last 10 minutes. */
export function requireRecentAuthentication(actor: { readonly recentlyAuthenticated: boolean }, action: string): void {
  if (!actor.recentlyAuthenticated) {
    throw new DomainError("reauthentication_required", `For your security, confirm your password to ${action}.`);
  }
}
