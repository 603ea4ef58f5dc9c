// Tests of the volunteer-service validation
// (services/volunteers/domain/validation): good resources pass; each rule
// rejects bad input with a violation on exactly the field path a caller sees
// and on no other; every bad field is reported at once; lengths count
// characters; IsOccurrence / OccurrenceEnd in Danish local time.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/status/field_violations.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/type/date.pb.h"
#include "gtest/gtest.h"
#include "helhed/volunteers/v1/resources.pb.h"
#include "services/volunteers/domain/validation.h"
#include "tests/support/validation_cases.h"

namespace helhed::volunteers {
namespace {

using helhed::testing::BadFields;
using helhed::testing::Case;
using helhed::testing::CaseName;
using helhed::testing::Fields;
using helhed::testing::Repeat;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

google::type::Date MakeDate(int y, int m, int d) {
  google::type::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

// An instant given as UTC wall-clock time.
absl::Time Utc(int y, int mo, int d, int h, int mi, int s = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s), absl::UTCTimeZone());
}

google::protobuf::Timestamp Ts(absl::Time t) {
  google::protobuf::Timestamp ts;
  const int64_t seconds = absl::ToUnixSeconds(t);
  ts.set_seconds(seconds);
  ts.set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(t - absl::FromUnixSeconds(seconds))));
  return ts;
}

std::vector<std::string> PostcodeFields(const std::string& postcode, bool required) {
  FieldViolations v;
  ValidatePostcode("f", postcode, required, v);
  std::vector<std::string> out;
  for (const auto& f : v.violations()) {
    out.push_back(f.field);
  }
  return out;
}

bool LanguageOk(const std::string& code) {
  FieldViolations v;
  ValidateLanguage("f", code, v);
  return v.empty();
}

bool TagOk(const std::string& tag) {
  FieldViolations v;
  ValidateTag("f", tag, v);
  return v.empty();
}

// ---------------------------------------------------------------------------
// Good resources

v1::Organisation GoodOrganisation() {
  v1::Organisation o;
  o.set_name("Ældre Sagen Randers");
  o.set_kind(v1::ORGANISATION_KIND_ASSOCIATION);
  o.mutable_contact()->set_email("randers@aeldresagen.dk");
  o.mutable_contact()->set_phone("+45 86 41 00 00");
  o.add_postcodes("8900");
  o.add_postcodes("8920");
  o.set_description("Besøgsvenner og følgevenner.\nMødes hver tirsdag.\tVelkommen.");
  return o;
}

v1::Volunteer GoodVolunteer() {
  v1::Volunteer m;
  m.set_display_name("Kirsten Ø.");
  m.mutable_contact()->set_email("kirsten.o+frivillig@post.example.dk");
  m.mutable_contact()->set_phone("86 41 00 00");
  m.add_interests("fodbold");
  m.add_interests("strik");
  m.add_interests("gå ture");
  m.add_skills("førstehjælp");
  m.add_skills("kørekort-b");
  m.add_languages("da");
  m.add_languages("en");
  m.set_home_postcode("8900");
  m.mutable_home_location()->set_latitude(56.4607);
  m.mutable_home_location()->set_longitude(10.0364);
  m.set_max_travel_km(15);
  auto* w = m.add_availability();
  w->set_weekday(v1::WEEKDAY_TUESDAY);
  w->set_start_minute(16 * 60);
  w->set_end_minute(20 * 60);
  w = m.add_availability();
  w->set_weekday(v1::WEEKDAY_SUNDAY);
  w->set_start_minute(0);
  w->set_end_minute(1440);
  m.set_max_hours_per_week(8);
  auto* t = m.add_trainings();
  t->set_course("Følgeven-introduktion");
  *t->mutable_completed_date() = MakeDate(2024, 2, 1);
  m.mutable_record_check()->set_kind(v1::RECORD_CHECK_KIND_CRIMINAL_RECORD);
  m.mutable_record_check()->set_status(v1::RECORD_CHECK_STATUS_VALID);
  *m.mutable_record_check()->mutable_expiry_date() = MakeDate(2026, 2, 1);
  m.mutable_role_agreement()->set_version("2024-1");
  *m.mutable_role_agreement()->mutable_signed_date() = MakeDate(2024, 2, 1);
  m.set_status(v1::VOLUNTEER_STATUS_ACTIVE);
  m.set_consent_given(true);
  *m.mutable_consent_date() = MakeDate(2024, 2, 1);
  m.set_gender(v1::GENDER_FEMALE);
  m.add_supports(v1::NEED_WHEELCHAIR);
  m.add_supports(v1::NEED_CALM);
  return m;
}

v1::Activity GoodWeeklyActivity() {
  v1::Activity a;
  a.set_organisation_id("org-1");
  a.set_title("Gåtur ved Gudenåen");
  a.set_description("Vi går en tur og drikker kaffe bagefter.");
  a.mutable_place()->set_address("Tøjhushavevej 1");
  a.mutable_place()->set_postcode("8900");
  a.mutable_place()->mutable_location()->set_latitude(56.46);
  a.mutable_place()->mutable_location()->set_longitude(10.04);
  auto* w = a.mutable_weekly();
  w->set_weekday(v1::WEEKDAY_TUESDAY);
  w->set_start_minute(17 * 60 + 30);
  w->set_duration_minutes(90);
  *w->mutable_first_date() = MakeDate(2024, 1, 9);
  *w->mutable_last_date() = MakeDate(2024, 12, 31);
  a.set_capacity(12);
  a.add_accessibility(v1::ACCESSIBILITY_STEP_FREE);
  a.add_accessibility(v1::ACCESSIBILITY_ACCESSIBLE_TOILET);
  a.add_required_skills("førstehjælp");
  a.add_required_trainings("Følgeven-introduktion");
  a.add_interests("gå ture");
  return a;
}

v1::Activity GoodOneOffActivity() {
  v1::Activity a = GoodWeeklyActivity();
  a.mutable_one_off()->set_duration_minutes(120);
  *a.mutable_one_off()->mutable_start_time() = Ts(Utc(2024, 6, 15, 8, 0));
  return a;
}

v1::AccompanimentRequest GoodRequest() {
  v1::AccompanimentRequest r;
  r.set_citizen_id("c-7f3a9b");
  r.set_destination("Regionshospitalet Randers, ambulatorium 3");
  r.mutable_place()->set_address("Skovlyvej 15");
  r.mutable_place()->set_postcode("8930");
  *r.mutable_window_start() = Ts(Utc(2024, 5, 14, 8, 0));
  *r.mutable_window_end() = Ts(Utc(2024, 5, 14, 11, 0));
  r.add_needs(v1::NEED_WALKING_SUPPORT);
  r.add_needs(v1::NEED_HEARING);
  r.set_language("da");
  r.set_gender_preference(v1::GENDER_FEMALE);
  r.set_wants_familiar_volunteer(true);
  r.add_interests("strik");
  return r;
}

v1::HoursEntry GoodHours() {
  v1::HoursEntry h;
  *h.mutable_date() = MakeDate(2024, 5, 14);
  h.set_hours(2.5);
  h.set_activity_id("act-1");
  return h;
}

v1::Evaluation GoodEvaluation() {
  v1::Evaluation e;
  e.set_side(v1::EVALUATION_SIDE_CITIZEN);
  e.set_score(5);
  e.set_note("Dejlig tur.\nVi ses igen.");
  return e;
}

TEST(VolunteerValidationTest, GoodResourcesPass) {
  EXPECT_EQ(BadFields(ValidateOrganisation, GoodOrganisation(), "organisation"), Fields{});
  EXPECT_EQ(BadFields(ValidateVolunteer, GoodVolunteer(), "volunteer"), Fields{});
  EXPECT_EQ(BadFields(ValidateActivity, GoodWeeklyActivity(), "activity"), Fields{});
  EXPECT_EQ(BadFields(ValidateActivity, GoodOneOffActivity(), "activity"), Fields{});
  EXPECT_EQ(BadFields(ValidateAccompanimentRequest, GoodRequest(), "accompaniment_request"),
            Fields{});
  EXPECT_EQ(BadFields(ValidateHoursEntry, GoodHours(), "entry"), Fields{});
  EXPECT_EQ(BadFields(ValidateEvaluation, GoodEvaluation(), "evaluation"), Fields{});
}

// The item limit is checked before the items: 100,000 empty trainings are
// one violation naming the list.
TEST(VolunteerValidationTest, TooManyTrainingsAreOneViolationNamingTheList) {
  v1::Volunteer m = GoodVolunteer();
  for (int i = 0; i < 100000; ++i) m.add_trainings();
  EXPECT_EQ(BadFields(ValidateVolunteer, m, "volunteer"), Fields{"volunteer.trainings"});
}

TEST(VolunteerValidationTest, MinimalResourcesPass) {
  v1::Organisation o;
  o.set_name("Klub");
  o.set_kind(v1::ORGANISATION_KIND_SPORTS_CLUB);
  EXPECT_EQ(BadFields(ValidateOrganisation, o, "organisation"), Fields{});

  v1::Volunteer m;
  m.set_display_name("K");
  m.set_home_postcode("0800");
  m.set_status(v1::VOLUNTEER_STATUS_PAUSED);
  EXPECT_EQ(BadFields(ValidateVolunteer, m, "volunteer"), Fields{});

  v1::Activity a;
  a.set_organisation_id("o");
  a.set_title("T");
  a.mutable_place()->set_postcode("8900");
  a.mutable_weekly()->set_weekday(v1::WEEKDAY_MONDAY);
  a.mutable_weekly()->set_duration_minutes(1);
  *a.mutable_weekly()->mutable_first_date() = MakeDate(2024, 1, 1);
  a.set_capacity(1);
  EXPECT_EQ(BadFields(ValidateActivity, a, "activity"), Fields{});

  v1::AccompanimentRequest r;
  r.set_citizen_id("c1");
  r.set_activity_id("act-1");
  r.mutable_place()->set_postcode("8900");
  *r.mutable_window_start() = Ts(Utc(2024, 5, 14, 8, 0));
  *r.mutable_window_end() = Ts(Utc(2024, 5, 14, 8, 1));
  EXPECT_EQ(BadFields(ValidateAccompanimentRequest, r, "accompaniment_request"), Fields{});

  v1::HoursEntry h;
  *h.mutable_date() = MakeDate(2024, 5, 14);
  h.set_hours(0.25);
  EXPECT_EQ(BadFields(ValidateHoursEntry, h, "entry"), Fields{});
}

TEST(VolunteerValidationTest, OutputOnlyFieldsAreIgnored) {
  v1::Volunteer m = GoodVolunteer();
  m.set_id("not an id!");
  m.set_etag("whatever");
  m.mutable_create_time()->set_nanos(-5);
  EXPECT_EQ(BadFields(ValidateVolunteer, m, "volunteer"), Fields{});

  v1::AccompanimentRequest r = GoodRequest();
  r.set_request_state(static_cast<v1::RequestState>(99));
  r.set_volunteer_id("not an id!");
  r.set_hours(-3);
  r.set_cancel_reason(std::string("\x01", 1));
  EXPECT_EQ(BadFields(ValidateAccompanimentRequest, r, "accompaniment_request"), Fields{});

  v1::HoursEntry h = GoodHours();
  h.set_volunteer_id("not an id!");
  EXPECT_EQ(BadFields(ValidateHoursEntry, h, "entry"), Fields{});

  v1::Evaluation e = GoodEvaluation();
  e.set_accompaniment_id("not an id!");
  EXPECT_EQ(BadFields(ValidateEvaluation, e, "evaluation"), Fields{});
}

// ---------------------------------------------------------------------------
// Field helpers

TEST(VolunteerValidationTest, PostcodeIsExactlyFourAsciiDigits) {
  EXPECT_EQ(PostcodeFields("8900", true), Fields{});
  EXPECT_EQ(PostcodeFields("0800", true), Fields{});
  EXPECT_EQ(PostcodeFields("", false), Fields{});
  EXPECT_EQ(PostcodeFields("", true), Fields{"f"});
  for (const std::string bad : {"890", "89000", "89O0", " 8900", "8900 ", "-890", "DK-8900",
                                "\xef\xbc\x98\xef\xbc\x99\xef\xbc\x90\xef\xbc\x90"}) {
    EXPECT_EQ(PostcodeFields(bad, false), Fields{"f"}) << bad;
  }
}

TEST(VolunteerValidationTest, LanguageIsTwoLowerCaseLetters) {
  EXPECT_TRUE(LanguageOk("da"));
  EXPECT_TRUE(LanguageOk("ar"));
  for (const std::string bad : {"", "d", "DA", "Da", "dan", "d1", "da-DK", " d", "æa"}) {
    EXPECT_FALSE(LanguageOk(bad)) << bad;
  }
}

TEST(VolunteerValidationTest, TagsAreLowerCase) {
  for (const std::string good :
       {"fodbold", "førstehjælp", "gå ture", "kørekort-b", "café", "4x4", "æøå"}) {
    EXPECT_TRUE(TagOk(good)) << good;
  }
  for (const std::string bad : {"", " ", "Fodbold", "FØRSTEHJÆLP", "førsteHjælp", "Ærø", "a_b",
                                "a.b", " strik", "strik ", "a\tb", "a\nb", "🙂", "ß\xff"}) {
    EXPECT_FALSE(TagOk(bad)) << bad;
  }
}

TEST(VolunteerValidationTest, TagLengthCountsCharacters) {
  EXPECT_TRUE(TagOk(Repeat("æ", 50)));  // 100 bytes
  EXPECT_FALSE(TagOk(Repeat("æ", 51)));
  EXPECT_TRUE(TagOk(Repeat("a", 50)));
  EXPECT_FALSE(TagOk(Repeat("a", 51)));
}

TEST(VolunteerValidationTest, DanishCharactersCountAsOne) {
  v1::Volunteer m = GoodVolunteer();
  m.set_display_name(Repeat("ø", 100));  // 200 bytes
  EXPECT_EQ(BadFields(ValidateVolunteer, m, "volunteer"), Fields{});
  m.set_display_name(Repeat("ø", 101));
  EXPECT_EQ(BadFields(ValidateVolunteer, m, "volunteer"), Fields{"volunteer.display_name"});

  v1::Activity a = GoodWeeklyActivity();
  a.set_title(Repeat("Å", 200));
  a.set_description(Repeat("æ", 4000));
  EXPECT_EQ(BadFields(ValidateActivity, a, "activity"), Fields{});
  a.set_title(Repeat("Å", 201));
  a.set_description(Repeat("æ", 4001));
  EXPECT_EQ(BadFields(ValidateActivity, a, "activity"),
            (Fields{"activity.description", "activity.title"}));

  v1::Evaluation e = GoodEvaluation();
  e.set_note(Repeat("ø", 2000));
  EXPECT_EQ(BadFields(ValidateEvaluation, e, "evaluation"), Fields{});
  e.set_note(Repeat("ø", 2001));
  EXPECT_EQ(BadFields(ValidateEvaluation, e, "evaluation"), Fields{"evaluation.note"});
}

// ---------------------------------------------------------------------------
// Organisation

using OrganisationCase = Case<v1::Organisation>;
class OrganisationRuleTest : public ::testing::TestWithParam<OrganisationCase> {};

TEST_P(OrganisationRuleTest, RejectsExactlyTheField) {
  v1::Organisation m = GoodOrganisation();
  GetParam().mutate(m);
  EXPECT_EQ(BadFields(ValidateOrganisation, m, "organisation"), GetParam().fields);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, OrganisationRuleTest,
    ::testing::Values(
        OrganisationCase{
            "NameEmpty", [](v1::Organisation& m) { m.clear_name(); }, {"organisation.name"}},
        OrganisationCase{
            "NameBlank", [](v1::Organisation& m) { m.set_name("   "); }, {"organisation.name"}},
        OrganisationCase{"NameTooLong",
                         [](v1::Organisation& m) { m.set_name(Repeat("x", 201)); },
                         {"organisation.name"}},
        OrganisationCase{"NameControl",
                         [](v1::Organisation& m) { m.set_name("Klub\nRanders"); },
                         {"organisation.name"}},
        OrganisationCase{"NameNotUtf8",
                         [](v1::Organisation& m) { m.set_name("Kl\xc3"); },
                         {"organisation.name"}},
        OrganisationCase{
            "KindMissing", [](v1::Organisation& m) { m.clear_kind(); }, {"organisation.kind"}},
        OrganisationCase{
            "KindUndefined",
            [](v1::Organisation& m) { m.set_kind(static_cast<v1::OrganisationKind>(42)); },
            {"organisation.kind"}},
        OrganisationCase{"EmailNoAt",
                         [](v1::Organisation& m) { m.mutable_contact()->set_email("randers.dk"); },
                         {"organisation.contact.email"}},
        OrganisationCase{
            "EmailTwoAts",
            [](v1::Organisation& m) { m.mutable_contact()->set_email("a@b@example.dk"); },
            {"organisation.contact.email"}},
        OrganisationCase{"EmailNoLocal",
                         [](v1::Organisation& m) { m.mutable_contact()->set_email("@example.dk"); },
                         {"organisation.contact.email"}},
        OrganisationCase{"EmailNoTld",
                         [](v1::Organisation& m) { m.mutable_contact()->set_email("a@example"); },
                         {"organisation.contact.email"}},
        OrganisationCase{
            "EmailEmptyLabel",
            [](v1::Organisation& m) { m.mutable_contact()->set_email("a@example..dk"); },
            {"organisation.contact.email"}},
        OrganisationCase{
            "EmailSpace",
            [](v1::Organisation& m) { m.mutable_contact()->set_email("an na@example.dk"); },
            {"organisation.contact.email"}},
        OrganisationCase{"EmailTooLong",
                         [](v1::Organisation& m) {
                           m.mutable_contact()->set_email(Repeat("a", 190) + "@example.dk");
                         },
                         {"organisation.contact.email"}},
        OrganisationCase{"PhoneLetters",
                         [](v1::Organisation& m) { m.mutable_contact()->set_phone("86 41 OO 00"); },
                         {"organisation.contact.phone"}},
        OrganisationCase{"PhoneDashes",
                         [](v1::Organisation& m) { m.mutable_contact()->set_phone("86-41-00-00"); },
                         {"organisation.contact.phone"}},
        OrganisationCase{"PhoneInnerPlus",
                         [](v1::Organisation& m) { m.mutable_contact()->set_phone("45+86410000"); },
                         {"organisation.contact.phone"}},
        OrganisationCase{"PhoneNoDigits",
                         [](v1::Organisation& m) { m.mutable_contact()->set_phone("+ "); },
                         {"organisation.contact.phone"}},
        OrganisationCase{
            "PhoneTooLong",
            [](v1::Organisation& m) { m.mutable_contact()->set_phone("+" + Repeat("1", 30)); },
            {"organisation.contact.phone"}},
        OrganisationCase{"PostcodeBad",
                         [](v1::Organisation& m) { m.set_postcodes(1, "892"); },
                         {"organisation.postcodes[1]"}},
        OrganisationCase{"PostcodeEmpty",
                         [](v1::Organisation& m) { m.set_postcodes(0, ""); },
                         {"organisation.postcodes[0]"}},
        OrganisationCase{"PostcodeDuplicate",
                         [](v1::Organisation& m) { m.add_postcodes("8900"); },
                         {"organisation.postcodes[2]"}},
        OrganisationCase{"PostcodesTooMany",
                         [](v1::Organisation& m) {
                           m.clear_postcodes();
                           for (int i = 0; i < 51; ++i) {
                             m.add_postcodes(std::to_string(8000 + i));
                           }
                         },
                         {"organisation.postcodes"}},
        OrganisationCase{"DescriptionTooLong",
                         [](v1::Organisation& m) { m.set_description(Repeat("x", 4001)); },
                         {"organisation.description"}},
        OrganisationCase{"DescriptionControl",
                         [](v1::Organisation& m) { m.set_description("a\x07z"); },
                         {"organisation.description"}}),
    CaseName<v1::Organisation>);

TEST(VolunteerValidationTest, ContactIsOptionalAndAcceptsCommonForms) {
  v1::Organisation m = GoodOrganisation();
  m.clear_contact();
  EXPECT_EQ(BadFields(ValidateOrganisation, m, "organisation"), Fields{});
  for (const std::string email : {"a@b.dk", "first.last+tag@sub.example.co.uk", "æble@grønt.dk"}) {
    m.mutable_contact()->set_email(email);
    EXPECT_EQ(BadFields(ValidateOrganisation, m, "organisation"), Fields{}) << email;
  }
  for (const std::string& phone : std::vector<std::string>{
           "86410000", "+4586410000", "+45 86 41 00 00", "+" + Repeat("1", 29)}) {
    m.mutable_contact()->set_phone(phone);
    EXPECT_EQ(BadFields(ValidateOrganisation, m, "organisation"), Fields{}) << phone;
  }
}

// ---------------------------------------------------------------------------
// Volunteer

using VolunteerCase = Case<v1::Volunteer>;
class VolunteerRuleTest : public ::testing::TestWithParam<VolunteerCase> {};

TEST_P(VolunteerRuleTest, RejectsExactlyTheField) {
  v1::Volunteer m = GoodVolunteer();
  GetParam().mutate(m);
  EXPECT_EQ(BadFields(ValidateVolunteer, m, "volunteer"), GetParam().fields);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, VolunteerRuleTest,
    ::testing::Values(
        VolunteerCase{"DisplayNameEmpty", [](v1::Volunteer& m) { m.clear_display_name(); },
                      {"volunteer.display_name"}},
        VolunteerCase{"DisplayNameTooLong",
                      [](v1::Volunteer& m) { m.set_display_name(Repeat("x", 101)); },
                      {"volunteer.display_name"}},
        VolunteerCase{"DisplayNameControl",
                      [](v1::Volunteer& m) { m.set_display_name("Kirsten\tØ"); },
                      {"volunteer.display_name"}},
        VolunteerCase{"ContactEmail",
                      [](v1::Volunteer& m) { m.mutable_contact()->set_email("kirsten@"); },
                      {"volunteer.contact.email"}},
        VolunteerCase{"InterestUpperCase", [](v1::Volunteer& m) { m.set_interests(1, "Strik"); },
                      {"volunteer.interests[1]"}},
        VolunteerCase{"InterestDuplicate", [](v1::Volunteer& m) { m.add_interests("fodbold"); },
                      {"volunteer.interests[3]"}},
        VolunteerCase{"InterestEmpty", [](v1::Volunteer& m) { m.add_interests(""); },
                      {"volunteer.interests[3]"}},
        VolunteerCase{"InterestsTooMany",
                      [](v1::Volunteer& m) {
                        m.clear_interests();
                        for (int i = 0; i < 31; ++i) {
                          m.add_interests("tag" + std::to_string(i));
                        }
                      },
                      {"volunteer.interests"}},
        VolunteerCase{"SkillUpperCase", [](v1::Volunteer& m) { m.set_skills(0, "Førstehjælp"); },
                      {"volunteer.skills[0]"}},
        VolunteerCase{"SkillDuplicate", [](v1::Volunteer& m) { m.add_skills("førstehjælp"); },
                      {"volunteer.skills[2]"}},
        VolunteerCase{"SkillsTooMany",
                      [](v1::Volunteer& m) {
                        for (int i = 0; i < 29; ++i) {
                          m.add_skills("skill" + std::to_string(i));
                        }
                      },
                      {"volunteer.skills"}},
        VolunteerCase{"LanguageUpperCase", [](v1::Volunteer& m) { m.set_languages(0, "DA"); },
                      {"volunteer.languages[0]"}},
        VolunteerCase{"LanguageThreeLetters", [](v1::Volunteer& m) { m.add_languages("dan"); },
                      {"volunteer.languages[2]"}},
        VolunteerCase{"LanguageEmpty", [](v1::Volunteer& m) { m.add_languages(""); },
                      {"volunteer.languages[2]"}},
        VolunteerCase{"LanguageDuplicate", [](v1::Volunteer& m) { m.add_languages("da"); },
                      {"volunteer.languages[2]"}},
        VolunteerCase{"LanguagesTooMany",
                      [](v1::Volunteer& m) {
                        m.clear_languages();
                        for (char c = 'a'; c <= 'k'; ++c) {
                          m.add_languages(std::string(2, c));
                        }
                      },
                      {"volunteer.languages"}},
        VolunteerCase{"HomePostcodeMissing", [](v1::Volunteer& m) { m.clear_home_postcode(); },
                      {"volunteer.home_postcode"}},
        VolunteerCase{"HomePostcodeLetters", [](v1::Volunteer& m) { m.set_home_postcode("89OO"); },
                      {"volunteer.home_postcode"}},
        VolunteerCase{"LatitudeTooBig",
                      [](v1::Volunteer& m) { m.mutable_home_location()->set_latitude(90.5); },
                      {"volunteer.home_location.latitude"}},
        VolunteerCase{"LongitudeTooSmall",
                      [](v1::Volunteer& m) { m.mutable_home_location()->set_longitude(-180.5); },
                      {"volunteer.home_location.longitude"}},
        VolunteerCase{"LocationNaN",
                      [](v1::Volunteer& m) {
                        m.mutable_home_location()->set_latitude(kNaN);
                        m.mutable_home_location()->set_longitude(kNaN);
                      },
                      {"volunteer.home_location.latitude", "volunteer.home_location.longitude"}},
        VolunteerCase{"MaxTravelNegative", [](v1::Volunteer& m) { m.set_max_travel_km(-1); },
                      {"volunteer.max_travel_km"}},
        VolunteerCase{"MaxTravelTooFar", [](v1::Volunteer& m) { m.set_max_travel_km(201); },
                      {"volunteer.max_travel_km"}},
        VolunteerCase{"WindowWeekdayMissing",
                      [](v1::Volunteer& m) { m.mutable_availability(1)->clear_weekday(); },
                      {"volunteer.availability[1].weekday"}},
        VolunteerCase{"WindowWeekdayUndefined",
                      [](v1::Volunteer& m) {
                        m.mutable_availability(0)->set_weekday(static_cast<v1::Weekday>(8));
                      },
                      {"volunteer.availability[0].weekday"}},
        VolunteerCase{"WindowStartNegative",
                      [](v1::Volunteer& m) { m.mutable_availability(0)->set_start_minute(-1); },
                      {"volunteer.availability[0].start_minute"}},
        VolunteerCase{"WindowStartAtMidnightEnd",
                      [](v1::Volunteer& m) { m.mutable_availability(1)->set_start_minute(1440); },
                      {"volunteer.availability[1].start_minute"}},
        VolunteerCase{"WindowEndTooLate",
                      [](v1::Volunteer& m) { m.mutable_availability(1)->set_end_minute(1441); },
                      {"volunteer.availability[1].end_minute"}},
        VolunteerCase{"WindowEndEqualsStart",
                      [](v1::Volunteer& m) { m.mutable_availability(0)->set_end_minute(16 * 60); },
                      {"volunteer.availability[0].end_minute"}},
        VolunteerCase{"WindowEndBeforeStart",
                      [](v1::Volunteer& m) { m.mutable_availability(0)->set_end_minute(600); },
                      {"volunteer.availability[0].end_minute"}},
        VolunteerCase{"WindowDuplicate",
                      [](v1::Volunteer& m) { *m.add_availability() = m.availability(0); },
                      {"volunteer.availability[2]"}},
        VolunteerCase{"WindowsTooMany",
                      [](v1::Volunteer& m) {
                        m.clear_availability();
                        for (int i = 0; i < 51; ++i) {
                          auto* w = m.add_availability();
                          w->set_weekday(v1::WEEKDAY_MONDAY);
                          w->set_start_minute(i);
                          w->set_end_minute(i + 1);
                        }
                      },
                      {"volunteer.availability"}},
        VolunteerCase{"MaxHoursNegative", [](v1::Volunteer& m) { m.set_max_hours_per_week(-1); },
                      {"volunteer.max_hours_per_week"}},
        VolunteerCase{"MaxHoursTooMany", [](v1::Volunteer& m) { m.set_max_hours_per_week(61); },
                      {"volunteer.max_hours_per_week"}},
        VolunteerCase{"TrainingCourseEmpty",
                      [](v1::Volunteer& m) { m.mutable_trainings(0)->clear_course(); },
                      {"volunteer.trainings[0].course"}},
        VolunteerCase{"TrainingCourseTooLong",
                      [](v1::Volunteer& m) {
                        m.mutable_trainings(0)->set_course(Repeat("ø", 201));
                      },
                      {"volunteer.trainings[0].course"}},
        VolunteerCase{"TrainingDateMissing",
                      [](v1::Volunteer& m) { m.mutable_trainings(0)->clear_completed_date(); },
                      {"volunteer.trainings[0].completed_date"}},
        VolunteerCase{"TrainingDateInvalid",
                      [](v1::Volunteer& m) {
                        *m.mutable_trainings(0)->mutable_completed_date() = MakeDate(2023, 2, 29);
                      },
                      {"volunteer.trainings[0].completed_date"}},
        VolunteerCase{"TrainingDuplicate",
                      [](v1::Volunteer& m) { *m.add_trainings() = m.trainings(0); },
                      {"volunteer.trainings[1]"}},
        VolunteerCase{"RecordCheckValidWithoutExpiry",
                      [](v1::Volunteer& m) { m.mutable_record_check()->clear_expiry_date(); },
                      {"volunteer.record_check.expiry_date"}},
        VolunteerCase{"RecordCheckExpiryInvalid",
                      [](v1::Volunteer& m) {
                        *m.mutable_record_check()->mutable_expiry_date() = MakeDate(2026, 13, 1);
                      },
                      {"volunteer.record_check.expiry_date"}},
        VolunteerCase{"RecordCheckKindUndefined",
                      [](v1::Volunteer& m) {
                        m.mutable_record_check()->set_kind(static_cast<v1::RecordCheckKind>(7));
                      },
                      {"volunteer.record_check.kind"}},
        VolunteerCase{"RecordCheckStatusUndefined",
                      [](v1::Volunteer& m) {
                        m.mutable_record_check()->set_status(
                            static_cast<v1::RecordCheckStatus>(7));
                      },
                      {"volunteer.record_check.status"}},
        VolunteerCase{"AgreementVersionEmpty",
                      [](v1::Volunteer& m) { m.mutable_role_agreement()->clear_version(); },
                      {"volunteer.role_agreement.version"}},
        VolunteerCase{"AgreementVersionTooLong",
                      [](v1::Volunteer& m) {
                        m.mutable_role_agreement()->set_version(Repeat("1", 51));
                      },
                      {"volunteer.role_agreement.version"}},
        VolunteerCase{"AgreementSignedDateMissing",
                      [](v1::Volunteer& m) { m.mutable_role_agreement()->clear_signed_date(); },
                      {"volunteer.role_agreement.signed_date"}},
        VolunteerCase{"StatusMissing", [](v1::Volunteer& m) { m.clear_status(); },
                      {"volunteer.status"}},
        VolunteerCase{"StatusUndefined",
                      [](v1::Volunteer& m) { m.set_status(static_cast<v1::VolunteerStatus>(9)); },
                      {"volunteer.status"}},
        VolunteerCase{"ConsentDateInvalid",
                      [](v1::Volunteer& m) { *m.mutable_consent_date() = MakeDate(2024, 4, 31); },
                      {"volunteer.consent_date"}},
        VolunteerCase{"GenderUndefined",
                      [](v1::Volunteer& m) { m.set_gender(static_cast<v1::Gender>(9)); },
                      {"volunteer.gender"}},
        VolunteerCase{"SupportDuplicate", [](v1::Volunteer& m) { m.add_supports(v1::NEED_CALM); },
                      {"volunteer.supports[2]"}},
        VolunteerCase{"SupportUnspecified",
                      [](v1::Volunteer& m) { m.add_supports(v1::NEED_UNSPECIFIED); },
                      {"volunteer.supports[2]"}},
        VolunteerCase{"SupportUndefined",
                      [](v1::Volunteer& m) { m.add_supports(static_cast<v1::Need>(99)); },
                      {"volunteer.supports[2]"}}),
    CaseName<v1::Volunteer>);

TEST(VolunteerValidationTest, VolunteerBoundariesPass) {
  v1::Volunteer m = GoodVolunteer();
  m.set_max_travel_km(200);
  m.set_max_hours_per_week(60);
  m.mutable_home_location()->set_latitude(-90);
  m.mutable_home_location()->set_longitude(180);
  m.mutable_availability(0)->set_start_minute(1439);
  m.mutable_availability(0)->set_end_minute(1440);
  m.mutable_role_agreement()->set_version(Repeat("1", 50));
  EXPECT_EQ(BadFields(ValidateVolunteer, m, "volunteer"), Fields{});
  m.set_max_travel_km(0);
  m.set_max_hours_per_week(0);
  EXPECT_EQ(BadFields(ValidateVolunteer, m, "volunteer"), Fields{});
}

TEST(VolunteerValidationTest, RecordCheckExpiryOnlyRequiredWhenValid) {
  v1::Volunteer m = GoodVolunteer();
  m.mutable_record_check()->clear_expiry_date();
  for (auto status : {v1::RECORD_CHECK_STATUS_PENDING, v1::RECORD_CHECK_STATUS_REJECTED,
                      v1::RECORD_CHECK_STATUS_UNSPECIFIED}) {
    m.mutable_record_check()->set_status(status);
    EXPECT_EQ(BadFields(ValidateVolunteer, m, "volunteer"), Fields{}) << status;
  }
  m.mutable_record_check()->set_status(v1::RECORD_CHECK_STATUS_VALID);
  EXPECT_EQ(BadFields(ValidateVolunteer, m, "volunteer"),
            Fields{"volunteer.record_check.expiry_date"});
  // Absent record check and role agreement are fine.
  m.clear_record_check();
  m.clear_role_agreement();
  EXPECT_EQ(BadFields(ValidateVolunteer, m, "volunteer"), Fields{});
}

TEST(VolunteerValidationTest, VolunteerReportsEveryBadField) {
  v1::Volunteer m = GoodVolunteer();
  m.clear_display_name();
  m.mutable_contact()->set_email("nope");
  m.mutable_contact()->set_phone("abc");
  m.add_interests("Fodbold");
  m.set_skills(1, "førstehjælp");  // duplicate of [0]
  m.add_languages("xyz");
  m.set_home_postcode("123");
  m.mutable_home_location()->set_latitude(100);
  m.set_max_travel_km(500);
  m.mutable_availability(0)->clear_weekday();
  m.mutable_availability(1)->set_end_minute(0);
  m.set_max_hours_per_week(100);
  m.mutable_trainings(0)->clear_completed_date();
  m.mutable_record_check()->clear_expiry_date();
  m.mutable_role_agreement()->clear_signed_date();
  m.clear_status();
  m.add_supports(v1::NEED_WHEELCHAIR);
  EXPECT_EQ(BadFields(ValidateVolunteer, m, "volunteer"),
            (Fields{
                "volunteer.availability[0].weekday",
                "volunteer.availability[1].end_minute",
                "volunteer.contact.email",
                "volunteer.contact.phone",
                "volunteer.display_name",
                "volunteer.home_location.latitude",
                "volunteer.home_postcode",
                "volunteer.interests[3]",
                "volunteer.languages[2]",
                "volunteer.max_hours_per_week",
                "volunteer.max_travel_km",
                "volunteer.record_check.expiry_date",
                "volunteer.role_agreement.signed_date",
                "volunteer.skills[1]",
                "volunteer.status",
                "volunteer.supports[2]",
                "volunteer.trainings[0].completed_date",
            }));
}

TEST(VolunteerValidationTest, PrefixIsUsedAsGiven) {
  v1::Volunteer m = GoodVolunteer();
  m.clear_status();
  m.mutable_availability(1)->set_end_minute(0);
  EXPECT_EQ(BadFields(ValidateVolunteer, m, "req.volunteer"),
            (Fields{"req.volunteer.availability[1].end_minute", "req.volunteer.status"}));
}

// ---------------------------------------------------------------------------
// Activity

using ActivityCase = Case<v1::Activity>;
class ActivityRuleTest : public ::testing::TestWithParam<ActivityCase> {};

TEST_P(ActivityRuleTest, RejectsExactlyTheField) {
  v1::Activity m = GoodWeeklyActivity();
  GetParam().mutate(m);
  EXPECT_EQ(BadFields(ValidateActivity, m, "activity"), GetParam().fields);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, ActivityRuleTest,
    ::testing::Values(
        ActivityCase{"OrganisationIdMissing",
                     [](v1::Activity& m) { m.clear_organisation_id(); },
                     {"activity.organisation_id"}},
        ActivityCase{"OrganisationIdInvalid",
                     [](v1::Activity& m) { m.set_organisation_id("org/1"); },
                     {"activity.organisation_id"}},
        ActivityCase{"OrganisationIdTooLong",
                     [](v1::Activity& m) { m.set_organisation_id(Repeat("a", 41)); },
                     {"activity.organisation_id"}},
        ActivityCase{"TitleEmpty", [](v1::Activity& m) { m.clear_title(); }, {"activity.title"}},
        ActivityCase{
            "TitleControl", [](v1::Activity& m) { m.set_title("Gåtur\r"); }, {"activity.title"}},
        ActivityCase{"DescriptionTooLong",
                     [](v1::Activity& m) { m.set_description(Repeat("x", 4001)); },
                     {"activity.description"}},
        ActivityCase{
            "PlaceMissing", [](v1::Activity& m) { m.clear_place(); }, {"activity.place.postcode"}},
        ActivityCase{"PlacePostcodeMissing",
                     [](v1::Activity& m) { m.mutable_place()->clear_postcode(); },
                     {"activity.place.postcode"}},
        ActivityCase{"PlacePostcodeBad",
                     [](v1::Activity& m) { m.mutable_place()->set_postcode("89000"); },
                     {"activity.place.postcode"}},
        ActivityCase{"PlaceAddressTooLong",
                     [](v1::Activity& m) { m.mutable_place()->set_address(Repeat("ø", 201)); },
                     {"activity.place.address"}},
        ActivityCase{"PlaceAddressControl",
                     [](v1::Activity& m) { m.mutable_place()->set_address("Vej 1\n8900"); },
                     {"activity.place.address"}},
        ActivityCase{"PlaceLocationBad",
                     [](v1::Activity& m) {
                       m.mutable_place()->mutable_location()->set_latitude(-91);
                       m.mutable_place()->mutable_location()->set_longitude(181);
                     },
                     {"activity.place.location.latitude", "activity.place.location.longitude"}},
        ActivityCase{
            "ScheduleMissing", [](v1::Activity& m) { m.clear_schedule(); }, {"activity.schedule"}},
        ActivityCase{"WeeklyWeekdayMissing",
                     [](v1::Activity& m) { m.mutable_weekly()->clear_weekday(); },
                     {"activity.weekly.weekday"}},
        ActivityCase{
            "WeeklyWeekdayUndefined",
            [](v1::Activity& m) { m.mutable_weekly()->set_weekday(static_cast<v1::Weekday>(8)); },
            {"activity.weekly.weekday"}},
        ActivityCase{"WeeklyStartTooLate",
                     [](v1::Activity& m) { m.mutable_weekly()->set_start_minute(1440); },
                     {"activity.weekly.start_minute"}},
        ActivityCase{"WeeklyStartNegative",
                     [](v1::Activity& m) { m.mutable_weekly()->set_start_minute(-1); },
                     {"activity.weekly.start_minute"}},
        ActivityCase{"WeeklyDurationZero",
                     [](v1::Activity& m) { m.mutable_weekly()->set_duration_minutes(0); },
                     {"activity.weekly.duration_minutes"}},
        ActivityCase{"WeeklyDurationTooLong",
                     [](v1::Activity& m) { m.mutable_weekly()->set_duration_minutes(1441); },
                     {"activity.weekly.duration_minutes"}},
        ActivityCase{"WeeklyFirstDateMissing",
                     [](v1::Activity& m) { m.mutable_weekly()->clear_first_date(); },
                     {"activity.weekly.first_date"}},
        ActivityCase{"WeeklyFirstDateInvalid",
                     [](v1::Activity& m) {
                       *m.mutable_weekly()->mutable_first_date() = MakeDate(2024, 0, 9);
                     },
                     {"activity.weekly.first_date"}},
        ActivityCase{"WeeklyLastBeforeFirst",
                     [](v1::Activity& m) {
                       *m.mutable_weekly()->mutable_last_date() = MakeDate(2024, 1, 8);
                     },
                     {"activity.weekly.last_date"}},
        ActivityCase{"OneOffStartMissing",
                     [](v1::Activity& m) { m.mutable_one_off()->set_duration_minutes(60); },
                     {"activity.one_off.start_time"}},
        ActivityCase{"OneOffStartInvalid",
                     [](v1::Activity& m) {
                       m.mutable_one_off()->set_duration_minutes(60);
                       m.mutable_one_off()->mutable_start_time()->set_seconds(1700000000);
                       m.mutable_one_off()->mutable_start_time()->set_nanos(1000000000);
                     },
                     {"activity.one_off.start_time"}},
        ActivityCase{"OneOffDurationZero",
                     [](v1::Activity& m) {
                       *m.mutable_one_off()->mutable_start_time() = Ts(Utc(2024, 6, 15, 8, 0));
                     },
                     {"activity.one_off.duration_minutes"}},
        ActivityCase{"OneOffDurationTooLong",
                     [](v1::Activity& m) {
                       *m.mutable_one_off()->mutable_start_time() = Ts(Utc(2024, 6, 15, 8, 0));
                       m.mutable_one_off()->set_duration_minutes(1441);
                     },
                     {"activity.one_off.duration_minutes"}},
        ActivityCase{
            "CapacityZero", [](v1::Activity& m) { m.set_capacity(0); }, {"activity.capacity"}},
        ActivityCase{
            "CapacityTooBig", [](v1::Activity& m) { m.set_capacity(1001); }, {"activity.capacity"}},
        ActivityCase{"AccessibilityDuplicate",
                     [](v1::Activity& m) { m.add_accessibility(v1::ACCESSIBILITY_STEP_FREE); },
                     {"activity.accessibility[2]"}},
        ActivityCase{
            "AccessibilityUndefined",
            [](v1::Activity& m) { m.set_accessibility(0, static_cast<v1::Accessibility>(77)); },
            {"activity.accessibility[0]"}},
        ActivityCase{"RequiredSkillUpperCase",
                     [](v1::Activity& m) { m.add_required_skills("Svømning"); },
                     {"activity.required_skills[1]"}},
        ActivityCase{"RequiredSkillsTooMany",
                     [](v1::Activity& m) {
                       for (int i = 0; i < 20; ++i) {
                         m.add_required_skills("s" + std::to_string(i));
                       }
                     },
                     {"activity.required_skills"}},
        ActivityCase{"RequiredTrainingEmpty",
                     [](v1::Activity& m) { m.add_required_trainings(" "); },
                     {"activity.required_trainings[1]"}},
        ActivityCase{"RequiredTrainingDuplicate",
                     [](v1::Activity& m) { m.add_required_trainings("Følgeven-introduktion"); },
                     {"activity.required_trainings[1]"}},
        ActivityCase{"RequiredTrainingsTooMany",
                     [](v1::Activity& m) {
                       for (int i = 0; i < 20; ++i) {
                         m.add_required_trainings("Kursus " + std::to_string(i));
                       }
                     },
                     {"activity.required_trainings"}},
        ActivityCase{"InterestDuplicate",
                     [](v1::Activity& m) { m.add_interests("gå ture"); },
                     {"activity.interests[1]"}},
        ActivityCase{"InterestsTooMany",
                     [](v1::Activity& m) {
                       for (int i = 0; i < 30; ++i) {
                         m.add_interests("i" + std::to_string(i));
                       }
                     },
                     {"activity.interests"}}),
    CaseName<v1::Activity>);

TEST(VolunteerValidationTest, ActivityBoundariesPass) {
  v1::Activity m = GoodWeeklyActivity();
  m.set_capacity(1000);
  m.mutable_weekly()->set_start_minute(1439);
  m.mutable_weekly()->set_duration_minutes(1440);
  *m.mutable_weekly()->mutable_last_date() = m.weekly().first_date();
  EXPECT_EQ(BadFields(ValidateActivity, m, "activity"), Fields{});
  m.mutable_weekly()->clear_last_date();  // open-ended
  EXPECT_EQ(BadFields(ValidateActivity, m, "activity"), Fields{});
  m.mutable_place()->clear_address();
  m.mutable_place()->clear_location();
  EXPECT_EQ(BadFields(ValidateActivity, m, "activity"), Fields{});
}

TEST(VolunteerValidationTest, ActivityReportsEveryBadField) {
  v1::Activity m;
  m.mutable_one_off()->set_duration_minutes(0);
  m.add_required_skills("A");
  EXPECT_EQ(BadFields(ValidateActivity, m, "activity"), (Fields{
                                                            "activity.capacity",
                                                            "activity.one_off.duration_minutes",
                                                            "activity.one_off.start_time",
                                                            "activity.organisation_id",
                                                            "activity.place.postcode",
                                                            "activity.required_skills[0]",
                                                            "activity.title",
                                                        }));
}

// ---------------------------------------------------------------------------
// Accompaniment request

using RequestCase = Case<v1::AccompanimentRequest>;
class RequestRuleTest : public ::testing::TestWithParam<RequestCase> {};

TEST_P(RequestRuleTest, RejectsExactlyTheField) {
  v1::AccompanimentRequest m = GoodRequest();
  GetParam().mutate(m);
  EXPECT_EQ(BadFields(ValidateAccompanimentRequest, m, "accompaniment_request"), GetParam().fields);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, RequestRuleTest,
    ::testing::Values(
        RequestCase{"CitizenIdMissing",
                    [](v1::AccompanimentRequest& m) { m.clear_citizen_id(); },
                    {"accompaniment_request.citizen_id"}},
        RequestCase{"CitizenIdLooksLikeCpr",
                    [](v1::AccompanimentRequest& m) { m.set_citizen_id("010190 1234"); },
                    {"accompaniment_request.citizen_id"}},
        RequestCase{"ActivityIdInvalid",
                    [](v1::AccompanimentRequest& m) { m.set_activity_id("act 1"); },
                    {"accompaniment_request.activity_id"}},
        RequestCase{"DestinationRequiredWithoutActivity",
                    [](v1::AccompanimentRequest& m) { m.clear_destination(); },
                    {"accompaniment_request.destination"}},
        RequestCase{"DestinationBlankWithoutActivity",
                    [](v1::AccompanimentRequest& m) { m.set_destination("  "); },
                    {"accompaniment_request.destination"}},
        RequestCase{"DestinationTooLong",
                    [](v1::AccompanimentRequest& m) { m.set_destination(Repeat("å", 201)); },
                    {"accompaniment_request.destination"}},
        RequestCase{"DestinationTooLongWithActivity",
                    [](v1::AccompanimentRequest& m) {
                      m.set_activity_id("act-1");
                      m.set_destination(Repeat("å", 201));
                    },
                    {"accompaniment_request.destination"}},
        RequestCase{"PlaceMissing",
                    [](v1::AccompanimentRequest& m) { m.clear_place(); },
                    {"accompaniment_request.place.postcode"}},
        RequestCase{"PlacePostcodeBad",
                    [](v1::AccompanimentRequest& m) { m.mutable_place()->set_postcode("DK"); },
                    {"accompaniment_request.place.postcode"}},
        RequestCase{"WindowStartMissing",
                    [](v1::AccompanimentRequest& m) { m.clear_window_start(); },
                    {"accompaniment_request.window_start"}},
        RequestCase{"WindowEndMissing",
                    [](v1::AccompanimentRequest& m) { m.clear_window_end(); },
                    {"accompaniment_request.window_end"}},
        RequestCase{"WindowBothMissing",
                    [](v1::AccompanimentRequest& m) {
                      m.clear_window_start();
                      m.clear_window_end();
                    },
                    {"accompaniment_request.window_end", "accompaniment_request.window_start"}},
        RequestCase{"WindowEndEqualsStart",
                    [](v1::AccompanimentRequest& m) { *m.mutable_window_end() = m.window_start(); },
                    {"accompaniment_request.window_end"}},
        RequestCase{"WindowEndBeforeStart",
                    [](v1::AccompanimentRequest& m) {
                      *m.mutable_window_end() = Ts(Utc(2024, 5, 14, 7, 59));
                    },
                    {"accompaniment_request.window_end"}},
        RequestCase{"WindowLongerThanADay",
                    [](v1::AccompanimentRequest& m) {
                      *m.mutable_window_end() = Ts(Utc(2024, 5, 15, 8, 0, 1));
                    },
                    {"accompaniment_request.window_end"}},
        RequestCase{"WindowStartInvalid",
                    [](v1::AccompanimentRequest& m) { m.mutable_window_start()->set_nanos(-1); },
                    {"accompaniment_request.window_start"}},
        RequestCase{"NeedDuplicate",
                    [](v1::AccompanimentRequest& m) { m.add_needs(v1::NEED_HEARING); },
                    {"accompaniment_request.needs[2]"}},
        RequestCase{"NeedUnspecified",
                    [](v1::AccompanimentRequest& m) { m.set_needs(0, v1::NEED_UNSPECIFIED); },
                    {"accompaniment_request.needs[0]"}},
        RequestCase{"LanguageUpperCase",
                    [](v1::AccompanimentRequest& m) { m.set_language("DA"); },
                    {"accompaniment_request.language"}},
        RequestCase{"LanguageTooLong",
                    [](v1::AccompanimentRequest& m) { m.set_language("dan"); },
                    {"accompaniment_request.language"}},
        RequestCase{"GenderPreferenceUndefined",
                    [](v1::AccompanimentRequest& m) {
                      m.set_gender_preference(static_cast<v1::Gender>(4));
                    },
                    {"accompaniment_request.gender_preference"}},
        RequestCase{"InterestUpperCase",
                    [](v1::AccompanimentRequest& m) { m.add_interests("Kaffe"); },
                    {"accompaniment_request.interests[1]"}},
        RequestCase{"InterestDuplicate",
                    [](v1::AccompanimentRequest& m) { m.add_interests("strik"); },
                    {"accompaniment_request.interests[1]"}}),
    CaseName<v1::AccompanimentRequest>);

TEST(VolunteerValidationTest, RequestDestinationAndLanguageOptionalWithActivity) {
  v1::AccompanimentRequest m = GoodRequest();
  m.set_activity_id("act-1");
  m.clear_destination();
  m.clear_language();
  m.clear_needs();
  m.clear_gender_preference();
  EXPECT_EQ(BadFields(ValidateAccompanimentRequest, m, "accompaniment_request"), Fields{});
}

TEST(VolunteerValidationTest, RequestWindowOfExactly24HoursPasses) {
  v1::AccompanimentRequest m = GoodRequest();
  *m.mutable_window_end() = Ts(Utc(2024, 5, 15, 8, 0));
  EXPECT_EQ(BadFields(ValidateAccompanimentRequest, m, "accompaniment_request"), Fields{});
  // Across the autumn clock change: 24 real hours, 25 on the wall clock.
  *m.mutable_window_start() = Ts(Utc(2024, 10, 26, 22, 0));
  *m.mutable_window_end() = Ts(Utc(2024, 10, 27, 22, 0));
  EXPECT_EQ(BadFields(ValidateAccompanimentRequest, m, "accompaniment_request"), Fields{});
}

TEST(VolunteerValidationTest, RequestReportsEveryBadField) {
  v1::AccompanimentRequest m;
  m.set_language("english");
  m.add_needs(static_cast<v1::Need>(42));
  m.set_request_state(v1::REQUEST_STATE_COMPLETED);  // output only: ignored
  EXPECT_EQ(BadFields(ValidateAccompanimentRequest, m, "accompaniment_request"),
            (Fields{
                "accompaniment_request.citizen_id",
                "accompaniment_request.destination",
                "accompaniment_request.language",
                "accompaniment_request.needs[0]",
                "accompaniment_request.place.postcode",
                "accompaniment_request.window_end",
                "accompaniment_request.window_start",
            }));
}

// ---------------------------------------------------------------------------
// Hours and evaluations

using HoursCase = Case<v1::HoursEntry>;
class HoursRuleTest : public ::testing::TestWithParam<HoursCase> {};

TEST_P(HoursRuleTest, RejectsExactlyTheField) {
  v1::HoursEntry m = GoodHours();
  GetParam().mutate(m);
  EXPECT_EQ(BadFields(ValidateHoursEntry, m, "entry"), GetParam().fields);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, HoursRuleTest,
    ::testing::Values(
        HoursCase{"DateMissing", [](v1::HoursEntry& m) { m.clear_date(); }, {"entry.date"}},
        HoursCase{"DateInvalid",
                  [](v1::HoursEntry& m) { *m.mutable_date() = MakeDate(2024, 2, 30); },
                  {"entry.date"}},
        HoursCase{"HoursZero", [](v1::HoursEntry& m) { m.clear_hours(); }, {"entry.hours"}},
        HoursCase{"HoursTooFew", [](v1::HoursEntry& m) { m.set_hours(0.24); }, {"entry.hours"}},
        HoursCase{"HoursTooMany", [](v1::HoursEntry& m) { m.set_hours(24.01); }, {"entry.hours"}},
        HoursCase{"HoursNaN", [](v1::HoursEntry& m) { m.set_hours(kNaN); }, {"entry.hours"}},
        HoursCase{"HoursInfinite",
                  [](v1::HoursEntry& m) { m.set_hours(std::numeric_limits<double>::infinity()); },
                  {"entry.hours"}},
        HoursCase{"ActivityIdInvalid",
                  [](v1::HoursEntry& m) { m.set_activity_id("a b"); },
                  {"entry.activity_id"}},
        HoursCase{"RequestIdInvalid",
                  [](v1::HoursEntry& m) {
                    m.clear_activity_id();
                    m.set_accompaniment_request_id("req#1");
                  },
                  {"entry.accompaniment_request_id"}},
        HoursCase{"ActivityAndRequestBoth",
                  [](v1::HoursEntry& m) { m.set_accompaniment_request_id("req-1"); },
                  {"entry.accompaniment_request_id"}}),
    CaseName<v1::HoursEntry>);

TEST(VolunteerValidationTest, HoursBoundariesPass) {
  v1::HoursEntry m = GoodHours();
  for (double hours : {0.25, 24.0}) {
    m.set_hours(hours);
    EXPECT_EQ(BadFields(ValidateHoursEntry, m, "entry"), Fields{}) << hours;
  }
  m.clear_activity_id();
  m.set_accompaniment_request_id("req-1");
  EXPECT_EQ(BadFields(ValidateHoursEntry, m, "entry"), Fields{});
  m.clear_accompaniment_request_id();
  EXPECT_EQ(BadFields(ValidateHoursEntry, m, "entry"), Fields{});
}

using EvaluationCase = Case<v1::Evaluation>;
class EvaluationRuleTest : public ::testing::TestWithParam<EvaluationCase> {};

TEST_P(EvaluationRuleTest, RejectsExactlyTheField) {
  v1::Evaluation m = GoodEvaluation();
  GetParam().mutate(m);
  EXPECT_EQ(BadFields(ValidateEvaluation, m, "evaluation"), GetParam().fields);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, EvaluationRuleTest,
    ::testing::Values(
        EvaluationCase{
            "SideMissing", [](v1::Evaluation& m) { m.clear_side(); }, {"evaluation.side"}},
        EvaluationCase{"SideUndefined",
                       [](v1::Evaluation& m) { m.set_side(static_cast<v1::EvaluationSide>(3)); },
                       {"evaluation.side"}},
        EvaluationCase{
            "ScoreZero", [](v1::Evaluation& m) { m.clear_score(); }, {"evaluation.score"}},
        EvaluationCase{
            "ScoreTooHigh", [](v1::Evaluation& m) { m.set_score(6); }, {"evaluation.score"}},
        EvaluationCase{"NoteControl",
                       [](v1::Evaluation& m) { m.set_note("ok\x1b[31m"); },
                       {"evaluation.note"}},
        EvaluationCase{"NoteTooLong",
                       [](v1::Evaluation& m) { m.set_note(Repeat("x", 2001)); },
                       {"evaluation.note"}}),
    CaseName<v1::Evaluation>);

TEST(VolunteerValidationTest, EvaluationReportsEveryBadField) {
  v1::Evaluation m;
  m.set_score(9);
  EXPECT_EQ(BadFields(ValidateEvaluation, m, "evaluation"),
            (Fields{"evaluation.score", "evaluation.side"}));
  m.set_side(v1::EVALUATION_SIDE_VOLUNTEER);
  m.set_score(1);
  m.clear_note();
  EXPECT_EQ(BadFields(ValidateEvaluation, m, "evaluation"), Fields{});
}

// ---------------------------------------------------------------------------
// Occurrences (Europe/Copenhagen: CET = UTC+1 in winter, CEST = UTC+2 in
// summer). The good weekly activity runs Tuesdays 17:30-19:00 local time from
// 2024-01-09 to 2024-12-31.

TEST(VolunteerOccurrenceTest, OneOffStartIsTheOnlyOccurrence) {
  const v1::Activity a = GoodOneOffActivity();
  const absl::Time start = Utc(2024, 6, 15, 8, 0);
  EXPECT_TRUE(IsOccurrence(a, start));
  EXPECT_FALSE(IsOccurrence(a, start + absl::Minutes(1)));
  EXPECT_FALSE(IsOccurrence(a, start + absl::Nanoseconds(1)));
  EXPECT_FALSE(IsOccurrence(a, start + absl::Hours(24 * 7)));
  EXPECT_EQ(OccurrenceEnd(a, start), start + absl::Minutes(120));
}

TEST(VolunteerOccurrenceTest, WeeklyInSummerTime) {
  const v1::Activity a = GoodWeeklyActivity();
  // Tuesday 2024-07-02 17:30 CEST = 15:30 UTC.
  EXPECT_TRUE(IsOccurrence(a, Utc(2024, 7, 2, 15, 30)));
  // 17:30 UTC is 19:30 local: not the start.
  EXPECT_FALSE(IsOccurrence(a, Utc(2024, 7, 2, 17, 30)));
  // 16:30 UTC would be right in winter only.
  EXPECT_FALSE(IsOccurrence(a, Utc(2024, 7, 2, 16, 30)));
  EXPECT_EQ(OccurrenceEnd(a, Utc(2024, 7, 2, 15, 30)), Utc(2024, 7, 2, 17, 0));
}

TEST(VolunteerOccurrenceTest, WeeklyInWinterTime) {
  const v1::Activity a = GoodWeeklyActivity();
  // Tuesday 2024-11-05 17:30 CET = 16:30 UTC.
  EXPECT_TRUE(IsOccurrence(a, Utc(2024, 11, 5, 16, 30)));
  EXPECT_FALSE(IsOccurrence(a, Utc(2024, 11, 5, 15, 30)));
  EXPECT_EQ(OccurrenceEnd(a, Utc(2024, 11, 5, 16, 30)), Utc(2024, 11, 5, 18, 0));
}

TEST(VolunteerOccurrenceTest, WeeklyOffDay) {
  const v1::Activity a = GoodWeeklyActivity();
  EXPECT_FALSE(IsOccurrence(a, Utc(2024, 7, 3, 15, 30)));  // Wednesday
  EXPECT_FALSE(IsOccurrence(a, Utc(2024, 7, 1, 15, 30)));  // Monday
  EXPECT_FALSE(IsOccurrence(a, Utc(2024, 7, 7, 15, 30)));  // Sunday
}

TEST(VolunteerOccurrenceTest, WeeklyOffMinute) {
  const v1::Activity a = GoodWeeklyActivity();
  EXPECT_FALSE(IsOccurrence(a, Utc(2024, 7, 2, 15, 31)));
  EXPECT_FALSE(IsOccurrence(a, Utc(2024, 7, 2, 15, 29)));
  EXPECT_FALSE(IsOccurrence(a, Utc(2024, 7, 2, 15, 30, 1)));
  EXPECT_FALSE(IsOccurrence(a, Utc(2024, 7, 2, 15, 30) + absl::Milliseconds(1)));
}

TEST(VolunteerOccurrenceTest, WeeklyWithinFirstAndLastDateInclusive) {
  v1::Activity a = GoodWeeklyActivity();
  // First date (Tuesday 2024-01-09) counts; the Tuesday before does not.
  EXPECT_TRUE(IsOccurrence(a, Utc(2024, 1, 9, 16, 30)));
  EXPECT_FALSE(IsOccurrence(a, Utc(2024, 1, 2, 16, 30)));
  // Last date 2024-12-31 is a Tuesday and counts; the next Tuesday does not.
  EXPECT_TRUE(IsOccurrence(a, Utc(2024, 12, 31, 16, 30)));
  EXPECT_FALSE(IsOccurrence(a, Utc(2025, 1, 7, 16, 30)));
  // Without a last date it goes on.
  a.mutable_weekly()->clear_last_date();
  EXPECT_TRUE(IsOccurrence(a, Utc(2025, 1, 7, 16, 30)));
}

TEST(VolunteerOccurrenceTest, WeeklyLocalDayNotUtcDay) {
  // Mondays 00:30 local time: in summer that is Sunday 22:30 UTC.
  v1::Activity a = GoodWeeklyActivity();
  a.mutable_weekly()->set_weekday(v1::WEEKDAY_MONDAY);
  a.mutable_weekly()->set_start_minute(30);
  EXPECT_TRUE(IsOccurrence(a, Utc(2024, 7, 7, 22, 30)));
  EXPECT_FALSE(IsOccurrence(a, Utc(2024, 7, 8, 0, 30)));
  // Winter: Sunday 23:30 UTC.
  EXPECT_TRUE(IsOccurrence(a, Utc(2024, 1, 14, 23, 30)));
}

TEST(VolunteerOccurrenceTest, NoScheduleHasNoOccurrence) {
  v1::Activity a = GoodWeeklyActivity();
  a.clear_schedule();
  const absl::Time t = Utc(2024, 7, 2, 15, 30);
  EXPECT_FALSE(IsOccurrence(a, t));
  EXPECT_EQ(OccurrenceEnd(a, t), t);
}

}  // namespace
}  // namespace helhed::volunteers
