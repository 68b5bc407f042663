#!/usr/bin/env bash
# Make sure a Chromium exists for the browser tests (tests/test_browser_report.py).
# Uses Debian's package rather than `playwright install`, which would download a browser build.
# Never fails the build: without Chromium the browser tests skip and say why.
set -u

for candidate in "${SITREP_CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then
    echo "ensure_chromium: using $candidate"
    exit 0
  fi
done

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure_chromium: no chromium and no apt-get; browser tests will be skipped (set SITREP_CHROMIUM to a Chromium binary)"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    echo "ensure_chromium: no chromium, and installing it needs root (apt-get install chromium); browser tests will be skipped"
    exit 0
  fi
else
  SUDO=""
fi

echo "ensure_chromium: installing chromium with apt-get"
if $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null; then
  echo "ensure_chromium: installed $(command -v chromium)"
else
  echo "ensure_chromium: apt-get could not install chromium; browser tests will be skipped"
fi
exit 0
