/**
 * The composition root: the one place where configuration becomes running parts. Everything
 * else receives its dependencies as arguments.
 */
import { randomBytes } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import pino from "pino";
import { REDACTED_PATHS, devMailboxLogMessage, readableLogStream } from "./http/logger.js";
import type { AppDeps } from "./app-deps.js";
import { ConfigError, type Config } from "./config/config.js";
import { openDatabase, type DatabaseHandle } from "./db/database.js";
import { migrateToLatest } from "./db/migrate.js";
import { createPasswordHasher, type PasswordHasherOptions } from "./modules/credentials/index.js";
import { createRetentionJob, type RetentionJob } from "./modules/retention/index.js";
import { SUPPORT_IDLE_TIMEOUT_SECONDS } from "./modules/support/index.js";
import {
  createDevMailbox,
  createOutboxWorker,
  createSmtpTransport,
  createTwilioTransport,
  type MessageTransport,
  type OutboxWorker,
  type OutboxWorkerOptions,
} from "./modules/messaging/index.js";
import { DEFAULT_INDEX_PATH, loadIndexFile, type CommonPasswordList } from "./modules/password-policy/index.js";
import { processResetRequest, type ResetRequest } from "./modules/password-reset/index.js";
import { settleCreditOfUndeliveredText } from "./modules/sms-credits/index.js";
import { createIdentityProvider, loadSigningKeys } from "./modules/identity-provider/index.js";
import { onSignOut } from "./modules/sessions/index.js";
import {
  connectRedis,
  createLoginThrottle,
  createMemoryRateLimiter,
  createMemoryThrottleStore,
  createRedisRateLimiter,
  createRedisThrottleStore,
  type RateLimit,
} from "./modules/throttling/index.js";
import { createBackgroundQueue } from "./shared/background-queue.js";
import { SyncedClock, systemClock, type Clock } from "./shared/clock.js";
import { databaseNowMs } from "./db/database-clock.js";
import { cryptoRandom, type Random } from "./shared/random.js";
import { readOrCreateKeyFile } from "./shared/key-file.js";
import { SECRET_BOX_KEY_BYTES, createSecretBox, type SecretBox } from "./shared/secret-box.js";

export interface Overrides {
  /** A clock that moves only when told (tests): used as is, never synced with the database. */
  readonly clock?: Clock;
  /** The machine's clock, synced with the database's (tests give one that is off). */
  readonly machineClock?: Clock;
  readonly random?: Random;
  readonly hasher?: PasswordHasherOptions;
  /** PostgreSQL schema to use instead of `public` (tests get a fresh one each). */
  readonly postgresSchema?: string;
  /** An already loaded common-password list (tests share one per process). */
  readonly commonPasswords?: CommonPasswordList;
  readonly outbox?: OutboxWorkerOptions;
  readonly logger?: FastifyBaseLogger;
  /** Key prefix in Redis (tests isolate themselves with one each). */
  readonly redisPrefix?: string;
}

/** The compiled list from `npm run build`; without it the server must not start. */
export function loadCommonPasswords(path = DEFAULT_INDEX_PATH): CommonPasswordList {
  try {
    return loadIndexFile(path);
  } catch (error) {
    throw new Error(`Cannot load the common-password index at ${path}: run \`npm run build\` first.`, {
      cause: error,
    });
  }
}

const CLOCK_SYNC_INTERVAL_MS = 30_000;
/** Each node runs retention about this often, at a random offset so nodes don't run in step. */
const RETENTION_INTERVAL_MS = 10 * 60_000;
const CLOCK_OFFSET_WARNING_MS = 2_000;
const PASSWORD_CHECKS_PER_MINUTE = { limit: 60, windowSeconds: 60 };
const RESET_REQUESTS_PER_IP_PER_HOUR = { limit: 30, windowSeconds: 3600 };

const REDIS_READY_TIMEOUT_MS = 3_000;

/** Resolves true once the connection is ready, or false after `timeoutMs`. */
function redisReady(
  redis: {
    status: string;
    once(event: "ready", listener: () => void): unknown;
    off(event: "ready", listener: () => void): unknown;
  },
  timeoutMs: number,
): Promise<boolean> {
  if (redis.status === "ready") return Promise.resolve(true);
  return new Promise((resolve) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      redis.off("ready", onReady);
      resolve(false);
    }, timeoutMs);
    redis.once("ready", onReady);
  });
}

export interface Runtime {
  readonly deps: AppDeps;
  readonly retention: RetentionJob;
  readonly database: DatabaseHandle;
  readonly outboxWorker: OutboxWorker;
  readonly logger: FastifyBaseLogger;
  close(): Promise<void>;
}

/**
 * Emails go over SMTP when SMTP_URL is set, texts to Twilio with SMS_PROVIDER=twilio; whatever
 * is left goes to the dev mailbox (API.md), which logs each message and lists it at /dev/mailbox.
 * Never in production: there SMTP_URL is required (config.ts), and with SMS_PROVIDER=mailbox
 * texts are refused before anything is queued (`smsAvailable`, send-reset-link.ts).
 */
function messageTransports(config: Config, logger: FastifyBaseLogger, clock: Clock) {
  const needsMailbox = !config.smtpUrl || config.smsProvider === "mailbox";
  const mailbox = needsMailbox
    ? createDevMailbox({
        now: () => clock.now(),
        // The dev mailbox exists to show messages, links included; in production only the envelope.
        log: (entry) =>
          config.production
            ? logger.info({ mailbox: { to: entry.to, channel: entry.channel } }, "dev mailbox: message stored")
            : logger.info(devMailboxLogMessage(entry)),
      })
    : undefined;
  const email: MessageTransport | undefined = config.smtpUrl
    ? createSmtpTransport(config.smtpUrl, config.mailFrom)
    : mailbox;
  const sms: MessageTransport | undefined =
    config.smsProvider === "twilio" && config.twilio ? createTwilioTransport(config.twilio) : mailbox;
  if (!email || !sms) throw new Error("no transport for a message channel");
  return { email, sms, mailbox };
}

/**
 * What seals outbox message bodies (they hold reset links until delivered): OUTBOX_KEYS when
 * set. Otherwise, on SQLite, a key file beside the database, created at first start, so that a
 * restarted node still opens what it sealed. PostgreSQL means several nodes, each delivering what
 * the others queued, so they must share keys: there OUTBOX_KEYS is required.
 */
function outboxSecretBox(config: Config): SecretBox {
  if (config.outboxKeys) return createSecretBox(config.outboxKeys);
  const database = config.database;
  if (database.dialect === "postgres") {
    throw new ConfigError(
      "OUTBOX_KEYS",
      "is required with PostgreSQL, so that every node can open the messages the others queue (generate a key with `openssl rand -base64 32`)",
    );
  }
  if (database.path === ":memory:") return createSecretBox([randomBytes(SECRET_BOX_KEY_BYTES)]);
  return createSecretBox([readOrCreateKeyFile(`${database.path}.outbox-key`, SECRET_BOX_KEY_BYTES)]);
}

export async function createRuntime(config: Config, overrides: Overrides = {}): Promise<Runtime> {
  const logger =
    overrides.logger ??
    (pino(
      { level: config.logLevel, redact: { paths: REDACTED_PATHS, censor: "[redacted]" } },
      // Production logs are JSON for machines; development's are lines a person reads.
      config.production ? pino.destination(1) : readableLogStream(),
    ) as FastifyBaseLogger);
  const commonPasswords = overrides.commonPasswords ?? loadCommonPasswords();
  const secretBox = outboxSecretBox(config);
  const signingKeys = await loadSigningKeys(config);
  const database = openDatabase(
    config.database,
    overrides.postgresSchema ? { postgresSchema: overrides.postgresSchema } : {},
  );
  await migrateToLatest(database.db, undefined, overrides.postgresSchema);
  // Expiry must not depend on one machine's clock: the node's clock is corrected to the
  // database's at start and every 30 seconds after (db/database-clock.ts).
  const syncedClock = overrides.clock
    ? undefined
    : new SyncedClock(overrides.machineClock ?? systemClock, () => databaseNowMs(database.db, database.dialect));
  const clock = overrides.clock ?? (syncedClock as SyncedClock);
  const syncClock = async () => {
    if (!syncedClock) return;
    try {
      const offset = await syncedClock.sync();
      if (Math.abs(offset) > CLOCK_OFFSET_WARNING_MS) {
        logger.warn({ offsetMs: offset }, "this machine's clock is off from the database's; using the database's");
      }
    } catch (error) {
      logger.warn({ err: error }, "could not read the database's clock; keeping the last offset");
    }
  };
  await syncClock();
  const clockTimer = setInterval(() => void syncClock(), CLOCK_SYNC_INTERVAL_MS);
  clockTimer.unref();
  const random = overrides.random ?? cryptoRandom;
  const transports = messageTransports(config, logger, clock);
  // The OpenID Provider (modules/identity-provider): keys from OIDC_SIGNING_KEYS, else a key file
  // beside a SQLite database; its logout tokens go out through the outbox, and its sign-out
  // hook runs in every transaction that ends a person's sessions.
  const identityProvider = createIdentityProvider({
    config,
    db: database.db,
    clock,
    random,
    secretBox,
    signingKeys,
    notifyOutbox: () => outboxWorker.kick(),
    onError: (error, message) => logger.error({ err: error }, message),
  });
  onSignOut(database.db, (tx, person) => identityProvider.signOutOfApps(tx, person));

  const outboxWorker = createOutboxWorker(
    {
      db: database.db,
      dialect: database.dialect,
      clock,
      random,
      secretBox,
      transports: {
        email: transports.email,
        sms: transports.sms,
        backchannel_logout: identityProvider.logoutTransport,
      },
      onError: (error) => logger.error({ err: error }, "outbox worker pass failed"),
      // A text given up gives its credit back in the same transaction, unless it may have gone out.
      onGiveUp: async (tx, message, reason) => {
        if (message.channel === "sms") await settleCreditOfUndeliveredText(tx, { clock, random }, message, reason);
      },
    },
    overrides.outbox,
  );

  // With REDIS_URL every node shares one set of throttling counters; otherwise each keeps its own.
  const redis = config.redisUrl ? connectRedis(config.redisUrl) : undefined;
  redis?.on("error", (error: Error) => logger.warn({ err: error }, "redis connection problem"));
  // Commands aren't queued while disconnected (a throttle that waits is an outage), so a node
  // that answered before its first connection would refuse sign-ins: wait for it, briefly.
  if (redis && !(await redisReady(redis, REDIS_READY_TIMEOUT_MS))) {
    logger.warn("redis is not ready yet; sign-ins are refused until it is");
  }
  const prefix = overrides.redisPrefix ?? config.redisPrefix;
  const throttleStore = redis ? createRedisThrottleStore(redis, `${prefix}throttle:`) : createMemoryThrottleStore();
  const rateLimiter = (rule: RateLimit) =>
    redis ? createRedisRateLimiter(redis, rule, clock, `${prefix}rate:`) : createMemoryRateLimiter(rule, clock);

  // The queue's handler needs the finished deps, and the deps hold the queue.
  const resetRequests = createBackgroundQueue<ResetRequest>((job) => processResetRequest(deps, job).then(() => {}), {
    maxQueued: 1000,
    onError: (error) => logger.error({ err: error }, "password reset request failed"),
  });
  const retention = createRetentionJob({
    db: database.db,
    clock,
    auditRetentionDays: config.auditRetentionDays,
    supportIdleTimeoutMs: SUPPORT_IDLE_TIMEOUT_SECONDS * 1000,
  });
  const retentionTimer = setInterval(
    () => void retention.runOnce().catch((error: unknown) => logger.warn({ err: error }, "retention pass failed")),
    RETENTION_INTERVAL_MS + Math.floor(Math.random() * 60_000),
  );
  retentionTimer.unref();
  const deps: AppDeps = {
    config,
    db: database.db,
    dialect: database.dialect,
    clock,
    random,
    secretBox,
    hasher: createPasswordHasher(overrides.hasher),
    loginThrottle: createLoginThrottle(throttleStore, clock),
    passwordCheckLimiter: rateLimiter(PASSWORD_CHECKS_PER_MINUTE),
    resetRequestLimiter: rateLimiter(RESET_REQUESTS_PER_IP_PER_HOUR),
    commonPasswords,
    resetRequests,
    notifyOutbox: () => outboxWorker.kick(),
    retentionTotals: () => retention.totals(),
    identityProvider,
    ...(transports.mailbox ? { devMailbox: transports.mailbox } : {}),
  };

  return {
    deps,
    retention,
    database,
    outboxWorker,
    logger,
    close: async () => {
      clearInterval(clockTimer);
      clearInterval(retentionTimer);
      await outboxWorker.stop();
      await resetRequests.drain();
      await transports.email.close?.();
      redis?.disconnect();
      await database.close();
    },
  };
}
