#!/usr/bin/env node
// Builds the server and the web UI when the build is missing or older than its sources, so
// `npm start` and `npx staffgate` work straight after `npm ci`.
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
  process.stderr.write("Building Staffgate (server and web UI)…\n");
  execSync("npm run build --silent", { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
}
