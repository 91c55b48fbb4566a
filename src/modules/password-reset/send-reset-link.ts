/**
 * "Reset Password Via Email / Via SMS" on the STAFF page. Admin Access only; the owner's only by
 * the owner; never for inactive staff. The link goes only to the address or number on file.
 * For SMS the refusals come in a fixed order — no SMS provider in this installation, messaging
 * off, no textable number, a destination the business may not text (toll fraud: premium and
 * other non-mobile ranges, international networks, countries not allowed in Settings), too many
 * texts this hour, no credit — and
 * nothing is charged on refusal. The token, the message and the credit debit commit in the
 * caller's transaction (see `runIdempotent`); a refusal rolls all of it back.
 */
import type { Config } from "../../config/config.js";
import type { Executor } from "../../db/database.js";
import { DomainError } from "../../shared/errors.js";
import { maskEmail, maskPhone } from "../../shared/mask.js";
import { smsDestination } from "../../shared/phone.js";
import { findAccountById, lockAccountById, smsAllowedCountries } from "../accounts/index.js";
import { recordAuditEvent } from "../audit/index.js";
import { enqueueEmail, enqueueSms } from "../messaging/index.js";
import { requireAdminAccess, requireOwnerProtection } from "../permissions/index.js";
import { issueResetToken } from "../reset-tokens/index.js";
import { debitOneCredit, requireTextAllowance } from "../sms-credits/index.js";
import { findStaffById, fullName, type StaffPrincipal } from "../staff/index.js";
import { EMAIL_LINK_LIFETIME_SECONDS, resetLink, type PasswordResetDeps } from "./password-reset.deps.js";
import { resetLinkEmail } from "./reset-emails.js";
import { resetLinkSms } from "./reset-sms.js";

/** Links sent by SMS live 10 minutes (SECURITY.md "Reset links"). */
export const SMS_LINK_LIFETIME_SECONDS = 10 * 60;

/** Texts also need their caps (SMS_PER_PERSON_PER_HOUR, SMS_PER_BUSINESS_PER_HOUR) and a provider. */
export interface SmsResetDeps extends PasswordResetDeps {
  readonly config: PasswordResetDeps["config"] &
    Pick<Config, "smsPerPersonPerHour" | "smsPerBusinessPerHour" | "smsAvailable">;
}

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
  deps: SmsResetDeps,
  input: SendResetInput,
): Promise<{ sentTo: string; smsCreditsRemaining: number }> {
  const { account, target } = await resetTarget(tx, input);
  // In production without an SMS provider a text would only be kept in memory: say so, charge nothing.
  if (!deps.config.smsAvailable) {
    throw new DomainError(
      "sms_unavailable",
      "Text messages can't be sent: this Staffgate installation has no SMS provider configured, so nothing was sent or charged. Send the link by email, or ask whoever runs Staffgate to set up an SMS provider (SMS_PROVIDER=twilio).",
    );
  }
  if (account.sms_voice_enabled !== 1) {
    throw new DomainError(
      "sms_disabled",
      "SMS/Voice messaging is turned off for this business. Turn it on in Settings to send texts.",
    );
  }
  if (!target.mobile_phone || target.sms_opt_in !== 1) {
    throw new DomainError(
      "no_sms_phone",
      `${fullName(target)} has no mobile number that may receive texts. Add one and tick “Can receive text messages”.`,
    );
  }
  // Numbers stored before they were kept in E.164 are read as the business's country's.
  const destination = smsDestination(target.mobile_phone, {
    country: account.country,
    allowedCountries: smsAllowedCountries(account),
  });
  if (!destination.allowed) {
    const masked = maskPhone(target.mobile_phone, account.country);
    throw new DomainError(
      "sms_destination_not_allowed",
      destination.reason === "country_not_allowed"
        ? `Texts to ${destination.description} are not allowed for this business, so nothing was sent or charged. Admin Access can allow the country in Settings.`
        : `${fullName(target)}'s number ${masked} is ${destination.description}, which can't receive texts from Staffgate, so nothing was sent or charged. Only mobile numbers can.`,
      {
        reason: destination.reason,
        ...(destination.numberType ? { numberType: destination.numberType } : {}),
        ...(destination.country ? { country: destination.country } : {}),
      },
    );
  }
  const number = destination.e164;
  // Texts of one business are counted and charged one at a time on every node (sms-caps.ts).
  await lockAccountById(tx, account.id);
  await requireTextAllowance(tx, {
    accountId: account.id,
    staffId: target.id,
    now: deps.clock.now(),
    caps: { perPersonPerHour: deps.config.smsPerPersonPerHour, perBusinessPerHour: deps.config.smsPerBusinessPerHour },
  });
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
  const sentTo = maskPhone(number, account.country);
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
