/**
 * Delivers the outbox. Each node runs one worker; workers claim rows with a lease (see
 * `claimDueMessages`), so several nodes deliver each message once. A failed attempt is retried
 * with exponential back-off until `max_attempts`, then given up and recorded in the audit log.
 * A delivered message is never sent again: only the claiming worker may settle it, and it is
 * marked sent before the next claim.
 *
 * Rows queued before bodies were sealed may still be `pending` or `sending` (see outbox.table.ts):
 * they are claimed like `queued` and `delivering` ones, and leave those states when claimed.
 *
 * ```mermaid
 * stateDiagram-v2
 *   [*] --> queued: enqueued with the change (body sealed)
 *   queued --> delivering: claimed (lease)
 *   delivering --> sent: delivered (body erased)
 *   delivering --> queued: failed, attempts left (back-off)
 *   delivering --> failed: permanent error or out of attempts (body erased)
 *   delivering --> delivering: lease expired, claimed again
 * ```
 */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../db/database.js";
import type { Clock } from "../../shared/clock.js";
import { newId, type Random } from "../../shared/random.js";
import { UnknownKeyError, isSealed, type SecretBox } from "../../shared/secret-box.js";
import { recordAuditEvent } from "../audit/index.js";
import { sealContext } from "./outbox.js";
import { claimDueMessages, markMessageAttemptFailed, markMessageSent } from "./outbox.repository.js";
import type { OutboxMessageRow } from "./outbox.table.js";
import { PermanentDeliveryError, type MessageTransport } from "./transports.js";

export interface OutboxWorkerOptions {
  readonly pollIntervalMs?: number;
  readonly leaseMs?: number;
  readonly batchSize?: number;
  /** Back-off after the first failure; doubles each time, capped at `maxRetryDelayMs`. */
  readonly baseRetryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
}

export interface OutboxWorkerDeps {
  readonly db: Kysely<Database>;
  readonly dialect: "sqlite" | "postgres";
  readonly clock: Clock;
  readonly random: Random;
  readonly secretBox: SecretBox;
  readonly transports: Readonly<Partial<Record<OutboxMessageRow["channel"], MessageTransport>>>;
  readonly onError?: (error: unknown) => void;
  /** Runs in the transaction that gives a message up (the SMS credit refund hooks in here). */
  readonly onGiveUp?: (tx: Transaction<Database>, message: OutboxMessageRow) => Promise<void>;
}

export interface OutboxWorker {
  readonly id: string;
  start(): void;
  /** Resolves when the running pass has finished; no new pass starts. */
  stop(): Promise<void>;
  /** Runs one pass now; returns how many messages it settled. For tests and shutdown. */
  runOnce(): Promise<number>;
  /** Wakes the loop early (a message was just queued on this node). */
  kick(): void;
}

export function retryDelayMs(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), maxMs);
}

export function createOutboxWorker(deps: OutboxWorkerDeps, options: OutboxWorkerOptions = {}): OutboxWorker {
  const id = newId(deps.random, "wrk");
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const leaseMs = options.leaseMs ?? 60_000;
  const batchSize = options.batchSize ?? 10;
  const baseRetryDelayMs = options.baseRetryDelayMs ?? 5_000;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 30 * 60_000;

  let running = false;
  let current: Promise<unknown> = Promise.resolve();
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;

  /** A body as queued; rows from before sealing hold it in plain text. */
  function openBody(message: OutboxMessageRow, field: "text" | "html"): string {
    const stored = field === "text" ? message.text_body : message.html_body;
    if (!isSealed(stored)) return stored;
    const sealedFor = {
      id: message.id,
      accountId: message.account_id,
      channel: message.channel,
      recipient: message.recipient,
    };
    try {
      return deps.secretBox.open(stored, sealContext(sealedFor, field));
    } catch (error) {
      // Another node's key (a rotation rolling out): a later attempt, maybe on a node that has
      // it, can succeed. Anything else means the row was altered, and no retry helps.
      if (error instanceof UnknownKeyError) throw error;
      throw new PermanentDeliveryError(`cannot open the message body: ${(error as Error).message}`);
    }
  }

  async function settle(message: OutboxMessageRow): Promise<void> {
    const transport = deps.transports[message.channel];
    try {
      if (!transport) throw new PermanentDeliveryError(`no transport for channel ${message.channel}`);
      const result = await transport.deliver({
        id: message.id,
        channel: message.channel,
        to: message.recipient,
        subject: message.subject,
        text: openBody(message, "text"),
        html: openBody(message, "html"),
      });
      await markMessageSent(deps.db, message.id, id, deps.clock.now(), result.providerMessageId);
    } catch (error) {
      const permanent = error instanceof PermanentDeliveryError;
      const outOfAttempts = message.attempts >= message.max_attempts;
      const errorText = error instanceof Error ? error.message : String(error);
      const retryAt =
        permanent || outOfAttempts
          ? null
          : deps.clock.now() + retryDelayMs(message.attempts, baseRetryDelayMs, maxRetryDelayMs);
      await deps.db.transaction().execute(async (tx) => {
        const settled = await markMessageAttemptFailed(tx, message.id, id, { error: errorText, retryAt });
        if (settled && retryAt === null) {
          await deps.onGiveUp?.(tx, message);
          await recordAuditEvent(tx, deps, {
            accountId: message.account_id,
            source: "system",
            actor: { type: "system", id: null, name: "Staffgate" },
            action: "message.delivery_failed",
            target: null,
            details: {
              messageId: message.id,
              channel: message.channel,
              template: message.template,
              attempts: message.attempts,
              lastError: errorText.slice(0, 300),
            },
          });
        }
      });
    }
  }

  async function runOnce(): Promise<number> {
    const claimed = await claimDueMessages(deps.db, {
      dialect: deps.dialect,
      workerId: id,
      now: deps.clock.now(),
      leaseMs,
      limit: batchSize,
    });
    for (const message of claimed) await settle(message);
    return claimed.length;
  }

  async function loop(): Promise<void> {
    while (running) {
      let settled = 0;
      const pass = runOnce().then(
        (count) => (settled = count),
        (error: unknown) => deps.onError?.(error),
      );
      current = pass;
      await pass;
      if (!running) break;
      if (settled > 0) continue; // more may be waiting
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, pollIntervalMs);
      });
      clearTimeout(timer);
      wake = undefined;
    }
  }

  return {
    id,
    start() {
      if (running) return;
      running = true;
      void loop();
    },
    async stop() {
      running = false;
      wake?.();
      await current;
    },
    runOnce,
    kick() {
      wake?.();
    },
  };
}
