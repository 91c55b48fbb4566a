/** `npm run build:passwords`: compiles the common-password list into dist/common-passwords.bin. */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DEFAULT_INDEX_PATH, buildIndexFile } from "../modules/password-policy/index.js";

const started = performance.now();
mkdirSync(dirname(DEFAULT_INDEX_PATH), { recursive: true });
const entries = buildIndexFile(DEFAULT_INDEX_PATH);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
process.stderr.write(`common-password index: ${entries} distinct entries → ${DEFAULT_INDEX_PATH} (${seconds} s)\n`);
