// Tests of common/store/value: the lenient conversions of SQL values.
#include "common/store/value.h"

#include <cstdint>
#include <limits>
#include <string>

#include "gtest/gtest.h"

namespace helhed::store {
namespace {

TEST(ValueTest, Kinds) {
  EXPECT_TRUE(Value().is_null());
  EXPECT_TRUE(Value(nullptr).is_null());
  EXPECT_TRUE(Value(3).is_int());
  EXPECT_TRUE(Value(int64_t{3}).is_int());
  EXPECT_TRUE(Value(true).is_int());
  EXPECT_TRUE(Value(2.5).is_double());
  EXPECT_TRUE(Value("x").is_string());
  EXPECT_TRUE(Value(std::string("x")).is_string());
  EXPECT_TRUE(Value(absl::string_view("x")).is_string());
}

TEST(ValueTest, Conversions) {
  EXPECT_EQ(Value().AsInt(), 0);
  EXPECT_EQ(Value().AsString(), "");
  EXPECT_EQ(Value().AsDouble(), 0.0);
  EXPECT_EQ(Value(true).AsInt(), 1);
  EXPECT_EQ(Value(false).AsInt(), 0);
  EXPECT_EQ(Value(std::numeric_limits<int64_t>::max()).AsInt(),
            std::numeric_limits<int64_t>::max());
  EXPECT_EQ(Value(int64_t{-7}).AsString(), "-7");
  EXPECT_EQ(Value(int64_t{7}).AsDouble(), 7.0);
  EXPECT_EQ(Value(2.9).AsInt(), 2);
  EXPECT_EQ(Value("42").AsInt(), 42);
  EXPECT_EQ(Value("18446744073709551615").AsString(), "18446744073709551615");
  EXPECT_DOUBLE_EQ(Value("2.5").AsDouble(), 2.5);
}

TEST(ValueTest, BytesAreKeptWhole) {
  const std::string bytes("a\0b\xff", 4);
  Value v(bytes);
  EXPECT_EQ(v.StringRef(), bytes);
  EXPECT_EQ(v.AsString().size(), 4u);
}

TEST(RowTest, Accessors) {
  Row r({Value(int64_t{5}), Value("tekst"), Value(), Value(1.25)});
  EXPECT_EQ(r.size(), 4u);
  EXPECT_EQ(r.Int(0), 5);
  EXPECT_EQ(r.Str(1), "tekst");
  EXPECT_TRUE(r.IsNull(2));
  EXPECT_FALSE(r.IsNull(1));
  EXPECT_DOUBLE_EQ(r.Double(3), 1.25);
  EXPECT_THROW(r[4], std::out_of_range);
}

}  // namespace
}  // namespace helhed::store
