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
