#!/usr/bin/env bash
# Meridian local infrastructure for machines without a Docker engine.
#
# Runs on loopback, from sources the dev/CI machines can reach:
#   - Apache Kafka 3.9.1, one KRaft broker+controller, jars from Maven Central
#     (tools/infra/kafka/pom.xml)
#   - FerretDB v1.24.2 (SQLite backend) as the MongoDB-wire server, embedded in
#     a small Go program (tools/infra/ferretdb/)
#   - Redis from Debian apt
#
# Usage: infra.sh up|down|status|env|clean
#   up      install what is missing, start what is not running, wait until ready,
#           then print KAFKA_BROKERS / MONGODB_URI / REDIS_URL lines on stdout
#   down    stop all servers (no error if already down)
#   status  print each server's state; exit 0 if all are up, 1 otherwise
#   env     print only the three address lines, e.g.
#             set -a; eval "$(bash tools/infra/infra.sh env)"; set +a
#   clean   down, then delete the servers' data (keeps downloaded jars/binaries)
#
# Environment:
#   INFRA_KAFKA_PORT (9092; the controller listens on this + 1)
#   INFRA_MONGO_PORT (27017)    INFRA_REDIS_PORT (6379)
#   INFRA_DIR        (<repo>/.infra) data, logs, pids, jars, binaries
#   INFRA_KAFKA_TIMEOUT (120) INFRA_MONGO_TIMEOUT (60) INFRA_REDIS_TIMEOUT (30) seconds
#   INFRA_FERRETDB_LOG_LEVEL (warn; warn logs every failed command in full)
#
# Progress goes to stderr as "[infra] ..." lines; the address lines go to stdout.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
INFRA_DIR="${INFRA_DIR:-$REPO_ROOT/.infra}"

KAFKA_PORT="${INFRA_KAFKA_PORT:-9092}"
MONGO_PORT="${INFRA_MONGO_PORT:-27017}"
REDIS_PORT="${INFRA_REDIS_PORT:-6379}"
for p in "$KAFKA_PORT" "$MONGO_PORT" "$REDIS_PORT"; do
  if ! [[ "$p" =~ ^[0-9]+$ ]] || (( p < 1 || p > 65534 )); then
    echo "[infra] ERROR: invalid port '$p' (INFRA_*_PORT)" >&2
    exit 1
  fi
done
KAFKA_CONTROLLER_PORT="$((KAFKA_PORT + 1))"
HOST=127.0.0.1

KAFKA_TIMEOUT="${INFRA_KAFKA_TIMEOUT:-120}"
MONGO_TIMEOUT="${INFRA_MONGO_TIMEOUT:-60}"
REDIS_TIMEOUT="${INFRA_REDIS_TIMEOUT:-30}"
FERRETDB_LOG_LEVEL="${INFRA_FERRETDB_LOG_LEVEL:-warn}"

KAFKA_VERSION=3.9.1
KAFKA_HOME="$INFRA_DIR/kafka"
KAFKA_LIBS="$KAFKA_HOME/libs"
KAFKA_DATA="$KAFKA_HOME/data"
KAFKA_PID="$KAFKA_HOME/kafka.pid"
KAFKA_LOG="$KAFKA_HOME/server.log"     # log4j file appender (WARN)
KAFKA_STDOUT="$KAFKA_HOME/stdout.log"  # JVM stdout/stderr (crashes, bind errors)

FERRET_HOME="$INFRA_DIR/ferretdb"
FERRET_BIN="$FERRET_HOME/bin/ferretdb-local"
FERRET_DATA="$FERRET_HOME/data"
FERRET_PID="$FERRET_HOME/ferretdb.pid"
FERRET_LOG="$FERRET_HOME/ferretdb.log"

REDIS_HOME="$INFRA_DIR/redis"
REDIS_PID="$REDIS_HOME/redis.pid"
REDIS_LOG="$REDIS_HOME/redis.log"
REDIS_STDOUT="$REDIS_HOME/stdout.log"

# Command-line markers: *_PROC matches our server of any port (used by down),
# *_ID matches it only when it runs with the currently configured port.
KAFKA_PROC=kafka.Kafka
KAFKA_ID="-Dmeridian.infra.kafka=$HOST:$KAFKA_PORT"
FERRET_PROC=ferretdb-local
FERRET_ID="-listen-addr $HOST:$MONGO_PORT"
REDIS_PROC=redis-server
REDIS_ID="redis-server $HOST:$REDIS_PORT"

log() { echo "[infra] $*" >&2; }
die() { echo "[infra] ERROR: $*" >&2; exit 1; }


# ---------------------------------------------------------------- helpers

port_open() { # port -> 0 if something accepts TCP connections on 127.0.0.1:port
  timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null
}

# pid_alive pidfile marker -> 0 if the pid in pidfile runs a command line
# containing marker followed by a space/end (markers: see the *_ID variables).
pid_alive() {
  local pidfile="$1" marker="$2" pid cmdline
  [[ -s "$pidfile" ]] || return 1
  pid="$(<"$pidfile")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) " || return 1
  [[ "$cmdline" == *"$marker "* ]]
}

# is_up pidfile marker port
is_up() { pid_alive "$1" "$2" && port_open "$3"; }

show_log_tail() { # file...
  local f
  for f in "$@"; do
    [[ -s "$f" ]] || continue
    echo "[infra] ---- last lines of $f ----" >&2
    tail -n 40 "$f" >&2
  done
}

# spawn pidfile logfile cmd... : start cmd detached (own session, survives the
# caller), stdout/stderr to logfile; the pid written is the server's own pid.
spawn() {
  local pidfile="$1" logfile="$2"
  shift 2
  rm -f "$pidfile"
  # shellcheck disable=SC2016 # $$ and $@ expand in the child shell
  setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' infra-spawn "$pidfile" "$@" \
    </dev/null >>"$logfile" 2>&1 9>&- &
  local i
  for i in $(seq 1 50); do
    [[ -s "$pidfile" ]] && return 0
    sleep 0.1
  done
  die "could not start $1"
}

# wait_ready name timeout pidfile marker check_cmd logs...
# check_cmd is run (eval) until it succeeds; fails fast if the process dies.
wait_ready() {
  local name="$1" tmo="$2" pidfile="$3" marker="$4" check="$5"
  shift 5
  local start=$SECONDS
  while true; do
    if ! pid_alive "$pidfile" "$marker"; then
      log "$name exited during start-up"
      show_log_tail "$@"
      exit 1
    fi
    if eval "$check"; then
      log "$name ready in $((SECONDS - start))s"
      return 0
    fi
    if (( SECONDS - start >= tmo )); then
      log "$name not ready after ${tmo}s; stopping it"
      show_log_tail "$@"
      stop_server "$name" "$pidfile" "$marker" 20
      exit 1
    fi
    sleep 1
  done
}

# stop name pidfile marker [timeout]
stop_server() {
  local name="$1" pidfile="$2" marker="$3" tmo="${4:-30}" pid i
  if ! pid_alive "$pidfile" "$marker"; then
    rm -f "$pidfile"
    log "$name already down"
    return 0
  fi
  pid="$(<"$pidfile")"
  kill -TERM "$pid" 2>/dev/null || true
  for (( i = 0; i < tmo * 10; i++ )); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name did not stop in ${tmo}s, killing"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
  rm -f "$pidfile"
  log "$name stopped"
}

# other_port_guard name pidfile proc_marker id_marker: die if our server runs
# from this INFRA_DIR but was started with other ports.
other_port_guard() {
  if pid_alive "$2" "$3" && ! pid_alive "$2" "$4"; then
    die "$1 from $INFRA_DIR is already running with other ports (pid $(<"$2")); stop it first with the same INFRA_*_PORT settings: infra.sh down"
  fi
}

check_free_port() { # name port envvar
  if port_open "$2"; then
    die "$1: port $HOST:$2 is already in use by another process (set $3 to use another port)"
  fi
}

sha() { cat "$@" | sha256sum | cut -d' ' -f1; }

SUDO=""
if [[ "$(id -u)" != 0 ]]; then
  command -v sudo >/dev/null 2>&1 && SUDO="sudo -n"
fi

# ---------------------------------------------------------------- prerequisites

require_tools() {
  # Go's official tarball installs outside the default PATH.
  if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
    PATH="$PATH:/usr/local/go/bin"
  fi
  local missing=()
  command -v java >/dev/null 2>&1 || missing+=("java (JDK/JRE 17+, e.g. apt-get install openjdk-17-jre-headless)")
  command -v mvn >/dev/null 2>&1 || missing+=("mvn (Maven 3.8+, e.g. apt-get install maven)")
  command -v go >/dev/null 2>&1 || missing+=("go (Go 1.21+ from https://go.dev/dl; it fetches the 1.24 toolchain itself)")
  command -v setsid >/dev/null 2>&1 || missing+=("setsid (util-linux)")
  if (( ${#missing[@]} )); then
    log "missing required tools:"
    local m
    for m in "${missing[@]}"; do log "  - $m"; done
    exit 1
  fi
}

install_redis() {
  if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then
    return 0
  fi
  command -v apt-get >/dev/null 2>&1 || die "redis-server is missing and apt-get is not available; install Redis 6+ yourself"
  if [[ "$(id -u)" != 0 && -z "$SUDO" ]]; then
    die "redis-server is missing; run as root or with passwordless sudo, or: apt-get install -y redis-server"
  fi
  log "installing redis-server (apt)"
  # Keep the package's own service from starting on 6379: we run our own instance.
  local policy=/usr/sbin/policy-rc.d added_policy=0
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
    $SUDO chmod 755 "$policy"
    added_policy=1
  fi
  local rc=0 out="$INFRA_DIR/apt.log"
  {
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
      $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server
  } >"$out" 2>&1 || rc=$?
  (( added_policy )) && $SUDO rm -f "$policy"
  if (( rc != 0 )); then
    show_log_tail "$out"
    die "apt-get install redis-server failed"
  fi
  command -v redis-server >/dev/null 2>&1 || die "redis-server still missing after apt-get install"
}

install_kafka() {
  local pom="$SCRIPT_DIR/kafka/pom.xml" stamp="$KAFKA_LIBS/.stamp" want
  want="$(sha "$pom")"
  if [[ -f "$stamp" && "$(<"$stamp")" == "$want" ]] && compgen -G "$KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar" >/dev/null; then
    return 0
  fi
  log "downloading Kafka $KAFKA_VERSION jars (maven)"
  rm -rf "$KAFKA_LIBS"
  mkdir -p "$KAFKA_LIBS"
  local out="$KAFKA_HOME/mvn.log"
  if ! mvn -q -B -f "$pom" dependency:copy-dependencies -DincludeScope=runtime \
        -DoutputDirectory="$KAFKA_LIBS" >"$out" 2>&1; then
    show_log_tail "$out"
    die "maven could not fetch the Kafka jars"
  fi
  compgen -G "$KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar" >/dev/null || die "kafka_2.13-$KAFKA_VERSION.jar missing after maven"
  echo "$want" >"$stamp"
}

# FerretDB v1.24.2's SQLite backend creates its unique _id index on the expression
# `_ferretdb_sjson->"_id"` but filters on `_ferretdb_sjson->'$._id'`; SQLite matches index
# expressions by their text, so every _id look-up, update and delete scans the whole table
# (measured: 45 ms per updateOne at 20,000 documents, 120 ms at 60,000). We build from a copy
# of the module whose filter expression matches the index (docs/adr/0005). Same results,
# index-backed.
FERRET_MODULE=github.com/FerretDB/FerretDB@v1.24.2
FERRET_ID_FROM="IDColumn = DefaultColumn + \"->'\$._id'\""
FERRET_ID_TO="IDColumn = DefaultColumn + \"->'_id'\""
FERRET_QUERY_FROM="if params.Filter.Len() == 1 {
		v, _ := params.Filter.Get(\"_id\")
		switch v.(type) {
		case string, types.ObjectID:
			whereClause"
FERRET_UPDATE_FROM="result, err := common.UpdateDocument(ctx, c, \"update\", iter, &u)
		if err != nil {"
FERRET_UPDATE_TO="result, err := common.UpdateDocument(ctx, c, \"update\", iter, &u)
		closer.Close() // meridian: release this statement's cursor now
		if err != nil {"
FERRET_QUERY_TO="if params.Filter.Len() >= 1 {
		v, _ := params.Filter.Get(\"_id\")
		switch v.(type) {
		case string, types.ObjectID:
			whereClause"

patch_ferretdb_source() { # -> prints the directory of the patched module copy
  local moddir patched="$FERRET_HOME/src/FerretDB-v1.24.2-meridian" file
  moddir="$(cd "$SCRIPT_DIR/ferretdb" && go mod download -json "$FERRET_MODULE" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -n "$moddir" && -d "$moddir" ]] || die "go mod download $FERRET_MODULE gave no directory"
  rm -rf "$patched"
  mkdir -p "$(dirname "$patched")"
  cp -R "$moddir" "$patched"
  chmod -R u+w "$patched"
  file="$patched/internal/backends/sqlite/metadata/metadata.go"
  grep -qF "$FERRET_ID_FROM" "$file" || die "FerretDB source changed: $file has no '$FERRET_ID_FROM'"
  FROM="$FERRET_ID_FROM" TO="$FERRET_ID_TO" perl -0pi -e 's/\Q$ENV{FROM}\E/$ENV{TO}/' "$file"
  grep -qF "$FERRET_ID_TO" "$file" || die "could not patch $file"
  # Push the _id equality down whenever the filter has one, not only when it is the whole
  # filter: {_id, version} or {_id, appliedEventIds: {$ne}} (optimistic concurrency, the
  # embedded inbox) then read one row, not the table. Safe: every caller of Query applies
  # the full filter to what it returns (common.FilterIterator).
  file="$patched/internal/backends/sqlite/collection.go"
  FROM="$FERRET_QUERY_FROM" TO="$FERRET_QUERY_TO" perl -0pi -e 's/\Q$ENV{FROM}\E/$ENV{TO}/' "$file"
  [[ "$(grep -c 'params.Filter.Len() >= 1 {' "$file")" == 1 ]] || die "FerretDB source changed: could not patch the _id pushdown of $file"
  # An update command with many statements (a bulkWrite of replaceOne/updateOne) kept every
  # statement's read cursor — an SQLite connection — open until the whole command ended
  # (a defer in a loop); past ~100 statements the pool of 100 was gone and the next write
  # waited forever: FerretDB hung. Release each statement's cursor when it is done.
  file="$patched/internal/handler/msg_update.go"
  FROM="$FERRET_UPDATE_FROM" TO="$FERRET_UPDATE_TO" perl -0pi -e 's/\Q$ENV{FROM}\E/$ENV{TO}/' "$file"
  [[ "$(grep -c 'closer.Close() // meridian' "$file")" == 1 ]] || die "FerretDB source changed: could not patch the cursor release of $file"
  echo "$patched"
}

install_ferretdb() {
  local src="$SCRIPT_DIR/ferretdb" stamp="$FERRET_HOME/bin/.stamp" want
  want="$(sha "$src/go.mod" "$src/go.sum" "$src/main.go" "$SCRIPT_DIR/infra.sh")-$(go env GOVERSION 2>/dev/null || true)"
  if [[ -x "$FERRET_BIN" && -f "$stamp" && "$(<"$stamp")" == "$want" ]]; then
    return 0
  fi
  log "building FerretDB v1.24.2 wrapper (go build; first time takes a few minutes)"
  mkdir -p "$FERRET_HOME/bin" "$FERRET_HOME/build"
  local out="$FERRET_HOME/build.log" patched build="$FERRET_HOME/build"
  patched="$(patch_ferretdb_source)"
  # Build a copy of the wrapper whose go.mod replaces the module by the patched copy.
  cp "$src/main.go" "$src/go.mod" "$src/go.sum" "$build/"
  if ! (cd "$build" && go mod edit -replace "github.com/FerretDB/FerretDB=$patched" \
          && CGO_ENABLED=0 go build -mod=mod -trimpath -buildvcs=false -o "$FERRET_BIN.tmp" .) >"$out" 2>&1; then
    show_log_tail "$out"
    die "go build of tools/infra/ferretdb failed"
  fi
  mv -f "$FERRET_BIN.tmp" "$FERRET_BIN"
  echo "$want" >"$stamp"
}

# ---------------------------------------------------------------- kafka

kafka_java() { # extra JVM flags for short-lived tools
  java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dlog4j.configuration="file:$KAFKA_HOME/tools-log4j.properties" \
    -cp "$KAFKA_LIBS/*" "$@"
}

write_kafka_config() {
  mkdir -p "$KAFKA_DATA"
  cat >"$KAFKA_HOME/server.properties" <<EOF
# Generated by tools/infra/infra.sh; edits are overwritten on every start.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DATA

auto.create.topics.enable=true
delete.topic.enable=true
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=3
group.initial.rebalance.delay.ms=0

# light footprint: 2 shared cores
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.retention.hours=24
EOF
  cat >"$KAFKA_HOME/log4j.properties" <<EOF
# Generated by tools/infra/infra.sh.
log4j.rootLogger=WARN, file
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File=$KAFKA_LOG
log4j.appender.file.MaxFileSize=20MB
log4j.appender.file.MaxBackupIndex=2
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
# one line when the server is up
log4j.logger.kafka.server.KafkaRaftServer=INFO
EOF
  cat >"$KAFKA_HOME/tools-log4j.properties" <<'EOF'
log4j.rootLogger=ERROR, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
}

format_kafka_storage() {
  [[ -f "$KAFKA_DATA/meta.properties" ]] && return 0
  local cid out="$KAFKA_HOME/format.log"
  cid="$(kafka_java kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
  [[ -n "$cid" ]] || die "kafka StorageTool random-uuid failed"
  log "formatting Kafka storage (cluster id $cid)"
  if ! kafka_java kafka.tools.StorageTool format -t "$cid" -c "$KAFKA_HOME/server.properties" \
        --ignore-formatted >"$out" 2>&1; then
    show_log_tail "$out"
    die "kafka storage format failed"
  fi
}

kafka_metadata_ok() {
  port_open "$KAFKA_PORT" || return 1
  # Metadata + ApiVersions round trip through a real Kafka admin client.
  timeout 30 java -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dlog4j.configuration="file:$KAFKA_HOME/tools-log4j.properties" \
    -cp "$KAFKA_LIBS/*" kafka.admin.BrokerApiVersionsCommand \
    --bootstrap-server "$HOST:$KAFKA_PORT" 2>/dev/null | grep -q "id: 1"
}

kafka_up() {
  other_port_guard kafka "$KAFKA_PID" "$KAFKA_PROC" "$KAFKA_ID"
  if pid_alive "$KAFKA_PID" "$KAFKA_ID"; then
    if port_open "$KAFKA_PORT"; then
      log "kafka    already running on $HOST:$KAFKA_PORT (pid $(<"$KAFKA_PID"))"
      return 0
    fi
    log "kafka    process running but port not answering yet; waiting"
  else
    check_free_port kafka "$KAFKA_PORT" INFRA_KAFKA_PORT
    check_free_port "kafka controller" "$KAFKA_CONTROLLER_PORT" INFRA_KAFKA_PORT
    install_kafka
    write_kafka_config
    format_kafka_storage
    log "kafka    starting on $HOST:$KAFKA_PORT (controller $KAFKA_CONTROLLER_PORT)"
    : >"$KAFKA_STDOUT"
    spawn "$KAFKA_PID" "$KAFKA_STDOUT" \
      java -Xms256m -Xmx768m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
      -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent \
      -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true "$KAFKA_ID" \
      -Dlog4j.configuration="file:$KAFKA_HOME/log4j.properties" \
      -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_HOME/server.properties"
  fi
  wait_ready kafka "$KAFKA_TIMEOUT" "$KAFKA_PID" "$KAFKA_ID" kafka_metadata_ok \
    "$KAFKA_STDOUT" "$KAFKA_LOG"
}

# ---------------------------------------------------------------- ferretdb

ferret_ping_ok() {
  port_open "$MONGO_PORT" && "$FERRET_BIN" -ping "$HOST:$MONGO_PORT" >/dev/null 2>&1
}

ferret_up() {
  other_port_guard ferretdb "$FERRET_PID" "$FERRET_PROC" "$FERRET_ID"
  if pid_alive "$FERRET_PID" "$FERRET_ID"; then
    if port_open "$MONGO_PORT"; then
      log "ferretdb already running on $HOST:$MONGO_PORT (pid $(<"$FERRET_PID"))"
      return 0
    fi
    log "ferretdb process running but port not answering yet; waiting"
  else
    check_free_port ferretdb "$MONGO_PORT" INFRA_MONGO_PORT
    install_ferretdb
    mkdir -p "$FERRET_DATA"
    log "ferretdb starting on $HOST:$MONGO_PORT (sqlite $FERRET_DATA)"
    # WAL with synchronous=NORMAL: a commit is durable against a crash of FerretDB, not of
    # the machine; fsync on every commit (SQLite's FULL) only slows a test server down.
    spawn "$FERRET_PID" "$FERRET_LOG" \
      "$FERRET_BIN" -listen-addr "$HOST:$MONGO_PORT" -sqlite-url "file:$FERRET_DATA/?_pragma=synchronous(normal)" \
      -log-level "$FERRETDB_LOG_LEVEL"
  fi
  wait_ready ferretdb "$MONGO_TIMEOUT" "$FERRET_PID" "$FERRET_ID" ferret_ping_ok "$FERRET_LOG"
}

# ---------------------------------------------------------------- redis

redis_ping_ok() {
  [[ "$(timeout 5 redis-cli -h "$HOST" -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]
}

redis_up() {
  other_port_guard redis "$REDIS_PID" "$REDIS_PROC" "$REDIS_ID"
  if pid_alive "$REDIS_PID" "$REDIS_ID"; then
    if port_open "$REDIS_PORT"; then
      log "redis    already running on $HOST:$REDIS_PORT (pid $(<"$REDIS_PID"))"
      return 0
    fi
    log "redis    process running but port not answering yet; waiting"
  else
    check_free_port redis "$REDIS_PORT" INFRA_REDIS_PORT
    install_redis
    mkdir -p "$REDIS_HOME"
    rm -f "$REDIS_PID"
    log "redis    starting on $HOST:$REDIS_PORT"
    # --daemonize yes: redis forks, detaches and writes its own pidfile.
    if ! redis-server --bind "$HOST" --port "$REDIS_PORT" --save '' --appendonly no \
          --daemonize yes --maxmemory-policy noeviction --dir "$REDIS_HOME" \
          --pidfile "$REDIS_PID" --logfile "$REDIS_LOG" >"$REDIS_STDOUT" 2>&1 9>&-; then
      show_log_tail "$REDIS_STDOUT" "$REDIS_LOG"
      die "redis-server failed to start"
    fi
    local i
    for i in $(seq 1 50); do [[ -s "$REDIS_PID" ]] && break; sleep 0.1; done
  fi
  wait_ready redis "$REDIS_TIMEOUT" "$REDIS_PID" "$REDIS_ID" redis_ping_ok "$REDIS_STDOUT" "$REDIS_LOG"
}

# ---------------------------------------------------------------- commands

print_env() {
  echo "KAFKA_BROKERS=$HOST:$KAFKA_PORT"
  echo "MONGODB_URI=mongodb://$HOST:$MONGO_PORT"
  echo "REDIS_URL=redis://$HOST:$REDIS_PORT"
}

with_lock() { # serialise up/down/clean between concurrent callers
  mkdir -p "$INFRA_DIR"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$INFRA_DIR/.lock"
    flock -w 900 9 || die "timed out waiting for another infra.sh run ($INFRA_DIR/.lock)"
  fi
}

cmd_up() {
  require_tools
  with_lock
  mkdir -p "$KAFKA_HOME" "$FERRET_HOME" "$REDIS_HOME"
  local start=$SECONDS
  redis_up
  ferret_up
  kafka_up
  log "all servers up in $((SECONDS - start))s; logs and data in $INFRA_DIR"
  print_env
}

cmd_down() {
  with_lock
  stop_server kafka "$KAFKA_PID" "$KAFKA_PROC" 60
  stop_server ferretdb "$FERRET_PID" "$FERRET_PROC" 20
  stop_server redis "$REDIS_PID" "$REDIS_PROC" 20
}

status_line() { # name pidfile id_marker port proc_marker
  local state=down extra=""
  if is_up "$2" "$3" "$4"; then
    state=up
    extra=" (pid $(<"$2"))"
  elif pid_alive "$2" "$3"; then
    state=starting
    extra=" (pid $(<"$2"), port not answering)"
  elif pid_alive "$2" "$5"; then
    state=other
    extra=" (pid $(<"$2") runs with other ports)"
  elif port_open "$4"; then
    extra=" (port in use by a process not started by infra.sh)"
  fi
  printf '%-9s %-8s %s%s\n' "$1" "$state" "$HOST:$4" "$extra"
  [[ "$state" == up ]]
}

cmd_status() {
  local rc=0
  status_line kafka "$KAFKA_PID" "$KAFKA_ID" "$KAFKA_PORT" "$KAFKA_PROC" || rc=1
  status_line ferretdb "$FERRET_PID" "$FERRET_ID" "$MONGO_PORT" "$FERRET_PROC" || rc=1
  status_line redis "$REDIS_PID" "$REDIS_ID" "$REDIS_PORT" "$REDIS_PROC" || rc=1
  return "$rc"
}

cmd_clean() {
  cmd_down
  log "deleting server data under $INFRA_DIR (jars and binaries kept)"
  rm -rf "$KAFKA_DATA" "$FERRET_DATA" "$KAFKA_LOG"* "$KAFKA_STDOUT" "$FERRET_LOG" "$REDIS_LOG" "$REDIS_STDOUT"
  # The demo checks that its previous run's customer is still known: with the data gone, it is not.
  rm -f "$INFRA_DIR/demo/last-customer.json"
}

usage() {
  echo "usage: $(basename "$0") up|down|status|env|clean" >&2
  exit 2
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  env) print_env ;;
  clean) cmd_clean ;;
  *) usage ;;
esac
