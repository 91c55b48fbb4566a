/**
 * Text messages through the Twilio Messages API (POST {base}/2010-04-01/Accounts/{sid}/Messages.json,
 * form fields To, From, Body, HTTP basic auth).
 *
 * Twilio's create call has no idempotency key, so a request is repeated only when it certainly
 * never reached Twilio, or Twilio certainly refused it before doing anything:
 * - not sent — the connection couldn't be made (refused, no route, DNS), 429 Too Many Requests,
 *   503 Service Unavailable: retried here a few times with back-off, then left to the outbox's
 *   own retries;
 * - refused for good — any other 4xx (bad number, bad credentials): `PermanentDeliveryError`;
 * - uncertain — a timeout after the request went out, a connection cut before the answer, any
 *   other 5xx: Twilio may have created the message. `UncertainDeliveryError`; the outbox settles
 *   it with `lookup`, which lists the messages sent to the number
 *   (GET …/Messages.json?To=…&DateSent>=YYYY-MM-DD) and looks for this one's exact text.
 */
import {
  PermanentDeliveryError,
  UncertainDeliveryError,
  type LookupQuery,
  type LookupResult,
  type MessageTransport,
} from "./transports.js";

export interface TwilioSettings {
  readonly accountSid: string;
  readonly authToken: string;
  readonly fromNumber: string;
  readonly apiBaseUrl: string;
  /** How long a request may take (TWILIO_TIMEOUT_MS; default 10 s); `options.timeoutMs` wins. */
  readonly timeoutMs?: number;
}

export interface TwilioOptions {
  readonly timeoutMs?: number;
  /** Delays before each quick retry of a request that certainly wasn't taken; the outbox retries beyond these. */
  readonly retryDelaysMs?: readonly number[];
  readonly fetch?: typeof fetch;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Errors of the connection's setup: the request itself was never written. */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

function errorCodes(error: unknown, depth = 0): string[] {
  if (typeof error !== "object" || error === null || depth > 4) return [];
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  return [
    ...(typeof code === "string" ? [code] : []),
    ...errorCodes(cause, depth + 1),
    ...(Array.isArray(errors) ? errors.flatMap((inner) => errorCodes(inner, depth + 1)) : []),
  ];
}

/** Statuses with which Twilio (or its edge) turns a request away before acting on it. */
const NOT_TAKEN_STATUSES = new Set([429, 503]);

/** At most this many pages of 100 messages are searched for an uncertain one. */
const MAX_LOOKUP_PAGES = 5;

export function createTwilioTransport(settings: TwilioSettings, options: TwilioOptions = {}): MessageTransport {
  const path = `/2010-04-01/Accounts/${encodeURIComponent(settings.accountSid)}/Messages.json`;
  const url = `${settings.apiBaseUrl}${path}`;
  const authorization = `Basic ${Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString("base64")}`;
  const timeoutMs = options.timeoutMs ?? settings.timeoutMs ?? 10_000;
  const retryDelaysMs = options.retryDelaysMs ?? [250, 1000];
  const send = options.fetch ?? fetch;

  async function attempt(to: string, body: string): Promise<{ sid: string | null }> {
    let response: Response;
    try {
      response = await send(url, {
        method: "POST",
        headers: { authorization, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: new URLSearchParams({ To: to, From: settings.fromNumber, Body: body }).toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const reason = `Twilio request failed: ${(error as Error).message}`;
      if (errorCodes(error).some((code) => NOT_SENT_CODES.has(code))) throw new Error(reason, { cause: error });
      throw new UncertainDeliveryError(`${reason} (it may have reached Twilio)`, { cause: error });
    }
    // An answer cut off after its status still counts by its status: a success means the
    // message exists (its id unknown), a refusal is a refusal.
    const text = await response.text().catch(() => "");
    if (response.ok) {
      try {
        const parsed = JSON.parse(text || "{}") as { sid?: unknown };
        return { sid: typeof parsed.sid === "string" ? parsed.sid : null };
      } catch {
        return { sid: null };
      }
    }
    let detail = text.slice(0, 300);
    try {
      const parsed = JSON.parse(text) as { code?: number; message?: string };
      detail = `${parsed.code ?? ""} ${parsed.message ?? ""}`.trim();
    } catch {
      // not JSON: keep the raw text
    }
    if (NOT_TAKEN_STATUSES.has(response.status)) throw new Error(`Twilio ${response.status}: ${detail}`);
    if (response.status >= 400 && response.status < 500) {
      throw new PermanentDeliveryError(`Twilio ${response.status}: ${detail}`);
    }
    throw new UncertainDeliveryError(`Twilio ${response.status}: ${detail} (it may have created the message)`);
  }

  async function lookup(query: LookupQuery): Promise<LookupResult> {
    // A day boundary an hour back: Twilio's clock and this one differ, and the day may just have turned.
    const day = new Date(query.sentAfter - 60 * 60 * 1000).toISOString().slice(0, 10);
    let next: string | null = `${path}?${new URLSearchParams({ To: query.to, "DateSent>": day, PageSize: "100" })}`;
    for (let page = 0; next !== null; page++) {
      if (page === MAX_LOOKUP_PAGES) throw new Error(`Twilio lists more than ${MAX_LOOKUP_PAGES} pages of messages`);
      const response = await send(new URL(next, settings.apiBaseUrl).toString(), {
        method: "GET",
        headers: { authorization, accept: "application/json" },
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`Twilio ${response.status} listing messages: ${text.slice(0, 200)}`);
      const listed = JSON.parse(text) as {
        messages?: Array<{ sid?: unknown; to?: unknown; body?: unknown }>;
        next_page_uri?: unknown;
      };
      // The text carries a single-use link, so an exact match is this message and no other.
      const match = (listed.messages ?? []).find((message) => message.to === query.to && message.body === query.text);
      if (match) return { found: true, providerMessageId: typeof match.sid === "string" ? match.sid : null };
      next = typeof listed.next_page_uri === "string" && listed.next_page_uri !== "" ? listed.next_page_uri : null;
    }
    return { found: false };
  }

  return {
    name: "twilio",
    async deliver(message) {
      let lastError: unknown;
      for (let i = 0; i <= retryDelaysMs.length; i++) {
        try {
          const { sid } = await attempt(message.to, message.text);
          return { providerMessageId: sid };
        } catch (error) {
          if (error instanceof PermanentDeliveryError || error instanceof UncertainDeliveryError) throw error;
          lastError = error;
          const delay = retryDelaysMs[i];
          if (delay !== undefined) await sleep(delay);
        }
      }
      throw lastError;
    },
    lookup,
  };
}
