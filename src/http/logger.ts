import type { FastifyServerOptions } from "fastify";

/**
 * Log redaction (SECURITY.md "HTTP"): cookies, auth headers and every field that can hold a
 * password, token or session id are censored wherever they appear in a log object.
 */
export const REDACTED_PATHS = [
  "req.headers.cookie",
  "req.headers.authorization",
  'res.headers["set-cookie"]',
  "headers.cookie",
  "headers.authorization",
  'headers["set-cookie"]',
  "*.password",
  "*.currentPassword",
  "*.newPassword",
  "*.newPasswordConfirmation",
  "*.passwordConfirmation",
  "*.passwordHash",
  "*.password_hash",
  "*.token",
  "*.sessionToken",
  "*.oneTimePassword",
  "*.temporaryPassword",
  "body",
  "*.body",
];

export function loggerOptions(level: string): FastifyServerOptions["logger"] {
  return { level, redact: { paths: REDACTED_PATHS, censor: "[redacted]" } };
}
