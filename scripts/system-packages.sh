#!/bin/sh
# The system packages the tests need, checked before every `pnpm test` (the
# `pretest` script) and by nothing else: .ci/run gets them the same way.
#
#   redis-server      the @credchain/redis tests start a real Redis on free
#                     127.0.0.1 ports (`REDIS_SERVER` names another binary)
#   redis-sentinel    Sentinel topologies
#   bsdutils          util-linux's `script`: the MFA prompt test runs the CLI
#                     in a pseudo-terminal
#   python3-botocore  the role cache's keys are compared with Python's own
#                     json.dumps and its entries shared with botocore's code
#                     (any `python3` on the PATH that imports botocore will do)
#
# All present: exits 0 at once (no apt-get). Some missing: installs them with
# apt-get when it may (root, or `sudo -n` works); otherwise exits 1 with the
# one command to run.
set -u

missing=''
check() {
  missing=''
  command -v "${REDIS_SERVER:-redis-server}" >/dev/null 2>&1 || missing="$missing redis-server"
  command -v redis-sentinel >/dev/null 2>&1 || missing="$missing redis-sentinel"
  command -v script >/dev/null 2>&1 || missing="$missing bsdutils"
  command -v python3 >/dev/null 2>&1 || missing="$missing python3"
  { python3 -c 'import botocore' || /usr/bin/python3 -c 'import botocore'; } >/dev/null 2>&1 ||
    missing="$missing python3-botocore"
  missing=${missing# }
}

check
[ -z "$missing" ] && exit 0

say() { printf 'system-packages: %s\n' "$*" >&2; }
install="apt-get install -y --no-install-recommends $missing"

if ! command -v apt-get >/dev/null 2>&1; then
  say "the tests need: $missing (Debian/Ubuntu package names)."
  say 'this machine has no apt-get: install them with its package manager, then run pnpm test again.'
  exit 1
fi

if [ "$(id -u)" = 0 ]; then
  as=''
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as='sudo -n'
else
  say "the tests need Debian packages that are missing: $missing"
  say 'installing them needs root (or sudo without a password). Run:'
  if command -v sudo >/dev/null 2>&1; then
    printf '  sudo apt-get update && sudo %s\n' "$install" >&2
  else
    printf "  su -c 'apt-get update && %s'\n" "$install" >&2
  fi
  say 'then run pnpm test again.'
  exit 1
fi

say "installing $missing"
# $as and $missing are word lists: split on purpose.
# shellcheck disable=SC2086
$as env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
  $as env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing ||
  exit 1

check
if [ -n "$missing" ]; then
  say "still missing after apt-get install: $missing"
  exit 1
fi
say 'done'
