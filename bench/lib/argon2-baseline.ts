/**
 * The ceiling for sign-in throughput: raw Argon2id verifications per second, with nothing
 * around them, keeping `concurrency` calls in flight the way the server's hash limiter does.
 * @node-rs/argon2 runs each call on libuv's thread pool, as it does inside the server.
 */
import { performance } from "node:perf_hooks";
import { verify } from "@node-rs/argon2";
import type { Sample } from "./samples.js";
import { startUsage } from "./usage.js";

export interface Argon2BaselineOptions {
  /** A PHC string, ideally the very hash the server verifies against. */
  readonly hash: string;
  readonly password: string;
  readonly concurrency: number;
  readonly seconds: number;
}

export interface Argon2BaselineResult extends Sample {
  readonly concurrency: number;
}

export async function measureArgon2Verifications(options: Argon2BaselineOptions): Promise<Argon2BaselineResult> {
  if (!(await verify(options.hash, options.password))) {
    throw new Error("argon2 baseline: the password does not match the hash");
  }
  const stopUsage = startUsage();
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  let count = 0;
  const keepVerifying = async () => {
    while (performance.now() < deadline) {
      await verify(options.hash, options.password);
      count++;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, keepVerifying));
  // Until the last call returns, so the calls that straddle the deadline count in full.
  const seconds = (performance.now() - started) / 1000;
  return { concurrency: options.concurrency, count, seconds, usage: stopUsage() };
}
