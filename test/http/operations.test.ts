import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SAMPLE_ACCOUNT, createTestApp, seedAccount, signIn, type TestApp } from "../support/http.js";

describe("operations endpoints", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp("sqlite", { env: { METRICS_TOKEN: "scrape-secret-123" } });
    await seedAccount(t);
  });
  afterEach(async () => t.close());

  it("reports readiness from the database", async () => {
    expect((await t.request({ method: "GET", url: "/readyz" })).json()).toEqual({ status: "ready" });
    await t.runtime.database.close();
    const down = await t.request({ method: "GET", url: "/readyz" });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({ status: "unavailable", reason: "database" });
  });

  it("exposes Prometheus metrics for requests, sign-ins, the hash queue and the outbox", async () => {
    await signIn(t, "admin", SAMPLE_ACCOUNT.ownerPassword as string);
    await signIn(t, "admin", "wrong-password-1");
    expect((await t.request({ method: "GET", url: "/metrics" })).statusCode).toBe(401);
    const response = await t.request({
      method: "GET",
      url: "/metrics",
      headers: { authorization: "Bearer scrape-secret-123" },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toContain("text/plain");
    const text = response.body;
    expect(text).toContain('staffgate_sign_ins_total{outcome="success"} 1');
    expect(text).toContain('staffgate_sign_ins_total{outcome="invalid_credentials"} 1');
    expect(text).toMatch(
      /staffgate_http_requests_total\{method="POST",route="\/api\/accounts\/:account\/session",status="200"\} 1/,
    );
    expect(text).toContain('staffgate_password_hashes{state="in_flight"} 0');
    expect(text).toContain('staffgate_outbox_messages{status="queued"}');
  });
});
