import { describe, expect, it } from "vitest";
import { isSessionExpired, newSessionTimes, shouldTouchLastSeen } from "./session-policy.js";

const HOUR = 3600_000;
const t0 = Date.UTC(2026, 0, 1);

describe("session policy", () => {
  it("ends an ordinary session after an hour idle or 12 hours in all", () => {
    const times = newSessionTimes(t0, false);
    expect(isSessionExpired(times, t0 + HOUR - 1)).toBe(false);
    expect(isSessionExpired(times, t0 + HOUR)).toBe(true);
    const busy = { ...times, lastSeenAt: t0 + 12 * HOUR - 60_000 };
    expect(isSessionExpired(busy, t0 + 12 * HOUR)).toBe(true);
  });

  it("keeps a 'Stay signed in' session idle for days, up to 30", () => {
    const times = newSessionTimes(t0, true);
    expect(isSessionExpired(times, t0 + 29 * 24 * HOUR)).toBe(false);
    expect(isSessionExpired(times, t0 + 30 * 24 * HOUR)).toBe(true);
  });

  it("writes last-seen at most once a minute", () => {
    const times = newSessionTimes(t0, false);
    expect(shouldTouchLastSeen(times, t0 + 59_999)).toBe(false);
    expect(shouldTouchLastSeen(times, t0 + 60_000)).toBe(true);
  });
});
