// Password wording shared by every screen that sets a password. The server is the authority;
// these live checks only help people get it right the first time.
import type { PasswordPolicy, PasswordRejectionReason } from "./api";

/** Length as the server counts it: Unicode code points after NFC normalisation (SECURITY.md). */
export function passwordLength(value: string): number {
  return [...value.normalize("NFC")].length;
}

export interface PasswordRequirement {
  id: string;
  label: string;
  met: boolean;
}

/**
 * The live checklist shown under a new-password field. Add further checks here; the field
 * renders whatever this returns.
 */
export function passwordRequirements(value: string, policy: PasswordPolicy): PasswordRequirement[] {
  const length = passwordLength(value);
  const requirements: PasswordRequirement[] = [
    {
      id: "min-length",
      label: `At least ${policy.minLength} characters`,
      met: length >= policy.minLength,
    },
  ];
  if (length > policy.maxLength) {
    requirements.push({
      id: "max-length",
      label: `At most ${policy.maxLength} characters`,
      met: false,
    });
  }
  return requirements;
}

export function describeRejection(reason: PasswordRejectionReason, policy: PasswordPolicy | null): string {
  switch (reason) {
    case "too_short":
      return policy ? `Use at least ${policy.minLength} characters.` : "Use a longer password.";
    case "too_long":
      return policy ? `Use at most ${policy.maxLength} characters.` : "Use a shorter password.";
    case "common_password":
      return "This password is too common and easy to guess. Choose something less predictable.";
    case "contains_personal_info":
      return "Don't include your username, your name, your email address or the business's name.";
    case "invalid_characters":
      return "The password contains characters that can't be used, such as invisible or broken characters.";
  }
}

const knownReasons: ReadonlySet<string> = new Set<PasswordRejectionReason>([
  "too_short",
  "too_long",
  "common_password",
  "contains_personal_info",
  "invalid_characters",
]);

/** Reads `details.reasons` of a `password_rejected` error, in plain words. */
export function rejectionMessages(details: Readonly<Record<string, unknown>>, policy: PasswordPolicy | null): string[] {
  const reasons: unknown[] = Array.isArray(details.reasons) ? details.reasons : [];
  const messages = reasons
    .filter((reason): reason is PasswordRejectionReason => typeof reason === "string" && knownReasons.has(reason))
    .map((reason) => describeRejection(reason, policy));
  return messages.length > 0 ? messages : ["This password can't be used. Choose a different one."];
}
