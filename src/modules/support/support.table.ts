import type { Generated, Selectable } from "kysely";

export interface SupportAgentsTable {
  id: string;
  email: string;
  email_normalized: string;
  name: string;
  password_hash: string;
  status: "active" | "inactive";
  created_at: number;
  /** 1: may decide the cases that the answers could not settle (`needs_supervisor`). */
  is_supervisor: Generated<number>;
}

/** Support sessions live apart from portal sessions: neither is ever valid in the other realm. */
export interface SupportSessionsTable {
  id_hash: string;
  agent_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  ip: string | null;
  /** `second_factor` or `enrolment` until the agent's code passes; only `active` opens the console. */
  stage: Generated<"active" | "second_factor" | "enrolment">;
}

export type CaseStatus =
  "unverified" | "verified" | "rejected" | "needs_supervisor" | "approved" | "completed" | "closed";
export type CheckResult = "match" | "mismatch" | "not_provided";

/**
 * A Business Owner recovery case. The caller's answers are never stored, only whether each
 * matched (`checks`, JSON {field: CheckResult}).
 */
export interface RecoveryCasesTable {
  id: string;
  account_id: string;
  status: CaseStatus;
  caller_name: string;
  checks: string;
  opened_by: string;
  opened_at: number;
  expires_at: number;
  approved_by: string | null;
  approved_at: number | null;
  completed_by: string | null;
  completed_at: number | null;
  /** How the owner got back in; `two_factor_reset` removed the owner's second factors (lost phone). */
  delivery: "email" | "temporary_password" | "two_factor_reset" | null;
  /** Who asked a supervisor to decide the case, when, and why (the agent's words). */
  escalated_by: string | null;
  escalated_at: number | null;
  escalation_note: string | null;
  /** The supervisor who approved or closed it, when, and why. */
  decided_by: string | null;
  decided_at: number | null;
  decision_note: string | null;
}

export type SupportAgentRow = Selectable<SupportAgentsTable>;
export type SupportSessionStage = "active" | "second_factor" | "enrolment";
export type RecoveryCaseRow = Selectable<RecoveryCasesTable>;
