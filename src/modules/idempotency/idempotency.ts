/**
 * Idempotency keys for requests that send a message or spend credit (API.md "Conventions";
 * draft-ietf-httpapi-idempotency-key-header). The key's row is inserted first in the same
 * transaction as the work, and the answer stored with it: a retry or a double click with the
 * same key gets the first answer and sends or charges nothing more. Racing duplicates meet at
 * the primary key: the loser's transaction fails and it replays the winner's answer.
 */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../db/database.js";
import type { Clock } from "../../shared/clock.js";
import { DomainError } from "../../shared/errors.js";

export interface IdempotentScope {
  readonly accountId: string;
  readonly actorId: string;
  /** The client's Idempotency-Key header. */
  readonly key: string;
  /** What the request was (method, path, body): one key can't stand for two requests. */
  readonly fingerprint: string;
}

export interface StoredAnswer<T> {
  readonly statusCode: number;
  readonly body: T;
  readonly replayed: boolean;
}

export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{8,128}$/;

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  const text = String((error as { message?: string }).message ?? "");
  return (
    code === "23505" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || /UNIQUE constraint failed|PRIMARY KEY/.test(text)
  );
}

async function storedAnswer<T>(db: Kysely<Database>, scope: IdempotentScope): Promise<StoredAnswer<T> | undefined> {
  const row = await db
    .selectFrom("idempotency_keys")
    .selectAll()
    .where("account_id", "=", scope.accountId)
    .where("actor_id", "=", scope.actorId)
    .where("key", "=", scope.key)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.fingerprint !== scope.fingerprint) {
    throw new DomainError("conflict", "This Idempotency-Key was already used for a different request.", {
      fields: { "Idempotency-Key": "already used for a different request" },
    });
  }
  return { statusCode: row.status_code, body: JSON.parse(row.response_body) as T, replayed: true };
}

/**
 * Runs `work` once per key. Without a key it simply runs `work` in a transaction. Domain errors
 * are not stored: a refused request may be retried once the reason is gone.
 */
export async function runIdempotent<T>(
  deps: { db: Kysely<Database>; clock: Clock },
  scope: IdempotentScope | undefined,
  statusCode: number,
  work: (tx: Transaction<Database>) => Promise<T>,
): Promise<StoredAnswer<T>> {
  if (!scope) {
    const body = await deps.db.transaction().execute(work);
    return { statusCode, body, replayed: false };
  }
  const earlier = await storedAnswer<T>(deps.db, scope);
  if (earlier) return earlier;
  try {
    const body = await deps.db.transaction().execute(async (tx) => {
      await tx
        .insertInto("idempotency_keys")
        .values({
          account_id: scope.accountId,
          actor_id: scope.actorId,
          key: scope.key,
          fingerprint: scope.fingerprint,
          status_code: statusCode,
          response_body: "null",
          created_at: deps.clock.now(),
        })
        .execute();
      const result = await work(tx);
      await tx
        .updateTable("idempotency_keys")
        .set({ response_body: JSON.stringify(result) })
        .where("account_id", "=", scope.accountId)
        .where("actor_id", "=", scope.actorId)
        .where("key", "=", scope.key)
        .execute();
      return result;
    });
    return { statusCode, body, replayed: false };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const winner = await storedAnswer<T>(deps.db, scope);
    if (!winner) throw error;
    return winner;
  }
}
