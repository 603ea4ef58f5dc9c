// Tests of the shared field checks in common/status/validation.{h,cc}: each
// check adds a violation naming the exact field, accepts good input, and a
// Validator collects every bad field at once.
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "common/status/field_violations.h"
#include "common/status/validation.h"
#include "gtest/gtest.h"
#include "helhed/common/v1/common.pb.h"

namespace helhed {
namespace {

using helhed::common::v1::LifeArea_IsValid;
using helhed::common::v1::TargetGroup_IsValid;

google::type::Date MakeDate(int y, int m, int d) {
  google::type::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    out += s;
  }
  return out;
}

// Fields named by the violations, in the order they were added.
std::vector<std::string> Fields(const FieldViolations& v) {
  std::vector<std::string> out;
  for (const auto& f : v.violations()) {
    out.push_back(f.field);
  }
  return out;
}

std::string DescriptionOf(const FieldViolations& v, const std::string& field) {
  for (const auto& f : v.violations()) {
    if (f.field == field) {
      return f.description;
    }
  }
  return "<no violation on " + field + ">";
}

// ---------------------------------------------------------------------------
// Utf8Length

TEST(Utf8LengthTest, CountsCodePointsNotBytes) {
  EXPECT_EQ(Utf8Length(""), 0);
  EXPECT_EQ(Utf8Length("abc"), 3);
  EXPECT_EQ(Utf8Length("æøå"), 3);
  EXPECT_EQ(Utf8Length("ÆØÅ"), 3);
  EXPECT_EQ(Utf8Length("Ærø Kommune"), 11);
  EXPECT_EQ(Utf8Length("\xE2\x82\xAC"), 1);          // €
  EXPECT_EQ(Utf8Length("\xF0\x9F\x98\x80"), 1);      // an emoji (4 bytes)
  EXPECT_EQ(Utf8Length("\xF4\x8F\xBF\xBF"), 1);      // U+10FFFF, the last code point
  EXPECT_EQ(Utf8Length(std::string("a\0b", 3)), 3);  // NUL is a code point
}

TEST(Utf8LengthTest, RejectsMalformedSequences) {
  EXPECT_EQ(Utf8Length("\xC3"), -1);                  // truncated 2-byte sequence
  EXPECT_EQ(Utf8Length("abc\xE2\x82"), -1);           // truncated 3-byte sequence at the end
  EXPECT_EQ(Utf8Length("\x80"), -1);                  // lone continuation byte
  EXPECT_EQ(Utf8Length("\xC3\x28"), -1);              // lead byte without continuation
  EXPECT_EQ(Utf8Length("\xFF"), -1);                  // never valid
  EXPECT_EQ(Utf8Length("\xF8\x88\x80\x80\x80"), -1);  // 5-byte form
}

TEST(Utf8LengthTest, RejectsOverlongSurrogateAndOutOfRangeEncodings) {
  // Overlong forms are not UTF-8; "\xC0\x8A" is a disguised newline and
  // "\xC0\x80" a disguised NUL.
  EXPECT_EQ(Utf8Length("\xC0\x8A"), -1);
  EXPECT_EQ(Utf8Length("\xC0\x80"), -1);
  EXPECT_EQ(Utf8Length("\xC1\xBF"), -1);
  EXPECT_EQ(Utf8Length("\xE0\x80\xAF"), -1);
  EXPECT_EQ(Utf8Length("\xF0\x80\x80\xAF"), -1);
  // UTF-16 surrogates are not code points.
  EXPECT_EQ(Utf8Length("\xED\xA0\x80"), -1);
  EXPECT_EQ(Utf8Length("\xED\xBF\xBF"), -1);
  // Above U+10FFFF.
  EXPECT_EQ(Utf8Length("\xF4\x90\x80\x80"), -1);
  EXPECT_EQ(Utf8Length("\xF5\x80\x80\x80"), -1);
  // The neighbours that are valid.
  EXPECT_EQ(Utf8Length("\xC2\x80"), 1);          // U+0080
  EXPECT_EQ(Utf8Length("\xE0\xA0\x80"), 1);      // U+0800
  EXPECT_EQ(Utf8Length("\xED\x9F\xBF"), 1);      // U+D7FF
  EXPECT_EQ(Utf8Length("\xEE\x80\x80"), 1);      // U+E000
  EXPECT_EQ(Utf8Length("\xF0\x90\x80\x80"), 1);  // U+10000
}

// ---------------------------------------------------------------------------
// Dates

TEST(DateTest, LeapYears) {
  EXPECT_TRUE(IsValidDate(MakeDate(2024, 2, 29)));
  EXPECT_TRUE(IsValidDate(MakeDate(2000, 2, 29)));  // divisible by 400
  EXPECT_FALSE(IsValidDate(MakeDate(2023, 2, 29)));
  EXPECT_FALSE(IsValidDate(MakeDate(1900, 2, 29)));  // divisible by 100, not 400
  EXPECT_FALSE(IsValidDate(MakeDate(2100, 2, 29)));
  EXPECT_FALSE(IsValidDate(MakeDate(2024, 2, 30)));
}

TEST(DateTest, MonthLengthsAndRange) {
  EXPECT_TRUE(IsValidDate(MakeDate(2023, 1, 31)));
  EXPECT_FALSE(IsValidDate(MakeDate(2023, 4, 31)));
  EXPECT_TRUE(IsValidDate(MakeDate(2023, 12, 31)));
  EXPECT_FALSE(IsValidDate(MakeDate(2023, 13, 1)));
  EXPECT_FALSE(IsValidDate(MakeDate(2023, 0, 1)));
  EXPECT_FALSE(IsValidDate(MakeDate(2023, 1, 0)));
  EXPECT_FALSE(IsValidDate(MakeDate(2023, 1, 32)));
  EXPECT_FALSE(IsValidDate(MakeDate(1899, 12, 31)));
  EXPECT_TRUE(IsValidDate(MakeDate(1900, 1, 1)));
  EXPECT_TRUE(IsValidDate(MakeDate(2200, 12, 31)));
  EXPECT_FALSE(IsValidDate(MakeDate(2201, 1, 1)));
  EXPECT_FALSE(IsValidDate(google::type::Date()));
}

TEST(DateTest, DateKeyOrdersDates) {
  EXPECT_EQ(DateKey(MakeDate(2024, 3, 7)), 20240307);
  EXPECT_LT(DateKey(MakeDate(2023, 12, 31)), DateKey(MakeDate(2024, 1, 1)));
  EXPECT_LT(DateKey(MakeDate(2024, 1, 31)), DateKey(MakeDate(2024, 2, 1)));
}

TEST(ValidatorTest, DateNamesFieldAndHonoursRequired) {
  FieldViolations v;
  Validator c(v);
  c.Date("activity.start_date", true, MakeDate(2023, 2, 29), false);
  c.Date("activity.due_date", true, MakeDate(2024, 2, 29), false);  // fine
  c.Date("progress.update_date", false, google::type::Date(), true);
  c.Date("goal.target_date", false, google::type::Date(), false);  // optional and absent: fine
  EXPECT_EQ(Fields(v), (std::vector<std::string>{"activity.start_date", "progress.update_date"}));
  EXPECT_EQ(DescriptionOf(v, "progress.update_date"), "is required");
}

TEST(ValidatorTest, NotBeforeRejectsEndBeforeStart) {
  FieldViolations v;
  Validator c(v);
  c.NotBefore("activity.due_date", MakeDate(2024, 3, 1), MakeDate(2024, 3, 2));
  EXPECT_EQ(Fields(v), std::vector<std::string>{"activity.due_date"});

  FieldViolations ok;
  Validator c2(ok);
  c2.NotBefore("activity.due_date", MakeDate(2024, 3, 2), MakeDate(2024, 3, 2));  // same day
  c2.NotBefore("activity.due_date", MakeDate(2025, 1, 1), MakeDate(2024, 12, 31));
  EXPECT_TRUE(ok.empty());
}

// ---------------------------------------------------------------------------
// Years and periods

TEST(ValidatorTest, PeriodEndBeforeStartNamesEndYear) {
  helhed::common::v1::YearPeriod p;
  p.set_start_year(2024);
  p.set_end_year(2023);
  FieldViolations v;
  Validator(v).Period("plan.period", true, p, true);
  EXPECT_EQ(Fields(v), std::vector<std::string>{"plan.period.end_year"});
}

TEST(ValidatorTest, PeriodOutOfRangeYearsNameEachEnd) {
  helhed::common::v1::YearPeriod p;
  p.set_start_year(0);
  p.set_end_year(2300);
  FieldViolations v;
  Validator(v).Period("policy.period", true, p, true);
  EXPECT_EQ(Fields(v),
            (std::vector<std::string>{"policy.period.start_year", "policy.period.end_year"}));
}

TEST(ValidatorTest, PeriodMissingAndGood) {
  FieldViolations v;
  Validator c(v);
  c.Period("plan.period", false, helhed::common::v1::YearPeriod(), true);
  c.Period("other.period", false, helhed::common::v1::YearPeriod(), false);
  helhed::common::v1::YearPeriod good;
  good.set_start_year(2023);
  good.set_end_year(2023);  // one year
  c.Period("good.period", true, good, true);
  EXPECT_EQ(Fields(v), std::vector<std::string>{"plan.period"});
  EXPECT_EQ(DescriptionOf(v, "plan.period"), "is required");
}

TEST(ValidatorTest, Year) {
  FieldViolations v;
  Validator c(v);
  c.Year("a", 0, false);  // optional: 0 means unset
  c.Year("b", 0, true);
  c.Year("c", 1899, false);
  c.Year("d", 2201, false);
  c.Year("e", 1900, true);
  c.Year("f", 2200, true);
  EXPECT_EQ(Fields(v), (std::vector<std::string>{"b", "c", "d"}));
}

// ---------------------------------------------------------------------------
// Text

TEST(ValidatorTest, TitleLengthCountsCharactersNotBytes) {
  FieldViolations v;
  Validator c(v);
  // 200 Danish letters are 400 bytes but 200 characters: fine.
  c.Title("plan.title", Repeat("æ", 200), 200);
  c.Title("policy.title", Repeat("ø", 201), 200);
  c.Title("track.title", Repeat("a", 201), 200);
  EXPECT_EQ(Fields(v), (std::vector<std::string>{"policy.title", "track.title"}));
  EXPECT_EQ(DescriptionOf(v, "policy.title"), "must be at most 200 characters");
}

TEST(ValidatorTest, TitleRequiredAndBlank) {
  FieldViolations v;
  Validator c(v);
  c.Title("a.title", "", 200);
  c.Title("b.title", "   \t ", 200);
  c.Title("c.title", "Voksenhandicapplan 2020-2023", 200);
  EXPECT_EQ(Fields(v), (std::vector<std::string>{"a.title", "b.title"}));
  EXPECT_EQ(DescriptionOf(v, "a.title"), "is required");
}

TEST(ValidatorTest, SingleLineTextRejectsControlCharacters) {
  FieldViolations v;
  Validator c(v);
  c.Title("a", "two\nlines", 200);
  c.Title("b", "tab\there", 200);
  c.Line("c", std::string("nul\0byte", 8), 200);
  c.Line("d", "del\x7f", 200);
  c.Line("e", "bell\a", 200);
  c.Line("f", "Ærø – “quoted” ok", 200);
  c.Line("g", "", 200);  // optional line may be empty
  EXPECT_EQ(Fields(v), (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  EXPECT_EQ(DescriptionOf(v, "a"), "must not contain control characters");
}

TEST(ValidatorTest, MultiLineTextAllowsNewlinesAndTabsOnly) {
  FieldViolations v;
  Validator c(v);
  c.Text("a", "line 1\nline 2\r\n\tindented", 4000);
  c.Text("b", "escape \x1b[31m", 4000);
  c.Text("c", std::string("nul\0", 4), 4000);
  c.Text("d", "", 4000, /*required=*/false);
  c.Text("e", " \n ", 4000, /*required=*/true);
  c.Text("f", Repeat("å", 4000), 4000);
  c.Text("g", Repeat("å", 4001), 4000);
  EXPECT_EQ(Fields(v), (std::vector<std::string>{"b", "c", "e", "g"}));
  EXPECT_EQ(DescriptionOf(v, "e"), "is required");
}

TEST(ValidatorTest, InvalidUtf8IsReported) {
  FieldViolations v;
  Validator c(v);
  c.Title("a", "bad \xC3", 200);
  c.Line("b", "\xFF\xFE", 200);
  c.Text("c", "x\xE2\x82", 4000);
  EXPECT_EQ(Fields(v), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(DescriptionOf(v, "a"), "is not valid UTF-8");
}

TEST(ValidatorTest, OverlongEncodedNewlineDoesNotSlipThroughATitle) {
  FieldViolations v;
  Validator(v).Title("plan.title", "first\xC0\x8Asecond", 200);
  ASSERT_EQ(Fields(v), std::vector<std::string>{"plan.title"});
}

TEST(ValidatorTest, LinesNamesEachBadItemAndCapsCount) {
  google::protobuf::RepeatedPtrField<std::string> values;
  values.Add("Selvbestemmelse");
  values.Add("");
  values.Add("ok");
  values.Add(Repeat("x", 201));
  FieldViolations v;
  Validator(v).Lines("policy.values", values, 50, 200);
  EXPECT_EQ(Fields(v), (std::vector<std::string>{"policy.values[1]", "policy.values[3]"}));

  google::protobuf::RepeatedPtrField<std::string> many;
  for (int i = 0; i < 51; ++i) {
    many.Add("x");
  }
  FieldViolations v2;
  Validator(v2).Lines("policy.focus_areas", many, 50, 200);
  EXPECT_EQ(Fields(v2), std::vector<std::string>{"policy.focus_areas"});
}

// ---------------------------------------------------------------------------
// Enums

TEST(ValidatorTest, EnumOutOfRangeAndRequired) {
  FieldViolations v;
  Validator c(v);
  c.Enum("a", 99, LifeArea_IsValid, false);
  c.Enum("b", -1, LifeArea_IsValid, false);
  c.Enum("c", 0, LifeArea_IsValid, true);
  c.Enum("d", 0, LifeArea_IsValid, false);  // optional unset: fine
  c.Enum("e", 2, LifeArea_IsValid, true);   // fine
  EXPECT_EQ(Fields(v), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(DescriptionOf(v, "a"), "has no value 99");
  EXPECT_EQ(DescriptionOf(v, "c"), "is required");
}

TEST(ValidatorTest, EnumListRejectsUnspecifiedUnknownAndDuplicates) {
  google::protobuf::RepeatedField<int> values;
  values.Add(3);
  values.Add(0);
  values.Add(3);
  values.Add(77);
  values.Add(4);
  FieldViolations v;
  Validator(v).EnumList("plan.target_groups", values, TargetGroup_IsValid, 20);
  EXPECT_EQ(Fields(v), (std::vector<std::string>{"plan.target_groups[1]", "plan.target_groups[2]",
                                                 "plan.target_groups[3]"}));
  EXPECT_EQ(DescriptionOf(v, "plan.target_groups[2]"), "is a duplicate");

  google::protobuf::RepeatedField<int> four;
  for (int i = 1; i <= 4; ++i) {
    four.Add(i);
  }
  FieldViolations v2;
  Validator(v2).EnumList("initiative_area.life_areas", four, LifeArea_IsValid, 3);
  EXPECT_EQ(Fields(v2), std::vector<std::string>{"initiative_area.life_areas"});
}

// ---------------------------------------------------------------------------
// Ids

TEST(ValidatorTest, Id) {
  FieldViolations v;
  Validator c(v);
  c.Id("a", "", true);
  c.Id("b", "", false);                   // fine
  c.Id("c", "abc-DEF_123", true);         // fine
  c.Id("d", std::string(40, 'x'), true);  // fine
  c.Id("e", std::string(41, 'x'), true);
  c.Id("f", "a/b", true);
  c.Id("g", "a b", true);
  c.Id("h", "æ", true);
  c.Id("i", "x' OR '1'='1", true);
  EXPECT_EQ(Fields(v), (std::vector<std::string>{"a", "e", "f", "g", "h", "i"}));
}

TEST(ValidatorTest, CitizenId) {
  FieldViolations v;
  Validator c(v);
  c.CitizenId("a", "");
  c.CitizenId("b", "c-7f3a_91");           // fine
  c.CitizenId("c", std::string(64, 'z'));  // fine
  c.CitizenId("d", std::string(65, 'z'));
  c.CitizenId("e", "Jens Hansen");
  EXPECT_EQ(Fields(v), (std::vector<std::string>{"a", "d", "e"}));
}

TEST(ValidatorTest, RequestId) {
  FieldViolations v;
  Validator c(v);
  c.RequestId("a", "");                     // optional
  c.RequestId("b", "req-1:2/3?x=~");        // printable ASCII: fine
  c.RequestId("c", std::string(128, 'r'));  // fine
  c.RequestId("d", std::string(129, 'r'));
  c.RequestId("e", "has space");
  c.RequestId("f", "ctl\x01");
  c.RequestId("g", "æ");
  EXPECT_EQ(Fields(v), (std::vector<std::string>{"d", "e", "f", "g"}));
}

// ---------------------------------------------------------------------------
// SDG targets

TEST(ValidatorTest, SdgTargetAcceptsGoodCodes) {
  for (const char* code : {"10.2", "1.a", "1.1", "17.19", "3.4", "16.b", "8.10", "16.10"}) {
    FieldViolations v;
    Validator(v).SdgTarget("sdg", code);
    EXPECT_TRUE(v.empty()) << code << ": " << DescriptionOf(v, "sdg");
  }
}

TEST(ValidatorTest, SdgTargetRejectsBadCodes) {
  for (const char* code :
       {"18.1", "0.1",  "10.",   "10.02", "a.1",  "10.ab", "",     ".1",   "10",
        "1.A",  "1.0",  "1.123", "100.1", "01.2", "01.a",  "1 .2", "1 .a", " 1.2",
        "+1.2", "1.2 ", "1. 2",  "1.+2",  "1..2", "1.2.3", "1.a1", "1.1a", "-1.2"}) {
    FieldViolations v;
    Validator(v).SdgTarget("initiative_area.sdg_targets[1].code", code);
    EXPECT_EQ(Fields(v), std::vector<std::string>{"initiative_area.sdg_targets[1].code"})
        << "code \"" << code << "\" was accepted";
  }
}

// The 169 targets of the UN Sustainable Development Goals, goal by goal:
// numeric targets N.1..N.k, then lettered ones N.a.. .
TEST(ValidatorTest, SdgTargetAcceptsEachOfThe169Targets) {
  const std::vector<std::pair<int, int>> goals = {{5, 2}, {5, 3},  {9, 4}, {7, 3},  {6, 3}, {6, 2},
                                                  {3, 2}, {10, 2}, {5, 3}, {7, 3},  {7, 3}, {8, 3},
                                                  {3, 2}, {7, 3},  {9, 3}, {10, 2}, {19, 0}};
  int accepted = 0;
  for (int goal = 1; goal <= 17; ++goal) {
    const auto [numeric, lettered] = goals[goal - 1];
    for (int n = 1; n <= numeric; ++n) {
      const std::string code = std::to_string(goal) + "." + std::to_string(n);
      EXPECT_TRUE(IsSdgTarget(code)) << code;
      accepted += IsSdgTarget(code);
    }
    for (int l = 0; l < lettered; ++l) {
      const std::string code = std::to_string(goal) + "." + std::string(1, 'a' + l);
      EXPECT_TRUE(IsSdgTarget(code)) << code;
      accepted += IsSdgTarget(code);
    }
    // The next number and the next letter are not targets.
    EXPECT_FALSE(IsSdgTarget(std::to_string(goal) + "." + std::to_string(numeric + 1)));
    EXPECT_FALSE(IsSdgTarget(std::to_string(goal) + "." + std::string(1, 'a' + lettered)));
  }
  EXPECT_EQ(accepted, 169);
  // Spot checks against the published list.
  for (const char* code : {"10.7", "10.a", "10.c", "17.1", "17.19", "3.d", "8.10", "16.10", "12.8",
                           "15.c", "14.a", "1.b"}) {
    EXPECT_TRUE(IsSdgTarget(code)) << code;
  }
}

TEST(ValidatorTest, SdgTargetRejectsCodesThatAreNotTargets) {
  for (const char* code : {"10.x", "10.z", "17.99", "10.8", "10.d", "17.20", "17.a", "9.10", "1.6",
                           "1.c", "3.10", "3.e", "13.4", "13.c", "7.4", "16.11", "16.c"}) {
    FieldViolations v;
    Validator(v).SdgTarget("initiative_area.sdg_targets[0].code", code);
    EXPECT_EQ(Fields(v), std::vector<std::string>{"initiative_area.sdg_targets[0].code"})
        << "code \"" << code << "\" was accepted";
  }
}

// ---------------------------------------------------------------------------
// Numbers

TEST(ValidatorTest, RangeAndFinite) {
  FieldViolations v;
  Validator c(v);
  c.Range("a", 0, 1, 5);
  c.Range("b", 6, 1, 5);
  c.Range("c", 1, 1, 5);
  c.Range("d", 5, 1, 5);
  c.Finite("e", std::numeric_limits<double>::quiet_NaN());
  c.Finite("f", std::numeric_limits<double>::infinity());
  c.Finite("g", -std::numeric_limits<double>::infinity());
  c.Finite("h", -12.5);
  EXPECT_EQ(Fields(v), (std::vector<std::string>{"a", "b", "e", "f", "g"}));
  EXPECT_EQ(DescriptionOf(v, "a"), "must be between 1 and 5");
}

// ---------------------------------------------------------------------------
// All at once

TEST(ValidatorTest, ReportsEveryBadFieldInOneStatus) {
  FieldViolations v;
  Validator c(v);
  c.Title("plan.title", "");
  helhed::common::v1::YearPeriod p;
  p.set_start_year(2026);
  p.set_end_year(2020);
  c.Period("plan.period", true, p, true);
  c.Id("plan.policy_id", "not/an/id", true);
  absl::Status s = v.ToStatus();
  ASSERT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const auto& f : FieldViolationsOf(s)) {
    fields.push_back(f.field);
  }
  EXPECT_EQ(fields,
            (std::vector<std::string>{"plan.title", "plan.period.end_year", "plan.policy_id"}));
  EXPECT_NE(s.message().find("plan.title"), absl::string_view::npos);
  EXPECT_NE(s.message().find("plan.period.end_year"), absl::string_view::npos);
  EXPECT_NE(s.message().find("plan.policy_id"), absl::string_view::npos);
}

}  // namespace
}  // namespace helhed
