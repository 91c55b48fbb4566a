import type { Kysely } from "kysely";
import type { Config } from "./config/config.js";
import type { Database } from "./db/database.js";
import type { PasswordHasher } from "./modules/credentials/index.js";
import type { DevMailbox } from "./modules/messaging/index.js";
import type { IdentityProvider } from "./modules/identity-provider/index.js";
import type { ResetRequest } from "./modules/password-reset/index.js";
import type { BackgroundQueue } from "./shared/background-queue.js";
import type { CommonPasswordList } from "./modules/password-policy/index.js";
import type { LoginThrottle, RateLimiter } from "./modules/throttling/index.js";
import type { Clock } from "./shared/clock.js";
import type { Random } from "./shared/random.js";
import type { SecretBox } from "./shared/secret-box.js";

/** Everything the HTTP app and the use cases need, built once in the composition root. */
export interface AppDeps {
  readonly config: Config;
  readonly db: Kysely<Database>;
  readonly dialect: "sqlite" | "postgres";
  readonly clock: Clock;
  readonly random: Random;
  /** Seals outbox message bodies at rest (see composition.ts, `outboxSecretBox`). */
  readonly secretBox: SecretBox;
  readonly hasher: PasswordHasher;
  readonly loginThrottle: LoginThrottle;
  /** Caps the live password check per session, so it can't be used to walk the list. */
  readonly passwordCheckLimiter: RateLimiter;
  readonly commonPasswords?: CommonPasswordList;
  /** Caps reset requests per client IP. */
  readonly resetRequestLimiter: RateLimiter;
  /** Forgot-password requests, handled after the reply (see password-reset/request-reset.ts). */
  readonly resetRequests: BackgroundQueue<ResetRequest>;
  /** Wakes the outbox worker after a commit that queued a message. */
  readonly notifyOutbox: () => void;
  /** Rows the retention job deleted since start, by kind (for /metrics). */
  readonly retentionTotals: () => Readonly<Record<string, number>>;
  /** The OpenID Provider mounted under /oidc (modules/identity-provider). */
  readonly identityProvider: IdentityProvider;
  /** Present when messages go to the dev mailbox (no SMTP_URL). */
  readonly devMailbox?: DevMailbox;
}
