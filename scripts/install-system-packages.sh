#!/usr/bin/env bash
# Installs the Debian packages hotline-etl needs to build and test, and says which ones it installs.
# Already-installed packages are left alone, so this is quick on a prepared machine.
set -euo pipefail

needed=(libxml2-dev zlib1g-dev libzstd-dev libssl-dev pkg-config)
missing=()
for package in "${needed[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present (${needed[*]})" >&2
  exit 0
fi

echo "system packages: installing ${missing[*]}" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
