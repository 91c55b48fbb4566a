export { IDEMPOTENCY_KEY_PATTERN, runIdempotent, type IdempotentScope } from "./idempotency.js";
