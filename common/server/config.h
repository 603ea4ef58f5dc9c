// Process configuration from flags and environment. A flag wins over its
// environment variable, which wins over the service's default.
//
//   flag                 environment                  meaning
//   --listen             HELHED_LISTEN                gRPC address (host:port; port 0 picks one)
//   --metrics-listen     HELHED_METRICS_LISTEN        Prometheus /metrics address
//   --store              HELHED_STORE                 sqlite:///path.db or
//   mysql://user:pw@host:port/db
//   --store-pool         HELHED_STORE_POOL            connections in the pool
//   --log-level          HELHED_LOG_LEVEL             debug, info, warning, error
//   --tls-cert           HELHED_TLS_CERT              PEM server certificate (TLS when set)
//   --tls-key            HELHED_TLS_KEY               PEM private key
//   --tls-client-ca      HELHED_TLS_CLIENT_CA         PEM CA; when set, clients must present a cert
//   --drain-seconds      HELHED_DRAIN_SECONDS         how long shutdown waits for in-flight calls
//   --workers            HELHED_WORKERS               handler threads
//   --page-token-key     HELHED_PAGE_TOKEN_KEY        secret that signs page tokens (same on all
//   replicas)
//   --port-file          HELHED_PORT_FILE             write "grpc=P\nmetrics=P\n" once listening
//   --principal-key-file HELHED_PRINCIPAL_KEY_FILE    key (>= 32 bytes) that signs the principal
//   the gateway sends and the services verify; the same file for every process (required)
//   --policy             HELHED_POLICY                role policy file (common/auth/policy.h),
//   the same for the gateway and the services
//   --principal-ttl-seconds HELHED_PRINCIPAL_TTL_SECONDS  lifetime of a principal the gateway
//   signs (1-60, default 30; never past the call's deadline)
//   --max-connection-age-seconds HELHED_MAX_CONNECTION_AGE_SECONDS  a client connection is
//   closed (GOAWAY) after about this long, so clients re-resolve and spread over new replicas
//   (0: never; default 30)
//   --max-connection-age-grace-seconds HELHED_MAX_CONNECTION_AGE_GRACE_SECONDS  how long calls
//   in flight on such a connection may still run (default 10)
//   --migrate-only       HELHED_MIGRATE_ONLY          apply the store's migrations and exit 0 (a
//   pre-upgrade Job); a bare switch, or =true/=false
//   --migrate-lock-timeout-seconds HELHED_MIGRATE_LOCK_TIMEOUT_SECONDS  how long start-up waits
//   while another process migrates the same database (1-86400, default 300)
#ifndef HELHED_COMMON_SERVER_CONFIG_H_
#define HELHED_COMMON_SERVER_CONFIG_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace helhed::server {

struct ServerConfig {
  std::string service_name;  // "plans"
  std::string listen;
  std::string metrics_listen;
  std::string store_url;
  int store_pool = 8;
  std::string log_level = "info";
  std::string tls_cert;
  std::string tls_key;
  std::string tls_client_ca;
  absl::Duration drain = absl::Seconds(10);
  int workers = 16;
  std::string page_token_key;
  std::string port_file;
  std::string principal_key_file;
  std::string policy_file = "common/auth/default_policy.txt";
  absl::Duration principal_ttl = absl::Seconds(30);
  // Optional plaintext address that serves only grpc.health.v1, so that
  // Kubernetes' native gRPC probes (which cannot do TLS) can check a service
  // whose main port requires mutual TLS. Nothing else is served there.
  std::string health_listen;
  // GRPC_ARG_MAX_CONNECTION_AGE_MS / _GRACE_MS (zero age: connections live
  // on): clients behind a round_robin balancer reconnect, so replicas that
  // came up later get their share of the calls.
  absl::Duration max_connection_age = absl::Seconds(30);
  absl::Duration max_connection_age_grace = absl::Seconds(10);
  // Migrate the store, then exit (no servers start).
  bool migrate_only = false;
  // store::StoreOptions::migrate_lock_timeout.
  absl::Duration migrate_lock_timeout = absl::Seconds(300);
};

// Parses argv and the environment over `defaults`. --help prints usage and
// returns a CANCELLED status; anything unknown or malformed is
// INVALID_ARGUMENT naming the flag.
absl::StatusOr<ServerConfig> LoadConfig(int argc, char** argv, ServerConfig defaults);

std::string Usage(const ServerConfig& defaults);

// A positive whole number from the environment variable `name`, or
// `fallback` when it is unset, malformed or below 1 (a service's own tuning
// variables, e.g. HELHED_HOUSING_EXPIRY_SECONDS).
int PositiveEnvInt(const char* name, int fallback);

}  // namespace helhed::server

#endif  // HELHED_COMMON_SERVER_CONFIG_H_
