/**
 * The claims of each scope (API.md v2, "identity provider"), read fresh from the database each
 * time a token or userinfo is made, so a changed name or permission shows at the next refresh.
 *
 * - `profile`: `name`, `preferred_username` (the username);
 * - `email`: `email`, `email_verified` (a verified address only counts as verified);
 * - `staffgate`: `account` (the business's slug), `account_name`, `staff_id`, `is_owner`,
 *   `admin_full_access`, `permissions` (the keys the person holds; Admin Access holds them all).
 */
import { PERMISSION_CATALOGUE, isPermissionKey } from "../permissions/index.js";
import { parsePermissions } from "../staff/index.js";
import type { Person } from "./people.repository.js";

export const SCOPES = ["openid", "profile", "email", "staffgate"] as const;

export const CLAIMS_BY_SCOPE = {
  openid: ["sub"],
  profile: ["name", "preferred_username"],
  email: ["email", "email_verified"],
  staffgate: ["account", "account_name", "staff_id", "is_owner", "admin_full_access", "permissions"],
} as const;

export function personClaims(person: Person): Record<string, unknown> {
  const permissions = person.adminFullAccess
    ? PERMISSION_CATALOGUE.map((permission) => permission.key)
    : parsePermissions(person.permissions).filter(isPermissionKey);
  return {
    sub: person.staffId,
    name: `${person.firstName} ${person.lastName}`.trim(),
    preferred_username: person.username,
    ...(person.email ? { email: person.email, email_verified: person.emailVerified } : {}),
    account: person.accountSlug,
    account_name: person.accountName,
    staff_id: person.staffId,
    is_owner: person.isOwner,
    admin_full_access: person.adminFullAccess,
    permissions,
  };
}
