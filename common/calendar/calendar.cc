#include "common/calendar/calendar.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace helhed::calendar {
namespace {

struct Loaded {
  absl::TimeZone zone;
  std::string error;  // empty when the real zone was loaded
};

const Loaded& TheZone() {
  static const Loaded* const loaded = [] {
    auto* l = new Loaded;
    l->zone = internal::LoadZoneOrFallback(kZoneName, &l->error);
    if (!l->error.empty()) {
      // Loudly, once, as a structured log line (common/observability/log.h's
      // shape; this library sits below it).
      const std::string line = absl::StrCat(
          "{\"ts\":\"", absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()),
          "\",\"level\":\"error\",\"msg\":\"", l->error, "\"}\n");
      std::fwrite(line.data(), 1, line.size(), stderr);
      std::fflush(stderr);
    }
    return l;
  }();
  return *loaded;
}

}  // namespace

namespace internal {

absl::TimeZone LoadZoneOrFallback(const std::string& name, std::string* error) {
  absl::TimeZone z;
  if (absl::LoadTimeZone(name, &z)) {
    error->clear();
    return z;
  }
  *error = absl::StrCat("time zone ", name,
                        " not found (install the tzdata package): Danish dates fall back to"
                        " UTC+01:00, an hour off in summer");
  return absl::FixedTimeZone(60 * 60);
}

}  // namespace internal

const absl::TimeZone& Zone() { return TheZone().zone; }

absl::Status ZoneStatus() {
  const Loaded& l = TheZone();
  return l.error.empty() ? absl::OkStatus() : absl::FailedPreconditionError(l.error);
}

absl::CivilDay DayOf(absl::Time t) { return absl::ToCivilDay(t, Zone()); }

absl::CivilDay DayOf(const google::protobuf::Timestamp& t) {
  return DayOf(absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos()));
}

int DateKey(const google::type::Date& d) { return d.year() * 10000 + d.month() * 100 + d.day(); }

int DateKey(absl::CivilDay d) {
  return static_cast<int>(d.year() * 10000 + d.month() * 100 + d.day());
}

absl::CivilDay CivilDayOfKey(int key) {
  return absl::CivilDay(key / 10000, key / 100 % 100, key % 100);
}

google::type::Date DateOf(absl::CivilDay d) {
  google::type::Date out;
  out.set_year(static_cast<int>(d.year()));
  out.set_month(d.month());
  out.set_day(d.day());
  return out;
}

absl::CivilDay CivilDayOf(const google::type::Date& d) {
  return absl::CivilDay(d.year(), d.month(), d.day());
}

int64_t DaysBetween(absl::CivilDay from, absl::CivilDay to) { return to - from; }

int64_t DayNumber(absl::CivilDay d) { return d - absl::CivilDay(1970, 1, 1); }

}  // namespace helhed::calendar
