#!/usr/bin/env bash
# Measures the whole-process figures (benches/process.py) on a release build and writes the
# marked ones (`<!-- measured:... -->`) into README.md and docs/development.md. Figures in those
# files come from here, not from typing.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked
python3 benches/process.py --update README.md docs/development.md
