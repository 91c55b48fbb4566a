/**
 * Delivers the outbox. Each node runs one worker; workers claim rows with a lease (see
 * `claimDueMessages`), so several nodes deliver each message once. A failed attempt is retried
 * with exponential back-off until `max_attempts`, then given up and recorded in the audit log.
 *
 * Never twice for one message, as far as it can be known:
 * - Just before a message is handed to its provider, the attempt is marked started (and the
 *   worker checks it still holds the claim). Only attempts that certainly delivered nothing —
 *   a refused connection, a 4xx, Twilio's 429/503 — are queued again.
 * - Once the provider has accepted a message, recording it as sent is retried in place for a
 *   while; a database error there never re-queues the message.
 * - A text whose attempt may have reached the provider without an answer (a timeout, a cut
 *   connection, a 5xx; or a claim that ran out mid-attempt: a killed worker, a database lost
 *   before the outcome was recorded) becomes `uncertain`. It is never sent again: the worker
 *   asks the provider (Twilio's message list) every `settleIntervalMs`; found, it is sent; not
 *   found by the end of `settleWindowMs`, it is given up and its credit refunded; if the
 *   provider can't be asked by then, it is given up with its credit kept ("unconfirmed": it
 *   may have gone out). The ledger and the audit log say which.
 * - An email has no such look-up: one whose claim runs out mid-attempt is sent again. That, and
 *   a text or email accepted by its provider in the instant before a kill -9 or a database
 *   outage longer than the record retries, are where a repeat can still happen
 *   (docs/operations.md, "Message delivery guarantees").
 *
 * Rows queued before bodies were sealed may still be `pending` or `sending` (see outbox.table.ts):
 * they are claimed like `queued` and `delivering` ones, and leave those states when claimed.
 *
 * ```mermaid
 * stateDiagram-v2
 *   [*] --> queued: enqueued with the change (body sealed)
 *   queued --> delivering: claimed (lease)
 *   delivering --> sent: provider accepted it (body erased)
 *   delivering --> queued: certainly not delivered, attempts left (back-off)
 *   delivering --> failed: refused for good or out of attempts (body erased, credit refunded)
 *   delivering --> delivering: lease expired before the attempt began, claimed again
 *   delivering --> uncertain: text: no answer after sending, or lease expired mid-attempt
 *   uncertain --> sent: found at the provider
 *   uncertain --> uncertain: not found yet, within the settle window
 *   uncertain --> failed: not found after the window (refunded), or provider unreachable (credit kept)
 * ```
 */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../db/database.js";
import type { Clock } from "../../shared/clock.js";
import { newId, type Random } from "../../shared/random.js";
import { UnknownKeyError, isSealed, type SecretBox } from "../../shared/secret-box.js";
import { recordAuditEvent, type AuditAction } from "../audit/index.js";
import { sealContext } from "./outbox.js";
import {
  claimDueMessages,
  claimUncertainMessages,
  markAttemptStarted,
  markInterruptedTextsUncertain,
  markMessageAttemptFailed,
  markMessageSent,
  markMessageUncertain,
  recheckUncertainMessage,
} from "./outbox.repository.js";
import type { OutboxMessageRow } from "./outbox.table.js";
import {
  PermanentDeliveryError,
  UncertainDeliveryError,
  type DeliveryResult,
  type LookupResult,
  type MessageTransport,
} from "./transports.js";

export interface OutboxWorkerOptions {
  readonly pollIntervalMs?: number;
  readonly leaseMs?: number;
  readonly batchSize?: number;
  /** Back-off after the first failure; doubles each time, capped at `maxRetryDelayMs`. */
  readonly baseRetryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
  /** How long an uncertain text is looked for at its provider before it is given up (15 minutes). */
  readonly settleWindowMs?: number;
  /** Between look-ups of an uncertain text (1 minute). */
  readonly settleIntervalMs?: number;
  /** Pauses between tries of recording a message the provider accepted (about 18 s in all). */
  readonly recordRetryDelaysMs?: readonly number[];
}

/**
 * Why a message was given up: `refused` — it certainly went nowhere (a final refusal, out of
 * attempts, a body that won't open); `not_accepted` — its attempt was uncertain and the provider
 * has no record of it; `unconfirmed` — uncertain, and the provider could not be asked.
 */
export type GiveUpReason = "refused" | "not_accepted" | "unconfirmed";

export interface OutboxWorkerDeps {
  readonly db: Kysely<Database>;
  readonly dialect: "sqlite" | "postgres";
  readonly clock: Clock;
  readonly random: Random;
  readonly secretBox: SecretBox;
  readonly transports: Readonly<Partial<Record<OutboxMessageRow["channel"], MessageTransport>>>;
  readonly onError?: (error: unknown) => void;
  /** Runs in the transaction that gives a message up (the SMS credit refund hooks in here). */
  readonly onGiveUp?: (tx: Transaction<Database>, message: OutboxMessageRow, reason: GiveUpReason) => Promise<void>;
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const SYSTEM = { type: "system", id: null, name: "Staffgate" } as const;

export function createOutboxWorker(deps: OutboxWorkerDeps, options: OutboxWorkerOptions = {}): OutboxWorker {
  const id = newId(deps.random, "wrk");
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const leaseMs = options.leaseMs ?? 60_000;
  const batchSize = options.batchSize ?? 10;
  const baseRetryDelayMs = options.baseRetryDelayMs ?? 5_000;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 30 * 60_000;
  const settleWindowMs = options.settleWindowMs ?? 15 * 60_000;
  const settleIntervalMs = options.settleIntervalMs ?? 60_000;
  const recordRetryDelaysMs = options.recordRetryDelaysMs ?? [100, 500, 2_000, 5_000, 10_000];

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

  const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

  async function auditOutcome(
    tx: Transaction<Database>,
    message: OutboxMessageRow,
    action: AuditAction,
    details: Record<string, unknown>,
  ): Promise<void> {
    await recordAuditEvent(tx, deps, {
      accountId: message.account_id,
      source: "system",
      actor: SYSTEM,
      action,
      target: null,
      details: { messageId: message.id, channel: message.channel, template: message.template, ...details },
    });
  }

  /** An attempt that certainly delivered nothing: queued again, or given up and recorded. */
  async function recordFailure(message: OutboxMessageRow, error: unknown): Promise<void> {
    const permanent = error instanceof PermanentDeliveryError;
    const outOfAttempts = message.attempts >= message.max_attempts;
    const retryAt =
      permanent || outOfAttempts
        ? null
        : deps.clock.now() + retryDelayMs(message.attempts, baseRetryDelayMs, maxRetryDelayMs);
    await deps.db.transaction().execute(async (tx) => {
      const settled = await markMessageAttemptFailed(tx, message.id, id, { error: errorText(error), retryAt });
      if (settled && retryAt === null) {
        await deps.onGiveUp?.(tx, message, "refused");
        await auditOutcome(tx, message, "message.delivery_failed", {
          attempts: message.attempts,
          lastError: errorText(error).slice(0, 300),
        });
      }
    });
  }

  /** No answer after the request went out: the text waits to be looked up, never resent. */
  async function recordUncertain(message: OutboxMessageRow, error: unknown): Promise<void> {
    const now = deps.clock.now();
    await deps.db.transaction().execute(async (tx) => {
      const marked = await markMessageUncertain(tx, message.id, id, {
        error: errorText(error),
        now,
        checkAt: now + settleIntervalMs,
      });
      if (marked) {
        await auditOutcome(tx, message, "message.delivery_uncertain", {
          attempts: message.attempts,
          lastError: errorText(error).slice(0, 300),
        });
      }
    });
  }

  /**
   * The provider has the message: record it. A database error here must not put the message
   * back in the queue (it would be sent again), so the write is retried in place; if it never
   * lands, the row keeps its claim and started attempt, and when the lease runs out a text is
   * settled by look-up (an email is sent again: the documented repeat).
   */
  async function recordDelivered(message: OutboxMessageRow, result: DeliveryResult): Promise<void> {
    for (let retry = 0; ; retry++) {
      try {
        await markMessageSent(deps.db, message.id, id, deps.clock.now(), result.providerMessageId);
        return;
      } catch (error) {
        deps.onError?.(error);
        const delay = recordRetryDelaysMs[retry];
        if (delay === undefined) return;
        await sleep(delay);
      }
    }
  }

  async function deliver(message: OutboxMessageRow): Promise<void> {
    const transport = deps.transports[message.channel];
    let text: string;
    let html: string;
    try {
      if (!transport) throw new PermanentDeliveryError(`no transport for channel ${message.channel}`);
      text = openBody(message, "text");
      html = openBody(message, "html");
    } catch (error) {
      await recordFailure(message, error);
      return;
    }
    // From here the provider may get the message; a worker whose lease ran out sends nothing.
    if (!(await markAttemptStarted(deps.db, message.id, id, { now: deps.clock.now(), leaseMs }))) return;
    let result: DeliveryResult;
    try {
      result = await transport.deliver({
        id: message.id,
        channel: message.channel,
        to: message.recipient,
        subject: message.subject,
        text,
        html,
      });
    } catch (error) {
      if (error instanceof UncertainDeliveryError && message.channel === "sms") await recordUncertain(message, error);
      else await recordFailure(message, error);
      return;
    }
    await recordDelivered(message, result);
  }

  /** Asks the provider about an uncertain text, and settles it when the answer allows. */
  async function settleUncertain(message: OutboxMessageRow): Promise<void> {
    const transport = deps.transports[message.channel];
    const since = message.uncertain_since ?? message.created_at;
    let answer: LookupResult | { readonly unknown: string };
    if (!transport?.lookup) {
      answer = { unknown: `the ${transport?.name ?? "missing"} transport can't look messages up` };
    } else {
      try {
        answer = await transport.lookup({ to: message.recipient, text: openBody(message, "text"), sentAfter: since });
      } catch (error) {
        answer = { unknown: `look-up failed: ${errorText(error)}` };
      }
    }
    const now = deps.clock.now();
    const windowOver = !transport?.lookup || now >= since + settleWindowMs;
    await deps.db.transaction().execute(async (tx) => {
      if ("found" in answer && answer.found) {
        if (await markMessageSent(tx, message.id, id, now, answer.providerMessageId, "uncertain")) {
          await auditOutcome(tx, message, "message.delivery_confirmed", {
            providerMessageId: answer.providerMessageId,
            uncertainSince: new Date(since).toISOString(),
          });
        }
        return;
      }
      const note = "unknown" in answer ? answer.unknown : "not found at the provider yet";
      if (!windowOver) {
        await recheckUncertainMessage(tx, message.id, id, { note, checkAt: now + settleIntervalMs });
        return;
      }
      const reason: GiveUpReason = "unknown" in answer ? "unconfirmed" : "not_accepted";
      const lastError =
        reason === "not_accepted"
          ? "no answer when it was sent, and the provider has no record of it"
          : `no answer when it was sent, and its fate can't be learned (${note})`;
      if (await markMessageAttemptFailed(tx, message.id, id, { error: lastError, retryAt: null }, "uncertain")) {
        await deps.onGiveUp?.(tx, message, reason);
        await auditOutcome(
          tx,
          message,
          reason === "not_accepted" ? "message.delivery_failed" : "message.delivery_unconfirmed",
          { attempts: message.attempts, lastError, uncertainSince: new Date(since).toISOString() },
        );
      }
    });
  }

  async function runOnce(): Promise<number> {
    const claim = () => ({ dialect: deps.dialect, workerId: id, now: deps.clock.now(), leaseMs, limit: batchSize });
    const claimed = await claimDueMessages(deps.db, claim());
    for (const message of claimed) await deliver(message);
    await markInterruptedTextsUncertain(deps.db, deps.clock.now());
    const uncertain = await claimUncertainMessages(deps.db, claim());
    for (const message of uncertain) await settleUncertain(message);
    return claimed.length + uncertain.length;
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
