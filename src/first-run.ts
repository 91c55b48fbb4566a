/**
 * First run on an empty database: open the "Demo Swim School" so that `npm start` alone gives
 * a person something to sign in to. The owner's one-time password is printed once.
 */
import type { AppDeps } from "./app-deps.js";
import { countAccounts, createAccount, type CreateAccountResult } from "./modules/accounts/index.js";

export const DEMO_ACCOUNT = {
  slug: "demo",
  name: "Demo Swim School",
  ownerFirstName: "Dana",
  ownerLastName: "Owner",
  ownerEmail: "owner@demo-swim.example",
  // The facts vendor support checks (README, "Trying the support console"): with all four on
  // file the console's owner recovery can be tried on the demo business alone.
  billingPostalCode: "94110",
  cardLast4: "4242",
  businessPhone: "+1 415 555 0142",
} as const;

export async function createDemoAccountIfEmpty(deps: AppDeps): Promise<CreateAccountResult | undefined> {
  if ((await countAccounts(deps.db)) > 0) return undefined;
  return createAccount(deps, DEMO_ACCOUNT);
}

export function firstRunBanner(result: CreateAccountResult, publicUrl: URL): string {
  const loginUrl = new URL(`/a/${result.account.slug}/login`, publicUrl).toString();
  return [
    "",
    "  Staffgate created the demo business on this empty database.",
    `    Business:  ${result.account.name}`,
    `    Sign in:   ${loginUrl}`,
    `    Username:  ${result.owner.username}`,
    `    Password:  ${result.oneTimePassword ?? "(as chosen)"}   (one-time: you'll choose your own at first sign-in)`,
    "  This password is shown only now.",
    "",
  ].join("\n");
}
