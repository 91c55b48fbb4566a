/**
 * The JSON body parser. Stricter than JSON.parse on purpose: bytes that aren't UTF-8, a key
 * given twice in one object (which copy wins differs between parsers, and a proxy or log may
 * read the other one) and `__proto__` keys are refused with `400 validation_failed`.
 */
import { DomainError } from "../shared/errors.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });

function refused(problem: string): DomainError {
  return new DomainError("validation_failed", undefined, { fields: { "(body)": problem } });
}

/** Finds a repeated or `__proto__` key in well-formed JSON text; undefined when there is none. */
export function findBadKey(text: string): string | undefined {
  const keysOfOpenObjects: Array<Set<string> | null> = []; // null: an array
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      const keys = keysOfOpenObjects.at(-1);
      if (expectKey && keys) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (key === "__proto__" || keys.has(key)) return key;
        keys.add(key);
      }
      expectKey = false;
      i = end;
    } else if (char === "{") {
      keysOfOpenObjects.push(new Set());
      expectKey = true;
    } else if (char === "[") {
      keysOfOpenObjects.push(null);
    } else if (char === "}" || char === "]") {
      keysOfOpenObjects.pop();
    } else if (char === ",") {
      expectKey = Boolean(keysOfOpenObjects.at(-1));
    }
  }
  return undefined;
}

export function parseJsonBody(body: Buffer): unknown {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw refused("is not valid UTF-8");
  }
  if (text.trim() === "") throw refused("is empty; send a JSON object");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw refused("is not valid JSON");
  }
  const badKey = findBadKey(text);
  if (badKey !== undefined) {
    throw refused(badKey === "__proto__" ? "has a __proto__ key" : `has the key "${badKey}" more than once`);
  }
  return value;
}
