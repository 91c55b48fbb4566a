/** The first answer to a request carrying an Idempotency-Key, replayed to its retries. */
export interface IdempotencyKeysTable {
  account_id: string;
  actor_id: string;
  key: string;
  /** Method, path and body of the first request: the same key for another request is refused. */
  fingerprint: string;
  status_code: number;
  response_body: string;
  created_at: number;
}
