// The audit log in plain words: a readable name per action (for the filter), one sentence per
// event, and the event's details as "key: value" lines. The words come from the list the server
// shares (src/contract/audit-actions.ts), so no action, detail or code reaches a reader as a code;
// an action from a newer server still shows, by its sentence's fallback.
import {
  AUDIT_ACTIONS,
  AUDIT_DETAIL_CODES,
  AUDIT_DETAIL_KEYS,
  AUDIT_GROUPS,
  type AuditActionText,
  type AuditDetailKey,
  type AuditGroup,
} from "../../../src/contract/audit-actions";
import type { AuditEvent } from "../api";

const actionTexts: Readonly<Record<string, AuditActionText>> = AUDIT_ACTIONS;
const detailKeys: Readonly<Record<string, AuditDetailKey>> = AUDIT_DETAIL_KEYS;

/** The filter's groups ("Signing in", "Vendor support", …), each with its actions. */
export const ACTION_GROUPS: ReadonlyArray<{
  readonly label: string;
  readonly actions: ReadonlyArray<readonly [action: string, name: string]>;
}> = (Object.keys(AUDIT_GROUPS) as AuditGroup[])
  .map((group) => ({
    label: AUDIT_GROUPS[group],
    actions: Object.entries(actionTexts)
      .filter(([, text]) => text.group === group)
      .map(([action, text]) => [action, text.name] as const),
  }))
  .filter((group) => group.actions.length > 0);

function actionSentence(action: string): string {
  return actionTexts[action]?.sentence ?? "Something else happened";
}

export const SOURCE_NAMES: Record<string, string> = {
  office_portal: "Office Portal",
  support: "Vendor support",
  system: "System",
};

export function sourceName(source: string): string {
  return SOURCE_NAMES[source] ?? source;
}

/** A detail's label, lower-cased for use inside a sentence ("the first name and email of …"). */
function fieldName(key: string): string {
  const label = detailKeys[key]?.label;
  return label ? label.charAt(0).toLowerCase() + label.slice(1) : key.replace(/_/g, " ");
}

/** Words for a code of the server's vocabulary; a sentence or a name is shown as it is. */
function codeWords(value: unknown): string {
  const code = String(value);
  return AUDIT_DETAIL_CODES[code] ?? code;
}

function methodWords(value: unknown): string[] {
  const methods = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return methods.map(codeWords);
}

const CHANNELS: Record<string, string> = { email: "email", sms: "SMS" };

type Details = Record<string, unknown>;

const isRecord = (value: unknown): value is Details =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

function onOff(value: unknown): string {
  return value === true ? "on" : value === false ? "off" : String(value);
}

function settingChange(key: string, change: unknown): string {
  const name = fieldName(key);
  if (!isRecord(change)) return name;
  if (key === "smsVoiceEnabled") return `turned ${name} ${onOff(change.to)}`;
  if (key === "requireTwoFactor") {
    return change.to === true
      ? "required two-step sign-in for everyone"
      : change.to === false
        ? "stopped requiring two-step sign-in"
        : name;
  }
  return `${name} ${String(change.from)} → ${String(change.to)}`;
}

function permissionChanges(details: Details, permissionLabel: (key: string) => string): string[] {
  const parts: string[] = [];
  const admin = details.adminFullAccess;
  if (isRecord(admin) && admin.from !== admin.to) parts.push(admin.to ? "gave Admin Access" : "removed Admin Access");
  const permissions = details.permissions;
  if (isRecord(permissions) && Array.isArray(permissions.from) && Array.isArray(permissions.to)) {
    const from = permissions.from.map(String);
    const to = permissions.to.map(String);
    const added = to.filter((key) => !from.includes(key)).map(permissionLabel);
    const removed = from.filter((key) => !to.includes(key)).map(permissionLabel);
    if (added.length > 0) parts.push(`gave ${listWords(added)}`);
    if (removed.length > 0) parts.push(`removed ${listWords(removed)}`);
  }
  return parts;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * One sentence for the "What" column, e.g. "Changed the password of Sam Rivera". An event that
 * happened again within the same minute (a refusal, a throttled sign-in) is one row with
 * `details.count`, and the sentence says how many times.
 */
export function describeEvent(event: AuditEvent, permissionLabel: (key: string) => string = (key) => key): string {
  const details: Details = isRecord(event.details) ? event.details : {};
  const sentence = describeOnce(event, details, permissionLabel);
  const count = Number(details.count);
  return Number.isInteger(count) && count > 1 ? `${sentence} (${count} times within a minute)` : sentence;
}

function describeOnce(event: AuditEvent, details: Details, permissionLabel: (key: string) => string): string {
  const target = event.target?.name ?? "someone";
  const actorId = event.actor?.id ?? null;
  const self = actorId !== null && actorId === (event.target?.id ?? null);
  const channel = CHANNELS[String(details.channel)] ?? text(details.channel);

  switch (event.action) {
    case "auth.signed_in": {
      const methods = methodWords(details.methods);
      const how = methods.length > 0 ? ` with ${listWords(methods)}` : "";
      return details.staySignedIn === true ? `Signed in${how} (stay signed in)` : `Signed in${how}`;
    }
    case "auth.second_factor_required":
      return details.enrollmentRequired === true
        ? "Entered the right password; asked to set up two-step sign-in, as the business requires"
        : "Entered the right password; asked for the second step";
    case "auth.sign_in_failed": {
      const reason = details.reason === undefined ? undefined : codeWords(details.reason);
      return reason ? `Sign-in failed: ${reason}` : "Sign-in failed";
    }
    case "auth.signed_out":
      return "Signed out";
    case "auth.sign_in_throttled": {
      const wait = Number(details.retryAfterSeconds);
      const who = event.target?.name ? ` for ${event.target.name}` : "";
      return Number.isFinite(wait) && wait > 0
        ? `Refused a sign-in attempt${who}: too many wrong passwords, next try allowed in ${plural(wait, "second", "seconds")}`
        : `Refused a sign-in attempt${who}: too many wrong passwords`;
    }
    case "auth.login_locked": {
      const sent = Number(details.emailsSent);
      const emails = Number.isInteger(sent)
        ? sent > 0
          ? ` and sent ${plural(sent, "email", "emails")} about it`
          : " (no emails sent this time)"
        : "";
      return `Locked the sign-in of ${target} after 100 wrong passwords in a row${emails}`;
    }
    case "auth.login_unlocked":
      return "Unlocked their sign-in with the emailed unlock link";
    case "auth.reauthenticated": {
      const [method] = methodWords(details.method);
      return method === undefined || method === "password"
        ? "Confirmed their password"
        : `Confirmed it's them with ${/^[aeiou]/.test(method) ? "an" : "a"} ${method}`;
    }
    case "auth.reauthentication_failed":
      return details.reason === "locked"
        ? "Tried to confirm their password while their sign-in was locked"
        : "Tried to confirm their password, but it was wrong";
    case "access.refused": {
      const code = text(details.code);
      const why = code ? codeWords(code) : null;
      const what = text(details.what);
      const refused = why ? `Was refused (${why})` : "Was refused";
      return what ? `${refused}: ${what}` : `${refused} an action`;
    }
    case "password.changed":
      switch (details.method) {
        case "forced_change":
          return "Chose a new password after signing in with a temporary one";
        case "self":
          return "Changed their own password";
        case "self_from_staff_page":
          return "Changed their own password on the STAFF page";
        case "reset_link":
          return "Set a new password with a reset link";
        default:
          if (self) return "Changed their own password";
          return details.mustChangeAtNextLogin === true
            ? `Changed the password of ${target} (must choose a new one at next sign-in)`
            : `Changed the password of ${target}`;
      }
    case "password.change_failed":
      return details.reason === "locked"
        ? "Tried to change their own password while their sign-in was locked"
        : "Tried to change their own password, but the current password was wrong";
    case "password_reset.link_sent": {
      // Non-breaking spaces keep a masked number such as "(•••) •••-1234" on one line.
      const sentTo = text(details.sentTo)?.replace(/ /g, "\u00a0");
      const by = channel ? ` by ${channel}` : "";
      return sentTo ? `Sent a password reset link${by} to ${sentTo}` : `Sent ${target} a password reset link${by}`;
    }
    case "password_reset.requested":
      return `Password reset link requested for ${target}${channel ? ` by ${channel}` : ""} (Forgot password)`;
    case "password_reset.completed":
      return `Set a new password with a reset link${channel ? ` sent by ${channel}` : ""}`;
    case "password_reset.owner_notice_sent":
      return "Forgot password was used for the Business Owner: sent them a notice with the support contact instead of a link";
    case "staff.created":
      return `Added ${target} to the staff`;
    case "staff.updated": {
      const changes = isRecord(details.changes) ? Object.keys(details.changes) : [];
      const names = changes.map(fieldName);
      const pending = text(details.pendingEmail);
      // One's own new email waits for its confirmation link; the email in force is unchanged.
      if (pending && names.length === 0)
        return `Asked to change the email of ${target} to ${pending} (waiting for confirmation)`;
      const changed =
        names.length > 0 ? `Changed the ${listWords(names)} of ${target}` : `Changed the details of ${target}`;
      return pending ? `${changed}; new email ${pending} waiting for confirmation` : changed;
    }
    case "staff.email_verified": {
      const change = isRecord(details.changes) && isRecord(details.changes.email) ? details.changes.email : null;
      const email = text(change?.to) ?? text(details.email);
      if (change) return email ? `Confirmed their new email address ${email}` : "Confirmed their new email address";
      return email ? `Confirmed their email address ${email}` : "Confirmed their email address";
    }
    case "staff.status_changed": {
      const status = isRecord(details.changes) && isRecord(details.changes.status) ? details.changes.status.to : null;
      if (status === "inactive") return `Made ${target} inactive`;
      if (status === "active") return `Made ${target} active again`;
      return `Changed the status of ${target}`;
    }
    case "staff.permissions_changed": {
      const parts = permissionChanges(details, permissionLabel);
      return parts.length > 0
        ? `Changed the permissions of ${target}: ${parts.join("; ")}`
        : `Saved the permissions of ${target} (no change)`;
    }
    case "settings.changed": {
      const parts = Object.entries(details).map(([key, change]) => settingChange(key, change));
      return parts.length > 0 ? `Changed settings: ${parts.join("; ")}` : "Changed settings";
    }
    case "account.created": {
      const name = text(details.name);
      return name ? `Created the business account “${name}”` : "Created the business account";
    }
    case "two_factor.totp_enrolled":
      return "Set up an authenticator app for two-step sign-in";
    case "two_factor.totp_removed":
      return "Removed their authenticator app from two-step sign-in";
    case "two_factor.passkey_added": {
      const name = text(details.name);
      return name ? `Added a passkey (“${name}”)` : "Added a passkey";
    }
    case "two_factor.passkey_removed": {
      const name = text(details.name);
      return name ? `Removed a passkey (“${name}”)` : "Removed a passkey";
    }
    case "two_factor.passkey_renamed": {
      const from = text(details.from);
      const to = text(details.to);
      return from && to ? `Renamed a passkey from “${from}” to “${to}”` : "Renamed a passkey";
    }
    case "two_factor.recovery_codes_regenerated":
      return "Made new recovery codes; the old ones stopped working";
    case "two_factor.recovery_code_used": {
      const left = Number(details.recoveryCodesLeft);
      return Number.isInteger(left)
        ? `Used a recovery code (${plural(left, "recovery code", "recovery codes")} left)`
        : "Used a recovery code";
    }
    case "two_factor.failed": {
      if (details.method === "passkey") {
        return details.passwordless === true
          ? "Tried to sign in with a passkey that couldn't be used"
          : "Tried a passkey that couldn't be used";
      }
      const what =
        details.method === "recovery_code" ? "a recovery code that didn't work" : "a wrong authenticator code";
      return details.reason === "locked"
        ? `Entered ${what} while the second step was locked after too many wrong codes`
        : `Entered ${what}`;
    }
    case "two_factor.throttled": {
      const wait = Number(details.retryAfterSeconds);
      const who = event.target?.name ? ` for ${event.target.name}` : "";
      if (details.method === "passkey") {
        return Number.isFinite(wait) && wait > 0
          ? `Refused a passkey${who}: too many that couldn't be used, next try allowed in ${plural(wait, "second", "seconds")}`
          : `Refused a passkey${who}: too many that couldn't be used`;
      }
      return Number.isFinite(wait) && wait > 0
        ? `Refused a second-step code${who}: too many wrong codes, next try allowed in ${plural(wait, "second", "seconds")}`
        : `Refused a second-step code${who}: too many wrong codes`;
    }
    case "two_factor.reset": {
      const removed = isRecord(details.removed) ? details.removed : {};
      const parts = [
        ...(Number(removed.totp) > 0 ? ["the authenticator app"] : []),
        ...(Number(removed.passkeys) > 0 ? [plural(Number(removed.passkeys), "passkey", "passkeys")] : []),
        ...(Number(removed.recoveryCodes) > 0
          ? [plural(Number(removed.recoveryCodes), "recovery code", "recovery codes")]
          : []),
      ];
      const what = parts.length > 0 ? ` (removed ${listWords(parts)})` : "";
      return `Reset the two-step sign-in of ${target}${what}`;
    }
    case "message.delivery_uncertain":
      return channel
        ? `A message by ${channel} got no answer from the provider; checking whether it arrived (it won't be sent twice)`
        : "A message got no answer from the provider; checking whether it arrived (it won't be sent twice)";
    case "message.delivery_confirmed":
      return channel
        ? `The provider confirmed that a message by ${channel} which got no answer was sent`
        : "The provider confirmed that a message which got no answer was sent";
    case "message.delivery_unconfirmed":
      return channel
        ? `Couldn't learn whether a message by ${channel} arrived; it wasn't sent again`
        : "Couldn't learn whether a message arrived; it wasn't sent again";
    case "message.delivery_failed":
      return channel
        ? `A message by ${channel} couldn't be delivered and was given up`
        : "A message couldn't be delivered and was given up";
    case "sms_credits.granted": {
      const reason = text(details.reason);
      const amount = Number(details.change);
      const credits = `${amount} SMS ${amount === 1 ? "credit" : "credits"}`;
      return reason ? `Added ${credits} (${reason})` : `Added ${credits}`;
    }
    case "sms_credits.debited":
      return typeof details.balanceAfter === "number"
        ? `Used 1 SMS credit (${details.balanceAfter} left)`
        : "Used 1 SMS credit";
    case "sms_credits.refunded":
      return "Refunded 1 SMS credit because a text message wasn't delivered";
    case "account.ownership_details_changed": {
      const fields = Array.isArray(details.changed) ? details.changed.map((key) => fieldName(String(key))) : [];
      return fields.length > 0
        ? `Changed the ownership details that vendor support checks: ${listWords(fields)}`
        : actionSentence(event.action);
    }
    case "support.recovery_case_opened": {
      const status = text(details.status);
      const caller = text(details.callerName);
      const opened = caller
        ? `Opened a case to recover the Business Owner's sign-in for a caller, ${caller}`
        : actionSentence(event.action);
      return status ? `${opened} (${codeWords(status)})` : opened;
    }
    case "support.recovery_case_escalated":
    case "support.recovery_case_supervisor_approved":
    case "support.recovery_case_closed": {
      const note = text(details.note);
      return note ? `${actionSentence(event.action)}: “${note}”` : actionSentence(event.action);
    }
    case "support.owner_recovered": {
      const delivery = text(details.delivery);
      return delivery
        ? `Recovered the Business Owner's sign-in with ${codeWords(delivery)}`
        : actionSentence(event.action);
    }
    default:
      return actionSentence(event.action);
  }
}

/** The "Who" column. */
export function describeActor(event: AuditEvent): string {
  if (event.actor?.name) {
    return event.actor.type === "support_agent" || event.source === "support"
      ? `${event.actor.name} (Staffgate support)`
      : event.actor.name;
  }
  if (event.source === "system") return "Staffgate";
  if (event.action === "auth.login_locked") return "Staffgate";
  if (
    event.action === "auth.sign_in_failed" ||
    event.action === "auth.sign_in_throttled" ||
    event.action.startsWith("password_reset.")
  ) {
    return "Not signed in";
  }
  return "—";
}

function humanKey(key: string): string {
  const known = detailKeys[key]?.label;
  const words =
    known ??
    key
      .replace(/_/g, " ")
      .replace(/([a-z])([A-Z])/g, "$1 $2")
      .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function isTimeKey(key: string): boolean {
  return detailKeys[key]?.kind === "time" || key === "at" || /At$/.test(key);
}

type Words = { formatTime: (date: Date) => string; permissionLabel: (key: string) => string };

function formatValue(key: string, value: unknown, words: Words): string {
  if (value === null || value === undefined) return "none";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (isTimeKey(key) && (typeof value === "number" || typeof value === "string")) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return words.formatTime(date);
  }
  if (Array.isArray(value))
    return value.length === 0 ? "none" : value.map((item) => formatValue(key, item, words)).join(", ");
  if (isRecord(value)) return JSON.stringify(value);
  switch (detailKeys[key]?.kind) {
    case "code":
      return codeWords(value);
    case "fields":
      return fieldName(String(value));
    case "permissions":
      return words.permissionLabel(String(value));
    default:
      return String(value);
  }
}

export interface DetailLine {
  key: string;
  value: string;
}

/** The details as "key: value" lines; nested objects become "Parent › key", {from, to} "a → b". */
export function detailLines(
  details: unknown,
  formatTime: (date: Date) => string,
  permissionLabel: (key: string) => string = (key) => key,
  prefix = "",
  codes = false,
): DetailLine[] {
  if (!isRecord(details)) return [];
  const words: Words = { formatTime, permissionLabel };
  const lines: DetailLine[] = [];
  for (const [key, value] of Object.entries(details)) {
    const label = prefix ? `${prefix} › ${humanKey(key).toLowerCase()}` : humanKey(key);
    if (isRecord(value) && "from" in value && "to" in value && Object.keys(value).length === 2) {
      lines.push({
        key: label,
        value: `${formatValue(key, value.from, words)} → ${formatValue(key, value.to, words)}`,
      });
    } else if (isRecord(value)) {
      // A group's own keys (a person's changes, a case's answers) read by their labels.
      lines.push(...detailLines(value, formatTime, permissionLabel, label, detailKeys[key]?.values === "code"));
    } else if (key === "method" || key === "methods") {
      lines.push({ key: label, value: methodWords(value).join(", ") || "none" });
    } else {
      lines.push({ key: label, value: codes ? codeWords(value) : formatValue(key, value, words) });
    }
  }
  return lines;
}
