/**
 * A signed-in person proves their current password: to change it, to change it on the STAFF
 * page, or to re-authenticate for sudo mode. A stolen session must not become a way to guess it,
 * so this is sign-in's evaluation (password-attempt.ts): delays of the session's own (a stranger
 * guessing at the sign-in page doesn't hold a signed-in person up), one at a time, and the
 * person's hard cap — once a login is locked, no path evaluates a password for it, whatever
 * session asks.
 */
import { DomainError } from "../../shared/errors.js";
import { recordAuditEvent, type AuditAction } from "../audit/index.js";
import { findStaffById, fullName, type StaffPrincipal } from "../staff/index.js";
import { staffSubject } from "../throttling/index.js";
import type { AccountContext, CredentialsDeps, RequestContext } from "./credentials.deps.js";
import { onLoginLocked } from "./login-lockout.js";
import { attemptPassword } from "./password-attempt.js";

export type ProofPurpose = "change_password" | "reauthenticate";

const FAILED_ACTION: Record<ProofPurpose, AuditAction> = {
  change_password: "password.change_failed",
  reauthenticate: "auth.reauthentication_failed",
};

export const LOCKED_MESSAGE =
  "Your sign-in is locked after too many wrong passwords. Open the unlock link we emailed you, or ask an administrator to send you a password reset link.";

type Person = Pick<StaffPrincipal, "id" | "first_name" | "last_name" | "email" | "status" | "username" | "is_owner">;

/** The signed-in session asking: its id's hash keys its delays. */
export interface ProvingSession {
  readonly idHash: string;
}

/**
 * Resolves to the hash the password was proven against, for `storeNewPassword` to check that
 * nothing replaced it meanwhile.
 */
export async function proveCurrentPassword(
  deps: CredentialsDeps,
  account: AccountContext,
  staff: Person,
  password: string,
  purpose: ProofPurpose,
  request: RequestContext & { readonly session: ProvingSession },
): Promise<string> {
  const person = { type: "staff" as const, id: staff.id, name: fullName(staff) };
  // The hash is read here, fresh, and only here: a request's principal never carries it.
  const current = await findStaffById(deps.db, account.id, staff.id);
  const passwordHash = current?.password_hash ?? null;
  const outcome = await attemptPassword(deps, {
    capSubject: staffSubject(staff.id),
    keys: { subject: `session:${request.session.idHash}`, ip: request.ip ?? "unknown" },
    passwordHash,
    password,
    audit: { accountId: account.id, source: "office_portal", target: person, ip: request.ip },
  });
  if (outcome.valid && passwordHash !== null) return passwordHash;
  await recordAuditEvent(deps.db, deps, {
    accountId: account.id,
    source: "office_portal",
    actor: person,
    action: FAILED_ACTION[purpose],
    target: person,
    ip: request.ip,
    details: { reason: !outcome.valid && outcome.reason === "locked" ? "locked" : "current_password_incorrect" },
  });
  if (!outcome.valid && outcome.lockedNow) await onLoginLocked(deps, account, staff, request);
  if (!outcome.valid && outcome.reason === "locked") {
    throw new DomainError("too_many_attempts", LOCKED_MESSAGE, { locked: true }, 3600);
  }
  throw new DomainError("current_password_incorrect");
}
