#!/bin/sh
# Runs promtool with the arguments given, for the ctest checks of deploy/prometheus. promtool
# comes from the Debian package prometheus, which scripts/setup.sh installs; a missing promtool
# fails the test rather than skipping it, since the rules would otherwise go unchecked.
if ! command -v promtool >/dev/null 2>&1; then
  echo "promtool not found: install the Debian package prometheus (scripts/setup.sh does)" >&2
  exit 1
fi
exec promtool "$@"
