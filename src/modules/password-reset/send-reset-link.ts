/**
 * "Reset Password Via Email / Via SMS" on the STAFF page. Admin Access only; the owner's only by
 * the owner; never for inactive staff. The link goes only to the address or number on file.
 * For SMS the refusals come in a fixed order — messaging off, no textable number, no credit —
 * and nothing is charged on refusal. The token, the message and the credit debit commit in the
 * caller's transaction (see `runIdempotent`).
 */
import type { Executor } from "../../db/database.js";
import { DomainError } from "../../shared/errors.js";
import { maskEmail, maskPhone, toE164 } from "../../shared/mask.js";
import { findAccountById } from "../accounts/index.js";
import { recordAuditEvent } from "../audit/index.js";
import { enqueueEmail, enqueueSms } from "../messaging/index.js";
import { requireAdminAccess, requireOwnerProtection } from "../permissions/index.js";
import { issueResetToken } from "../reset-tokens/index.js";
import { debitOneCredit } from "../sms-credits/index.js";
import { findStaffById, fullName, type StaffPrincipal } from "../staff/index.js";
import { EMAIL_LINK_LIFETIME_SECONDS, resetLink, type PasswordResetDeps } from "./password-reset.deps.js";
import { resetLinkEmail } from "./reset-emails.js";
import { resetLinkSms } from "./reset-sms.js";

/** Links sent by SMS live 10 minutes (SECURITY.md "Reset links"). */
export const SMS_LINK_LIFETIME_SECONDS = 10 * 60;

export interface SendResetInput {
  readonly actor: StaffPrincipal;
  readonly staffId: string;
  readonly ip: string | null;
}

async function resetTarget(tx: Executor, input: SendResetInput) {
  requireAdminAccess(input.actor, "send password reset links");
  const account = await findAccountById(tx, input.actor.account_id);
  const target = await findStaffById(tx, input.actor.account_id, input.staffId);
  if (!account || !target) throw new DomainError("not_found", "There is no such staff member in this business.");
  requireOwnerProtection(input.actor, target);
  if (target.status !== "active") {
    throw new DomainError("staff_inactive", `${fullName(target)} is inactive. Make them active before sending a link.`);
  }
  return { account, target };
}

export async function sendResetLinkByEmail(
  tx: Executor,
  deps: PasswordResetDeps,
  input: SendResetInput,
): Promise<{ sentTo: string }> {
  const { account, target } = await resetTarget(tx, input);
  if (!target.email) {
    throw new DomainError("no_email", `${fullName(target)} has no primary email. Add one on the Details tab first.`);
  }
  const issued = await issueResetToken(tx, deps, {
    accountId: account.id,
    staffId: target.id,
    purpose: "admin_reset",
    channel: "email",
    lifetimeSeconds: EMAIL_LINK_LIFETIME_SECONDS,
    requestedIp: input.ip,
  });
  await enqueueEmail(tx, deps, {
    accountId: account.id,
    to: target.email,
    template: "password_reset",
    email: resetLinkEmail({
      businessName: account.name,
      firstName: target.first_name,
      username: target.username,
      link: resetLink(deps.config.publicUrl, issued.token),
      validMinutes: EMAIL_LINK_LIFETIME_SECONDS / 60,
      requestedBy: "admin",
    }),
  });
  const sentTo = maskEmail(target.email);
  await recordAuditEvent(tx, deps, {
    accountId: account.id,
    source: "office_portal",
    actor: { type: "staff", id: input.actor.id, name: fullName(input.actor) },
    action: "password_reset.link_sent",
    target: { type: "staff", id: target.id, name: fullName(target) },
    ip: input.ip,
    details: { channel: "email", sentTo, purpose: "admin_reset" },
  });
  return { sentTo };
}

export async function sendResetLinkBySms(
  tx: Executor,
  deps: PasswordResetDeps,
  input: SendResetInput,
): Promise<{ sentTo: string; smsCreditsRemaining: number }> {
  const { account, target } = await resetTarget(tx, input);
  if (account.sms_voice_enabled !== 1) {
    throw new DomainError(
      "sms_disabled",
      "SMS/Voice messaging is turned off for this business. Turn it on in Settings to send texts.",
    );
  }
  const number = target.mobile_phone && target.sms_opt_in === 1 ? toE164(target.mobile_phone) : undefined;
  if (!number) {
    throw new DomainError(
      "no_sms_phone",
      `${fullName(target)} has no mobile number that may receive texts. Add one and tick “Can receive text messages”.`,
    );
  }
  const issued = await issueResetToken(tx, deps, {
    accountId: account.id,
    staffId: target.id,
    purpose: "admin_reset",
    channel: "sms",
    lifetimeSeconds: SMS_LINK_LIFETIME_SECONDS,
    requestedIp: input.ip,
  });
  const messageId = await enqueueSms(tx, deps, {
    accountId: account.id,
    to: number,
    template: "password_reset_sms",
    text: resetLinkSms(account.name, resetLink(deps.config.publicUrl, issued.token), SMS_LINK_LIFETIME_SECONDS / 60),
  });
  const actor = { type: "staff" as const, id: input.actor.id, name: fullName(input.actor) };
  const { balanceAfter } = await debitOneCredit(tx, deps, {
    accountId: account.id,
    staffId: target.id,
    outboxMessageId: messageId,
    reason: `Password reset link by SMS to ${fullName(target)}`,
    actor,
    ip: input.ip,
  });
  const sentTo = maskPhone(number);
  await recordAuditEvent(tx, deps, {
    accountId: account.id,
    source: "office_portal",
    actor,
    action: "password_reset.link_sent",
    target: { type: "staff", id: target.id, name: fullName(target) },
    ip: input.ip,
    details: { channel: "sms", sentTo, purpose: "admin_reset", creditsUsed: 1, creditsRemaining: balanceAfter },
  });
  return { sentTo, smsCreditsRemaining: balanceAfter };
}
