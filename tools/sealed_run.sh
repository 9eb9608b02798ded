#!/bin/sh
# Run a command — by default the README's test command — with the home folders mounted read-only and without a
# network (docs/testing.md, "Sealed run"). File permissions do not stop root (the CI container runs as root), a
# read-only mount does: a Linux mount namespace binds $HOME and every XDG_*_HOME read-only, and a network namespace
# leaves only a loopback that is down, for the test process and every subprocess it starts (python -m app,
# LibreOffice). The checkout and TMPDIR (pytest's tmp_path) stay writable even when they lie inside the home.
#
#     tools/sealed_run.sh                               # python -m pytest, sealed
#     tools/sealed_run.sh python -m pytest tests/test_hermetic.py -q
#
# Needs util-linux unshare and unprivileged user namespaces (any current Linux; a container may need --privileged).
set -eu
[ "$#" -gt 0 ] || set -- python -m pytest
exec unshare --map-root-user --mount --net -- sh -eu -c '
    # Writable places first, as their own mounts: the recursive read-only binds below carry them along unchanged.
    for d in "$(pwd -P)" "${TMPDIR:-/tmp}"; do
        [ -d "$d" ] && mount --bind "$d" "$d"
    done
    sealed=""
    for d in "$HOME" "${XDG_CONFIG_HOME:-}" "${XDG_DATA_HOME:-}" "${XDG_CACHE_HOME:-}" "${XDG_STATE_HOME:-}"; do
        [ -n "$d" ] && [ -d "$d" ] || continue
        mount --rbind "$d" "$d"
        mount -o remount,bind,ro "$d"
        sealed="$sealed $d"
    done
    # Prove the seal before trusting it: a write into each folder must fail, and no address may be reached.
    for d in $sealed; do
        if ( : > "$d/.yanxiu-sealed-probe" ) 2>/dev/null; then
            rm -f "$d/.yanxiu-sealed-probe"; echo "sealed_run: $d is still writable" >&2; exit 1
        fi
    done
    if python3 -c "import socket; socket.create_connection((\"1.1.1.1\", 53), timeout=2)" 2>/dev/null; then
        echo "sealed_run: the network is reachable" >&2; exit 1
    fi
    echo "sealed_run: read-only:$sealed; network: none; writable: $(pwd -P) ${TMPDIR:-/tmp}" >&2
    exec "$@"
' sealed_run "$@"
