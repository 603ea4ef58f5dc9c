#include "services/guides/domain/validation.h"

#include <cmath>
#include <set>
#include <string>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "common/status/validation.h"
#include "google/protobuf/repeated_field.h"
#include "google/type/date.pb.h"
#include "helhed/common/v1/common.pb.h"

namespace helhed::guides {
namespace {

constexpr long kDisplayName = 100;
constexpr long kCourse = 200;
constexpr long kHelpWanted = 2000;
constexpr long kReferredBy = 200;
constexpr long kSessionTitle = 200;
constexpr long kVenue = 200;
constexpr long kNote = 2000;
constexpr int kMaxExperiences = 20;
constexpr int kMaxYearsAgo = 80;
constexpr int kMaxLanguages = 10;
constexpr int kMaxTravelKm = 200;
constexpr int kMaxCapacity = 20;
constexpr int kMaxSituation = 20;
constexpr int kMaxGuideIds = 10;
constexpr int kMaxTrainings = 20;
constexpr int kMaxAttendance = 10000;
constexpr int kMinMeetingMinutes = 5;
constexpr int kMaxMeetingMinutes = 600;
constexpr int kMaxScore = 5;
// Enum lists can hold each defined value once; the cap only bounds garbage.
constexpr int kEnumItems = 20;

std::string Item(const std::string& f, int i) { return absl::StrCat(f, "[", i, "]"); }

// Adds "is a duplicate" on `f` when `key` was seen before.
template <typename K>
void CheckUnique(Validator& c, std::set<K>& seen, const K& key, const std::string& f) {
  if (!seen.insert(key).second) {
    c.Add(f, i18n::Later("validation.field.duplicate"));
  }
}

// Adds a violation on the list `f` when it has fewer than `min` or more than
// `max` items; true when its items are worth checking one by one.
bool CheckCount(Validator& c, const std::string& f, int size, int min, int max) {
  if (size < min) {
    c.Add(f, min == 1 ? i18n::Later("validation.list.min_one")
                      : i18n::Later("validation.list.min_items", {{"min", absl::StrCat(min)}}));
    return false;
  }
  if (size > max) {
    c.Add(f, i18n::Later("validation.list.max_items", {{"max", absl::StrCat(max)}}));
    return false;
  }
  return true;
}

// A required list of defined enum values without duplicates, 1..max items.
void RequiredEnumList(Validator& c, const std::string& f,
                      const google::protobuf::RepeatedField<int>& values, bool (*is_valid)(int),
                      int max) {
  if (CheckCount(c, f, values.size(), 1, max)) {
    c.EnumList(f, values, is_valid, max);
  }
}

// Four ASCII digits, such as "8900"; required.
void CheckPostcode(Validator& c, const std::string& f, const std::string& postcode) {
  if (postcode.empty()) {
    c.Add(f, i18n::Later("validation.field.required"));
    return;
  }
  bool ok = postcode.size() == 4;
  for (char ch : postcode) {
    ok = ok && ch >= '0' && ch <= '9';
  }
  if (!ok) {
    c.Add(f, i18n::Later("validation.postcode.four_digits"));
  }
}

// True when `code` is an ISO 639-1 code: two lower-case ASCII letters.
bool IsLanguage(const std::string& code) {
  return code.size() == 2 && code[0] >= 'a' && code[0] <= 'z' && code[1] >= 'a' && code[1] <= 'z';
}

void CheckLanguage(Validator& c, const std::string& f, const std::string& code) {
  if (!IsLanguage(code)) {
    c.Add(f, i18n::Later("validation.language.iso639"));
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

void CheckExperiences(Validator& c, const std::string& f,
                      const google::protobuf::RepeatedPtrField<v1::Experience>& items) {
  if (!CheckCount(c, f, items.size(), 1, kMaxExperiences)) {
    return;
  }
  std::set<int> seen;
  for (int i = 0; i < items.size(); ++i) {
    const std::string item = Item(f, i);
    const v1::Experience& e = items[i];
    const int tag = e.tag();
    if (tag == 0) {
      c.Add(item + ".tag", i18n::Later("validation.field.required"));
    } else if (!v1::ExperienceTag_IsValid(tag)) {
      c.Add(item + ".tag", i18n::Later("validation.enum.no_value", {{"value", absl::StrCat(tag)}}));
    } else {
      CheckUnique(c, seen, tag, item + ".tag");
    }
    c.Range(item + ".years_ago", e.years_ago(), 0, kMaxYearsAgo);
  }
}

void CheckLanguages(Validator& c, FieldViolations& v, const std::string& f,
                    const google::protobuf::RepeatedPtrField<std::string>& codes) {
  if (!CheckCount(c, f, codes.size(), 1, kMaxLanguages)) {
    return;
  }
  std::set<std::string> seen;
  for (int i = 0; i < codes.size(); ++i) {
    const std::string item = Item(f, i);
    const size_t before = v.violations().size();
    CheckLanguage(c, item, codes[i]);
    if (v.violations().size() == before) {
      CheckUnique(c, seen, codes[i], item);
    }
  }
}

void CheckTrainings(Validator& c, FieldViolations& v, const std::string& f,
                    const google::protobuf::RepeatedPtrField<v1::GuideTraining>& items) {
  if (!c.MaxItems(f, items.size(), kMaxTrainings)) {
    return;
  }
  // The same course completed on the same day twice is one training.
  std::set<std::tuple<std::string, int>> seen;
  for (int i = 0; i < items.size(); ++i) {
    const std::string item = Item(f, i);
    const v1::GuideTraining& t = items[i];
    const size_t before = v.violations().size();
    c.Title(item + ".course", t.course(), kCourse);
    c.Date(item + ".completed_date", t.has_completed_date(), t.completed_date(),
           /*required=*/true);
    c.Date(item + ".valid_until", t.has_valid_until(), t.valid_until(), /*required=*/true);
    if (v.violations().size() != before) {
      continue;
    }
    if (DateKey(t.valid_until()) < DateKey(t.completed_date())) {
      c.Add(item + ".valid_until",
            i18n::Later("validation.date.not_before", {{"other", "completed_date"}}));
      continue;
    }
    CheckUnique(c, seen, std::make_tuple(t.course(), DateKey(t.completed_date())), item);
  }
}

void CheckPreferences(Validator& c, const std::string& f, const v1::GuidePreferences& m) {
  c.Enum(f + ".gender", m.gender(), v1::Gender_IsValid, /*required=*/false);
  c.Enum(f + ".age_band", m.age_band(), v1::AgeBand_IsValid, /*required=*/false);
  if (!m.language().empty()) {
    CheckLanguage(c, f + ".language", m.language());
  }
  c.Enum(f + ".setting", m.setting(), v1::Setting_IsValid, /*required=*/false);
}

void CheckGuideIds(Validator& c, FieldViolations& v, const std::string& f,
                   const google::protobuf::RepeatedPtrField<std::string>& ids) {
  if (!CheckCount(c, f, ids.size(), 1, kMaxGuideIds)) {
    return;
  }
  std::set<std::string> seen;
  for (int i = 0; i < ids.size(); ++i) {
    const std::string item = Item(f, i);
    const size_t before = v.violations().size();
    c.Id(item, ids[i], /*required=*/true);
    if (v.violations().size() == before) {
      CheckUnique(c, seen, ids[i], item);
    }
  }
}

}  // namespace

void ValidateGuide(const v1::Guide& m, const std::string& p, FieldViolations& v) {
  Validator c(v);
  c.Title(p + ".display_name", m.display_name(), kDisplayName);
  CheckExperiences(c, p + ".experiences", m.experiences());
  c.EnumList(p + ".life_phases", m.life_phases(), v1::LifePhase_IsValid, kEnumItems);
  CheckLanguages(c, v, p + ".languages", m.languages());
  CheckPostcode(c, p + ".home_postcode", m.home_postcode());
  if (m.has_home_location()) {
    CheckGeoPoint(c, p + ".home_location", m.home_location());
  }
  c.Range(p + ".max_travel_km", m.max_travel_km(), 0, kMaxTravelKm);
  c.Enum(p + ".age_band", m.age_band(), v1::AgeBand_IsValid, /*required=*/false);
  c.Enum(p + ".gender", m.gender(), v1::Gender_IsValid, /*required=*/false);
  CheckTrainings(c, v, p + ".trainings", m.trainings());
  RequiredEnumList(c, p + ".settings", m.settings(), v1::Setting_IsValid, kEnumItems);
  c.Enum(p + ".employment", m.employment(), v1::Employment_IsValid, /*required=*/true);
  c.Range(p + ".capacity", m.capacity(), 1, kMaxCapacity);
  c.EnumList(p + ".available_days", m.available_days(), v1::Weekday_IsValid, kEnumItems);
  c.Enum(p + ".status", m.status(), v1::GuideStatus_IsValid, /*required=*/true);
}

void ValidateGuidanceRequest(const v1::GuidanceRequest& m, const std::string& p,
                             FieldViolations& v) {
  Validator c(v);
  c.CitizenId(p + ".citizen_id", m.citizen_id());
  RequiredEnumList(c, p + ".situation", m.situation(), v1::ExperienceTag_IsValid, kMaxSituation);
  c.Enum(p + ".life_phase", m.life_phase(), v1::LifePhase_IsValid, /*required=*/false);
  c.Text(p + ".help_wanted", m.help_wanted(), kHelpWanted, /*required=*/true);
  c.Enum(p + ".life_area", m.life_area(), helhed::common::v1::LifeArea_IsValid,
         /*required=*/true);
  CheckPreferences(c, p + ".preferences", m.preferences());
  c.EnumList(p + ".must_haves", m.must_haves(), v1::MustHave_IsValid, kEnumItems);
  c.Enum(p + ".urgency", m.urgency(), v1::Urgency_IsValid, /*required=*/true);
  c.Line(p + ".referred_by", m.referred_by(), kReferredBy);
  CheckPostcode(c, p + ".postcode", m.postcode());
  if (m.has_location()) {
    CheckGeoPoint(c, p + ".location", m.location());
  }
}

void ValidateGroupSession(const v1::GroupSession& m, const std::string& p, FieldViolations& v) {
  Validator c(v);
  c.Title(p + ".title", m.title(), kSessionTitle);
  c.Enum(p + ".kind", m.kind(), v1::SessionKind_IsValid, /*required=*/true);
  CheckGuideIds(c, v, p + ".guide_ids", m.guide_ids());
  c.Enum(p + ".audience", m.audience(), v1::Audience_IsValid, /*required=*/true);
  c.Date(p + ".date", m.has_date(), m.date(), /*required=*/true);
  c.Line(p + ".venue", m.venue(), kVenue);
  c.Range(p + ".attendance", m.attendance(), 0, kMaxAttendance);
}

void ValidateMeeting(const v1::Meeting& m, const std::string& p, FieldViolations& v) {
  Validator c(v);
  c.Date(p + ".date", m.has_date(), m.date(), /*required=*/true);
  c.Range(p + ".minutes", m.minutes(), kMinMeetingMinutes, kMaxMeetingMinutes);
  c.Enum(p + ".form", m.form(), v1::MeetingForm_IsValid, /*required=*/true);
}

void ValidateMatchEvaluation(const v1::MatchEvaluation& m, const std::string& p,
                             FieldViolations& v) {
  Validator c(v);
  // proto3 has no presence for int32: 0 is "no score given".
  if (m.score() != 0) {
    c.Range(p + ".score", m.score(), 1, kMaxScore);
  }
  c.Text(p + ".note", m.note(), kNote);
}

}  // namespace helhed::guides
