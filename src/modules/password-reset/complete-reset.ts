/**
 * Opening a link changes nothing (`lookupReset`); only completing it does. Completion sets the
 * password, consumes the token, ends every session and link of the person, clears their login
 * throttling, writes the audit row and queues the "password changed" email — one transaction.
 * Nobody is signed in by it. A rejected password (422) leaves the token usable.
 */
import { DomainError } from "../../shared/errors.js";
import { findAccountById } from "../accounts/index.js";
import {
  clearPersonDelays,
  evaluateNewPassword,
  hashAcceptablePassword,
  storeNewPassword,
  type RequestContext,
} from "../credentials/index.js";
import { businessOfResetToken, consumeResetToken, findUsableResetToken } from "../reset-tokens/index.js";
import { policyFor, type PasswordPolicy, type PasswordRejectionReason } from "../password-policy/index.js";
import { findStaffById, fullName, type StaffRow } from "../staff/index.js";
import type { AccountRow } from "../accounts/index.js";
import type { PasswordResetDeps } from "./password-reset.deps.js";

interface LiveReset {
  readonly tokenId: string;
  readonly purpose: string;
  readonly channel: string;
  readonly expiresAt: number;
  readonly account: AccountRow;
  readonly staff: StaffRow;
}

/**
 * `reset_link_invalid` — one code and message for every bad link. A link we issued (expired, used,
 * replaced) also names its business in `details.account`: whoever holds it got it from that
 * business, so the page can offer "Send me a new link" there without asking for the business
 * address. A token we never issued learns nothing.
 */
function resetLinkInvalid(account: { slug: string; name: string } | undefined): DomainError {
  const details = account ? { account: { slug: account.slug, name: account.name } } : undefined;
  return new DomainError("reset_link_invalid", undefined, details);
}

/** The link's account and person, or `reset_link_invalid`. */
async function liveReset(deps: PasswordResetDeps, token: string): Promise<LiveReset> {
  const row = await findUsableResetToken(deps.db, token, deps.clock.now());
  const account = row ? await findAccountById(deps.db, row.account_id) : undefined;
  const staff = row && account ? await findStaffById(deps.db, account.id, row.staff_id) : undefined;
  if (!row || !account || !staff || staff.status !== "active") {
    throw resetLinkInvalid(await businessOfResetToken(deps.db, token));
  }
  return { tokenId: row.id, purpose: row.purpose, channel: row.channel, expiresAt: row.expires_at, account, staff };
}

export interface ResetLookup {
  readonly account: { readonly slug: string; readonly name: string };
  readonly username: string;
  readonly expiresAt: string;
  readonly policy: PasswordPolicy;
}

export async function lookupReset(deps: PasswordResetDeps, token: string): Promise<ResetLookup> {
  const reset = await liveReset(deps, token);
  return {
    account: { slug: reset.account.slug, name: reset.account.name },
    username: reset.staff.username,
    expiresAt: new Date(reset.expiresAt).toISOString(),
    policy: policyFor(reset.account.password_min_length),
  };
}

export async function checkResetPassword(
  deps: PasswordResetDeps,
  token: string,
  password: string,
): Promise<{ ok: boolean; reasons: PasswordRejectionReason[]; policy: PasswordPolicy }> {
  const reset = await liveReset(deps, token);
  const evaluation = evaluateNewPassword(deps, reset.account, reset.staff, password);
  return {
    ok: evaluation.ok,
    reasons: evaluation.ok ? [] : [...evaluation.reasons],
    policy: policyFor(reset.account.password_min_length),
  };
}

export async function completeReset(
  deps: PasswordResetDeps,
  input: { token: string; password: string; passwordConfirmation: string },
  request: RequestContext,
): Promise<void> {
  const reset = await liveReset(deps, input.token);
  if (input.password.normalize("NFC") !== input.passwordConfirmation.normalize("NFC")) {
    throw new DomainError("passwords_do_not_match");
  }
  const passwordHash = await hashAcceptablePassword(deps, reset.account, reset.staff, input.password);
  const person = { type: "staff" as const, id: reset.staff.id, name: fullName(reset.staff) };

  await deps.db.transaction().execute(async (tx) => {
    const now = deps.clock.now();
    // The single winner of a race: every other completion finds the token used and rolls back.
    if (!(await consumeResetToken(tx, reset.tokenId, now))) throw resetLinkInvalid(reset.account);
    await storeNewPassword(tx, deps, {
      account: reset.account,
      staff: reset.staff,
      passwordHash,
      mustChangeAtNextLogin: false,
      source: "office_portal",
      actor: person,
      ip: request.ip,
      method: "reset_link",
      howForEmail: "With a password reset link.",
      // One use of a link is one event: the reset, with the password change's details.
      auditAs: { action: "password_reset.completed", details: { purpose: reset.purpose, channel: reset.channel } },
    });
  });

  deps.notifyOutbox();
  await clearPersonDelays(deps.loginThrottle, reset.staff);
}
