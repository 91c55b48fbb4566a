import { useEffect, useId, useRef, useState } from "react";
import { ApiError, api, type AccountSettings, type Me, type ResetLinkSent, type Staff } from "../api";
import { ConfirmDialog } from "../components/Dialog";
import { describeError } from "../errors";
import { goToLogin, isSessionEnded } from "../session";
import { countryName } from "../settings/countries";
import { newIdempotencyKey } from "./idempotency";
import {
  NO_CREDITS_SUPPORT,
  OWNER_ONLY,
  canChangePassword,
  canSendResetEmail,
  canSendResetSms,
  creditsText,
  maskEmail,
  type Allowed,
  type ResetContext,
} from "./staffRules";

type Channel = "email" | "sms";

/** Automatic retries (same Idempotency-Key) after a lost answer or a busy server. */
const MAX_RETRIES = 2;

function isRetryable(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 0 || error.status >= 500);
}

function retryDelayMs(error: unknown, attempt: number): number {
  const seconds = error instanceof ApiError ? error.retryAfterSeconds : null;
  return seconds !== null ? Math.min(seconds, 5) * 1000 : 800 * (attempt + 1);
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Why "Via SMS" can't work in this installation at all (GET …/settings `smsAvailable: false`). */
const SMS_UNAVAILABLE =
  "Text messages can't be sent from this Staffgate installation: no SMS provider is set up. Send the link by email instead, or ask whoever runs Staffgate to set one up.";

/**
 * "Via SMS" as the server decides it: who may send and to whom first, then whether texts can
 * leave this installation at all, then the business's and the person's own conditions.
 */
function smsRule(context: ResetContext): Allowed {
  const sms = canSendResetSms(context);
  if (context.settings?.smsAvailable !== false) return sms;
  const permitted = canChangePassword(context.me, context.staff);
  if (!permitted.ok || context.staff.status !== "active") return sms;
  return { ok: false, reason: SMS_UNAVAILABLE };
}

/** libphonenumber's number types, named as the server's refusal names them (shared/phone.ts). */
const NUMBER_TYPES: Record<string, string> = {
  PREMIUM_RATE: "a premium-rate number",
  SHARED_COST: "a shared-cost number",
  PERSONAL_NUMBER: "a personal (follow-me) number",
  UAN: "a universal access number",
  PAGER: "a pager number",
  VOICEMAIL: "a voicemail access number",
  VOIP: "an internet (VoIP) number",
  TOLL_FREE: "a toll-free number",
  FIXED_LINE: "a landline",
};

/** `422 sms_destination_not_allowed`: where the text would have gone, and what to do about it. */
function destinationRefusal(error: ApiError, name: string): string {
  const { reason, country, numberType } = error.details;
  if (reason === "country_not_allowed") {
    const place = typeof country === "string" ? countryName(country) : "that country";
    return `Texts to numbers in ${place} aren't allowed for this business, so nothing was sent or charged. Someone with Admin Access can allow ${place} in Settings.`;
  }
  const kind =
    reason === "international_network"
      ? "a satellite or international network number"
      : reason === "not_in_service"
        ? "not a number in service"
        : ((typeof numberType === "string" ? NUMBER_TYPES[numberType] : undefined) ?? "not a mobile number");
  return `${name}'s number is ${kind}, which can't receive texts from Staffgate, so nothing was sent or charged. Only mobile numbers can: check the number on the Details tab, or send the link by email.`;
}

/** "+44 7700 900123" → "0123": enough to recognise a number in any country's way of writing it. */
function lastFourDigits(phone: string): string {
  return phone.replace(/\D/g, "").slice(-4);
}

interface Failure {
  message: string;
  /** Trying again would fail the same way; only closing helps. */
  final: boolean;
}

function failureOf(error: unknown, staff: Staff): Failure {
  const name = staff.firstName;
  if (error instanceof ApiError) {
    switch (error.code) {
      case "no_email":
        return {
          final: true,
          message: `${name} has no email address. Add one on the Details tab, save, and try again.`,
        };
      case "no_sms_phone":
        return {
          final: true,
          message: `${name} has no mobile number that can receive texts. Add a mobile number, tick “Can receive text messages (SMS)”, save, and try again.`,
        };
      case "sms_disabled":
        return {
          final: true,
          message: "SMS/Voice messaging is turned off for this business. It can be turned on in Settings.",
        };
      case "sms_unavailable":
        return { final: true, message: SMS_UNAVAILABLE };
      case "too_many_attempts": {
        // The hourly caps on texts (SMS_PER_PERSON_PER_HOUR, SMS_PER_BUSINESS_PER_HOUR).
        const { scope, limitPerHour } = error.details;
        if (scope !== "person" && scope !== "business") break;
        const minutes = Math.max(1, Math.ceil((error.retryAfterSeconds ?? 60) / 60));
        const who = scope === "person" ? `${name} has been sent` : "This business has sent";
        return {
          final: true,
          message: `${who} ${String(limitPerHour)} texts in the last hour, the most allowed, so nothing was sent or charged. Try again in about ${minutes} minute${minutes === 1 ? "" : "s"}, or send the link by email.`,
        };
      }
      case "sms_destination_not_allowed":
        return { final: true, message: destinationRefusal(error, name) };
      case "insufficient_sms_credits":
        return { final: true, message: `There are no SMS credits left. ${NO_CREDITS_SUPPORT}` };
      case "staff_inactive":
        return { final: true, message: `${name} is inactive. Reset links can only be sent to active staff.` };
      case "owner_protected":
        return { final: true, message: OWNER_ONLY };
      case "forbidden":
        return { final: true, message: describeError(error) };
      case "not_found":
        return { final: true, message: "Sending reset links isn't available right now. Please try again later." };
    }
  }
  return { final: false, message: describeError(error) };
}

/** "Reset Password Via Email" and "… Via SMS", each behind a confirmation naming the masked destination. */
export function ResetLinkActions({
  slug,
  me,
  staff,
  settings,
  unsavedEmail,
  unsavedSms,
  onSettingsChanged,
}: {
  slug: string;
  me: Me;
  /** As saved on the server. */
  staff: Staff;
  settings: AccountSettings | null;
  unsavedEmail: boolean;
  unsavedSms: boolean;
  onSettingsChanged: (changes: Partial<AccountSettings>) => void;
}) {
  const id = useId();
  const [confirming, setConfirming] = useState<Channel | null>(null);
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const sentRef = useRef<HTMLParagraphElement>(null);

  // The confirmation may sit below the fold of a scrolling window: bring it into view.
  useEffect(() => {
    if (sent) sentRef.current?.scrollIntoView({ block: "nearest" });
  }, [sent]);

  const context = { me, staff, settings, unsavedEmail, unsavedSms };
  const email = canSendResetEmail(context);
  const sms = smsRule(context);

  function open(channel: Channel, allowed: Allowed) {
    if (!allowed.ok) return;
    setFailure(null);
    setSent(null);
    setConfirming(channel);
  }

  function close() {
    setConfirming(null);
    setFailure(null);
  }

  async function send(channel: Channel) {
    if (pending) return;
    // One key per confirmed click; the automatic retries below reuse it, so nothing is sent twice.
    const key = newIdempotencyKey();
    setPending(true);
    setFailure(null);
    let result: ResetLinkSent | null = null;
    for (let attempt = 0; result === null; attempt++) {
      try {
        result = await api.sendResetLink(slug, staff.id, channel, key);
      } catch (error) {
        if (isRetryable(error) && attempt < MAX_RETRIES) {
          await wait(retryDelayMs(error, attempt));
          continue;
        }
        setPending(false);
        if (isSessionEnded(error)) {
          goToLogin(slug);
          return;
        }
        if (error instanceof ApiError && error.code === "insufficient_sms_credits")
          onSettingsChanged({ smsCredits: 0 });
        if (error instanceof ApiError && error.code === "sms_disabled") onSettingsChanged({ smsVoiceEnabled: false });
        if (error instanceof ApiError && error.code === "sms_unavailable") onSettingsChanged({ smsAvailable: false });
        setFailure(failureOf(error, staff));
        return;
      }
    }
    setPending(false);
    setConfirming(null);
    if (result.smsCreditsRemaining !== undefined) {
      onSettingsChanged({ smsCredits: result.smsCreditsRemaining });
      setSent(`Reset link sent to ${result.sentTo}. ${creditsText(result.smsCreditsRemaining)} left.`);
    } else {
      setSent(`Reset link sent to ${result.sentTo}.`);
    }
  }

  const credits = settings?.smsCredits;
  // The same reason for both (e.g. inactive) is said once, under both buttons.
  const sharedReason = !email.ok && !sms.ok && email.reason === sms.reason ? email.reason : null;
  const sharedId = `${id}-shared-reason`;

  return (
    <div className="reset-links">
      <p className="reset-links-intro">
        {staff.id === me.id
          ? "Or send yourself a link to choose a new password:"
          : `Or send ${staff.firstName} a link to choose ${staff.passwordSet ? "a new password" : "a password"} themselves:`}
      </p>
      <div className="reset-links-buttons">
        <ResetButton
          id={`${id}-email`}
          label="Reset Password Via Email"
          allowed={email}
          onClick={() => open("email", email)}
          sharedReasonId={sharedReason ? sharedId : undefined}
        />
        <ResetButton
          id={`${id}-sms`}
          label="Reset Password Via SMS"
          allowed={sms}
          onClick={() => open("sms", sms)}
          note={sms.ok && credits !== undefined ? `Uses 1 SMS credit — ${credits} left.` : undefined}
          sharedReasonId={sharedReason ? sharedId : undefined}
        />
      </div>
      {sharedReason && (
        <p id={sharedId} className="field-help reason shared-reason">
          {sharedReason}
        </p>
      )}
      <div role="status" className="form-status">
        {sent && (
          <p ref={sentRef} className="message message-notice">
            {sent}
          </p>
        )}
      </div>

      {confirming === "email" && staff.email && (
        <ConfirmDialog
          title="Send a password reset link by email?"
          confirmLabel={failure && !failure.final ? "Try again" : "Send link"}
          cancelLabel={failure?.final ? "Close" : "Cancel"}
          onConfirm={() => void send("email")}
          onCancel={close}
          pending={pending}
          error={failure?.message}
          confirmDisabled={failure?.final}
        >
          <p>
            Staffgate will email {staff.firstName} a link to choose a new password. It goes to{" "}
            <strong className="masked">{maskEmail(staff.email)}</strong> and works once, for 30 minutes.
          </p>
          <p>Their current password keeps working until they use the link.</p>
        </ConfirmDialog>
      )}
      {confirming === "sms" && staff.mobilePhone && (
        <ConfirmDialog
          title="Send a password reset link by text message?"
          confirmLabel={failure && !failure.final ? "Try again" : "Send text"}
          cancelLabel={failure?.final ? "Close" : "Cancel"}
          onConfirm={() => void send("sms")}
          onCancel={close}
          pending={pending}
          error={failure?.message}
          confirmDisabled={failure?.final}
        >
          <p>
            Staffgate will text {staff.firstName} a link to choose a new password. It goes to the mobile number ending
            in <strong className="masked">{lastFourDigits(staff.mobilePhone)}</strong> and works once, for 10 minutes.
          </p>
          {credits !== undefined && <p className="credit-cost">Uses 1 SMS credit — {credits} left.</p>}
        </ConfirmDialog>
      )}
    </div>
  );
}

/**
 * Stays focusable when it can't be used (aria-disabled), so keyboard and screen-reader users
 * reach it and hear why; the reason is also shown under it.
 */
function ResetButton({
  id,
  label,
  allowed,
  onClick,
  note,
  sharedReasonId,
}: {
  id: string;
  label: string;
  allowed: Allowed;
  onClick: () => void;
  note?: string | undefined;
  /** Set when the reason is shown once for both buttons. */
  sharedReasonId?: string | undefined;
}) {
  const reasonId = sharedReasonId ?? `${id}-reason`;
  const text = allowed.ok ? note : allowed.reason;
  return (
    <div className="reset-button">
      <button
        type="button"
        className="button button-secondary"
        aria-disabled={allowed.ok ? undefined : true}
        aria-describedby={text ? reasonId : undefined}
        onClick={onClick}
      >
        {label}
      </button>
      {text && !sharedReasonId && (
        <p id={reasonId} className={allowed.ok ? "field-help" : "field-help reason"}>
          {text}
        </p>
      )}
    </div>
  );
}
