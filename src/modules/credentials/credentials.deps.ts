import type { Kysely } from "kysely";
import type { Config } from "../../config/config.js";
import type { Database } from "../../db/database.js";
import type { EnqueueDeps } from "../messaging/index.js";
import type { CommonPasswordList } from "../password-policy/index.js";
import type { LoginThrottle } from "../throttling/index.js";
import type { PasswordHasher } from "./password-hasher.js";

/** Credentials changes queue notices, so they can seal message bodies (EnqueueDeps). */
export interface CredentialsDeps extends EnqueueDeps {
  readonly config: Pick<Config, "supportContact" | "publicUrl">;
  readonly db: Kysely<Database>;
  readonly hasher: PasswordHasher;
  readonly loginThrottle: LoginThrottle;
  readonly commonPasswords?: CommonPasswordList;
  /** Wakes this node's outbox worker after a commit that queued a message. */
  readonly notifyOutbox: () => void;
}

/** The account a credential belongs to: its id, its words (for the policy) and its minimum. */
export interface AccountContext {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly password_min_length: number;
  /** "Require two-factor for the Office Portal" (0/1), where the caller has read it. */
  readonly require_two_factor?: number;
}

/** Who is acting, for the audit log. */
export interface RequestContext {
  readonly ip: string | null;
  readonly userAgent: string | null;
}
