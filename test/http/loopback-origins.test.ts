/**
 * Issue 16, item 1: `npm start` prints http://127.0.0.1:3000 and PUBLIC_URL defaults to
 * http://localhost:3000. With PUBLIC_URL unset (never in production), every loopback name of the
 * port is the same server, so a sign-in from any of them is accepted; anything else is still a
 * cross-site request. With PUBLIC_URL set, only its origin is.
 */
import { afterEach, describe, expect, it } from "vitest";
import { dialects } from "../support/dialects.js";
import { SAMPLE_ACCOUNT, createTestApp, seedAccount, type TestApp } from "../support/http.js";

const PASSWORD = SAMPLE_ACCOUNT.ownerPassword as string;

describe.each(dialects)("the Origin check with and without PUBLIC_URL on %s", (dialect) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  // Straight through inject: the helper would add the default Origin to a request without one.
  const signInFrom = (app: TestApp, origin: string | undefined) =>
    app.app.inject({
      method: "POST",
      url: `/api/accounts/${SAMPLE_ACCOUNT.slug}/session`,
      payload: { login: "admin", password: PASSWORD },
      headers: origin === undefined ? {} : { origin },
    });

  it("accepts a sign-in from each loopback name of the port when PUBLIC_URL is unset", async () => {
    t = await createTestApp(dialect);
    await seedAccount(t);
    for (const origin of ["http://localhost:3000", "http://127.0.0.1:3000", "http://[::1]:3000"]) {
      const reply = await signInFrom(t, origin);
      expect(reply.statusCode, origin).toBe(200);
      expect(reply.json().staff.username).toBe("admin");
    }
  });

  it("still refuses other sites, other ports, look-alikes and a missing Origin", async () => {
    t = await createTestApp(dialect);
    await seedAccount(t);
    for (const origin of [
      "http://evil.example",
      "http://127.0.0.1:3001",
      "https://127.0.0.1:3000",
      "http://127.0.0.1.evil.example:3000",
      "http://localhost:3000.evil.example",
      "http://0.0.0.0:3000",
      "http://127.0.0.2:3000",
      "null",
      undefined,
    ]) {
      const reply = await signInFrom(t, origin);
      expect(reply.statusCode, String(origin)).toBe(403);
      expect(reply.json().error.code).toBe("csrf_rejected");
    }
    // A Host header naming a loopback address changes nothing: the check never reads it.
    const spoofed = await t.request({
      method: "POST",
      url: `/api/accounts/${SAMPLE_ACCOUNT.slug}/session`,
      payload: { login: "admin", password: PASSWORD },
      headers: { origin: "http://evil.example", host: "127.0.0.1:3000" },
    });
    expect(spoofed.statusCode).toBe(403);
  });

  it("accepts only PUBLIC_URL's origin once it is set, loopback names included", async () => {
    t = await createTestApp(dialect, { env: { PUBLIC_URL: "http://localhost:3000" } });
    await seedAccount(t);
    expect((await signInFrom(t, "http://localhost:3000")).statusCode).toBe(200);
    for (const origin of ["http://127.0.0.1:3000", "http://[::1]:3000"]) {
      expect((await signInFrom(t, origin)).json().error.code, origin).toBe("csrf_rejected");
    }
  });
});
