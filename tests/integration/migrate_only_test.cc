// --migrate-only (a pre-upgrade Job): the real helhed-plans binary applies
// its migrations, logs what it applied and exits 0 without serving; while
// another process holds the migration lock it waits, and after
// --migrate-lock-timeout-seconds exits 1 naming the lock. On SQLite and,
// when configured, on MariaDB.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/status/status_macros.h"
#include "common/store/database.h"
#include "gtest/gtest.h"
#include "tests/support/test_store.h"

namespace helhed::store {
const std::vector<MigrationFile>& PlansMigrations();
}

namespace helhed {
namespace {

using helhed::testing::Backend;

struct Exit {
  int code = -1;  // -1: killed after the timeout
  std::string log;
};

// Runs the plans binary with `args` to its end (killed after `timeout`).
Exit RunPlans(const std::vector<std::string>& args, absl::Duration timeout) {
  const std::string log_path = absl::StrCat(helhed::testing::TempDir(), "/plans.log");
  std::vector<std::string> all = {HELHED_PLANS_BINARY};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    const int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
  Exit result;
  const absl::Time deadline = absl::Now() + timeout;
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) != pid) {
    if (absl::Now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      status = -1;
      break;
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  if (status != -1 && WIFEXITED(status)) result.code = WEXITSTATUS(status);
  std::ifstream in(log_path);
  std::stringstream text;
  text << in.rdbuf();
  result.log = text.str();
  return result;
}

class MigrateOnlyTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    HELHED_SKIP_UNLESS_ENABLED(GetParam());
    auto url = helhed::testing::NewStoreUrl(GetParam());
    ASSERT_TRUE(url.ok()) << url.status();
    url_ = *url;
    dir_ = helhed::testing::TempDir();
  }

  // The plans versions of this backend's dialect.
  std::set<int64_t> PlansVersions() const {
    const char* other = GetParam() == Backend::kMysql ? ".sqlite.sql" : ".mysql.sql";
    std::set<int64_t> out;
    for (const auto& f : store::PlansMigrations()) {
      if (absl::EndsWith(f.name, other)) continue;
      out.insert(std::stoll(f.name.substr(0, f.name.find('_'))));
    }
    return out;
  }

  std::vector<std::string> Args(std::vector<std::string> extra) const {
    std::vector<std::string> args = {
        absl::StrCat("--store=", url_), "--listen=127.0.0.1:0", "--metrics-listen=127.0.0.1:0",
        absl::StrCat("--port-file=", dir_, "/ports"), "--log-level=info"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  std::string url_;
  std::string dir_;
};

TEST_P(MigrateOnlyTest, MigratesLogsAndExitsWithoutServing) {
  const Exit run = RunPlans(Args({"--migrate-only"}), absl::Seconds(60));
  ASSERT_EQ(run.code, 0) << run.log;
  EXPECT_NE(run.log.find("\"msg\":\"migrated\""), std::string::npos) << run.log;
  EXPECT_NE(run.log.find("0001_"), std::string::npos) << run.log;  // applied=0001_...
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/ports")) << "it served: " << run.log;
  auto db = store::Database::Open(url_, store::StoreOptions());
  ASSERT_TRUE(db.ok()) << db.status();
  std::set<int64_t> recorded;
  ASSERT_TRUE((*db)
                  ->Run([&](store::Connection& c) -> absl::Status {
                    HELHED_ASSIGN_OR_RETURN(store::Rows rows,
                                            c.Query("SELECT version FROM schema_migrations", {}));
                    for (const auto& r : rows) recorded.insert(r.Int(0));
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(recorded, PlansVersions());

  // Again: nothing left to apply.
  const Exit again = RunPlans(Args({"--migrate-only"}), absl::Seconds(60));
  ASSERT_EQ(again.code, 0) << again.log;
  EXPECT_NE(again.log.find("\"applied\":\"none\""), std::string::npos) << again.log;
}

TEST_P(MigrateOnlyTest, GivesUpNamingTheLockWhileAnotherProcessMigrates) {
  auto holder = store::Database::Open(url_, store::StoreOptions());
  ASSERT_TRUE(holder.ok()) << holder.status();
  const bool mysql = GetParam() == Backend::kMysql;
  const std::string lock =
      mysql ? absl::StrCat("helhed_migrate_", store::ParseStoreUrl(url_)->database)
            : "sqlite write lock of";
  Exit run;
  absl::Status held = (*holder)->Run([&](store::Connection& c) -> absl::Status {
    if (mysql) {
      HELHED_RETURN_IF_ERROR(c.Query("SELECT GET_LOCK(?, 0)", {lock}).status());
    } else {
      HELHED_RETURN_IF_ERROR(c.Begin(/*write=*/true));
    }
    run = RunPlans(Args({"--migrate-only", "--migrate-lock-timeout-seconds=2"}), absl::Seconds(60));
    return mysql ? c.Query("SELECT RELEASE_LOCK(?)", {lock}).status() : c.Rollback();
  });
  ASSERT_TRUE(held.ok()) << held;
  EXPECT_EQ(run.code, 1) << run.log;
  EXPECT_NE(run.log.find("waiting for another process's migration"), std::string::npos) << run.log;
  EXPECT_NE(run.log.find(absl::StrCat("migration lock ", lock)), std::string::npos) << run.log;
  // Once the lock is free, the Job succeeds.
  const Exit after = RunPlans(Args({"--migrate-only"}), absl::Seconds(60));
  EXPECT_EQ(after.code, 0) << after.log;
}

INSTANTIATE_TEST_SUITE_P(Backends, MigrateOnlyTest,
                         ::testing::ValuesIn(helhed::testing::AllBackends()),
                         [](const auto& p) { return helhed::testing::BackendName(p.param); });

}  // namespace
}  // namespace helhed
