import { createServer } from "node:net";

/**
 * A port that is free now. Staffgate needs its PUBLIC_URL (and so its port) before it is
 * built, which rules out listening on port 0 and asking afterwards.
 */
export function findFreePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error("could not find a free port"))));
    });
  });
}
