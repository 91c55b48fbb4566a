/**
 * Work that must not happen inside a request, so that the reply's timing says nothing about it
 * (a reset request for an unknown login must look and take the same as for a real one).
 * Bounded: past `maxQueued` jobs are dropped and reported, never queued without limit.
 */
export interface BackgroundQueue<Job> {
  /** Accepts a job without waiting for it; false when the queue is full and the job is dropped. */
  submit(job: Job): boolean;
  /** Resolves once every accepted job has run. */
  drain(): Promise<void>;
}

export function createBackgroundQueue<Job>(
  handle: (job: Job) => Promise<void>,
  options: { maxQueued: number; onError: (error: unknown, job: Job) => void },
): BackgroundQueue<Job> {
  const jobs: Job[] = [];
  let running: Promise<void> | undefined;

  async function runAll(): Promise<void> {
    for (let job = jobs.shift(); job !== undefined; job = jobs.shift()) {
      try {
        await handle(job);
      } catch (error) {
        options.onError(error, job);
      }
    }
  }

  function ensureRunning(): void {
    running ??= new Promise<void>((resolve) => setImmediate(resolve)).then(runAll).finally(() => {
      running = undefined;
      if (jobs.length > 0) ensureRunning();
    });
  }

  return {
    submit(job) {
      if (jobs.length >= options.maxQueued) return false;
      jobs.push(job);
      ensureRunning();
      return true;
    },
    async drain() {
      while (running) await running;
    },
  };
}
