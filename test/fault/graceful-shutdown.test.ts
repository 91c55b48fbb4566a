/**
 * SIGTERM drains: requests already running finish and get their answer, the outbox worker ends
 * its pass, the database closes, and the process exits 0.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, startServerProcess } from "../support/process.js";

const dir = mkdtempSync(join(tmpdir(), "staffgate-term-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("graceful shutdown", () => {
  it("answers the requests in flight, then exits 0", { timeout: 60_000 }, async () => {
    const port = await freePort();
    const server = await startServerProcess(port, join(dir, "staffgate.db"));
    const password = /Password:\s+(\S+)/.exec(server.output())?.[1] as string;
    // Sign-ins cost an Argon2id hash each; SIGTERM arrives while the server is hashing for them.
    const signIns = Array.from({ length: 30 }, (_, i) =>
      fetch(`${server.url}/api/accounts/demo/session`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: server.url },
        // Different logins: one person's attempts are evaluated one at a time, a crowd's in parallel.
        body: JSON.stringify({ login: `visitor-${i}`, password }),
      }).then(
        (response) => response.status,
        () => "connection closed" as const,
      ),
    );
    let busy = 0;
    const deadline = Date.now() + 5000;
    while (busy < 4 && Date.now() < deadline) {
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      busy = [...metrics.matchAll(/staffgate_password_hashes\{state="(?:in_flight|queued)"\} (\d+)/g)].reduce(
        (sum, match) => sum + Number(match[1]),
        0,
      );
    }
    expect(busy).toBeGreaterThanOrEqual(4);
    server.child.kill("SIGTERM");
    const outcomes = await Promise.race([
      Promise.all(signIns),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`stuck: ${server.output().slice(-3000)}`)), 15_000),
      ),
    ]);
    // Every request the server had started is answered (unknown logins: 401); none fails inside the server.
    expect(outcomes.filter((outcome) => outcome === 401).length).toBeGreaterThanOrEqual(busy);
    expect(outcomes.filter((outcome) => typeof outcome === "number" && outcome >= 500 && outcome !== 503)).toEqual([]);
    const code = await Promise.race([
      server.exited,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no exit: ${server.output().slice(-3000)}`)), 15_000),
      ),
    ]);
    expect(code).toBe(0);
  });
});
