// Status helpers for code that returns absl::Status / absl::StatusOr<T>.
//
//   absl::StatusOr<Plan> LoadPlan(...) {
//     HELHED_RETURN_IF_ERROR(CheckSomething());
//     HELHED_ASSIGN_OR_RETURN(Row row, conn.QueryOne(...));
//     ...
//   }
#ifndef HELHED_COMMON_STATUS_STATUS_MACROS_H_
#define HELHED_COMMON_STATUS_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define HELHED_STATUS_CONCAT_INNER_(a, b) a##b
#define HELHED_STATUS_CONCAT_(a, b) HELHED_STATUS_CONCAT_INNER_(a, b)

// Returns the status from the enclosing function if `expr` is not OK.
#define HELHED_RETURN_IF_ERROR(expr) \
  HELHED_RETURN_IF_ERROR_IMPL_(HELHED_STATUS_CONCAT_(helhed_status_, __LINE__), expr)

#define HELHED_RETURN_IF_ERROR_IMPL_(var, expr) \
  do {                                          \
    const ::absl::Status var = (expr);          \
    if (!var.ok()) return var;                  \
  } while (false)

// Evaluates `rexpr` (an absl::StatusOr<T>); on error returns its status,
// otherwise moves the value into `lhs` (which may be a declaration).
#define HELHED_ASSIGN_OR_RETURN(lhs, rexpr) \
  HELHED_ASSIGN_OR_RETURN_IMPL_(HELHED_STATUS_CONCAT_(helhed_statusor_, __LINE__), lhs, rexpr)

#define HELHED_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                  \
  if (!statusor.ok()) return statusor.status();             \
  lhs = std::move(statusor).value()

#endif  // HELHED_COMMON_STATUS_STATUS_MACROS_H_
