import type { FastifyServerOptions } from "fastify";

/**
 * Log redaction (SECURITY.md "HTTP"): cookies, auth headers and every field that can hold a
 * password, token or session id are censored wherever they appear in a log object.
 */
const SECRET_KEYS = [
  "password",
  "currentPassword",
  "newPassword",
  "newPasswordConfirmation",
  "passwordConfirmation",
  "passwordHash",
  "password_hash",
  "token",
  "sessionToken",
  "oneTimePassword",
  "temporaryPassword",
  "cookie",
  "authorization",
  "body",
];

export const REDACTED_PATHS = [
  'req.headers["set-cookie"]',
  'res.headers["set-cookie"]',
  'headers["set-cookie"]',
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
];

export function loggerOptions(level: string): FastifyServerOptions["logger"] {
  return { level, redact: { paths: REDACTED_PATHS, censor: "[redacted]" } };
}
