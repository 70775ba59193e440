#!/usr/bin/env bash
# Install the Debian packages the app and its tests need, only those that are missing.
# chromium: browser tests; postgresql: the second test database; fonts-noto-core: Vietnamese
# glyphs in certificate PDFs (fonts-noto-mono: the certificate code); poppler-utils + zbar-tools:
# render PDFs and decode their QR codes; nodejs + npm (only when no `node`/`npm` is on the
# PATH): ESLint for static/js in `make lint`. Packages named as arguments are wanted too
# (`make bench` adds espeak-ng: the narration bench records lesson text spoken, not a beep).
set -euo pipefail
packages=(chromium postgresql fonts-noto-core fonts-noto-mono poppler-utils zbar-tools "$@")
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing system packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo); else
  echo "Please install as root: apt-get install ${missing[*]}" >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
