/**
 * Text messages through the Twilio Messages API (POST {base}/2010-04-01/Accounts/{sid}/Messages.json,
 * form fields To, From, Body, HTTP basic auth). A 5xx or a timeout is retried here a few times
 * with back-off, then left to the outbox's own retries; a 4xx is final (bad number, refused),
 * except 429, which means "later".
 */
import { PermanentDeliveryError, type MessageTransport } from "./transports.js";

export interface TwilioSettings {
  readonly accountSid: string;
  readonly authToken: string;
  readonly fromNumber: string;
  readonly apiBaseUrl: string;
}

export interface TwilioOptions {
  readonly timeoutMs?: number;
  /** Delays before each quick retry of a 5xx or timeout; the outbox retries beyond these. */
  readonly retryDelaysMs?: readonly number[];
  readonly fetch?: typeof fetch;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createTwilioTransport(settings: TwilioSettings, options: TwilioOptions = {}): MessageTransport {
  const url = `${settings.apiBaseUrl}/2010-04-01/Accounts/${encodeURIComponent(settings.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString("base64")}`;
  const timeoutMs = options.timeoutMs ?? 10_000;
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
      throw new Error(`Twilio request failed: ${(error as Error).message}`, { cause: error });
    }
    const text = await response.text();
    if (response.ok) {
      const parsed = JSON.parse(text || "{}") as { sid?: string };
      return { sid: parsed.sid ?? null };
    }
    let detail = text.slice(0, 300);
    try {
      const parsed = JSON.parse(text) as { code?: number; message?: string };
      detail = `${parsed.code ?? ""} ${parsed.message ?? ""}`.trim();
    } catch {
      // not JSON: keep the raw text
    }
    if (response.status >= 400 && response.status < 500 && response.status !== 429) {
      throw new PermanentDeliveryError(`Twilio ${response.status}: ${detail}`);
    }
    throw new Error(`Twilio ${response.status}: ${detail}`);
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
          if (error instanceof PermanentDeliveryError) throw error;
          lastError = error;
          const delay = retryDelaysMs[i];
          if (delay !== undefined) await sleep(delay);
        }
      }
      throw lastError;
    },
  };
}
