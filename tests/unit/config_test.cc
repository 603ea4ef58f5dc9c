// Tests of common/server/config: flags over environment over defaults, and
// errors that name the flag or variable at fault.
#include "common/server/config.h"

#include <stdlib.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace helhed::server {
namespace {

const char* const kEnvVars[] = {
    "HELHED_LISTEN",         "HELHED_METRICS_LISTEN",
    "HELHED_STORE",          "HELHED_STORE_POOL",
    "HELHED_LOG_LEVEL",      "HELHED_TLS_CERT",
    "HELHED_TLS_KEY",        "HELHED_TLS_CLIENT_CA",
    "HELHED_DRAIN_SECONDS",  "HELHED_WORKERS",
    "HELHED_PAGE_TOKEN_KEY", "HELHED_PORT_FILE",
    "HELHED_MIGRATE_ONLY",   "HELHED_MIGRATE_LOCK_TIMEOUT_SECONDS",
};

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* v : kEnvVars) {
      unsetenv(v);
    }
  }
  void TearDown() override { SetUp(); }

  static ServerConfig Defaults() {
    ServerConfig d;
    d.service_name = "plans";
    d.listen = "127.0.0.1:50061";
    d.metrics_listen = "127.0.0.1:9461";
    d.store_url = "sqlite://var/plans.db";
    return d;
  }

  static absl::StatusOr<ServerConfig> Load(std::vector<std::string> args) {
    args.insert(args.begin(), "helhed-plans");
    std::vector<char*> argv;
    for (auto& a : args) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    return LoadConfig(static_cast<int>(args.size()), argv.data(), Defaults());
  }
};

void ExpectInvalidNaming(const absl::StatusOr<ServerConfig>& c, const std::string& name) {
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument) << c.status();
  EXPECT_NE(std::string(c.status().message()).find(name), std::string::npos)
      << c.status() << " does not name " << name;
}

TEST_F(ConfigTest, DefaultsWhenNothingIsGiven) {
  auto c = Load({});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->listen, "127.0.0.1:50061");
  EXPECT_EQ(c->metrics_listen, "127.0.0.1:9461");
  EXPECT_EQ(c->store_url, "sqlite://var/plans.db");
  EXPECT_EQ(c->store_pool, 8);
  EXPECT_EQ(c->log_level, "info");
  EXPECT_EQ(c->drain, absl::Seconds(10));
  EXPECT_EQ(c->workers, 16);
}

TEST_F(ConfigTest, EnvironmentOverridesDefaults) {
  setenv("HELHED_LISTEN", "0.0.0.0:7000", 1);
  setenv("HELHED_STORE", "mysql://u:p@db/plans", 1);
  setenv("HELHED_STORE_POOL", "32", 1);
  setenv("HELHED_DRAIN_SECONDS", "45", 1);
  setenv("HELHED_PAGE_TOKEN_KEY", "k1", 1);
  auto c = Load({});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->listen, "0.0.0.0:7000");
  EXPECT_EQ(c->store_url, "mysql://u:p@db/plans");
  EXPECT_EQ(c->store_pool, 32);
  EXPECT_EQ(c->drain, absl::Seconds(45));
  EXPECT_EQ(c->page_token_key, "k1");
  EXPECT_EQ(c->metrics_listen, "127.0.0.1:9461");  // untouched
}

TEST_F(ConfigTest, EmptyEnvironmentValueIsIgnored) {
  setenv("HELHED_LISTEN", "", 1);
  auto c = Load({});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->listen, "127.0.0.1:50061");
}

TEST_F(ConfigTest, FlagsOverrideEnvironment) {
  setenv("HELHED_LISTEN", "0.0.0.0:7000", 1);
  setenv("HELHED_STORE_POOL", "32", 1);
  setenv("HELHED_LOG_LEVEL", "debug", 1);
  auto c = Load({"--listen=127.0.0.1:0", "--store-pool", "4", "--log-level=warning"});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->listen, "127.0.0.1:0");
  EXPECT_EQ(c->store_pool, 4);
  EXPECT_EQ(c->log_level, "warning");
}

TEST_F(ConfigTest, EveryFlag) {
  auto c =
      Load({"--listen=a:1", "--metrics-listen=b:2", "--store=sqlite:///x.db", "--store-pool=256",
            "--log-level=error", "--tls-cert=/c.pem", "--tls-key=/k.pem", "--tls-client-ca=/ca.pem",
            "--drain-seconds=0", "--workers=512", "--page-token-key=pk", "--port-file=/tmp/ports"});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->listen, "a:1");
  EXPECT_EQ(c->metrics_listen, "b:2");
  EXPECT_EQ(c->store_url, "sqlite:///x.db");
  EXPECT_EQ(c->store_pool, 256);
  EXPECT_EQ(c->log_level, "error");
  EXPECT_EQ(c->tls_cert, "/c.pem");
  EXPECT_EQ(c->tls_key, "/k.pem");
  EXPECT_EQ(c->tls_client_ca, "/ca.pem");
  EXPECT_EQ(c->drain, absl::ZeroDuration());
  EXPECT_EQ(c->workers, 512);
  EXPECT_EQ(c->page_token_key, "pk");
  EXPECT_EQ(c->port_file, "/tmp/ports");
}

TEST_F(ConfigTest, MigrateOnlyIsASwitchAndTheLockTimeoutSeconds) {
  auto d = Load({});
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_FALSE(d->migrate_only);
  EXPECT_EQ(d->migrate_lock_timeout, absl::Seconds(300));
  // A bare --migrate-only does not take the next argument as its value.
  auto c =
      Load({"--migrate-only", "--store", "sqlite:///m.db", "--migrate-lock-timeout-seconds", "30"});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->migrate_only);
  EXPECT_EQ(c->store_url, "sqlite:///m.db");
  EXPECT_EQ(c->migrate_lock_timeout, absl::Seconds(30));
  auto off = Load({"--migrate-only=false"});
  ASSERT_TRUE(off.ok()) << off.status();
  EXPECT_FALSE(off->migrate_only);
  setenv("HELHED_MIGRATE_ONLY", "true", 1);
  setenv("HELHED_MIGRATE_LOCK_TIMEOUT_SECONDS", "600", 1);
  auto env = Load({});
  ASSERT_TRUE(env.ok()) << env.status();
  EXPECT_TRUE(env->migrate_only);
  EXPECT_EQ(env->migrate_lock_timeout, absl::Seconds(600));
  unsetenv("HELHED_MIGRATE_LOCK_TIMEOUT_SECONDS");
  setenv("HELHED_MIGRATE_ONLY", "yes please", 1);
  ExpectInvalidNaming(Load({}), "HELHED_MIGRATE_ONLY");
  unsetenv("HELHED_MIGRATE_ONLY");
  ExpectInvalidNaming(Load({"--migrate-only=maybe"}), "--migrate-only");
  ExpectInvalidNaming(Load({"--migrate-lock-timeout-seconds=0"}), "--migrate-lock-timeout-seconds");
  ExpectInvalidNaming(Load({"--migrate-lock-timeout-seconds=86401"}),
                      "--migrate-lock-timeout-seconds");
}

TEST_F(ConfigTest, BadFlagValuesNameTheFlag) {
  ExpectInvalidNaming(Load({"--store-pool=0"}), "--store-pool");
  ExpectInvalidNaming(Load({"--store-pool=257"}), "--store-pool");
  ExpectInvalidNaming(Load({"--store-pool=many"}), "--store-pool");
  ExpectInvalidNaming(Load({"--workers=0"}), "--workers");
  ExpectInvalidNaming(Load({"--workers=513"}), "--workers");
  ExpectInvalidNaming(Load({"--drain-seconds=-1"}), "--drain-seconds");
  ExpectInvalidNaming(Load({"--drain-seconds=601"}), "--drain-seconds");
  ExpectInvalidNaming(Load({"--log-level=verbose"}), "--log-level");
  ExpectInvalidNaming(Load({"--listen="}), "--listen");
  ExpectInvalidNaming(Load({"--store="}), "--store");
  ExpectInvalidNaming(Load({"--listen"}), "--listen");  // no value at all
}

TEST_F(ConfigTest, BadEnvironmentValuesNameTheVariable) {
  setenv("HELHED_WORKERS", "lots", 1);
  ExpectInvalidNaming(Load({}), "HELHED_WORKERS");
  unsetenv("HELHED_WORKERS");
  setenv("HELHED_LOG_LEVEL", "trace", 1);
  ExpectInvalidNaming(Load({}), "HELHED_LOG_LEVEL");
}

TEST_F(ConfigTest, UnknownFlagsAndArguments) {
  ExpectInvalidNaming(Load({"--lisen=x"}), "--lisen");
  ExpectInvalidNaming(Load({"stray"}), "stray");
  ExpectInvalidNaming(Load({"-listen=x"}), "-listen=x");
}

TEST_F(ConfigTest, TlsFlagsGoTogether) {
  ExpectInvalidNaming(Load({"--tls-cert=/c.pem"}), "--tls-key");
  ExpectInvalidNaming(Load({"--tls-key=/k.pem"}), "--tls-cert");
  ExpectInvalidNaming(Load({"--tls-client-ca=/ca.pem"}), "--tls-client-ca");
  EXPECT_TRUE(Load({"--tls-cert=/c.pem", "--tls-key=/k.pem"}).ok());
}

TEST_F(ConfigTest, HelpIsCancelledWithUsage) {
  auto c = Load({"--help"});
  ASSERT_EQ(c.status().code(), absl::StatusCode::kCancelled);
  const std::string usage(c.status().message());
  EXPECT_NE(usage.find("helhed-plans"), std::string::npos) << usage;
  for (const char* flag : {"--listen", "--store", "--store-pool", "--page-token-key"}) {
    EXPECT_NE(usage.find(flag), std::string::npos) << flag;
  }
  EXPECT_NE(usage.find("HELHED_STORE"), std::string::npos);
  EXPECT_EQ(Load({"-h"}).status().code(), absl::StatusCode::kCancelled);
}

}  // namespace
}  // namespace helhed::server
