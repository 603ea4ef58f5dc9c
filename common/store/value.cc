#include "common/store/value.h"

#include <cstdlib>

namespace helhed::store {

int64_t Value::AsInt() const {
  if (const auto* i = std::get_if<int64_t>(&v_)) {
    return *i;
  }
  if (const auto* d = std::get_if<double>(&v_)) {
    return static_cast<int64_t>(*d);
  }
  if (const auto* s = std::get_if<std::string>(&v_)) {
    return std::strtoll(s->c_str(), nullptr, 10);
  }
  return 0;
}

double Value::AsDouble() const {
  if (const auto* d = std::get_if<double>(&v_)) {
    return *d;
  }
  if (const auto* i = std::get_if<int64_t>(&v_)) {
    return static_cast<double>(*i);
  }
  if (const auto* s = std::get_if<std::string>(&v_)) {
    return std::strtod(s->c_str(), nullptr);
  }
  return 0;
}

std::string Value::AsString() const {
  if (const auto* s = std::get_if<std::string>(&v_)) {
    return *s;
  }
  if (const auto* i = std::get_if<int64_t>(&v_)) {
    return std::to_string(*i);
  }
  if (const auto* d = std::get_if<double>(&v_)) {
    return std::to_string(*d);
  }
  return "";
}

const std::string& Value::StringRef() const { return std::get<std::string>(v_); }

}  // namespace helhed::store
