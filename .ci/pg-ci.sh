#!/usr/bin/env bash
# A throwaway PostgreSQL server for the store's tests (.ci/run), run as root on Debian.
#
#   URL="$(bash pg-ci.sh)"                          # install if needed, start (or reuse), print URL
#   bash pg-ci.sh stop                              # stop the server and delete its files
#
# In .ci/run (bash, set -euo pipefail):
#   export KIT_TEST_PG_URL="$(bash .ci/pg-ci.sh)"
#   trap 'bash .ci/pg-ci.sh stop' EXIT
#
# Env knobs: PG_CI_DIR (/tmp/kit-pg), PG_CI_USER (kit), PG_CI_DB (kit), PG_CI_PORTS (20000-32000).
# stdout carries only the URL; progress goes to stderr. Idempotent: the package is installed only
# when no /usr/lib/postgresql/*/bin/pg_ctl exists; a server still running from an earlier call
# (same PG_CI_DIR) is reused; a dead one (e.g. its session ended) is wiped and re-created.
set -euo pipefail

PG_CI_DIR="${PG_CI_DIR:-/tmp/kit-pg}"     # data, socket, log, port file
PG_CI_USER="${PG_CI_USER:-kit}"           # role the tests connect as (trust auth, no password)
PG_CI_DB="${PG_CI_DB:-kit}"               # database owned by that role
PG_CI_PORTS="${PG_CI_PORTS:-20000-32000}"  # port range to pick from (shuf -i syntax)
DATA="$PG_CI_DIR/data"

log() { printf 'pg-ci: %s\n' "$*" >&2; }

pg_bindir() {
    # newest installed major version
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    [[ -n "$d" && -x "$d/pg_ctl" ]] && echo "$d"
}

as_pg() { (cd / && runuser -u postgres -- "$@"); }  # cd /: postgres cannot read root's cwd

BIN=$(pg_bindir || true)

if [[ "${1:-start}" == stop ]]; then
    if [[ -n "$BIN" && -f "$DATA/PG_VERSION" ]]; then
        as_pg "$BIN/pg_ctl" -D "$DATA" -m immediate -w stop >&2 || true
    fi
    rm -rf "$PG_CI_DIR"
    log "stopped and removed $PG_CI_DIR"
    exit 0
fi

# 1. Binaries. `apt-get update` first: on a machine whose lists are old or empty the install
#    may 404 or find nothing. policy-rc.d / no systemd means the package's own "main" cluster
#    (port 5432) is created but normally not started; we never use it.
if [[ -z "$BIN" ]]; then
    log "installing postgresql from Debian"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2
    apt-get install -y -q --no-install-recommends postgresql >&2
    BIN=$(pg_bindir)
fi
log "binaries: $BIN"

# 2. Server: reuse if ours is running, else a fresh cluster on a free loopback port.
if [[ -f "$PG_CI_DIR/port" ]] && as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1 \
        && "$BIN/pg_isready" -q -h 127.0.0.1 -p "$(cat "$PG_CI_DIR/port")"; then
    PORT=$(cat "$PG_CI_DIR/port")
    log "reusing running server on port $PORT"
else
    if [[ -f "$DATA/postmaster.pid" ]]; then  # half-alive leftovers: make sure nothing holds it
        as_pg "$BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PG_CI_DIR"
    mkdir -p "$PG_CI_DIR"
    chown postgres:postgres "$PG_CI_DIR"
    chmod 700 "$PG_CI_DIR"
    # -A trust: local socket and host 127.0.0.1/32, ::1/128 connect without password.
    # --no-sync: skip fsync of the new cluster (throwaway). Superuser is "postgres".
    as_pg "$BIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$PG_CI_DIR/initdb.log" 2>&1 \
        || { cat "$PG_CI_DIR/initdb.log" >&2; exit 1; }
    PORT=
    for attempt in 1 2 3 4 5 6 7 8; do
        # a random port below the kernel's ephemeral range (32768+) that nothing answers on
        p=$(shuf -i "$PG_CI_PORTS" -n 1)
        if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then continue; fi
        # own socket dir (not /var/run/postgresql), loopback only, durability off for speed.
        if as_pg "$BIN/pg_ctl" -D "$DATA" -l "$PG_CI_DIR/server.log" -w -t 30 \
            -o "-p $p -c listen_addresses=127.0.0.1 -k $PG_CI_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
            start >/dev/null; then
            PORT=$p
            echo "$PORT" >"$PG_CI_DIR/port"
            break
        fi
        log "start on port $p failed (attempt $attempt):"; tail -n 3 "$PG_CI_DIR/server.log" >&2 || true
    done
    [[ -n "$PORT" ]] || { log "could not start PostgreSQL"; exit 1; }
    log "started on 127.0.0.1:$PORT (data $DATA)"
fi

# 3. Role and database (idempotent).
PSQL=("$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d postgres)
if [[ -z "$("${PSQL[@]}" -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$PG_CI_USER'")" ]]; then
    "${PSQL[@]}" -c "CREATE ROLE \"$PG_CI_USER\" LOGIN CREATEDB" >&2
fi
if [[ -z "$("${PSQL[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = '$PG_CI_DB'")" ]]; then
    "${PSQL[@]}" -c "CREATE DATABASE \"$PG_CI_DB\" OWNER \"$PG_CI_USER\"" >&2
fi

echo "postgresql+psycopg://$PG_CI_USER@127.0.0.1:$PORT/$PG_CI_DB"
