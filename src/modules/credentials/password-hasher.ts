/**
 * Password hashing with Argon2id (RFC 9106; OWASP Password Storage Cheat Sheet: m=19 MiB, t=2,
 * p=1). Hashes are PHC strings that carry their own parameters, so a hash made with older
 * parameters is recognised and replaced at the next successful sign-in.
 *
 * `@node-rs/argon2` runs each hash on the libuv thread pool; the limiter keeps at most a few in
 * flight per core and a short queue, and refuses the rest (`overloaded`) rather than queueing
 * without bound.
 */
import { availableParallelism } from "node:os";
import { hash, parseOptions, verify, type Algorithm, type Options } from "@node-rs/argon2";
import { DomainError } from "../../shared/errors.js";
import { ConcurrencyLimiter, LimiterFullError } from "../../shared/concurrency-limiter.js";

export interface Argon2Parameters {
  readonly memoryCostKiB: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

export const OWASP_ARGON2ID: Argon2Parameters = { memoryCostKiB: 19456, timeCost: 2, parallelism: 1 };

const ARGON2ID = 2 as Algorithm; // Algorithm.Argon2id: a const enum, which isolated modules cannot import

export interface PasswordVerification {
  readonly valid: boolean;
  /** The hash was made with other parameters than today's: store a fresh one. */
  readonly needsRehash: boolean;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(passwordHash: string, password: string): Promise<PasswordVerification>;
  /** Costs one verification and always fails: used when the login matches nobody. */
  verifyAgainstDummy(password: string): Promise<void>;
  readonly stats: { inFlight: number; queued: number };
  /** No room for another hash: callers shed the request before doing any other work. */
  readonly saturated: boolean;
}

export interface PasswordHasherOptions {
  readonly parameters?: Argon2Parameters;
  readonly maxInFlight?: number;
  readonly maxQueued?: number;
}

/** Passwords are compared in NFC, so the same password typed in NFD still matches. */
function normalizeForHashing(password: string): string {
  return password.normalize("NFC");
}

export function createPasswordHasher(options: PasswordHasherOptions = {}): PasswordHasher {
  const parameters = options.parameters ?? OWASP_ARGON2ID;
  const cores = availableParallelism();
  const maxInFlight = options.maxInFlight ?? 2 * cores;
  const limiter = new ConcurrencyLimiter(maxInFlight, options.maxQueued ?? 4 * maxInFlight);
  const argonOptions: Options = {
    algorithm: ARGON2ID,
    memoryCost: parameters.memoryCostKiB,
    timeCost: parameters.timeCost,
    parallelism: parameters.parallelism,
  };
  let dummyHash: Promise<string> | undefined;

  async function limited<T>(task: () => Promise<T>): Promise<T> {
    try {
      return await limiter.run(task);
    } catch (error) {
      if (error instanceof LimiterFullError) {
        throw new DomainError("overloaded", undefined, undefined, 1);
      }
      throw error;
    }
  }

  function isCurrent(passwordHash: string): boolean {
    try {
      const used = parseOptions(passwordHash);
      return (
        used.algorithm === ARGON2ID &&
        used.memoryCost === parameters.memoryCostKiB &&
        used.timeCost === parameters.timeCost &&
        used.parallelism === parameters.parallelism
      );
    } catch {
      return false;
    }
  }

  return {
    get stats() {
      return limiter.stats;
    },
    get saturated() {
      return limiter.full;
    },
    hash: (password) => limited(() => hash(normalizeForHashing(password), argonOptions)),
    async verify(passwordHash, password) {
      const valid = await limited(() => verify(passwordHash, normalizeForHashing(password)));
      return { valid, needsRehash: valid && !isCurrent(passwordHash) };
    },
    async verifyAgainstDummy(password) {
      dummyHash ??= hash("staffgate-dummy-password-for-timing", argonOptions);
      const stored = await dummyHash;
      await limited(() => verify(stored, normalizeForHashing(password)));
    },
  };
}
