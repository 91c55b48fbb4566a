// Run before the tests: Vitest 5 and Kysely 0.29 need Node.js 22.12+. On an older Node, say how
// to get a newer one instead of failing later with an error that doesn't name the cause.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(
    `Staffgate needs Node.js 22.12 or newer; this is ${process.version}.\n` +
      "Run `. scripts/use-node.sh` (Node 24 from the npm registry), then `npm ci` and try again.",
  );
  process.exit(1);
}
