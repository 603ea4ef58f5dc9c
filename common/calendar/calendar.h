// Calendar days as the municipality sees them: Danish dates.
//
// "Today", the day of an instant and every date key are taken in
// Europe/Copenhagen (CET/CEST), never in UTC: between midnight and 01:00
// (winter) or 02:00 (summer) Danish time the UTC date is still yesterday's.
// Callers pass the instant from their injected clock, so tests can stand at
// any moment:
//
//   const absl::CivilDay today = calendar::Today(clock_());
//   if (calendar::DateKey(due) < calendar::DateKey(calendar::DateOf(today))) ...
//
// The zone comes from the tzdata package (/usr/share/zoneinfo, or $TZDIR),
// loaded once. Should it be missing, Zone() logs an error line on stderr
// and falls back to a fixed UTC+01:00 (Danish standard time: right in
// winter, an hour behind in summer), never silently to UTC.
#ifndef HELHED_COMMON_CALENDAR_CALENDAR_H_
#define HELHED_COMMON_CALENDAR_CALENDAR_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/type/date.pb.h"

namespace helhed::calendar {

// The municipality's time zone name.
inline constexpr char kZoneName[] = "Europe/Copenhagen";

// Europe/Copenhagen, loaded on first use (thread-safe).
const absl::TimeZone& Zone();
// OK when Zone() is the real Europe/Copenhagen; otherwise the error Zone()
// logged (tzdata missing), for startup checks.
absl::Status ZoneStatus();

// The Danish date of an instant.
absl::CivilDay DayOf(absl::Time t);
absl::CivilDay DayOf(const google::protobuf::Timestamp& t);
// The Danish date at `now` (the caller's injected clock).
inline absl::CivilDay Today(absl::Time now) { return DayOf(now); }

// A date as yyyymmdd (0 for an unset date), for comparisons and storage.
int DateKey(const google::type::Date& d);
int DateKey(absl::CivilDay d);
// The day of a yyyymmdd key (a key from DateKey).
absl::CivilDay CivilDayOfKey(int key);

google::type::Date DateOf(absl::CivilDay d);
// The civil day of a date (absl normalises an invalid one, e.g. 2026-02-30
// reads as 2026-03-02; check IsValidDate first where that matters).
absl::CivilDay CivilDayOf(const google::type::Date& d);

// Whole days from `from` to `to` (negative when `to` is earlier).
int64_t DaysBetween(absl::CivilDay from, absl::CivilDay to);
// Days since 1970-01-01 (the day numbers stored in columns).
int64_t DayNumber(absl::CivilDay d);

namespace internal {
// Loads `name`; on failure sets *error and returns the UTC+01:00 fallback.
// Zone() is this with kZoneName; exposed for the fallback's test.
absl::TimeZone LoadZoneOrFallback(const std::string& name, std::string* error);
}  // namespace internal

}  // namespace helhed::calendar

#endif  // HELHED_COMMON_CALENDAR_CALENDAR_H_
