/**
 * The next step when answers can't verify an owner recovery: an agent sends the case to a
 * supervisor with a note; a supervisor who did not open it approves (then it completes like any
 * approved case) or closes it. Agents without the role, the opener, and closed or finished cases
 * get nowhere. Every step is in the business's audit log, and the owner gets one email per
 * recovery.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSupportAgent } from "../../src/modules/support/index.js";
import { totpCode } from "../../src/modules/two-factor/index.js";
import { ManualClock } from "../../src/shared/clock.js";
import { dialects } from "../support/dialects.js";
import {
  SAMPLE_ACCOUNT,
  createTestApp,
  deliverMessages,
  seedAccount,
  signInAgentFully,
  type TestApp,
} from "../support/http.js";

const AGENTS = {
  ann: { email: "ann@staffgate.example", name: "Ann Agent", password: "granite-orchard-lamp-19" },
  bob: { email: "bob@staffgate.example", name: "Bob Agent", password: "copper-meadow-kite-27" },
  sue: { email: "sue@staffgate.example", name: "Sue Supervisor", password: "harbor-signal-violet-42" },
  tom: { email: "tom@staffgate.example", name: "Tom Supervisor", password: "meadow-thistle-cobalt-5" },
} as const;

describe.each(dialects)("support supervisors on %s", (dialect) => {
  let clock: ManualClock;
  let t: TestApp;
  const cookies: Record<string, string> = {};

  const as = (who: keyof typeof AGENTS, method: "GET" | "POST", url: string, payload?: object) =>
    t.request({ method, url, cookie: cookies[who] as string, ...(payload ? { payload } : {}) });
  /** Facts missing on the phone: only the name is known, so the case can't be verified. */
  const openUnverified = async (who: keyof typeof AGENTS = "ann") => {
    const opened = await as(who, "POST", `/api/support/accounts/${SAMPLE_ACCOUNT.slug}/recovery-cases`, {
      callerName: "Olivia on the phone",
      answers: { ownerFullName: "Olivia Harper" },
    });
    expect(opened.json().status).toBe("unverified");
    return opened.json().id as string;
  };
  const escalate = (who: keyof typeof AGENTS, caseId: string, note = "Caller has the card but not the bill") =>
    as(who, "POST", `/api/support/recovery-cases/${caseId}/escalate`, { note });
  const decide = (
    who: keyof typeof AGENTS,
    caseId: string,
    decision: "approve" | "close",
    note = "Called back on the number on file",
  ) => as(who, "POST", `/api/support/recovery-cases/${caseId}/supervisor-decision`, { decision, note });
  const auditActions = async () =>
    (
      await t.runtime.deps.db
        .selectFrom("audit_events")
        .select(["action", "details", "actor_name"])
        .where("action", "in", [
          "support.recovery_case_escalated",
          "support.recovery_case_supervisor_approved",
          "support.recovery_case_closed",
        ])
        .orderBy("at")
        .execute()
    ).map((row) => ({ action: row.action, by: row.actor_name, details: JSON.parse(row.details) }));

  /** Agents' sessions idle out after 30 minutes: tests that move the clock sign them in again. */
  const signInAgents = async () => {
    for (const [key, agent] of Object.entries(AGENTS)) {
      const reply = await signInAgentFully(t, agent.email, agent.password);
      const cookie = reply.cookies.find((c) => c.name === "staffgate_support");
      cookies[key] = `${cookie?.name}=${cookie?.value}`;
    }
  };

  beforeEach(async () => {
    clock = new ManualClock(Date.now());
    t = await createTestApp(dialect, { clock });
    await seedAccount(t);
    for (const [key, agent] of Object.entries(AGENTS)) {
      await createSupportAgent(t.runtime.deps, { ...agent, supervisor: key === "sue" || key === "tom" });
    }
    await signInAgents();
  });
  afterEach(async () => t.close());

  it("tells the console who is a supervisor", async () => {
    expect((await as("sue", "GET", "/api/support/session")).json().agent).toMatchObject({ supervisor: true });
    expect((await as("ann", "GET", "/api/support/session")).json().agent).toMatchObject({ supervisor: false });
  });

  it("says so in the answer that opens the console too, at enrolment and at each later sign-in", async () => {
    await createSupportAgent(t.runtime.deps, { ...AGENTS.tom, email: "zoe@staffgate.example", supervisor: true });
    const step = async (method: "POST" | "PUT", url: string, cookie: string, payload: object) =>
      t.request({ method, url, cookie, payload });
    const passwordStep = async () => {
      const reply = await t.request({
        method: "POST",
        url: "/api/support/session",
        payload: { email: "zoe@staffgate.example", password: AGENTS.tom.password },
      });
      const cookie = reply.cookies.find((c) => c.name === "staffgate_support");
      return `${cookie?.name}=${cookie?.value}`;
    };
    const first = await passwordStep();
    const { secret } = (await step("POST", "/api/support/me/totp", first, {})).json() as { secret: string };
    const key = secret.replace(/\s+/g, "");
    const enrolled = await step("PUT", "/api/support/me/totp", first, { totpCode: totpCode(key, clock.now()) });
    expect(enrolled.json().agent).toMatchObject({ name: "Tom Supervisor", supervisor: true });
    clock.advanceSeconds(30); // the next code: each is taken once
    const later = await passwordStep();
    const signedIn = await step("POST", "/api/support/session/second-factor", later, {
      totpCode: totpCode(key, clock.now()),
    });
    expect(signedIn.json().agent).toMatchObject({ supervisor: true });
  });

  it("sends an unverified case to a supervisor, who approves it; then it completes as an approved case", async () => {
    const caseId = await openUnverified();
    const escalated = await escalate("ann", caseId);
    expect(escalated.statusCode).toBe(200);
    expect(escalated.json()).toMatchObject({
      status: "needs_supervisor",
      escalation: { by: "Ann Agent", note: "Caller has the card but not the bill" },
      decision: null,
    });
    const waiting = await as("bob", "GET", "/api/support/recovery-cases?status=needs_supervisor");
    expect(waiting.json().items).toEqual([
      expect.objectContaining({
        id: caseId,
        escalatedBy: "Ann Agent",
        account: { slug: "acme-swim", name: "Acme Swim" },
      }),
    ]);
    // Before the decision nothing can be approved or completed the usual way.
    expect((await as("bob", "POST", `/api/support/recovery-cases/${caseId}/approve`)).statusCode).toBe(409);
    expect(
      (await as("bob", "POST", `/api/support/recovery-cases/${caseId}/complete`, { delivery: "email" })).statusCode,
    ).toBe(409);

    const approved = await decide("sue", caseId, "approve");
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({
      status: "approved",
      approvedBy: "Sue Supervisor",
      decision: { outcome: "approve", by: "Sue Supervisor", note: "Called back on the number on file" },
    });
    const done = await as("ann", "POST", `/api/support/recovery-cases/${caseId}/complete`, { delivery: "email" });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toEqual({ sentTo: "o•••@acme.example" });
    expect((await as("bob", "GET", "/api/support/recovery-cases?status=needs_supervisor")).json().items).toEqual([]);

    expect(await auditActions()).toEqual([
      {
        action: "support.recovery_case_escalated",
        by: "Ann Agent",
        details: { caseId, status: "unverified", note: "Caller has the card but not the bill" },
      },
      {
        action: "support.recovery_case_supervisor_approved",
        by: "Sue Supervisor",
        details: {
          caseId,
          decision: "approve",
          note: "Called back on the number on file",
          openedBy: "Ann Agent",
          escalatedBy: "Ann Agent",
        },
      },
    ]);
  });

  it("lets a supervisor close a rejected case for good", async () => {
    const opened = await as("ann", "POST", `/api/support/accounts/${SAMPLE_ACCOUNT.slug}/recovery-cases`, {
      callerName: "Someone",
      answers: { ownerFullName: "Olivia Harper", cardLast4: "1111", billingPostalCode: "94110" },
    });
    const caseId = opened.json().id as string;
    expect(opened.json().status).toBe("rejected");
    expect((await escalate("bob", caseId)).statusCode).toBe(200);
    const closed = await decide("tom", caseId, "close", "Could not reach the owner");
    expect(closed.json()).toMatchObject({ status: "closed", decision: { outcome: "close", by: "Tom Supervisor" } });
    for (const attempt of [
      () => decide("sue", caseId, "approve"),
      () => escalate("ann", caseId),
      () => as("bob", "POST", `/api/support/recovery-cases/${caseId}/approve`),
      () => as("bob", "POST", `/api/support/recovery-cases/${caseId}/complete`, { delivery: "temporary_password" }),
    ]) {
      expect((await attempt()).statusCode).toBe(409);
    }
    expect((await auditActions()).map((event) => event.action)).toEqual([
      "support.recovery_case_escalated",
      "support.recovery_case_closed",
    ]);
  });

  it("keeps dual control: no decision by an agent without the role, nor by the supervisor who opened the case", async () => {
    const caseId = await openUnverified("sue");
    await escalate("sue", caseId);
    const byAgent = await decide("bob", caseId, "approve");
    expect(byAgent.statusCode).toBe(403);
    const byOpener = await decide("sue", caseId, "approve");
    expect(byOpener.statusCode).toBe(403);
    expect(byOpener.json().error.message).toContain("you opened it");
    expect((await decide("tom", caseId, "approve")).json().status).toBe("approved");
  });

  it("refuses to escalate a verified or already escalated case, and notes that are empty or forge lines", async () => {
    const verified = await as("ann", "POST", `/api/support/accounts/${SAMPLE_ACCOUNT.slug}/recovery-cases`, {
      callerName: "Olivia",
      answers: { ownerFullName: "Olivia Harper", cardLast4: "4242", billingPostalCode: "94110" },
    });
    expect((await escalate("ann", verified.json().id)).statusCode).toBe(409);
    const caseId = await openUnverified();
    for (const note of ["   ", "first line\nforged line", "\u202Egnp.exe"]) {
      const refused = await escalate("ann", caseId, note);
      expect(refused.statusCode, JSON.stringify(note)).toBe(400);
      expect(refused.json().error.details.fields).toHaveProperty("note");
    }
    expect((await escalate("ann", caseId)).statusCode).toBe(200);
    expect((await escalate("bob", caseId)).statusCode).toBe(409);
    // A decision needs a note too, and nothing but the two outcomes.
    const noNote = await as("sue", "POST", `/api/support/recovery-cases/${caseId}/supervisor-decision`, {
      decision: "approve",
    });
    expect(noNote.statusCode).toBe(400);
    expect((await decide("sue", caseId, "complete" as "approve")).statusCode).toBe(400);
  });

  it("waits a day for a supervisor, then the case expires; an approval leaves an hour to complete it", async () => {
    const stale = await openUnverified();
    await escalate("ann", stale);
    clock.advanceSeconds(24 * 3600 + 1);
    await signInAgents();
    expect((await decide("sue", stale, "approve")).statusCode).toBe(409);
    expect((await as("bob", "GET", "/api/support/recovery-cases?status=needs_supervisor")).json().items).toEqual([]);

    const fresh = await openUnverified("bob");
    await escalate("bob", fresh);
    clock.advanceSeconds(20 * 3600);
    await signInAgents();
    expect((await decide("sue", fresh, "approve")).statusCode).toBe(200);
    clock.advanceSeconds(3601);
    await signInAgents();
    const late = await as("ann", "POST", `/api/support/recovery-cases/${fresh}/complete`, { delivery: "email" });
    expect(late.statusCode).toBe(409);
  });

  it("sends the owner one email per recovery, whichever way the owner gets back in", async () => {
    const ownerMail = async () =>
      (
        await t.runtime.deps.db
          .selectFrom("outbox_messages")
          .select("template")
          .where("recipient", "=", SAMPLE_ACCOUNT.ownerEmail)
          .execute()
      ).map((row) => row.template);
    for (const delivery of ["temporary_password", "email", "two_factor_reset"] as const) {
      const before = (await ownerMail()).length;
      const opened = await as("ann", "POST", `/api/support/accounts/${SAMPLE_ACCOUNT.slug}/recovery-cases`, {
        callerName: "Olivia",
        answers: { ownerFullName: "Olivia Harper", cardLast4: "4242", billingPostalCode: "94110" },
      });
      await as("bob", "POST", `/api/support/recovery-cases/${opened.json().id}/approve`);
      const done = await as("ann", "POST", `/api/support/recovery-cases/${opened.json().id}/complete`, { delivery });
      expect(done.statusCode, delivery).toBe(200);
      expect((await ownerMail()).slice(before), delivery).toEqual(["owner_recovered_notice"]);
    }
    // The reset link travels in that one notice.
    await deliverMessages(t);
    const notices = (t.runtime.deps.devMailbox?.list() ?? []).filter((m) => m.to === SAMPLE_ACCOUNT.ownerEmail);
    expect(notices.filter((m) => m.text.includes("/reset-password#token="))).toHaveLength(1);
  });

  it("counts an escalated case among the day's failed cases for the business", async () => {
    for (let i = 0; i < 3; i++) await escalate("ann", await openUnverified());
    const fourth = await as("ann", "POST", `/api/support/accounts/${SAMPLE_ACCOUNT.slug}/recovery-cases`, {
      callerName: "Again",
      answers: { ownerFullName: "Olivia Harper" },
    });
    expect(fourth.statusCode).toBe(429);
  });
});
