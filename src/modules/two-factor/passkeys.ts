/**
 * Passkeys (W3C WebAuthn Level 3) with @simplewebauthn/server 13: the options of both ceremonies
 * and the checks of their responses. The relying party is `PUBLIC_URL`: its host name is the RP
 * ID, its origin the only origin accepted — never a request header.
 *
 * Every business shares that RP ID, so a browser may offer a passkey made for another business:
 * a credential is looked up by its id *and* the business in the path, and one of another business
 * is unknown here. An assertion is checked against the challenge its options stored (taken before
 * the check, so a replay finds none), the credential's public key, and its signature counter,
 * which must grow when the authenticator keeps one (a clone shows itself by repeating a value);
 * authenticators that always report 0 (most synced passkeys) are accepted as the library advises.
 * Failures meet growing delays per credential and per IP (the sign-in's rules, throttling) and are
 * audited; a signature can't be guessed, so there is no hard cap like the one on codes.
 */
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import type { Kysely } from "kysely";
import type { Config } from "../../config/config.js";
import type { Database } from "../../db/database.js";
import type { Clock } from "../../shared/clock.js";
import { DomainError } from "../../shared/errors.js";
import { sha256Hex } from "../../shared/hash.js";
import type { Random } from "../../shared/random.js";
import { recordAuditEvent, recordRepeatedAuditEvent, type AuditParty } from "../audit/index.js";
import type { LoginThrottle } from "../throttling/index.js";
import { CEREMONY_TIMEOUT_MS, newChallenge } from "./passkey-challenges.js";
import { findPasskey, recordPasskeyUse } from "./two-factor.repository.js";
import type { PasskeyRow } from "./two-factor.table.js";

export type { AuthenticationResponseJSON, RegistrationResponseJSON };
export type PasskeyCreationOptions = PublicKeyCredentialCreationOptionsJSON;
export type PasskeyRequestOptions = PublicKeyCredentialRequestOptionsJSON;

export interface RelyingParty {
  /** The RP ID: `PUBLIC_URL`'s host name. */
  readonly id: string;
  readonly name: string;
  /** The one origin a ceremony may come from. */
  readonly origin: string;
}

export function relyingParty(publicUrl: URL): RelyingParty {
  return { id: publicUrl.hostname, name: "Staffgate", origin: publicUrl.origin };
}

const TRANSPORTS: ReadonlySet<string> = new Set<AuthenticatorTransportFuture>([
  "ble",
  "cable",
  "hybrid",
  "internal",
  "nfc",
  "smart-card",
  "usb",
]);

function transportsOf(row: Pick<PasskeyRow, "transports">): AuthenticatorTransportFuture[] {
  try {
    const parsed: unknown = JSON.parse(row.transports);
    return Array.isArray(parsed) ? (parsed.filter((t) => TRANSPORTS.has(t)) as AuthenticatorTransportFuture[]) : [];
  } catch {
    return [];
  }
}

/**
 * The WebAuthn user handle of a staff member: their opaque id (no name, no email), the same for
 * each of their passkeys, so an authenticator keeps one passkey per person and business.
 */
export function userHandleOf(staffId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(staffId, "utf8"));
}

/** Options for `navigator.credentials.create()`: the person's passkeys are excluded. */
export async function passkeyCreationOptions(
  deps: { random: Random; config: Pick<Config, "publicUrl"> },
  person: { staffId: string; username: string; fullName: string; accountName: string },
  existing: readonly PasskeyRow[],
): Promise<PasskeyCreationOptions> {
  const rp = relyingParty(deps.config.publicUrl);
  return generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    // Businesses share the RP ID: the business's name tells two "sam"s apart in the picker.
    userName: `${person.username} (${person.accountName})`,
    userDisplayName: person.fullName,
    userID: userHandleOf(person.staffId),
    challenge: newChallenge(deps.random),
    timeout: CEREMONY_TIMEOUT_MS,
    attestationType: "none",
    excludeCredentials: existing.map((row) => ({ id: row.id, transports: transportsOf(row) })),
    authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
  });
}

/** A verified new credential, ready to store. */
export interface NewPasskey {
  readonly id: string;
  readonly publicKey: string;
  readonly counter: number;
  readonly transports: readonly string[];
}

/** Checks a registration response against the challenge taken for it; undefined if it fails. */
export async function verifyNewPasskey(
  deps: { config: Pick<Config, "publicUrl"> },
  response: RegistrationResponseJSON,
  challenge: string | undefined,
): Promise<NewPasskey | undefined> {
  if (!challenge) return undefined;
  const rp = relyingParty(deps.config.publicUrl);
  try {
    const result = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: false,
    });
    if (!result.verified) return undefined;
    const { credential } = result.registrationInfo;
    return {
      id: credential.id,
      publicKey: Buffer.from(credential.publicKey).toString("base64url"),
      counter: credential.counter,
      transports: (response.response.transports ?? []).filter((t) => TRANSPORTS.has(t)),
    };
  } catch {
    // A malformed or forged response: the library throws; the answer is the same refusal.
    return undefined;
  }
}

/**
 * Options for `navigator.credentials.get()`. With the person's passkeys listed (a second step,
 * re-authentication); with none, any passkey of this site may answer (passwordless sign-in:
 * discoverable credentials, and user verification required, since the passkey is then the whole
 * proof).
 */
export async function passkeyRequestOptions(
  deps: { random: Random; config: Pick<Config, "publicUrl"> },
  allow: readonly PasskeyRow[] | "discoverable",
): Promise<PasskeyRequestOptions> {
  const rp = relyingParty(deps.config.publicUrl);
  return generateAuthenticationOptions({
    rpID: rp.id,
    challenge: newChallenge(deps.random),
    timeout: CEREMONY_TIMEOUT_MS,
    ...(allow === "discoverable"
      ? { allowCredentials: [], userVerification: "required" as const }
      : {
          allowCredentials: allow.map((row) => ({ id: row.id, transports: transportsOf(row) })),
          userVerification: "preferred" as const,
        }),
  });
}

export interface PasskeyDeps {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly random: Random;
  readonly loginThrottle: LoginThrottle;
  readonly config: Pick<Config, "publicUrl">;
}

export interface PasskeyCheck {
  readonly accountId: string;
  /** Whose passkey it must be (second step, re-authentication); absent for passwordless sign-in. */
  readonly person?: { readonly staffId: string; readonly party: AuditParty };
  /** Takes the challenge the options stored: once, whoever races; undefined if there is none. */
  readonly takeChallenge: () => Promise<string | undefined>;
  readonly requireUserVerification: boolean;
  readonly response: AuthenticationResponseJSON;
  /** Names the owner of a passkey for the audit log when `person` is absent. */
  readonly ownerParty?: (staffId: string) => Promise<AuditParty | null>;
}

/**
 * Delays per client IP in this business. Not per credential: a signature can't be guessed, so
 * failures only mark junk, and keying them on a credential id (which isn't secret) would let a
 * stranger keep someone's passkey throttled.
 */
const passkeySubject = (accountId: string, ip: string) => `passkey:${sha256Hex(`${accountId}:${ip}`).slice(0, 32)}`;

/**
 * Checks an assertion; resolves to the passkey that made it (its counter and last use recorded).
 * Throws `invalid_second_factor` or `too_many_attempts`.
 */
export async function checkPasskey(deps: PasskeyDeps, check: PasskeyCheck, ip: string | null): Promise<PasskeyRow> {
  const credentialId = check.response.id;
  const keys = { subject: passkeySubject(check.accountId, ip ?? "unknown"), ip: ip ?? "unknown" };
  const person = check.person?.party ?? null;
  const audit = { accountId: check.accountId, source: "office_portal" as const, ip };
  const wait = await deps.loginThrottle.secondsToWait(keys);
  if (wait > 0) {
    await recordRepeatedAuditEvent(deps.db, deps, {
      ...audit,
      key: keys.subject,
      actor: null,
      target: person,
      action: "two_factor.throttled",
      details: { method: "passkey", retryAfterSeconds: wait },
    });
    throw new DomainError("too_many_attempts", undefined, undefined, wait);
  }
  const release = await deps.loginThrottle.begin(keys.subject);
  if (!release) throw new DomainError("too_many_attempts", undefined, undefined, 1);
  try {
    const now = deps.clock.now();
    const challenge = await check.takeChallenge();
    const passkey = await findPasskey(deps.db, check.accountId, credentialId);
    const reason = await verifyAssertion(deps, check, challenge, passkey, now);
    if (reason === undefined && passkey) {
      await deps.loginThrottle.clear(keys.subject);
      return passkey;
    }
    await deps.loginThrottle.recordFailure(keys);
    const owner = passkey ? ((await check.ownerParty?.(passkey.staff_id)) ?? null) : null;
    const target = person ?? owner ?? (passkey ? { type: "staff" as const, id: passkey.staff_id, name: null } : null);
    await recordAuditEvent(deps.db, deps, {
      ...audit,
      actor: person,
      target,
      action: "two_factor.failed",
      details: { method: "passkey", reason, ...(check.person ? {} : { passwordless: true }) },
    });
    throw new DomainError("invalid_second_factor", "That passkey couldn't be used here. Try again or use another way.");
  } finally {
    await release();
  }
}

/** Undefined when the assertion passes; otherwise why it failed (for the audit log). */
async function verifyAssertion(
  deps: PasskeyDeps,
  check: PasskeyCheck,
  challenge: string | undefined,
  passkey: PasskeyRow | undefined,
  now: number,
): Promise<string | undefined> {
  if (!challenge) return "no_challenge";
  if (!passkey || (check.person && passkey.staff_id !== check.person.staffId)) return "unknown_passkey";
  // WebAuthn §7.2 step 6: a user handle, when given, must name the passkey's owner.
  const handle = check.response.response.userHandle;
  if (handle && handle !== Buffer.from(userHandleOf(passkey.staff_id)).toString("base64url")) {
    return "user_handle_mismatch";
  }
  const rp = relyingParty(deps.config.publicUrl);
  let newCounter: number;
  try {
    const result = await verifyAuthenticationResponse({
      response: check.response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: {
        id: passkey.id,
        publicKey: new Uint8Array(Buffer.from(passkey.public_key, "base64url")),
        counter: passkey.counter,
        transports: transportsOf(passkey),
      },
      requireUserVerification: check.requireUserVerification,
    });
    if (!result.verified) return "signature";
    newCounter = result.authenticationInfo.newCounter;
  } catch {
    // Wrong origin, RP ID, type or challenge, missing flags, a counter that didn't grow, garbage.
    return "not_verified";
  }
  return (await recordPasskeyUse(deps.db, passkey, newCounter, now)) ? undefined : "counter_raced";
}
