#!/bin/sh
# Run a command with loopback as the only network: the test suite runs this way, so any
# request beyond 127.0.0.1 fails instead of quietly succeeding. Same as ../shared/tools/offline.
# Root uses a plain network namespace; other users get one inside a user namespace.
if [ "$(id -u)" -eq 0 ]; then
  exec unshare -n sh -c 'ip link set lo up && exec "$0" "$@"' "$@"
fi
exec unshare -rn sh -c 'ip link set lo up && exec "$0" "$@"' "$@"
