export { IDLE_TIMEOUT_SECONDS, STAY_SIGNED_IN_SECONDS, ABSOLUTE_TIMEOUT_SECONDS } from "./session-policy.js";
export {
  createSession,
  endSession,
  resolveSession,
  revokeAllSessionsOfStaff,
  type NewSession,
  type ResolvedSession,
  type SessionAccount,
  type SessionDeps,
} from "./sessions.service.js";
