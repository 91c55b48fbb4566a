/**
 * "Forgot Password?" (OWASP Forgot Password Cheat Sheet). The HTTP reply is decided before any
 * of this runs: the route queues the request and answers the same 202 for every input. Here,
 * in the background, a real, active staff member with an email gets a link; the Business Owner
 * gets a notice that the owner is recovered through vendor support; everyone else gets nothing.
 * Requesting a reset changes nothing about the account.
 */
import { getAccountBySlug, lockAccountById } from "../accounts/index.js";
import { recordAuditEvent } from "../audit/index.js";
import { countForgotPasswordLinksSince, countResetTokensSince, issueResetToken } from "../reset-tokens/index.js";
import { countMessagesSince, enqueueEmail } from "../messaging/index.js";
import { findStaffByLogin, fullName, normalizeLogin } from "../staff/index.js";
import { isPersonSlowedDown, unlockLinkIfLocked } from "../credentials/index.js";
import {
  EMAIL_LINK_LIFETIME_SECONDS,
  RESET_EMAILS_PER_PERSON_PER_HOUR,
  resetLink,
  type PasswordResetDeps,
} from "./password-reset.deps.js";
import { ownerResetNoticeEmail, resetLinkEmail } from "./reset-emails.js";

export interface ResetRequest {
  readonly accountSlug: string;
  readonly login: string;
  readonly ip: string | null;
}

export type ResetRequestOutcome =
  "link_sent" | "owner_notice_sent" | "ignored_unknown" | "ignored_inactive" | "ignored_no_email" | "ignored_capped";

const HOUR_MS = 3600_000;

export async function processResetRequest(
  deps: PasswordResetDeps,
  request: ResetRequest,
): Promise<ResetRequestOutcome> {
  if ((await deps.resetRequestLimiter.hit(`reset-ip:${request.ip ?? "unknown"}`)) > 0) return "ignored_capped";
  const account = await getAccountBySlug(deps.db, request.accountSlug).catch(() => undefined);
  if (!account) return "ignored_unknown";
  const staff = await findStaffByLogin(deps.db, account.id, normalizeLogin(request.login));
  if (!staff) return "ignored_unknown";
  if (staff.status !== "active") return "ignored_inactive";
  if (!staff.email) return "ignored_no_email";

  const target = { type: "staff" as const, id: staff.id, name: fullName(staff) };
  const email = staff.email;
  // A stranger can drive the owner's sign-in into the hard lock or the longest delays: then the
  // notice also carries an unlock link, which changes no password (credentials/login-lockout.ts).
  const slowedDown = staff.is_owner === 1 && (await isPersonSlowedDown(deps.loginThrottle, staff));

  const outcome = await deps.db.transaction().execute(async (tx): Promise<ResetRequestOutcome> => {
    // Requests of one business run one at a time on every node, so each cap is counted and
    // spent in one go: exact, however many nodes take requests at once.
    await lockAccountById(tx, account.id);
    const now = deps.clock.now();
    const hourAgo = now - HOUR_MS;
    if ((await countForgotPasswordLinksSince(tx, account.id, hourAgo)) >= deps.config.resetEmailsPerBusinessPerHour) {
      return "ignored_capped";
    }
    if (staff.is_owner === 1) {
      const recent = await countMessagesSince(tx, {
        accountId: account.id,
        template: "owner_reset_notice",
        recipient: email,
        since: hourAgo,
      });
      if (recent >= RESET_EMAILS_PER_PERSON_PER_HOUR) return "ignored_capped";
      const unlockLink = await unlockLinkIfLocked(deps, tx, staff, { slowedDown });
      await enqueueEmail(tx, deps, {
        accountId: account.id,
        to: email,
        template: "owner_reset_notice",
        email: ownerResetNoticeEmail({
          businessName: account.name,
          firstName: staff.first_name,
          supportContact: deps.config.supportContact,
          unlockLink,
        }),
      });
      await recordAuditEvent(tx, deps, {
        accountId: account.id,
        source: "office_portal",
        actor: null,
        action: "password_reset.owner_notice_sent",
        target,
        ip: request.ip,
        details: { channel: "email", unlockLink: unlockLink !== undefined },
      });
      return "owner_notice_sent";
    }
    if ((await countResetTokensSince(tx, account.id, staff.id, hourAgo)) >= RESET_EMAILS_PER_PERSON_PER_HOUR) {
      return "ignored_capped";
    }
    const issued = await issueResetToken(tx, deps, {
      accountId: account.id,
      staffId: staff.id,
      purpose: "forgot_password",
      channel: "email",
      lifetimeSeconds: EMAIL_LINK_LIFETIME_SECONDS,
      requestedIp: request.ip,
    });
    await enqueueEmail(tx, deps, {
      accountId: account.id,
      to: email,
      template: "password_reset",
      email: resetLinkEmail({
        businessName: account.name,
        firstName: staff.first_name,
        username: staff.username,
        link: resetLink(deps.config.publicUrl, issued.token),
        validMinutes: EMAIL_LINK_LIFETIME_SECONDS / 60,
        requestedBy: "self",
      }),
    });
    await recordAuditEvent(tx, deps, {
      accountId: account.id,
      source: "office_portal",
      actor: null,
      action: "password_reset.requested",
      target,
      ip: request.ip,
      details: { channel: "email", purpose: "forgot_password", expiresAt: new Date(issued.expiresAt).toISOString() },
    });
    return "link_sent";
  });
  if (outcome === "link_sent" || outcome === "owner_notice_sent") deps.notifyOutbox();
  return outcome;
}
