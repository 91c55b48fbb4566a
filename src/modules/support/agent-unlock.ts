/**
 * The way out of an agent's hard lock (agents.ts, SUPPORT_MAX_CONSECUTIVE_FAILURES). Agents get
 * no emailed unlock link: an agent reaches every business, so every further round of guesses
 * needs an operator of the installation, at the command line (`staffgate support-agent:unlock`).
 * The password is left alone. The agent's delays are lifted too where nodes share them
 * (REDIS_URL); otherwise they live in each server's memory and run out on their own (15 minutes
 * at most after the last failure).
 */
import { DomainError } from "../../shared/errors.js";
import { recordAuditEvent } from "../audit/index.js";
import { clearAttempts } from "../credentials/index.js";
import { normalizeLogin } from "../staff/index.js";
import {
  agentLoginSubject,
  agentParty,
  agentSubject,
  findAgentByEmail,
  toAgentView,
  type AgentView,
  type SupportDeps,
} from "./agents.js";

export async function unlockSupportAgent(deps: SupportDeps, email: string): Promise<AgentView> {
  const agent = await findAgentByEmail(deps.db, normalizeLogin(email));
  if (!agent) throw new DomainError("not_found", `There is no support agent with the email "${email}".`);
  const subject = agentSubject(agent.id);
  await deps.db.transaction().execute(async (tx) => {
    await clearAttempts(tx, subject);
    await recordAuditEvent(tx, deps, {
      accountId: null,
      source: "system",
      actor: { type: "system", id: null, name: "Staffgate CLI" },
      action: "support.agent_unlocked",
      target: agentParty(agent),
    });
  });
  await deps.loginThrottle.clear(agentLoginSubject(agent.email_normalized));
  return toAgentView(agent);
}
