/**
 * Email composition: one calm layout in HTML and plain text, carrying the business's name.
 * Every value is escaped for HTML; the plain-text part is the source of truth for content.
 */

export type EmailBlock =
  | { readonly kind: "paragraph"; readonly text: string }
  | { readonly kind: "button"; readonly label: string; readonly url: string }
  | { readonly kind: "facts"; readonly rows: ReadonlyArray<readonly [label: string, value: string]> };

export interface EmailContent {
  readonly businessName: string;
  readonly subject: string;
  readonly blocks: readonly EmailBlock[];
}

export interface ComposedEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

/** Subjects are one line: no header injection through a business name. */
function oneLine(value: string): string {
  return value.replace(/[\r\n]+/g, " ").trim();
}

function blockAsText(block: EmailBlock): string {
  switch (block.kind) {
    case "paragraph":
      return block.text;
    case "button":
      return `${block.label}:\n${block.url}`;
    case "facts":
      return block.rows.map(([label, value]) => `${label}: ${value}`).join("\n");
  }
}

function blockAsHtml(block: EmailBlock): string {
  switch (block.kind) {
    case "paragraph":
      return `<p style="margin:0 0 16px;line-height:1.5">${escapeHtml(block.text)}</p>`;
    case "button":
      return (
        `<p style="margin:24px 0"><a href="${escapeHtml(block.url)}" ` +
        `style="background:#1f5f8b;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:600">` +
        `${escapeHtml(block.label)}</a></p>` +
        `<p style="margin:0 0 16px;font-size:13px;color:#555">Or paste this address into your browser:<br>` +
        `<span style="word-break:break-all">${escapeHtml(block.url)}</span></p>`
      );
    case "facts":
      return (
        `<table role="presentation" style="margin:0 0 16px;border-collapse:collapse">` +
        block.rows
          .map(
            ([label, value]) =>
              `<tr><td style="padding:2px 12px 2px 0;color:#555">${escapeHtml(label)}</td>` +
              `<td style="padding:2px 0">${escapeHtml(value)}</td></tr>`,
          )
          .join("") +
        `</table>`
      );
  }
}

export function composeEmail(content: EmailContent): ComposedEmail {
  const subject = oneLine(content.subject);
  const footer = `Sent by Staffgate for ${content.businessName}'s Office Portal.`;
  const text = [...content.blocks.map(blockAsText), "—", footer].join("\n\n") + "\n";
  const html =
    `<!doctype html><html><body style="margin:0;padding:24px;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;color:#1a202c">` +
    `<div style="max-width:560px;margin:0 auto;background:#ffffff;border:1px solid #dde1e6;border-radius:8px;padding:28px">` +
    `<p style="margin:0 0 8px;font-size:12px;letter-spacing:.08em;text-transform:uppercase;color:#1f5f8b">` +
    `${escapeHtml(content.businessName)} · Office Portal</p>` +
    `<h1 style="margin:0 0 20px;font-size:20px">${escapeHtml(subject)}</h1>` +
    content.blocks.map(blockAsHtml).join("") +
    `<p style="margin:24px 0 0;font-size:12px;color:#666">${escapeHtml(footer)}</p>` +
    `</div></body></html>`;
  return { subject, text, html };
}
