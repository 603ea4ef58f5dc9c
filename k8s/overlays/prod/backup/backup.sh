#!/bin/bash
# The one dump-and-encrypt (and decrypt-and-restore) of a Helhed MariaDB
# database. The backup CronJobs run it from the ConfigMap helhed-db-backup
# (k8s/overlays/prod/backup); tests/deploy/backup_restore_test.sh runs this
# same file against a real MariaDB and service; operators run it to restore
# (docs/OPERATIONS.md, "Database backups").
#
#   backup.sh dump             dump BACKUP_DB_NAME to BACKUP_DIR, encrypted;
#                              delete dumps older than BACKUP_KEEP_DAYS
#   backup.sh restore FILE     load an encrypted dump into BACKUP_DB_NAME
#
# Environment:
#   BACKUP_DB_HOST, BACKUP_DB_PORT (3306), BACKUP_DB_NAME, BACKUP_DB_USER,
#   BACKUP_DB_PASSWORD   the database and an account that may read it (dump)
#                        or create tables in it (restore)
#   BACKUP_KEY_FILE      the encryption passphrase file (Secret helhed-backup-key)
#   BACKUP_DIR           where dumps go (dump only)
#   BACKUP_KEEP_DAYS     how long dumps are kept (14)
#
# A dump is `mariadb-dump --single-transaction` (one consistent InnoDB
# snapshot, no locks held against the running service), gzip, then
# `openssl enc -aes-256-cbc -pbkdf2`: <db>-<UTC time>.sql.gz.enc. It is
# written to a .part file, read back (decrypt + gzip -t) and only then
# renamed, so a file with the final name is always a whole dump.
set -euo pipefail
umask 077

need() { [ -n "${!1:-}" ] || { echo "backup.sh: $1 is not set" >&2; exit 2; }; }
for v in BACKUP_DB_HOST BACKUP_DB_NAME BACKUP_DB_USER BACKUP_DB_PASSWORD BACKUP_KEY_FILE; do need "$v"; done
[ -s "$BACKUP_KEY_FILE" ] || { echo "backup.sh: $BACKUP_KEY_FILE is empty or missing" >&2; exit 2; }
ENC=(openssl enc -aes-256-cbc -pbkdf2 -iter 200000 -md sha256 -pass "file:$BACKUP_KEY_FILE")

# The password goes in an option file, never on a command line (ps).
tmp=$(mktemp -d "${TMPDIR:-/tmp}/helhed-backup.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/client.cnf" <<CNF
[client]
host=$BACKUP_DB_HOST
port=${BACKUP_DB_PORT:-3306}
user=$BACKUP_DB_USER
password=$BACKUP_DB_PASSWORD
protocol=TCP
CNF
db=$BACKUP_DB_NAME
log() { printf '{"level":"%s","msg":"%s","database":"%s"%s}\n' "$1" "$2" "$db" "${3:-}" >&2; }

case "${1:-}" in
  dump)
    need BACKUP_DIR
    keep=${BACKUP_KEEP_DAYS:-14}
    mkdir -p "$BACKUP_DIR"
    out="$BACKUP_DIR/$db-$(date -u +%Y%m%dT%H%M%SZ).sql.gz.enc"
    mariadb-dump --defaults-extra-file="$tmp/client.cnf" --single-transaction --quick \
      --hex-blob --triggers --no-tablespaces --skip-lock-tables "$db" \
      | gzip -c | "${ENC[@]}" -salt -out "$out.part"
    "${ENC[@]}" -d -in "$out.part" | gzip -t ||
      { rm -f "$out.part"; log error "backup unreadable after writing"; exit 1; }
    mv "$out.part" "$out"
    log info "backup written" ",\"file\":\"$(basename "$out")\",\"bytes\":$(wc -c <"$out")"
    # Old dumps, and .part files a killed run left behind.
    find "$BACKUP_DIR" -maxdepth 1 -type f \( -name "$db-*.sql.gz.enc" -o -name "$db-*.part" \) \
      -mtime +"$keep" -print -delete | sed 's/^/deleted /' >&2
    echo "$out"
    ;;
  restore)
    file=${2:?usage: backup.sh restore FILE}
    "${ENC[@]}" -d -in "$file" | gzip -dc |
      mariadb --defaults-extra-file="$tmp/client.cnf" "$db"
    log info "backup restored" ",\"file\":\"$(basename "$file")\""
    ;;
  *)
    echo "usage: backup.sh dump | backup.sh restore FILE" >&2
    exit 2
    ;;
esac
