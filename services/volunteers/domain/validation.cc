#include "services/volunteers/domain/validation.h"

#include <cmath>
#include <cstdint>
#include <set>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/calendar/calendar.h"
#include "common/status/validation.h"
#include "google/protobuf/timestamp.pb.h"

namespace helhed::volunteers {
namespace {

constexpr long kName = 200;
constexpr long kDisplayName = 100;
constexpr long kText = 4000;
constexpr long kNote = 2000;
constexpr long kAddress = 200;
constexpr long kDestination = 200;
constexpr long kCourse = 200;
constexpr long kAgreementVersion = 50;
constexpr long kEmail = 200;
constexpr long kPhone = 30;
constexpr long kTag = 50;
constexpr int kMinutesPerDay = 1440;
// Enum lists can hold each defined value once; the cap only bounds garbage.
constexpr int kEnumItems = 20;
constexpr int kMaxTrainings = 20;

// google.protobuf.Timestamp's valid range: 0001-01-01 to 9999-12-31.
constexpr int64_t kMinTimestampSeconds = -62135596800;
constexpr int64_t kMaxTimestampSeconds = 253402300799;

bool ValidTimestamp(const google::protobuf::Timestamp& t) {
  return t.seconds() >= kMinTimestampSeconds && t.seconds() <= kMaxTimestampSeconds &&
         t.nanos() >= 0 && t.nanos() <= 999999999;
}

absl::Time ToTime(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

// Adds "is required" or "is not a valid timestamp"; true when `t` is usable.
bool CheckTimestamp(Validator& c, const std::string& f, bool present,
                    const google::protobuf::Timestamp& t) {
  if (!present) {
    c.Add(f, i18n::Later("validation.field.required"));
    return false;
  }
  if (!ValidTimestamp(t)) {
    c.Add(f, i18n::Later("validation.time.invalid_timestamp"));
    return false;
  }
  return true;
}

// Adds "is a duplicate" on the item path when `key` was seen before.
template <typename K>
void CheckUnique(Validator& c, std::set<K>& seen, const K& key, const std::string& f) {
  if (!seen.insert(key).second) {
    c.Add(f, i18n::Later("validation.field.duplicate"));
  }
}

// A list of lower-case tags: at most max_items, each a valid tag, no
// duplicates.
void CheckTags(Validator& c, FieldViolations& v, const std::string& f,
               const google::protobuf::RepeatedPtrField<std::string>& tags, int max_items) {
  if (tags.size() > max_items) {
    c.Add(f, i18n::Later("validation.list.max_items", {{"max", absl::StrCat(max_items)}}));
    return;
  }
  std::set<std::string> seen;
  for (int i = 0; i < tags.size(); ++i) {
    const std::string item = absl::StrCat(f, "[", i, "]");
    const size_t before = v.violations().size();
    ValidateTag(item, tags[i], v);
    if (v.violations().size() == before) {
      CheckUnique(c, seen, tags[i], item);
    }
  }
}

void CheckContact(Validator& c, const std::string& f, const v1::Contact& m) {
  const std::string& email = m.email();
  if (!email.empty()) {
    const long n = Utf8Length(email);
    const size_t at = email.find('@');
    bool ok =
        n > 0 && at != std::string::npos && at > 0 && email.find('@', at + 1) == std::string::npos;
    for (char ch : email) {
      const unsigned char u = static_cast<unsigned char>(ch);
      if (u <= 0x20 || u == 0x7f) {
        ok = false;
      }
    }
    if (ok) {
      // The domain: dot-separated non-empty labels, at least two, the last
      // (the top-level domain) at least two characters.
      const absl::string_view domain = absl::string_view(email).substr(at + 1);
      const size_t last_dot = domain.rfind('.');
      ok = last_dot != absl::string_view::npos && domain.front() != '.' &&
           domain.size() - last_dot > 2 && domain.find("..") == absl::string_view::npos;
    }
    if (n > kEmail) {
      c.Add(f + ".email",
            i18n::Later("validation.text.max_chars", {{"max", absl::StrCat(kEmail)}}));
    } else if (!ok) {
      c.Add(f + ".email", i18n::Later("validation.contact.email"));
    }
  }
  const std::string& phone = m.phone();
  if (!phone.empty()) {
    bool ok = false;  // at least one digit
    for (size_t i = 0; i < phone.size(); ++i) {
      const char ch = phone[i];
      if (absl::ascii_isdigit(static_cast<unsigned char>(ch))) {
        ok = true;
      } else if (!(ch == ' ' || (ch == '+' && i == 0))) {
        ok = false;
        break;
      }
    }
    // Only ASCII is accepted, so bytes are characters.
    if (ok && static_cast<long>(phone.size()) > kPhone) {
      c.Add(f + ".phone",
            i18n::Later("validation.text.max_chars", {{"max", absl::StrCat(kPhone)}}));
    } else if (!ok) {
      c.Add(f + ".phone", i18n::Later("validation.contact.phone"));
    }
  }
}

void CheckGeoPoint(Validator& c, const std::string& f, const v1::GeoPoint& m) {
  if (!std::isfinite(m.latitude()) || m.latitude() < -90 || m.latitude() > 90) {
    c.Add(f + ".latitude",
          i18n::Later("validation.number.between", {{"min", "-90"}, {"max", "90"}}));
  }
  if (!std::isfinite(m.longitude()) || m.longitude() < -180 || m.longitude() > 180) {
    c.Add(f + ".longitude",
          i18n::Later("validation.number.between", {{"min", "-180"}, {"max", "180"}}));
  }
}

// A place whose postcode is required. An absent place is an empty one.
void CheckPlace(Validator& c, FieldViolations& v, const std::string& f, const v1::Place& m) {
  c.Line(f + ".address", m.address(), kAddress);
  ValidatePostcode(f + ".postcode", m.postcode(), /*required=*/true, v);
  if (m.has_location()) {
    CheckGeoPoint(c, f + ".location", m.location());
  }
}

void CheckWeeklyWindow(Validator& c, const std::string& f, const v1::WeeklyWindow& m) {
  c.Enum(f + ".weekday", m.weekday(), v1::Weekday_IsValid, /*required=*/true);
  const bool start_ok = m.start_minute() >= 0 && m.start_minute() < kMinutesPerDay;
  if (!start_ok) {
    c.Add(f + ".start_minute",
          i18n::Later("validation.number.between",
                      {{"min", "0"}, {"max", absl::StrCat(kMinutesPerDay - 1)}}));
  }
  if (m.end_minute() < 1 || m.end_minute() > kMinutesPerDay) {
    c.Add(f + ".end_minute", i18n::Later("validation.number.between",
                                         {{"min", "1"}, {"max", absl::StrCat(kMinutesPerDay)}}));
  } else if (start_ok && m.end_minute() <= m.start_minute()) {
    c.Add(f + ".end_minute", i18n::Later("validation.field.after", {{"other", "start_minute"}}));
  }
}

void CheckOneOff(Validator& c, const std::string& f, const v1::OneOff& m) {
  CheckTimestamp(c, f + ".start_time", m.has_start_time(), m.start_time());
  c.Range(f + ".duration_minutes", m.duration_minutes(), 1, kMinutesPerDay);
}

void CheckWeekly(Validator& c, const std::string& f, const v1::Weekly& m) {
  c.Enum(f + ".weekday", m.weekday(), v1::Weekday_IsValid, /*required=*/true);
  c.Range(f + ".start_minute", m.start_minute(), 0, kMinutesPerDay - 1);
  c.Range(f + ".duration_minutes", m.duration_minutes(), 1, kMinutesPerDay);
  c.Date(f + ".first_date", m.has_first_date(), m.first_date(), /*required=*/true);
  c.Date(f + ".last_date", m.has_last_date(), m.last_date(), /*required=*/false);
  if (m.has_first_date() && m.has_last_date()) {
    c.NotBefore(f + ".last_date", m.last_date(), m.first_date());
  }
}

bool IsTagChar(uint32_t cp) {
  return (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || cp == '-' || cp == ' ' ||
         // Latin-1 lower-case letters: ß à-ö ø-ÿ (æ, ø, å among them).
         (cp >= 0xDF && cp <= 0xFF && cp != 0xF7);
}

}  // namespace

void ValidatePostcode(const std::string& field, const std::string& postcode, bool required,
                      FieldViolations& v) {
  if (postcode.empty()) {
    if (required) {
      v.Add(field, i18n::Later("validation.field.required"));
    }
    return;
  }
  bool ok = postcode.size() == 4;
  for (char ch : postcode) {
    ok = ok && ch >= '0' && ch <= '9';
  }
  if (!ok) {
    v.Add(field, i18n::Later("validation.postcode.four_digits"));
  }
}

void ValidateLanguage(const std::string& field, const std::string& code, FieldViolations& v) {
  if (code.size() != 2 || code[0] < 'a' || code[0] > 'z' || code[1] < 'a' || code[1] > 'z') {
    v.Add(field, i18n::Later("validation.language.iso639"));
  }
}

void ValidateTag(const std::string& field, const std::string& tag, FieldViolations& v) {
  const long n = Utf8Length(tag);
  if (n < 0) {
    v.Add(field, i18n::Later("validation.text.not_utf8"));
    return;
  }
  if (n == 0 || absl::StripAsciiWhitespace(tag).empty()) {
    v.Add(field, i18n::Later("validation.field.required"));
    return;
  }
  if (n > kTag) {
    v.Add(field, i18n::Later("validation.text.max_chars", {{"max", absl::StrCat(kTag)}}));
    return;
  }
  // Decode the (valid) UTF-8 and check each code point.
  bool ok = tag.front() != ' ' && tag.back() != ' ';
  for (size_t i = 0; ok && i < tag.size();) {
    const unsigned char b = static_cast<unsigned char>(tag[i]);
    uint32_t cp = 0;
    if (b < 0x80) {
      cp = b;
      i += 1;
    } else if ((b & 0xE0) == 0xC0) {
      cp = ((b & 0x1Fu) << 6) | (static_cast<unsigned char>(tag[i + 1]) & 0x3Fu);
      i += 2;
    } else {
      // Three- and four-byte sequences are beyond Latin-1: never a tag letter.
      ok = false;
      break;
    }
    ok = IsTagChar(cp);
  }
  if (!ok) {
    v.Add(field, i18n::Later("validation.tag.chars"));
  }
}

void ValidateOrganisation(const v1::Organisation& m, const std::string& p, FieldViolations& v) {
  Validator c(v);
  c.Title(p + ".name", m.name(), kName);
  c.Enum(p + ".kind", m.kind(), v1::OrganisationKind_IsValid, /*required=*/true);
  CheckContact(c, p + ".contact", m.contact());
  if (m.postcodes_size() > 50) {
    c.Add(p + ".postcodes", i18n::Later("validation.list.max_items", {{"max", "50"}}));
  } else {
    std::set<std::string> seen;
    for (int i = 0; i < m.postcodes_size(); ++i) {
      const std::string f = absl::StrCat(p, ".postcodes[", i, "]");
      const size_t before = v.violations().size();
      ValidatePostcode(f, m.postcodes(i), /*required=*/true, v);
      if (v.violations().size() == before) {
        CheckUnique(c, seen, m.postcodes(i), f);
      }
    }
  }
  c.Text(p + ".description", m.description(), kText);
}

void ValidateVolunteer(const v1::Volunteer& m, const std::string& p, FieldViolations& v) {
  Validator c(v);
  c.Title(p + ".display_name", m.display_name(), kDisplayName);
  CheckContact(c, p + ".contact", m.contact());
  CheckTags(c, v, p + ".interests", m.interests(), 30);
  CheckTags(c, v, p + ".skills", m.skills(), 30);
  if (m.languages_size() > 10) {
    c.Add(p + ".languages", i18n::Later("validation.list.max_items", {{"max", "10"}}));
  } else {
    std::set<std::string> seen;
    for (int i = 0; i < m.languages_size(); ++i) {
      const std::string f = absl::StrCat(p, ".languages[", i, "]");
      const size_t before = v.violations().size();
      ValidateLanguage(f, m.languages(i), v);
      if (v.violations().size() == before) {
        CheckUnique(c, seen, m.languages(i), f);
      }
    }
  }
  ValidatePostcode(p + ".home_postcode", m.home_postcode(), /*required=*/true, v);
  if (m.has_home_location()) {
    CheckGeoPoint(c, p + ".home_location", m.home_location());
  }
  c.Range(p + ".max_travel_km", m.max_travel_km(), 0, 200);
  if (m.availability_size() > 50) {
    c.Add(p + ".availability", i18n::Later("validation.list.max_items", {{"max", "50"}}));
  } else {
    std::set<std::tuple<int, int, int>> seen;
    for (int i = 0; i < m.availability_size(); ++i) {
      const std::string f = absl::StrCat(p, ".availability[", i, "]");
      const v1::WeeklyWindow& w = m.availability(i);
      const size_t before = v.violations().size();
      CheckWeeklyWindow(c, f, w);
      if (v.violations().size() == before) {
        CheckUnique(
            c, seen,
            std::make_tuple(static_cast<int>(w.weekday()), w.start_minute(), w.end_minute()), f);
      }
    }
  }
  c.Range(p + ".max_hours_per_week", m.max_hours_per_week(), 0, 60);
  if (c.MaxItems(p + ".trainings", m.trainings_size(), kMaxTrainings)) {
    std::set<std::tuple<std::string, int>> seen;
    for (int i = 0; i < m.trainings_size(); ++i) {
      const std::string f = absl::StrCat(p, ".trainings[", i, "]");
      const v1::Training& t = m.trainings(i);
      const size_t before = v.violations().size();
      c.Title(f + ".course", t.course(), kCourse);
      c.Date(f + ".completed_date", t.has_completed_date(), t.completed_date(),
             /*required=*/true);
      if (v.violations().size() == before) {
        CheckUnique(c, seen, std::make_tuple(t.course(), DateKey(t.completed_date())), f);
      }
    }
  }
  if (m.has_record_check()) {
    const v1::RecordCheck& r = m.record_check();
    const std::string f = p + ".record_check";
    c.Enum(f + ".kind", r.kind(), v1::RecordCheckKind_IsValid, /*required=*/false);
    c.Enum(f + ".status", r.status(), v1::RecordCheckStatus_IsValid, /*required=*/false);
    c.Date(f + ".expiry_date", r.has_expiry_date(), r.expiry_date(),
           /*required=*/r.status() == v1::RECORD_CHECK_STATUS_VALID);
  }
  if (m.has_role_agreement()) {
    const v1::RoleAgreement& a = m.role_agreement();
    const std::string f = p + ".role_agreement";
    c.Title(f + ".version", a.version(), kAgreementVersion);
    c.Date(f + ".signed_date", a.has_signed_date(), a.signed_date(), /*required=*/true);
  }
  c.Enum(p + ".status", m.status(), v1::VolunteerStatus_IsValid, /*required=*/true);
  c.Date(p + ".consent_date", m.has_consent_date(), m.consent_date(), /*required=*/false);
  c.Enum(p + ".gender", m.gender(), v1::Gender_IsValid, /*required=*/false);
  c.EnumList(p + ".supports", m.supports(), v1::Need_IsValid, kEnumItems);
}

void ValidateActivity(const v1::Activity& m, const std::string& p, FieldViolations& v) {
  Validator c(v);
  c.Id(p + ".organisation_id", m.organisation_id(), /*required=*/true);
  c.Title(p + ".title", m.title(), kName);
  c.Text(p + ".description", m.description(), kText);
  CheckPlace(c, v, p + ".place", m.place());
  switch (m.schedule_case()) {
    case v1::Activity::kOneOff:
      CheckOneOff(c, p + ".one_off", m.one_off());
      break;
    case v1::Activity::kWeekly:
      CheckWeekly(c, p + ".weekly", m.weekly());
      break;
    case v1::Activity::SCHEDULE_NOT_SET:
      c.Add(p + ".schedule", i18n::Later("validation.volunteers.schedule_required"));
      break;
  }
  c.Range(p + ".capacity", m.capacity(), 1, 1000);
  c.EnumList(p + ".accessibility", m.accessibility(), v1::Accessibility_IsValid, kEnumItems);
  CheckTags(c, v, p + ".required_skills", m.required_skills(), 20);
  if (m.required_trainings_size() > 20) {
    c.Add(p + ".required_trainings", i18n::Later("validation.list.max_items", {{"max", "20"}}));
  } else {
    std::set<std::string> seen;
    for (int i = 0; i < m.required_trainings_size(); ++i) {
      const std::string f = absl::StrCat(p, ".required_trainings[", i, "]");
      const size_t before = v.violations().size();
      c.Title(f, m.required_trainings(i), kCourse);
      if (v.violations().size() == before) {
        CheckUnique(c, seen, m.required_trainings(i), f);
      }
    }
  }
  CheckTags(c, v, p + ".interests", m.interests(), 30);
}

void ValidateAccompanimentRequest(const v1::AccompanimentRequest& m, const std::string& p,
                                  FieldViolations& v) {
  Validator c(v);
  c.CitizenId(p + ".citizen_id", m.citizen_id());
  c.Id(p + ".activity_id", m.activity_id(), /*required=*/false);
  if (m.activity_id().empty()) {
    c.Title(p + ".destination", m.destination(), kDestination);
  } else {
    c.Line(p + ".destination", m.destination(), kDestination);
  }
  CheckPlace(c, v, p + ".place", m.place());
  const bool start_ok =
      CheckTimestamp(c, p + ".window_start", m.has_window_start(), m.window_start());
  const bool end_ok = CheckTimestamp(c, p + ".window_end", m.has_window_end(), m.window_end());
  if (start_ok && end_ok) {
    const absl::Duration length = ToTime(m.window_end()) - ToTime(m.window_start());
    if (length <= absl::ZeroDuration()) {
      c.Add(p + ".window_end", i18n::Later("validation.field.after", {{"other", "window_start"}}));
    } else if (length > absl::Hours(24)) {
      c.Add(p + ".window_end", i18n::Later("validation.time.max_hours_after",
                                           {{"hours", "24"}, {"other", "window_start"}}));
    }
  }
  c.EnumList(p + ".needs", m.needs(), v1::Need_IsValid, kEnumItems);
  if (!m.language().empty()) {
    ValidateLanguage(p + ".language", m.language(), v);
  }
  c.Enum(p + ".gender_preference", m.gender_preference(), v1::Gender_IsValid,
         /*required=*/false);
  CheckTags(c, v, p + ".interests", m.interests(), 30);
}

void ValidateHoursEntry(const v1::HoursEntry& m, const std::string& p, FieldViolations& v) {
  Validator c(v);
  c.Date(p + ".date", m.has_date(), m.date(), /*required=*/true);
  if (!std::isfinite(m.hours()) || m.hours() < 0.25 || m.hours() > 24) {
    c.Add(p + ".hours", i18n::Later("validation.number.hours"));
  }
  c.Id(p + ".activity_id", m.activity_id(), /*required=*/false);
  c.Id(p + ".accompaniment_request_id", m.accompaniment_request_id(), /*required=*/false);
  if (!m.activity_id().empty() && !m.accompaniment_request_id().empty()) {
    c.Add(p + ".accompaniment_request_id",
          i18n::Later("validation.field.not_with", {{"other", "activity_id"}}));
  }
}

void ValidateEvaluation(const v1::Evaluation& m, const std::string& p, FieldViolations& v) {
  Validator c(v);
  c.Enum(p + ".side", m.side(), v1::EvaluationSide_IsValid, /*required=*/true);
  c.Range(p + ".score", m.score(), 1, 5);
  c.Text(p + ".note", m.note(), kNote);
}

bool IsOccurrence(const v1::Activity& activity, absl::Time start) {
  switch (activity.schedule_case()) {
    case v1::Activity::kOneOff: {
      const v1::OneOff& o = activity.one_off();
      return o.has_start_time() && ValidTimestamp(o.start_time()) &&
             ToTime(o.start_time()) == start;
    }
    case v1::Activity::kWeekly: {
      const v1::Weekly& w = activity.weekly();
      if (w.weekday() < v1::WEEKDAY_MONDAY || w.weekday() > v1::WEEKDAY_SUNDAY ||
          w.start_minute() < 0 || w.start_minute() >= kMinutesPerDay || !w.has_first_date() ||
          !IsValidDate(w.first_date()) || (w.has_last_date() && !IsValidDate(w.last_date()))) {
        return false;
      }
      const absl::TimeZone& tz = calendar::Zone();
      const absl::CivilDay day = calendar::DayOf(start);
      // absl::Weekday runs monday = 0 .. sunday = 6; the proto MONDAY = 1.
      if (static_cast<int>(absl::GetWeekday(day)) + 1 != static_cast<int>(w.weekday())) {
        return false;
      }
      // The instant of start_minute local time that day. On the autumn
      // fall-back the earlier of the two instants counts; in the spring gap
      // the time after the jump.
      if (absl::FromCivil(absl::CivilMinute(day) + w.start_minute(), tz) != start) {
        return false;
      }
      const int key = DateKey(day);
      return key >= DateKey(w.first_date()) &&
             (!w.has_last_date() || key <= DateKey(w.last_date()));
    }
    case v1::Activity::SCHEDULE_NOT_SET:
      break;
  }
  return false;
}

absl::Time OccurrenceEnd(const v1::Activity& activity, absl::Time start) {
  switch (activity.schedule_case()) {
    case v1::Activity::kOneOff:
      return start + absl::Minutes(activity.one_off().duration_minutes());
    case v1::Activity::kWeekly:
      return start + absl::Minutes(activity.weekly().duration_minutes());
    case v1::Activity::SCHEDULE_NOT_SET:
      break;
  }
  return start;
}

}  // namespace helhed::volunteers
