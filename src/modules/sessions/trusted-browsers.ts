/**
 * Trusted browsers (OWASP "Slow Down Online Guessing Attacks with Device Cookies"): a browser that
 * signed in as a person, or opened their unlock link, carries a random id (only its SHA-256 is
 * stored). When it names that person again, its attempts are counted against the browser — with
 * a cap of their own — instead of the person, so a stranger who drives the person's counter to
 * the hard lock or the longest delay never holds the person out of their own browser. A browser
 * that guesses wrong 10 times is trusted no more.
 */
import { preparedQuery, type Executor } from "../../db/database.js";
import type { Clock } from "../../shared/clock.js";
import { sha256Hex } from "../../shared/hash.js";
import { newToken, type Random } from "../../shared/random.js";
import { TRUSTED_BROWSER_MAX_FAILURES, TRUSTED_BROWSER_SECONDS } from "./session-policy.js";

export interface TrustedBrowser {
  readonly idHash: string;
  readonly accountId: string;
  readonly staffId: string;
}

/** Trusts the browser for this person; returns the id for its cookie. */
export async function trustBrowser(
  db: Executor,
  deps: { clock: Clock; random: Random },
  input: { accountId: string; staffId: string; replacing?: string | undefined },
): Promise<{ token: string; maxAgeSeconds: number }> {
  const now = deps.clock.now();
  const token = newToken(deps.random, 32);
  if (input.replacing)
    await db.deleteFrom("trusted_browsers").where("id_hash", "=", sha256Hex(input.replacing)).execute();
  await insertTrustedBrowser(db, sha256Hex(token), input.accountId, input.staffId, now);
  return { token, maxAgeSeconds: TRUSTED_BROWSER_SECONDS };
}

/** Prepared once: every sign-in trusts the browser (docs/benchmarks.md). */
const insertTrustedBrowser = preparedQuery(
  "insert_trusted_browser",
  (db, idHash: string, accountId: string, staffId: string, now: number) =>
    db.insertInto("trusted_browsers").values({
      id_hash: idHash,
      account_id: accountId,
      staff_id: staffId,
      failures: 0,
      created_at: now,
      expires_at: now + TRUSTED_BROWSER_SECONDS * 1000,
    }),
  (idHash, accountId, staffId, now) => [idHash, accountId, staffId, 0, now, now + TRUSTED_BROWSER_SECONDS * 1000],
);

/**
 * The trusted browser behind `token`, whoever it is trusted for: the caller checks it is the
 * person the login names. (The look-up runs whether or not the login names anyone, so its cost
 * tells nothing about the login.)
 */
export async function findTrustedBrowser(
  db: Executor,
  token: string,
  now: number,
): Promise<TrustedBrowser | undefined> {
  const row = await db
    .selectFrom("trusted_browsers")
    .select(["id_hash", "account_id", "staff_id"])
    .where("id_hash", "=", sha256Hex(token))
    .where("expires_at", ">", now)
    .where("failures", "<", TRUSTED_BROWSER_MAX_FAILURES)
    .executeTakeFirst();
  return row ? { idHash: row.id_hash, accountId: row.account_id, staffId: row.staff_id } : undefined;
}

/** Counts an attempt against the browser before it is evaluated; false once its cap is spent. */
export async function reserveBrowserAttempt(db: Executor, browser: TrustedBrowser): Promise<boolean> {
  const result = await db
    .updateTable("trusted_browsers")
    .set((eb) => ({ failures: eb("failures", "+", 1) }))
    .where("id_hash", "=", browser.idHash)
    .where("failures", "<", TRUSTED_BROWSER_MAX_FAILURES)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function clearBrowserAttempts(db: Executor, browser: TrustedBrowser): Promise<void> {
  await db.updateTable("trusted_browsers").set({ failures: 0 }).where("id_hash", "=", browser.idHash).execute();
}

/** A deactivated person's browsers are trusted no more. */
export async function forgetTrustedBrowsersOfStaff(db: Executor, accountId: string, staffId: string): Promise<void> {
  await db.deleteFrom("trusted_browsers").where("account_id", "=", accountId).where("staff_id", "=", staffId).execute();
}
