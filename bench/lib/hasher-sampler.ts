/**
 * Samples the server's hash limiter while runs go on. When its slots are not all busy, Argon2
 * waits while requests do other work, and sign-ins fall behind the raw baseline.
 */
import type { PasswordHasher } from "../../src/modules/credentials/index.js";

export interface HasherOccupancy {
  readonly samples: number;
  /** Mean Argon2 calls in flight; the limiter's maximum is the ideal. */
  readonly averageInFlight: number;
  readonly maxInFlight: number;
  readonly maxQueued: number;
}

export interface HasherSampler {
  start(): void;
  stop(): void;
  /** Over every start–stop stretch so far. */
  occupancy(): HasherOccupancy;
}

export function createHasherSampler(hasher: PasswordHasher, intervalMs = 5): HasherSampler {
  let samples = 0;
  let inFlightSum = 0;
  let maxInFlight = 0;
  let maxQueued = 0;
  let timer: NodeJS.Timeout | undefined;
  return {
    start() {
      timer ??= setInterval(() => {
        const { inFlight, queued } = hasher.stats;
        samples++;
        inFlightSum += inFlight;
        maxInFlight = Math.max(maxInFlight, inFlight);
        maxQueued = Math.max(maxQueued, queued);
      }, intervalMs);
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
    occupancy: () => ({
      samples,
      averageInFlight: samples > 0 ? inFlightSum / samples : 0,
      maxInFlight,
      maxQueued,
    }),
  };
}

/**
 * Waits until no sign-in is hashing or queued, and a moment more for its database writes. wrk
 * stops mid-request when its time is up, while the server finishes what it had; the next round
 * must not start before, or a person's new sign-in meets their unfinished one (429).
 */
export async function waitUntilIdle(hasher: PasswordHasher, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && (hasher.stats.inFlight > 0 || hasher.stats.queued > 0)) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
}
