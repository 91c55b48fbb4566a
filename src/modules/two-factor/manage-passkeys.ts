/**
 * A person's own passkeys (API.md v2, "two-factor sign-in"): register (sudo mode: it adds a way
 * in), list, rename, remove (sudo mode; not the last second factor while the business requires
 * two-factor). Registration is two requests — options, then the authenticator's response — tied
 * by a challenge stored on the session (passkey-challenges.ts). Adding and removing are audited
 * in their transaction and emailed to the person; a rename is audited.
 */
import type { Config } from "../../config/config.js";
import { DomainError } from "../../shared/errors.js";
import { FORBIDDEN_CHARACTERS_HINT, hasForbiddenCharacters } from "../../shared/text.js";
import { recordAuditEvent } from "../audit/index.js";
import { requireRecentAuthentication } from "../permissions/index.js";
import { tellPerson, type FactorOwner, type ManageTwoFactorDeps } from "./manage-two-factor.js";
import { putSessionChallenge, takeSessionChallenge } from "./passkey-challenges.js";
import {
  passkeyCreationOptions,
  verifyNewPasskey,
  type PasskeyCreationOptions,
  type RegistrationResponseJSON,
} from "./passkeys.js";
import {
  deletePasskey,
  deleteRecoveryCodes,
  findPasskey,
  findTotpFactor,
  insertPasskey,
  listPasskeys,
  renamePasskey,
  lockFactorsOf,
} from "./two-factor.repository.js";
import type { PasskeyRow } from "./two-factor.table.js";

export interface ManagePasskeysDeps extends ManageTwoFactorDeps {
  readonly config: Pick<Config, "publicUrl">;
}

/** The person acting on their own passkeys from their session. */
export interface PasskeyActor {
  readonly person: FactorOwner;
  readonly recentlyAuthenticated: boolean;
  /** SHA-256 of the session id: the registration's challenge waits on the session's row. */
  readonly sessionIdHash: string;
}

export const PASSKEY_NAME_MAX_LENGTH = 60;
/** Enough for every device a person owns; a bound on what one session can add. */
export const MAX_PASSKEYS_PER_PERSON = 20;

export interface PasskeyView {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
}

function toPasskeyView(row: Pick<PasskeyRow, "id" | "name" | "created_at" | "last_used_at">): PasskeyView {
  return {
    id: row.id,
    name: row.name,
    createdAt: new Date(row.created_at).toISOString(),
    lastUsedAt: row.last_used_at === null ? null : new Date(row.last_used_at).toISOString(),
  };
}

/** A passkey's name: checked as typed (a line break is refused, not dropped), stored trimmed. */
function cleanPasskeyName(name: string): string {
  const trimmed = name.trim();
  let problem: string | undefined;
  if (!trimmed) problem = "required";
  else if (hasForbiddenCharacters(name)) problem = FORBIDDEN_CHARACTERS_HINT;
  else if ([...trimmed].length > PASSKEY_NAME_MAX_LENGTH) problem = `at most ${PASSKEY_NAME_MAX_LENGTH} characters`;
  if (problem) throw new DomainError("validation_failed", undefined, { fields: { name: problem } });
  return trimmed;
}

const ownerOf = (person: FactorOwner) => ({ accountId: person.accountId, staffId: person.staffId });

/** Options for `navigator.credentials.create()`; the challenge waits on the session, single use. */
export async function startPasskeyRegistration(
  deps: ManagePasskeysDeps,
  actor: PasskeyActor,
): Promise<PasskeyCreationOptions> {
  requireRecentAuthentication(actor, "add a passkey");
  const { person } = actor;
  const existing = await listPasskeys(deps.db, person.accountId, person.staffId);
  if (existing.length >= MAX_PASSKEYS_PER_PERSON) {
    throw new DomainError("conflict", `You have ${MAX_PASSKEYS_PER_PERSON} passkeys: remove one to add another.`);
  }
  const options = await passkeyCreationOptions(
    deps,
    {
      staffId: person.staffId,
      username: person.username,
      fullName: person.party.name ?? person.username,
      accountName: person.accountName,
    },
    existing,
  );
  await putSessionChallenge(
    deps.db,
    { idHash: actor.sessionIdHash, accountId: person.accountId },
    options.challenge,
    deps.clock.now(),
  );
  return options;
}

/** The authenticator's response to those options: the passkey is stored, audited and emailed. */
export async function registerPasskey(
  deps: ManagePasskeysDeps,
  actor: PasskeyActor,
  input: { readonly name: string; readonly response: RegistrationResponseJSON },
  ip: string | null,
): Promise<PasskeyView> {
  requireRecentAuthentication(actor, "add a passkey");
  const { person } = actor;
  const name = cleanPasskeyName(input.name);
  const now = deps.clock.now();
  const challenge = await takeSessionChallenge(
    deps.db,
    { idHash: actor.sessionIdHash, accountId: person.accountId },
    now,
  );
  const passkey = await verifyNewPasskey(deps, input.response, challenge);
  if (!passkey) {
    throw new DomainError(
      "invalid_second_factor",
      "That passkey couldn't be checked, or the request was already used. Start adding it again.",
    );
  }
  const row = await deps.db.transaction().execute(async (tx) => {
    const existing = await listPasskeys(tx, person.accountId, person.staffId);
    if (existing.length >= MAX_PASSKEYS_PER_PERSON) {
      throw new DomainError("conflict", `You have ${MAX_PASSKEYS_PER_PERSON} passkeys: remove one to add another.`);
    }
    const inserted = await insertPasskey(tx, {
      ...passkey,
      accountId: person.accountId,
      staffId: person.staffId,
      name,
      now,
    });
    if (!inserted) throw new DomainError("conflict", "This passkey is registered already.");
    await recordAuditEvent(tx, deps, {
      accountId: person.accountId,
      source: "office_portal",
      actor: person.party,
      action: "two_factor.passkey_added",
      target: person.party,
      ip,
      details: { name },
    });
    await tellPerson(
      tx,
      deps,
      person,
      `A passkey was added to your ${person.accountName} sign-in`,
      `A passkey named "${name}" was just added to your Office Portal sign-in.`,
    );
    return { id: passkey.id, name, created_at: now, last_used_at: null };
  });
  deps.notifyOutbox();
  return toPasskeyView(row);
}

export async function listOwnPasskeys(
  deps: Pick<ManagePasskeysDeps, "db">,
  person: FactorOwner,
): Promise<PasskeyView[]> {
  return (await listPasskeys(deps.db, person.accountId, person.staffId)).map(toPasskeyView);
}

export async function renameOwnPasskey(
  deps: ManagePasskeysDeps,
  person: FactorOwner,
  id: string,
  newName: string,
  ip: string | null,
): Promise<PasskeyView> {
  const name = cleanPasskeyName(newName);
  return deps.db.transaction().execute(async (tx) => {
    const before = await findPasskey(tx, person.accountId, id);
    if (before?.staff_id !== person.staffId || !(await renamePasskey(tx, ownerOf(person), id, name))) {
      throw notFound();
    }
    await recordAuditEvent(tx, deps, {
      accountId: person.accountId,
      source: "office_portal",
      actor: person.party,
      action: "two_factor.passkey_renamed",
      target: person.party,
      ip,
      details: { from: before.name, to: name },
    });
    return toPasskeyView({ ...before, name });
  });
}

const notFound = () => new DomainError("not_found", "You have no such passkey.");

/** Removes one of one's passkeys (sudo mode), unless the business requires two-factor and it's the last factor. */
export async function removeOwnPasskey(
  deps: ManagePasskeysDeps,
  actor: {
    readonly person: FactorOwner;
    readonly recentlyAuthenticated: boolean;
    readonly businessRequiresIt: boolean;
  },
  id: string,
  ip: string | null,
): Promise<void> {
  requireRecentAuthentication(actor, "remove a passkey");
  const { person } = actor;
  await deps.db.transaction().execute(async (tx) => {
    await lockFactorsOf(tx, person.accountId, person.staffId);
    const totp = await findTotpFactor(tx, `staff:${person.staffId}`);
    const hasTotp = totp !== undefined && totp.confirmed_at !== null;
    const passkeys = await listPasskeys(tx, person.accountId, person.staffId);
    const passkey = passkeys.find((row) => row.id === id);
    if (!passkey) throw notFound();
    const lastFactor = !hasTotp && passkeys.length === 1;
    if (lastFactor && actor.businessRequiresIt) throw new DomainError("two_factor_required");
    if (!(await deletePasskey(tx, ownerOf(person), id))) throw notFound();
    // Recovery codes stand in for a lost factor: with none left, they go too.
    if (lastFactor) await deleteRecoveryCodes(tx, person.accountId, person.staffId);
    await recordAuditEvent(tx, deps, {
      accountId: person.accountId,
      source: "office_portal",
      actor: person.party,
      action: "two_factor.passkey_removed",
      target: person.party,
      ip,
      details: { name: passkey.name },
    });
    await tellPerson(
      tx,
      deps,
      person,
      `A passkey was removed from your ${person.accountName} sign-in`,
      `The passkey named "${passkey.name}" was just removed from your Office Portal sign-in.`,
    );
  });
  deps.notifyOutbox();
}
