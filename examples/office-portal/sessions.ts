/**
 * The example app's own sessions, in memory: enough for one process. A real app keeps them
 * where every instance can see them (a database, Redis), because a back-channel logout arrives
 * at whichever instance the provider reaches and must end the session on all of them.
 *
 * The browser holds only a random id (HttpOnly cookie); everything else stays on the server.
 */
import { randomBytes } from "node:crypto";

/** Who signed in, from the ID token's claims. */
export interface Person {
  /** The provider's subject: Staffgate's staff id. */
  readonly sub: string;
  /** The provider's session (`sid`), when it said: a back-channel logout may name only it. */
  readonly sid: string | undefined;
  readonly name: string;
  /** The business's slug (the `account` claim): an app of one business checks it at sign-in. */
  readonly account: string;
  readonly accountName: string;
  readonly adminFullAccess: boolean;
}

export interface Session extends Person {
  readonly id: string;
  /** Sent back to the provider at sign-out (`id_token_hint`). */
  readonly idToken: string;
  readonly expiresAt: number;
}

/** A sign-in on its way through the provider: what the callback must find again. */
export interface PendingSignIn {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  /** Where to go once signed in: one of the app's own paths. */
  readonly returnTo: string;
  readonly expiresAt: number;
}

const SESSION_LIFETIME_MS = 8 * 60 * 60 * 1000;
const SIGN_IN_LIFETIME_MS = 10 * 60 * 1000;

const newId = () => randomBytes(32).toString("base64url");

export class SessionStore {
  readonly #sessions = new Map<string, Session>();
  readonly #signIns = new Map<string, PendingSignIn>();
  /** Logout tokens already acted on, until they expire (a replay changes nothing). */
  readonly #usedLogoutTokens = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  startSignIn(pending: Omit<PendingSignIn, "expiresAt">): string {
    const id = newId();
    this.#signIns.set(id, { ...pending, expiresAt: this.now() + SIGN_IN_LIFETIME_MS });
    return id;
  }

  /** The pending sign-in behind the browser's cookie, used up by this call (one callback each). */
  takeSignIn(id: string | undefined): PendingSignIn | undefined {
    if (!id) return undefined;
    const pending = this.#signIns.get(id);
    this.#signIns.delete(id);
    return pending && pending.expiresAt > this.now() ? pending : undefined;
  }

  create(person: Person, idToken: string): Session {
    this.#sweep();
    const session = { ...person, id: newId(), idToken, expiresAt: this.now() + SESSION_LIFETIME_MS };
    this.#sessions.set(session.id, session);
    return session;
  }

  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const session = this.#sessions.get(id);
    if (session && session.expiresAt <= this.now()) this.#sessions.delete(id);
    return session && session.expiresAt > this.now() ? session : undefined;
  }

  delete(id: string | undefined): void {
    if (id) this.#sessions.delete(id);
  }

  /**
   * Ends the sessions a logout token names: with `sid`, the sessions of that provider session
   * (of that person too, when `sub` is given); with `sub` alone, every session of the person.
   * Answers how many ended; a token seen before (its `jti`) ends nothing.
   */
  endSessionsOf(logout: { jti: string; exp: number; sub?: string; sid?: string }): number {
    this.#sweep();
    if (this.#usedLogoutTokens.has(logout.jti)) return 0;
    // Kept a minute past `exp`, beyond the clock tolerance the token was checked with.
    this.#usedLogoutTokens.set(logout.jti, logout.exp * 1000 + 60_000);
    let ended = 0;
    for (const [id, session] of this.#sessions) {
      const sidMatches = logout.sid === undefined || session.sid === logout.sid;
      const subMatches = logout.sub === undefined || session.sub === logout.sub;
      if (sidMatches && subMatches) {
        this.#sessions.delete(id);
        ended++;
      }
    }
    return ended;
  }

  get size(): number {
    return this.#sessions.size;
  }

  #sweep(): void {
    const now = this.now();
    for (const [id, session] of this.#sessions) if (session.expiresAt <= now) this.#sessions.delete(id);
    for (const [id, pending] of this.#signIns) if (pending.expiresAt <= now) this.#signIns.delete(id);
    for (const [jti, expiresAt] of this.#usedLogoutTokens) if (expiresAt <= now) this.#usedLogoutTokens.delete(jti);
  }
}
