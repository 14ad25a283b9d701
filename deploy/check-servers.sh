#!/usr/bin/env bash
# Makes sure PostgreSQL and RabbitMQ answer on 127.0.0.1, from a bare Debian/Ubuntu machine on:
# installs them with apt-get when missing (as root, or through sudo), starts them when stopped
# (no systemd needed), gives user postgres trust auth on the loopback addresses, enables
# RabbitMQ's management API and creates the development database. With "pgbouncer" among the
# servers (make test), it installs PgBouncer when missing and starts none: the tests start their
# own. Says what it does; where it cannot act, it prints the exact command to run and exits
# non-zero.
#
# Settings (environment), defaults in brackets:
#   LAMADI_SETUP_SERVERS     which servers to check ["postgresql rabbitmq"]; add "pgbouncer"
#                            to have PgBouncer installed (not started)
#   LAMADI_SETUP_PG_PORT     PostgreSQL port [5432]
#   LAMADI_SETUP_PG_CLUSTER  Debian cluster as VERSION/NAME [the one pg_lsclusters lists on the port]
#   LAMADI_SETUP_DATABASE    database to create [lamadi]
#   LAMADI_SETUP_AMQP_PORT   RabbitMQ AMQP port [$RABBITMQ_NODE_PORT or 5672]
#   LAMADI_SETUP_MGMT_PORT   RabbitMQ management API port [15672]
#   LAMADI_SETUP_NO_INSTALL  1: never install, only say what to run
# PG_CLUSTER_CONF_ROOT and RABBITMQ_NODENAME, RABBITMQ_MNESIA_BASE… are passed through to
# pg_ctlcluster and rabbitmq-server, which read them, to point at another cluster or node.
set -euo pipefail

SERVERS=${LAMADI_SETUP_SERVERS:-postgresql rabbitmq}
PGPORT=${LAMADI_SETUP_PG_PORT:-5432}
PG_CLUSTER=${LAMADI_SETUP_PG_CLUSTER:-}
DATABASE=${LAMADI_SETUP_DATABASE:-lamadi}
AMQP_PORT=${LAMADI_SETUP_AMQP_PORT:-${RABBITMQ_NODE_PORT:-5672}}
MGMT_PORT=${LAMADI_SETUP_MGMT_PORT:-15672}
PG_CONF_ROOT=${PG_CLUSTER_CONF_ROOT:-/etc/postgresql}
APT_PACKAGES=(postgresql rabbitmq-server pgbouncer)  # index 0: PostgreSQL, 1: RabbitMQ, 2: PgBouncer
PGBOUNCER_SBIN=${LAMADI_SETUP_PGBOUNCER:-/usr/sbin/pgbouncer}  # not on a user's PATH on Debian

say() { echo "check-servers: $*"; }
fail() { printf 'check-servers: %s\n' "$@" >&2; exit 1; }
wants() { [[ " $SERVERS " == *" $1 "* ]]; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() {  # port, seconds, name
  for _ in $(seq 1 "$2"); do port_open "$1" && return 0; sleep 1; done
  fail "$3 did not start listening on 127.0.0.1:$1 within $2 s"
}

# Runs a command with root's rights: directly as root, through sudo otherwise (it may ask for
# the user's password, so say so first), or not at all, naming the command to run as root.
as_root() {
  if [ "$EUID" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then
    say "sudo may ask for your password to run: sudo $*" >&2  # stderr: stdout may be captured
    sudo "$@"
  else fail "this needs root and sudo is not installed; run as root: $*" "then run this again"
  fi
}

# Runs a command as the given user (a PostgreSQL cluster's owner): directly when we are that
# user, through as_root otherwise (pg_ctlcluster switches to the owner itself).
as_owner() {  # user, command…
  local owner=$1; shift
  if [ "$(id -un)" = "$owner" ]; then "$@"; else as_root "$@"; fi
}

pg_installed() {
  command -v pg_ctlcluster >/dev/null && command -v pg_lsclusters >/dev/null &&
    compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null
}
rabbitmq_installed() { command -v rabbitmq-server >/dev/null; }
pgbouncer_installed() { command -v pgbouncer >/dev/null || [ -x "$PGBOUNCER_SBIN" ]; }

# --- install what is missing -------------------------------------------------------------
install_packages() {  # apt package names
  local command="apt-get update && apt-get install -y $*"
  if [ "${LAMADI_SETUP_NO_INSTALL:-}" = 1 ]; then
    fail "not installed: $* (LAMADI_SETUP_NO_INSTALL=1, so not installing)" \
      "install with, as root: $command" "then run this again (make run and make test do)"
  fi
  if ! command -v apt-get >/dev/null; then
    fail "not installed: $*, and this machine has no apt-get" \
      "on Debian or Ubuntu, run as root: $command" \
      "elsewhere install PostgreSQL and RabbitMQ with your package manager, or use deploy/compose.yaml"
  fi
  if [ "$EUID" -ne 0 ] && ! command -v sudo >/dev/null; then
    fail "not installed: $*; installing needs root and sudo is not installed" \
      "run as root: $command" "then run this again (make run and make test do)"
  fi
  say "installing with apt-get: $* (and their dependencies)"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"
  local package
  for package in "$@"; do
    case $package in
      postgresql) pg_installed || fail "apt-get installed postgresql, yet pg_ctlcluster or the server is not here" ;;
      rabbitmq-server) rabbitmq_installed || fail "apt-get installed rabbitmq-server, yet rabbitmq-server is not here" ;;
      pgbouncer) pgbouncer_installed || fail "apt-get installed pgbouncer, yet pgbouncer is not here" ;;
    esac
  done
  say "installed: $*"
}

missing=()
if wants postgresql && ! port_open "$PGPORT" && ! pg_installed; then missing+=("${APT_PACKAGES[0]}"); fi
if wants rabbitmq && ! port_open "$AMQP_PORT" && ! rabbitmq_installed; then missing+=("${APT_PACKAGES[1]}"); fi
if wants pgbouncer && ! pgbouncer_installed; then missing+=("${APT_PACKAGES[2]}"); fi
if [ ${#missing[@]} -gt 0 ]; then install_packages "${missing[@]}"; fi

# --- PostgreSQL ----------------------------------------------------------------------------
# Echoes "VERSION NAME OWNER" of the cluster to manage: the one named, else the one on the port;
# creates VERSION/main on the port when the machine has no cluster at all (fresh install).
pg_cluster() {
  local clusters
  clusters=$(pg_lsclusters -h 2>/dev/null || true)
  if [ -n "$PG_CLUSTER" ]; then
    awk -v v="${PG_CLUSTER%%/*}" -v n="${PG_CLUSTER#*/}" '$1 == v && $2 == n {print $1, $2, $5}' <<<"$clusters" |
      grep . || fail "no PostgreSQL cluster $PG_CLUSTER (see pg_lsclusters)"
    return
  fi
  if awk -v p="$PGPORT" '$3 == p {print $1, $2, $5; found=1} END {exit !found}' <<<"$clusters"; then return; fi
  local version
  version=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -1)
  if [ -n "$clusters" ]; then
    fail "no PostgreSQL cluster listens on port $PGPORT; clusters here:" "$clusters" \
      "set LAMADI_SETUP_PG_CLUSTER=VERSION/NAME, or create one: pg_createcluster $version main --port $PGPORT"
  fi
  say "creating PostgreSQL cluster $version/main on port $PGPORT (pg_createcluster)" >&2
  as_root pg_createcluster "$version" main --port "$PGPORT" >&2
  echo "$version main postgres"
}

# Development access: user postgres without a password on 127.0.0.1 and ::1 only. The rules go
# first in pg_hba.conf (the first matching line wins); the other lines stay as they are.
pg_trust_loopback() {  # version, name, owner
  local hba="$PG_CONF_ROOT/$1/$2/pg_hba.conf" marker="# lamadi development (deploy/check-servers.sh)"
  local current
  current=$(as_owner "$3" cat "$hba")
  if grep -qF "$marker" <<<"$current"; then return; fi
  say "PostgreSQL asks for a password on 127.0.0.1: giving user postgres trust auth on 127.0.0.1/32" \
    "and ::1/128 only, for local development, at the top of $hba"
  printf '%s\n' "$marker" "host all postgres 127.0.0.1/32 trust" "host all postgres ::1/128 trust" "" "$current" |
    as_owner "$3" tee "$hba" >/dev/null
  as_owner "$3" pg_ctlcluster --skip-systemctl-redirect "$1" "$2" reload
}

pg_psql() { PGCONNECT_TIMEOUT=5 psql -w -X -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -qtA "$@"; }

if wants postgresql; then
  cluster=()
  if ! port_open "$PGPORT"; then
    info=$(pg_cluster)  # an assignment, so that set -e stops here when pg_cluster fails
    read -r -a cluster <<<"$info"
    say "PostgreSQL ${cluster[0]}/${cluster[1]} is installed but stopped: starting it (pg_ctlcluster)"
    as_owner "${cluster[2]}" pg_ctlcluster --skip-systemctl-redirect "${cluster[0]}" "${cluster[1]}" start
    wait_port "$PGPORT" 30 PostgreSQL
  fi
  if command -v psql >/dev/null; then
    if ! error=$(pg_psql -c "SELECT 1" 2>&1 >/dev/null); then
      if [[ "$error" != *password* ]]; then fail "PostgreSQL on 127.0.0.1:$PGPORT refuses user postgres: $error"; fi
      if [ ${#cluster[@]} -eq 0 ] && pg_installed; then
        info=$(pg_cluster)
        read -r -a cluster <<<"$info"
      fi
      if [ ${#cluster[@]} -eq 0 ] || [ ! -d "$PG_CONF_ROOT/${cluster[0]}/${cluster[1]}" ]; then
        fail "PostgreSQL on 127.0.0.1:$PGPORT asks user postgres for a password and is not a cluster of this machine" \
          "add 'host all postgres 127.0.0.1/32 trust' to its pg_hba.conf, or set LAMADI_DATABASE_URL with the password"
      fi
      pg_trust_loopback "${cluster[@]}"
      pg_psql -c "SELECT 1" >/dev/null || fail "PostgreSQL still refuses user postgres on 127.0.0.1:$PGPORT"
    fi
    if [ "$(pg_psql -c "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" != 1 ]; then
      pg_psql -c "CREATE DATABASE \"$DATABASE\""
      say "created database $DATABASE"
    fi
  fi
  say "PostgreSQL answers on 127.0.0.1:$PGPORT"
fi

# --- RabbitMQ ------------------------------------------------------------------------------
if wants rabbitmq; then
  if ! port_open "$AMQP_PORT"; then
    say "RabbitMQ is installed but stopped: starting it (rabbitmq-server -detached)"
    as_owner rabbitmq rabbitmq-server -detached
    wait_port "$AMQP_PORT" 90 RabbitMQ
  fi
  if ! port_open "$MGMT_PORT"; then
    command -v rabbitmq-plugins >/dev/null ||
      fail "RabbitMQ's management API is not on 127.0.0.1:$MGMT_PORT and rabbitmq-plugins is not here to enable it"
    say "enabling RabbitMQ's management API (queue depths for /api/v1/ops/queues): rabbitmq-plugins enable rabbitmq_management"
    as_owner rabbitmq rabbitmq-plugins enable rabbitmq_management >/dev/null
    wait_port "$MGMT_PORT" 60 "RabbitMQ management API"
  fi
  say "RabbitMQ answers on 127.0.0.1:$AMQP_PORT (management API on $MGMT_PORT)"
fi

# --- PgBouncer -----------------------------------------------------------------------------
# Installed only: tests/integration/test_pgbouncer.py starts its own on a free port.
if wants pgbouncer; then say "PgBouncer is installed (the tests start their own)"; fi
