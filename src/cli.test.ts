import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRuntime } from "./composition.js";
import { loadConfig } from "./config/config.js";
import { MIGRATION_NAMES } from "./db/migrate.js";
import { SUPPORT_MAX_CONSECUTIVE_FAILURES, signInAgent } from "./modules/support/index.js";
import { PER_LOGIN_RULE } from "./modules/throttling/index.js";
import { ManualClock } from "./shared/clock.js";
import { FORBIDDEN_CHARACTERS_HINT } from "./shared/text.js";
import { TEST_OIDC_SIGNING_KEYS, TEST_OUTBOX_KEYS, adminQuery, dialects } from "../test/support/dialects.js";

const dir = mkdtempSync(join(tmpdir(), "staffgate-cli-"));
const env = { ...process.env, DATABASE_URL: `sqlite:${join(dir, "cli.db")}`, LOG_LEVEL: "silent" };

function staffgate(args: string[], stdin?: string, extraEnv: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "src/cli-main.ts", ...args], {
    env: { ...env, ...extraEnv },
    input: stdin ?? "",
    encoding: "utf8",
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const owner = ["--owner-first-name", "Mia", "--owner-last-name", "Lopez", "--owner-email", "mia@flipflop.example"];

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("staffgate CLI", () => {
  it("migrates and reports what it applied", () => {
    const result = staffgate(["migrate"]);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ applied: MIGRATION_NAMES });
    expect(MIGRATION_NAMES[0]).toBe("0001_foundation");
    expect(JSON.parse(staffgate(["migrate"]).stdout)).toEqual({ applied: [] });
  });

  it("creates an account whose owner gets a one-time password", () => {
    const result = staffgate(["account:create", "--slug", "flipflop", "--name", "Flip Flop Gym", ...owner]);
    expect(result.status, result.stderr).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output.account).toEqual({ slug: "flipflop", name: "Flip Flop Gym" });
    expect(output.owner.username).toBe("admin");
    expect(output.loginUrl).toBe("http://localhost:3000/a/flipflop/login");
    expect(output.oneTimePassword).toMatch(/^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}$/);
    expect(output.mustChangeAtFirstLogin).toBe(true);
  });

  it("reads the owner's chosen password from stdin and applies the policy to it", () => {
    const weak = staffgate(
      ["account:create", "--slug", "tumble", "--name", "Tumble Town", ...owner, "--owner-password-stdin"],
      "tumbletown1\n",
    );
    expect(weak.status).toBe(2);
    expect(weak.stderr).toContain("reason: contains_personal_info");

    const result = staffgate(
      ["account:create", "--slug", "tumble", "--name", "Tumble Town", ...owner, "--owner-password-stdin"],
      "velvet-harbor-31\n",
    );
    expect(result.status, result.stderr).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output.oneTimePassword).toBeUndefined();
    expect(result.stdout).not.toContain("velvet-harbor-31");
  });

  it("grants SMS credits, recorded in the ledger", () => {
    const result = staffgate([
      "sms-credits:grant",
      "--account",
      "flipflop",
      "--amount",
      "25",
      "--reason",
      "Starter pack",
    ]);
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ account: "flipflop", smsCredits: 25 });
    const again = staffgate(["sms-credits:grant", "--account", "flipflop", "--amount", "5", "--reason", "Top-up"]);
    expect(JSON.parse(again.stdout).smsCredits).toBe(30);
    expect(staffgate(["sms-credits:grant", "--account", "flipflop", "--amount", "-3", "--reason", "x"]).status).toBe(2);
    expect(
      staffgate(["sms-credits:grant", "--account", "flipflop", "--amount", "0", "--reason", "x"]).stderr,
    ).toContain("amount");
    expect(staffgate(["sms-credits:grant", "--account", "nope", "--amount", "1", "--reason", "x"]).stderr).toContain(
      "There is no business at this address.",
    );
  });

  it("creates support agents with a strong password from stdin", () => {
    const weak = staffgate(
      ["support-agent:create", "--email", "ann@staffgate.example", "--name", "Ann", "--password-stdin"],
      "short-pass\n",
    );
    expect(weak.status).toBe(2);
    expect(weak.stderr).toContain("reason: too_short");
    const result = staffgate(
      ["support-agent:create", "--email", "ann@staffgate.example", "--name", "Ann Agent", "--password-stdin"],
      "granite-orchard-lamp-19\n",
    );
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).agent).toMatchObject({ email: "ann@staffgate.example", name: "Ann Agent" });
    expect(result.stdout).not.toContain("granite-orchard");
    const twice = staffgate(
      ["support-agent:create", "--email", "ANN@staffgate.example", "--name", "Ann", "--password-stdin"],
      "granite-orchard-lamp-20\n",
    );
    expect(twice.status).toBe(2);
  });

  it("creates a supervisor, and gives or takes the role of an existing agent, audited", async () => {
    const created = staffgate(
      [
        "support-agent:create",
        "--email",
        "sue@staffgate.example",
        "--name",
        "Sue Lead",
        "--password-stdin",
        "--supervisor",
      ],
      "harbor-signal-violet-42\n",
    );
    expect(created.status, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ agent: { email: "sue@staffgate.example" }, supervisor: true });
    const removed = staffgate(["support-agent:set-supervisor", "--email", "SUE@staffgate.example", "--remove"]);
    expect(removed.status, removed.stderr).toBe(0);
    expect(JSON.parse(removed.stdout).agent).toMatchObject({ email: "sue@staffgate.example", supervisor: false });
    const given = staffgate(["support-agent:set-supervisor", "--email", "sue@staffgate.example"]);
    expect(JSON.parse(given.stdout).agent.supervisor).toBe(true);
    expect(staffgate(["support-agent:set-supervisor", "--email", "nobody@staffgate.example"]).status).toBe(2);
    expect(staffgate(["support-agent:set-supervisor"]).stderr).toContain("--email is required");

    const runtime = await createRuntime(loadConfig(env));
    try {
      const row = await runtime.deps.db
        .selectFrom("support_agents")
        .select("is_supervisor")
        .where("email_normalized", "=", "sue@staffgate.example")
        .executeTakeFirstOrThrow();
      expect(row.is_supervisor).toBe(1);
      const changes = await runtime.deps.db
        .selectFrom("audit_events")
        .select("details")
        .where("action", "=", "support.agent_supervisor_changed")
        .orderBy("at")
        .execute();
      // Two runs may share a millisecond: compared as a set.
      expect(changes.map((event) => JSON.parse(event.details))).toHaveLength(2);
      expect(changes.map((event) => JSON.parse(event.details))).toEqual(
        expect.arrayContaining([{ supervisor: { from: true, to: false } }, { supervisor: { from: false, to: true } }]),
      );
    } finally {
      await runtime.close();
    }
  });

  it("unlocks a support agent locked by failed sign-ins, so that the right password works again", async () => {
    // With Redis the server's delays are shared with the CLI, which lifts them too.
    const redisUrl = process.env["STAFFGATE_TEST_REDIS_URL"];
    const shared: Record<string, string> = redisUrl
      ? { REDIS_URL: redisUrl, REDIS_PREFIX: `staffgate-cli-test:${process.pid}:${Date.now()}:` }
      : {};
    const clock = new ManualClock(Date.now());
    const server = await createRuntime(loadConfig({ ...env, ...shared }), { clock });
    try {
      // Redis connects in the background; the first guess must find it.
      const throttleReachable = async () => {
        try {
          await server.deps.loginThrottle.secondsToWait({ subject: "probe", ip: "probe" });
          return true;
        } catch {
          return false;
        }
      };
      await expect.poll(throttleReachable).toBe(true);
      const signIn = (password: string) =>
        signInAgent(server.deps, { email: "ann@staffgate.example", password }, "203.0.113.7");
      for (let i = 0; i <= SUPPORT_MAX_CONSECUTIVE_FAILURES; i++) {
        clock.advanceSeconds(PER_LOGIN_RULE.maxDelaySeconds);
        await expect(signIn("wrong-guess-123")).rejects.toMatchObject({ code: "invalid_credentials" });
      }
      clock.advanceSeconds(PER_LOGIN_RULE.maxDelaySeconds);
      await expect(signIn("granite-orchard-lamp-19")).rejects.toMatchObject({ code: "invalid_credentials" });

      const unknown = staffgate(["support-agent:unlock", "--email", "nobody@staffgate.example"], undefined, shared);
      expect(unknown.status).toBe(2);
      expect(unknown.stderr).toContain('There is no support agent with the email "nobody@staffgate.example".');
      expect(staffgate(["support-agent:unlock"]).stderr).toContain("--email is required");

      const result = staffgate(["support-agent:unlock", "--email", "ANN@staffgate.example"], undefined, shared);
      expect(result.status, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({
        unlocked: true,
        agent: { id: expect.stringMatching(/^agt_/), email: "ann@staffgate.example", name: "Ann Agent" },
      });
      // Without Redis each process keeps its own delays: the server's run out on their own.
      if (!redisUrl) clock.advanceSeconds(PER_LOGIN_RULE.maxDelaySeconds);
      const signedIn = await signIn("granite-orchard-lamp-19");
      expect(signedIn.agent.email).toBe("ann@staffgate.example");
      const actions = await server.deps.db
        .selectFrom("audit_events")
        .select("action")
        .where("action", "in", ["support.agent_locked", "support.agent_unlocked"])
        .execute();
      expect(actions.map((a) => a.action).sort()).toEqual(["support.agent_locked", "support.agent_unlocked"]);
    } finally {
      await server.close();
    }
  });

  it("plugs apps into the identity provider: the secret is shown once and kept only hashed", () => {
    const created = staffgate([
      "oidc-client:create",
      "--name",
      "Office Portal",
      "--redirect-uri",
      "https://portal.example/callback",
      "--redirect-uri",
      "http://localhost:5173/callback",
      "--post-logout-redirect-uri",
      "https://portal.example/",
      "--backchannel-logout-uri",
      "https://portal.example/backchannel-logout",
      "--development",
    ]);
    expect(created.status, created.stderr).toBe(0);
    const { clientId, clientSecret } = JSON.parse(created.stdout) as { clientId: string; clientSecret: string };
    expect(clientId).toMatch(/^app_/);
    expect(clientSecret.length).toBeGreaterThanOrEqual(43);
    const spa = staffgate([
      "oidc-client:create",
      "--name",
      "SPA",
      "--redirect-uri",
      "https://spa.example/cb",
      "--public",
    ]);
    expect(JSON.parse(spa.stdout)).toEqual({ clientId: expect.stringMatching(/^app_/) });

    const list = staffgate(["oidc-client:list"]);
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).not.toContain(clientSecret);
    const items = (JSON.parse(list.stdout) as { items: Array<Record<string, unknown>> }).items;
    expect(items.find((item) => item["clientId"] === clientId)).toMatchObject({
      name: "Office Portal",
      public: false,
      redirectUris: ["https://portal.example/callback", "http://localhost:5173/callback"],
      postLogoutRedirectUris: ["https://portal.example/"],
      backchannelLogoutUri: "https://portal.example/backchannel-logout",
    });

    // Every rule of the addresses is in clients.test.ts; here, that a refusal reads well.
    const refused = staffgate(["oidc-client:create", "--name", "Bad", "--redirect-uri", "http://portal.example/cb"]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("redirectUris: http://portal.example/cb must use https");
    // http on this machine only for an app registered as in development.
    const notInDevelopment = staffgate([
      "oidc-client:create",
      "--name",
      "Local",
      "--redirect-uri",
      "http://localhost:5173/cb",
    ]);
    expect(notInDevelopment.status).toBe(2);
    expect(notInDevelopment.stderr).toContain("http://localhost:5173/cb must use https");
    expect(notInDevelopment.stderr).toContain("--development");

    const deleted = staffgate(["oidc-client:delete", "--client-id", clientId]);
    expect(JSON.parse(deleted.stdout)).toEqual({ deleted: clientId });
    const again = staffgate(["oidc-client:delete", "--client-id", clientId]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain("No app has that client id.");
    // Eight runs of the CLI, each starting Node and tsx.
  }, 120_000);

  it("rebuilds the staff search index, showing progress on stderr", () => {
    const all = staffgate(["search:reindex"]);
    expect(all.status, all.stderr).toBe(0);
    // flipflop and tumble, each with its owner.
    expect(JSON.parse(all.stdout)).toEqual({ accounts: 2, staff: 2 });
    expect(all.stderr).toContain("[1/2] flipflop: 1 staff indexed");
    expect(all.stderr).toContain("[2/2] tumble: 1 staff indexed");

    const one = staffgate(["search:reindex", "--account", "tumble"]);
    expect(JSON.parse(one.stdout)).toEqual({ accounts: 1, staff: 1 });
    const unknown = staffgate(["search:reindex", "--account", "nowhere"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("search:reindex");
  });

  it("explains bad input on stderr and exits non-zero", () => {
    const missing = staffgate(["account:create", "--name", "No Slug"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("--slug is required");

    const taken = staffgate(["account:create", "--slug", "flipflop", "--name", "Again", ...owner]);
    expect(taken.status).toBe(2);
    expect(taken.stderr).toContain('The business address "flipflop" is already taken.');

    const badSlug = staffgate(["account:create", "--slug", "Bad Slug!", "--name", "X", ...owner]);
    expect(badSlug.status).toBe(2);
    expect(badSlug.stderr).toContain("slug: lowercase letters");

    const unknown = staffgate(["account:delete"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown command "account:delete"');

    const badConfig = spawnSync(process.execPath, ["--import", "tsx", "src/cli-main.ts", "migrate"], {
      env: { ...env, DATABASE_URL: "mysql://nope" },
      encoding: "utf8",
    });
    expect(badConfig.status).toBe(2);
    expect(badConfig.stderr).toContain("DATABASE_URL");
  });
});

describe.each(dialects)("staffgate CLI names and reasons on %s", (dialect) => {
  const database = `staffgate_cli_${process.pid}_${Date.now()}`;
  const sqliteDir = mkdtempSync(join(tmpdir(), "staffgate-cli-names-"));
  let databaseEnv: Record<string, string>;

  beforeAll(async () => {
    if (dialect === "sqlite") {
      databaseEnv = { DATABASE_URL: `sqlite:${join(sqliteDir, "cli.db")}` };
      return;
    }
    await adminQuery(`CREATE DATABASE ${database}`);
    const url = new URL(process.env["STAFFGATE_TEST_POSTGRES_URL"] as string);
    url.pathname = `/${database}`;
    databaseEnv = {
      DATABASE_URL: url.toString(),
      OUTBOX_KEYS: TEST_OUTBOX_KEYS,
      OIDC_SIGNING_KEYS: TEST_OIDC_SIGNING_KEYS,
    };
  });
  afterAll(async () => {
    rmSync(sqliteDir, { recursive: true, force: true });
    if (dialect === "postgres") await adminQuery(`DROP DATABASE IF EXISTS ${database}`);
  });

  const run = (args: string[]) => staffgate(args, undefined, databaseEnv);

  it("refuses control characters and text-direction overrides, creating and granting nothing", () => {
    const named = (field: string, value: string) => {
      const args = ["--slug", "flipflop", "--name", "Flip Flop Gym", ...owner];
      args[args.indexOf(field) + 1] = value;
      return run(["account:create", ...args]);
    };
    for (const [flag, value, field] of [
      ["--name", "Flip\u202EmyG polF", "name"],
      ["--owner-first-name", "Mia\r\nBcc: someone@example.com", "ownerFirstName"],
      ["--owner-last-name", "Lopez\u0085", "ownerLastName"],
    ] as const) {
      const refused = named(flag, value);
      expect(refused.status, refused.stderr).toBe(2);
      expect(refused.stderr).toContain(`${field}: ${FORBIDDEN_CHARACTERS_HINT}`);
    }
    const created = named("--name", "Flip Flop Gym");
    expect(created.status, created.stderr).toBe(0);

    const grant = (reason: string) =>
      run(["sms-credits:grant", "--account", "flipflop", "--amount", "5", "--reason", reason]);
    const refused = grant("Top-up\nX-Injected: yes");
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`reason: ${FORBIDDEN_CHARACTERS_HINT}`);
    expect(grant("\u2066Top-up\u2069").stderr).toContain(`reason: ${FORBIDDEN_CHARACTERS_HINT}`);
    // Only the good grant counts, and only the good account exists.
    expect(JSON.parse(grant("Top-up").stdout)).toEqual({ account: "flipflop", smsCredits: 5 });
    expect(JSON.parse(run(["search:reindex"]).stdout)).toEqual({ accounts: 1, staff: 1 });
  }, 120_000); // eight runs of the CLI, each starting Node and tsx
});
