// Forgot Password's reply carries the vendor support contact for everyone, so an owner who can't
// get in sees it on screen; it stays the same reply whoever asked (owner, staff, nobody).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dialects } from "../support/dialects.js";
import { SAMPLE_ACCOUNT, createTestApp, insertStaffMember, seedAccount, type TestApp } from "../support/http.js";

const CONTACT = "Call Staffgate support at +1 555 0100 to recover the owner account.";

describe.each(dialects)("Forgot Password's support contact on %s", (dialect) => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp(dialect, { env: { SUPPORT_CONTACT: CONTACT } });
    const { account } = await seedAccount(t);
    await insertStaffMember(t, account.id, {
      username: "sam",
      password: "pool-lane-whistle-73",
      email: "sam@acme.example",
    });
  });
  afterEach(async () => t.close());

  it("is in the one reply every login gets", async () => {
    const ask = (login: string) =>
      t.request({ method: "POST", url: `/api/accounts/${SAMPLE_ACCOUNT.slug}/password-resets`, payload: { login } });
    const replies = await Promise.all(["admin", "olivia@acme.example", "sam", "nobody-at-all"].map(ask));
    for (const reply of replies) {
      expect(reply.statusCode).toBe(202);
      expect(reply.json().supportContact).toBe(CONTACT);
      expect(reply.body).toBe(replies[0]?.body);
    }
  });
});
