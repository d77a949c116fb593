#!/usr/bin/env node
// Runs the eca-wizard binary that npm installed for this platform as an optional dependency
// (@eca-wizard/cli-<platform>-<arch>). Arguments, the terminal and the exit status pass through.
"use strict";

const { spawn } = require("node:child_process");
const path = require("node:path");

function binaryPath() {
  if (process.env.ECA_WIZARD_BINARY) {
    return process.env.ECA_WIZARD_BINARY;
  }
  const pkg = `@eca-wizard/cli-${process.platform}-${process.arch}`;
  const file = process.platform === "win32" ? "eca-wizard.exe" : "eca-wizard";
  try {
    return require.resolve(`${pkg}/${file}`);
  } catch {
    const manifest = path.join(__dirname, "..", "package.json");
    const supported = Object.keys(require(manifest).optionalDependencies || {});
    console.error(
      `eca-wizard: no binary for ${process.platform}-${process.arch}: the package ${pkg} is not ` +
        "installed.\n" +
        (supported.includes(pkg)
          ? "npm skips optional dependencies with --omit=optional or --no-optional; install " +
            "again without that option.\n"
          : `Prebuilt binaries exist for: ${supported.join(", ")}.\n`) +
        "Set ECA_WIZARD_BINARY to a binary you built to use it instead.",
    );
    process.exit(1);
  }
}

const child = spawn(binaryPath(), process.argv.slice(2), { stdio: "inherit" });

// Ctrl-C and a closing terminal reach the whole foreground process group, the binary included:
// the launcher waits for the binary to finish its own clean-up instead of dying first. A signal
// sent to the launcher alone (kill PID) is passed on.
const forwarded = ["SIGTERM"];
const waited = process.platform === "win32" ? ["SIGINT"] : ["SIGINT", "SIGHUP", "SIGQUIT"];
for (const signal of waited) {
  process.on(signal, () => {});
}
for (const signal of forwarded) {
  process.on(signal, () => child.kill(signal));
}

child.on("error", (error) => {
  console.error(`eca-wizard: could not start ${error.path || "the binary"}: ${error.message}`);
  process.exit(1);
});

child.on("exit", (code, signal) => {
  if (signal) {
    // End the same way, so a parent shell sees the signal, not a plain failure.
    for (const name of [...waited, ...forwarded]) {
      process.removeAllListeners(name);
    }
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code ?? 1);
});
