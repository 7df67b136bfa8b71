#!/usr/bin/env bash
# Configures (once) and builds the whole suite into build/ with Ninja.
# COUNCIL_WERROR=ON (the default here and in CI) turns warnings into errors.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f build/build.ninja ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCOUNCIL_WERROR="${COUNCIL_WERROR:-ON}"
fi
# With arguments, builds only those targets (setup builds just the binaries).
ninja -C build -j"${COUNCIL_JOBS:-2}" "$@"
