#!/bin/sh
# Creates abuse-radar's roles (access.sql beside this file) and its two users, with passwords taken
# from the environment, never from this repository:
#
#   ABUSE_RADAR_WRITER_PASSWORD  user abuse_radar, role abuse_radar_writer: the processor
#                                (the Secret abuse-radar-clickhouse, key password)
#   ABUSE_RADAR_READER_PASSWORD  user abuse_radar_grafana, role abuse_radar_reader: Grafana, analysts
#
# Where: CLICKHOUSE_HOST (127.0.0.1), CLICKHOUSE_PORT (9000; 9440 with CLICKHOUSE_SECURE=1),
# CLICKHOUSE_USER / CLICKHOUSE_PASSWORD (an administrator). CLICKHOUSE_CLUSTER: a cluster name to run
# every statement ON CLUSTER (not needed with replicated access storage, k8s/README.md).
# Idempotent (IF NOT EXISTS). Also run by compose.yaml as a ClickHouse init script.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
access_sql=${ACCESS_SQL:-$here/access.sql}
: "${ABUSE_RADAR_WRITER_PASSWORD:?set ABUSE_RADAR_WRITER_PASSWORD}"
: "${ABUSE_RADAR_READER_PASSWORD:?set ABUSE_RADAR_READER_PASSWORD}"
cluster=${CLICKHOUSE_CLUSTER:-}

set -- --host "${CLICKHOUSE_HOST:-127.0.0.1}" --user "${CLICKHOUSE_USER:-default}" --multiquery
[ -n "${CLICKHOUSE_PORT:-}" ] && set -- "$@" --port "$CLICKHOUSE_PORT"
[ "${CLICKHOUSE_SECURE:-0}" = 1 ] && set -- "$@" --secure
[ -n "${CLICKHOUSE_PASSWORD:-}" ] && set -- "$@" --password "$CLICKHOUSE_PASSWORD"

# A single-quoted SQL string literal (printf, not echo: sh's echo would eat the backslashes).
quote() { printf "'%s'" "$(printf '%s' "$1" | sed -e "s/\\\\/\\\\\\\\/g" -e "s/'/\\\\'/g")"; }

on_cluster() {
  if [ -z "$cluster" ]; then cat; return; fi
  c=$(quote "$cluster")
  sed -E \
    -e "s/^(CREATE (ROLE|USER|SETTINGS PROFILE) IF NOT EXISTS [A-Za-z0-9_]+)/\\1 ON CLUSTER $c/" \
    -e "s/^GRANT /GRANT ON CLUSTER $c /"
}

{
  grep -v -e '^--' -e '^[[:space:]]*$' "$access_sql"
  # ON CLUSTER DDL needs the CLUSTER privilege (access_control_improvements.on_cluster_queries_require_cluster_grant).
  [ -n "$cluster" ] && echo "GRANT CLUSTER ON *.* TO abuse_radar_writer;"
  printf '%s\n' "CREATE USER IF NOT EXISTS abuse_radar IDENTIFIED WITH sha256_password BY $(quote "$ABUSE_RADAR_WRITER_PASSWORD") DEFAULT ROLE abuse_radar_writer;"
  echo "GRANT abuse_radar_writer TO abuse_radar;"
  printf '%s\n' "CREATE USER IF NOT EXISTS abuse_radar_grafana IDENTIFIED WITH sha256_password BY $(quote "$ABUSE_RADAR_READER_PASSWORD") DEFAULT ROLE abuse_radar_reader;"
  echo "GRANT abuse_radar_reader TO abuse_radar_grafana;"
} | on_cluster | clickhouse client "$@"
echo "create-users.sh: roles abuse_radar_writer, abuse_radar_reader; users abuse_radar, abuse_radar_grafana${cluster:+ on cluster $cluster}"
