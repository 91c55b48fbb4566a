/**
 * The keys that sign ID tokens and logout tokens (OIDC_SIGNING_KEYS), and the keys of
 * oidc-provider's own cookies, derived from them.
 *
 * Rotation: put the new key first and keep the old one after it until every token it signed has
 * expired (ID tokens live 10 minutes here, logout tokens 2): the JWKS publishes every key, the
 * first signs. Without OIDC_SIGNING_KEYS a single SQLite node keeps one RS256 key in a file
 * beside its database (`{db}.oidc-keys.json`, mode 600), created at first start, so that tokens
 * survive a restart; an in-memory database gets a key per process. PostgreSQL means several
 * nodes, which must sign with the same keys: there OIDC_SIGNING_KEYS is required.
 */
import { createHash, generateKeyPairSync, hkdfSync, randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { dirname } from "node:path";
import { ConfigError, type Config, type OidcSigningKey } from "../../config/config.js";

export async function loadSigningKeys(config: Config): Promise<readonly OidcSigningKey[]> {
  if (config.oidcSigningKeys) return config.oidcSigningKeys;
  const database = config.database;
  if (database.dialect === "postgres") {
    throw new ConfigError(
      "OIDC_SIGNING_KEYS",
      'is required with PostgreSQL, so that every node signs and checks tokens with the same keys (a JWKS of private keys, {"keys":[…]}; see docs/identity-provider.md)',
    );
  }
  if (database.path === ":memory:") return [newSigningKey()];
  return readOrCreateKeyFile(`${database.path}.oidc-keys.json`);
}

/** A new RS256 key as a private JWK, its `kid` the RFC 7638 thumbprint. */
export function newSigningKey(): OidcSigningKey {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = privateKey.export({ format: "jwk" }) as Record<string, string>;
  const thumbprint = createHash("sha256")
    .update(JSON.stringify({ e: jwk["e"], kty: "RSA", n: jwk["n"] }))
    .digest("base64url");
  return { ...jwk, kty: "RSA", kid: thumbprint, alg: "RS256", use: "sig" };
}

/**
 * Keys for oidc-provider's signed cookies, the same on every node because they come from the
 * signing keys (HKDF-SHA256 of each private key, in the same order: the first signs cookies,
 * every one verifies, so a rotation doesn't sign anybody out).
 */
export function cookieKeys(keys: readonly OidcSigningKey[]): string[] {
  return keys.map((key) => {
    const material = JSON.stringify(Object.entries(key).sort(([a], [b]) => (a < b ? -1 : 1)));
    return Buffer.from(hkdfSync("sha256", material, "staffgate", "oidc-provider cookie keys", 32)).toString(
      "base64url",
    );
  });
}

/**
 * Reads the key file, or creates it if there is none yet: written and synced under a temporary
 * name, then linked into place, which fails if another process got there first (both then use
 * the file that won), as shared/key-file.ts does for the outbox key.
 */
function readOrCreateKeyFile(path: string): readonly OidcSigningKey[] {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    const fd = openSync(temporary, "wx", 0o600);
    try {
      writeSync(fd, `${JSON.stringify({ keys: [newSigningKey()] }, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(temporary, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      unlinkSync(temporary);
    }
  }
  const parsed = JSON.parse(readFileSync(path, "utf8")) as { keys?: OidcSigningKey[] };
  if (!Array.isArray(parsed.keys) || parsed.keys.length === 0 || typeof parsed.keys[0]?.d !== "string") {
    throw new Error(`The key file ${path} does not hold a JWKS of private signing keys.`);
  }
  return parsed.keys;
}
