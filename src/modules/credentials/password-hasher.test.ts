import { describe, expect, it } from "vitest";
import { type DomainError } from "../../shared/errors.js";
import { OWASP_ARGON2ID, createPasswordHasher } from "./password-hasher.js";

const cheap = { memoryCostKiB: 1024, timeCost: 1, parallelism: 1 };

describe("password hasher", () => {
  it("makes Argon2id PHC strings with OWASP parameters by default", async () => {
    const hash = await createPasswordHasher().hash("correct horse battery staple");
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    expect(OWASP_ARGON2ID).toEqual({ memoryCostKiB: 19456, timeCost: 2, parallelism: 1 });
  });

  it("verifies, rejects, and flags hashes whose parameters are stale", async () => {
    const hasher = createPasswordHasher({ parameters: cheap });
    const hash = await hasher.hash("river-stone-88");
    expect(await hasher.verify(hash, "river-stone-88")).toEqual({ valid: true, needsRehash: false });
    expect(await hasher.verify(hash, "river-stone-89")).toEqual({ valid: false, needsRehash: false });
    const stronger = createPasswordHasher({ parameters: { ...cheap, timeCost: 2 } });
    expect(await stronger.verify(hash, "river-stone-88")).toEqual({ valid: true, needsRehash: true });
  });

  it("compares passwords in NFC", async () => {
    const hasher = createPasswordHasher({ parameters: cheap });
    const hash = await hasher.hash("Cre\u0300me-brûlée-9".normalize("NFD"));
    expect((await hasher.verify(hash, "Crème-brûlée-9".normalize("NFC"))).valid).toBe(true);
  });

  it("sheds load beyond its queue with `overloaded`", async () => {
    const hasher = createPasswordHasher({ parameters: cheap, maxInFlight: 1, maxQueued: 1 });
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => hasher.hash("river-stone-88")));
    const refused = results.filter((r) => r.status === "rejected");
    expect(refused.length).toBe(2);
    for (const r of refused) {
      const error = (r as PromiseRejectedResult).reason as DomainError;
      expect(error.code).toBe("overloaded");
      expect(error.retryAfterSeconds).toBe(1);
    }
  });
});
