// The business the browser tests use: the HTTP tests' Acme Swim, owned by Olivia Harper.
import { createAccount, type CreateAccountInput } from "../../src/modules/accounts/index.js";
import { insertStaff } from "../../src/modules/staff/index.js";
import { SAMPLE_ACCOUNT } from "../../test/support/http.js";
import type { BrowserSuite, RunningServer, WatchedPage } from "./browser.js";
import { signInThroughUi } from "./portal.js";

export const ACME_SLUG = SAMPLE_ACCOUNT.slug;
export const OWNER_PASSWORD = "tidal-lantern-91";

export function createAcmeAccount(server: RunningServer, input: Partial<CreateAccountInput> = {}) {
  return createAccount(server.runtime.deps, { ...SAMPLE_ACCOUNT, ownerPassword: OWNER_PASSWORD, ...input });
}

export interface StaffMemberFields {
  readonly username: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly password: string;
  readonly email?: string;
  readonly mobilePhone?: string;
  readonly smsOptIn?: boolean;
  readonly adminFullAccess?: boolean;
}

/** Adds an active staff member (id `stf_<username>`) with a password and no permissions of their own. */
export async function addStaffMember(server: RunningServer, accountId: string, fields: StaffMemberFields) {
  const { deps } = server.runtime;
  await insertStaff(deps.db, {
    id: `stf_${fields.username}`,
    accountId,
    username: fields.username,
    firstName: fields.firstName,
    lastName: fields.lastName,
    email: fields.email ?? null,
    mobilePhone: fields.mobilePhone ?? null,
    smsOptIn: fields.smsOptIn ?? false,
    isOwner: false,
    adminFullAccess: fields.adminFullAccess ?? false,
    permissions: [],
    passwordHash: await deps.hasher.hash(fields.password),
    mustChangePassword: false,
    now: deps.clock.now(),
  });
}

/** A fresh page (of the given window size), signed in as Olivia Harper, the owner, on her home page. */
export async function signInAsOwner(
  suite: BrowserSuite,
  size?: { readonly width: number; readonly height: number },
): Promise<WatchedPage> {
  const opened = await suite.newPage(size?.width, size?.height);
  await signInThroughUi(opened.page, suite.server.url, ACME_SLUG, "admin", OWNER_PASSWORD);
  await opened.page.getByText("Signed in as Olivia Harper").waitFor();
  return opened;
}
