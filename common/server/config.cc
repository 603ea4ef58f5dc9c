#include "common/server/config.h"

#include <cstdlib>
#include <functional>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace helhed::server {
namespace {

struct Option {
  const char* flag;
  const char* env;
  const char* help;
  std::function<bool(ServerConfig&, const std::string&)> set;
};

bool SetInt(int& out, const std::string& v, int lo, int hi) {
  int x;
  if (!absl::SimpleAtoi(v, &x) || x < lo || x > hi) {
    return false;
  }
  out = x;
  return true;
}

const std::vector<Option>& Options() {
  static const auto* opts = new std::vector<Option>{
      {"listen", "HELHED_LISTEN", "gRPC listen address",
       [](ServerConfig& c, const std::string& v) {
         c.listen = v;
         return !v.empty();
       }},
      {"metrics-listen", "HELHED_METRICS_LISTEN", "metrics listen address",
       [](ServerConfig& c, const std::string& v) {
         c.metrics_listen = v;
         return !v.empty();
       }},
      {"store", "HELHED_STORE", "store URL",
       [](ServerConfig& c, const std::string& v) {
         c.store_url = v;
         return !v.empty();
       }},
      {"store-pool", "HELHED_STORE_POOL", "store connections (1-256)",
       [](ServerConfig& c, const std::string& v) { return SetInt(c.store_pool, v, 1, 256); }},
      {"log-level", "HELHED_LOG_LEVEL", "debug, info, warning or error",
       [](ServerConfig& c, const std::string& v) {
         c.log_level = v;
         return v == "debug" || v == "info" || v == "warning" || v == "error";
       }},
      {"tls-cert", "HELHED_TLS_CERT", "PEM certificate file",
       [](ServerConfig& c, const std::string& v) {
         c.tls_cert = v;
         return true;
       }},
      {"tls-key", "HELHED_TLS_KEY", "PEM private key file",
       [](ServerConfig& c, const std::string& v) {
         c.tls_key = v;
         return true;
       }},
      {"tls-client-ca", "HELHED_TLS_CLIENT_CA", "PEM CA for client certificates",
       [](ServerConfig& c, const std::string& v) {
         c.tls_client_ca = v;
         return true;
       }},
      {"drain-seconds", "HELHED_DRAIN_SECONDS", "shutdown drain deadline (0-600)",
       [](ServerConfig& c, const std::string& v) {
         int s;
         if (!SetInt(s, v, 0, 600)) return false;
         c.drain = absl::Seconds(s);
         return true;
       }},
      {"workers", "HELHED_WORKERS", "handler threads (1-512)",
       [](ServerConfig& c, const std::string& v) { return SetInt(c.workers, v, 1, 512); }},
      {"page-token-key", "HELHED_PAGE_TOKEN_KEY", "page token signing secret",
       [](ServerConfig& c, const std::string& v) {
         c.page_token_key = v;
         return true;
       }},
      {"port-file", "HELHED_PORT_FILE", "file to write the bound ports to",
       [](ServerConfig& c, const std::string& v) {
         c.port_file = v;
         return true;
       }},
      {"principal-key-file", "HELHED_PRINCIPAL_KEY_FILE",
       "file of >= 32 random bytes that signs the gateway's principal (same in every process)",
       [](ServerConfig& c, const std::string& v) {
         c.principal_key_file = v;
         return !v.empty();
       }},
      {"policy", "HELHED_POLICY", "role policy file (the same for the gateway and the services)",
       [](ServerConfig& c, const std::string& v) {
         c.policy_file = v;
         return !v.empty();
       }},
      {"principal-ttl-seconds", "HELHED_PRINCIPAL_TTL_SECONDS",
       "lifetime of a principal the gateway signs (1-60)",
       [](ServerConfig& c, const std::string& v) {
         int s;
         if (!SetInt(s, v, 1, 60)) return false;
         c.principal_ttl = absl::Seconds(s);
         return true;
       }},
      {"health-listen", "HELHED_HEALTH_LISTEN",
       "extra plaintext address serving only grpc.health.v1 (for probes when the main port "
       "requires mutual TLS); empty: none",
       [](ServerConfig& c, const std::string& v) {
         c.health_listen = v;
         return true;
       }},
      {"max-connection-age-seconds", "HELHED_MAX_CONNECTION_AGE_SECONDS",
       "close client connections after about this long so clients rebalance (0-86400; 0: "
       "never)",
       [](ServerConfig& c, const std::string& v) {
         int s;
         if (!SetInt(s, v, 0, 86400)) return false;
         c.max_connection_age = absl::Seconds(s);
         return true;
       }},
      {"max-connection-age-grace-seconds", "HELHED_MAX_CONNECTION_AGE_GRACE_SECONDS",
       "how long calls in flight on an aged connection may still run (0-3600)",
       [](ServerConfig& c, const std::string& v) {
         int s;
         if (!SetInt(s, v, 0, 3600)) return false;
         c.max_connection_age_grace = absl::Seconds(s);
         return true;
       }},
      {"migrate-only", "HELHED_MIGRATE_ONLY",
       "apply the store's migrations and exit 0 (a pre-upgrade Job); true or false",
       [](ServerConfig& c, const std::string& v) {
         if (v == "true" || v == "1") {
           c.migrate_only = true;
         } else if (v == "false" || v == "0") {
           c.migrate_only = false;
         } else {
           return false;
         }
         return true;
       }},
      {"migrate-lock-timeout-seconds", "HELHED_MIGRATE_LOCK_TIMEOUT_SECONDS",
       "how long start-up waits while another process migrates the database (1-86400)",
       [](ServerConfig& c, const std::string& v) {
         int s;
         if (!SetInt(s, v, 1, 86400)) return false;
         c.migrate_lock_timeout = absl::Seconds(s);
         return true;
       }},
  };
  return *opts;
}

}  // namespace

std::string Usage(const ServerConfig& d) {
  std::string out = absl::StrCat("usage: helhed-", d.service_name, " [flags]\n");
  for (const auto& o : Options()) {
    absl::StrAppend(&out, "  --", o.flag, "=VALUE   (", o.env, ") ", o.help, "\n");
  }
  absl::StrAppend(&out, "defaults: --listen=", d.listen, " --metrics-listen=", d.metrics_listen,
                  " --store=", d.store_url, "\n");
  return out;
}

absl::StatusOr<ServerConfig> LoadConfig(int argc, char** argv, ServerConfig defaults) {
  ServerConfig c = std::move(defaults);
  for (const auto& o : Options()) {
    const char* v = std::getenv(o.env);
    if (v != nullptr && *v != '\0' && !o.set(c, v)) {
      return absl::InvalidArgumentError(absl::StrCat("bad value of ", o.env));
    }
  }
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      return absl::CancelledError(Usage(c));
    }
    if (!absl::StartsWith(arg, "--")) {
      return absl::InvalidArgumentError(absl::StrCat("unexpected argument: ", arg));
    }
    std::string name = arg.substr(2);
    std::string value;
    size_t eq = name.find('=');
    if (eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else if (name == "migrate-only") {
      value = "true";  // a switch: the next argument is not its value
    } else if (i + 1 < argc) {
      value = argv[++i];
    }
    bool found = false;
    for (const auto& o : Options()) {
      if (name == o.flag) {
        found = true;
        if (!o.set(c, value)) {
          return absl::InvalidArgumentError(absl::StrCat("bad value for --", name));
        }
      }
    }
    if (!found) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag --", name));
    }
  }
  if (c.tls_cert.empty() != c.tls_key.empty()) {
    return absl::InvalidArgumentError("--tls-cert and --tls-key go together");
  }
  if (!c.tls_client_ca.empty() && c.tls_cert.empty()) {
    return absl::InvalidArgumentError("--tls-client-ca needs --tls-cert and --tls-key");
  }
  return c;
}

int PositiveEnvInt(const char* name, int fallback) {
  int v = fallback;
  if (const char* e = std::getenv(name); e != nullptr) {
    if (!absl::SimpleAtoi(e, &v) || v < 1) v = fallback;
  }
  return v;
}

}  // namespace helhed::server
