#!/usr/bin/env bash
# Checks the release pipeline offline, as CI runs it:
#  1. `dist plan` lists the five release targets and the four installers (dist-workspace.toml),
#  2. `dist build` for this machine makes an archive whose binary runs `--version`,
#  3. the workflows dist generates are the ones committed (`dist generate --check`).
# Needs `dist` on PATH at the version dist-workspace.toml names (scripts/ci-tools.sh installs it).
#
# ECA_DIST_CHECK_FAST=1 builds the archive with optimisation and LTO turned down (the packaging
# is what is checked, not the optimiser): a few minutes less on a small machine.
set -euo pipefail
cd "$(dirname "$0")/.."

want_version="$(sed -n 's/^cargo-dist-version = "\(.*\)"/\1/p' dist-workspace.toml)"
have_version="$(dist --version | awk '{print $2}')"
if [ "$want_version" != "$have_version" ]; then
  echo "dist-check: dist $have_version on PATH, dist-workspace.toml wants $want_version" >&2
  exit 1
fi

echo "-- dist plan"
plan="$(dist plan --output-format=json)"
summary="$(printf '%s' "$plan" | python3 -c '
import json, sys
plan = json.load(sys.stdin)
targets, installers = set(), set()
for name, artifact in plan["artifacts"].items():
    kind = artifact.get("kind")
    if kind == "executable-zip":
        targets.update(artifact.get("target_triples", []))
    elif kind == "installer":
        installers.add(name)
print(" ".join(sorted(targets)))
print(" ".join(sorted(installers)))
')"
targets="$(sed -n 1p <<<"$summary")"
installers="$(sed -n 2p <<<"$summary")"
expected_targets="aarch64-apple-darwin aarch64-unknown-linux-musl x86_64-apple-darwin x86_64-pc-windows-msvc x86_64-unknown-linux-musl"
expected_installers="eca-wizard-installer.ps1 eca-wizard-installer.sh eca-wizard-x86_64-pc-windows-msvc.msi eca-wizard.rb"
if [ "$targets" != "$expected_targets" ]; then
  echo "dist-check: plan targets: $targets; expected: $expected_targets" >&2
  exit 1
fi
if [ "$installers" != "$expected_installers" ]; then
  echo "dist-check: plan installers: $installers; expected: $expected_installers" >&2
  exit 1
fi
echo "targets: $targets"
echo "installers: $installers"

echo "-- dist generate --check (the committed workflows are what dist writes)"
dist generate --check

echo "-- dist build for this machine"
if [ "${ECA_DIST_CHECK_FAST:-}" = 1 ]; then
  export CARGO_PROFILE_DIST_OPT_LEVEL=1 CARGO_PROFILE_DIST_LTO=false CARGO_PROFILE_DIST_CODEGEN_UNITS=16
fi
host="$(rustc -vV | sed -n 's/^host: //p')"
rm -rf target/distrib
dist build --artifacts=host --output-format=json > target/dist-build.json
archive="target/distrib/eca-wizard-$host.tar.xz"
test -f "$archive" || { echo "dist-check: no $archive" >&2; exit 1; }
unpacked="$(mktemp -d)"
trap 'rm -rf "$unpacked"' EXIT
tar -xJf "$archive" -C "$unpacked"
binary="$unpacked/eca-wizard-$host/eca-wizard"
for file in LICENSE-MIT LICENSE-APACHE README.md CHANGELOG.md; do
  test -f "$unpacked/eca-wizard-$host/$file" || { echo "dist-check: $file missing from $archive" >&2; exit 1; }
done
version_line="$("$binary" --version)"
expected="eca-wizard $(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)"
if [ "$version_line" != "$expected" ]; then
  echo "dist-check: the archive's binary says '$version_line', expected '$expected'" >&2
  exit 1
fi
"$binary" version
echo "archive: $archive ($(du -h "$archive" | cut -f1)), binary $(du -h "$binary" | cut -f1)"
