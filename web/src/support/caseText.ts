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
  needs_supervisor: "Waiting for a supervisor",
  approved: "Approved",
  completed: "Completed",
  closed: "Closed by a supervisor",
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

/** What the answers (and a supervisor, when there is one) add up to, in one sentence and a line of advice. */
export function verdictOf(recoveryCase: RecoveryCase): Verdict {
  const matches = matchCount(recoveryCase);
  const total = VERIFICATION_FIELDS.length;
  const decision = recoveryCase.decision ?? null;
  if (recoveryCase.status === "closed") {
    return {
      tone: "rejected",
      title: "Closed by a supervisor — this case can't continue",
      detail: `${decision?.by ?? "A supervisor"} decided not to recover the Business Owner's sign-in on this call. If the owner calls again, open a new case.`,
    };
  }
  if (recoveryCase.status === "needs_supervisor") {
    return {
      tone: "unverified",
      title: `Waiting for a supervisor: ${matches} of ${total} answers match`,
      detail: `The answers couldn't verify the caller, so ${recoveryCase.escalation?.by ?? "an agent"} asked a supervisor to decide. Nothing can be recovered until then.`,
    };
  }
  if (decision?.outcome === "approve") {
    return {
      tone: "verified",
      title: `Approved by a supervisor: ${matches} of ${total} answers match`,
      detail: `${decision.by} decided that the caller, ${recoveryCase.callerName}, may recover the Business Owner's sign-in.`,
    };
  }
  if (recoveryCase.status === "rejected") {
    return {
      tone: "rejected",
      title: "Rejected: an answer did not match — this case can't continue",
      detail:
        "Don't tell the caller which answer was wrong. If you believe the caller is the owner, send the case to a supervisor.",
    };
  }
  if (!recoveryCase.verified) {
    const missing = VERIFICATION_FIELDS.filter((field) => recoveryCase.checks[field] === "not_provided").length;
    return {
      tone: "unverified",
      title: `Not verified: at least ${MIN_MATCHES} answers must match`,
      detail:
        `${matches} of ${total} answers match` +
        (missing > 0
          ? `; ${missing} ${missing === 1 ? "wasn't" : "weren't"} given or ${missing === 1 ? "isn't" : "aren't"} on file. `
          : ". ") +
        "If the caller can answer more questions, start a new case (every failed case counts towards the daily limit for this business). If they can't, send the case to a supervisor.",
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
