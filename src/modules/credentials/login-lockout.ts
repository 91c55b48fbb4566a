/**
 * The hard lock and its way out. After 100 consecutive failed evaluations (login-attempts) no
 * password is evaluated for the person on any path. A stranger who knows only the business's
 * address can get there, so the lock must never keep the rightful person out for good — not even
 * the Business Owner, who can't use Forgot Password:
 *
 * - When the lock falls, the person gets an email with a single-use **unlock link** (24 hours),
 *   and every Admin Access member is told; at most one such round of mail per person per hour.
 * - The unlock link changes no password, so the owner may have one too (the owner's Forgot
 *   Password notice carries one while the owner's login is locked or slowed down).
 * - Opening it lifts the lock and the person's delays, and makes that browser a trusted browser
 *   (sessions/trusted-browsers.ts), whose attempts are counted apart from the stranger's.
 *
 * Guesses stay bounded: every 100 failures need the person's mailbox before 100 more are evaluated,
 * the same bound as a password reset gave before.
 */
import { recordAuditEvent } from "../audit/index.js";
import { composeEmail, enqueueEmail } from "../messaging/index.js";
import { issueStaffToken } from "../reset-tokens/index.js";
import { fullName, listAdminAccessMembers, type StaffRow } from "../staff/index.js";
import { staffSubject } from "../throttling/index.js";
import type { AccountContext, CredentialsDeps, RequestContext } from "./credentials.deps.js";
import { isLocked } from "../throttling/index.js";

export const UNLOCK_LINK_LIFETIME_SECONDS = 24 * 60 * 60;
/** At most one round of "your login was locked" mail per person per hour. */
export const LOCKOUT_NOTICE_INTERVAL_SECONDS = 60 * 60;

export function unlockLink(publicUrl: URL, token: string): string {
  // In the fragment, like reset links: never sent to a server or in a Referer.
  return `${publicUrl.origin}/unlock#token=${token}`;
}

function lockedEmailToPerson(input: {
  businessName: string;
  firstName: string;
  username: string;
  link: string | undefined;
  isOwner: boolean;
  supportContact: string;
}) {
  return composeEmail({
    businessName: input.businessName,
    subject: `Your ${input.businessName} Office Portal sign-in was locked`,
    blocks: [
      { kind: "paragraph", text: `Hi ${input.firstName},` },
      {
        kind: "paragraph",
        text: `Someone entered a wrong password for your Office Portal sign-in at ${input.businessName} 100 times in a row, so we locked it to protect you. Your password has not changed.`,
      },
      { kind: "facts", rows: [["Username", input.username]] },
      ...(input.link
        ? [
            { kind: "button" as const, label: "Unlock my sign-in", url: input.link },
            {
              kind: "paragraph" as const,
              text: "The link works once, for 24 hours, and trusts the browser you open it in: guesses by anyone else no longer affect your sign-in there.",
            },
          ]
        : []),
      {
        kind: "paragraph",
        text: input.isOwner
          ? `If you didn't cause this, someone may be guessing your password. Choose a long, unique one after you sign in. Staffgate support: ${input.supportContact}`
          : `If you didn't cause this, someone may be guessing your password: tell your manager or ${input.businessName}'s Business Owner.`,
      },
    ],
  });
}

function lockedEmailToAdmin(input: { businessName: string; firstName: string; personName: string; isOwner: boolean }) {
  return composeEmail({
    businessName: input.businessName,
    subject: `${input.personName}'s Office Portal sign-in at ${input.businessName} was locked`,
    blocks: [
      { kind: "paragraph", text: `Hi ${input.firstName},` },
      {
        kind: "paragraph",
        text: `After 100 wrong passwords in a row, we locked ${input.personName}'s Office Portal sign-in. They were emailed a link to unlock it; no password was changed.`,
      },
      {
        kind: "paragraph",
        text: input.isOwner
          ? "This is the Business Owner's sign-in. Someone may be guessing its password."
          : `If they can't get in, you can send them a password reset link from the STAFF page. The audit log shows where the attempts came from.`,
      },
    ],
  });
}

/**
 * The failure that reached the cap: audit it, and — at most once an hour per person — email the
 * person an unlock link and tell every Admin Access member.
 */
/** Whom a lock is about. */
type LockedPerson = Pick<StaffRow, "id" | "email" | "status" | "first_name" | "last_name" | "username" | "is_owner">;

export async function onLoginLocked(
  deps: CredentialsDeps,
  account: AccountContext,
  staff: LockedPerson,
  request: RequestContext,
): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    const now = deps.clock.now();
    const claimed = await tx
      .updateTable("staff")
      .set({ lockout_notified_at: now })
      .where("account_id", "=", account.id)
      .where("id", "=", staff.id)
      .where((eb) =>
        eb.or([
          eb("lockout_notified_at", "is", null),
          eb("lockout_notified_at", "<=", now - LOCKOUT_NOTICE_INTERVAL_SECONDS * 1000),
        ]),
      )
      .executeTakeFirst();
    const notify = Number(claimed.numUpdatedRows) === 1;
    const person = { type: "staff" as const, id: staff.id, name: fullName(staff) };
    let told = 0;
    if (notify && staff.email && staff.status === "active") {
      const issued = await issueStaffToken(tx, deps, {
        accountId: account.id,
        staffId: staff.id,
        purpose: "unlock",
        lifetimeSeconds: UNLOCK_LINK_LIFETIME_SECONDS,
      });
      await enqueueEmail(tx, deps, {
        accountId: account.id,
        to: staff.email,
        template: "login_locked",
        email: lockedEmailToPerson({
          businessName: account.name,
          firstName: staff.first_name,
          username: staff.username,
          link: unlockLink(deps.config.publicUrl, issued.token),
          isOwner: staff.is_owner === 1,
          supportContact: deps.config.supportContact,
        }),
      });
      told++;
    }
    if (notify) {
      for (const admin of await listAdminAccessMembers(tx, account.id)) {
        if (admin.id === staff.id || !admin.email) continue;
        await enqueueEmail(tx, deps, {
          accountId: account.id,
          to: admin.email,
          template: "login_locked_admin",
          email: lockedEmailToAdmin({
            businessName: account.name,
            firstName: admin.first_name,
            personName: fullName(staff),
            isOwner: staff.is_owner === 1,
          }),
        });
        told++;
      }
    }
    await recordAuditEvent(tx, deps, {
      accountId: account.id,
      source: "office_portal",
      actor: null,
      action: "auth.login_locked",
      target: person,
      ip: request.ip,
      details: { emailsSent: told },
    });
  });
  deps.notifyOutbox();
}

/**
 * For the owner's Forgot Password notice: an unlock link while the owner's sign-in is locked or
 * slowed down by failures.
 */
export async function unlockLinkIfLocked(
  deps: CredentialsDeps,
  tx: Parameters<typeof issueStaffToken>[0],
  staff: StaffRow,
  state: { slowedDown: boolean },
): Promise<string | undefined> {
  if (!state.slowedDown && !(await isLocked(tx, staffSubject(staff.id)))) return undefined;
  const issued = await issueStaffToken(tx, deps, {
    accountId: staff.account_id,
    staffId: staff.id,
    purpose: "unlock",
    lifetimeSeconds: UNLOCK_LINK_LIFETIME_SECONDS,
  });
  return unlockLink(deps.config.publicUrl, issued.token);
}
