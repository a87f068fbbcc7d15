#!/usr/bin/env bash
# Proxy benchmark: pgbench through nothing (direct), PgBouncer (session mode), HAProxy (TCP relay) and Tenants,
# in one run on one machine, then an idle-connection memory test. Not part of ./dev test.
#
#   bench/proxy/run.sh
#
# Parameters (environment):
#   DURATION=20          seconds per run with 8 clients (and --connect)
#   DURATION_C1=10       seconds per run with 1 client
#   SCALE=10             pgbench -i scale
#   TARGETS="direct pgbouncer haproxy tenants"   which targets to run (direct is needed for the ratios)
#   CASES=all            or a space-separated subset of case names (see CASE_LIST below), e.g. "select-simple-c8"
#   IDLE_CONNECTIONS=5000  idle connections held through the Host (0 skips the idle test)
#   IDLE_UPSTREAM=pgbouncer  what the Host's idle endpoint points at: 'pgbouncer' (transaction mode, so PostgreSQL
#                        does not fork one backend per idle client) or 'direct' (max_connections is sized for it)
#   WARMUP=40            seconds of pgbench through the Host before measuring (JIT tiering settles), 0 for none
#   PROFILE=0            1: record a perf profile of the Host during one select-only c8 run (adds perf maps)
#   HOST_ENV=""          extra environment for the Host only, for experiments (e.g. runtime knobs); recorded
#   NOISY_RETRIES=0      repeat a run up to this many times when other work on the machine took more than
#                        NOISY_PCT (default 10) % of its CPU during it; the quietest attempt is kept
#   QUIET_WAIT=30        seconds to wait before each run for the machine to go quiet (other work counts as foreign CPU)
#   KEEP_DATA=0          1: keep the PostgreSQL data directories of the run
#   SKIP_BUILD=0         1: use the existing Release build
#   PLATFORM_STATS=0     1: load pg_stat_statements in the platform cluster and, for each run through the Host, write
#                        what the audit backend did per statement (commits, WAL, top statements) to
#                        platform-stats-<case>.txt
#   POLICY_RULES=0       N > 0: sign the bench tenant up and publish a policy of N rules (deny rules by command,
#                        relation, schema, missing WHERE and time window, masks and redaction scoped to other tables,
#                        a generous rate limit) before measuring, so every statement through the Host is evaluated
#                        against it; none of them denies or masks pgbench's statements. Compare with a run without.
#
# Output: .dev/bench/<timestamp>/ (raw pgbench logs, service logs, results.tsv, summary.md), and the summary on
# stdout. Every process it starts is stopped on exit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

DURATION=${DURATION:-20}
DURATION_C1=${DURATION_C1:-10}
SCALE=${SCALE:-10}
TARGETS=${TARGETS:-direct pgbouncer haproxy tenants}
CASES=${CASES:-all}
IDLE_CONNECTIONS=${IDLE_CONNECTIONS:-5000}
IDLE_UPSTREAM=${IDLE_UPSTREAM:-pgbouncer}
WARMUP=${WARMUP:-40}
PROFILE=${PROFILE:-0}
KEEP_DATA=${KEEP_DATA:-0}
SKIP_BUILD=${SKIP_BUILD:-0}
PLATFORM_STATS=${PLATFORM_STATS:-0}
POLICY_RULES=${POLICY_RULES:-0}

# Plaintext for every target: the Host answers SSLRequest with TLS by default (self-signed), PostgreSQL, PgBouncer
# and HAProxy here do not, and libpq's default sslmode=prefer would otherwise compare TLS through the Host with
# plaintext everywhere else. PGSSLMODE=require with TLS on the benchmark cluster is a separate comparison.
export PGSSLMODE=${PGSSLMODE:-disable}

OUT="$ROOT/.dev/bench/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
RESULTS="$OUT/results.tsv"
API_KEY="tk_bench_$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
CLK_TCK=$(getconf CLK_TCK)

say()  { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[1;33mwarning:\033[0m %s\n' "$*" >&2; }
die()  { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
# PostgreSQL and PgBouncer refuse to run as root; run them as the postgres OS user when we are root.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Below the ephemeral range (32768-60999), so that no outgoing connection holds a port we are about to bind.
NEXT_PORT=26400
alloc_port() { # VAR: the next free port from NEXT_PORT on (not in a subshell, so NEXT_PORT moves on)
  local p=$NEXT_PORT
  while port_in_use "$p"; do p=$((p + 1)); done
  NEXT_PORT=$((p + 1))
  printf -v "$1" '%s' "$p"
}

wait_port() { # port seconds
  local i
  for i in $(seq 1 $(($2 * 10))); do port_in_use "$1" && return 0; sleep 0.1; done
  return 1
}

# --- prerequisites -----------------------------------------------------------------------------

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
install_prerequisites() {
  local missing=()
  [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] || missing+=(postgresql)
  command -v pgbench >/dev/null || missing+=(postgresql-contrib)
  command -v psql >/dev/null || missing+=(postgresql-client)
  command -v pgbouncer >/dev/null || missing+=(pgbouncer)
  case " $TARGETS " in *" haproxy "*) command -v haproxy >/dev/null || missing+=(haproxy) ;; esac
  [ "$PROFILE" = 1 ] && ! command -v perf >/dev/null && missing+=(linux-perf)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]} (apt)"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  [ -x "$ROOT/node_modules/.bin/azurite-blob" ] || (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  command -v dotnet >/dev/null || die "the .NET SDK is required"
}

build() {
  if [ "$SKIP_BUILD" = 1 ]; then return; fi
  say "building the Host and the idle-connection tool (Release)"
  dotnet build -c Release "$ROOT/src/Tenants.Host" -nologo -v quiet >"$OUT/build.log" 2>&1 || { tail -n 30 "$OUT/build.log" >&2; die "build failed"; }
  dotnet build -c Release "$ROOT/bench/idle" -nologo -v quiet >>"$OUT/build.log" 2>&1 || { tail -n 30 "$OUT/build.log" >&2; die "build failed"; }
}

# --- services ----------------------------------------------------------------------------------

STARTED_CLUSTERS=()
PIDFILES=()
HOST_PID="" AZURITE_PID="" HAPROXY_PID="" IDLE_PID=""

stop_pid() { # pid: TERM, then KILL after 5 s
  [ -n "$1" ] || return 0
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 1 50); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
}

stop_all() {
  trap - INT TERM EXIT
  say "stopping the benchmark's services"
  exec 7>&- 2>/dev/null || true
  [ -n "$IDLE_PID" ] && kill "$IDLE_PID" 2>/dev/null || true
  if [ -n "$HOST_PID" ] && kill -0 "$HOST_PID" 2>/dev/null; then
    kill "$HOST_PID" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$HOST_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$HOST_PID" 2>/dev/null || true
  fi
  stop_pid "$HAPROXY_PID"
  stop_pid "$AZURITE_PID"
  local f
  for f in "${PIDFILES[@]}"; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  local dir
  for dir in "${STARTED_CLUSTERS[@]}"; do
    as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    [ "$KEEP_DATA" = 1 ] || rm -rf "$dir/data"
  done
  [ "$KEEP_DATA" = 1 ] || rm -rf "$OUT/azurite"
  say "results in $OUT"
}

start_cluster() { # name port max_connections [extra server options]
  local dir="$OUT/$1"
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
  as_pg "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; die "initdb $1 failed"; }
  as_pg bash -c "ulimit -n \$(ulimit -Hn); exec '$PG_BIN/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -t 120 \
    -o '-p $2 -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c shared_buffers=256MB -c max_connections=$3 ${4:-}' start" \
    >/dev/null || { tail -n 20 "$dir/server.log" >&2; die "PostgreSQL cluster $1 did not start"; }
  STARTED_CLUSTERS+=("$dir")
}

start_pgbouncer() { # name port pool_mode max_client_conn
  local dir="$OUT/pgbouncer-$1"
  mkdir -p "$dir"
  printf '"postgres" ""\n' >"$dir/userlist.txt"
  cat >"$dir/pgbouncer.ini" <<EOF
[databases]
* = host=127.0.0.1 port=$PG_PORT

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $2
unix_socket_dir =
auth_type = trust
auth_file = $dir/userlist.txt
pool_mode = $3
default_pool_size = 20
max_client_conn = $4
max_db_connections = 0
ignore_startup_parameters = extra_float_digits,options
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
EOF
  [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$dir"
  as_pg bash -c "ulimit -n \$(ulimit -Hn); exec pgbouncer -d '$dir/pgbouncer.ini'" >"$dir/stdout.log" 2>&1
  wait_port "$2" 20 || { cat "$dir/pgbouncer.log" >&2; die "PgBouncer $1 did not start"; }
  PIDFILES+=("$dir/pgbouncer.pid")
}

start_haproxy() {
  cat >"$OUT/haproxy.cfg" <<EOF
global
  maxconn 9000
defaults
  mode tcp
  timeout connect 5s
  timeout client 1h
  timeout server 1h
listen postgres
  bind 127.0.0.1:$HAPROXY_PORT
  server pg 127.0.0.1:$PG_PORT
EOF
  haproxy -db -f "$OUT/haproxy.cfg" >"$OUT/haproxy.log" 2>&1 &
  HAPROXY_PID=$!
  wait_port "$HAPROXY_PORT" 20 || { cat "$OUT/haproxy.log" >&2; die "HAProxy did not start"; }
}

start_azurite() {
  mkdir -p "$OUT/azurite"
  "$ROOT/node_modules/.bin/azurite-blob" --blobHost 127.0.0.1 --blobPort "$BLOB_PORT" --location "$OUT/azurite" \
    --skipApiVersionCheck --loose --silent >"$OUT/azurite.log" 2>&1 &
  AZURITE_PID=$!
  wait_port "$BLOB_PORT" 30 || die "Azurite did not start (see $OUT/azurite.log)"
}

# A policy of $1 rules that pgbench's statements never trip, published for the bench tenant (signed up first).
publish_policy() {
  local n=$1 rules="" i
  say "publishing a policy of $n rules for the bench tenant"
  curl -fsS -X POST -H 'Content-Type: application/json' "http://127.0.0.1:$HTTP_PORT/api/v1/signup" \
    -d '{"tenantId":"bench","tenantName":"Bench","email":"owner@bench.example","password":"bench-password-1234"}' >/dev/null \
    || die "signing the bench tenant up failed"
  rules='{"id":"rate","effect":"limit","statementsPerSecond":1000000},{"id":"mask-hr","effect":"mask","relations":["hr.*"],"columns":[{"schema":"hr","table":"staff","column":"salary","mask":"redact"}]},{"id":"redact-payroll","effect":"redact","relations":["payroll"]},{"id":"no-where","effect":"deny","missingWhere":true,"relations":["ledger_entries"]}'
  for ((i = 4; i < n; i++)); do
    case $((i % 4)) in
      0) rules+=",{\"id\":\"deny-$i\",\"effect\":\"deny\",\"relations\":[\"secret_$i\",\"audit.t$i\"]}" ;;
      1) rules+=",{\"id\":\"deny-$i\",\"effect\":\"deny\",\"commands\":[\"DROP TABLE\",\"TRUNCATE TABLE\"],\"databaseUsers\":[\"app_$i\"]}" ;;
      2) rules+=",{\"id\":\"deny-$i\",\"effect\":\"deny\",\"schemas\":[\"vault_$i\"],\"kinds\":[\"write\",\"ddl\"]}" ;;
      3) rules+=",{\"id\":\"deny-$i\",\"effect\":\"deny\",\"kinds\":[\"ddl\"],\"when\":{\"days\":[\"sat\",\"sun\"],\"from\":\"00:00\",\"to\":\"24:00\"},\"endpoints\":[\"other-$i\"]}" ;;
    esac
  done
  printf '{"description":"bench: %s rules","rules":[%s]}' "$n" "$rules" >"$OUT/policy.json"
  curl -fsS -X POST -H "Authorization: Bearer $API_KEY" -H 'Content-Type: application/json' \
    "http://127.0.0.1:$HTTP_PORT/api/v1/policies" --data-binary @"$OUT/policy.json" >"$OUT/policy-published.json" \
    || die "publishing the bench policy failed (see $OUT/policy.json)"
  # Measure only once the edge enforces it: a statement on a denied table must be refused (42501).
  local tries probe=""
  for tries in $(seq 1 60); do
    probe=$(psql -X -h 127.0.0.1 -p "$TENANTS_PORT" -U postgres -d bench -v VERBOSITY=verbose -c "select 1 from secret_4" 2>&1 || true)
    if grep -q 42501 <<<"$probe"; then
      say "the edge enforces the policy (a probe on a denied table got 42501)"
      return 0
    fi
    sleep 1
  done
  die "the edge did not enforce the bench policy within 60 s; the probe said: $probe"
}

start_host() {
  local idle_upstream_port=$PG_PORT
  [ "$IDLE_UPSTREAM" = pgbouncer ] && idle_upstream_port=$PGB_TXN_PORT
  local perf_env=()
  # Perf maps for JIT-compiled code; W^X double mapping hides those frames from perf, so it is off when profiling.
  [ "$PROFILE" = 1 ] && perf_env=(DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0)
  # Configuration exactly as ./dev up passes it, plus a dedicated port per endpoint (no routing mark needed).
  local extra_env=()
  # shellcheck disable=SC2206
  [ -n "${HOST_ENV:-}" ] && extra_env=($HOST_ENV)
  env "${perf_env[@]}" "${extra_env[@]}" \
    Kestrel__Endpoints__Http__Url="http://127.0.0.1:$HTTP_PORT" \
    ConnectionStrings__Postgres="Host=127.0.0.1;Port=$PLATFORM_PORT;Database=tenants;Username=postgres" \
    Ledger__Blob__ConnectionString="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$BLOB_PORT/devstoreaccount1;" \
    Ledger__Signing__KeyFile="$OUT/keys/ledger-signing.pem" \
    Edge__Port="$EDGE_PORT" Edge__Audit__SpoolPath="$OUT/edge-spool" \
    Edge__Endpoints__0__Id=bench Edge__Endpoints__0__TenantId=bench \
    Edge__Endpoints__0__UpstreamHost=127.0.0.1 Edge__Endpoints__0__UpstreamPort="$PG_PORT" \
    Edge__Endpoints__0__Port="$TENANTS_PORT" \
    Edge__Endpoints__1__Id=idle Edge__Endpoints__1__TenantId=idle \
    Edge__Endpoints__1__UpstreamHost=127.0.0.1 Edge__Endpoints__1__UpstreamPort="$idle_upstream_port" \
    Edge__Endpoints__1__Port="$TENANTS_IDLE_PORT" \
    Api__Keys__0__Key="$API_KEY" Api__Keys__0__TenantId=bench \
    Logging__LogLevel__Default=Warning \
    dotnet "$ROOT/src/Tenants.Host/bin/Release/net10.0/Tenants.Host.dll" --contentRoot "$ROOT/src/Tenants.Host" \
    >"$OUT/host.log" 2>&1 &
  HOST_PID=$!
  local ready=""
  for _ in $(seq 1 600); do
    if curl -fsS "http://127.0.0.1:$HTTP_PORT/health/ready" >"$OUT/host-ready.json" 2>/dev/null; then ready=1; break; fi
    kill -0 "$HOST_PID" 2>/dev/null || { tail -n 30 "$OUT/host.log" >&2; die "the Host exited during start"; }
    sleep 0.2
  done
  [ -n "$ready" ] || { tail -n 30 "$OUT/host.log" >&2; die "the Host did not become ready"; }
}

# --- measurement helpers -----------------------------------------------------------------------

# CPU ticks (utime+stime) of one process, all its threads.
cpu_ticks() { local f; read -r -a f < <(sed 's/^.*) //' "/proc/$1/stat"); echo $((f[11] + f[12])); }

# CPU ticks of a process and everything below it, including children it has reaped (cutime+cstime):
# for a postmaster this counts every backend, live or gone.
tree_ticks() {
  # One stream (not one file per process): processes come and go while we read.
  cat /proc/[0-9]*/stat 2>/dev/null | awk -v root="$1" '
    {
      pid = $1; line = $0; sub(/^.*\) /, "", line); split(line, f, " ")
      ppid[pid] = f[2]; own[pid] = f[12] + f[13]; reaped[pid] = f[14] + f[15]
    }
    END {
      total = own[root] + reaped[root]
      for (p in ppid) { q = p; while ((q in ppid) && q != root && q > 1) q = ppid[q]; if (q == root && p != root) total += own[p] + reaped[p] }
      print total + 0
    }'
}

# Busy ticks of the whole machine (user, nice, system, irq, softirq; not idle, iowait or steal).
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }

# Ticks of every service this benchmark started (both clusters with their backends, poolers, relay, Azurite, Host).
service_ticks() {
  local t=0 f
  t=$((t + $(tree_ticks "$(postmaster_pid "$OUT/pg-bench")") + $(tree_ticks "$(postmaster_pid "$OUT/pg-platform")")))
  for f in "$OUT"/pgbouncer-*/pgbouncer.pid; do t=$((t + $(cpu_ticks "$(cat "$f")"))); done
  [ -n "$HAPROXY_PID" ] && t=$((t + $(cpu_ticks "$HAPROXY_PID")))
  t=$((t + $(cpu_ticks "$AZURITE_PID") + $(cpu_ticks "$HOST_PID")))
  echo "$t"
}

# Other tenants of the machine (builds, tests) steal CPU from a benchmark on 2 cores. Before each run, wait (at most
# QUIET_WAIT seconds) until the machine has been nearly idle for a second; prints the busy share of the last second.
wait_quiet() {
  local m0 m1 busy=0 i
  for i in $(seq 1 "${QUIET_WAIT:-30}"); do
    m0=$(machine_ticks); sleep 1; m1=$(machine_ticks)
    busy=$(( (m1 - m0) * 100 / CLK_TCK ))
    [ "$busy" -le "${QUIET_BUSY_PCT:-15}" ] && break
  done
  echo "$busy"
}

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

postmaster_pid() { head -n 1 "$1/data/postmaster.pid"; }

ledger_field() { # tenant-key field
  curl -fsS -H "Authorization: Bearer $API_KEY" "http://127.0.0.1:$HTTP_PORT/api/v1/ledger" 2>/dev/null \
    | grep -o "\"$1\":[0-9]*" | head -n 1 | cut -d: -f2
}

# Is the search index complete (indexedSize >= sealedSize)? It trails the ledger, and its work is part of the cost.
index_complete() {
  curl -fsS -H "Authorization: Bearer $API_KEY" "http://127.0.0.1:$HTTP_PORT/api/v1/events?limit=1" 2>/dev/null | grep -q '"complete":true'
}

# Waits until the ledger has stopped growing, everything is sealed and the search index has caught up (it trails the
# ledger; its CPU is part of the audit's cost); prints the seconds waited.
wait_ledger_drained() {
  local start last size sealed stable=0
  start=$(date +%s.%N)
  last=$(ledger_field size || echo 0)
  for _ in $(seq 1 600); do
    sleep 0.5
    size=$(ledger_field size || echo 0)
    sealed=$(ledger_field sealedSize || echo 0)
    if [ "$size" = "$last" ] && [ "$sealed" = "$size" ] && index_complete; then stable=$((stable + 1)); else stable=0; fi
    last=$size
    [ "$stable" -ge 4 ] && break
  done
  awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s - 2 }'
}

# PLATFORM_STATS=1: what the platform cluster did for the audit of one run (reset before it, read after the drain).
platform_psql() { psql -qXAt -h 127.0.0.1 -p "$PLATFORM_PORT" -U postgres -d tenants "$@"; }
platform_stats_reset() {
  STATS_AZ0=$(cpu_ticks "$AZURITE_PID"); STATS_PG0=$(tree_ticks "$(postmaster_pid "$OUT/pg-platform")")
  platform_psql -c "select pg_stat_statements_reset(); select pg_stat_reset_shared('wal'); select pg_stat_reset();" >/dev/null
}
platform_stats() { # file entries
  {
    echo "entries added to the ledger: $2"
    awk -v a=$(( $(cpu_ticks "$AZURITE_PID") - STATS_AZ0 )) -v p=$(( $(tree_ticks "$(postmaster_pid "$OUT/pg-platform")") - STATS_PG0 )) -v n="$2" -v hz="$CLK_TCK" \
      'BEGIN { printf "CPU: platform PostgreSQL %.2f s (%.1f us per entry), Azurite %.2f s (%.1f us per entry)\n", p / hz, p / hz * 1e6 / (n > 0 ? n : 1), a / hz, a / hz * 1e6 / (n > 0 ? n : 1) }'
    platform_psql -F ' ' -c "select 'commits', xact_commit, 'per entry', round(xact_commit::numeric / greatest($2, 1), 4) from pg_stat_database where datname = 'tenants'"
    platform_psql -F ' ' -c "select 'wal records', wal_records, 'wal bytes', wal_bytes, 'wal writes', wal_write, 'wal syncs', wal_sync, 'bytes per entry', round(wal_bytes / greatest($2, 1), 1) from pg_stat_wal"
    platform_psql -F ' ' -c "select 'table', relname, 'ins', n_tup_ins, 'upd', n_tup_upd, 'del', n_tup_del from pg_stat_user_tables where n_tup_ins + n_tup_upd + n_tup_del > 0 order by 1"
    echo "top statements (calls, total ms, mean us, rows, wal bytes, query):"
    platform_psql -F ' | ' -c "select calls, round(total_exec_time::numeric, 1), round((total_exec_time * 1000 / calls)::numeric, 1), rows, wal_bytes, left(regexp_replace(query, '\s+', ' ', 'g'), 140) from pg_stat_statements order by total_exec_time desc limit 15"
  } >"$1" 2>&1 || true
}

target_port() {
  case $1 in
    direct) echo "$PG_PORT" ;; pgbouncer) echo "$PGB_PORT" ;; haproxy) echo "$HAPROXY_PORT" ;; tenants) echo "$TENANTS_PORT" ;;
  esac
}

# The proxy process whose CPU is charged to the target.
target_pid() {
  case $1 in
    pgbouncer) cat "$OUT/pgbouncer-session/pgbouncer.pid" ;; haproxy) echo "$HAPROXY_PID" ;; tenants) echo "$HOST_PID" ;; *) echo "" ;;
  esac
}

# name workload protocol clients threads connect duration statements-per-transaction
CASE_LIST=(
  "select-simple-c1 select-only simple 1 1 0 $DURATION_C1 1"
  "select-extended-c1 select-only extended 1 1 0 $DURATION_C1 1"
  "select-prepared-c1 select-only prepared 1 1 0 $DURATION_C1 1"
  "select-simple-c8 select-only simple 8 2 0 $DURATION 1"
  "select-extended-c8 select-only extended 8 2 0 $DURATION 1"
  "select-prepared-c8 select-only prepared 8 2 0 $DURATION 1"
  "tpcb-simple-c1 tpcb-like simple 1 1 0 $DURATION_C1 7"
  "tpcb-extended-c1 tpcb-like extended 1 1 0 $DURATION_C1 7"
  "tpcb-prepared-c1 tpcb-like prepared 1 1 0 $DURATION_C1 7"
  "tpcb-simple-c8 tpcb-like simple 8 2 0 $DURATION 7"
  "tpcb-extended-c8 tpcb-like extended 8 2 0 $DURATION 7"
  "tpcb-prepared-c8 tpcb-like prepared 8 2 0 $DURATION 7"
  "connect-simple-c8 select-only simple 8 2 1 $DURATION 1"
)

run_case() { # target name ...: run_once, repeated while the machine was noisy (NOISY_RETRIES)
  local attempt best="" best_noise="" line noise limit
  limit=$(awk -v d="$8" -v p="${NOISY_PCT:-10}" -v n="$(nproc)" 'BEGIN { print d * n * p / 100 }')
  for attempt in $(seq 0 "${NOISY_RETRIES:-0}"); do
    run_once "$@"
    line=$(tail -n 1 "$RESULTS"); sed -i '$ d' "$RESULTS"
    noise=$(printf '%s' "$line" | cut -f21)
    if [ -z "$best" ] || awk -v a="$noise" -v b="$best_noise" 'BEGIN { exit !(a < b) }'; then best=$line; best_noise=$noise; fi
    awk -v a="$best_noise" -v l="$limit" 'BEGIN { exit !(a <= l) }' && break
    [ "$attempt" -lt "${NOISY_RETRIES:-0}" ] && say "  $2 via $1: ${noise} s of foreign CPU (limit $limit s), repeating"
  done
  printf '%s\n' "$best" >>"$RESULTS"
}

run_once() { # target name workload protocol clients threads connect duration stmts
  local target=$1 name=$2 workload=$3 protocol=$4 clients=$5 threads=$6 connect=$7 duration=$8 stmts=$9
  local log="$OUT/pgbench-$name-$target.log" args=() pid="" ticks0=0 ticks1=0 ticks2=0 a0=0 a1=0 l0=0 l1=0 drain=""
  [ "$workload" = select-only ] && args+=(-S)
  [ "$connect" = 1 ] && args+=(-C)
  args+=(-M "$protocol" -c "$clients" -j "$threads" -T "$duration")
  pid=$(target_pid "$target")
  local load quiet
  quiet=$(wait_quiet)
  load=$(cut -d' ' -f1 /proc/loadavg)
  if [ "$target" = tenants ]; then
    l0=$(ledger_field size || echo 0)
    a0=$(( $(cpu_ticks "$AZURITE_PID") + $(tree_ticks "$(postmaster_pid "$OUT/pg-platform")") ))
    [ "$PLATFORM_STATS" = 1 ] && platform_stats_reset
  fi
  local perf_pid=""
  if [ "$PROFILE" = 1 ] && [ "$target" = tenants ] && [ "$name" = select-simple-c8 ]; then
    perf record -F 999 -g -p "$HOST_PID" -o "$OUT/perf-host.data" -- sleep $((duration - 2)) >"$OUT/perf-record.log" 2>&1 &
    perf_pid=$!
  fi
  [ -n "$pid" ] && ticks0=$(cpu_ticks "$pid")
  local status=0 m0 m1 s0 s1 client
  m0=$(machine_ticks); s0=$(service_ticks)
  # The subshell's `times` gives pgbench's own CPU (children of the subshell), in the last line of the log.
  (pgbench -h 127.0.0.1 -p "$(target_port "$target")" -U postgres "${args[@]}" bench >"$log" 2>&1; rc=$?; times >"$log.times"; exit $rc) || status=$?
  m1=$(machine_ticks); s1=$(service_ticks)
  [ -n "$pid" ] && ticks1=$(cpu_ticks "$pid")
  client=$(tail -n 1 "$log.times" | awk '{ t = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] } print t }')
  # CPU used during the run by anything but pgbench and our services: other work on the machine, i.e. noise.
  local noise
  noise=$(awk -v m=$((m1 - m0)) -v s=$((s1 - s0)) -v c="$client" -v hz="$CLK_TCK" 'BEGIN { n = (m - s) / hz - c; printf "%.1f", n < 0 ? 0 : n }')
  [ -n "$perf_pid" ] && { wait "$perf_pid" || true; }
  if [ "$target" = tenants ]; then
    drain=$(wait_ledger_drained)
    ticks2=$(cpu_ticks "$pid")
    a1=$(( $(cpu_ticks "$AZURITE_PID") + $(tree_ticks "$(postmaster_pid "$OUT/pg-platform")") ))
    l1=$(ledger_field size || echo 0)
    [ "$PLATFORM_STATS" = 1 ] && platform_stats "$OUT/platform-stats-$name.txt" "$((l1 - l0))"
  else
    ticks2=$ticks1
  fi
  local tps lat txns failed
  tps=$(grep -oP '^tps = \K[0-9.]+' "$log" | head -n 1 || true)
  lat=$(grep -oP '^latency average = \K[0-9.]+' "$log" | head -n 1 || true)
  txns=$(grep -oP '^number of transactions actually processed: \K[0-9]+' "$log" | head -n 1 || true)
  failed=$(grep -oP '^number of failed transactions: \K[0-9]+' "$log" | head -n 1 || echo 0)
  [ "$status" -eq 0 ] && [ -n "$tps" ] || { warn "$name via $target: pgbench exited $status (see $log)"; tps=${tps:-0}; lat=${lat:-0}; txns=${txns:-0}; failed="aborted"; }
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
    "$name" "$target" "$workload" "$protocol" "$clients" "$connect" "$duration" "$stmts" "$tps" "$lat" "$txns" "$failed" \
    "$(awk -v t=$((ticks1 - ticks0)) -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", t / hz }')" \
    "$(awk -v t=$((ticks2 - ticks0)) -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", t / hz }')" \
    "$(awk -v t=$((a1 - a0)) -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", t / hz }')" \
    "$((l1 - l0))" "${drain:-0}" "$load" "$quiet" "$client" "$noise" >>"$RESULTS"
  say "$(printf '%-20s %-10s tps %10s  lat %7s ms  foreign cpu %5s s  proxy cpu %6s s' "$name" "$target" "$tps" "$lat" "$noise" \
    "$(awk -v t=$((ticks2 - ticks0)) -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", t / hz }')")$( [ "$target" = tenants ] && echo "  ledger +$((l1 - l0)) (drained in ${drain}s)")"
}

# --- the idle-connection test ------------------------------------------------------------------

IDLE_SUMMARY=""
idle_test() {
  local n=$IDLE_CONNECTIONS
  [ "$n" -gt 0 ] || return 0
  say "idle test: $n connections through the Host (endpoint 'idle' -> $IDLE_UPSTREAM)"
  local pgb_pid=""
  [ "$IDLE_UPSTREAM" = pgbouncer ] && pgb_pid=$(cat "$OUT/pgbouncer-txn/pgbouncer.pid")
  sleep 5
  local host0 host1 host2 pgb0=0 pgb1=0
  host0=$(rss_kb "$HOST_PID"); [ -n "$pgb_pid" ] && pgb0=$(rss_kb "$pgb_pid")
  rm -f "$OUT/idle.in"; mkfifo "$OUT/idle.in"
  (ulimit -n "$(ulimit -Hn)"; exec dotnet "$ROOT/bench/idle/bin/Release/net10.0/tenants-bench-idle.dll" \
    "Host=127.0.0.1;Port=$TENANTS_IDLE_PORT;Username=postgres;Database=bench;SSL Mode=$( [ "$PGSSLMODE" = disable ] && echo Disable || echo Prefer)" "$n" 32 <"$OUT/idle.in" >"$OUT/idle.log" 2>&1) &
  IDLE_PID=$!
  exec 7>"$OUT/idle.in"
  local ok=""
  for _ in $(seq 1 1200); do
    grep -q '^ready' "$OUT/idle.log" 2>/dev/null && { ok=1; break; }
    kill -0 "$IDLE_PID" 2>/dev/null || break
    sleep 0.5
  done
  [ -n "$ok" ] || { cat "$OUT/idle.log" >&2; warn "the idle tool did not open its connections"; return 0; }
  local opened
  opened=$(grep -oP '^ready \K[0-9]+' "$OUT/idle.log")
  sleep 10 # let the connections settle (startup buffers returned, GC run)
  host1=$(rss_kb "$HOST_PID"); [ -n "$pgb_pid" ] && pgb1=$(rss_kb "$pgb_pid")
  exec 7>&-
  wait "$IDLE_PID" || true
  IDLE_PID=""
  sleep 5
  host2=$(rss_kb "$HOST_PID")
  IDLE_SUMMARY=$(awk -v n="$opened" -v h0="$host0" -v h1="$host1" -v h2="$host2" -v p0="$pgb0" -v p1="$pgb1" -v up="$IDLE_UPSTREAM" 'BEGIN {
    printf "| Idle connections held | %d |\n", n
    printf "| Host RSS before / holding / after closing | %.0f / %.0f / %.0f MB |\n", h0/1024, h1/1024, h2/1024
    printf "| Host RSS per idle connection | %.1f KB |\n", (h1-h0)/n
    if (up == "pgbouncer") printf "| PgBouncer (transaction mode, the upstream) RSS per idle client | %.1f KB |\n", (p1-p0)/n
  }')
  printf 'idle\t%s\t%s\t%s\t%s\t%s\t%s\n' "$opened" "$host0" "$host1" "$host2" "$pgb0" "$pgb1" >"$OUT/idle.tsv"
}

# --- the summary -------------------------------------------------------------------------------

summary() {
  awk -F'\t' -v targets="$TARGETS" '
    BEGIN { nt = split(targets, T, " ") }
    NR == 1 { next }
    {
      key = $1; t = $2
      if (!(key in seen)) { seen[key] = 1; order[++n] = key }
      tps[key, t] = $9; lat[key, t] = $10; txns[key, t] = $11; failed[key, t] = $12
      cpu[key, t] = $13; cpuall[key, t] = $14; audit[key, t] = $15; ledger[key, t] = $16; stmts[key] = $8; clients[key] = $5
      if ($21 > noise[key]) noise[key] = $21
    }
    END {
      printf "| case |"
      for (i = 1; i <= nt; i++) printf " %s TPS (lat ms) |", T[i]
      for (i = 1; i <= nt; i++) if (T[i] != "direct") printf " %s ratio |", T[i]
      printf " Tenants added latency (us) | Tenants CPU us/txn (us/stmt) | audit backend CPU us/txn | PgBouncer CPU us/txn | foreign CPU s (max) |\n"
      printf "|---|"; for (i = 1; i <= nt; i++) printf "---|"; for (i = 1; i <= nt; i++) if (T[i] != "direct") printf "---|"; printf "---|---|---|---|---|\n"
      for (k = 1; k <= n; k++) {
        key = order[k]; printf "| %s |", key
        for (i = 1; i <= nt; i++) { t = T[i]; if (failed[key, t] == "aborted") printf " aborted |"; else printf " %s (%s) |", tps[key, t], lat[key, t] }
        for (i = 1; i <= nt; i++) { t = T[i]; if (t == "direct") continue
          if (tps[key, "direct"] > 0 && failed[key, t] != "aborted") printf " %.2fx |", tps[key, t] / tps[key, "direct"]; else printf " - |" }
        if (clients[key] == 1 && lat[key, "tenants"] != "") printf " %+.0f |", (lat[key, "tenants"] - lat[key, "direct"]) * 1000; else printf " - |"
        if (txns[key, "tenants"] > 0) printf " %.1f (%.1f) |", cpuall[key, "tenants"] * 1e6 / txns[key, "tenants"], cpuall[key, "tenants"] * 1e6 / txns[key, "tenants"] / stmts[key]; else printf " - |"
        if (txns[key, "tenants"] > 0) printf " %.1f |", audit[key, "tenants"] * 1e6 / txns[key, "tenants"]; else printf " - |"
        if (txns[key, "pgbouncer"] > 0) printf " %.1f |", cpu[key, "pgbouncer"] * 1e6 / txns[key, "pgbouncer"]; else printf " - |"
        printf " %.1f |\n", noise[key]
      }
    }' "$RESULTS"
}

audit_check() {
  # Each statement is one event; a --connect transaction adds connection accepted, login and session end.
  awk -F'\t' 'NR > 1 && $2 == "tenants" { want += $11 * $8 + ($6 == 1 ? $11 * 3 : 0); got += $16 }
    END { printf "%d %d\n", want, got }' "$RESULTS"
}

# --- main --------------------------------------------------------------------------------------

main() {
  install_prerequisites
  build
  trap stop_all INT TERM EXIT
  trap 'warn "failed at line $LINENO: $BASH_COMMAND"' ERR
  ulimit -n "$(ulimit -Hn)"

  local v
  for v in PG_PORT PLATFORM_PORT PGB_PORT PGB_TXN_PORT HAPROXY_PORT BLOB_PORT HTTP_PORT EDGE_PORT TENANTS_PORT TENANTS_IDLE_PORT; do
    alloc_port "$v"
  done

  local max_conn=200
  [ "$IDLE_UPSTREAM" = direct ] && max_conn=$((IDLE_CONNECTIONS + 200))
  say "starting PostgreSQL (benchmark cluster on $PG_PORT, platform cluster on $PLATFORM_PORT)"
  start_cluster pg-bench "$PG_PORT" "$max_conn"
  start_cluster pg-platform "$PLATFORM_PORT" 100 "$( [ "$PLATFORM_STATS" = 1 ] && echo '-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all' )"
  psql -qX -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "create database bench" >/dev/null
  psql -qX -h 127.0.0.1 -p "$PLATFORM_PORT" -U postgres -d postgres -c "create database tenants" >/dev/null
  [ "$PLATFORM_STATS" = 1 ] && psql -qX -h 127.0.0.1 -p "$PLATFORM_PORT" -U postgres -d tenants -c "create extension pg_stat_statements" >/dev/null

  say "starting PgBouncer (session mode on $PGB_PORT; transaction mode on $PGB_TXN_PORT for the idle test)"
  start_pgbouncer session "$PGB_PORT" session 1000
  start_pgbouncer txn "$PGB_TXN_PORT" transaction $((IDLE_CONNECTIONS + 1000))
  case " $TARGETS " in *" haproxy "*) say "starting HAProxy (TCP mode on $HAPROXY_PORT)"; start_haproxy ;; esac
  say "starting Azurite and the Host (endpoint 'bench' on its own port $TENANTS_PORT)"
  start_azurite
  start_host

  [ "$POLICY_RULES" -gt 0 ] && publish_policy "$POLICY_RULES"

  say "pgbench -i -s $SCALE (direct)"
  pgbench -h 127.0.0.1 -p "$PG_PORT" -U postgres -i -s "$SCALE" bench >"$OUT/pgbench-init.log" 2>&1 || { cat "$OUT/pgbench-init.log" >&2; die "pgbench -i failed"; }
  psql -qX -h 127.0.0.1 -p "$PG_PORT" -U postgres -d bench -c "vacuum analyze" >/dev/null

  if [ "$WARMUP" -gt 0 ]; then
    # The Host's JIT (tiered compilation, dynamic PGO) is busy for the first seconds of traffic; measure it warm.
    say "warming the Host up: ${WARMUP} s of pgbench (all protocols, both workloads) through it"
    local mode
    for mode in simple extended prepared; do
      pgbench -h 127.0.0.1 -p "$TENANTS_PORT" -U postgres -S -M "$mode" -c 8 -j 2 -T $((WARMUP / 4)) bench >>"$OUT/pgbench-warmup.log" 2>&1 || true
    done
    pgbench -h 127.0.0.1 -p "$TENANTS_PORT" -U postgres -M prepared -c 8 -j 2 -T $((WARMUP / 4)) bench >>"$OUT/pgbench-warmup.log" 2>&1 || true
    wait_ledger_drained >/dev/null
  fi

  local ledger_start
  ledger_start=$(ledger_field size || echo 0)
  printf 'case\ttarget\tworkload\tprotocol\tclients\tconnect\tduration_s\tstmts_per_txn\ttps\tlatency_ms\ttxns\tfailed\tproxy_cpu_s\tproxy_cpu_incl_drain_s\taudit_backend_cpu_s\tledger_delta\tdrain_s\tload1\tbusy_pct_before\tpgbench_cpu_s\tforeign_cpu_s\n' >"$RESULTS"
  local spec name
  for spec in "${CASE_LIST[@]}"; do
    # shellcheck disable=SC2086
    set -- $spec
    name=$1
    [ "$CASES" = all ] || [[ " $CASES " == *" $name "* ]] || continue
    local target
    for target in $TARGETS; do
      run_case "$target" "$@"
    done
  done

  idle_test

  local check want got verify
  check=$(audit_check); want=${check% *}; got=${check#* }
  verify=$(curl -sS --max-time 600 -H "Authorization: Bearer $API_KEY" "http://127.0.0.1:$HTTP_PORT/api/v1/ledger/verify" 2>&1 | head -c 600 || true)
  curl -fsS -H "Authorization: Bearer $API_KEY" "http://127.0.0.1:$HTTP_PORT/api/v1/ledger" >"$OUT/ledger-status.json" 2>/dev/null || true
  curl -fsS -H "Authorization: Bearer $API_KEY" "http://127.0.0.1:$HTTP_PORT/api/v1/events?limit=5" >"$OUT/events-sample.json" 2>/dev/null || true
  local dropped
  dropped=$(grep -c 'dropped' "$OUT/host.log" || true)

  {
    echo "# Proxy benchmark $(basename "$OUT")"
    echo
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ { printf "%.1f GiB", $2/1048576 }' /proc/meminfo) RAM;" \
      "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'), $(pgbouncer --version | head -n 1), $(haproxy -v 2>/dev/null | head -n 1 | awk '{print "HAProxy " $3}'), .NET $(dotnet --version)."
    [ -n "${HOST_ENV:-}" ] && echo "Host started with extra environment: \`$HOST_ENV\`."
    echo "Durations: ${DURATION} s (8 clients, --connect), ${DURATION_C1} s (1 client); pgbench -i -s $SCALE."
    echo
    summary
    echo
    if [ -n "$IDLE_SUMMARY" ]; then echo "| Idle test | |"; echo "|---|---|"; echo "$IDLE_SUMMARY"; echo; fi
    echo "Audit trail: the Tenants runs needed at least $want ledger entries (transactions x statements, plus connection"
    echo "events for --connect); the ledger grew by $got (ledger size $ledger_start before the matrix, now $(grep -o '"size":[0-9]*' "$OUT/ledger-status.json" | cut -d: -f2))."
    echo "$( [ "$got" -ge "$want" ] && echo "Every statement was recorded." || echo "MISSING ENTRIES: $((want - got)).") Audit-queue drop warnings in the Host log: $dropped."
    echo
    echo "Ledger verification: \`$(echo "$verify" | tr -d '\n' | head -c 400)\`"
  } >"$OUT/summary.md"
  cat "$OUT/summary.md"
  if [ "$PROFILE" = 1 ] && [ -f "$OUT/perf-host.data" ]; then
    perf report -i "$OUT/perf-host.data" --no-children --sort dso,symbol --stdio 2>/dev/null | head -n 120 >"$OUT/perf-host.txt" || true
    say "profile of the Host: $OUT/perf-host.txt"
  fi
}

main "$@"
