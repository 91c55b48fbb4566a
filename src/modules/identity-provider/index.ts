export { createIdentityProvider, type IdentityProvider } from "./identity-provider.js";
export { loadSigningKeys, newSigningKey } from "./signing-keys.js";
export {
  clientSecretMatches,
  createOidcClient,
  deleteOidcClient,
  listOidcClients,
  redirectUriProblem,
  type ClientDeps,
  type NewOidcClient,
  type OidcClientView,
} from "./clients.js";
export { BACKCHANNEL_LOGOUT_EVENT, LOGOUT_TOKEN_LIFETIME_SECONDS } from "./backchannel-logout.js";
export { OIDC_MOUNT_PATH, TTL as OIDC_TTL, issuerOf } from "./provider.js";
