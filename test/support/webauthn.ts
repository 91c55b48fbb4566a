/**
 * A software WebAuthn authenticator and client for tests (no browser): ES256 key pairs from
 * node:crypto, `clientDataJSON` as a browser writes it, `authenticatorData` (W3C WebAuthn §6.1:
 * rpIdHash ‖ flags ‖ signCount ‖ attested credential data with the COSE key), "none"
 * attestation, and assertions signed over authenticatorData ‖ SHA-256(clientDataJSON) (DER
 * ECDSA). It answers the options the server gives, as `@simplewebauthn/browser` would, and can be
 * told to lie (another origin or RP ID, a stale counter) to prove the server notices.
 *
 * The browser tests use Chromium's virtual authenticator instead; the bytes are the same.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

type Cbor = number | string | Uint8Array | Map<Cbor, Cbor> | { [key: string]: Cbor };

/** The few CBOR items WebAuthn needs (RFC 8949): integers, byte and text strings, maps. */
export function cbor(value: Cbor): Buffer {
  const head = (major: number, n: number): Buffer => {
    if (n < 24) return Buffer.from([(major << 5) | n]);
    if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
    if (n < 0x10000) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
    const b = Buffer.alloc(5);
    b[0] = (major << 5) | 26;
    b.writeUInt32BE(n, 1);
    return b;
  };
  if (typeof value === "number") return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "utf8");
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  return Buffer.concat([head(5, entries.length), ...entries.flatMap(([k, v]) => [cbor(k), cbor(v)])]);
}

const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest();
const b64url = (data: Buffer | Uint8Array) => Buffer.from(data).toString("base64url");

export interface StoredCredential {
  readonly id: Buffer;
  readonly privateKey: KeyObject;
  readonly rpId: string;
  readonly userHandle: string;
  signCount: number;
}

/** What a ceremony's client may be made to claim instead of the truth. */
export interface Lies {
  readonly origin?: string;
  readonly rpId?: string;
  readonly type?: string;
  readonly challenge?: string;
  /** Sign with this counter value (and don't advance the stored one). */
  readonly signCount?: number;
  /** Clear the user-verified flag (a security key without a PIN). */
  readonly noUserVerification?: boolean;
}

interface CreationOptions {
  readonly challenge: string;
  readonly rp: { readonly id?: string };
  readonly user: { readonly id: string };
  readonly excludeCredentials?: ReadonlyArray<{ readonly id: string }>;
}

interface RequestOptions {
  readonly challenge: string;
  readonly rpId?: string;
  readonly allowCredentials?: ReadonlyArray<{ readonly id: string }>;
}

export class SoftwareAuthenticator {
  readonly credentials: StoredCredential[] = [];

  /** `origin` is where the "browser" runs: the page that called WebAuthn. */
  constructor(readonly origin: string) {}

  /** `navigator.credentials.create()`, as `startRegistration()` returns it (RegistrationResponseJSON). */
  create(options: CreationOptions, lies: Lies = {}) {
    const rpId = options.rp.id ?? new URL(this.origin).hostname;
    const excluded = new Set(options.excludeCredentials?.map((c) => c.id));
    if (this.credentials.some((c) => c.rpId === rpId && excluded.has(b64url(c.id)))) {
      throw new Error("InvalidStateError: this authenticator holds an excluded credential");
    }
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = publicKey.export({ format: "jwk" });
    const coseKey = new Map<Cbor, Cbor>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, Buffer.from(jwk.x as string, "base64url")],
      [-3, Buffer.from(jwk.y as string, "base64url")],
    ]);
    const id = randomBytes(32);
    const credential: StoredCredential = { id, privateKey, rpId, userHandle: options.user.id, signCount: 0 };
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(id.length);
    const authenticatorData = Buffer.concat([
      this.header(lies.rpId ?? rpId, FLAG_UP | (lies.noUserVerification ? 0 : FLAG_UV) | FLAG_AT, 0),
      Buffer.alloc(16), // AAGUID: none
      idLength,
      id,
      cbor(coseKey),
    ]);
    const clientDataJSON = this.clientData("webauthn.create", options.challenge, lies);
    this.credentials.push(credential);
    return {
      id: b64url(id),
      rawId: b64url(id),
      type: "public-key" as const,
      response: {
        clientDataJSON: b64url(clientDataJSON),
        attestationObject: b64url(cbor({ fmt: "none", attStmt: {}, authData: authenticatorData })),
        transports: ["internal"],
      },
      authenticatorAttachment: "platform" as const,
      clientExtensionResults: { credProps: { rk: true } },
    };
  }

  /**
   * `navigator.credentials.get()`, as `startAuthentication()` returns it (AuthenticationResponseJSON):
   * with `credential` given, that one answers whatever the options allow (to prove the server refuses it).
   */
  get(options: RequestOptions, lies: Lies = {}, credential?: StoredCredential) {
    const rpId = options.rpId ?? new URL(this.origin).hostname;
    const allowed = new Set(options.allowCredentials?.map((c) => c.id) ?? []);
    const chosen =
      credential ?? this.credentials.find((c) => c.rpId === rpId && (allowed.size === 0 || allowed.has(b64url(c.id))));
    if (!chosen) throw new Error("NotAllowedError: no credential for these options");
    const signCount = lies.signCount ?? ++chosen.signCount;
    const authenticatorData = this.header(
      lies.rpId ?? rpId,
      FLAG_UP | (lies.noUserVerification ? 0 : FLAG_UV),
      signCount,
    );
    const clientDataJSON = this.clientData("webauthn.get", options.challenge, lies);
    const signature = sign("sha256", Buffer.concat([authenticatorData, sha256(clientDataJSON)]), chosen.privateKey);
    return {
      id: b64url(chosen.id),
      rawId: b64url(chosen.id),
      type: "public-key" as const,
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authenticatorData),
        signature: b64url(signature),
        userHandle: chosen.userHandle,
      },
      authenticatorAttachment: "platform" as const,
      clientExtensionResults: {},
    };
  }

  private header(rpId: string, flags: number, signCount: number): Buffer {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(signCount);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), counter]);
  }

  private clientData(type: string, challenge: string, lies: Lies): Buffer {
    return Buffer.from(
      JSON.stringify({
        type: lies.type ?? type,
        challenge: lies.challenge ?? challenge,
        origin: lies.origin ?? this.origin,
        crossOrigin: false,
      }),
    );
  }
}
