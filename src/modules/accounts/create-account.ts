/**
 * Opens a business: the account and its Business Owner (username `admin`). Without a chosen
 * password the owner gets a one-time password, shown once, that must be changed at first
 * sign-in.
 */
import type { Kysely } from "kysely";
import type { Database } from "../../db/database.js";
import type { Clock } from "../../shared/clock.js";
import { DomainError } from "../../shared/errors.js";
import { DEFAULT_COUNTRY } from "../../shared/phone.js";
import { newId, newOneTimePassword, type Random } from "../../shared/random.js";
import { FORBIDDEN_CHARACTERS_HINT, hasForbiddenCharacters } from "../../shared/text.js";
import { recordAuditEvent } from "../audit/index.js";
import { hashAcceptablePassword, type PasswordHasher } from "../credentials/index.js";
import type { CommonPasswordList } from "../password-policy/index.js";
import { OWNER_USERNAME, findStaffById, insertStaff, toStaffView, type StaffView } from "../staff/index.js";
import { countryProblem, isValidSlug, toPublicAccount, type PublicAccount } from "./account.js";
import { findAccountBySlug, insertAccount } from "./accounts.repository.js";

export interface CreateAccountDeps {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly random: Random;
  readonly hasher: PasswordHasher;
  readonly commonPasswords?: CommonPasswordList;
}

export interface CreateAccountInput {
  readonly slug: string;
  readonly name: string;
  readonly ownerFirstName: string;
  readonly ownerLastName: string;
  readonly ownerEmail: string;
  /** Omitted: a one-time password is generated and must be changed at first sign-in. */
  readonly ownerPassword?: string;
  readonly billingPostalCode?: string;
  readonly cardLast4?: string;
  readonly businessPhone?: string;
  /** ISO 3166-1 alpha-2; default `US`. Numbers typed without a "+" are read as this country's. */
  readonly country?: string;
}

export interface CreateAccountResult {
  readonly account: PublicAccount & { readonly id: string };
  readonly owner: StaffView;
  /** Present only when generated; shown once and never stored in clear. */
  readonly oneTimePassword?: string;
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function validate(input: CreateAccountInput): void {
  const problems: Record<string, string> = {};
  if (!isValidSlug(input.slug)) problems["slug"] = "lowercase letters, digits and hyphens, 1–63 characters";
  // The business's and the owner's names appear in emails, texts, the audit log and support's
  // console: checked as typed, before trimming.
  for (const field of ["name", "ownerFirstName", "ownerLastName"] as const) {
    if (!input[field].trim()) problems[field] = "required";
    else if (hasForbiddenCharacters(input[field])) problems[field] = FORBIDDEN_CHARACTERS_HINT;
  }
  if (!EMAIL_PATTERN.test(input.ownerEmail)) problems["ownerEmail"] = "a valid email address";
  if (input.cardLast4 !== undefined && !/^\d{4}$/.test(input.cardLast4)) problems["cardLast4"] = "exactly 4 digits";
  const countryIssue = input.country === undefined ? undefined : countryProblem(input.country);
  if (countryIssue) problems["country"] = countryIssue;
  if (Object.keys(problems).length > 0) {
    throw new DomainError("validation_failed", undefined, { fields: problems });
  }
}

export async function createAccount(deps: CreateAccountDeps, input: CreateAccountInput): Promise<CreateAccountResult> {
  validate(input);
  if (await findAccountBySlug(deps.db, input.slug)) {
    throw new DomainError("conflict", `The business address "${input.slug}" is already taken.`, {
      fields: { slug: "taken" },
    });
  }
  const now = deps.clock.now();
  const accountId = newId(deps.random, "acc");
  const ownerId = newId(deps.random, "stf");
  const account = {
    id: accountId,
    slug: input.slug,
    name: input.name.trim(),
    owner_full_name: `${input.ownerFirstName.trim()} ${input.ownerLastName.trim()}`,
    billing_postal_code: input.billingPostalCode?.trim() || null,
    card_last4: input.cardLast4 ?? null,
    business_phone: input.businessPhone?.trim() || null,
    password_min_length: 8,
    country: input.country ?? DEFAULT_COUNTRY,
    sms_allowed_countries: null,
    created_at: now,
    updated_at: now,
  };
  const owner = {
    id: ownerId,
    username: OWNER_USERNAME,
    first_name: input.ownerFirstName.trim(),
    last_name: input.ownerLastName.trim(),
    email: input.ownerEmail.trim(),
  };

  const oneTimePassword = input.ownerPassword === undefined ? newOneTimePassword() : undefined;
  const passwordHash =
    oneTimePassword !== undefined
      ? await deps.hasher.hash(oneTimePassword)
      : await hashAcceptablePassword(deps, account, owner, input.ownerPassword ?? "");

  await deps.db.transaction().execute(async (tx) => {
    await insertAccount(tx, account);
    await insertStaff(tx, {
      id: ownerId,
      accountId,
      username: owner.username,
      firstName: owner.first_name,
      lastName: owner.last_name,
      email: owner.email,
      mobilePhone: null,
      smsOptIn: false,
      isOwner: true,
      adminFullAccess: true,
      permissions: [],
      passwordHash,
      mustChangePassword: oneTimePassword !== undefined,
      now,
    });
    await recordAuditEvent(tx, deps, {
      accountId,
      source: "system",
      actor: { type: "system", id: null, name: "Staffgate" },
      action: "account.created",
      target: { type: "staff", id: ownerId, name: account.owner_full_name },
      details: { slug: account.slug, name: account.name, oneTimePassword: oneTimePassword !== undefined },
    });
  });

  const ownerRow = await findStaffById(deps.db, accountId, ownerId);
  if (!ownerRow) throw new Error("the owner just created is missing");
  return {
    account: {
      id: accountId,
      ...toPublicAccount({ ...account, sms_voice_enabled: 0, sms_credits: 0, require_two_factor: 0 }),
    },
    owner: toStaffView(ownerRow),
    ...(oneTimePassword !== undefined ? { oneTimePassword } : {}),
  };
}
