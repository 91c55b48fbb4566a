/**
 * Keyset-paging cursors: the sort position of the last row a page showed, opaque to clients
 * (base64url JSON). A cursor that isn't one of ours is a `validation_failed` on `cursor`.
 */
import { DomainError } from "./errors.js";

type Part = string | number;

export function encodeCursor(position: readonly Part[]): string {
  return Buffer.from(JSON.stringify(position), "utf8").toString("base64url");
}

/** The position in `cursor`, checked against the expected part types, e.g. ["number", "string"]. */
export function decodeCursor<T extends Part[]>(cursor: string, shape: ReadonlyArray<"string" | "number">): T {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === shape.length && value.every((part, i) => typeof part === shape[i])) {
      return value as T;
    }
  } catch {
    // not ours: fall through
  }
  throw new DomainError("validation_failed", undefined, { fields: { cursor: "is not a cursor from this list" } });
}
