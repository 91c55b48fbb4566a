#!/usr/bin/env node
// `npx staffgate <command>`: builds on first use, then runs the CLI.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const ensureBuild = fileURLToPath(new URL("../scripts/ensure-build.js", import.meta.url));
execFileSync(process.execPath, [ensureBuild], { stdio: ["ignore", "ignore", "inherit"] });
await import("../dist/cli-main.js");
