import { randomBytes, randomInt } from "node:crypto";

/** Randomness is a dependency: tests may swap it; production uses the CSPRNG. */
export interface Random {
  bytes(count: number): Buffer;
}

export const cryptoRandom: Random = { bytes: (count) => randomBytes(count) };

const ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lowercase

/** An opaque id: a prefix naming the kind plus 80 random bits (16 base32 characters). */
export function newId(random: Random, prefix: string): string {
  const bytes = random.bytes(10);
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ID_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return `${prefix}_${out}`;
}

/** A secret token: `byteCount` random bytes, base64url. 32 bytes = 256 bits. */
export function newToken(random: Random, byteCount = 32): string {
  return random.bytes(byteCount).toString("base64url");
}

const PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/**
 * A one-time password a person can read aloud and type: 4 groups of 4 unambiguous characters
 * (about 93 bits). Uses `randomInt`, which is unbiased.
 */
export function newOneTimePassword(): string {
  const groups: string[] = [];
  for (let g = 0; g < 4; g++) {
    let group = "";
    for (let i = 0; i < 4; i++) group += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)];
    groups.push(group);
  }
  return groups.join("-");
}
