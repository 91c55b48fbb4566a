import { describe, expect, it } from "vitest";
import { ConcurrencyLimiter, LimiterFullError } from "./concurrency-limiter.js";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("ConcurrencyLimiter", () => {
  it("runs up to maxInFlight, queues up to maxQueued and refuses the rest at once", async () => {
    const limiter = new ConcurrencyLimiter(2, 1);
    const gates = [deferred(), deferred(), deferred()];
    let running = 0;
    let peak = 0;
    const task = (gate: { promise: Promise<void> }) => async () => {
      running++;
      peak = Math.max(peak, running);
      await gate.promise;
      running--;
    };
    const runs = gates.map((gate) => limiter.run(task(gate)));
    await expect(limiter.run(async () => undefined)).rejects.toBeInstanceOf(LimiterFullError);
    expect(limiter.stats).toEqual({ inFlight: 2, queued: 1 });
    for (const gate of gates) gate.resolve();
    await Promise.all(runs);
    expect(peak).toBe(2);
    expect(limiter.stats).toEqual({ inFlight: 0, queued: 0 });
  });

  it("frees its slot when a task fails", async () => {
    const limiter = new ConcurrencyLimiter(1, 0);
    await expect(limiter.run(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(limiter.run(async () => 42)).resolves.toBe(42);
  });
});
