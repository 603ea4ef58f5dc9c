# Sourced by scripts/test: an unprivileged MariaDB server for one test run,
# in a temporary directory, on a free loopback port. Stopped by its PID.
#   helhed_mariadb_start   -> exports HELHED_TEST_MYSQL_URL
#   helhed_mariadb_stop

helhed_mariadb_start() {
  HELHED_MARIADB_DIR=$(mktemp -d /tmp/helhed-mariadb.XXXXXX)
  local dir=$HELHED_MARIADB_DIR
  local user_flag=()
  if [ "$(id -u)" = 0 ]; then user_flag=(--user=root); fi
  mariadb-install-db --no-defaults --datadir="$dir/data" --auth-root-authentication-method=normal \
    "${user_flag[@]}" >"$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; return 1; }
  local port tries=0
  while :; do
    port=$((20000 + RANDOM % 12000)) # below the ephemeral ports (32768+)
    mariadbd --no-defaults --datadir="$dir/data" --socket="$dir/sock" --port="$port" \
      --bind-address=127.0.0.1 --skip-name-resolve "${user_flag[@]}" \
      --character-set-server=utf8mb4 --collation-server=utf8mb4_bin \
      --innodb-buffer-pool-size=128M --innodb-log-file-size=64M --max-connections=500 \
      --log-error="$dir/error.log" --pid-file="$dir/mariadb.pid" >/dev/null 2>&1 &
    HELHED_MARIADB_PID=$!
    local i
    for i in $(seq 1 100); do
      if mariadb-admin --no-defaults --socket="$dir/sock" -uroot ping >/dev/null 2>&1; then break; fi
      if ! kill -0 "$HELHED_MARIADB_PID" 2>/dev/null; then break; fi
      sleep 0.2
    done
    if mariadb-admin --no-defaults --socket="$dir/sock" -uroot ping >/dev/null 2>&1; then break; fi
    kill "$HELHED_MARIADB_PID" 2>/dev/null || true
    wait "$HELHED_MARIADB_PID" 2>/dev/null || true
    tries=$((tries + 1))
    if [ $tries -ge 5 ]; then echo "mariadb did not start:" >&2; cat "$dir/error.log" >&2; return 1; fi
  done
  local pw="helhed-test-$RANDOM$RANDOM"
  mariadb --no-defaults --socket="$dir/sock" -uroot -e "
    CREATE USER 'helhed'@'127.0.0.1' IDENTIFIED BY '$pw';
    GRANT ALL PRIVILEGES ON *.* TO 'helhed'@'127.0.0.1';
    FLUSH PRIVILEGES;"
  export HELHED_TEST_MYSQL_URL="mysql://helhed:$pw@127.0.0.1:$port/mysql"
  export HELHED_MARIADB_PID HELHED_MARIADB_DIR
  echo "mariadb: test server on 127.0.0.1:$port (pid $HELHED_MARIADB_PID)"
}

helhed_mariadb_stop() {
  if [ -n "${HELHED_MARIADB_PID:-}" ] && kill -0 "$HELHED_MARIADB_PID" 2>/dev/null; then
    kill "$HELHED_MARIADB_PID"
    local i
    for i in $(seq 1 100); do
      kill -0 "$HELHED_MARIADB_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$HELHED_MARIADB_PID" 2>/dev/null || true
  fi
  if [ -n "${HELHED_MARIADB_DIR:-}" ]; then rm -rf "$HELHED_MARIADB_DIR"; fi
  HELHED_MARIADB_PID=""
}
