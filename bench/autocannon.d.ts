/**
 * The small part of autocannon@9's API that the benchmarks use (@types/autocannon is not
 * installed). See node_modules/autocannon/README.md, "API" and "Results".
 */
declare module "autocannon" {
  namespace autocannon {
    interface Options {
      url: string;
      method?: "GET" | "POST" | "PUT" | "DELETE" | "PATCH" | "HEAD" | "OPTIONS";
      headers?: Record<string, string>;
      body?: string | Buffer;
      connections?: number;
      duration?: number;
      pipelining?: number;
      /** Requests per second over all connections (per worker in workers mode). */
      overallRate?: number;
      timeout?: number;
      /** Worker threads that fire the requests (the load then does not share the server's thread). */
      workers?: number;
      title?: string;
    }

    interface Histogram {
      min: number;
      max: number;
      average: number;
      stddev: number;
      total: number;
      p50: number;
      p90: number;
      p99: number;
    }

    interface Result {
      title?: string;
      url: string;
      requests: Histogram;
      latency: Histogram;
      throughput: Histogram;
      /** Seconds. */
      duration: number;
      errors: number;
      timeouts: number;
      mismatches: number;
      non2xx: number;
      "2xx": number;
      start: Date;
      finish: Date;
      connections: number;
      pipelining: number;
      statusCodeStats: Record<string, { count: number }>;
    }

    interface Instance extends PromiseLike<Result> {
      stop(): void;
    }
  }

  function autocannon(options: autocannon.Options): autocannon.Instance;
  export default autocannon;
}
