// Numbered schema migrations, embedded in each service binary.
//
// Files are named NNNN_description.sql, or NNNN_description.sqlite.sql and
// NNNN_description.mysql.sql where the dialects differ. They run in order at
// start-up; applied versions are recorded in schema_migrations, so running
// them twice changes nothing.
#ifndef HELHED_COMMON_STORE_MIGRATIONS_H_
#define HELHED_COMMON_STORE_MIGRATIONS_H_

#include <string>
#include <vector>

namespace helhed::store {

struct MigrationFile {
  std::string name;  // file name, e.g. "0001_init.sqlite.sql"
  std::string sql;
};

}  // namespace helhed::store

#endif  // HELHED_COMMON_STORE_MIGRATIONS_H_
