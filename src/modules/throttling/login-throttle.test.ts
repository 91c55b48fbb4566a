import { describe, expect, it } from "vitest";
import { ManualClock } from "../../shared/clock.js";
import { PER_LOGIN_RULE, createLoginThrottle, delayAfterFailures } from "./login-throttle.js";
import { createMemoryThrottleStore } from "./throttle-store.js";

describe("login throttle", () => {
  it("doubles the delay after the free failures, up to 15 minutes", () => {
    const delays = [1, 4, 5, 6, 7, 14, 20, 100].map((n) => delayAfterFailures(PER_LOGIN_RULE, n));
    expect(delays).toEqual([0, 0, 1, 2, 4, 512, 900, 900]);
  });

  it("counts per subject and per IP, and clears only the subject on success", async () => {
    const clock = new ManualClock();
    const throttle = createLoginThrottle(createMemoryThrottleStore(), clock);
    const keys = { subject: "staff:stf_sam", ip: "10.0.0.1" };
    for (let i = 0; i < 5; i++) await throttle.recordFailure(keys);
    expect(await throttle.secondsToWait(keys)).toBe(1);
    expect(await throttle.secondsToWait({ ...keys, subject: "staff:stf_other" })).toBe(0);
    clock.advanceSeconds(1);
    expect(await throttle.secondsToWait(keys)).toBe(0);
    await throttle.clear("staff:stf_sam");
    await throttle.recordFailure(keys);
    expect(await throttle.secondsToWait(keys)).toBe(0);
  });

  it("lets one evaluation run at a time per subject", async () => {
    const throttle = createLoginThrottle(createMemoryThrottleStore(), new ManualClock());
    const release = await throttle.begin("staff:stf_sam");
    expect(release).toBeDefined();
    expect(await throttle.begin("staff:stf_sam")).toBeUndefined();
    expect(await throttle.begin("staff:stf_other")).toBeDefined();
    await release?.();
    expect(await throttle.begin("staff:stf_sam")).toBeDefined();
  });

  it("forgets old failures after the window", async () => {
    const clock = new ManualClock();
    const throttle = createLoginThrottle(createMemoryThrottleStore(), clock);
    const keys = { subject: "staff:stf_sam", ip: "10.0.0.1" };
    for (let i = 0; i < 10; i++) await throttle.recordFailure(keys);
    clock.advanceSeconds(24 * 3600);
    expect(await throttle.secondsToWait(keys)).toBe(0);
  });

  it("bounds the memory store by evicting the oldest key", async () => {
    const store = createMemoryThrottleStore(2);
    await store.recordFailure("a", 0, 60);
    await store.recordFailure("b", 0, 60);
    await store.recordFailure("c", 0, 60);
    expect(await store.read("a", 0)).toBeUndefined();
    expect((await store.read("c", 0))?.failures).toBe(1);
  });
});
