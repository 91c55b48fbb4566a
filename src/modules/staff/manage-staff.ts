/**
 * STAFF page changes: add a staff member, edit details and status, and set permissions. Each
 * change, its revocations and its audit row commit together. Staff are never deleted: they
 * become Inactive, which ends their sessions and reset links at once and removes their password,
 * so that coming back needs a new password or reset link.
 */
import type { Kysely } from "kysely";
import type { Database, Executor } from "../../db/database.js";
import { DomainError } from "../../shared/errors.js";
import { newId } from "../../shared/random.js";
import { recordAuditEvent, type AuditParty } from "../audit/index.js";
import {
  hasAdminAccess,
  isPermissionKey,
  requireAdminAccess,
  requireOwnerProtection,
  requireRecentAuthentication,
  requireStaffEdit,
  requireStaffView,
} from "../permissions/index.js";
import { composeEmail, enqueueEmail } from "../messaging/index.js";
import { revokeResetTokensOfStaff, revokeStaffTokens } from "../reset-tokens/index.js";
import { deletePasskeysOfStaff, deletePendingSignInsOfStaff, twoFactorSummary } from "../two-factor/index.js";
import { forgetTrustedBrowsersOfStaff, revokeAllSessionsOfStaff } from "../sessions/index.js";
import { notifyPendingEmailChange, sendEmailVerification, type EmailVerificationDeps } from "./email-verification.js";
import {
  derivedColumns,
  fullName,
  normalizeLogin,
  parsePermissions,
  toStaffView,
  type StaffPrincipal,
  type StaffView,
} from "./staff.js";
import {
  cleanStaffDetails,
  conflictFromUniqueViolation,
  phoneCountryOf,
  requireDistinctUsername,
  type StaffDetailsInput,
} from "./staff-fields.js";
import {
  findStaffById,
  insertStaff,
  lockAccountForStaffChanges,
  lockStaffById,
  replaceSearchGrams,
  updateStaff,
} from "./staff.repository.js";
import type { StaffRow } from "./staff.table.js";

export interface ManageStaffDeps extends EmailVerificationDeps {
  readonly db: Kysely<Database>;
}

export interface Actor {
  readonly staff: StaffPrincipal;
  readonly ip: string | null;
  /** Signed in or re-authenticated within the last 10 minutes (sudo mode). */
  readonly recentlyAuthenticated: boolean;
}

async function businessName(db: Executor, accountId: string): Promise<string> {
  const row = await db.selectFrom("accounts").select("name").where("id", "=", accountId).executeTakeFirst();
  return row?.name ?? "your business";
}

/** Sent to the old address, so a hijacked email change doesn't go unnoticed. */
function emailChangedNotice(input: { businessName: string; firstName: string; changedBy: string; at: number }) {
  return composeEmail({
    businessName: input.businessName,
    subject: `Your email at ${input.businessName}'s Office Portal was changed`,
    blocks: [
      { kind: "paragraph", text: `Hi ${input.firstName},` },
      {
        kind: "paragraph",
        text: `The primary email of your Office Portal sign-in was changed by ${input.changedBy} on ${new Date(input.at).toUTCString()}. Password reset links now go to the new address, not this one.`,
      },
      {
        kind: "paragraph",
        text: `If you didn't expect this, tell your manager or ${input.businessName}'s Business Owner at once.`,
      },
    ],
  });
}

const party = (staff: Pick<StaffRow, "id" | "first_name" | "last_name">): AuditParty => ({
  type: "staff",
  id: staff.id,
  name: fullName(staff),
});

/** The person acted on; `lock` holds their row for a read-modify-write (see lockStaffById). */
async function getTarget(
  db: Executor,
  accountId: string,
  staffId: string,
  options: { lock?: boolean } = {},
): Promise<StaffRow> {
  const target = await (options.lock ? lockStaffById : findStaffById)(db, accountId, staffId);
  if (!target) throw new DomainError("not_found", "There is no such staff member in this business.");
  return target;
}

/** A person as the API shows them, with their second factors. */
export async function viewWithTwoFactor(db: Executor, row: StaffRow): Promise<StaffView> {
  return toStaffView(row, await twoFactorSummary(db, row.account_id, row.id));
}

/** Runs `work`, turning a unique-index violation into `409 conflict` naming the field. */
export async function withUniqueFields<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw conflictFromUniqueViolation(error) ?? error;
  }
}

export async function getStaffMember(db: Executor, actor: Actor, staffId: string): Promise<StaffView> {
  requireStaffView(actor.staff);
  return viewWithTwoFactor(db, await getTarget(db, actor.staff.account_id, staffId));
}

/** What `addStaffMemberIn` stores: the details as the person typed them, cleaned and checked. */
export interface NewStaffDetails {
  readonly username: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string | null;
  readonly mobilePhone: string | null;
  readonly smsOptIn: boolean;
}

/** Checks and cleans the Add staff form (names, email, the phone against the business's country). */
export async function cleanNewStaffDetails(
  db: Executor,
  accountId: string,
  input: StaffDetailsInput & { username: string; firstName: string; lastName: string },
): Promise<NewStaffDetails> {
  const details = cleanStaffDetails(input, await phoneCountryOf(db, accountId));
  return {
    username: details.username ?? input.username,
    firstName: details.firstName ?? input.firstName,
    lastName: details.lastName ?? input.lastName,
    email: details.email ?? null,
    mobilePhone: details.mobilePhone ?? null,
    smsOptIn: details.smsOptIn ?? false,
  };
}

/**
 * Adds the person in the caller's transaction (which must map unique violations with
 * `withUniqueFields`): no password, no permissions; the audit row `staff.created`.
 */
export async function addStaffMemberIn(
  tx: Executor,
  deps: Pick<ManageStaffDeps, "clock" | "random">,
  actor: Actor,
  details: NewStaffDetails,
): Promise<StaffRow> {
  requireStaffEdit(actor.staff, undefined);
  const accountId = actor.staff.account_id;
  const id = newId(deps.random, "stf");
  await lockAccountForStaffChanges(tx, accountId);
  await requireDistinctUsername(tx, accountId, details.username);
  await insertStaff(tx, {
    id,
    accountId,
    ...details,
    isOwner: false,
    adminFullAccess: false,
    permissions: [],
    passwordHash: null,
    mustChangePassword: false,
    now: deps.clock.now(),
  });
  const created = await getTarget(tx, accountId, id);
  await recordAuditEvent(tx, deps, {
    accountId,
    source: "office_portal",
    actor: party(actor.staff),
    action: "staff.created",
    target: party(created),
    ip: actor.ip,
    details: { username: created.username, email: created.email, mobilePhone: created.mobile_phone },
  });
  return created;
}

export interface StaffDetailsPatch extends StaffDetailsInput {
  readonly status?: "active" | "inactive";
}

export async function updateStaffDetails(
  deps: ManageStaffDeps,
  actor: Actor,
  staffId: string,
  patch: StaffDetailsPatch,
): Promise<StaffView> {
  const accountId = actor.staff.account_id;
  const details = cleanStaffDetails(patch, await phoneCountryOf(deps.db, accountId));
  return withUniqueFields(() =>
    deps.db.transaction().execute(async (tx) => {
      // A rename is checked against look-alikes with the business locked, as additions are: the
      // account row first, then the person's, the order Forgot Password and texts take them in.
      if (details.username !== undefined) await lockAccountForStaffChanges(tx, accountId);
      const target = await getTarget(tx, accountId, staffId, { lock: true });
      requireStaffEdit(actor.staff, target);
      if (target.is_owner === 1 && patch.status === "inactive") {
        throw new DomainError("owner_protected", "The Business Owner can't be made inactive.");
      }
      const now = deps.clock.now();
      const next = {
        username: details.username ?? target.username,
        first_name: details.firstName ?? target.first_name,
        last_name: details.lastName ?? target.last_name,
        email: details.email !== undefined ? details.email : target.email,
        mobile_phone: details.mobilePhone !== undefined ? details.mobilePhone : target.mobile_phone,
        sms_opt_in: details.smsOptIn !== undefined ? (details.smsOptIn ? 1 : 0) : target.sms_opt_in,
        status: patch.status ?? target.status,
      };
      const deactivated = target.status === "active" && next.status === "inactive";
      const reactivated = target.status === "inactive" && next.status === "active";
      const emailChanged = (next.email ?? "").toLowerCase() !== (target.email ?? "").toLowerCase();
      const mobileChanged = (next.mobile_phone ?? "") !== (target.mobile_phone ?? "");
      const textsStopped = target.sms_opt_in === 1 && next.sms_opt_in === 0;
      const own = actor.staff.id === target.id;
      // Reset links go to the email and mobile on file: changing someone else's is as strong
      // as setting their password, so it takes Admin Access; anyone's, one's own included, sudo mode.
      if ((emailChanged || mobileChanged) && !own && !hasAdminAccess(actor.staff)) {
        throw new DomainError(
          "forbidden",
          "Only staff with Admin Access (Full Permissions) can change another person's email or mobile number.",
        );
      }
      // Deactivation removes the password, reactivation brings the person's rights back: both are
      // credential changes, like setting a password.
      if (deactivated || reactivated) {
        requireAdminAccess(actor.staff, "make someone inactive or active again");
        requireRecentAuthentication(actor, "make someone inactive or active again");
      }
      if (emailChanged || mobileChanged) requireRecentAuthentication(actor, "change an email or mobile number");
      // A new address one types for oneself is only pending until its owner opens the link sent
      // to it; the address in force stays (email-verification.ts). Removing it takes effect.
      const pendingEmail = own && emailChanged && next.email !== null ? next.email : undefined;
      // Typing the address in force again withdraws a pending change (and its link).
      const pendingWithdrawn =
        details.email !== undefined && !emailChanged && target.pending_email !== null && pendingEmail === undefined;
      if (pendingEmail !== undefined) {
        next.email = target.email;
        const holder = await tx
          .selectFrom("staff")
          .select("id")
          .where("account_id", "=", accountId)
          .where("email_normalized", "=", normalizeLogin(pendingEmail))
          .where("id", "!=", target.id)
          .executeTakeFirst();
        if (holder) {
          throw new DomainError("conflict", "Another staff member already uses that email.", {
            fields: { email: "already in use" },
          });
        }
      }
      if (next.username !== target.username) await requireDistinctUsername(tx, accountId, next.username, target.id);
      const emailReplaced = (next.email ?? "").toLowerCase() !== (target.email ?? "").toLowerCase();
      const derived = derivedColumns(next);
      await updateStaff(tx, accountId, staffId, {
        ...next,
        ...derived,
        ...(pendingEmail !== undefined ? { pending_email: pendingEmail } : {}),
        ...(emailReplaced ? { pending_email: null, email_verified: 0 } : {}),
        ...(pendingWithdrawn ? { pending_email: null } : {}),
        // An inactive person has no password: coming back needs a new one or a reset link.
        ...(deactivated ? { password_hash: null, must_change_password: 0, pending_email: null } : {}),
        updated_at: now,
      });
      if (derived.search_text !== target.search_text || derived.sort_key !== target.sort_key) {
        await replaceSearchGrams(tx, accountId, [{ id: staffId, ...derived }]);
      }

      let sessionsEnded = 0;
      let resetLinksEnded = 0;
      if (deactivated) {
        sessionsEnded = await revokeAllSessionsOfStaff(tx, accountId, staffId, { reason: "made_inactive", at: now });
        await revokeStaffTokens(tx, accountId, staffId, "all", now);
        await forgetTrustedBrowsersOfStaff(tx, accountId, staffId);
        await deletePendingSignInsOfStaff(tx, accountId, staffId);
        // A passkey signs in without a password: an inactive person keeps none, so coming back
        // needs a new password or a reset link, as the password's removal intends.
        await deletePasskeysOfStaff(tx, accountId, staffId);
      }
      if (pendingWithdrawn) await revokeStaffTokens(tx, accountId, staffId, "email_verification", now);
      // A replaced address takes its unlock and verification links with it.
      if (emailReplaced && !deactivated) await revokeStaffTokens(tx, accountId, staffId, "all", now);
      if (deactivated || emailReplaced) {
        resetLinksEnded = await revokeResetTokensOfStaff(tx, accountId, staffId, now);
      } else if (mobileChanged || textsStopped) {
        // A link texted to a number that is no longer theirs must not outlive the change.
        resetLinksEnded = await revokeResetTokensOfStaff(tx, accountId, staffId, now, "sms");
      }
      const name = await businessName(tx, accountId);
      if (pendingEmail !== undefined) {
        await sendEmailVerification(tx, deps, {
          businessName: name,
          staff: target,
          email: pendingEmail,
          setBy: "self",
        });
        await notifyPendingEmailChange(tx, deps, { businessName: name, staff: target, pendingEmail, at: now });
      } else if (emailReplaced && next.email) {
        await sendEmailVerification(tx, deps, { businessName: name, staff: target, email: next.email, setBy: "admin" });
      }

      const changes = Object.fromEntries(
        (Object.keys(next) as Array<keyof typeof next>)
          .filter((key) => next[key] !== target[key])
          .map((key) => [key, { from: target[key], to: next[key] }]),
      );
      if (emailReplaced && target.email) {
        await enqueueEmail(tx, deps, {
          accountId,
          to: target.email,
          template: "email_changed",
          email: emailChangedNotice({
            businessName: name,
            firstName: target.first_name,
            changedBy: actor.staff.id === target.id ? "you" : fullName(actor.staff),
            at: now,
          }),
        });
      }
      if (Object.keys(changes).length > 0 || pendingEmail !== undefined || pendingWithdrawn) {
        await recordAuditEvent(tx, deps, {
          accountId,
          source: "office_portal",
          actor: party(actor.staff),
          action:
            patch.status !== undefined && patch.status !== target.status ? "staff.status_changed" : "staff.updated",
          target: party(target),
          ip: actor.ip,
          details: {
            changes,
            sessionsEnded,
            resetLinksEnded,
            ...(pendingEmail !== undefined ? { pendingEmail } : {}),
            ...(pendingWithdrawn ? { pendingEmailWithdrawn: target.pending_email } : {}),
          },
        });
      }
      return viewWithTwoFactor(tx, await getTarget(tx, accountId, staffId));
    }),
  );
}

export interface PermissionsInput {
  readonly adminFullAccess: boolean;
  readonly permissions: readonly string[];
}

/** Admin Access, and only catalogued keys; thrown before anything is read or written. */
export function requirePermissionsChange(actor: Actor, input: PermissionsInput): void {
  requireAdminAccess(actor.staff, "change permissions");
  const unknown = input.permissions.filter((key) => !isPermissionKey(key));
  if (unknown.length > 0) {
    throw new DomainError("validation_failed", undefined, {
      fields: { permissions: `unknown permission ${unknown.join(", ")}` },
    });
  }
}

export async function updateStaffPermissions(
  deps: ManageStaffDeps,
  actor: Actor,
  staffId: string,
  input: PermissionsInput,
): Promise<StaffView> {
  requirePermissionsChange(actor, input);
  return deps.db.transaction().execute(async (tx) => {
    await setStaffPermissionsIn(tx, deps, actor, staffId, input);
    return viewWithTwoFactor(tx, await getTarget(tx, actor.staff.account_id, staffId));
  });
}

/**
 * Sets a person's permissions in the caller's transaction (after `requirePermissionsChange`):
 * a grant needs sudo mode; any change ends their sessions and reset links; audited.
 */
export async function setStaffPermissionsIn(
  tx: Executor,
  deps: Pick<ManageStaffDeps, "clock" | "random">,
  actor: Actor,
  staffId: string,
  input: PermissionsInput,
): Promise<void> {
  requirePermissionsChange(actor, input);
  const accountId = actor.staff.account_id;
  const target = await getTarget(tx, accountId, staffId, { lock: true });
  requireOwnerProtection(actor.staff, target);
  if (target.is_owner === 1 && !input.adminFullAccess) {
    throw new DomainError("owner_protected", "The Business Owner always has Admin Access.");
  }
  const before = parsePermissions(target.permissions);
  const after = [...new Set(input.permissions)].sort();
  const hadAdmin = hasAdminAccess(target);
  const hasAdmin = input.adminFullAccess || target.is_owner === 1;
  const granted = (!hadAdmin && hasAdmin) || after.some((key) => !before.includes(key));
  const changed = granted || (hadAdmin && !hasAdmin) || before.some((key) => !after.includes(key));
  if (granted) requireRecentAuthentication(actor, "grant permissions");
  const now = deps.clock.now();
  await updateStaff(tx, accountId, staffId, {
    admin_full_access: input.adminFullAccess ? 1 : 0,
    permissions: JSON.stringify(after),
    updated_at: now,
  });
  // Any change of rights ends the person's sessions and reset links (SECURITY.md "Sessions"):
  // a session or link from before a grant never carries the new rights, and one from before a
  // loss never keeps the old ones.
  const sessionsEnded = changed
    ? await revokeAllSessionsOfStaff(tx, accountId, staffId, { reason: "permissions_changed", at: now })
    : 0;
  const resetLinksEnded = changed ? await revokeResetTokensOfStaff(tx, accountId, staffId, now) : 0;
  await recordAuditEvent(tx, deps, {
    accountId,
    source: "office_portal",
    actor: party(actor.staff),
    action: "staff.permissions_changed",
    target: party(target),
    ip: actor.ip,
    details: {
      adminFullAccess: { from: hadAdmin, to: hasAdmin },
      permissions: { from: before, to: after },
      sessionsEnded,
      resetLinksEnded,
    },
  });
}
