#!/usr/bin/env node
// Builds the server and the web UI when the build is missing or older than its sources, so
// `npm start` and `npx staffgate` work straight after `npm ci`. With NODE_ENV=production it
// never builds (a production start must run what was built and tested, and a build there can
// fail half-way or hang a restart): a missing or stale build stops the start, saying what to run.
import { execSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function oldestOutput(paths) {
  const times = paths.map((path) => (existsSync(path) ? statSync(path).mtimeMs : 0));
  return Math.min(...times);
}

const sources = Math.max(
  newestMtime(join(root, "src")),
  newestMtime(join(root, "web")),
  newestMtime(join(root, "package-lock.json")),
);
const built = oldestOutput([
  join(root, "dist/main.js"),
  join(root, "dist/common-passwords.bin"),
  join(root, "dist/web/index.html"),
]);

if (built === 0 || built < sources) {
  if (process.env.NODE_ENV === "production") {
    const problem = built === 0 ? "is missing" : "is older than the sources";
    process.stderr.write(
      `Staffgate's build ${problem}, and NODE_ENV=production never builds at start.\n` +
        "Run `npm run build` (where the sources are; then deploy dist/), and start again.\n",
    );
    process.exit(1);
  }
  process.stderr.write("Building Staffgate (server and web UI)…\n");
  execSync("npm run build --silent", { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
}
