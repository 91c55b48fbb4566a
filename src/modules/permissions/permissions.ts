/**
 * The permission catalogue, declared once and shared by the server and the UI
 * (`GET /api/permissions`). "Admin Access (Full Permissions)" implies every permission; the
 * Business Owner always has Admin Access. Checks are pure functions of the staff row.
 */

export const PERMISSION_CATALOGUE = [
  {
    key: "staff.view",
    label: "View staff",
    description: "See the STAFF page: names, usernames, contact details and status.",
  },
  {
    key: "staff.edit",
    label: "Add and edit staff",
    description: "Add staff members and change their details and status (not passwords or permissions).",
  },
] as const;

export type PermissionKey = (typeof PERMISSION_CATALOGUE)[number]["key"];

export const ADMIN_ACCESS_LABEL = "Admin Access (Full Permissions)";

export interface PermissionHolder {
  readonly is_owner: number;
  readonly admin_full_access: number;
  readonly permissions: string;
}

export function isPermissionKey(key: string): key is PermissionKey {
  return PERMISSION_CATALOGUE.some((permission) => permission.key === key);
}

export function hasAdminAccess(staff: PermissionHolder): boolean {
  return staff.is_owner === 1 || staff.admin_full_access === 1;
}

export function hasPermission(staff: PermissionHolder, key: PermissionKey): boolean {
  if (hasAdminAccess(staff)) return true;
  const granted: unknown = JSON.parse(staff.permissions);
  return Array.isArray(granted) && granted.includes(key);
}

/** `staff.edit` includes seeing the staff it edits. */
export function canViewStaff(staff: PermissionHolder): boolean {
  return hasPermission(staff, "staff.view") || hasPermission(staff, "staff.edit");
}
