export { IDEMPOTENCY_KEY_PATTERN, runIdempotent, type IdempotentScope, type StoredAnswer } from "./idempotency.js";
