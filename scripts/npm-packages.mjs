#!/usr/bin/env node
// Builds the npm packages (eca-wizard and one @eca-wizard/cli-<platform>-<arch> per binary) as
// `npm pack` tarballs. The release workflow runs it with the five release binaries; tests run it
// with the host's binary and install the result offline.
//
//   node scripts/npm-packages.mjs --out DIR KEY=BINARY [KEY=BINARY ...]
//
// KEY is a Rust target triple of a release (x86_64-unknown-linux-musl, ...), a platform key as
// Node names it (linux-x64, darwin-arm64, win32-x64, ...), or `host` for this machine. The
// version is Cargo.toml's. Prints the tarballs' paths, the launcher package last.

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SCOPE = "@eca-wizard";

// The release targets (dist-workspace.toml) and the platform npm and Node call each.
const TRIPLES = {
  "aarch64-apple-darwin": "darwin-arm64",
  "x86_64-apple-darwin": "darwin-x64",
  "aarch64-unknown-linux-musl": "linux-arm64",
  "x86_64-unknown-linux-musl": "linux-x64",
  "x86_64-pc-windows-msvc": "win32-x64",
};

function fail(message) {
  console.error(`npm-packages: ${message}`);
  process.exit(2);
}

function cargoVersion() {
  const manifest = fs.readFileSync(path.join(ROOT, "Cargo.toml"), "utf8");
  const match = manifest.match(/^\[package\][^[]*?^version\s*=\s*"([^"]+)"/m);
  if (!match) fail("no version in Cargo.toml's [package]");
  return match[1];
}

function parseArgs(argv) {
  let out;
  const binaries = new Map();
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--out") {
      out = argv[++i];
      continue;
    }
    const eq = argv[i].indexOf("=");
    if (eq < 1) fail(`expected KEY=BINARY, got ${JSON.stringify(argv[i])}`);
    const key = argv[i].slice(0, eq);
    const platform =
      key === "host" ? `${process.platform}-${process.arch}` : (TRIPLES[key] ?? key);
    if (!Object.values(TRIPLES).includes(platform)) {
      fail(`${key}: not a release platform (${Object.values(TRIPLES).join(", ")})`);
    }
    binaries.set(platform, path.resolve(argv[i].slice(eq + 1)));
  }
  if (!out || binaries.size === 0) fail("usage: --out DIR KEY=BINARY [KEY=BINARY ...]");
  return { out: path.resolve(out), binaries };
}

function copyLicenses(dir) {
  for (const name of ["LICENSE-MIT", "LICENSE-APACHE"]) {
    fs.copyFileSync(path.join(ROOT, name), path.join(dir, name));
  }
}

function writeJson(file, value) {
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/// `npm pack` in `dir`, the tarball into `out`; returns its path.
function pack(dir, out) {
  const json = execFileSync("npm", ["pack", "--json", "--pack-destination", out], {
    cwd: dir,
    encoding: "utf8",
    shell: process.platform === "win32",
  });
  return path.join(out, JSON.parse(json)[0].filename);
}

function platformPackage(platform, binary, version, stage, out) {
  const [os, cpu] = platform.split("-");
  const file = os === "win32" ? "eca-wizard.exe" : "eca-wizard";
  if (!fs.statSync(binary, { throwIfNoEntry: false })?.isFile()) fail(`${binary}: no such file`);
  const dir = path.join(stage, `cli-${platform}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(binary, path.join(dir, file));
  fs.chmodSync(path.join(dir, file), 0o755);
  copyLicenses(dir);
  writeJson(path.join(dir, "package.json"), {
    name: `${SCOPE}/cli-${platform}`,
    version,
    description: `The eca-wizard binary for ${platform}; installed through the eca-wizard package`,
    license: "MIT OR Apache-2.0",
    repository: launcherManifest().repository,
    os: [os],
    cpu: [cpu],
    files: [file, "LICENSE-MIT", "LICENSE-APACHE"],
    preferUnplugged: true,
  });
  return pack(dir, out);
}

function launcherManifest() {
  return JSON.parse(fs.readFileSync(path.join(ROOT, "npm/eca-wizard/package.json"), "utf8"));
}

function launcherPackage(version, stage, out) {
  const manifest = launcherManifest();
  const expected = Object.values(TRIPLES)
    .map((p) => `${SCOPE}/cli-${p}`)
    .sort();
  const listed = Object.keys(manifest.optionalDependencies).sort();
  if (JSON.stringify(listed) !== JSON.stringify(expected)) {
    fail(`npm/eca-wizard/package.json's optionalDependencies must be exactly ${expected}`);
  }
  manifest.version = version;
  for (const name of listed) manifest.optionalDependencies[name] = version;
  const dir = path.join(stage, "eca-wizard");
  fs.mkdirSync(path.join(dir, "bin"), { recursive: true });
  fs.copyFileSync(
    path.join(ROOT, "npm/eca-wizard/bin/eca-wizard.js"),
    path.join(dir, "bin/eca-wizard.js"),
  );
  fs.copyFileSync(path.join(ROOT, "npm/eca-wizard/README.md"), path.join(dir, "README.md"));
  copyLicenses(dir);
  writeJson(path.join(dir, "package.json"), manifest);
  return pack(dir, out);
}

const { out, binaries } = parseArgs(process.argv.slice(2));
const version = cargoVersion();
fs.mkdirSync(out, { recursive: true });
const stage = fs.mkdtempSync(path.join(out, ".stage-"));
try {
  const tarballs = [...binaries].map(([platform, binary]) =>
    platformPackage(platform, binary, version, stage, out),
  );
  tarballs.push(launcherPackage(version, stage, out));
  console.log(tarballs.join("\n"));
} finally {
  fs.rmSync(stage, { recursive: true, force: true });
}
