/**
 * Short texts sealed at rest with AES-256-GCM: the outbox's message bodies, which hold reset
 * links until they are delivered. A sealed text names the key that sealed it, so keys can be
 * rotated: the first key seals, every key opens. Each text is bound to a context (the outbox
 * row and field), so a sealed body copied into another row does not open.
 *
 * Format: `sg1.<key id>.<base64url(nonce ‖ ciphertext ‖ tag)>`, the key id being the first 8
 * characters of the base64url SHA-256 of the key (it identifies the key, and reveals nothing
 * usable about it).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

const PREFIX = "sg1.";
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const SECRET_BOX_KEY_BYTES = 32;

/** The text was sealed with a key this box wasn't given (another node's, or a retired one). */
export class UnknownKeyError extends Error {
  constructor(readonly keyId: string) {
    super(`sealed with key ${keyId}, which is not among the configured keys`);
    this.name = "UnknownKeyError";
  }
}

export interface SecretBox {
  seal(plain: string, context: string): string;
  /** Throws if the text was altered, sealed for another context, or with a key not given. */
  open(sealed: string, context: string): string;
}

export function isSealed(text: string): boolean {
  return text.startsWith(PREFIX);
}

function keyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("base64url").slice(0, 8);
}

export function createSecretBox(keys: readonly Buffer[]): SecretBox {
  const [sealingKey] = keys;
  if (!sealingKey) throw new Error("a secret box needs at least one key");
  for (const key of keys) {
    if (key.length !== SECRET_BOX_KEY_BYTES) throw new Error(`secret box keys are ${SECRET_BOX_KEY_BYTES} bytes`);
  }
  const byId = new Map(keys.map((key) => [keyId(key), key]));
  const sealingId = keyId(sealingKey);

  return {
    seal(plain, context) {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv("aes-256-gcm", sealingKey, nonce);
      cipher.setAAD(Buffer.from(context, "utf8"));
      const body = Buffer.concat([nonce, cipher.update(plain, "utf8"), cipher.final(), cipher.getAuthTag()]);
      return `${PREFIX}${sealingId}.${body.toString("base64url")}`;
    },
    open(sealed, context) {
      const [, id, encoded, ...rest] = sealed.split(".");
      if (!isSealed(sealed) || id === undefined || encoded === undefined || rest.length > 0) {
        throw new Error("not a sealed text");
      }
      const key = byId.get(id);
      if (!key) throw new UnknownKeyError(id);
      const body = Buffer.from(encoded, "base64url");
      if (body.length < NONCE_BYTES + TAG_BYTES) throw new Error("sealed text is truncated");
      const decipher = createDecipheriv("aes-256-gcm", key, body.subarray(0, NONCE_BYTES));
      decipher.setAAD(Buffer.from(context, "utf8"));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(body.subarray(NONCE_BYTES, body.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return plain.toString("utf8");
    },
  };
}
