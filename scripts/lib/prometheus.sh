# Sourced by tests: a real Prometheus server on a free loopback port.
#   helhed_prometheus_start CONFIG DIR
#     starts `prometheus` with CONFIG, its TSDB in DIR/tsdb and its log in
#     DIR/prometheus.log; sets HELHED_PROMETHEUS_URL (http://127.0.0.1:PORT)
#     and HELHED_PROMETHEUS_PID once /-/ready answers as Prometheus. Returns
#     1 when it did not start (five ports tried). The caller stops it by its
#     PID.
# Ports are drawn below the kernel's ephemeral range (32768 and up), where
# the services under test get their ports (--listen=127.0.0.1:0), and a
# port is only taken once Prometheus itself says it is ready there.
helhed_prometheus_start() {
  local config=$1 dir=$2 port pid i
  HELHED_PROMETHEUS_URL=""
  HELHED_PROMETHEUS_PID=""
  for _ in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 12000))
    prometheus --config.file="$config" --storage.tsdb.path="$dir/tsdb" \
      --web.listen-address="127.0.0.1:$port" >"$dir/prometheus.log" 2>&1 &
    pid=$!
    for i in $(seq 1 150); do
      if curl -sf "http://127.0.0.1:$port/-/ready" 2>/dev/null | grep -q Prometheus; then
        HELHED_PROMETHEUS_URL="http://127.0.0.1:$port"
        HELHED_PROMETHEUS_PID=$pid
        return 0
      fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  return 1
}
