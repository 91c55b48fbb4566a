// Plain words for recovery cases: field names, check results, statuses and the verdict.
import {
  MIN_MATCHES,
  VERIFICATION_FIELDS,
  type CaseStatus,
  type CheckResult,
  type RecoveryCase,
  type VerificationField,
} from "./supportApi";

export const fieldLabels: Record<VerificationField, string> = {
  ownerFullName: "Owner's full name",
  billingPostalCode: "Billing postal code",
  cardLast4: "Last 4 digits of the card on file",
  businessPhone: "Business phone number",
};

export const checkLabels: Record<CheckResult, string> = {
  match: "Matches",
  mismatch: "Does not match",
  not_provided: "Not provided",
};

const statusLabels: Record<CaseStatus, string> = {
  verified: "Verified",
  unverified: "Not verified",
  rejected: "Rejected",
  approved: "Approved",
  completed: "Completed",
};

export function statusLabel(status: string): string {
  return Object.hasOwn(statusLabels, status) ? statusLabels[status as CaseStatus] : status;
}

export function matchCount(recoveryCase: Pick<RecoveryCase, "checks">): number {
  return VERIFICATION_FIELDS.filter((field) => recoveryCase.checks[field] === "match").length;
}

export type VerdictTone = "verified" | "unverified" | "rejected";

export interface Verdict {
  tone: VerdictTone;
  title: string;
  detail: string;
}

/** What the answers add up to, in one sentence and a line of advice. */
export function verdictOf(recoveryCase: RecoveryCase): Verdict {
  const matches = matchCount(recoveryCase);
  const total = VERIFICATION_FIELDS.length;
  if (recoveryCase.status === "rejected") {
    return {
      tone: "rejected",
      title: "Rejected: an answer did not match — this case can't continue",
      detail:
        "Don't tell the caller which answer was wrong. If you believe the caller is the owner, escalate to a supervisor.",
    };
  }
  if (!recoveryCase.verified) {
    return {
      tone: "unverified",
      title: `Not verified: at least ${MIN_MATCHES} answers must match`,
      detail: `${matches} of ${total} answers match. This case can't continue. If the caller can answer more questions, open a new case; every failed case counts towards the daily limit for this business.`,
    };
  }
  return {
    tone: "verified",
    title: `Verified: ${matches} of ${total} answers match`,
    detail: `The caller, ${recoveryCase.callerName}, answered enough questions correctly to recover the Business Owner's sign-in.`,
  };
}

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date);
}

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}

/** "in 42 minutes", "3 minutes ago". */
export function formatRelative(iso: string, now: number): string {
  const minutes = Math.round((Date.parse(iso) - now) / 60_000);
  if (Number.isNaN(minutes)) return "";
  if (Math.abs(minutes) < 120) return relativeFormat.format(minutes, "minute");
  return relativeFormat.format(Math.round(minutes / 60), "hour");
}
