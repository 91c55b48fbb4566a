/** Queries of the two-factor tables. Each code acceptance is one conditional UPDATE. */
import { preparedQuery, type Executor } from "../../db/database.js";
import { newId, type Random } from "../../shared/random.js";
import type { PasskeyRow, TotpFactorRow } from "./two-factor.table.js";

/**
 * Holds the person's staff row until the transaction ends (a no-op UPDATE): changes to one
 * person's factors take turns, so two removals can't each see the other factor still there.
 */
export async function lockFactorsOf(db: Executor, accountId: string, staffId: string): Promise<void> {
  await db
    .updateTable("staff")
    .set((eb) => ({ updated_at: eb.ref("updated_at") }))
    .where("account_id", "=", accountId)
    .where("id", "=", staffId)
    .execute();
}

export async function findTotpFactor(db: Executor, subject: string): Promise<TotpFactorRow | undefined> {
  return db.selectFrom("totp_factors").selectAll().where("subject", "=", subject).executeTakeFirst();
}

/**
 * Accepts a code's step once: true for exactly one caller, however many race on however many
 * nodes, and never again for that step or an earlier one. `confirming` accepts the first code of
 * an enrolment (and confirms it); otherwise the factor must be confirmed already.
 */
export async function acceptTotpStep(
  db: Executor,
  subject: string,
  step: number,
  now: number,
  confirming: boolean,
): Promise<boolean> {
  const result = await db
    .updateTable("totp_factors")
    .set({ last_used_step: step, ...(confirming ? { confirmed_at: now } : {}) })
    .where("subject", "=", subject)
    .where("confirmed_at", confirming ? "is" : "is not", null)
    .where((eb) => eb.or([eb("last_used_step", "is", null), eb("last_used_step", "<", step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteTotpFactor(db: Executor, subject: string): Promise<number> {
  const result = await db.deleteFrom("totp_factors").where("subject", "=", subject).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function replaceRecoveryCodes(
  db: Executor,
  deps: { random: Random },
  row: { accountId: string; staffId: string; codeHashes: readonly string[]; now: number },
): Promise<void> {
  await deleteRecoveryCodes(db, row.accountId, row.staffId);
  await db
    .insertInto("recovery_codes")
    .values(
      row.codeHashes.map((codeHash) => ({
        id: newId(deps.random, "rcv"),
        account_id: row.accountId,
        staff_id: row.staffId,
        code_hash: codeHash,
        used_at: null,
        created_at: row.now,
      })),
    )
    .execute();
}

/** Uses a recovery code: true for exactly one caller, however many race. */
export async function useRecoveryCode(
  db: Executor,
  staff: { account_id: string; id: string },
  codeHash: string,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable("recovery_codes")
    .set({ used_at: now })
    .where("account_id", "=", staff.account_id)
    .where("staff_id", "=", staff.id)
    .where("code_hash", "=", codeHash)
    .where("used_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function countRecoveryCodesLeft(db: Executor, accountId: string, staffId: string): Promise<number> {
  const row = await db
    .selectFrom("recovery_codes")
    .select((eb) => eb.fn.countAll<number | string>().as("count"))
    .where("account_id", "=", accountId)
    .where("staff_id", "=", staffId)
    .where("used_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function deleteRecoveryCodes(db: Executor, accountId: string, staffId: string): Promise<number> {
  const result = await db
    .deleteFrom("recovery_codes")
    .where("account_id", "=", accountId)
    .where("staff_id", "=", staffId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function listPasskeys(db: Executor, accountId: string, staffId: string): Promise<PasskeyRow[]> {
  return db
    .selectFrom("passkeys")
    .selectAll()
    .where("account_id", "=", accountId)
    .where("staff_id", "=", staffId)
    .orderBy("created_at")
    .execute();
}

/** A business's passkey by its credential id: another business's credential is not found. */
export async function findPasskey(db: Executor, accountId: string, id: string): Promise<PasskeyRow | undefined> {
  return db
    .selectFrom("passkeys")
    .selectAll()
    .where("account_id", "=", accountId)
    .where("id", "=", id)
    .executeTakeFirst();
}

/** False when the credential id is registered already (here or in another business). */
export async function insertPasskey(
  db: Executor,
  row: {
    id: string;
    accountId: string;
    staffId: string;
    publicKey: string;
    counter: number;
    transports: readonly string[];
    name: string;
    now: number;
  },
): Promise<boolean> {
  const result = await db
    .insertInto("passkeys")
    .values({
      id: row.id,
      account_id: row.accountId,
      staff_id: row.staffId,
      public_key: row.publicKey,
      counter: row.counter,
      transports: JSON.stringify(row.transports),
      name: row.name,
      created_at: row.now,
      last_used_at: null,
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/**
 * Records a use: the authenticator's new signature counter and the time. Conditional on the
 * counter it was verified against, so of two assertions racing with one counter value only one
 * counts (a cloned authenticator can't slip in beside the real one).
 */
export async function recordPasskeyUse(
  db: Executor,
  passkey: { account_id: string; id: string; counter: number },
  newCounter: number,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable("passkeys")
    .set({ counter: newCounter, last_used_at: now })
    .where("account_id", "=", passkey.account_id)
    .where("id", "=", passkey.id)
    .where("counter", "=", passkey.counter)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function renamePasskey(
  db: Executor,
  owner: { accountId: string; staffId: string },
  id: string,
  name: string,
): Promise<boolean> {
  const result = await db
    .updateTable("passkeys")
    .set({ name })
    .where("account_id", "=", owner.accountId)
    .where("staff_id", "=", owner.staffId)
    .where("id", "=", id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deletePasskey(
  db: Executor,
  owner: { accountId: string; staffId: string },
  id: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom("passkeys")
    .where("account_id", "=", owner.accountId)
    .where("staff_id", "=", owner.staffId)
    .where("id", "=", id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export async function deletePasskeysOfStaff(db: Executor, accountId: string, staffId: string): Promise<number> {
  const result = await db
    .deleteFrom("passkeys")
    .where("account_id", "=", accountId)
    .where("staff_id", "=", staffId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export interface TwoFactorSummary {
  readonly totp: boolean;
  readonly passkeys: number;
  readonly recoveryCodesLeft: number;
}

/** `twoFactor` for a page of staff, in three queries whatever the page's size. */
export async function twoFactorSummaries(
  db: Executor,
  accountId: string,
  staffIds: readonly string[],
): Promise<Map<string, TwoFactorSummary>> {
  const summaries = new Map<string, TwoFactorSummary>(
    staffIds.map((id) => [id, { totp: false, passkeys: 0, recoveryCodesLeft: 0 }]),
  );
  if (staffIds.length === 0) return summaries;
  const [totps, passkeys, codes] = await Promise.all([
    db
      .selectFrom("totp_factors")
      .select("subject")
      .where(
        "subject",
        "in",
        staffIds.map((id) => `staff:${id}`),
      )
      .where("confirmed_at", "is not", null)
      .execute(),
    db
      .selectFrom("passkeys")
      .select(["staff_id", (eb) => eb.fn.countAll<number | string>().as("count")])
      .where("account_id", "=", accountId)
      .where("staff_id", "in", staffIds)
      .groupBy("staff_id")
      .execute(),
    db
      .selectFrom("recovery_codes")
      .select(["staff_id", (eb) => eb.fn.countAll<number | string>().as("count")])
      .where("account_id", "=", accountId)
      .where("staff_id", "in", staffIds)
      .where("used_at", "is", null)
      .groupBy("staff_id")
      .execute(),
  ]);
  const update = (id: string, change: Partial<TwoFactorSummary>) => {
    const current = summaries.get(id);
    if (current) summaries.set(id, { ...current, ...change });
  };
  for (const row of totps) update(row.subject.slice("staff:".length), { totp: true });
  for (const row of passkeys) update(row.staff_id, { passkeys: Number(row.count) });
  for (const row of codes) update(row.staff_id, { recoveryCodesLeft: Number(row.count) });
  return summaries;
}

export async function deletePendingSignInsOfStaff(db: Executor, accountId: string, staffId: string): Promise<void> {
  await db.deleteFrom("pending_sign_ins").where("account_id", "=", accountId).where("staff_id", "=", staffId).execute();
}

/**
 * One person's second factors in one statement, prepared once: `GET …/me` and every sign-in read
 * it (the three queries of twoFactorSummaries cost a GET /me more than its session look-up).
 */
const summaryOfOne = preparedQuery(
  "two_factor_summary",
  (db, accountId: string, staffId: string) =>
    db.selectNoFrom((eb) => [
      eb
        .exists(
          eb
            .selectFrom("totp_factors")
            .select("subject")
            .where("subject", "=", `staff:${staffId}`)
            .where("confirmed_at", "is not", null),
        )
        .as("totp"),
      eb
        .selectFrom("passkeys")
        .select((inner) => inner.fn.countAll<number | string>().as("count"))
        .where("account_id", "=", accountId)
        .where("staff_id", "=", staffId)
        .as("passkeys"),
      eb
        .selectFrom("recovery_codes")
        .select((inner) => inner.fn.countAll<number | string>().as("count"))
        .where("account_id", "=", accountId)
        .where("staff_id", "=", staffId)
        .where("used_at", "is", null)
        .as("recovery_codes_left"),
    ]),
  (accountId, staffId) => [`staff:${staffId}`, accountId, staffId, accountId, staffId],
);

/** What second factors one person has. */
export async function twoFactorSummary(db: Executor, accountId: string, staffId: string): Promise<TwoFactorSummary> {
  const [row] = await summaryOfOne(db, accountId, staffId);
  return {
    // SQLite answers EXISTS with 1 or 0, PostgreSQL with a boolean.
    totp: Boolean(row?.totp),
    passkeys: Number(row?.passkeys ?? 0),
    recoveryCodesLeft: Number(row?.recovery_codes_left ?? 0),
  };
}
