/**
 * The throttle store contract, for the in-memory store and the Redis one alike: locks are
 * released only by their holder, and (memory) a spray of made-up logins can't evict a real
 * person's failure counter.
 */
import { afterAll, describe, expect, it } from "vitest";
import {
  connectRedis,
  createMemoryThrottleStore,
  createRedisThrottleStore,
  type ThrottleStore,
} from "../../src/modules/throttling/index.js";
import { redisTestUrl } from "../support/dialects.js";

const redis = redisTestUrl ? connectRedis(redisTestUrl) : undefined;
afterAll(() => redis?.disconnect());

const stores: Array<[string, () => ThrottleStore]> = [["memory", () => createMemoryThrottleStore()]];
if (redis) {
  stores.push(["redis", () => createRedisThrottleStore(redis, `staffgate-test:${process.pid}:${Date.now()}:`)]);
}

/** The client doesn't queue commands while it connects (a throttle that waits is an outage). */
const redisReady = redis
  ? new Promise<void>((resolve) => (redis.status === "ready" ? resolve() : redis.once("ready", () => resolve())))
  : Promise.resolve();

describe.each(stores)("%s throttle store", (_name, makeStore) => {
  it("releases a lock only for its holder: a late unlock never frees a lock someone else took", async () => {
    await redisReady;
    const store = makeStore();
    const first = await store.tryLock("lock:staff:stf_sam", 50);
    expect(first).toBeDefined();
    expect(await store.tryLock("lock:staff:stf_sam", 50)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 80)); // the first holder stalled past its lease
    const second = await store.tryLock("lock:staff:stf_sam", 5_000);
    expect(second).toBeDefined();
    await store.unlock("lock:staff:stf_sam", first as string); // the stalled holder finally lets go
    expect(await store.tryLock("lock:staff:stf_sam", 5_000)).toBeUndefined();
    await store.unlock("lock:staff:stf_sam", second as string);
    expect(await store.tryLock("lock:staff:stf_sam", 5_000)).toBeDefined();
  });
});

describe("memory throttle store under a spray of made-up logins", () => {
  it("keeps a real person's counter however many other keys arrive", async () => {
    const store = createMemoryThrottleStore(1_000);
    const now = Date.now();
    for (let i = 0; i < 7; i++) await store.recordFailure("staff:stf_sam", now, 3600);
    for (let i = 0; i < 5_000; i++) await store.recordFailure(`login:acc:made-up-${i}`, now, 3600);
    expect((await store.read("staff:stf_sam", now))?.failures).toBe(7);
    // Made-up logins evict each other: the pool stays bounded.
    expect(await store.read("login:acc:made-up-0", now)).toBeUndefined();
    expect((await store.read("login:acc:made-up-4999", now))?.failures).toBe(1);
  });
});
