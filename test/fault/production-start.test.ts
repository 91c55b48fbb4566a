/**
 * `npm start` with NODE_ENV=production never builds: a missing or stale build stops the start
 * with a message saying what to run (scripts/ensure-build.js, run in a throwaway project tree).
 * Nor does the server start in production without SMTP_URL (emails would be kept in memory).
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const SCRIPT = join(import.meta.dirname, "../../scripts/ensure-build.js");

describe("starting in production", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "staffgate-start-"));
    mkdirSync(join(root, "scripts"));
    copyFileSync(SCRIPT, join(root, "scripts/ensure-build.js"));
    mkdirSync(join(root, "src"));
    writeFileSync(join(root, "src/main.ts"), "// source");
    writeFileSync(join(root, "package.json"), '{"type":"module","scripts":{"build":"touch built-by-start"}}');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, [join(root, "scripts/ensure-build.js")], {
      cwd: root,
      env: { ...process.env, ...env },
      encoding: "utf8",
    });

  function build(age: "fresh" | "stale") {
    for (const file of ["dist/main.js", "dist/common-passwords.bin", "dist/web/index.html"]) {
      mkdirSync(join(root, file, ".."), { recursive: true });
      writeFileSync(join(root, file), "");
      const when = age === "stale" ? new Date(Date.now() - 3600_000) : new Date(Date.now() + 3600_000);
      utimesSync(join(root, file), when, when);
    }
  }

  it("stops with what to run when the build is missing or stale, and builds nothing", () => {
    for (const state of ["missing", "stale"] as const) {
      if (state === "stale") build("stale");
      const result = run({ NODE_ENV: "production" });
      expect(result.status, state).toBe(1);
      expect(result.stderr).toContain(state === "missing" ? "is missing" : "is older than the sources");
      expect(result.stderr).toContain("npm run build");
      expect(spawnSync("ls", [root], { encoding: "utf8" }).stdout).not.toContain("built-by-start");
    }
  });

  it("starts from a fresh build in production, and builds a stale one in development", () => {
    build("fresh");
    expect(run({ NODE_ENV: "production" }).status).toBe(0);
    build("stale");
    const development = run({ NODE_ENV: "development" });
    expect(development.status).toBe(0);
    expect(spawnSync("ls", [root], { encoding: "utf8" }).stdout).toContain("built-by-start");
  });

  it("refuses to start the server without SMTP_URL, naming it, before touching the database", () => {
    const { SMTP_URL: _unset, ...env } = process.env;
    const result = spawnSync(process.execPath, ["--import", "tsx", join(import.meta.dirname, "../../src/main.ts")], {
      cwd: join(import.meta.dirname, "../.."),
      env: { ...env, NODE_ENV: "production", DATABASE_URL: `sqlite:${join(root, "data/staffgate.db")}` },
      encoding: "utf8",
      // A server that starts anyway would listen for good: stop it, and fail.
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Invalid configuration: SMTP_URL is required with NODE_ENV=production");
    expect(spawnSync("ls", [root], { encoding: "utf8" }).stdout).not.toContain("data");
  });
});
