import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
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
 * The dev mailbox (API.md): every message Staffgate would have sent, newest first, so a person
 * can try each flow with `npm start` alone. Not registered in production.
 */
export function devMailboxRoutes(mailbox: DevMailbox): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get("/dev/mailbox", { schema: { hide: true } }, async (_request, reply) => {
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
    app.get("/dev/mailbox.json", { schema: { hide: true } }, async (_request, reply) => {
      reply.header("Cache-Control", "no-store");
      return { items: mailbox.list() };
    });
  };
}
