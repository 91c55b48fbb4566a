export { resetAgentTwoFactor } from "./agent-two-factor.js";
export { unlockSupportAgent } from "./agent-unlock.js";
export {
  SUPPORT_IDLE_TIMEOUT_SECONDS,
  SUPPORT_MAX_CONSECUTIVE_FAILURES,
  agentSubject,
  createSupportAgent,
  resolveSupportSession,
  signInAgent,
  type AgentView,
} from "./agents.js";
export { setAgentSupervisor } from "./supervisor.js";
export type { SupportAgentRow } from "./support.table.js";
