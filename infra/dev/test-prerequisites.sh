#!/usr/bin/env bash
# Makes sure the system programs the tests use are present: a real browser for the UI tests, a real OCI registry
# (with the tools that build and push images) for the registry tests, and a real Debian root filesystem for the
# scanner's layered-image test. Installs them on Debian/Ubuntu when running as
# root; otherwise stops with the exact command to run. Tests are never skipped for want of them.
set -euo pipefail

packages=(chromium chromium-driver docker-registry skopeo umoci apache2-utils debootstrap npm)
commands=(chromium chromedriver docker-registry skopeo umoci htpasswd debootstrap npm)

missing=()
for i in "${!commands[@]}"; do
  command -v "${commands[$i]}" >/dev/null 2>&1 || missing+=("${packages[$i]}")
done
rootfs() {
  "$(dirname "$0")/debian-rootfs.sh"
}
[ ${#missing[@]} -eq 0 ] && { rootfs; exit 0; }

line="apt-get update && apt-get install -y ${missing[*]}"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing test prerequisites: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q "${missing[@]}" >/dev/null
  rootfs
  exit 0
fi

echo "The tests need system packages that are not installed: ${missing[*]}" >&2
if command -v apt-get >/dev/null 2>&1; then
  echo "Run:  sudo sh -c '$line'" >&2
else
  echo "Install the equivalents of these Debian packages for your system: ${missing[*]}" >&2
fi
exit 1
