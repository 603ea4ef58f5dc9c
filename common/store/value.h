// Values bound to statement parameters and read from result columns.
#ifndef HELHED_COMMON_STORE_VALUE_H_
#define HELHED_COMMON_STORE_VALUE_H_

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/string_view.h"

namespace helhed::store {

// One SQL value: NULL, a 64-bit integer, a double, or bytes (TEXT or BLOB).
// Copyable; not tied to any connection.
class Value {
 public:
  Value() = default;  // NULL
  Value(std::nullptr_t) {}
  Value(int v) : v_(static_cast<int64_t>(v)) {}
  Value(int64_t v) : v_(v) {}
  Value(bool v) : v_(static_cast<int64_t>(v ? 1 : 0)) {}
  Value(double v) : v_(v) {}
  Value(std::string v) : v_(std::move(v)) {}
  Value(absl::string_view v) : v_(std::string(v)) {}
  Value(const char* v) : v_(std::string(v)) {}

  bool is_null() const { return std::holds_alternative<std::monostate>(v_); }
  bool is_int() const { return std::holds_alternative<int64_t>(v_); }
  bool is_double() const { return std::holds_alternative<double>(v_); }
  bool is_string() const { return std::holds_alternative<std::string>(v_); }

  // Conversions are lenient the way SQL columns are: NULL reads as 0 or "",
  // numbers stored as text are parsed, integers read as doubles.
  int64_t AsInt() const;
  double AsDouble() const;
  std::string AsString() const;
  const std::string& StringRef() const;  // only when is_string()

 private:
  std::variant<std::monostate, int64_t, double, std::string> v_;
};

// One result row, columns in SELECT order.
class Row {
 public:
  Row() = default;
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  size_t size() const { return values_.size(); }
  const Value& operator[](size_t i) const { return values_.at(i); }
  int64_t Int(size_t i) const { return values_.at(i).AsInt(); }
  double Double(size_t i) const { return values_.at(i).AsDouble(); }
  std::string Str(size_t i) const { return values_.at(i).AsString(); }
  bool IsNull(size_t i) const { return values_.at(i).is_null(); }
  std::vector<Value>& mutable_values() { return values_; }

 private:
  std::vector<Value> values_;
};

using Rows = std::vector<Row>;
using Params = std::vector<Value>;

}  // namespace helhed::store

#endif  // HELHED_COMMON_STORE_VALUE_H_
