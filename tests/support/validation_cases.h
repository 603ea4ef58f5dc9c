// Helpers for table-driven validation tests: which fields a validator names
// for a resource, and one rule as a named case (a change to a good resource
// and the exact fields it must make bad).
#ifndef HELHED_TESTS_SUPPORT_VALIDATION_CASES_H_
#define HELHED_TESTS_SUPPORT_VALIDATION_CASES_H_

#include <algorithm>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "common/status/field_violations.h"
#include "gtest/gtest.h"

namespace helhed::testing {

inline std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    out += s;
  }
  return out;
}

using Fields = std::vector<std::string>;

// The fields `fn(m, prefix, violations)` names, sorted (the order of checks
// is not part of the contract).
template <typename Fn, typename M>
Fields BadFields(Fn fn, const M& m, const std::string& prefix) {
  FieldViolations v;
  fn(m, prefix, v);
  Fields out;
  for (const auto& f : v.violations()) {
    out.push_back(f.field);
  }
  std::sort(out.begin(), out.end());
  return out;
}

template <typename M>
struct Case {
  std::string name;
  std::function<void(M&)> mutate;
  Fields fields;
};

template <typename M>
void PrintTo(const Case<M>& c, std::ostream* os) {
  *os << c.name;
}

template <typename M>
std::string CaseName(const ::testing::TestParamInfo<Case<M>>& info) {
  return info.param.name;
}

}  // namespace helhed::testing

#endif  // HELHED_TESTS_SUPPORT_VALIDATION_CASES_H_
