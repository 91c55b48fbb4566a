import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { attemptKey, createPasswordHasher } from "../../src/modules/credentials/index.js";
import {
  SUPPORT_MAX_CONSECUTIVE_FAILURES,
  agentSubject,
  createSupportAgent,
  unlockSupportAgent,
  type AgentView,
} from "../../src/modules/support/index.js";
import { PER_LOGIN_RULE, loginSubject } from "../../src/modules/throttling/index.js";
import { ManualClock } from "../../src/shared/clock.js";
import { dialects } from "../support/dialects.js";
import { createTestApp, type TestApp } from "../support/http.js";

const ANN = { email: "ann@staffgate.example", name: "Ann Agent", password: "granite-orchard-lamp-19" };
const BOB = { email: "bob@staffgate.example", name: "Bob Agent", password: "copper-meadow-kite-27" };
/** Longer than any delay the login throttle imposes, so that only the hard cap refuses. */
const PAST_ANY_DELAY_SECONDS = PER_LOGIN_RULE.maxDelaySeconds;

describe.each(dialects)("vendor support sign-in limits on %s", (dialect) => {
  let clock: ManualClock;
  let t: TestApp;
  let ann: AgentView;

  const agentSignIn = (email: string, password: string) =>
    t.request({ method: "POST", url: "/api/support/session", payload: { email, password } });

  /** Counts the Argon2 verifications from here on: against a real hash, and against the dummy. */
  function countVerifications() {
    const hasher = t.runtime.deps.hasher as {
      verify: typeof t.runtime.deps.hasher.verify;
      verifyAgainstDummy: typeof t.runtime.deps.hasher.verifyAgainstDummy;
    };
    const counts = { real: 0, dummy: 0 };
    const verify = hasher.verify.bind(hasher);
    const verifyAgainstDummy = hasher.verifyAgainstDummy.bind(hasher);
    hasher.verify = async (hash, password) => {
      counts.real++;
      return verify(hash, password);
    };
    hasher.verifyAgainstDummy = async (password) => {
      counts.dummy++;
      return verifyAgainstDummy(password);
    };
    return counts;
  }

  async function failuresOf(subject: string): Promise<number> {
    const row = await t.runtime.deps.db
      .selectFrom("login_attempts")
      .select("failures")
      .where("subject", "=", attemptKey(subject))
      .executeTakeFirst();
    return row?.failures ?? 0;
  }

  async function auditRows(action: string) {
    return t.runtime.deps.db
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", action)
      .orderBy("at")
      .orderBy("id")
      .execute();
  }

  /** Wrong guesses spaced out past the delays, until the agent's hard cap is reached. */
  async function guessUntilLocked(email = ANN.email) {
    for (let i = 0; i < SUPPORT_MAX_CONSECUTIVE_FAILURES; i++) {
      clock.advanceSeconds(PAST_ANY_DELAY_SECONDS);
      expect((await agentSignIn(email, `wrong-guess-number-${i}`)).statusCode).toBe(401);
    }
    clock.advanceSeconds(PAST_ANY_DELAY_SECONDS);
  }

  beforeEach(async () => {
    clock = new ManualClock(Date.now());
    t = await createTestApp(dialect, { clock });
    ann = await createSupportAgent(t.runtime.deps, ANN);
    await createSupportAgent(t.runtime.deps, BOB);
  });
  afterEach(async () => t.close());

  it("evaluates 30 parallel guesses for one agent one at a time: the free failures at most, the rest 429", async () => {
    const counts = countVerifications();
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        agentSignIn(i % 2 ? ANN.email : "ANN@Staffgate.example", "parallel-guess-1"),
      ),
    );
    const evaluated = replies.filter((r) => r.statusCode === 401).length;
    expect(evaluated).toBeGreaterThanOrEqual(1);
    // The free failures, then the delay applies (the last free one is still evaluated).
    expect(evaluated).toBeLessThanOrEqual(PER_LOGIN_RULE.freeFailures + 1);
    expect(replies.filter((r) => r.statusCode === 429)).toHaveLength(30 - evaluated);
    expect(counts).toEqual({ real: evaluated, dummy: 0 });
    expect(await failuresOf(agentSubject(ann.id))).toBe(evaluated);
    expect(await auditRows("support.sign_in_failed")).toHaveLength(evaluated);
  });

  it("refuses a throttled agent with 429 before any verification, and audits the refusal", async () => {
    for (let i = 0; i <= PER_LOGIN_RULE.freeFailures; i++) await agentSignIn(ANN.email, "wrong-password-123");
    const counts = countVerifications();
    const throttled = await agentSignIn(ANN.email, ANN.password);
    expect(throttled.statusCode).toBe(429);
    expect(throttled.json().error.code).toBe("too_many_attempts");
    expect(throttled.headers["retry-after"]).toBe("1");
    expect(counts).toEqual({ real: 0, dummy: 0 });
    const [refusal] = await auditRows("auth.sign_in_throttled");
    expect(refusal).toMatchObject({ source: "support", account_id: null, target_id: ann.id });
    clock.advanceSeconds(1);
    expect((await agentSignIn(ANN.email, ANN.password)).statusCode).toBe(200);
    expect(await failuresOf(agentSubject(ann.id))).toBe(0);
  });

  it(`locks an agent after ${SUPPORT_MAX_CONSECUTIVE_FAILURES} failures: the right password then gets a wrong one's answer, unverified`, async () => {
    await guessUntilLocked();
    expect(await failuresOf(agentSubject(ann.id))).toBe(SUPPORT_MAX_CONSECUTIVE_FAILURES);
    const counts = countVerifications();
    const wrong = await agentSignIn(ANN.email, "wrong-password-123");
    clock.advanceSeconds(PAST_ANY_DELAY_SECONDS);
    const right = await agentSignIn(ANN.email, ANN.password);
    expect(wrong.statusCode).toBe(401);
    expect(right.statusCode).toBe(401);
    expect(right.body).toBe(wrong.body);
    expect(right.cookies.find((c) => c.name === "staffgate_support")).toBeUndefined();
    // Still one Argon2 verification each, but against the dummy hash: the password isn't evaluated.
    expect(counts).toEqual({ real: 0, dummy: 2 });
    expect(await failuresOf(agentSubject(ann.id))).toBe(SUPPORT_MAX_CONSECUTIVE_FAILURES);

    const failed = await auditRows("support.sign_in_failed");
    expect(failed.map((e) => JSON.parse(e.details).reason)).toEqual([
      ...Array<string>(SUPPORT_MAX_CONSECUTIVE_FAILURES).fill("wrong_password"),
      "locked",
      "locked",
    ]);
    expect(failed.every((e) => e.source === "support" && e.account_id === null && e.target_id === ann.id)).toBe(true);
    const locked = await auditRows("support.agent_locked");
    expect(locked).toHaveLength(1);
    expect(locked[0]).toMatchObject({
      source: "support",
      account_id: null,
      actor_type: null,
      target_type: "support_agent",
      target_id: ann.id,
      target_name: "Ann Agent",
    });
    expect(JSON.parse(locked[0]?.details ?? "{}")).toEqual({ failures: SUPPORT_MAX_CONSECUTIVE_FAILURES });

    // The lock is the agent's alone.
    expect((await agentSignIn(BOB.email, BOB.password)).statusCode).toBe(200);
  });

  it("lets the right password in again once an operator unlocks the agent, and counts afresh", async () => {
    await guessUntilLocked();
    await agentSignIn(ANN.email, ANN.password); // locked: one more failure, and a longer delay
    const unlocked = await unlockSupportAgent(t.runtime.deps, "  Ann@Staffgate.EXAMPLE ");
    expect(unlocked).toEqual(ann);
    expect(await failuresOf(agentSubject(ann.id))).toBe(0);
    const [event] = await auditRows("support.agent_unlocked");
    expect(event).toMatchObject({ source: "system", account_id: null, actor_type: "system", target_id: ann.id });

    // No clock advance: the unlock lifted this node's delays for the agent too.
    const counts = countVerifications();
    const signedIn = await agentSignIn(ANN.email, ANN.password);
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json().agent).toEqual(ann);
    expect(counts).toEqual({ real: 1, dummy: 0 });

    await expect(unlockSupportAgent(t.runtime.deps, "nobody@staffgate.example")).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("answers an unknown email, an inactive agent and a wrong password alike, each after exactly one verification", async () => {
    const wrong = await agentSignIn(ANN.email, "wrong-password-123");

    clock.advanceSeconds(1); // the audit rows' order
    let counts = countVerifications();
    const unknown = await agentSignIn("nobody@staffgate.example", ANN.password);
    expect(counts).toEqual({ real: 0, dummy: 1 });

    await t.runtime.deps.db
      .updateTable("support_agents")
      .set({ status: "inactive" })
      .where("id", "=", ann.id)
      .execute();
    clock.advanceSeconds(1);
    counts = countVerifications();
    const inactive = await agentSignIn(ANN.email, ANN.password);
    expect(counts).toEqual({ real: 1, dummy: 0 });

    for (const response of [unknown, inactive]) {
      expect(response.statusCode).toBe(401);
      expect(response.body).toBe(wrong.body);
    }
    expect(wrong.json().error.code).toBe("invalid_credentials");
    const failed = await auditRows("support.sign_in_failed");
    expect(failed.map((e) => [JSON.parse(e.details).reason, e.target_id])).toEqual([
      ["wrong_password", ann.id],
      ["unknown_login", null],
      ["inactive", ann.id],
    ]);
    // An email that matches nobody is counted too, by the same statement, under its own subject.
    expect(await failuresOf(loginSubject("support-realm", "nobody@staffgate.example"))).toBe(1);
  });

  it("re-hashes an agent's password made with older Argon2 parameters at sign-in", async () => {
    const old = createPasswordHasher({ parameters: { memoryCostKiB: 512, timeCost: 1, parallelism: 1 } });
    const db = t.runtime.deps.db;
    const stale = await old.hash(ANN.password);
    await db.updateTable("support_agents").set({ password_hash: stale }).where("id", "=", ann.id).execute();
    expect((await agentSignIn(ANN.email, ANN.password)).statusCode).toBe(200);
    const row = await db
      .selectFrom("support_agents")
      .select("password_hash")
      .where("id", "=", ann.id)
      .executeTakeFirst();
    expect(row?.password_hash).not.toBe(stale);
    expect((await t.runtime.deps.hasher.verify(row?.password_hash ?? "", ANN.password)).needsRehash).toBe(false);
    // The password step is audited (the console opens only after the second step).
    const [verified] = await auditRows("support.password_verified");
    expect(JSON.parse(verified?.details ?? "{}")).toEqual({ rehashed: true, next: "enrolment" });
  });
});
