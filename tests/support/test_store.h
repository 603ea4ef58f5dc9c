// Fresh, empty databases for tests: a SQLite file in a temp dir, or a new
// database on the MariaDB server that scripts/test starts.
//
// HELHED_TEST_MYSQL_URL: an admin URL of that server, e.g.
//   mysql://helhed:secret@127.0.0.1:33061/mysql
// HELHED_TEST_REQUIRE_MYSQL=1 (set by scripts/test): a missing server is a
// failure, not a skipped backend.
#ifndef HELHED_TESTS_SUPPORT_TEST_STORE_H_
#define HELHED_TESTS_SUPPORT_TEST_STORE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace helhed::testing {

enum class Backend { kSqlite, kMysql };

std::string BackendName(Backend b);

// The backends to run store tests on: SQLite, and MySQL when configured or
// required.
std::vector<Backend> TestBackends();

// Every backend, to instantiate parameterised tests with: the test names
// must not depend on the environment, because ctest discovers them once
// per build (PRE_TEST) and keeps that list; a run without
// HELHED_TEST_MYSQL_URL would otherwise hide the MariaDB variants from
// every later run, scripts/test included. A test skips, at run time, a
// backend TestBackends() does not name: HELHED_SKIP_UNLESS_ENABLED.
std::vector<Backend> AllBackends();
bool BackendEnabled(Backend b);

// A URL of a new, empty database on `b`.
absl::StatusOr<std::string> NewStoreUrl(Backend b);

// A new empty temporary directory under $TMPDIR (default /tmp). Removed
// with its contents when the process exits, unless a test failed or
// HELHED_KEEP_TEST_DIRS is set (then its path is printed).
std::string TempDir();

// Keeps every directory TempDir made at exit, e.g. a bench's service logs
// after a failure.
void KeepTempDirs();

// Removes `dir` now, if TempDir made it (anything else is left alone), e.g.
// a bench's store between runs.
void RemoveTempDir(const std::string& dir);

}  // namespace helhed::testing

// In a test or its SetUp: skips it when `backend` is not configured here.
#define HELHED_SKIP_UNLESS_ENABLED(backend)                                               \
  do {                                                                                    \
    if (!::helhed::testing::BackendEnabled(backend)) {                                    \
      GTEST_SKIP() << ::helhed::testing::BackendName(backend)                             \
                   << " is not configured (HELHED_TEST_MYSQL_URL; scripts/test sets it)"; \
    }                                                                                     \
  } while (0)

#endif  // HELHED_TESTS_SUPPORT_TEST_STORE_H_
