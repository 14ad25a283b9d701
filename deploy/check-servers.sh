#!/usr/bin/env bash
# Makes sure PostgreSQL and RabbitMQ answer on 127.0.0.1: starts them when they are installed
# but stopped, and says exactly what is missing otherwise. Also enables RabbitMQ's management
# API (queue depths for operations) and creates the development database.
set -euo pipefail

PGHOST=127.0.0.1 PGPORT=5432 AMQP_PORT=5672 MGMT_PORT=15672
missing=()

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() {  # port, seconds, name
  for _ in $(seq 1 "$2"); do port_open "$1" && return 0; sleep 1; done
  echo "error: $3 did not start listening on 127.0.0.1:$1 within $2 s" >&2; return 1
}

if ! port_open $PGPORT; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ] && [ -n "$(ls /etc/postgresql 2>/dev/null)" ]; then
    echo "PostgreSQL is installed but stopped: starting it"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
    wait_port $PGPORT 30 PostgreSQL
  else
    missing+=("PostgreSQL server (Debian: apt-get install postgresql), listening on 127.0.0.1:$PGPORT with trust auth for user postgres")
  fi
fi

if ! port_open $AMQP_PORT; then
  if command -v rabbitmq-server >/dev/null; then
    echo "RabbitMQ is installed but stopped: starting it"
    rabbitmq-server -detached
    wait_port $AMQP_PORT 90 RabbitMQ
  else
    missing+=("RabbitMQ server (Debian: apt-get install rabbitmq-server), listening on 127.0.0.1:$AMQP_PORT, user guest/guest")
  fi
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "Lamadi needs these servers and they are not installed:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit 1
fi

if ! port_open $MGMT_PORT; then
  if command -v rabbitmq-plugins >/dev/null; then
    echo "Enabling RabbitMQ's management API (queue depths for /api/v1/ops/queues)"
    rabbitmq-plugins enable rabbitmq_management >/dev/null
    wait_port $MGMT_PORT 60 "RabbitMQ management API"
  else
    echo "error: RabbitMQ's management API is not on 127.0.0.1:$MGMT_PORT and rabbitmq-plugins is not here to enable it" >&2
    exit 1
  fi
fi

if command -v psql >/dev/null; then
  if ! psql -h $PGHOST -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'lamadi'" postgres | grep -q 1; then
    psql -h $PGHOST -U postgres -qc "CREATE DATABASE lamadi" postgres
    echo "Created database lamadi"
  fi
fi
echo "PostgreSQL and RabbitMQ are up"
