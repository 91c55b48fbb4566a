/**
 * The recovery case as a state machine. Transitions are pure; the use cases persist them.
 *
 * ```mermaid
 * stateDiagram-v2
 *   [*] --> verified: ≥ 3 answers match, none mismatches
 *   [*] --> unverified: too few matches
 *   [*] --> rejected: any mismatch
 *   unverified --> needs_supervisor: an agent escalates (facts missing, caller has more proof)
 *   rejected --> needs_supervisor: an agent escalates
 *   needs_supervisor --> approved: a supervisor (not the opener) approves: the second person
 *   needs_supervisor --> closed: a supervisor closes it (dead end)
 *   verified --> approved: a second, different agent approves
 *   approved --> completed: reset link or temporary password
 *   verified --> completed: only with SUPPORT_DUAL_CONTROL=false
 *   verified --> [*]: expires after 1 hour
 *   approved --> [*]: expires after 1 hour
 *   needs_supervisor --> [*]: expires after 24 hours
 * ```
 *
 * Dual control holds on the supervisor's path too: the supervisor who approves can't be the agent
 * who opened the case, so two people always stand behind a recovery.
 */
import { DomainError } from "../../shared/errors.js";
import type { RecoveryCaseRow } from "./support.table.js";

export const CASE_LIFETIME_SECONDS = 60 * 60;
/** A case waiting for a supervisor: long enough for one to call the owner back. */
export const ESCALATED_CASE_LIFETIME_SECONDS = 24 * 60 * 60;

export function assertEscalatable(recoveryCase: RecoveryCaseRow, nowMs: number): void {
  assertLive(recoveryCase, nowMs);
  if (recoveryCase.status !== "unverified" && recoveryCase.status !== "rejected") {
    throw new DomainError(
      "conflict",
      recoveryCase.status === "needs_supervisor"
        ? "This case is already waiting for a supervisor."
        : "Only a case that the answers could not verify goes to a supervisor.",
    );
  }
}

export function assertDecidable(
  recoveryCase: RecoveryCaseRow,
  agent: { readonly id: string; readonly is_supervisor: number },
  nowMs: number,
): void {
  if (agent.is_supervisor !== 1) {
    throw new DomainError("forbidden", "Only a support supervisor can decide this case.");
  }
  assertLive(recoveryCase, nowMs);
  if (recoveryCase.status !== "needs_supervisor") {
    throw new DomainError("conflict", "This case is not waiting for a supervisor.");
  }
  if (recoveryCase.opened_by === agent.id) {
    throw new DomainError("forbidden", "Another supervisor must decide this case: you opened it.");
  }
}

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
  if (recoveryCase.status === "closed") {
    throw new DomainError("conflict", "A supervisor closed this case. Open a new case if the owner calls again.");
  }
  if (nowMs >= recoveryCase.expires_at && recoveryCase.status !== "completed") {
    throw new DomainError("conflict", "This case has expired. Open a new case and verify the caller again.");
  }
}

function caseStateMessage(recoveryCase: RecoveryCaseRow, wanted: "approved" | "completed"): string {
  switch (recoveryCase.status) {
    case "rejected":
      return "This case has a mismatched answer: only a supervisor can let it go further.";
    case "unverified":
      return "This case is not verified: at least 3 answers must match, or a supervisor must approve it.";
    case "needs_supervisor":
      return "This case is waiting for a supervisor's decision.";
    case "closed":
      return "A supervisor closed this case.";
    case "verified":
      return "A second agent must approve this case before it can be completed.";
    case "approved":
      return wanted === "approved" ? "This case is already approved." : "This case can't be completed.";
    case "completed":
      return "This case is already completed.";
  }
}
