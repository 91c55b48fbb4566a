/**
 * Opening an unlock link (credentials/login-lockout.ts): the hard lock and the person's delays
 * are lifted, no password changes, and the browser that opened it becomes a trusted browser.
 * Opening the page changes nothing; the page's button does.
 */
import { DomainError } from "../../shared/errors.js";
import { findAccountById } from "../accounts/index.js";
import { recordAuditEvent } from "../audit/index.js";
import { clearAttempts, clearPersonDelays, type RequestContext } from "../credentials/index.js";
import { businessOfStaffToken, consumeStaffToken, findUsableStaffToken } from "../reset-tokens/index.js";
import { trustBrowser } from "../sessions/index.js";
import { secondFactorCapSubject } from "../two-factor/index.js";
import { findStaffById, fullName } from "../staff/index.js";
import { staffSubject } from "../throttling/index.js";
import type { PasswordResetDeps } from "./password-reset.deps.js";

export interface UnlockResult {
  readonly account: { readonly slug: string; readonly name: string };
  readonly username: string;
  /** Goes into the trusted-browser cookie and nowhere else. */
  readonly browserToken: string;
  readonly browserMaxAgeSeconds: number;
}

function unlockLinkInvalid(account: { slug: string; name: string } | undefined): DomainError {
  const details = account ? { account: { slug: account.slug, name: account.name } } : undefined;
  return new DomainError("unlock_link_invalid", undefined, details);
}

export async function completeUnlock(
  deps: PasswordResetDeps,
  token: string,
  request: RequestContext & { browserToken?: string | undefined },
): Promise<UnlockResult> {
  const now = deps.clock.now();
  const row = await findUsableStaffToken(deps.db, token, "unlock", now);
  const account = row ? await findAccountById(deps.db, row.account_id) : undefined;
  const staff = row && account ? await findStaffById(deps.db, account.id, row.staff_id) : undefined;
  if (!row || !account || !staff || staff.status !== "active") {
    // A link we issued names its business (for "Send me a new link"); an unknown token learns nothing.
    throw unlockLinkInvalid(await businessOfStaffToken(deps.db, token, "unlock"));
  }
  const browser = await deps.db.transaction().execute(async (tx) => {
    if (!(await consumeStaffToken(tx, row.id, now))) throw unlockLinkInvalid(account);
    await clearAttempts(tx, staffSubject(staff.id));
    await clearAttempts(tx, secondFactorCapSubject(staff.id));
    const trusted = await trustBrowser(tx, deps, {
      accountId: account.id,
      staffId: staff.id,
      replacing: request.browserToken,
    });
    const person = { type: "staff" as const, id: staff.id, name: fullName(staff) };
    await recordAuditEvent(tx, deps, {
      accountId: account.id,
      source: "office_portal",
      actor: person,
      action: "auth.login_unlocked",
      target: person,
      ip: request.ip,
      details: { method: "unlock_link" },
    });
    return trusted;
  });
  await clearPersonDelays(deps.loginThrottle, staff);
  return {
    account: { slug: account.slug, name: account.name },
    username: staff.username,
    browserToken: browser.token,
    browserMaxAgeSeconds: browser.maxAgeSeconds,
  };
}
