#!/usr/bin/env bash
# Command 2 of README.md: installs what is missing, builds everything with
# warnings as errors, runs every test (unit and end-to-end, through ctest),
# lints the protos with buf, then runs every test again under ASan+UBSan,
# common's and the gateway's under TSan, and each fuzz target for 30 s
# (scripts/run-sanitizers.sh). CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
COUNCIL_WERROR=ON scripts/build.sh
ctest --test-dir build --output-on-failure -j2 --timeout 300
scripts/package-test.sh build
echo "buf lint (proto/, Google API design guide rules; see buf.yaml)"
npx --yes @bufbuild/buf@1.47.2 lint
echo "buf lint: passed"
scripts/run-sanitizers.sh
