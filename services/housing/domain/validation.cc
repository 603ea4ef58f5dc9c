#include "services/housing/domain/validation.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/calendar/calendar.h"
#include "common/status/validation.h"
#include "google/protobuf/repeated_field.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/type/date.pb.h"

namespace helhed::housing {
namespace {

constexpr long kLandlord = 200;
constexpr long kNotes = 2000;
constexpr long kOfferNote = 500;
constexpr long kEtag = 64;
constexpr int kMinRooms = 1;
constexpr int kMaxUnitRooms = 20;
constexpr int kMaxRoomsNeeded = 10;
constexpr int kMaxRent = 50000;
constexpr int kMaxAccessibility = 3;
constexpr int kMaxUnitTypes = 7;
constexpr int kMaxFlags = 8;
constexpr int kMaxAreas = 10;
constexpr int kEarliestScreeningYear = 1990;
constexpr int kMoveInDaysAhead = 365;
constexpr int kMaxDeadlineDays = 60;

std::string Item(const std::string& f, int i) { return absl::StrCat(f, "[", i, "]"); }

using calendar::CivilDayOf;

// A required postcode.
void CheckPostcode(Validator& c, const std::string& f, const std::string& postcode) {
  if (postcode.empty()) {
    c.Add(f, i18n::Later("validation.field.required"));
  } else if (!IsPostcode(postcode)) {
    c.Add(f, i18n::Later("validation.postcode.danish"));
  }
}

// A required date that must be valid; true when it is present and valid, so
// that it is worth comparing.
bool CheckDate(Validator& c, FieldViolations& v, const std::string& f, bool present,
               const google::type::Date& d, bool required) {
  const size_t before = v.violations().size();
  c.Date(f, present, d, required);
  return present && v.violations().size() == before;
}

// An etag as the service hands it out: 1-64 printable ASCII characters.
void CheckEtag(Validator& c, const std::string& f, const std::string& etag, bool required) {
  if (etag.empty()) {
    if (required) {
      c.Add(f, i18n::Later("validation.etag.required"));
    }
    return;
  }
  if (etag.size() > static_cast<size_t>(kEtag)) {
    c.Add(f, i18n::Later("validation.text.max_chars", {{"max", absl::StrCat(kEtag)}}));
    return;
  }
  for (char ch : etag) {
    if (ch < 0x21 || ch > 0x7e) {
      c.Add(f, i18n::Later("validation.text.printable_ascii"));
      return;
    }
  }
}

void CheckAreas(Validator& c, FieldViolations& v, const std::string& f,
                const google::protobuf::RepeatedPtrField<v1::PreferredArea>& areas) {
  if (areas.size() > kMaxAreas) {
    c.Add(f, i18n::Later("validation.list.max_items", {{"max", absl::StrCat(kMaxAreas)}}));
    return;
  }
  std::set<std::string> seen;
  for (int i = 0; i < areas.size(); ++i) {
    const std::string item = Item(f, i);
    const v1::PreferredArea& a = areas[i];
    const size_t before = v.violations().size();
    CheckPostcode(c, item + ".postcode", a.postcode());
    if (v.violations().size() == before && !seen.insert(a.postcode()).second) {
      c.Add(item + ".postcode", i18n::Later("validation.field.duplicate"));
    }
    c.Enum(item + ".reason", a.reason(), v1::AreaReason_IsValid, /*required=*/false);
  }
}

}  // namespace

bool IsPostcode(const std::string& s) {
  if (s.size() != 4 || s[0] < '1' || s[0] > '9') {
    return false;
  }
  for (char ch : s) {
    if (ch < '0' || ch > '9') {
      return false;
    }
  }
  return true;
}

void ValidateUnit(const v1::HousingUnit& m, const std::string& p, FieldViolations& v) {
  Validator c(v);
  c.Enum(p + ".unit_type", m.unit_type(), v1::UnitType_IsValid, /*required=*/true);
  c.Title(p + ".landlord", m.landlord(), kLandlord);
  CheckPostcode(c, p + ".postcode", m.postcode());
  c.Range(p + ".rooms", m.rooms(), kMinRooms, kMaxUnitRooms);
  c.Range(p + ".monthly_rent_dkk", m.monthly_rent_dkk(), 0, kMaxRent);
  c.EnumList(p + ".accessibility", m.accessibility(), v1::Accessibility_IsValid, kMaxAccessibility);
  c.Enum(p + ".support", m.support(), v1::SupportLevel_IsValid, /*required=*/true);
  c.Date(p + ".available_from", m.has_available_from(), m.available_from(), /*required=*/false);
  c.Text(p + ".notes", m.notes(), kNotes);
}

void ValidateApplication(const v1::Application& m, const std::string& p, absl::CivilDay today,
                         FieldViolations& v) {
  Validator c(v);
  c.CitizenId(p + ".citizen_id", m.citizen_id());
  c.Enum(p + ".situation", m.situation(), v1::Situation_IsValid, /*required=*/true);
  const std::string screening = p + ".screening_date";
  if (CheckDate(c, v, screening, m.has_screening_date(), m.screening_date(), /*required=*/true)) {
    const absl::CivilDay day = CivilDayOf(m.screening_date());
    if (day > today) {
      c.Add(screening, i18n::Later("validation.date.not_future"));
    } else if (day < absl::CivilDay(kEarliestScreeningYear, 1, 1)) {
      c.Add(screening, i18n::Later("validation.date.not_before",
                                   {{"other", absl::StrCat(kEarliestScreeningYear)}}));
    }
  }
  c.Range(p + ".rooms_needed", m.rooms_needed(), kMinRooms, kMaxRoomsNeeded);
  c.EnumList(p + ".accessibility_needs", m.accessibility_needs(), v1::Accessibility_IsValid,
             kMaxAccessibility);
  c.Enum(p + ".support_needed", m.support_needed(), v1::SupportLevel_IsValid,
         /*required=*/true);
  if (m.unit_types().empty()) {
    c.Add(p + ".unit_types", i18n::Later("validation.list.min_one"));
  } else {
    c.EnumList(p + ".unit_types", m.unit_types(), v1::UnitType_IsValid, kMaxUnitTypes);
  }
  CheckAreas(c, v, p + ".preferred_areas", m.preferred_areas());
  c.Range(p + ".max_rent_dkk", m.max_rent_dkk(), 0, kMaxRent);
  c.EnumList(p + ".vulnerability_flags", m.vulnerability_flags(), v1::VulnerabilityFlag_IsValid,
             kMaxFlags);
  c.Text(p + ".notes", m.notes(), kNotes);
}

void ValidateTenancy(const v1::Tenancy& m, const std::string& p, absl::CivilDay today,
                     FieldViolations& v) {
  Validator c(v);
  c.Id(p + ".unit_id", m.unit_id(), /*required=*/true);
  c.CitizenId(p + ".citizen_id", m.citizen_id());
  const std::string move_in = p + ".move_in";
  if (CheckDate(c, v, move_in, m.has_move_in(), m.move_in(), /*required=*/true) &&
      CivilDayOf(m.move_in()) > today + kMoveInDaysAhead) {
    c.Add(move_in, i18n::Later("validation.date.max_days_ahead",
                               {{"days", absl::StrCat(kMoveInDaysAhead)}}));
  }
  c.Text(p + ".notes", m.notes(), kNotes);
}

void ValidateMakeOffer(const v1::MakeOfferRequest& r, absl::Time now, FieldViolations& v) {
  Validator c(v);
  c.Id("unit_id", r.unit_id(), /*required=*/true);
  c.Id("application_id", r.application_id(), /*required=*/true);
  if (!r.has_deadline()) {
    c.Add("deadline", i18n::Later("validation.field.required"));
  } else if (r.deadline().nanos() < 0 || r.deadline().nanos() > 999999999) {
    c.Add("deadline", i18n::Later("validation.time.invalid_timestamp"));
  } else {
    const absl::Time deadline =
        absl::FromUnixSeconds(r.deadline().seconds()) + absl::Nanoseconds(r.deadline().nanos());
    if (deadline <= now) {
      c.Add("deadline", i18n::Later("validation.time.future"));
    } else if (deadline > now + absl::Hours(24 * kMaxDeadlineDays)) {
      c.Add("deadline", i18n::Later("validation.time.at_most_days_ahead",
                                    {{"days", absl::StrCat(kMaxDeadlineDays)}}));
    }
  }
  c.RequestId("idempotency_key", r.idempotency_key());
}

void ValidateAcceptOffer(const v1::AcceptOfferRequest& r, FieldViolations& v) {
  Validator c(v);
  c.Id("offer_id", r.offer_id(), /*required=*/true);
  CheckEtag(c, "etag", r.etag(), /*required=*/false);
  c.Date("move_in", r.has_move_in(), r.move_in(), /*required=*/false);
}

void ValidateDeclineOffer(const v1::DeclineOfferRequest& r, FieldViolations& v) {
  Validator c(v);
  c.Id("offer_id", r.offer_id(), /*required=*/true);
  CheckEtag(c, "etag", r.etag(), /*required=*/false);
  c.Enum("reason", r.reason(), v1::DeclineReason_IsValid, /*required=*/true);
  c.Text("note", r.note(), kOfferNote);
}

void ValidateWithdrawOffer(const v1::WithdrawOfferRequest& r, FieldViolations& v) {
  Validator c(v);
  c.Id("offer_id", r.offer_id(), /*required=*/true);
  CheckEtag(c, "etag", r.etag(), /*required=*/false);
  c.Text("note", r.note(), kOfferNote);
}

void ValidateEndTenancy(const v1::EndTenancyRequest& r, absl::CivilDay today, FieldViolations& v) {
  Validator c(v);
  c.Id("id", r.id(), /*required=*/true);
  CheckEtag(c, "etag", r.etag(), /*required=*/true);
  if (CheckDate(c, v, "move_out", r.has_move_out(), r.move_out(), /*required=*/true) &&
      CivilDayOf(r.move_out()) > today) {
    c.Add("move_out", i18n::Later("validation.date.not_future"));
  }
  c.Enum("reason", r.reason(), v1::MoveOutReason_IsValid, /*required=*/true);
}

}  // namespace helhed::housing
