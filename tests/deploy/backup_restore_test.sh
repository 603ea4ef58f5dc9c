#!/usr/bin/env bash
# The database backup of docs/OPERATIONS.md end to end, with the very script
# the prod CronJobs run (k8s/overlays/prod/backup/backup.sh):
#   1. a throwaway MariaDB; helhed-housing on it; demo data written through
#      the API (helhed-housing-demo-load), read back with buf curl;
#   2. `backup.sh dump`: mariadb-dump --single-transaction | gzip | openssl
#      enc; the file is not plaintext, dumps past BACKUP_KEEP_DAYS go, a
#      wrong key cannot restore it;
#   3. a second MariaDB, a fresh database; `backup.sh restore`;
#   4. helhed-housing on the restored database serves the same records.
#   tests/deploy/backup_restore_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=${1:?usage: backup_restore_test.sh BUILD_DIR SOURCE_DIR}
src=${2:?usage: backup_restore_test.sh BUILD_DIR SOURCE_DIR}
src=$(cd "$src" && pwd)
script="$src/k8s/overlays/prod/backup/backup.sh"
buf="$src/tools/node_modules/.bin/buf"
work=$(mktemp -d /tmp/helhed-backup-test.XXXXXX)
pids=()
db_a_pid="" db_a_dir="" db_b_pid="" db_b_dir=""
source "$src/scripts/lib/mariadb.sh"
stop_db() { # PID DIR
  HELHED_MARIADB_PID=$1 HELHED_MARIADB_DIR=$2
  helhed_mariadb_stop
}
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [ -z "$db_a_pid" ] || stop_db "$db_a_pid" "$db_a_dir"
  [ -z "$db_b_pid" ] || stop_db "$db_b_pid" "$db_b_dir"
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  for l in "$work"/*.log; do [ -f "$l" ] && { echo "--- $l" >&2; tail -15 "$l" >&2; }; done
  exit 1
}
for t in mariadb-install-db mariadbd mariadb-dump mariadb openssl gzip; do
  command -v "$t" >/dev/null || fail "$t is not installed (scripts/install-deps)"
done
[ -x "$buf" ] || fail "$buf is missing (scripts/install-deps)"
[ -x "$build/services/housing/helhed-housing" ] || fail "build helhed-housing first"

# url_part URL user|password|port
url_part() {
  case $2 in
    user) sed -E 's#^mysql://([^:]+):.*#\1#' <<<"$1" ;;
    password) sed -E 's#^mysql://[^:]+:([^@]+)@.*#\1#' <<<"$1" ;;
    port) sed -E 's#.*@127\.0\.0\.1:([0-9]+)/.*#\1#' <<<"$1" ;;
  esac
}

head -c 48 /dev/urandom >"$work/principal.key"
export HELHED_PRINCIPAL_KEY_FILE=$work/principal.key
export HELHED_POLICY=$src/common/auth/default_policy.txt
export HELHED_LOG_LEVEL=warning

# start_housing NAME STORE_URL: helhed-housing on loopback; sets $grpc.
start_housing() {
  local name=$1 url=$2
  "$build/services/housing/helhed-housing" --listen=127.0.0.1:0 --metrics-listen=127.0.0.1:0 \
    --store="$url" --port-file="$work/$name.ports" >"$work/$name.log" 2>&1 &
  pids+=($!)
  local pid=$!
  for _ in $(seq 1 400); do
    [ -s "$work/$name.ports" ] && grep -q '^grpc=' "$work/$name.ports" && break
    kill -0 "$pid" 2>/dev/null || fail "helhed-housing ($name) did not start"
    sleep 0.05
  done
  grpc=$(sed -n 's/^grpc=//p' "$work/$name.ports")
  [ -n "$grpc" ] || fail "helhed-housing ($name) did not start in 20 s"
  housing_pid=$pid
}
principal=$("$build/common/helhed-dev-principal" --municipality=730 --roles=housing_officer --ttl-seconds=900)
call() { # METHOD JSON
  "$buf" curl --protocol grpc --http2-prior-knowledge -H "x-helhed-principal: $principal" \
    -d "$2" "http://127.0.0.1:$grpc/helhed.housing.v1.HousingService/$1"
}
# snapshot FILE: every unit and application of municipality 730, sorted.
snapshot() {
  { call ListUnits '{"page":{"pageSize":500}}'; call ListApplications '{"page":{"pageSize":500}}'; } \
    >"$1.json" || fail "list calls"
  node -e '
    const fs = require("fs");
    const text = fs.readFileSync(process.argv[1], "utf8");
    const out = [];
    // buf curl prints one JSON document per response.
    for (const part of text.split(/\n(?=\{)/)) {
      const j = JSON.parse(part);
      for (const u of j.units || []) out.push(`unit ${u.id} ${u.etag} ${u.address || ""}`);
      for (const a of j.applications || []) out.push(`application ${a.id} ${a.etag}`);
    }
    out.sort();
    fs.writeFileSync(process.argv[2], out.join("\n") + "\n");' "$1.json" "$1"
}

# ------------------------------------------------------------ 1. the source
helhed_mariadb_start >/dev/null || fail "MariaDB did not start"
db_a_pid=$HELHED_MARIADB_PID db_a_dir=$HELHED_MARIADB_DIR url_a=$HELHED_TEST_MYSQL_URL
mariadb --no-defaults --socket="$db_a_dir/sock" -uroot \
  -e "CREATE DATABASE housing CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" || fail "create database"
user=$(url_part "$url_a" user) pw_a=$(url_part "$url_a" password) port_a=$(url_part "$url_a" port)
start_housing source "mysql://$user:$pw_a@127.0.0.1:$port_a/housing"
"$build/services/housing/helhed-housing-demo-load" --target="127.0.0.1:$grpc" --municipality=730 \
  >"$work/demo.log" 2>&1 || fail "demo load"
snapshot "$work/before"
[ "$(wc -l <"$work/before")" -ge 5 ] || fail "too few records to test with: $(cat "$work/before")"

# ------------------------------------------------------------ 2. dump
head -c 32 /dev/urandom | base64 >"$work/backup.key"
mkdir -p "$work/backups"
touch -d '20 days ago' "$work/backups/housing-20000101T000000Z.sql.gz.enc"   # past retention
touch -d '2 days ago' "$work/backups/housing-20000102T000000Z.sql.gz.enc"    # within it
touch -d '20 days ago' "$work/backups/plans-20000101T000000Z.sql.gz.enc"
dump=$(BACKUP_DB_HOST=127.0.0.1 BACKUP_DB_PORT=$port_a BACKUP_DB_NAME=housing BACKUP_DB_USER=$user \
  BACKUP_DB_PASSWORD=$pw_a BACKUP_KEY_FILE=$work/backup.key BACKUP_DIR=$work/backups BACKUP_KEEP_DAYS=14 \
  bash "$script" dump 2>"$work/dump.log") || fail "backup.sh dump: $(cat "$work/dump.log")"
[ -s "$dump" ] || fail "no dump file ($dump)"
case $(basename "$dump") in housing-*.sql.gz.enc) ;; *) fail "dump name $dump" ;; esac
grep -q '"backup written"' "$work/dump.log" || fail "dump log: $(cat "$work/dump.log")"
head -c 8 "$dump" | grep -q '^Salted__' || fail "the dump is not openssl-encrypted"
if gzip -t "$dump" 2>/dev/null || grep -aq 'CREATE TABLE' "$dump"; then fail "the dump is readable without the key"; fi
[ ! -e "$work/backups/housing-20000101T000000Z.sql.gz.enc" ] || fail "a dump past BACKUP_KEEP_DAYS was kept"
[ -e "$work/backups/housing-20000102T000000Z.sql.gz.enc" ] || fail "a dump within BACKUP_KEEP_DAYS was deleted"
[ -e "$work/backups/plans-20000101T000000Z.sql.gz.enc" ] || fail "another database's dump was deleted"
ls "$work/backups"/*.part >/dev/null 2>&1 && fail "a .part file was left behind"
echo "backup: $(basename "$dump"), $(wc -c <"$dump") bytes"

# ------------------------------------------------------------ 3. restore elsewhere
kill "$housing_pid"; wait "$housing_pid" 2>/dev/null || true
helhed_mariadb_start >/dev/null || fail "second MariaDB did not start"
db_b_pid=$HELHED_MARIADB_PID db_b_dir=$HELHED_MARIADB_DIR url_b=$HELHED_TEST_MYSQL_URL
pw_b=$(url_part "$url_b" password) port_b=$(url_part "$url_b" port)
mariadb --no-defaults --socket="$db_b_dir/sock" -uroot \
  -e "CREATE DATABASE housing_restored CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" || fail "create database"
restore() { # KEY_FILE
  BACKUP_DB_HOST=127.0.0.1 BACKUP_DB_PORT=$port_b BACKUP_DB_NAME=housing_restored BACKUP_DB_USER=$user \
    BACKUP_DB_PASSWORD=$pw_b BACKUP_KEY_FILE=$1 bash "$script" restore "$dump"
}
head -c 32 /dev/urandom | base64 >"$work/wrong.key"
if restore "$work/wrong.key" >"$work/wrong.log" 2>&1; then fail "restored with the wrong key"; fi
tables=$(mariadb --no-defaults --socket="$db_b_dir/sock" -uroot -N -e \
  "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema='housing_restored'")
[ "$tables" = 0 ] || fail "a failed restore left $tables tables"
restore "$work/backup.key" >"$work/restore.log" 2>&1 || fail "backup.sh restore: $(cat "$work/restore.log")"

# ------------------------------------------------------------ 4. serve it
start_housing restored "mysql://$user:$pw_b@127.0.0.1:$port_b/housing_restored"
snapshot "$work/after"
diff -u "$work/before" "$work/after" >"$work/diff.txt" || fail "restored records differ:
$(head -30 "$work/diff.txt")"
id=$(awk '$1 == "unit" {print $2; exit}' "$work/after")
call GetUnit "{\"id\":\"$id\"}" >/dev/null || fail "GetUnit $id on the restored database"
echo "backup_restore: ok ($(wc -l <"$work/after") records restored and served)"
