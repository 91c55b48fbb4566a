/**
 * The identity provider as the composition root builds it: oidc-provider configured
 * (provider.ts), the outbox transport that delivers logout tokens, and the sign-out hook that
 * the sessions module runs.
 */
import type Provider from "oidc-provider";
import type { OidcSigningKey } from "../../config/config.js";
import type { Executor } from "../../db/database.js";
import type { EnqueueDeps, MessageTransport } from "../messaging/index.js";
import { createBackchannelLogoutTransport } from "./backchannel-logout.js";
import { createProvider, issuerOf, type IdentityProviderDeps } from "./provider.js";
import { signOutOfApps } from "./sign-out-everywhere.js";

export interface IdentityProvider {
  readonly provider: Provider;
  /** `{PUBLIC_URL}/oidc` */
  readonly issuer: string;
  readonly signingKeys: readonly OidcSigningKey[];
  /** Delivers the outbox's `backchannel_logout` messages. */
  readonly logoutTransport: MessageTransport;
  /** For the sessions module's sign-out hook (`onSignOut`). */
  signOutOfApps(tx: Executor, person: { accountId: string; staffId: string }): Promise<void>;
}

export function createIdentityProvider(deps: IdentityProviderDeps & EnqueueDeps): IdentityProvider {
  const issuer = issuerOf(deps.config.publicUrl);
  return {
    provider: createProvider(deps),
    issuer,
    signingKeys: deps.signingKeys,
    logoutTransport: createBackchannelLogoutTransport({ ...deps, issuer }),
    signOutOfApps: (tx, person) => signOutOfApps(tx, deps, person),
  };
}
