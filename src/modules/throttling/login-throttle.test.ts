import { describe, expect, it } from "vitest";
import { ManualClock } from "../../shared/clock.js";
import { PER_LOGIN_RULE, createLoginThrottle, delayAfterFailures } from "./login-throttle.js";
import { createMemoryThrottleStore } from "./throttle-store.js";

describe("login throttle", () => {
  it("doubles the delay after the free failures, up to 15 minutes", () => {
    const delays = [1, 4, 5, 6, 7, 14, 20, 100].map((n) => delayAfterFailures(PER_LOGIN_RULE, n));
    expect(delays).toEqual([0, 0, 1, 2, 4, 512, 900, 900]);
  });

  it("counts per login and per IP, and clears only the login on success", async () => {
    const clock = new ManualClock();
    const throttle = createLoginThrottle(createMemoryThrottleStore(), clock);
    const keys = { accountId: "acc_1", normalizedLogin: "sam", ip: "10.0.0.1" };
    for (let i = 0; i < 5; i++) await throttle.recordFailure(keys);
    expect(await throttle.secondsToWait(keys)).toBe(1);
    expect(await throttle.secondsToWait({ ...keys, normalizedLogin: "other" })).toBe(0);
    clock.advanceSeconds(1);
    expect(await throttle.secondsToWait(keys)).toBe(0);
    await throttle.clearLogin("acc_1", "sam");
    await throttle.recordFailure(keys);
    expect(await throttle.secondsToWait(keys)).toBe(0);
  });

  it("forgets old failures after the window", async () => {
    const clock = new ManualClock();
    const throttle = createLoginThrottle(createMemoryThrottleStore(), clock);
    const keys = { accountId: "acc_1", normalizedLogin: "sam", ip: "10.0.0.1" };
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
