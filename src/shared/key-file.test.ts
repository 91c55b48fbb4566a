import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readOrCreateKeyFile } from "./key-file.js";

describe("readOrCreateKeyFile", () => {
  let dir = "";
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "staffgate-key-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("creates a random key readable by its owner only, then keeps returning it", () => {
    const path = join(dir, "nested", "db.outbox-key");
    const key = readOrCreateKeyFile(path, 32);
    expect(key).toHaveLength(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readOrCreateKeyFile(path, 32)).toEqual(key);
    expect(readdirSync(join(dir, "nested"))).toEqual(["db.outbox-key"]); // no temporary file left
    expect(readOrCreateKeyFile(join(dir, "other-key"), 32)).not.toEqual(key);
  });

  it("refuses a file that doesn't hold a key of the right size, naming it", () => {
    const path = join(dir, "broken-key");
    writeFileSync(path, "not a key\n");
    expect(() => readOrCreateKeyFile(path, 32)).toThrow(`The key file ${path} does not hold a 32-byte base64 key.`);
  });
});
