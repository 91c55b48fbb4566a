/**
 * The recovery case as a state machine. Transitions are pure; the use cases persist them.
 *
 * ```mermaid
 * stateDiagram-v2
 *   [*] --> verified: ≥ 3 answers match, none mismatches
 *   [*] --> unverified: too few matches
 *   [*] --> rejected: any mismatch (dead end)
 *   verified --> approved: a second, different agent approves
 *   approved --> completed: reset link or temporary password
 *   verified --> completed: only with SUPPORT_DUAL_CONTROL=false
 *   verified --> [*]: expires after 1 hour
 *   approved --> [*]: expires after 1 hour
 * ```
 */
import { DomainError } from "../../shared/errors.js";
import type { RecoveryCaseRow } from "./support.table.js";

export const CASE_LIFETIME_SECONDS = 60 * 60;

export function assertApprovable(recoveryCase: RecoveryCaseRow, agentId: string, nowMs: number): void {
  assertLive(recoveryCase, nowMs);
  if (recoveryCase.status !== "verified") {
    throw new DomainError("conflict", caseStateMessage(recoveryCase, "approved"));
  }
  if (recoveryCase.opened_by === agentId) {
    throw new DomainError("forbidden", "A different agent must approve this case: you opened it.");
  }
}

export function assertCompletable(recoveryCase: RecoveryCaseRow, nowMs: number, dualControl: boolean): void {
  assertLive(recoveryCase, nowMs);
  const ready = recoveryCase.status === "approved" || (!dualControl && recoveryCase.status === "verified");
  if (!ready) throw new DomainError("conflict", caseStateMessage(recoveryCase, "completed"));
}

function assertLive(recoveryCase: RecoveryCaseRow, nowMs: number): void {
  if (nowMs >= recoveryCase.expires_at && recoveryCase.status !== "completed") {
    throw new DomainError("conflict", "This case has expired. Open a new case and verify the caller again.");
  }
}

function caseStateMessage(recoveryCase: RecoveryCaseRow, wanted: "approved" | "completed"): string {
  switch (recoveryCase.status) {
    case "rejected":
      return "This case has a mismatched answer and can't go further.";
    case "unverified":
      return "This case is not verified: at least 3 answers must match.";
    case "verified":
      return "A second agent must approve this case before it can be completed.";
    case "approved":
      return wanted === "approved" ? "This case is already approved." : "This case can't be completed.";
    case "completed":
      return "This case is already completed.";
  }
}
