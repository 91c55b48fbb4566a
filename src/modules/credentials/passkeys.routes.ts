/**
 * Passkeys over HTTP (API.md v2, "two-factor sign-in"): a person's own passkeys (register in
 * sudo mode, list, rename, remove in sudo mode), and signing in with one — as the second step
 * after the password, or passwordless. Bodies carry the browser's WebAuthn JSON as
 * `@simplewebauthn/browser` (or `PublicKeyCredential.toJSON()`) produces it.
 */
import { Type, type FastifyPluginAsyncTypebox, type Static } from "@fastify/type-provider-typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { AppDeps } from "../../app-deps.js";
import { AccountParams, ErrorResponse, StaffSchema, StrictObject } from "../../http/schemas.js";
import {
  browserCookieName,
  clearPendingCookie,
  pendingCookieName,
  portalSession,
  requestContext,
  sessionCookieName,
  setBrowserCookie,
  setPendingCookie,
  setSessionCookie,
  type SessionGuard,
} from "../../http/session-auth.js";
import { sha256Hex } from "../../shared/hash.js";
import { getAccountContextBySlug } from "./credentials.repository.js";
import {
  PENDING_SIGN_IN_SECONDS,
  listOwnPasskeys,
  registerPasskey,
  removeOwnPasskey,
  renameOwnPasskey,
  startPasskeyRegistration,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from "../two-factor/index.js";
import { completePasskeySignIn, passkeyOptions } from "./passkey-sign-in.js";
import { factorOwner, type SignedIn } from "./second-step.js";

/** base64url, as WebAuthn's JSON encodes bytes (padding tolerated). */
const Base64Url = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: "^[A-Za-z0-9_-]+={0,2}$" });
/** A credential id is at most 1023 bytes (WebAuthn §5.8.3). */
const CredentialId = Base64Url(1400);
const Attachment = Type.Union([Type.Literal("platform"), Type.Literal("cross-platform"), Type.Null()]);
/** Extension outputs are the browser's to add to; none is relied on. */
const ExtensionResults = Type.Record(Type.String({ maxLength: 64 }), Type.Unknown());

export const AuthenticationResponseSchema = StrictObject({
  id: CredentialId,
  rawId: CredentialId,
  type: Type.Literal("public-key"),
  response: StrictObject({
    clientDataJSON: Base64Url(4096),
    authenticatorData: Base64Url(4096),
    signature: Base64Url(1024),
    userHandle: Type.Optional(Type.Union([Base64Url(128), Type.Null()])),
  }),
  authenticatorAttachment: Type.Optional(Attachment),
  clientExtensionResults: ExtensionResults,
});

const RegistrationResponseSchema = StrictObject({
  id: CredentialId,
  rawId: CredentialId,
  type: Type.Literal("public-key"),
  response: StrictObject({
    clientDataJSON: Base64Url(4096),
    attestationObject: Base64Url(8192),
    authenticatorData: Type.Optional(Base64Url(4096)),
    transports: Type.Optional(Type.Array(Type.String({ maxLength: 32 }), { maxItems: 10 })),
    publicKeyAlgorithm: Type.Optional(Type.Integer()),
    publicKey: Type.Optional(Base64Url(4096)),
  }),
  authenticatorAttachment: Type.Optional(Attachment),
  clientExtensionResults: ExtensionResults,
});

type AuthenticationBody = Static<typeof AuthenticationResponseSchema>;
type RegistrationBody = Static<typeof RegistrationResponseSchema>;

/** The library's types, with the nulls some browsers send for absent members dropped. */
export function toAuthenticationResponse(body: AuthenticationBody): AuthenticationResponseJSON {
  const { userHandle, ...response } = body.response;
  const { authenticatorAttachment, ...rest } = body;
  return {
    ...rest,
    response: { ...response, ...(userHandle ? { userHandle } : {}) },
    ...(authenticatorAttachment ? { authenticatorAttachment } : {}),
  } as AuthenticationResponseJSON;
}

function toRegistrationResponse(body: RegistrationBody): RegistrationResponseJSON {
  const { authenticatorAttachment, ...rest } = body;
  return { ...rest, ...(authenticatorAttachment ? { authenticatorAttachment } : {}) } as RegistrationResponseJSON;
}

const Descriptor = Type.Object({
  id: Type.String(),
  type: Type.String(),
  transports: Type.Optional(Type.Array(Type.String())),
});
const Extensions = Type.Object({}, { additionalProperties: true });
/** `PublicKeyCredentialCreationOptionsJSON`: give it to `startRegistration({ optionsJSON })`. */
const CreationOptions = Type.Object(
  {
    challenge: Type.String(),
    rp: Type.Object({ name: Type.String(), id: Type.Optional(Type.String()) }),
    user: Type.Object({ id: Type.String(), name: Type.String(), displayName: Type.String() }),
    pubKeyCredParams: Type.Array(Type.Object({ alg: Type.Integer(), type: Type.String() })),
    timeout: Type.Optional(Type.Integer()),
    excludeCredentials: Type.Optional(Type.Array(Descriptor)),
    authenticatorSelection: Type.Optional(
      Type.Object(
        {
          residentKey: Type.Optional(Type.String()),
          requireResidentKey: Type.Optional(Type.Boolean()),
          userVerification: Type.Optional(Type.String()),
          authenticatorAttachment: Type.Optional(Type.String()),
        },
        { additionalProperties: true },
      ),
    ),
    attestation: Type.Optional(Type.String()),
    hints: Type.Optional(Type.Array(Type.String())),
    extensions: Type.Optional(Extensions),
  },
  { additionalProperties: true },
);
/** `PublicKeyCredentialRequestOptionsJSON`: give it to `startAuthentication({ optionsJSON })`. */
const RequestOptions = Type.Object(
  {
    challenge: Type.String(),
    rpId: Type.Optional(Type.String()),
    timeout: Type.Optional(Type.Integer()),
    allowCredentials: Type.Optional(Type.Array(Descriptor)),
    userVerification: Type.Optional(Type.String()),
    hints: Type.Optional(Type.Array(Type.String())),
    extensions: Type.Optional(Extensions),
  },
  { additionalProperties: true },
);
const Passkey = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
});
/** Checked in the use case (1–60 characters, no control characters); bounded here. */
const PasskeyName = Type.String({ maxLength: 240 });
const PasskeyParams = StrictObject({
  account: Type.String({ minLength: 1, maxLength: 63 }),
  passkeyId: CredentialId,
});
const SignedInResponse = Type.Object({ staff: StaffSchema, passwordChangeRequired: Type.Boolean() });
const Errors = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
  409: ErrorResponse,
  429: ErrorResponse,
};

export function passkeysRoutes(deps: AppDeps, guard: SessionGuard): FastifyPluginAsyncTypebox {
  const { publicUrl } = deps.config;
  const signedIn = (reply: FastifyReply, result: SignedIn) => {
    setSessionCookie(reply, publicUrl, result.session.token, result.session.staySignedIn);
    setBrowserCookie(reply, publicUrl, result.browser.token, result.browser.maxAgeSeconds);
    clearPendingCookie(reply, publicUrl);
    return { staff: result.staff, passwordChangeRequired: result.passwordChangeRequired };
  };
  const actorOf = (request: FastifyRequest) => {
    const session = portalSession(request);
    return {
      person: factorOwner(session.account, session.staff),
      recentlyAuthenticated: session.recentlyAuthenticated,
      sessionIdHash: sha256Hex(session.token),
      businessRequiresIt: session.account.require_two_factor === 1,
    };
  };

  return async (app) => {
    app.post(
      "/api/accounts/:account/me/passkeys/options",
      {
        preHandler: guard.requireSession(),
        schema: {
          summary: "Options to register a passkey (sudo mode); the challenge is good once, for 5 minutes",
          tags: ["two-factor"],
          params: AccountParams,
          body: StrictObject({}),
          response: { 200: CreationOptions, ...Errors },
        },
      },
      async (request) => startPasskeyRegistration(deps, actorOf(request)),
    );

    app.post(
      "/api/accounts/:account/me/passkeys",
      {
        preHandler: guard.requireSession(),
        schema: {
          summary: "Register a passkey with the authenticator's response to the options (sudo mode)",
          tags: ["two-factor"],
          params: AccountParams,
          body: StrictObject({ name: PasskeyName, response: RegistrationResponseSchema }),
          response: { 201: Passkey, ...Errors },
        },
      },
      async (request, reply) => {
        const passkey = await registerPasskey(
          deps,
          actorOf(request),
          { name: request.body.name, response: toRegistrationResponse(request.body.response) },
          requestContext(request).ip,
        );
        return reply.status(201).send(passkey);
      },
    );

    app.get(
      "/api/accounts/:account/me/passkeys",
      {
        preHandler: guard.requireSession(),
        schema: {
          summary: "Your passkeys",
          tags: ["two-factor"],
          params: AccountParams,
          response: { 200: Type.Object({ items: Type.Array(Passkey) }), ...Errors },
        },
      },
      async (request) => ({ items: await listOwnPasskeys(deps, actorOf(request).person) }),
    );

    app.patch(
      "/api/accounts/:account/me/passkeys/:passkeyId",
      {
        preHandler: guard.requireSession(),
        schema: {
          summary: "Rename one of your passkeys",
          tags: ["two-factor"],
          params: PasskeyParams,
          body: StrictObject({ name: PasskeyName }),
          response: { 200: Passkey, ...Errors },
        },
      },
      async (request) =>
        renameOwnPasskey(
          deps,
          actorOf(request).person,
          request.params.passkeyId,
          request.body.name,
          requestContext(request).ip,
        ),
    );

    app.delete(
      "/api/accounts/:account/me/passkeys/:passkeyId",
      {
        preHandler: guard.requireSession(),
        schema: {
          summary: "Remove one of your passkeys (sudo mode; not the last second factor when the business requires one)",
          tags: ["two-factor"],
          params: PasskeyParams,
          response: { 204: Type.Null(), ...Errors },
        },
      },
      async (request, reply) => {
        await removeOwnPasskey(deps, actorOf(request), request.params.passkeyId, requestContext(request).ip);
        return reply.status(204).send(null);
      },
    );

    app.post(
      "/api/accounts/:account/session/passkey-options",
      {
        schema: {
          summary:
            "Options to sign in with a passkey: after the password (second step), with a session (re-authentication), or with neither (passwordless)",
          tags: ["two-factor"],
          params: AccountParams,
          body: StrictObject({ staySignedIn: Type.Optional(Type.Boolean()) }),
          response: { 200: RequestOptions, ...Errors },
        },
      },
      async (request, reply) => {
        const account = await getAccountContextBySlug(deps.db, request.params.account);
        const session = await guard.optionalSession(request);
        const result = await passkeyOptions(
          deps,
          account,
          {
            pendingToken: request.cookies[pendingCookieName(publicUrl)],
            session: session ? { token: session.token, staffId: session.staff.id } : undefined,
          },
          { staySignedIn: request.body.staySignedIn ?? false },
          requestContext(request),
        );
        if (result.pendingToken) setPendingCookie(reply, publicUrl, result.pendingToken, PENDING_SIGN_IN_SECONDS);
        return result.options;
      },
    );

    app.post(
      "/api/accounts/:account/session/passkey",
      {
        schema: {
          summary: "Sign in with a passkey: completes the second step, or a passwordless sign-in",
          tags: ["two-factor"],
          params: AccountParams,
          body: StrictObject({ response: AuthenticationResponseSchema }),
          response: { 200: SignedInResponse, ...Errors },
        },
      },
      async (request, reply) => {
        const account = await getAccountContextBySlug(deps.db, request.params.account);
        const result = await completePasskeySignIn(
          deps,
          account,
          request.cookies[pendingCookieName(publicUrl)],
          toAuthenticationResponse(request.body.response),
          {
            ...requestContext(request),
            sessionToken: request.cookies[sessionCookieName(publicUrl)],
            browserToken: request.cookies[browserCookieName(publicUrl)],
          },
        );
        return signedIn(reply, result);
      },
    );
  };
}
