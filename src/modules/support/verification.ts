/**
 * Ownership verification for Business Owner recovery. The agent types what the caller says;
 * the server compares it with the facts on file — ignoring case, spaces and punctuation — and
 * reveals only match / mismatch / not_provided per field, never the facts themselves.
 */
import { constantTimeEqual, sha256Hex } from "../../shared/hash.js";
import type { CheckResult } from "./support.table.js";

export const VERIFICATION_FIELDS = ["ownerFullName", "billingPostalCode", "cardLast4", "businessPhone"] as const;
export type VerificationField = (typeof VERIFICATION_FIELDS)[number];
export type VerificationAnswers = Partial<Record<VerificationField, string>>;
export type VerificationChecks = Record<VerificationField, CheckResult>;

/** A case is verified with at least this many matches and no mismatch. */
export const MIN_MATCHES = 3;

export function normalizeAnswer(field: VerificationField, value: string): string {
  const folded = value
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, "");
  // Phone numbers: digits only, and the last 10, so "+1 (415) 555-0100" matches "415 555 0100".
  return field === "businessPhone" ? folded.replace(/\D/g, "").slice(-10) : folded;
}

export function compareAnswers(
  facts: Record<VerificationField, string | null>,
  answers: VerificationAnswers,
): VerificationChecks {
  const checks = {} as VerificationChecks;
  for (const field of VERIFICATION_FIELDS) {
    const given = answers[field];
    const onFile = facts[field];
    if (given === undefined || normalizeAnswer(field, given) === "" || !onFile) {
      checks[field] = "not_provided";
      continue;
    }
    // Compared as hashes in constant time: the comparison says nothing about how close it was.
    const same = constantTimeEqual(sha256Hex(normalizeAnswer(field, given)), sha256Hex(normalizeAnswer(field, onFile)));
    checks[field] = same ? "match" : "mismatch";
  }
  return checks;
}

export function verdict(checks: VerificationChecks): "verified" | "rejected" | "unverified" {
  const results = Object.values(checks);
  if (results.includes("mismatch")) return "rejected";
  return results.filter((result) => result === "match").length >= MIN_MATCHES ? "verified" : "unverified";
}
