#!/usr/bin/env bash
# The browser tests drive Debian's chromium (the npm registry's browser downloads cannot work here).
# Runs before `npm test`: installs it with apt-get when it is missing and we may (root on Debian);
# otherwise says that the browser suite will be skipped, and why.
set -u
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser tests (apt-get install chromium)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null && exit 0
  echo "could not install chromium: the browser tests will be skipped" >&2
  [ -n "${CI:-}" ] && exit 1  # in CI a skipped browser suite would pass unseen
  exit 0
fi
[ -n "${CI:-}" ] && { echo "CI: no chromium and no way to install it" >&2; exit 1; }
echo "no chromium at /usr/bin/chromium (apt-get install chromium, or set CHROMIUM_PATH): the browser tests will be skipped" >&2
exit 0
