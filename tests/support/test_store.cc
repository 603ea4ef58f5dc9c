#include "tests/support/test_store.h"

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <random>
#include <system_error>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/store/database.h"
#include "gtest/gtest.h"

namespace helhed::testing {
namespace {

const char* Env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : nullptr;
}

// The directories TempDir made in this process, removed at its exit.
std::mutex temp_dirs_mu;
std::vector<std::string>* temp_dirs = nullptr;
bool keep_temp_dirs = false;  // KeepTempDirs()

// Removes the directories TempDir made, unless a test failed, KeepTempDirs()
// was called or HELHED_KEEP_TEST_DIRS is set: then they stay, for their
// stores and service logs, and their paths are printed.
void RemoveTempDirs() {
  std::lock_guard<std::mutex> lock(temp_dirs_mu);
  const bool keep = keep_temp_dirs || Env("HELHED_KEEP_TEST_DIRS") != nullptr ||
                    ::testing::UnitTest::GetInstance()->Failed();
  for (const std::string& dir : *temp_dirs) {
    if (keep) {
      std::fprintf(stderr, "kept %s\n", dir.c_str());
      continue;
    }
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
  temp_dirs->clear();
}

}  // namespace

std::string BackendName(Backend b) { return b == Backend::kSqlite ? "sqlite" : "mysql"; }

std::vector<Backend> TestBackends() {
  std::vector<Backend> out = {Backend::kSqlite};
  if (Env("HELHED_TEST_MYSQL_URL") != nullptr || Env("HELHED_TEST_REQUIRE_MYSQL") != nullptr) {
    out.push_back(Backend::kMysql);
  }
  return out;
}

std::vector<Backend> AllBackends() { return {Backend::kSqlite, Backend::kMysql}; }

bool BackendEnabled(Backend b) {
  const std::vector<Backend> enabled = TestBackends();
  return std::find(enabled.begin(), enabled.end(), b) != enabled.end();
}

void KeepTempDirs() {
  std::lock_guard<std::mutex> lock(temp_dirs_mu);
  keep_temp_dirs = true;
}

void RemoveTempDir(const std::string& dir) {
  std::lock_guard<std::mutex> lock(temp_dirs_mu);
  if (temp_dirs == nullptr) return;
  auto it = std::find(temp_dirs->begin(), temp_dirs->end(), dir);
  if (it == temp_dirs->end()) return;  // not one of ours
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  temp_dirs->erase(it);
}

std::string TempDir() {
  std::string tmpl =
      absl::StrCat(Env("TMPDIR") != nullptr ? Env("TMPDIR") : "/tmp", "/helhed-test-XXXXXX");
  char* dir = mkdtemp(tmpl.data());
  if (dir == nullptr) {
    return "/tmp";
  }
  std::lock_guard<std::mutex> lock(temp_dirs_mu);
  if (temp_dirs == nullptr) {
    temp_dirs = new std::vector<std::string>();  // outlives static destructors
    std::atexit(RemoveTempDirs);
  }
  temp_dirs->push_back(dir);
  return dir;
}

absl::StatusOr<std::string> NewStoreUrl(Backend b) {
  if (b == Backend::kSqlite) {
    return absl::StrCat("sqlite://", TempDir(), "/test.db");
  }
  const char* admin = Env("HELHED_TEST_MYSQL_URL");
  if (admin == nullptr) {
    return absl::FailedPreconditionError(
        "HELHED_TEST_MYSQL_URL is not set: run the tests through scripts/test, which starts "
        "MariaDB");
  }
  auto parsed = store::ParseStoreUrl(admin);
  if (!parsed.ok()) {
    return parsed.status();
  }
  static std::atomic<int> counter{0};
  std::random_device rd;
  const std::string name = absl::StrFormat("helhed_t%d_%d_%08x", getpid(), counter++, rd());
  store::StoreOptions opts;
  opts.pool_size = 1;
  auto db = store::Database::Open(admin, opts);
  if (!db.ok()) {
    return db.status();
  }
  absl::Status s = (*db)->Run([&](store::Connection& c) {
    return c.ExecuteScript(
        absl::StrCat("CREATE DATABASE ", name, " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"));
  });
  if (!s.ok()) {
    return s;
  }
  return absl::StrCat("mysql://", parsed->user, ":", parsed->password, "@", parsed->host, ":",
                      parsed->port, "/", name);
}

}  // namespace helhed::testing
