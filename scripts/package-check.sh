#!/usr/bin/env bash
# The crate as crates.io would get it: `cargo package --list` holds what the build needs (src/,
# assets/, build.rs, the manifests, README, CHANGELOG, the licenses) and nothing else (no tests,
# fixtures, snapshots, benches, scripts or packaging files); `cargo publish --dry-run` then builds
# that package on its own.
set -euo pipefail
cd "$(dirname "$0")/.."

list="$(cargo package --locked --list --allow-dirty)"
unexpected="$(grep -Ev '^(src/|assets/)|^(build\.rs|Cargo\.toml|Cargo\.toml\.orig|Cargo\.lock|README\.md|CHANGELOG\.md|LICENSE-MIT|LICENSE-APACHE|\.cargo_vcs_info\.json)$' <<<"$list" || true)"
if [ -n "$unexpected" ]; then
  echo "package-check: files the build doesn't need are in the package:" >&2
  echo "$unexpected" >&2
  exit 1
fi
for needed in build.rs src/main.rs src/lib.rs LICENSE-MIT LICENSE-APACHE README.md; do
  grep -qx "$needed" <<<"$list" || { echo "package-check: $needed is missing" >&2; exit 1; }
done
# Every file under src/ and assets/ that git tracks is in the package.
missing="$(git ls-files src assets | grep -vxF -f <(printf '%s\n' "$list") || true)"
if [ -n "$missing" ]; then
  echo "package-check: tracked files missing from the package:" >&2
  echo "$missing" >&2
  exit 1
fi
echo "package: $(wc -l <<<"$list") files"

cargo publish --dry-run --locked --allow-dirty
# The dry run builds the packaged copy (target/package/...) into target/debug under the same
# unit as `cargo build`, so that unit's fingerprint then watches the copy, not src/: a later
# `cargo build` would call a stale binary fresh. Dropping the crate's own artifacts (not its
# dependencies') makes the next build start from src/ again.
cargo clean --locked -p eca-wizard
