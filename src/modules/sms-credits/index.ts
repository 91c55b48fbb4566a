export { debitOneCredit, grantCredits, settleCreditOfUndeliveredText } from "./sms-credits.js";
export { requireTextAllowance } from "./sms-caps.js";
