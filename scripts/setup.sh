#!/usr/bin/env bash
# Installs everything Corral needs to build and test, from Debian's archive only.
# Idempotent and non-interactive; run as root (or through sudo).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libcpp-httplib-dev nlohmann-json3-dev libsqlite3-dev libcurl4-openssl-dev
  libyaml-cpp-dev libspdlog-dev catch2 libssl-dev zlib1g-dev
  openssl curl sqlite3 python3 python3-jsonschema python3-yaml prometheus
  clang-format clang-tidy
  chromium chromium-driver python3-selenium  # the dashboard's browser test (tests/dashboard)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
