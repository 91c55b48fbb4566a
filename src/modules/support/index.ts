export {
  completeAgentSecondFactor,
  confirmAgentEnrolment,
  resetAgentTwoFactor,
  startAgentEnrolment,
} from "./agent-two-factor.js";
export { unlockSupportAgent } from "./agent-unlock.js";
export {
  SUPPORT_IDLE_TIMEOUT_SECONDS,
  SUPPORT_MAX_CONSECUTIVE_FAILURES,
  SUPPORT_PASSWORD_MIN_LENGTH,
  agentSubject,
  createSupportAgent,
  resolveSupportSession,
  signInAgent,
  signOutAgent,
  toAgentView,
  type AgentSignInDeps,
  type AgentView,
  type SupportDeps,
} from "./agents.js";
export { CASE_LIFETIME_SECONDS } from "./case-flow.js";
export {
  FAILED_CASES_PER_DAY,
  approveRecoveryCase,
  completeRecoveryCase,
  openRecoveryCase,
  viewRecoveryCase,
  type CaseView,
  type RecoveryDeps,
} from "./recovery.js";
export { accountSummary, searchAccounts } from "./support-directory.js";
export {
  decideRecoveryCase,
  escalateRecoveryCase,
  listCasesAwaitingSupervisor,
  setAgentSupervisor,
  type EscalatedCase,
} from "./supervisor.js";
export type { SupportAgentRow } from "./support.table.js";
export { MIN_MATCHES, VERIFICATION_FIELDS, compareAnswers, normalizeAnswer, verdict } from "./verification.js";
