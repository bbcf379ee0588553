#!/usr/bin/env bash
# Runs the benchmarks and writes docs/benchmarks.md. Usage: scripts/bench.sh [BUILD_BIN_DIR]
# (default build/tests/bench). Extra settings through BENCH_DISPATCH_ARGS, BENCH_AGENT_ARGS and
# BENCH_INGEST_ARGS.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-build/tests/bench}"
out=docs/benchmarks.md
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2086
"$bin/bench_dispatch" ${BENCH_DISPATCH_ARGS:-} --markdown "$tmp/dispatch.md" >/dev/null
# shellcheck disable=SC2086
"$bin/bench_agent" ${BENCH_AGENT_ARGS:-} --markdown "$tmp/agent.md" >/dev/null
# shellcheck disable=SC2086
"$bin/bench_ingest" ${BENCH_INGEST_ARGS:-} --markdown "$tmp/ingest.md" >/dev/null
{
  echo "# Benchmarks"
  echo
  echo "Produced by \`cmake --build build --target bench\` (which runs \`scripts/bench.sh\`) on"
  echo "$(date -u +%Y-%m-%d). Every number comes from one run on the machine named in each"
  echo "section; these machines are noisy, so compare ratios within a run rather than across runs."
  echo "Build: RelWithDebInfo (the default of \`scripts/build.sh\`). The load generators are in"
  echo "tests/bench: \`bench_dispatch\` starts a real corral-master and simulates agents with"
  echo "threads speaking HTTP over loopback; \`bench_agent\` starts the Kubernetes API emulator with"
  echo "a multiplied cluster, a real corral-master and the real corral-agent; \`bench_ingest\`"
  echo "uploads a multiplied cluster's snapshot to a real corral-master and queries it. Rerun one"
  echo "part with different sizes, for example:"
  echo "\`build/tests/bench/bench_dispatch --agents 1000 --commands 100000 --parked 10000\`,"
  echo "\`build/tests/bench/bench_agent --pods 5000 --runs 5 --idle-seconds 5\` or"
  echo "\`build/tests/bench/bench_ingest --pods 5000 --runs 20 --clusters 5\`."
  echo
  cat "$tmp/dispatch.md"
  echo
  cat "$tmp/agent.md"
  echo
  cat "$tmp/ingest.md"
} > "$out"
echo "wrote $out"
