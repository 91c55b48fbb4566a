/**
 * Retention: what has served its purpose is deleted in small batches, by every node at once if
 * need be, and counted in /metrics; what is still live, locked or wanted stays.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { attemptKey } from "../../src/modules/credentials/index.js";
import { enqueueEmail } from "../../src/modules/messaging/index.js";
import { createRetentionJob } from "../../src/modules/retention/index.js";
import { ManualClock } from "../../src/shared/clock.js";
import { dialects } from "../support/dialects.js";
import {
  SAMPLE_ACCOUNT,
  createTestApp,
  insertStaffMember,
  seedAccount,
  setFailures,
  signIn,
  type TestApp,
} from "../support/http.js";

describe.each(dialects)("retention on %s", (dialect) => {
  let clock: ManualClock;
  let t: TestApp;
  let accountId: string;

  beforeEach(async () => {
    clock = new ManualClock(Date.now());
    t = await createTestApp(dialect, { clock, env: { AUDIT_RETENTION_DAYS: "30" } });
    accountId = (await seedAccount(t)).account.id;
    await insertStaffMember(t, accountId, {
      username: "sam",
      password: "front-desk-pass-1",
      email: "sam@acme.example",
    });
  });
  afterEach(async () => t.close());

  const count = async (
    table: "sessions" | "login_attempts" | "outbox_messages" | "audit_events" | "idempotency_keys",
  ) =>
    Number(
      (
        await t.runtime.deps.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number | string>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  async function seedOldRows() {
    const db = t.runtime.deps.db;
    for (let i = 0; i < 5; i++) await signIn(t, "sam", "front-desk-pass-1"); // 5 sessions, then they age
    await setFailures(t, "staff:stf_sam", 100); // locked: stays
    await setFailures(t, "login:x:nobody", 3); // stale: goes
    await db.transaction().execute((tx) =>
      enqueueEmail(tx, t.runtime.deps, {
        accountId,
        to: "sam@acme.example",
        template: "password_reset",
        email: { subject: "s", text: "t", html: "" },
      }),
    );
    await db.updateTable("outbox_messages").set({ status: "sent" }).execute();
    await db
      .insertInto("idempotency_keys")
      .values({
        account_id: accountId,
        actor_id: "stf_sam",
        key: "key-1234567",
        fingerprint: "POST /x",
        status_code: 202,
        response_body: "{}",
        created_at: clock.now(),
      })
      .execute();
  }

  it("deletes ended sessions, old keys, delivered messages and stale counters; keeps locks and live rows", async () => {
    await seedOldRows();
    const auditBefore = await count("audit_events");
    clock.advanceSeconds(31 * 24 * 3600);
    await signIn(t, "admin", SAMPLE_ACCOUNT.ownerPassword as string); // a live session, a fresh audit row
    const deleted = await t.runtime.retention.runOnce();
    expect(deleted).toMatchObject({
      sessions: 5,
      idempotency_keys: 1,
      outbox_messages: 1,
      login_attempts: 1,
      audit_events: auditBefore,
    });
    expect(await count("sessions")).toBe(1);
    expect(await count("audit_events")).toBe(1);
    const locked = await t.runtime.deps.db
      .selectFrom("login_attempts")
      .select("failures")
      .where("subject", "=", attemptKey("staff:stf_sam"))
      .executeTakeFirst();
    expect(locked?.failures).toBe(100);
    const metrics = await t.request({ method: "GET", url: "/metrics" });
    expect(metrics.body).toMatch(/staffgate_retention_deleted_total\{kind="sessions"\} 5/);
  });

  it("keeps audit events for good unless AUDIT_RETENTION_DAYS is set, and works in batches on two nodes at once", async () => {
    await seedOldRows();
    clock.advanceSeconds(400 * 24 * 3600);
    const keepAudit = createRetentionJob(
      {
        db: t.runtime.deps.db,
        clock,
        auditRetentionDays: undefined,
        supportIdleTimeoutMs: 30 * 60_000,
      },
      { batchSize: 2 },
    );
    const before = await count("audit_events");
    const [one, two] = await Promise.all([keepAudit.runOnce(), keepAudit.runOnce()]);
    expect(one.sessions + two.sessions).toBe(5); // each row deleted once, by one of them
    expect(await count("sessions")).toBe(0);
    expect(await count("audit_events")).toBe(before);
  });
});
