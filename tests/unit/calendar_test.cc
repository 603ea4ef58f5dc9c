// Danish dates (common/calendar): "today" is the date in Copenhagen, also
// in the hour or two after Danish midnight when UTC is still on yesterday.
#include "common/calendar/calendar.h"

#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace helhed::calendar {
namespace {

absl::Time Utc(int y, int mo, int d, int h, int mi, int s = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s), absl::UTCTimeZone());
}

TEST(CalendarTest, TheZoneIsCopenhagenFromTzdata) {
  EXPECT_TRUE(ZoneStatus().ok()) << ZoneStatus();
  EXPECT_EQ(Zone().name(), "Europe/Copenhagen");
}

TEST(CalendarTest, TodayJustAfterDanishMidnightInSummerIsTheDanishDate) {
  // 2026-06-30T22:30:00Z is 00:30 on 1 July in Copenhagen (CEST, UTC+2).
  EXPECT_EQ(Today(Utc(2026, 6, 30, 22, 30)), absl::CivilDay(2026, 7, 1));
  // Until then it is still 30 June.
  EXPECT_EQ(Today(Utc(2026, 6, 30, 21, 59, 59)), absl::CivilDay(2026, 6, 30));
}

TEST(CalendarTest, TodayJustAfterDanishMidnightInWinterIsTheDanishDate) {
  // 2026-01-31T23:30:00Z is 00:30 on 1 February in Copenhagen (CET, UTC+1).
  EXPECT_EQ(Today(Utc(2026, 1, 31, 23, 30)), absl::CivilDay(2026, 2, 1));
  EXPECT_EQ(Today(Utc(2026, 1, 31, 22, 59, 59)), absl::CivilDay(2026, 1, 31));
  // New year's eve: 23:00 UTC is already the new year in Denmark.
  EXPECT_EQ(Today(Utc(2025, 12, 31, 23, 0)), absl::CivilDay(2026, 1, 1));
}

TEST(CalendarTest, TheDayOfATimestampIsDanish) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(Utc(2026, 6, 30, 22, 30)));
  EXPECT_EQ(DayOf(ts), absl::CivilDay(2026, 7, 1));
}

TEST(CalendarTest, DateKeysOrderDatesAndAnUnsetDateIsZero) {
  EXPECT_EQ(DateKey(DateOf(absl::CivilDay(2026, 7, 1))), 20260701);
  EXPECT_EQ(DateKey(absl::CivilDay(2026, 2, 1)), 20260201);
  EXPECT_EQ(DateKey(google::type::Date()), 0);
  EXPECT_LT(DateKey(DateOf(absl::CivilDay(2025, 12, 31))),
            DateKey(DateOf(absl::CivilDay(2026, 1, 1))));
  EXPECT_EQ(CivilDayOfKey(20260229), absl::CivilDay(2026, 3, 1));  // normalised
  EXPECT_EQ(CivilDayOfKey(20240229), absl::CivilDay(2024, 2, 29));
}

TEST(CalendarTest, DatesAndCivilDaysConvertBothWays) {
  const google::type::Date d = DateOf(absl::CivilDay(2026, 2, 1));
  EXPECT_EQ(d.year(), 2026);
  EXPECT_EQ(d.month(), 2);
  EXPECT_EQ(d.day(), 1);
  EXPECT_EQ(CivilDayOf(d), absl::CivilDay(2026, 2, 1));
}

TEST(CalendarTest, DaysBetweenIsSignedAndDayNumbersCountFrom1970) {
  EXPECT_EQ(DaysBetween(absl::CivilDay(2026, 2, 1), absl::CivilDay(2026, 3, 1)), 28);
  EXPECT_EQ(DaysBetween(absl::CivilDay(2026, 3, 1), absl::CivilDay(2026, 2, 1)), -28);
  EXPECT_EQ(DayNumber(absl::CivilDay(1970, 1, 1)), 0);
  EXPECT_EQ(DayNumber(absl::CivilDay(1970, 1, 2)), 1);
  EXPECT_EQ(DayNumber(absl::CivilDay(2026, 1, 1)), 20454);
}

TEST(CalendarTest, WithoutTzdataTheFallbackIsDanishStandardTimeNotUtc) {
  std::string error;
  const absl::TimeZone z = internal::LoadZoneOrFallback("Europe/No_Such_Zone", &error);
  EXPECT_NE(error.find("tzdata"), std::string::npos) << error;
  EXPECT_NE(error.find("Europe/No_Such_Zone"), std::string::npos) << error;
  // 23:30 UTC on 31 January is 1 February at UTC+01:00 (UTC would say 31).
  EXPECT_EQ(absl::ToCivilDay(Utc(2026, 1, 31, 23, 30), z), absl::CivilDay(2026, 2, 1));
  EXPECT_EQ(absl::ToCivilDay(Utc(2026, 1, 31, 22, 30), z), absl::CivilDay(2026, 1, 31));

  error = "stale";
  const absl::TimeZone real = internal::LoadZoneOrFallback("Europe/Copenhagen", &error);
  EXPECT_TRUE(error.empty()) << error;
  EXPECT_EQ(real.name(), "Europe/Copenhagen");
}

}  // namespace
}  // namespace helhed::calendar
