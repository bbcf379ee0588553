#!/usr/bin/env bash
# Runs the benchmarks and writes docs/benchmarks.md. Usage: scripts/bench.sh [BUILD_BIN_DIR]
# (default build/tests/bench). Extra settings through BENCH_DISPATCH_ARGS.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-build/tests/bench}"
out=docs/benchmarks.md
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2086
"$bin/bench_dispatch" ${BENCH_DISPATCH_ARGS:-} --markdown "$tmp/dispatch.md" >/dev/null
{
  echo "# Benchmarks"
  echo
  echo "Produced by \`cmake --build build --target bench\` (which runs \`scripts/bench.sh\`) on"
  echo "$(date -u +%Y-%m-%d). Every number comes from one run on the machine named in each"
  echo "section; these machines are noisy, so compare ratios within a run rather than across runs."
  echo "Build: RelWithDebInfo (the default of \`scripts/build.sh\`). The load generator is"
  echo "\`bench_dispatch\` (tests/bench), which starts a real corral-master and simulates agents with"
  echo "threads speaking HTTP over loopback. Rerun one part with different sizes, for example:"
  echo "\`build/tests/bench/bench_dispatch --agents 1000 --commands 100000 --parked 10000\`."
  echo
  cat "$tmp/dispatch.md"
} > "$out"
echo "wrote $out"
