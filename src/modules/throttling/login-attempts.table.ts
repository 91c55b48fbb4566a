/**
 * Consecutive failed password evaluations per subject (NIST SP 800-63B-4 §3.2.2: at most 100).
 * Subjects: `staff:<id>`, `agent:<id>`, or `login:<account>:<text>` for a login that matches
 * nobody — every sign-in writes a row whoever it names, so the work doesn't tell who exists.
 */
export interface LoginAttemptsTable {
  subject: string;
  failures: number;
  /** The subject's cap: at it, the subject is locked (and retention never deletes the row). */
  max_failures: number;
  updated_at: number;
}
