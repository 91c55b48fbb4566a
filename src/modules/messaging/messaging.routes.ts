import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply } from "fastify";
import { DomainError } from "../../shared/errors.js";
import { escapeHtml } from "./compose.js";
import type { DevMailbox, MailboxEntry } from "./transports.js";

function linkify(escapedText: string): string {
  return escapedText.replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`);
}

function renderEntry(entry: MailboxEntry): string {
  return (
    `<article><h2>${escapeHtml(entry.subject || "(text message)")}</h2>` +
    `<p><strong>To:</strong> ${escapeHtml(entry.to)} · <strong>Channel:</strong> ${entry.channel} · ` +
    `<strong>At:</strong> ${escapeHtml(entry.deliveredAt)}</p>` +
    `<pre>${linkify(escapeHtml(entry.text))}</pre></article><hr>`
  );
}

/**
 * Whether a connection comes from this machine: 127.0.0.0/8 or ::1, also as an IPv4-mapped IPv6
 * address (a dual-stack listener sees IPv4 clients so). The socket's own address, never
 * X-Forwarded-For: behind a proxy on the same machine every client would look local otherwise,
 * and a client can write that header itself.
 */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.toLowerCase().startsWith("::ffff:") ? address.slice("::ffff:".length) : address;
  return /^127(?:\.\d{1,3}){3}$/.test(v4) || address === "::1";
}

/**
 * The dev mailbox (API.md): every message Staffgate would have sent, newest first, so a person
 * can try each flow with `npm start` alone. Registered only with DEV_MAILBOX=true (never in
 * production), and shown only to loopback clients that came straight to the socket (no
 * X-Forwarded-For or Forwarded: a proxy on the same machine serves clients from anywhere). To
 * anyone else it is the same 404 as an unknown path, whatever the method (so a 405 doesn't tell
 * it exists either).
 */
export function devMailboxRoutes(mailbox: DevMailbox): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addHook("onRequest", async (request) => {
      // A request a proxy forwarded comes from the proxy's client, even when the proxy is local.
      const forwarded = request.headers["x-forwarded-for"] !== undefined || request.headers.forwarded !== undefined;
      if (forwarded || !isLoopbackAddress(request.socket.remoteAddress)) throw new DomainError("not_found");
    });
    app.all("/dev/mailbox", { schema: { hide: true } }, async (request, reply) => {
      if (request.method !== "GET" && request.method !== "HEAD") return methodNotAllowed(reply);
      const entries = mailbox.list();
      const body =
        entries.length === 0
          ? "<p>No messages yet. Ask for a password reset and it appears here.</p>"
          : entries.map(renderEntry).join("");
      reply.header("Cache-Control", "no-store").type("text/html; charset=utf-8");
      return (
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Dev mailbox · Staffgate</title></head>` +
        `<body><h1>Dev mailbox</h1><p>Messages Staffgate sent while no SMTP_URL or SMS provider is set ` +
        `(newest first, last ${entries.length}). Reload to see new ones.</p>${body}</body></html>`
      );
    });
    app.all("/dev/mailbox.json", { schema: { hide: true } }, async (request, reply) => {
      if (request.method !== "GET" && request.method !== "HEAD") return methodNotAllowed(reply);
      reply.header("Cache-Control", "no-store");
      return { items: mailbox.list() };
    });
  };
}

function methodNotAllowed(reply: FastifyReply): never {
  reply.header("Allow", "GET, HEAD");
  throw new DomainError("method_not_allowed");
}
