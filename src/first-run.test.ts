import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestRuntime, dialects, type TestRuntime } from "../test/support/dialects.js";
import { createDemoAccountIfEmpty, firstRunBanner } from "./first-run.js";

describe.each(dialects)("first run on %s", (dialect) => {
  let runtime: TestRuntime;
  beforeEach(async () => {
    runtime = await createTestRuntime(dialect);
  });
  afterEach(async () => runtime.close());

  it("creates the demo business once, with a one-time owner password", async () => {
    const demo = await createDemoAccountIfEmpty(runtime.deps);
    expect(demo?.account).toMatchObject({ slug: "demo", name: "Demo Swim School" });
    expect(demo?.owner).toMatchObject({ username: "admin", isOwner: true });
    const owner = await runtime.deps.db.selectFrom("staff").selectAll().executeTakeFirstOrThrow();
    expect(owner.must_change_password).toBe(1);
    const account = await runtime.deps.db.selectFrom("accounts").selectAll().executeTakeFirstOrThrow();
    expect(account).toMatchObject({
      owner_full_name: "Dana Owner",
      billing_postal_code: "94110",
      card_last4: "4242",
      business_phone: "+1 415 555 0142",
    });
    expect(owner.password_hash).not.toContain(demo?.oneTimePassword);

    const banner = firstRunBanner(demo!, runtime.config.publicUrl);
    expect(banner).toContain("http://localhost:3000/a/demo/login");
    expect(banner).toContain(demo?.oneTimePassword);

    expect(await createDemoAccountIfEmpty(runtime.deps)).toBeUndefined();
  });
});
