/**
 * Text a person types that others read — names, business names, reasons — may not carry
 * characters that change how it reads elsewhere: C0 and C1 controls (CR and LF forge lines in
 * logs and emails), DEL, and the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069), which make "evil‮gpj.exe" read as "evilexe.jpg".
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const FORBIDDEN = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/u;

export function hasForbiddenCharacters(text: string): boolean {
  return FORBIDDEN.test(text);
}

export const FORBIDDEN_CHARACTERS_HINT = "may not contain control characters, line breaks or text-direction overrides";
