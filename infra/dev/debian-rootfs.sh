#!/usr/bin/env bash
# Builds, once, the real Debian root filesystem the scanner's tests turn into a layered image:
# `debootstrap --variant=minbase bookworm`, kept in a cache directory outside the repository and reused.
# Needs root (debootstrap chroots); prints the command to run otherwise. Usage: debian-rootfs.sh [DIR]
set -euo pipefail

dir="${1:-${PORTCULLIS_DEBIAN_ROOTFS:-$HOME/.cache/portcullis/bookworm-minbase}}"
mirror="${PORTCULLIS_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

[ -f "$dir.complete" ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "The scanner tests need a Debian root filesystem built by debootstrap, which needs root. Run once:" >&2
  echo "  sudo $0 $dir" >&2
  exit 1
fi
command -v debootstrap >/dev/null 2>&1 || {
  echo "Installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null
}

echo "Building the Debian bookworm minbase root filesystem in $dir (once; about a minute)"
rm -rf "$dir" "$dir.complete"
mkdir -p "$(dirname "$dir")"
log="$(mktemp)"
if ! debootstrap --variant=minbase bookworm "$dir" "$mirror" >"$log" 2>&1; then
  tail -20 "$log" >&2
  echo "debootstrap failed; the log is $log" >&2
  exit 1
fi
rm -f "$log"
touch "$dir.complete"
