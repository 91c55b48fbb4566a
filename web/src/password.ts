// Password wording shared by every screen that sets a password. The server is the authority;
// these live checks only help people get it right the first time.
import type { Account, Me, PasswordPolicy, PasswordRejectionReason } from "./api";

/** Length as the server counts it: Unicode code points after NFC normalisation (SECURITY.md). */
export function passwordLength(value: string): number {
  return [...value.normalize("NFC")].length;
}

/**
 * How far a rule is met:
 * - `met`, `failed`: known;
 * - `notYet`: nothing typed for it yet, or too short so far (not an error, just "keep going");
 * - `checking`: the server check for the current value is on its way;
 * - `deferred`: the check couldn't run (offline, rate-limited, no check available); the server
 *   applies the rule when the password is saved.
 */
export type RequirementStatus = "met" | "notYet" | "failed" | "checking" | "deferred";

export interface PasswordRequirement {
  id: string;
  label: string;
  status: RequirementStatus;
}

/** What the advisory server check says about the value currently in the field. */
export type ServerCheckState =
  { kind: "idle" } | { kind: "checking" } | { kind: "done"; reasons: readonly string[] } | { kind: "unavailable" };

function serverRuleStatus(server: ServerCheckState, reason: PasswordRejectionReason): RequirementStatus {
  switch (server.kind) {
    case "idle":
      return "notYet";
    case "checking":
      return "checking";
    case "unavailable":
      return "deferred";
    case "done":
      // With invalid characters the server stops before the other rules, so they are still open.
      if (server.reasons.includes("invalid_characters")) return "deferred";
      return server.reasons.includes(reason) ? "failed" : "met";
  }
}

/**
 * The live checklist under a new-password field. Length is counted here, as the server counts
 * it; the common-password and personal-word rules need the server's lists, so they come from
 * the advisory check. Add further rules here; the field renders whatever this returns.
 */
export function passwordRequirements(
  value: string,
  policy: PasswordPolicy | null,
  server: ServerCheckState,
  /** Whose password it is, when it isn't the signed-in person's own (e.g. "Sam"). */
  personName?: string,
  /** The current password typed in the same form, when the form asks for it (the new one must differ). */
  currentPassword?: string,
): PasswordRequirement[] {
  const length = passwordLength(value);
  const requirements: PasswordRequirement[] = [];
  if (policy) {
    requirements.push({
      id: "min-length",
      label: `At least ${policy.minLength} characters`,
      status: length >= policy.minLength ? "met" : "notYet",
    });
    if (length > policy.maxLength) {
      requirements.push({
        id: "max-length",
        label: `Not too long (at most ${policy.maxLength} characters)`,
        status: "failed",
      });
    }
  }
  requirements.push(
    {
      id: "common",
      label: "Not a commonly used password",
      status: serverRuleStatus(server, "common_password"),
    },
    {
      id: "personal",
      label: personName
        ? `Doesn't contain ${personName}'s name, username or email, or the business name`
        : "Doesn't contain your name, username, email or the business name",
      status: serverRuleStatus(server, "contains_personal_info"),
    },
  );
  // Only once there is a current password to compare with (its field comes first in the form).
  if (currentPassword !== undefined && currentPassword !== "") {
    requirements.push({
      id: "different",
      label: "Different from your current password",
      status: value === "" ? "notYet" : isSamePassword(value, currentPassword) ? "failed" : "met",
    });
  }
  if (server.kind === "done" && server.reasons.includes("invalid_characters")) {
    requirements.push({ id: "characters", label: "Uses only valid characters", status: "failed" });
  }
  return requirements;
}

/** One sentence for screen readers, e.g. "2 of 4 requirements met." */
export function requirementsSummary(requirements: readonly PasswordRequirement[]): string {
  const met = requirements.filter((requirement) => requirement.status === "met").length;
  const deferred = requirements.filter((requirement) => requirement.status === "deferred").length;
  const summary = `${met} of ${requirements.length} requirements met.`;
  if (deferred === 0) return summary;
  return `${summary} ${deferred === 1 ? "One will" : `${deferred} will`} be checked when you save.`;
}

/** Compared as the server compares them: after NFC normalisation, nothing trimmed. */
export function isSamePassword(a: string, b: string): boolean {
  return a.normalize("NFC") === b.normalize("NFC");
}

export interface PersonalDetails {
  username?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  accountName?: string | null;
  accountSlug?: string | null;
}

/**
 * The person's own words, for the strength estimate (`userInputs`): each value whole, without
 * spaces, and split into its parts ("Acme Swim" → "acme swim", "acmeswim", "acme", "swim"), so
 * that "AcmeSwim2024" is recognised. The server applies its own, stricter personal-word rule.
 */
export function personalWords(details: PersonalDetails): string[] {
  const words = new Set<string>();
  const add = (word: string) => {
    if ([...word].length >= 3) words.add(word);
  };
  for (const value of Object.values(details)) {
    if (typeof value !== "string") continue;
    const folded = value.normalize("NFKC").toLowerCase().trim();
    add(folded);
    add(folded.replace(/\s+/g, ""));
    add(folded.replace(/[^\p{L}\p{N}]+/gu, ""));
    for (const part of folded.split(/[^\p{L}\p{N}]+/u)) add(part);
  }
  return [...words];
}

/** `personalWords()` of a staff member (when known) at their business. */
export function staffPersonalWords(
  person: Pick<Me, "username" | "firstName" | "lastName" | "email"> | undefined,
  account: Pick<Account, "name" | "slug">,
): string[] {
  return personalWords({
    username: person?.username,
    firstName: person?.firstName,
    lastName: person?.lastName,
    email: person?.email,
    accountName: account.name,
    accountSlug: account.slug,
  });
}

export function describeRejection(
  reason: PasswordRejectionReason,
  policy: PasswordPolicy | null,
  /** Whose password it is, when it isn't the signed-in person's own. */
  personName?: string,
): string {
  switch (reason) {
    case "too_short":
      return policy ? `Use at least ${policy.minLength} characters.` : "Use a longer password.";
    case "too_long":
      return policy ? `Use at most ${policy.maxLength} characters.` : "Use a shorter password.";
    case "common_password":
      return "This password is too common and easy to guess. Choose something less predictable.";
    case "contains_personal_info":
      if (personName) {
        return `Don't include ${personName}'s name, username or email address, or the business's name.`;
      }
      return "Don't include your username, your name, your email address or the business's name.";
    case "invalid_characters":
      return "The password contains characters that can't be used, such as invisible or broken characters.";
    case "same_as_current":
      return "The new password must be different from your current password.";
  }
}

export const PASSWORDS_DO_NOT_MATCH = "The passwords don't match. Enter the new password again.";

/**
 * What can be said about a new password before sending it: missing, or outside the length the
 * policy allows. Undefined when nothing is wrong that the browser can tell; the server decides.
 */
export function newPasswordProblems(value: string, policy: PasswordPolicy | null): string[] | undefined {
  if (value === "") return ["Enter a new password."];
  if (policy && passwordLength(value) < policy.minLength) return [describeRejection("too_short", policy)];
  if (policy && passwordLength(value) > policy.maxLength) return [describeRejection("too_long", policy)];
  return undefined;
}

/** A new password typed the same as the current one, which the server refuses (`same_as_current`). */
export function sameAsCurrentProblem(newPassword: string, currentPassword: string): string[] | undefined {
  if (newPassword === "" || currentPassword === "" || !isSamePassword(newPassword, currentPassword)) return undefined;
  return [describeRejection("same_as_current", null)];
}

/** The confirmation field's problem, if any. */
export function confirmationProblem(password: string, confirmation: string): string | undefined {
  if (confirmation === "") return "Enter the new password again.";
  if (password !== confirmation) return PASSWORDS_DO_NOT_MATCH;
  return undefined;
}

const knownReasons: ReadonlySet<string> = new Set<PasswordRejectionReason>([
  "too_short",
  "too_long",
  "common_password",
  "contains_personal_info",
  "invalid_characters",
  "same_as_current",
]);

/** Reads `details.reasons` of a `password_rejected` error, in plain words. */
export function rejectionMessages(
  details: Readonly<Record<string, unknown>>,
  policy: PasswordPolicy | null,
  /** Whose password it is, when it isn't the signed-in person's own. */
  personName?: string,
): string[] {
  const reasons: unknown[] = Array.isArray(details.reasons) ? details.reasons : [];
  const messages = reasons
    .filter((reason): reason is PasswordRejectionReason => typeof reason === "string" && knownReasons.has(reason))
    .map((reason) => describeRejection(reason, policy, personName));
  return messages.length > 0 ? messages : ["This password can't be used. Choose a different one."];
}
