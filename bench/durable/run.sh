#!/usr/bin/env bash
# Durable-mode benchmark, through the real path. Not part of ./dev test.
#
#   bench/durable/run.sh
#
# (a) Ledger throughput: bench/ledger-grain (a one-silo host with the real ledger grain, blocks in Azurite) with each
#     journal, for one tenant and for 100 tenants.
# (b) Latency durable mode adds per statement: the Host (silo, api, edge) over PostgreSQL and Azurite, 8 pgbench
#     clients running a one-row INSERT (prepared) directly, through an endpoint whose writes are sequenced, and through
#     one whose writes are durable; once with each journal (Ledger:Journal=Blob, then Postgres). p50/p99 come from
#     pgbench's per-transaction log.
#
# Both PostgreSQL clusters run with the server defaults (fsync on, synchronous_commit on): the journal's commits are
# real flushes. Parameters (environment):
#   DURATION=15        seconds per latency run          GRAIN_SECONDS=10  seconds per throughput run
#   JOURNALS="Blob Postgres"                            PARTS="a b"       which parts to run
#   GRAIN_SPECS="1 8 1;1 64 256;100 100 64"             (a): "tenants callers batch" runs, ;-separated
#   SKIP_BUILD=0       1: use the existing Release build
#   WARMUP=20          (b): seconds of durable load before measuring, so that the JIT has finished tiering up
#   PLATFORM_PG_OPTIONS=  server options of the platform cluster (journal, index, grain state), e.g. "-c wal_writer_delay=10ms"
#   HOST_ENV=          (b): extra NAME=value settings for the Host, e.g. "Ledger__MaxBlockDelay=00:00:01"
#   RATE=              (b): total transactions per second the 8 clients offer (pgbench -R); empty: as fast as they can.
#                      With a rate every path carries the same load, so the difference is what the path adds rather
#                      than queueing at its own saturation; latencies are then pgbench's per-transaction time minus its
#                      schedule lag (from the statement's start to its result).
# Output: .dev/bench/durable-<timestamp>/ (logs, summary.md); the summary on stdout.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 PGSSLMODE=disable
DURATION=${DURATION:-15}
GRAIN_SECONDS=${GRAIN_SECONDS:-10}
JOURNALS=${JOURNALS:-Blob Postgres}
PARTS=${PARTS:-a b}
GRAIN_SPECS=${GRAIN_SPECS:-1 8 1;1 64 256;100 100 64}
SKIP_BUILD=${SKIP_BUILD:-0}
RATE=${RATE:-}
HOST_ENV=${HOST_ENV:-}
WARMUP=${WARMUP:-20}
PLATFORM_PG_OPTIONS=${PLATFORM_PG_OPTIONS:-}
OUT="$ROOT/.dev/bench/durable-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
API_KEY="tk_bench_$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
AZURITE_KEY="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

say()  { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die()  { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
NEXT_PORT=27400
alloc_port() { local p=$NEXT_PORT; while port_in_use "$p"; do p=$((p + 1)); done; NEXT_PORT=$((p + 1)); printf -v "$1" '%s' "$p"; }
wait_port() { local i; for i in $(seq 1 $(($2 * 10))); do port_in_use "$1" && return 0; sleep 0.1; done; return 1; }

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
[ -x "$PG_BIN/initdb" ] || die "PostgreSQL server binaries are required (apt-get install postgresql)"
command -v pgbench >/dev/null || die "pgbench is required (apt-get install postgresql-contrib)"
[ -x "$ROOT/node_modules/.bin/azurite-blob" ] || (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)

STARTED_CLUSTERS=() HOST_PID="" AZURITE_PID=""
stop_pid() { [ -n "$1" ] || return 0; kill "$1" 2>/dev/null || return 0; for _ in $(seq 1 300); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done; kill -9 "$1" 2>/dev/null || true; }
stop_all() {
  trap - INT TERM EXIT
  stop_pid "$HOST_PID"; stop_pid "$AZURITE_PID"
  local dir; for dir in "${STARTED_CLUSTERS[@]}"; do as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$dir/data"; done
  rm -rf "$OUT/azurite"
  say "results in $OUT"
}

start_cluster() { # name port [extra server options]
  local dir="$OUT/$1"; mkdir -p "$dir"; [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
  as_pg "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || die "initdb $1 failed"
  as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 120 \
    -o "-p $2 -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c shared_buffers=256MB -c max_connections=300 ${3:-}" start >/dev/null \
    || { tail -n 20 "$dir/server.log" >&2; die "PostgreSQL $1 did not start"; }
  STARTED_CLUSTERS+=("$dir")
}

start_host() { # journal
  env Kestrel__Endpoints__Http__Url="http://127.0.0.1:$HTTP_PORT" \
    ConnectionStrings__Postgres="Host=127.0.0.1;Port=$PLATFORM_PORT;Database=tenants;Username=postgres" \
    Ledger__Journal="$1" \
    Ledger__Blob__ConnectionString="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$AZURITE_KEY;BlobEndpoint=http://127.0.0.1:$BLOB_PORT/devstoreaccount1;" \
    Ledger__Signing__KeyFile="$OUT/keys/ledger-signing.pem" \
    Edge__Port="$EDGE_PORT" Edge__Audit__SpoolPath="$OUT/spool-$1" \
    Edge__Endpoints__0__Id=seq Edge__Endpoints__0__TenantId=bench Edge__Endpoints__0__UpstreamHost=127.0.0.1 \
    Edge__Endpoints__0__UpstreamPort="$PG_PORT" Edge__Endpoints__0__Port="$SEQ_PORT" Edge__Endpoints__0__Durability__Write=Sequenced \
    Edge__Endpoints__1__Id=dur Edge__Endpoints__1__TenantId=bench Edge__Endpoints__1__UpstreamHost=127.0.0.1 \
    Edge__Endpoints__1__UpstreamPort="$PG_PORT" Edge__Endpoints__1__Port="$DUR_PORT" Edge__Endpoints__1__Durability__Write=Durable \
    Api__Keys__0__Key="$API_KEY" Api__Keys__0__TenantId=bench \
    Logging__LogLevel__Default=Warning $HOST_ENV \
    dotnet "$ROOT/src/Tenants.Host/bin/Release/net10.0/Tenants.Host.dll" --contentRoot "$ROOT/src/Tenants.Host" >"$OUT/host-$1.log" 2>&1 &
  HOST_PID=$!
  for _ in $(seq 1 600); do
    curl -fsS "http://127.0.0.1:$HTTP_PORT/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$HOST_PID" 2>/dev/null || { tail -n 30 "$OUT/host-$1.log" >&2; die "the Host exited during start"; }
    sleep 0.2
  done
  die "the Host did not become ready"
}

# pgbench with a per-transaction log; prints "tps p50_ms p99_ms failed"
latency_run() { # label port
  local dir="$OUT/pgbench-$1"; mkdir -p "$dir"
  local rate=()
  [ -n "$RATE" ] && rate=(-R "$RATE")
  (cd "$dir" && pgbench -h 127.0.0.1 -p "$2" -U postgres -n -M prepared -c 8 -j 2 -T "$DURATION" "${rate[@]}" -f "$OUT/insert.sql" \
    -l --log-prefix=tx bench >"$dir/pgbench.log" 2>&1) || true
  local tps failed
  tps=$(grep -oP '^tps = \K[0-9.]+' "$dir/pgbench.log" | head -n 1 || echo 0)
  failed=$(grep -oP '^number of failed transactions: \K[0-9]+' "$dir/pgbench.log" | head -n 1 || echo 0)
  # Column 3 is the transaction's time; with a rate it counts from the scheduled start, and column 7 is the lag.
  cat "$dir"/tx.* | awk '{ print (NF >= 7 ? $3 - $7 : $3) }' | sort -n | awk -v tps="$tps" -v f="$failed" '{ v[NR] = $1 } END {
    if (NR == 0) { print tps, 0, 0, f; exit }
    printf "%s %.3f %.3f %s\n", tps, v[int(NR * 0.50) + 1] / 1000, v[int(NR * 0.99) + 1] / 1000, f }'
}

main() {
  if [ "$SKIP_BUILD" != 1 ]; then
    say "building the Host and bench/ledger-grain (Release)"
    dotnet build -c Release "$ROOT/src/Tenants.Host" -nologo -v quiet >"$OUT/build.log" 2>&1 || { tail -n 30 "$OUT/build.log" >&2; die "build failed"; }
    dotnet build -c Release "$ROOT/bench/ledger-grain" -nologo -v quiet >>"$OUT/build.log" 2>&1 || { tail -n 30 "$OUT/build.log" >&2; die "build failed"; }
  fi
  trap stop_all INT TERM EXIT
  local v; for v in PG_PORT PLATFORM_PORT BLOB_PORT HTTP_PORT EDGE_PORT SEQ_PORT DUR_PORT; do alloc_port "$v"; done
  say "starting PostgreSQL (upstream $PG_PORT, platform $PLATFORM_PORT; server defaults: fsync and synchronous_commit on) and Azurite"
  start_cluster pg-bench "$PG_PORT"
  start_cluster pg-platform "$PLATFORM_PORT" "$PLATFORM_PG_OPTIONS"
  psql -qX -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "create database bench" >/dev/null
  psql -qX -h 127.0.0.1 -p "$PG_PORT" -U postgres -d bench -c "create table durable_bench (id bigserial primary key, client int, v int, at timestamptz default now())" >/dev/null
  psql -qX -h 127.0.0.1 -p "$PLATFORM_PORT" -U postgres -d postgres -c "create database tenants" >/dev/null
  mkdir -p "$OUT/azurite"
  "$ROOT/node_modules/.bin/azurite-blob" --blobHost 127.0.0.1 --blobPort "$BLOB_PORT" --location "$OUT/azurite" --skipApiVersionCheck --loose --silent >"$OUT/azurite.log" 2>&1 &
  AZURITE_PID=$!
  wait_port "$BLOB_PORT" 30 || die "Azurite did not start"
  local blob="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$AZURITE_KEY;BlobEndpoint=http://127.0.0.1:$BLOB_PORT/devstoreaccount1;"
  printf '\\set v random(1, 1000000)\nINSERT INTO durable_bench (client, v) VALUES (:client_id, :v);\n' >"$OUT/insert.sql"

  {
    echo "# Durable-mode benchmark $(basename "$OUT")"
    echo
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'), .NET $(dotnet --version); load before: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo
  } >"$OUT/summary.md"

  if [[ " $PARTS " == *" a "* ]]; then
    echo "## (a) Ledger grain throughput (bench/ledger-grain, ${GRAIN_SECONDS} s per run)" >>"$OUT/summary.md"
    echo >>"$OUT/summary.md"
    echo "| journal | tenants | callers x batch | events/s | events per append | p50 / p99 per call (ms) |" >>"$OUT/summary.md"
    echo "|---|---|---|---|---|---|" >>"$OUT/summary.md"
    local journal spec n=0 specs
    IFS=';' read -r -a specs <<<"$GRAIN_SPECS"
    for journal in $JOURNALS; do
      for spec in "${specs[@]}"; do
        # shellcheck disable=SC2086
        set -- $spec
        n=$((n + 1))
        local db="grain_$n" log="$OUT/grain-$journal-$1-$2x$3.log"
        psql -qX -h 127.0.0.1 -p "$PLATFORM_PORT" -U postgres -d postgres -c "create database $db" >/dev/null
        say "ledger grain: journal $journal, $1 tenant(s), $2 callers x $3 events"
        dotnet "$ROOT/bench/ledger-grain/bin/Release/net10.0/tenants-bench-ledger-grain.dll" --journal "${journal,,}" --tenants "$1" --callers "$2" \
          --batch "$3" --seconds "$GRAIN_SECONDS" --connection-string "$blob" \
          --postgres "Host=127.0.0.1;Port=$PLATFORM_PORT;Database=$db;Username=postgres;Maximum Pool Size=200" >"$log" 2>&1 || { tail -n 20 "$log" >&2; die "ledger grain bench failed"; }
        local rate per lat
        rate=$(grep -oP '= \K[0-9,]+(?= events/s)' "$log" | tr -d ,)
        per=$(grep -oP '\(\K[0-9.]+(?= events per append)' "$log")
        lat=$(grep -oP 'p50 \K[0-9.]+' "$log")" / "$(grep -oP 'p99 \K[0-9.]+' "$log")
        echo "| $journal | $1 | $2 x $3 | $rate | $per | $lat |" >>"$OUT/summary.md"
      done
    done
    echo >>"$OUT/summary.md"
  fi

  if [[ " $PARTS " == *" b "* ]]; then
    echo "## (b) Latency added per statement, 8 pgbench clients, one-row INSERT (prepared), ${DURATION} s per run, ${RATE:-unthrottled} TPS offered" >>"$OUT/summary.md"
    echo >>"$OUT/summary.md"
    echo "| journal | path | TPS | p50 (ms) | p99 (ms) | p50 / p99 added vs direct (ms) | failed |" >>"$OUT/summary.md"
    echo "|---|---|---|---|---|---|---|" >>"$OUT/summary.md"
    local journal
    for journal in $JOURNALS; do
      say "Host with Ledger:Journal=$journal"
      start_host "$journal"
      # Warm the Host's JIT and the ledger grain up before measuring.
      (cd "$OUT" && pgbench -h 127.0.0.1 -p "$DUR_PORT" -U postgres -n -M prepared -c 8 -j 2 -T "$WARMUP" -f "$OUT/insert.sql" bench >"$OUT/warmup-$journal.log" 2>&1) || true
      local direct seq dur
      direct=$(latency_run "$journal-direct" "$PG_PORT")
      seq=$(latency_run "$journal-sequenced" "$SEQ_PORT")
      dur=$(latency_run "$journal-durable" "$DUR_PORT")
      local path line
      for path in direct sequenced durable; do
        case $path in direct) line=$direct ;; sequenced) line=$seq ;; durable) line=$dur ;; esac
        # shellcheck disable=SC2086
        set -- $line
        # shellcheck disable=SC2086
        set -- "$@" $direct
        awk -v j="$journal" -v p="$path" -v tps="$1" -v p50="$2" -v p99="$3" -v f="$4" -v d50="$6" -v d99="$7" \
          'BEGIN { printf "| %s | %s | %s | %.2f | %.2f | %+.2f / %+.2f | %s |\n", j, p, tps, p50, p99, p50 - d50, p99 - d99, f }' >>"$OUT/summary.md"
      done
      curl -fsS -H "Authorization: Bearer $API_KEY" "http://127.0.0.1:$HTTP_PORT/api/v1/ledger" >"$OUT/ledger-$journal.json" 2>/dev/null || true
      # The Host's own view (journal commit duration and size, statement durations): see docs/operations.md.
      curl -fsS "http://127.0.0.1:$HTTP_PORT/metrics" >"$OUT/metrics-$journal.txt" 2>/dev/null || true
      stop_pid "$HOST_PID"; HOST_PID=""
    done
    echo >>"$OUT/summary.md"
    echo "Ledger after the runs: $(cat "$OUT"/ledger-*.json 2>/dev/null | tr '\n' ' ' | head -c 600)" >>"$OUT/summary.md"
  fi
  cat "$OUT/summary.md"
}

main "$@"
