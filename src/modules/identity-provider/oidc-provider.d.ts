/**
 * The part of oidc-provider 9 (panva) that Staffgate uses, typed by hand: the package ships no
 * types, and @types/oidc-provider is not installed. Kept to what provider.ts and its neighbours
 * call, so a wrong guess here shows up as a failing test, not a silent `any`.
 */
declare module "oidc-provider" {
  import type { IncomingMessage, ServerResponse } from "node:http";

  export type AdapterPayload = Record<string, unknown> & {
    readonly accountId?: string;
    readonly grantId?: string;
    readonly uid?: string;
    readonly userCode?: string;
    consumed?: number;
    jti?: string;
  };

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export interface Account {
    readonly accountId: string;
    claims(use: string, scope: string): Promise<Record<string, unknown>>;
  }

  export interface OidcSession {
    readonly accountId?: string;
    readonly amr?: string[];
    readonly authorizations?: Record<string, { sid?: string; grantId?: string }>;
    readonly uid: string;
    /** The logout in progress (end_session → end_session_confirm), kept in the session row. */
    state?: Record<string, unknown>;
    past(age: number): boolean;
    grantIdFor(clientId: string): string | undefined;
    /** Saves the session again, keeping its expiry (only once it has been saved). */
    persist(): Promise<unknown>;
  }

  export interface OidcClient {
    readonly clientId: string;
    readonly clientName?: string;
    readonly clientSecret?: string;
    readonly redirectUris: string[];
    readonly clientAuthMethod: string;
  }

  export interface Grant {
    readonly jti: string;
    readonly accountId?: string;
    readonly clientId?: string;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    save(): Promise<string>;
    destroy(): Promise<void>;
  }

  export interface GrantConstructor {
    new (properties: { accountId: string; clientId: string }): Grant;
    find(id: string): Promise<Grant | undefined>;
  }

  export interface OidcParams {
    readonly [name: string]: unknown;
    readonly client_id?: string;
    readonly account_hint?: string;
    readonly prompt?: string;
    readonly max_age?: number;
    readonly logout?: string;
  }

  export interface OidcContext {
    readonly route: string;
    readonly params: OidcParams;
    readonly session: OidcSession;
    readonly client?: OidcClient;
    readonly result?: { login?: { accountId: string } };
    readonly requestParamOIDCScopes: Set<string>;
    readonly requestParamClaims: Set<string>;
    readonly provider: Provider;
    entities: Record<string, unknown>;
  }

  export interface KoaContext {
    readonly req: IncomingMessage;
    readonly res: ServerResponse;
    readonly method: string;
    readonly path: string;
    readonly secure: boolean;
    readonly ip: string;
    /** Set once oidc-provider has routed the request. */
    readonly oidc: OidcContext;
    readonly cookies: {
      get(name: string, options?: { signed?: boolean }): string | undefined;
      set(name: string, value: string | null, options?: Record<string, unknown>): void;
    };
    status: number;
    body: unknown;
    type: string;
    get(header: string): string;
    set(header: string, value: string): void;
    append(header: string, value: string): void;
  }

  export type KoaMiddleware = (
    ctx: Omit<KoaContext, "oidc"> & { readonly oidc?: OidcContext },
    next: () => Promise<void>,
  ) => Promise<void>;

  export interface InteractionDetails {
    readonly uid: string;
    readonly iat: number;
    readonly exp: number;
    readonly returnTo: string;
    readonly params: OidcParams;
    readonly prompt: { readonly name: string; readonly reasons: readonly string[] };
    readonly session?: { readonly accountId?: string; readonly uid?: string };
    readonly grantId?: string;
  }

  export interface InteractionResults {
    login?: { accountId: string; amr?: string[]; ts?: number; remember?: boolean };
    consent?: { grantId?: string };
    error?: string;
    error_description?: string;
  }

  /** A stored interaction (the model behind `interactionDetails`). */
  export interface StoredInteraction {
    readonly exp: number;
    session?: { accountId?: string; uid?: string };
    save(ttlSeconds: number): Promise<string>;
  }

  export class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    readonly issuer: string;
    proxy: boolean;
    readonly Client: { prototype: Record<string, unknown> };
    readonly Grant: GrantConstructor;
    readonly Interaction: { find(uid: string): Promise<StoredInteraction | undefined> };
    readonly Session: { findByUid(uid: string): Promise<unknown> };
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    use(middleware: KoaMiddleware): this;
    on(event: string, listener: (...args: unknown[]) => void): this;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionResult(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResults,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<string>;
  }

  export class CheckClass {
    constructor(
      reason: string,
      description: string,
      error: string,
      check: (ctx: KoaContext) => boolean | Promise<boolean>,
    );
    static readonly REQUEST_PROMPT: true;
    static readonly NO_NEED_TO_PROMPT: false;
  }

  export interface PromptDefinition {
    readonly name: string;
    readonly checks: unknown[] & { add(check: CheckClass, index?: number): void };
  }

  export const interactionPolicy: {
    base(): PromptDefinition[] & { get(name: string): PromptDefinition | undefined };
    Check: typeof CheckClass;
  };

  export const errors: {
    readonly SessionNotFound: new (...args: unknown[]) => Error;
  };

  export default Provider;
}
