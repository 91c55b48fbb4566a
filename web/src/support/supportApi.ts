// Client for the vendor support endpoints (shared/API.md, "Vendor support endpoints"). The agent's
// session is its own cookie, scoped to /api/support; it never works on the Office Portal's API.
import { queryString, request } from "../api";

export interface SupportAgent {
  id: string;
  email: string;
  name: string;
  /** May decide the cases the answers couldn't settle (`needs_supervisor`). */
  supervisor?: boolean;
}

export interface AccountListing {
  slug: string;
  name: string;
  ownerName: string;
}

export const VERIFICATION_FIELDS = ["ownerFullName", "billingPostalCode", "cardLast4", "businessPhone"] as const;
export type VerificationField = (typeof VERIFICATION_FIELDS)[number];
export type VerificationAnswers = Partial<Record<VerificationField, string>>;

/** A case is verified with at least this many matching answers and no mismatch. */
export const MIN_MATCHES = 3;

export type CaseStatus =
  "verified" | "unverified" | "rejected" | "needs_supervisor" | "approved" | "completed" | "closed";

/** Why an agent sent a case to a supervisor, in the agent's words. */
export interface Escalation {
  by: string;
  /** ISO 8601. */
  at: string;
  note: string;
}

/** What a supervisor decided: an approved case goes on as usual, a closed one ends. */
export interface SupervisorDecision {
  outcome: "approve" | "close";
  by: string;
  /** ISO 8601. */
  at: string;
  note: string;
}

/** A case on the supervisors' worklist, oldest first. */
export interface EscalatedCase {
  id: string;
  account: { slug: string; name: string };
  callerName: string;
  escalatedBy: string;
  /** ISO 8601. */
  escalatedAt: string;
  note: string;
}

/** The longest note the server takes (supervisor.ts NOTE_MAX_LENGTH). */
export const NOTE_MAX_LENGTH = 500;

export interface CaseListing {
  id: string;
  status: CaseStatus | (string & {});
  /** ISO 8601. */
  openedAt: string;
  callerName: string;
}

/** What an agent sees of a business: owner contact masked, and only *whether* each fact is on file. */
export interface SupportAccountSummary {
  slug: string;
  name: string;
  /** ISO 8601. */
  createdAt: string;
  ownerName: string;
  /** Masked, e.g. "o•••@acme.example". */
  ownerEmail: string | null;
  /** Masked, e.g. "(•••) •••-0100". */
  ownerPhone: string | null;
  ownerStatus: "active" | "inactive" | null;
  staffCount: number;
  smsVoiceEnabled: boolean;
  smsCredits: number;
  verificationFactsOnFile: Record<VerificationField, boolean>;
  recentCases: CaseListing[];
}

export type CheckResult = "match" | "mismatch" | "not_provided";

export interface RecoveryCase {
  id: string;
  account: { slug: string; name: string };
  status: CaseStatus;
  callerName: string;
  checks: Record<VerificationField, CheckResult>;
  verified: boolean;
  /** The opening agent's name. */
  openedBy: string;
  /** The opening agent's id, if the server sends it (names need not be unique). */
  openedById?: string;
  /** ISO 8601. */
  openedAt: string;
  /** ISO 8601; a case that isn't completed by then can go no further. */
  expiresAt: string;
  approvedBy: string | null;
  completedBy: string | null;
  delivery: Delivery | null;
  /** True when a second agent must approve before the case can be completed. */
  dualControl: boolean;
  /** Set once an agent sent the case to a supervisor (older servers: absent). */
  escalation?: Escalation | null;
  decision?: SupervisorDecision | null;
}

/** A new authenticator app: the key in groups of four, its otpauth URI and the URI's QR code (SVG). */
export interface TotpSetup {
  secret: string;
  otpauthUri: string;
  qrSvg: string;
}

export type Delivery = "email" | "temporary_password" | "two_factor_reset";

/** `sentTo` is masked; `temporaryPassword` is shown once and never again. */
export type CompletionResult = { sentTo: string } | { temporaryPassword: string } | { twoFactorReset: true };

const BASE = "/api/support";
const accountPath = (slug: string, rest = "") => `${BASE}/accounts/${encodeURIComponent(slug)}${rest}`;
const casePath = (caseId: string, rest = "") => `${BASE}/recovery-cases/${encodeURIComponent(caseId)}${rest}`;

export const supportApi = {
  /** The password step; the second step (an authenticator code) always follows. */
  signIn(body: {
    email: string;
    password: string;
  }): Promise<{ agent: SupportAgent; secondFactorRequired: true; enrollmentRequired: boolean }> {
    return request("POST", `${BASE}/session`, { body });
  },

  completeSecondFactor(totpCode: string): Promise<{ agent: SupportAgent }> {
    return request("POST", `${BASE}/session/second-factor`, { body: { totpCode } });
  },

  /** An agent without an authenticator app sets one up during sign-in. */
  startTotp(signal?: AbortSignal): Promise<TotpSetup> {
    return request("POST", `${BASE}/me/totp`, { body: {}, signal });
  },

  confirmTotp(totpCode: string): Promise<{ agent: SupportAgent }> {
    return request("PUT", `${BASE}/me/totp`, { body: { totpCode } });
  },

  getSession(signal?: AbortSignal): Promise<{ agent: SupportAgent }> {
    return request("GET", `${BASE}/session`, { signal });
  },

  signOut(): Promise<void> {
    return request("DELETE", `${BASE}/session`);
  },

  searchAccounts(search: string, signal?: AbortSignal): Promise<{ items: AccountListing[]; nextCursor: null }> {
    return request("GET", `${BASE}/accounts${queryString({ search })}`, { signal });
  },

  getAccount(slug: string, signal?: AbortSignal): Promise<SupportAccountSummary> {
    return request("GET", accountPath(slug), { signal });
  },

  openRecoveryCase(slug: string, body: { callerName: string; answers: VerificationAnswers }): Promise<RecoveryCase> {
    return request("POST", accountPath(slug, "/recovery-cases"), { body });
  },

  getRecoveryCase(caseId: string, signal?: AbortSignal): Promise<RecoveryCase> {
    return request("GET", casePath(caseId), { signal });
  },

  approveRecoveryCase(caseId: string): Promise<RecoveryCase> {
    return request("POST", casePath(caseId, "/approve"));
  },

  /** Sends a case the answers couldn't verify to a supervisor, with the agent's note. */
  escalateRecoveryCase(caseId: string, note: string): Promise<RecoveryCase> {
    return request("POST", casePath(caseId, "/escalate"), { body: { note } });
  },

  /** A supervisor who didn't open the case approves it or closes it, with a note. */
  decideRecoveryCase(caseId: string, decision: "approve" | "close", note: string): Promise<RecoveryCase> {
    return request("POST", casePath(caseId, "/supervisor-decision"), { body: { decision, note } });
  },

  listCasesAwaitingSupervisor(signal?: AbortSignal): Promise<{ items: EscalatedCase[]; nextCursor: null }> {
    return request("GET", `${BASE}/recovery-cases${queryString({ status: "needs_supervisor" })}`, { signal });
  },

  completeRecoveryCase(caseId: string, delivery: Delivery): Promise<CompletionResult> {
    return request("POST", casePath(caseId, "/complete"), { body: { delivery } });
  },

  grantSmsCredits(slug: string, body: { amount: number; reason: string }): Promise<{ smsCredits: number }> {
    return request("POST", accountPath(slug, "/sms-credits"), { body });
  },
};
