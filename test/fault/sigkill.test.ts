/**
 * Crash safety on SQLite: the server is killed with SIGKILL in the middle of password changes,
 * again and again. After every restart exactly one of the old and the new password works, the
 * database passes `PRAGMA integrity_check`, and every committed change has its audit row and
 * its "password changed" message (they commit together, so none is lost).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, killHard, startServerProcess } from "../support/process.js";

const dir = mkdtempSync(join(tmpdir(), "staffgate-kill-"));
const dbPath = join(dir, "staffgate.db");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function signIn(url: string, password: string): Promise<{ status: number; cookie?: string }> {
  const response = await fetch(`${url}/api/accounts/demo/session`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: url },
    body: JSON.stringify({ login: "admin", password }),
  });
  const cookie = response.headers.get("set-cookie")?.split(";")[0];
  return { status: response.status, ...(cookie ? { cookie } : {}) };
}

describe("SIGKILL during password changes on SQLite", () => {
  it(
    "always leaves either the old or the new password, an intact database and no lost message",
    { timeout: 180_000 },
    async () => {
      const port = await freePort();
      let server = await startServerProcess(port, dbPath);
      // The first start prints the demo owner's one-time password before it is ready.
      let current = /Password:\s+(\S+)/.exec(server.output())?.[1];
      expect(current, server.output()).toBeTruthy();

      for (let round = 0; round < 6; round++) {
        const login = await signIn(server.url, current as string);
        expect(login.status).toBe(200);
        const next = `after-crash-round-${round}-pw`;
        const change = fetch(`${server.url}/api/accounts/demo/me/password`, {
          method: "PUT",
          headers: { "content-type": "application/json", origin: server.url, cookie: login.cookie as string },
          body: JSON.stringify({ currentPassword: current, newPassword: next, newPasswordConfirmation: next }),
        }).then(
          (r) => r.status,
          () => "killed" as const,
        );
        // Kill at a different moment each round: before, during and after the Argon2 hash and the commit.
        await new Promise((resolve) => setTimeout(resolve, [0, 5, 15, 30, 60, 120][round]));
        await killHard(server);
        const outcome = await change;

        const db = new SQLite(dbPath);
        try {
          expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
          const changes = db
            .prepare("select count(*) as n from audit_events where action = 'password.changed'")
            .get() as { n: number };
          const messages = db
            .prepare("select count(*) as n from outbox_messages where template = 'password_changed'")
            .get() as {
            n: number;
          };
          expect(messages.n).toBe(changes.n);
        } finally {
          db.close();
        }

        server = await startServerProcess(port, dbPath);
        const withOld = await signIn(server.url, current as string);
        const withNew = await signIn(server.url, next);
        expect([withOld.status, withNew.status].sort(), `round ${round}: ${String(outcome)}`).toEqual([200, 401]);
        if (outcome === 204) expect(withNew.status).toBe(200);
        if (withNew.status === 200) current = next;
      }
      await killHard(server);
    },
  );
});
