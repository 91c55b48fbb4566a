export { createIdentityProvider, type IdentityProvider } from "./identity-provider.js";
export { loadSigningKeys, newSigningKey } from "./signing-keys.js";
export { createOidcClient, deleteOidcClient, listOidcClients, type NewOidcClient } from "./clients.js";
