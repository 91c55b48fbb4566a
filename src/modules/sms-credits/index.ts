export {
  MAX_GRANT,
  debitOneCredit,
  grantCredits,
  listLedger,
  refundCreditForMessage,
  type LedgerEntry,
  type SmsCreditDeps,
} from "./sms-credits.js";
export type { LedgerKind } from "./sms-credits.table.js";
