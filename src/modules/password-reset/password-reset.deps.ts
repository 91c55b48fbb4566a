import type { Config } from "../../config/config.js";
import type { CredentialsDeps } from "../credentials/index.js";
import type { RateLimiter } from "../throttling/index.js";

export interface PasswordResetDeps extends CredentialsDeps {
  readonly config: Pick<Config, "supportContact" | "publicUrl" | "resetEmailsPerBusinessPerHour">;
  /** Caps reset requests per client IP (the per-person cap is in the database). */
  readonly resetRequestLimiter: RateLimiter;
  /** Wakes this node's outbox worker after a commit, so the email leaves at once. */
  readonly notifyOutbox: () => void;
}

/** Links sent by email live 30 minutes (SECURITY.md "Reset links"). */
export const EMAIL_LINK_LIFETIME_SECONDS = 30 * 60;
/** At most this many reset emails per person per hour; more requests look the same but send nothing. */
export const RESET_EMAILS_PER_PERSON_PER_HOUR = 3;

export function resetLink(publicUrl: URL, token: string): string {
  // The token travels in the fragment: browsers never send it to a server or in a Referer.
  return `${publicUrl.origin}/reset-password#token=${token}`;
}
