#!/usr/bin/env bash
# Throwaway PostgreSQL and Redis for the tests: both on free loopback ports, everything under one
# `mktemp -d` folder, no system service, nothing left running.
#
#   source scripts/test-services.sh; heron_test_services_start; …; heron_test_services_stop
#       (what ./test.sh does) exports HERON_TEST_POSTGRES and HERON_TEST_REDIS.
#   scripts/test-services.sh COMMAND…
#       runs COMMAND with both services, then stops them, e.g.
#       scripts/test-services.sh dotnet test Heron.Web.Tests -c Release --filter "FullyQualifiedName~Postgres"
#
# Needs Debian's postgresql and redis-server packages (./test.sh installs them when run as root).

heron_free_port() { # a port nothing listens on now; the kernel picks it
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

heron_postgres_bin() { # the newest installed PostgreSQL's bin folder
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [[ -n $dir && -x $dir/initdb ]] || { echo "error: PostgreSQL is not installed (apt-get install postgresql)." >&2; return 1; }
    echo "$dir"
}

# Runs a PostgreSQL tool as the postgres user when we are root: initdb and pg_ctl refuse root.
heron_as_postgres() {
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

heron_test_services_start() {
    command -v redis-server >/dev/null || { echo "error: redis-server is not installed (apt-get install redis-server)." >&2; return 1; }
    local bin
    bin=$(heron_postgres_bin) || return 1

    HERON_SERVICES_DIR=$(mktemp -d "${TMPDIR:-/tmp}/heron-test-services.XXXXXX")
    mkdir -p "$HERON_SERVICES_DIR/pg" "$HERON_SERVICES_DIR/redis"
    [[ $(id -u) -eq 0 ]] && chown -R postgres: "$HERON_SERVICES_DIR"

    heron_as_postgres "$bin/initdb" -D "$HERON_SERVICES_DIR/pg/data" -U heron --auth=trust -E UTF8 --no-sync >"$HERON_SERVICES_DIR/pg/initdb.log" 2>&1 \
        || { cat "$HERON_SERVICES_DIR/pg/initdb.log" >&2; echo "error: initdb failed." >&2; return 1; }

    # A free port can be taken between choosing and binding it, so try a few.
    local attempt port
    for attempt in 1 2 3; do
        port=$(heron_free_port)
        # Durability is pointless for a throwaway cluster; connections: many app instances run at once.
        if heron_as_postgres "$bin/pg_ctl" -D "$HERON_SERVICES_DIR/pg/data" -l "$HERON_SERVICES_DIR/pg/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $HERON_SERVICES_DIR/pg -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null; then
            HERON_POSTGRES_PORT=$port
            break
        fi
    done
    [[ -n ${HERON_POSTGRES_PORT:-} ]] || { cat "$HERON_SERVICES_DIR/pg/server.log" >&2; echo "error: PostgreSQL did not start." >&2; return 1; }
    export HERON_TEST_POSTGRES="Host=127.0.0.1;Port=$HERON_POSTGRES_PORT;Username=heron;Database=postgres"

    for attempt in 1 2 3; do
        port=$(heron_free_port)
        redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --dir "$HERON_SERVICES_DIR/redis" \
            --daemonize yes --pidfile "$HERON_SERVICES_DIR/redis/redis.pid" --logfile "$HERON_SERVICES_DIR/redis/redis.log"
        local tries
        for tries in $(seq 50); do
            [[ $(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null) == PONG ]] && { HERON_REDIS_PORT=$port; break 2; }
            sleep 0.1
        done
        heron_stop_redis
    done
    [[ -n ${HERON_REDIS_PORT:-} ]] || { cat "$HERON_SERVICES_DIR/redis/redis.log" >&2; echo "error: redis-server did not start." >&2; return 1; }
    export HERON_TEST_REDIS="127.0.0.1:$HERON_REDIS_PORT"
    echo "Test services: PostgreSQL on 127.0.0.1:$HERON_POSTGRES_PORT, Redis on 127.0.0.1:$HERON_REDIS_PORT (under $HERON_SERVICES_DIR)."
}

heron_stop_redis() {
    local pidfile="$HERON_SERVICES_DIR/redis/redis.pid" pid
    [[ -f $pidfile ]] || return 0
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    rm -f "$pidfile"
}

# Safe to call more than once, and after a start that failed half-way.
heron_test_services_stop() {
    [[ -n ${HERON_SERVICES_DIR:-} && -d $HERON_SERVICES_DIR ]] || return 0
    heron_stop_redis
    if [[ -f $HERON_SERVICES_DIR/pg/data/postmaster.pid ]]; then
        heron_as_postgres "$(heron_postgres_bin)/pg_ctl" -D "$HERON_SERVICES_DIR/pg/data" -m immediate -w stop >/dev/null || true
    fi
    rm -rf "$HERON_SERVICES_DIR"
    unset HERON_SERVICES_DIR HERON_POSTGRES_PORT HERON_REDIS_PORT HERON_TEST_POSTGRES HERON_TEST_REDIS
}

# Run by hand: start, run the command, stop whatever happens.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    set -euo pipefail
    if (($# == 0)); then
        echo "usage: scripts/test-services.sh COMMAND… (or source it and call heron_test_services_start)" >&2
        exit 2
    fi
    trap heron_test_services_stop EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    heron_test_services_start
    "$@"
fi
