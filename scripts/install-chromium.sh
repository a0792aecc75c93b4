#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium (package `chromium`), which the report test
# (Tests/interop/test_report.py) uses to render OUT/report/YYYY/index.html to a PNG.
# Says what it installs; does nothing when Chromium is already there.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  echo "chromium: present ($(command -v chromium))" >&2
  exit 0
fi

echo "chromium: installing the Debian package chromium (for the report rendering test)" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends chromium
echo "chromium: installed $(command -v chromium)" >&2
