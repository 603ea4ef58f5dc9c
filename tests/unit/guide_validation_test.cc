// Tests of the guide-service validation (services/guides/domain/validation):
// good resources pass; each rule rejects bad input with a violation on
// exactly the field path a caller sees and on no other; every bad field is
// reported at once; lengths count characters, not bytes.
#include <algorithm>
#include <functional>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/status/field_violations.h"
#include "google/type/date.pb.h"
#include "gtest/gtest.h"
#include "helhed/common/v1/common.pb.h"
#include "helhed/guides/v1/resources.pb.h"
#include "services/guides/domain/validation.h"
#include "tests/support/validation_cases.h"

namespace helhed::guides {
namespace {

using helhed::testing::BadFields;
using helhed::testing::Case;
using helhed::testing::CaseName;
using helhed::testing::Fields;
using helhed::testing::Repeat;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

google::type::Date MakeDate(int y, int m, int d) {
  google::type::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

// ---------------------------------------------------------------------------
// Good resources

v1::Guide GoodGuide() {
  v1::Guide m;
  m.set_display_name("Mette K.");
  auto* e = m.add_experiences();
  e->set_tag(v1::EXPERIENCE_TAG_ADHD);
  e->set_years_ago(3);
  e = m.add_experiences();
  e->set_tag(v1::EXPERIENCE_TAG_RELATIVE);
  e->set_years_ago(0);
  m.add_life_phases(v1::LIFE_PHASE_WORK_AND_EDUCATION);
  m.add_life_phases(v1::LIFE_PHASE_PARENTHOOD);
  m.add_languages("da");
  m.add_languages("en");
  m.set_home_postcode("8900");
  m.mutable_home_location()->set_latitude(56.4607);
  m.mutable_home_location()->set_longitude(10.0364);
  m.set_max_travel_km(25);
  m.set_age_band(v1::AGE_BAND_30_49);
  m.set_gender(v1::GENDER_FEMALE);
  auto* t = m.add_trainings();
  t->set_course("Borgerguide-uddannelsen");
  *t->mutable_completed_date() = MakeDate(2023, 9, 1);
  *t->mutable_valid_until() = MakeDate(2026, 8, 31);
  t = m.add_trainings();
  t->set_course("Samtaletræning for pårørende");
  *t->mutable_completed_date() = MakeDate(2024, 2, 29);
  *t->mutable_valid_until() = MakeDate(2025, 2, 28);
  m.add_settings(v1::SETTING_JOB_CENTRE);
  m.add_settings(v1::SETTING_DISABILITY_SERVICES);
  m.set_employment(v1::EMPLOYMENT_VOLUNTEER);
  m.set_capacity(3);
  m.add_available_days(v1::WEEKDAY_TUESDAY);
  m.add_available_days(v1::WEEKDAY_THURSDAY);
  m.set_status(v1::GUIDE_STATUS_ACTIVE);
  return m;
}

v1::GuidanceRequest GoodRequest() {
  v1::GuidanceRequest r;
  r.set_citizen_id("c-7f3a9b");
  r.add_situation(v1::EXPERIENCE_TAG_ADHD);
  r.add_situation(v1::EXPERIENCE_TAG_MENTAL_ILLNESS);
  r.set_life_phase(v1::LIFE_PHASE_WORK_AND_EDUCATION);
  r.set_help_wanted(
      "Jeg vil gerne tale med en, der selv har prøvet at få et job med ADHD.\n"
      "Helst om aftenen.\tGerne på en gåtur.");
  r.set_life_area(helhed::common::v1::LIFE_AREA_MASTER);
  r.mutable_preferences()->set_gender(v1::GENDER_FEMALE);
  r.mutable_preferences()->set_age_band(v1::AGE_BAND_30_49);
  r.mutable_preferences()->set_language("da");
  r.mutable_preferences()->set_setting(v1::SETTING_JOB_CENTRE);
  r.add_must_haves(v1::MUST_HAVE_SHARED_EXPERIENCE);
  r.add_must_haves(v1::MUST_HAVE_SETTING);
  r.set_urgency(v1::URGENCY_NORMAL);
  r.set_referred_by("Jobcenter Randers, team 2");
  r.set_consent_given(true);
  r.set_postcode("8930");
  r.mutable_location()->set_latitude(56.47);
  r.mutable_location()->set_longitude(10.05);
  return r;
}

v1::GroupSession GoodSession() {
  v1::GroupSession s;
  s.set_title("Oplæg: At leve med ADHD som voksen");
  s.set_kind(v1::SESSION_KIND_TALK);
  s.add_guide_ids("g-1");
  s.add_guide_ids("Guide_2");
  s.set_audience(v1::AUDIENCE_RELATIVES);
  *s.mutable_date() = MakeDate(2024, 10, 3);
  s.set_venue("Randers Bibliotek, sal 2");
  s.set_attendance(35);
  return s;
}

v1::Meeting GoodMeeting() {
  v1::Meeting m;
  *m.mutable_date() = MakeDate(2024, 5, 14);
  m.set_minutes(60);
  m.set_form(v1::MEETING_FORM_WALK);
  return m;
}

v1::MatchEvaluation GoodEvaluation() {
  v1::MatchEvaluation e;
  e.set_score(4);
  e.set_note("Godt forløb.\nTak for turene.");
  return e;
}

TEST(GuideValidationTest, GoodResourcesPass) {
  EXPECT_EQ(BadFields(ValidateGuide, GoodGuide(), "guide"), Fields{});
  EXPECT_EQ(BadFields(ValidateGuidanceRequest, GoodRequest(), "guidance_request"), Fields{});
  EXPECT_EQ(BadFields(ValidateGroupSession, GoodSession(), "group_session"), Fields{});
  EXPECT_EQ(BadFields(ValidateMeeting, GoodMeeting(), "meeting"), Fields{});
  EXPECT_EQ(BadFields(ValidateMatchEvaluation, GoodEvaluation(), "citizen_evaluation"), Fields{});
}

// The item limit is checked before the items: 100,000 empty trainings are
// one violation naming the list (not 300,000 naming each item), at once.
TEST(GuideValidationTest, TooManyTrainingsAreOneViolationNamingTheList) {
  v1::Guide g = GoodGuide();
  g.clear_trainings();
  for (int i = 0; i < 20; ++i) {
    auto* t = g.add_trainings();
    *t = GoodGuide().trainings(0);
    t->set_course("Kursus " + std::to_string(i));
  }
  EXPECT_EQ(BadFields(ValidateGuide, g, "guide"), Fields{});
  g.add_trainings();
  EXPECT_EQ(BadFields(ValidateGuide, g, "guide"), Fields{"guide.trainings"});
  for (int i = 0; i < 100000; ++i) g.add_trainings();
  const absl::Time start = absl::Now();
  EXPECT_EQ(BadFields(ValidateGuide, g, "guide"), Fields{"guide.trainings"});
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));
}

TEST(GuideValidationTest, MinimalResourcesPass) {
  v1::Guide g;
  g.set_display_name("M");
  g.add_experiences()->set_tag(v1::EXPERIENCE_TAG_AUTISM);
  g.add_languages("da");
  g.set_home_postcode("0800");
  g.add_settings(v1::SETTING_HOUSING);
  g.set_employment(v1::EMPLOYMENT_PAID);
  g.set_capacity(1);
  g.set_status(v1::GUIDE_STATUS_PAUSED);
  EXPECT_EQ(BadFields(ValidateGuide, g, "guide"), Fields{});

  v1::GuidanceRequest r;
  r.set_citizen_id("c1");
  r.add_situation(v1::EXPERIENCE_TAG_HOMELESSNESS);
  r.set_help_wanted("x");
  r.set_life_area(helhed::common::v1::LIFE_AREA_LIVE);
  r.set_urgency(v1::URGENCY_LOW);
  r.set_postcode("8900");
  EXPECT_EQ(BadFields(ValidateGuidanceRequest, r, "guidance_request"), Fields{});

  v1::GroupSession s;
  s.set_title("T");
  s.set_kind(v1::SESSION_KIND_INSPIRATION_COURSE);
  s.add_guide_ids("g");
  s.set_audience(v1::AUDIENCE_STAFF);
  *s.mutable_date() = MakeDate(2024, 1, 1);
  EXPECT_EQ(BadFields(ValidateGroupSession, s, "group_session"), Fields{});

  v1::Meeting mt;
  *mt.mutable_date() = MakeDate(2024, 1, 1);
  mt.set_minutes(5);
  mt.set_form(v1::MEETING_FORM_PHONE);
  EXPECT_EQ(BadFields(ValidateMeeting, mt, "meeting"), Fields{});

  EXPECT_EQ(BadFields(ValidateMatchEvaluation, v1::MatchEvaluation(), "guide_evaluation"),
            Fields{});
}

TEST(GuideValidationTest, BookkeepingAndOutputOnlyFieldsAreIgnored) {
  v1::Guide g = GoodGuide();
  g.set_id("not an id!");
  g.set_etag("whatever");
  g.set_state(static_cast<helhed::common::v1::ResourceState>(99));
  g.mutable_create_time()->set_nanos(-5);
  g.mutable_update_time()->set_seconds(-1);
  EXPECT_EQ(BadFields(ValidateGuide, g, "guide"), Fields{});

  v1::GuidanceRequest r = GoodRequest();
  r.set_id("not an id!");
  r.set_request_state(static_cast<v1::RequestState>(99));
  r.set_state(static_cast<helhed::common::v1::ResourceState>(99));
  r.set_etag(std::string("\x01", 1));
  EXPECT_EQ(BadFields(ValidateGuidanceRequest, r, "guidance_request"), Fields{});

  v1::GroupSession s = GoodSession();
  s.set_id("not an id!");
  s.set_state(static_cast<helhed::common::v1::ResourceState>(99));
  EXPECT_EQ(BadFields(ValidateGroupSession, s, "group_session"), Fields{});

  v1::Meeting mt = GoodMeeting();
  mt.set_id("not an id!");
  mt.set_match_id("not an id!");
  mt.mutable_create_time()->set_nanos(-5);
  EXPECT_EQ(BadFields(ValidateMeeting, mt, "meeting"), Fields{});
}

TEST(GuideValidationTest, DanishCharactersCountAsOne) {
  v1::Guide g = GoodGuide();
  g.set_display_name(Repeat("ø", 100));  // 200 bytes
  g.mutable_trainings(0)->set_course(Repeat("æ", 200));
  EXPECT_EQ(BadFields(ValidateGuide, g, "guide"), Fields{});
  g.set_display_name(Repeat("ø", 101));
  g.mutable_trainings(0)->set_course(Repeat("æ", 201));
  EXPECT_EQ(BadFields(ValidateGuide, g, "guide"),
            (Fields{"guide.display_name", "guide.trainings[0].course"}));

  v1::GuidanceRequest r = GoodRequest();
  r.set_help_wanted(Repeat("å", 2000));
  r.set_referred_by(Repeat("Æ", 200));
  EXPECT_EQ(BadFields(ValidateGuidanceRequest, r, "guidance_request"), Fields{});
  r.set_help_wanted(Repeat("å", 2001));
  r.set_referred_by(Repeat("Æ", 201));
  EXPECT_EQ(BadFields(ValidateGuidanceRequest, r, "guidance_request"),
            (Fields{"guidance_request.help_wanted", "guidance_request.referred_by"}));

  v1::GroupSession s = GoodSession();
  s.set_title(Repeat("Å", 200));
  s.set_venue(Repeat("Ø", 200));
  EXPECT_EQ(BadFields(ValidateGroupSession, s, "group_session"), Fields{});
  s.set_title(Repeat("Å", 201));
  s.set_venue(Repeat("Ø", 201));
  EXPECT_EQ(BadFields(ValidateGroupSession, s, "group_session"),
            (Fields{"group_session.title", "group_session.venue"}));

  v1::MatchEvaluation e = GoodEvaluation();
  e.set_note(Repeat("ø", 2000));
  EXPECT_EQ(BadFields(ValidateMatchEvaluation, e, "evaluation"), Fields{});
  e.set_note(Repeat("ø", 2001));
  EXPECT_EQ(BadFields(ValidateMatchEvaluation, e, "evaluation"), Fields{"evaluation.note"});
}

// ---------------------------------------------------------------------------
// Guide

using GuideCase = Case<v1::Guide>;
class GuideRuleTest : public ::testing::TestWithParam<GuideCase> {};

TEST_P(GuideRuleTest, RejectsExactlyTheField) {
  v1::Guide m = GoodGuide();
  GetParam().mutate(m);
  EXPECT_EQ(BadFields(ValidateGuide, m, "guide"), GetParam().fields);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, GuideRuleTest,
    ::testing::Values(
        // display_name: 1-100 characters, one line.
        GuideCase{"DisplayNameEmpty",
                  [](v1::Guide& m) { m.clear_display_name(); },
                  {"guide.display_name"}},
        GuideCase{"DisplayNameBlank",
                  [](v1::Guide& m) { m.set_display_name(" \t "); },
                  {"guide.display_name"}},
        GuideCase{"DisplayNameTooLong",
                  [](v1::Guide& m) { m.set_display_name(Repeat("x", 101)); },
                  {"guide.display_name"}},
        GuideCase{"DisplayNameNewline",
                  [](v1::Guide& m) { m.set_display_name("Mette\nK."); },
                  {"guide.display_name"}},
        GuideCase{"DisplayNameEscape",
                  [](v1::Guide& m) { m.set_display_name("Mette\x1b[31m"); },
                  {"guide.display_name"}},
        GuideCase{"DisplayNameNotUtf8",
                  [](v1::Guide& m) { m.set_display_name("Mette \xc3"); },
                  {"guide.display_name"}},
        // experiences: 1-20, tag required and defined, no tag twice,
        // years_ago 0-80.
        GuideCase{
            "ExperiencesEmpty", [](v1::Guide& m) { m.clear_experiences(); }, {"guide.experiences"}},
        GuideCase{"ExperiencesTooMany",
                  [](v1::Guide& m) {
                    m.clear_experiences();
                    for (int i = 0; i < 21; ++i) {
                      m.add_experiences()->set_tag(static_cast<v1::ExperienceTag>(1 + i % 9));
                    }
                  },
                  {"guide.experiences"}},
        GuideCase{"ExperienceTagMissing",
                  [](v1::Guide& m) { m.mutable_experiences(1)->clear_tag(); },
                  {"guide.experiences[1].tag"}},
        GuideCase{"ExperienceTagUndefined",
                  [](v1::Guide& m) {
                    m.mutable_experiences(1)->set_tag(static_cast<v1::ExperienceTag>(42));
                  },
                  {"guide.experiences[1].tag"}},
        GuideCase{"ExperienceTagDuplicate",
                  [](v1::Guide& m) {
                    auto* e = m.add_experiences();
                    e->set_tag(v1::EXPERIENCE_TAG_ADHD);  // as [0], other years
                    e->set_years_ago(10);
                  },
                  {"guide.experiences[2].tag"}},
        GuideCase{"YearsAgoNegative",
                  [](v1::Guide& m) { m.mutable_experiences(0)->set_years_ago(-1); },
                  {"guide.experiences[0].years_ago"}},
        GuideCase{"YearsAgoTooMany",
                  [](v1::Guide& m) { m.mutable_experiences(0)->set_years_ago(81); },
                  {"guide.experiences[0].years_ago"}},
        // life_phases: defined, no duplicates.
        GuideCase{"LifePhaseUnspecified",
                  [](v1::Guide& m) { m.add_life_phases(v1::LIFE_PHASE_UNSPECIFIED); },
                  {"guide.life_phases[2]"}},
        GuideCase{"LifePhaseUndefined",
                  [](v1::Guide& m) { m.set_life_phases(0, static_cast<v1::LifePhase>(9)); },
                  {"guide.life_phases[0]"}},
        GuideCase{"LifePhaseDuplicate",
                  [](v1::Guide& m) { m.add_life_phases(v1::LIFE_PHASE_PARENTHOOD); },
                  {"guide.life_phases[2]"}},
        // languages: 1-10 ISO 639-1 codes, no duplicates.
        GuideCase{"LanguagesEmpty", [](v1::Guide& m) { m.clear_languages(); }, {"guide.languages"}},
        GuideCase{
            "LanguagesTooMany",
            [](v1::Guide& m) {
              for (const char* code : {"de", "fr", "ar", "so", "tr", "pl", "uk", "fa", "ur"}) {
                m.add_languages(code);
              }
            },
            {"guide.languages"}},
        GuideCase{"LanguageUpperCase",
                  [](v1::Guide& m) { m.set_languages(1, "EN"); },
                  {"guide.languages[1]"}},
        GuideCase{"LanguageThreeLetters",
                  [](v1::Guide& m) { m.set_languages(0, "dan"); },
                  {"guide.languages[0]"}},
        GuideCase{"LanguageWithRegion",
                  [](v1::Guide& m) { m.set_languages(0, "da-DK"); },
                  {"guide.languages[0]"}},
        GuideCase{
            "LanguageEmpty", [](v1::Guide& m) { m.set_languages(1, ""); }, {"guide.languages[1]"}},
        GuideCase{"LanguageNotAscii",
                  [](v1::Guide& m) { m.set_languages(1, "æ"); },  // two bytes
                  {"guide.languages[1]"}},
        GuideCase{"LanguageDuplicate",
                  [](v1::Guide& m) { m.add_languages("da"); },
                  {"guide.languages[2]"}},
        // home_postcode: four ASCII digits, required.
        GuideCase{"HomePostcodeMissing",
                  [](v1::Guide& m) { m.clear_home_postcode(); },
                  {"guide.home_postcode"}},
        GuideCase{"HomePostcodeThreeDigits",
                  [](v1::Guide& m) { m.set_home_postcode("890"); },
                  {"guide.home_postcode"}},
        GuideCase{"HomePostcodeFiveDigits",
                  [](v1::Guide& m) { m.set_home_postcode("89000"); },
                  {"guide.home_postcode"}},
        GuideCase{"HomePostcodeLetter",
                  [](v1::Guide& m) { m.set_home_postcode("89O0"); },
                  {"guide.home_postcode"}},
        GuideCase{"HomePostcodeCountryPrefix",
                  [](v1::Guide& m) { m.set_home_postcode("DK-8900"); },
                  {"guide.home_postcode"}},
        GuideCase{"HomePostcodeSpace",
                  [](v1::Guide& m) { m.set_home_postcode("8900 "); },
                  {"guide.home_postcode"}},
        GuideCase{"HomePostcodeFullWidthDigits",
                  [](v1::Guide& m) {
                    m.set_home_postcode("\xef\xbc\x98\xef\xbc\x99\xef\xbc\x90\xef\xbc\x90");
                  },
                  {"guide.home_postcode"}},
        // home_location: WGS84 ranges, finite.
        GuideCase{"HomeLatitudeTooHigh",
                  [](v1::Guide& m) { m.mutable_home_location()->set_latitude(90.5); },
                  {"guide.home_location.latitude"}},
        GuideCase{"HomeLatitudeNaN",
                  [](v1::Guide& m) { m.mutable_home_location()->set_latitude(kNaN); },
                  {"guide.home_location.latitude"}},
        GuideCase{"HomeLongitudeTooLow",
                  [](v1::Guide& m) { m.mutable_home_location()->set_longitude(-180.5); },
                  {"guide.home_location.longitude"}},
        GuideCase{"HomeLongitudeInfinite",
                  [](v1::Guide& m) { m.mutable_home_location()->set_longitude(kInf); },
                  {"guide.home_location.longitude"}},
        // max_travel_km: 0 (default 20) or 1-200.
        GuideCase{"MaxTravelNegative",
                  [](v1::Guide& m) { m.set_max_travel_km(-1); },
                  {"guide.max_travel_km"}},
        GuideCase{"MaxTravelTooFar",
                  [](v1::Guide& m) { m.set_max_travel_km(201); },
                  {"guide.max_travel_km"}},
        // age_band, gender: optional, defined.
        GuideCase{"AgeBandUndefined",
                  [](v1::Guide& m) { m.set_age_band(static_cast<v1::AgeBand>(5)); },
                  {"guide.age_band"}},
        GuideCase{"GenderUndefined",
                  [](v1::Guide& m) { m.set_gender(static_cast<v1::Gender>(-1)); },
                  {"guide.gender"}},
        // trainings: course 1-200, both dates required and valid, valid_until
        // not before completed_date, no training twice.
        GuideCase{"TrainingCourseEmpty",
                  [](v1::Guide& m) { m.mutable_trainings(1)->clear_course(); },
                  {"guide.trainings[1].course"}},
        GuideCase{"TrainingCourseTooLong",
                  [](v1::Guide& m) { m.mutable_trainings(1)->set_course(Repeat("k", 201)); },
                  {"guide.trainings[1].course"}},
        GuideCase{"TrainingCourseControl",
                  [](v1::Guide& m) { m.mutable_trainings(1)->set_course("Kursus\t2"); },
                  {"guide.trainings[1].course"}},
        GuideCase{"TrainingCompletedMissing",
                  [](v1::Guide& m) { m.mutable_trainings(0)->clear_completed_date(); },
                  {"guide.trainings[0].completed_date"}},
        GuideCase{"TrainingCompletedInvalid",
                  [](v1::Guide& m) {
                    *m.mutable_trainings(0)->mutable_completed_date() = MakeDate(2023, 2, 29);
                  },
                  {"guide.trainings[0].completed_date"}},
        GuideCase{"TrainingCompletedPartial",
                  [](v1::Guide& m) {
                    *m.mutable_trainings(0)->mutable_completed_date() = MakeDate(2023, 9, 0);
                  },
                  {"guide.trainings[0].completed_date"}},
        GuideCase{"TrainingValidUntilMissing",
                  [](v1::Guide& m) { m.mutable_trainings(0)->clear_valid_until(); },
                  {"guide.trainings[0].valid_until"}},
        GuideCase{"TrainingValidUntilInvalid",
                  [](v1::Guide& m) {
                    *m.mutable_trainings(0)->mutable_valid_until() = MakeDate(2026, 13, 1);
                  },
                  {"guide.trainings[0].valid_until"}},
        GuideCase{"TrainingValidUntilBeforeCompleted",
                  [](v1::Guide& m) {
                    *m.mutable_trainings(0)->mutable_valid_until() = MakeDate(2023, 8, 31);
                  },
                  {"guide.trainings[0].valid_until"}},
        GuideCase{"TrainingDuplicate",
                  [](v1::Guide& m) { *m.add_trainings() = m.trainings(0); },
                  {"guide.trainings[2]"}},
        // settings: at least one, defined, no duplicates.
        GuideCase{"SettingsEmpty", [](v1::Guide& m) { m.clear_settings(); }, {"guide.settings"}},
        GuideCase{"SettingUnspecified",
                  [](v1::Guide& m) { m.set_settings(1, v1::SETTING_UNSPECIFIED); },
                  {"guide.settings[1]"}},
        GuideCase{"SettingUndefined",
                  [](v1::Guide& m) { m.set_settings(0, static_cast<v1::Setting>(77)); },
                  {"guide.settings[0]"}},
        GuideCase{"SettingDuplicate",
                  [](v1::Guide& m) { m.add_settings(v1::SETTING_JOB_CENTRE); },
                  {"guide.settings[2]"}},
        // employment: required, defined.
        GuideCase{
            "EmploymentMissing", [](v1::Guide& m) { m.clear_employment(); }, {"guide.employment"}},
        GuideCase{"EmploymentUndefined",
                  [](v1::Guide& m) { m.set_employment(static_cast<v1::Employment>(3)); },
                  {"guide.employment"}},
        // capacity: 1-20.
        GuideCase{"CapacityZero", [](v1::Guide& m) { m.clear_capacity(); }, {"guide.capacity"}},
        GuideCase{"CapacityNegative", [](v1::Guide& m) { m.set_capacity(-2); }, {"guide.capacity"}},
        GuideCase{"CapacityTooHigh", [](v1::Guide& m) { m.set_capacity(21); }, {"guide.capacity"}},
        // available_days: defined, no duplicates.
        GuideCase{"AvailableDayUnspecified",
                  [](v1::Guide& m) { m.set_available_days(0, v1::WEEKDAY_UNSPECIFIED); },
                  {"guide.available_days[0]"}},
        GuideCase{"AvailableDayUndefined",
                  [](v1::Guide& m) { m.add_available_days(static_cast<v1::Weekday>(8)); },
                  {"guide.available_days[2]"}},
        GuideCase{"AvailableDayDuplicate",
                  [](v1::Guide& m) { m.add_available_days(v1::WEEKDAY_TUESDAY); },
                  {"guide.available_days[2]"}},
        // status: required, defined.
        GuideCase{"StatusMissing", [](v1::Guide& m) { m.clear_status(); }, {"guide.status"}},
        GuideCase{"StatusUndefined",
                  [](v1::Guide& m) { m.set_status(static_cast<v1::GuideStatus>(4)); },
                  {"guide.status"}}),
    CaseName<v1::Guide>);

TEST(GuideValidationTest, GuideBoundariesPass) {
  v1::Guide m = GoodGuide();
  m.set_display_name(Repeat("x", 100));
  m.mutable_experiences(0)->set_years_ago(80);
  m.mutable_experiences(1)->set_years_ago(0);
  m.set_max_travel_km(200);
  m.set_capacity(20);
  m.mutable_home_location()->set_latitude(-90);
  m.mutable_home_location()->set_longitude(180);
  // The training counts on its completion day only.
  *m.mutable_trainings(0)->mutable_valid_until() = m.trainings(0).completed_date();
  // The same course again on another day is another training.
  auto* renewal = m.add_trainings();
  renewal->set_course(m.trainings(0).course());
  *renewal->mutable_completed_date() = MakeDate(2026, 8, 31);
  *renewal->mutable_valid_until() = MakeDate(2029, 8, 30);
  EXPECT_EQ(BadFields(ValidateGuide, m, "guide"), Fields{});

  m.set_max_travel_km(0);  // "0 means 20"
  m.set_capacity(1);
  m.mutable_home_location()->set_latitude(90);
  m.mutable_home_location()->set_longitude(-180);
  EXPECT_EQ(BadFields(ValidateGuide, m, "guide"), Fields{});
}

TEST(GuideValidationTest, GuideListsAtTheirLimitsPass) {
  v1::Guide m = GoodGuide();
  m.clear_experiences();
  for (int tag = 1; tag <= 9; ++tag) {  // every tag, once
    m.add_experiences()->set_tag(static_cast<v1::ExperienceTag>(tag));
  }
  m.clear_languages();
  for (const char* code : {"da", "en", "de", "fr", "ar", "so", "tr", "pl", "uk", "fa"}) {
    m.add_languages(code);
  }
  m.clear_settings();
  for (int s = 1; s <= 4; ++s) {
    m.add_settings(static_cast<v1::Setting>(s));
  }
  m.clear_available_days();
  for (int d = 1; d <= 7; ++d) {
    m.add_available_days(static_cast<v1::Weekday>(d));
  }
  m.clear_life_phases();
  m.clear_trainings();
  m.clear_home_location();
  m.clear_age_band();
  m.clear_gender();
  EXPECT_EQ(BadFields(ValidateGuide, m, "guide"), Fields{});
}

TEST(GuideValidationTest, GuideReportsEveryBadField) {
  v1::Guide m = GoodGuide();
  m.clear_display_name();
  m.mutable_experiences(0)->clear_tag();
  m.mutable_experiences(1)->set_years_ago(99);
  m.add_life_phases(v1::LIFE_PHASE_PARENTHOOD);
  m.add_languages("EN");
  m.set_home_postcode("123");
  m.mutable_home_location()->set_latitude(100);
  m.mutable_home_location()->set_longitude(200);
  m.set_max_travel_km(500);
  m.set_age_band(static_cast<v1::AgeBand>(9));
  m.set_gender(static_cast<v1::Gender>(9));
  m.mutable_trainings(0)->clear_course();
  m.mutable_trainings(0)->clear_completed_date();
  *m.mutable_trainings(1)->mutable_valid_until() = MakeDate(2024, 2, 28);
  m.clear_settings();
  m.clear_employment();
  m.set_capacity(0);
  m.add_available_days(v1::WEEKDAY_THURSDAY);
  m.clear_status();
  EXPECT_EQ(BadFields(ValidateGuide, m, "guide"), (Fields{
                                                      "guide.age_band",
                                                      "guide.available_days[2]",
                                                      "guide.capacity",
                                                      "guide.display_name",
                                                      "guide.employment",
                                                      "guide.experiences[0].tag",
                                                      "guide.experiences[1].years_ago",
                                                      "guide.gender",
                                                      "guide.home_location.latitude",
                                                      "guide.home_location.longitude",
                                                      "guide.home_postcode",
                                                      "guide.languages[2]",
                                                      "guide.life_phases[2]",
                                                      "guide.max_travel_km",
                                                      "guide.settings",
                                                      "guide.status",
                                                      "guide.trainings[0].completed_date",
                                                      "guide.trainings[0].course",
                                                      "guide.trainings[1].valid_until",
                                                  }));
}

TEST(GuideValidationTest, PrefixIsUsedAsGiven) {
  v1::Guide m = GoodGuide();
  m.clear_status();
  m.mutable_experiences(1)->set_years_ago(81);
  EXPECT_EQ(BadFields(ValidateGuide, m, "req.guide"),
            (Fields{"req.guide.experiences[1].years_ago", "req.guide.status"}));
}

// ---------------------------------------------------------------------------
// GuidanceRequest

using RequestCase = Case<v1::GuidanceRequest>;
class RequestRuleTest : public ::testing::TestWithParam<RequestCase> {};

TEST_P(RequestRuleTest, RejectsExactlyTheField) {
  v1::GuidanceRequest m = GoodRequest();
  GetParam().mutate(m);
  EXPECT_EQ(BadFields(ValidateGuidanceRequest, m, "guidance_request"), GetParam().fields);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, RequestRuleTest,
    ::testing::Values(
        // citizen_id: required pseudonymous id.
        RequestCase{"CitizenIdMissing",
                    [](v1::GuidanceRequest& m) { m.clear_citizen_id(); },
                    {"guidance_request.citizen_id"}},
        RequestCase{"CitizenIdWithSpace",
                    [](v1::GuidanceRequest& m) { m.set_citizen_id("010190 1234"); },
                    {"guidance_request.citizen_id"}},
        RequestCase{"CitizenIdTooLong",
                    [](v1::GuidanceRequest& m) { m.set_citizen_id(Repeat("c", 65)); },
                    {"guidance_request.citizen_id"}},
        // situation: 1-20 defined tags, no duplicates.
        RequestCase{"SituationEmpty",
                    [](v1::GuidanceRequest& m) { m.clear_situation(); },
                    {"guidance_request.situation"}},
        RequestCase{"SituationTooMany",
                    [](v1::GuidanceRequest& m) {
                      m.clear_situation();
                      for (int i = 0; i < 21; ++i) {
                        m.add_situation(static_cast<v1::ExperienceTag>(1 + i % 9));
                      }
                    },
                    {"guidance_request.situation"}},
        RequestCase{
            "SituationUnspecified",
            [](v1::GuidanceRequest& m) { m.set_situation(1, v1::EXPERIENCE_TAG_UNSPECIFIED); },
            {"guidance_request.situation[1]"}},
        RequestCase{
            "SituationUndefined",
            [](v1::GuidanceRequest& m) { m.set_situation(0, static_cast<v1::ExperienceTag>(10)); },
            {"guidance_request.situation[0]"}},
        RequestCase{"SituationDuplicate",
                    [](v1::GuidanceRequest& m) { m.add_situation(v1::EXPERIENCE_TAG_ADHD); },
                    {"guidance_request.situation[2]"}},
        // life_phase: optional, defined.
        RequestCase{"LifePhaseUndefined",
                    [](v1::GuidanceRequest& m) { m.set_life_phase(static_cast<v1::LifePhase>(5)); },
                    {"guidance_request.life_phase"}},
        // help_wanted: 1-2000 characters; newlines and tabs allowed.
        RequestCase{"HelpWantedEmpty",
                    [](v1::GuidanceRequest& m) { m.clear_help_wanted(); },
                    {"guidance_request.help_wanted"}},
        RequestCase{"HelpWantedBlank",
                    [](v1::GuidanceRequest& m) { m.set_help_wanted(" \n\t "); },
                    {"guidance_request.help_wanted"}},
        RequestCase{"HelpWantedTooLong",
                    [](v1::GuidanceRequest& m) { m.set_help_wanted(Repeat("x", 2001)); },
                    {"guidance_request.help_wanted"}},
        RequestCase{"HelpWantedControl",
                    [](v1::GuidanceRequest& m) { m.set_help_wanted("Hjælp\x07"); },
                    {"guidance_request.help_wanted"}},
        RequestCase{"HelpWantedNotUtf8",
                    [](v1::GuidanceRequest& m) { m.set_help_wanted("Hj\xe6lp"); },
                    {"guidance_request.help_wanted"}},
        // life_area: required, defined.
        RequestCase{"LifeAreaMissing",
                    [](v1::GuidanceRequest& m) { m.clear_life_area(); },
                    {"guidance_request.life_area"}},
        RequestCase{"LifeAreaUndefined",
                    [](v1::GuidanceRequest& m) {
                      m.set_life_area(static_cast<helhed::common::v1::LifeArea>(4));
                    },
                    {"guidance_request.life_area"}},
        // preferences: each optional, defined; language ISO 639-1.
        RequestCase{"PreferredGenderUndefined",
                    [](v1::GuidanceRequest& m) {
                      m.mutable_preferences()->set_gender(static_cast<v1::Gender>(4));
                    },
                    {"guidance_request.preferences.gender"}},
        RequestCase{"PreferredAgeBandUndefined",
                    [](v1::GuidanceRequest& m) {
                      m.mutable_preferences()->set_age_band(static_cast<v1::AgeBand>(5));
                    },
                    {"guidance_request.preferences.age_band"}},
        RequestCase{"PreferredSettingUndefined",
                    [](v1::GuidanceRequest& m) {
                      m.mutable_preferences()->set_setting(static_cast<v1::Setting>(5));
                    },
                    {"guidance_request.preferences.setting"}},
        RequestCase{"PreferredLanguageWord",
                    [](v1::GuidanceRequest& m) { m.mutable_preferences()->set_language("dansk"); },
                    {"guidance_request.preferences.language"}},
        RequestCase{"PreferredLanguageUpperCase",
                    [](v1::GuidanceRequest& m) { m.mutable_preferences()->set_language("Da"); },
                    {"guidance_request.preferences.language"}},
        // must_haves: defined, no duplicates.
        RequestCase{"MustHaveUnspecified",
                    [](v1::GuidanceRequest& m) { m.add_must_haves(v1::MUST_HAVE_UNSPECIFIED); },
                    {"guidance_request.must_haves[2]"}},
        RequestCase{
            "MustHaveUndefined",
            [](v1::GuidanceRequest& m) { m.set_must_haves(0, static_cast<v1::MustHave>(5)); },
            {"guidance_request.must_haves[0]"}},
        RequestCase{"MustHaveDuplicate",
                    [](v1::GuidanceRequest& m) { m.add_must_haves(v1::MUST_HAVE_SETTING); },
                    {"guidance_request.must_haves[2]"}},
        // urgency: required, defined.
        RequestCase{"UrgencyMissing",
                    [](v1::GuidanceRequest& m) { m.clear_urgency(); },
                    {"guidance_request.urgency"}},
        RequestCase{"UrgencyUndefined",
                    [](v1::GuidanceRequest& m) { m.set_urgency(static_cast<v1::Urgency>(5)); },
                    {"guidance_request.urgency"}},
        // referred_by: at most 200 characters, one line.
        RequestCase{"ReferredByTooLong",
                    [](v1::GuidanceRequest& m) { m.set_referred_by(Repeat("x", 201)); },
                    {"guidance_request.referred_by"}},
        RequestCase{"ReferredByNewline",
                    [](v1::GuidanceRequest& m) { m.set_referred_by("Jobcenter\nRanders"); },
                    {"guidance_request.referred_by"}},
        // postcode: four ASCII digits, required.
        RequestCase{"PostcodeMissing",
                    [](v1::GuidanceRequest& m) { m.clear_postcode(); },
                    {"guidance_request.postcode"}},
        RequestCase{"PostcodeBad",
                    [](v1::GuidanceRequest& m) { m.set_postcode("8 930"); },
                    {"guidance_request.postcode"}},
        // location: WGS84 ranges.
        RequestCase{"LatitudeTooLow",
                    [](v1::GuidanceRequest& m) { m.mutable_location()->set_latitude(-90.01); },
                    {"guidance_request.location.latitude"}},
        RequestCase{"LongitudeNaN",
                    [](v1::GuidanceRequest& m) { m.mutable_location()->set_longitude(kNaN); },
                    {"guidance_request.location.longitude"}}),
    CaseName<v1::GuidanceRequest>);

TEST(GuideValidationTest, RequestOptionalPartsMayBeLeftOut) {
  v1::GuidanceRequest m = GoodRequest();
  m.clear_preferences();
  m.clear_must_haves();
  m.clear_life_phase();
  m.clear_referred_by();
  m.clear_location();
  m.set_consent_given(false);  // never matched, but a valid request
  EXPECT_EQ(BadFields(ValidateGuidanceRequest, m, "guidance_request"), Fields{});

  m = GoodRequest();
  m.mutable_preferences()->clear_language();  // means "da"
  m.mutable_preferences()->clear_gender();
  EXPECT_EQ(BadFields(ValidateGuidanceRequest, m, "guidance_request"), Fields{});
}

TEST(GuideValidationTest, RequestBoundariesPass) {
  v1::GuidanceRequest m = GoodRequest();
  m.clear_situation();
  for (int tag = 1; tag <= 9; ++tag) {
    m.add_situation(static_cast<v1::ExperienceTag>(tag));
  }
  m.clear_must_haves();
  for (int h = 1; h <= 4; ++h) {
    m.add_must_haves(static_cast<v1::MustHave>(h));
  }
  m.set_help_wanted(Repeat("x", 2000));
  m.set_referred_by(Repeat("x", 200));
  m.set_citizen_id(Repeat("c", 64));
  m.mutable_location()->set_latitude(90);
  m.mutable_location()->set_longitude(-180);
  EXPECT_EQ(BadFields(ValidateGuidanceRequest, m, "guidance_request"), Fields{});
}

TEST(GuideValidationTest, RequestReportsEveryBadField) {
  v1::GuidanceRequest m = GoodRequest();
  m.clear_citizen_id();
  m.clear_situation();
  m.set_life_phase(static_cast<v1::LifePhase>(7));
  m.set_help_wanted("   ");
  m.clear_life_area();
  m.mutable_preferences()->set_language("english");
  m.mutable_preferences()->set_setting(static_cast<v1::Setting>(8));
  m.add_must_haves(v1::MUST_HAVE_SHARED_EXPERIENCE);
  m.clear_urgency();
  m.set_referred_by("a\x01");
  m.set_postcode("DK8930");
  m.mutable_location()->set_longitude(181);
  EXPECT_EQ(BadFields(ValidateGuidanceRequest, m, "guidance_request"),
            (Fields{
                "guidance_request.citizen_id",
                "guidance_request.help_wanted",
                "guidance_request.life_area",
                "guidance_request.life_phase",
                "guidance_request.location.longitude",
                "guidance_request.must_haves[2]",
                "guidance_request.postcode",
                "guidance_request.preferences.language",
                "guidance_request.preferences.setting",
                "guidance_request.referred_by",
                "guidance_request.situation",
                "guidance_request.urgency",
            }));
}

// ---------------------------------------------------------------------------
// GroupSession

using SessionCase = Case<v1::GroupSession>;
class SessionRuleTest : public ::testing::TestWithParam<SessionCase> {};

TEST_P(SessionRuleTest, RejectsExactlyTheField) {
  v1::GroupSession m = GoodSession();
  GetParam().mutate(m);
  EXPECT_EQ(BadFields(ValidateGroupSession, m, "group_session"), GetParam().fields);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, SessionRuleTest,
    ::testing::Values(
        SessionCase{
            "TitleEmpty", [](v1::GroupSession& m) { m.clear_title(); }, {"group_session.title"}},
        SessionCase{"TitleTooLong",
                    [](v1::GroupSession& m) { m.set_title(Repeat("x", 201)); },
                    {"group_session.title"}},
        SessionCase{"TitleControl",
                    [](v1::GroupSession& m) { m.set_title("Oplæg\r"); },
                    {"group_session.title"}},
        SessionCase{
            "KindMissing", [](v1::GroupSession& m) { m.clear_kind(); }, {"group_session.kind"}},
        SessionCase{"KindUndefined",
                    [](v1::GroupSession& m) { m.set_kind(static_cast<v1::SessionKind>(3)); },
                    {"group_session.kind"}},
        // guide_ids: 1-10 valid ids, no duplicates.
        SessionCase{"GuideIdsEmpty",
                    [](v1::GroupSession& m) { m.clear_guide_ids(); },
                    {"group_session.guide_ids"}},
        SessionCase{"GuideIdsTooMany",
                    [](v1::GroupSession& m) {
                      for (int i = 3; i <= 11; ++i) {
                        m.add_guide_ids("g-" + std::to_string(i));
                      }
                    },
                    {"group_session.guide_ids"}},
        SessionCase{"GuideIdEmpty",
                    [](v1::GroupSession& m) { m.set_guide_ids(1, ""); },
                    {"group_session.guide_ids[1]"}},
        SessionCase{"GuideIdBadCharacters",
                    [](v1::GroupSession& m) { m.set_guide_ids(0, "g 1"); },
                    {"group_session.guide_ids[0]"}},
        SessionCase{"GuideIdTooLong",
                    [](v1::GroupSession& m) { m.set_guide_ids(1, Repeat("g", 41)); },
                    {"group_session.guide_ids[1]"}},
        SessionCase{"GuideIdDuplicate",
                    [](v1::GroupSession& m) { m.add_guide_ids("g-1"); },
                    {"group_session.guide_ids[2]"}},
        SessionCase{"AudienceMissing",
                    [](v1::GroupSession& m) { m.clear_audience(); },
                    {"group_session.audience"}},
        SessionCase{"AudienceUndefined",
                    [](v1::GroupSession& m) { m.set_audience(static_cast<v1::Audience>(4)); },
                    {"group_session.audience"}},
        SessionCase{
            "DateMissing", [](v1::GroupSession& m) { m.clear_date(); }, {"group_session.date"}},
        SessionCase{"DateInvalid",
                    [](v1::GroupSession& m) { *m.mutable_date() = MakeDate(2023, 2, 29); },
                    {"group_session.date"}},
        SessionCase{"VenueTooLong",
                    [](v1::GroupSession& m) { m.set_venue(Repeat("x", 201)); },
                    {"group_session.venue"}},
        SessionCase{"VenueNewline",
                    [](v1::GroupSession& m) { m.set_venue("Biblioteket\nsal 2"); },
                    {"group_session.venue"}},
        SessionCase{"AttendanceNegative",
                    [](v1::GroupSession& m) { m.set_attendance(-1); },
                    {"group_session.attendance"}},
        SessionCase{"AttendanceTooHigh",
                    [](v1::GroupSession& m) { m.set_attendance(10001); },
                    {"group_session.attendance"}}),
    CaseName<v1::GroupSession>);

TEST(GuideValidationTest, SessionBoundariesPass) {
  v1::GroupSession m = GoodSession();
  m.clear_guide_ids();
  for (int i = 1; i <= 10; ++i) {
    m.add_guide_ids("g-" + std::to_string(i));
  }
  m.set_guide_ids(9, Repeat("g", 40));
  m.set_title(Repeat("x", 200));
  m.set_venue(Repeat("x", 200));
  m.set_attendance(10000);
  EXPECT_EQ(BadFields(ValidateGroupSession, m, "group_session"), Fields{});
  m.set_attendance(0);  // nobody came (or not yet held)
  m.clear_venue();
  EXPECT_EQ(BadFields(ValidateGroupSession, m, "group_session"), Fields{});
}

TEST(GuideValidationTest, SessionReportsEveryBadField) {
  v1::GroupSession m;
  m.set_title(" ");
  m.add_guide_ids("ok");
  m.add_guide_ids("not ok");
  m.add_guide_ids("ok");
  m.set_venue("a\tb");
  m.set_attendance(-5);
  EXPECT_EQ(BadFields(ValidateGroupSession, m, "group_session"), (Fields{
                                                                     "group_session.attendance",
                                                                     "group_session.audience",
                                                                     "group_session.date",
                                                                     "group_session.guide_ids[1]",
                                                                     "group_session.guide_ids[2]",
                                                                     "group_session.kind",
                                                                     "group_session.title",
                                                                     "group_session.venue",
                                                                 }));
}

// ---------------------------------------------------------------------------
// Meeting

using MeetingCase = Case<v1::Meeting>;
class MeetingRuleTest : public ::testing::TestWithParam<MeetingCase> {};

TEST_P(MeetingRuleTest, RejectsExactlyTheField) {
  v1::Meeting m = GoodMeeting();
  GetParam().mutate(m);
  EXPECT_EQ(BadFields(ValidateMeeting, m, "meeting"), GetParam().fields);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, MeetingRuleTest,
    ::testing::Values(
        MeetingCase{"DateMissing", [](v1::Meeting& m) { m.clear_date(); }, {"meeting.date"}},
        MeetingCase{"DateInvalid",
                    [](v1::Meeting& m) { *m.mutable_date() = MakeDate(2024, 4, 31); },
                    {"meeting.date"}},
        MeetingCase{"DateYearOnly",
                    [](v1::Meeting& m) { *m.mutable_date() = MakeDate(2024, 0, 0); },
                    {"meeting.date"}},
        MeetingCase{"MinutesZero", [](v1::Meeting& m) { m.clear_minutes(); }, {"meeting.minutes"}},
        MeetingCase{"MinutesTooFew", [](v1::Meeting& m) { m.set_minutes(4); }, {"meeting.minutes"}},
        MeetingCase{
            "MinutesTooMany", [](v1::Meeting& m) { m.set_minutes(601); }, {"meeting.minutes"}},
        MeetingCase{"FormMissing", [](v1::Meeting& m) { m.clear_form(); }, {"meeting.form"}},
        MeetingCase{"FormUndefined",
                    [](v1::Meeting& m) { m.set_form(static_cast<v1::MeetingForm>(5)); },
                    {"meeting.form"}}),
    CaseName<v1::Meeting>);

TEST(GuideValidationTest, MeetingBoundariesPass) {
  v1::Meeting m = GoodMeeting();
  m.set_minutes(5);
  EXPECT_EQ(BadFields(ValidateMeeting, m, "meeting"), Fields{});
  m.set_minutes(600);
  EXPECT_EQ(BadFields(ValidateMeeting, m, "meeting"), Fields{});
}

TEST(GuideValidationTest, MeetingReportsEveryBadField) {
  v1::Meeting m;
  m.set_minutes(1000);
  EXPECT_EQ(BadFields(ValidateMeeting, m, "log.meeting"),
            (Fields{"log.meeting.date", "log.meeting.form", "log.meeting.minutes"}));
}

// ---------------------------------------------------------------------------
// MatchEvaluation

using EvaluationCase = Case<v1::MatchEvaluation>;
class EvaluationRuleTest : public ::testing::TestWithParam<EvaluationCase> {};

TEST_P(EvaluationRuleTest, RejectsExactlyTheField) {
  v1::MatchEvaluation m = GoodEvaluation();
  GetParam().mutate(m);
  EXPECT_EQ(BadFields(ValidateMatchEvaluation, m, "evaluation"), GetParam().fields);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, EvaluationRuleTest,
    ::testing::Values(EvaluationCase{"ScoreNegative",
                                     [](v1::MatchEvaluation& m) { m.set_score(-1); },
                                     {"evaluation.score"}},
                      EvaluationCase{"ScoreSix",
                                     [](v1::MatchEvaluation& m) { m.set_score(6); },
                                     {"evaluation.score"}},
                      EvaluationCase{"NoteTooLong",
                                     [](v1::MatchEvaluation& m) { m.set_note(Repeat("x", 2001)); },
                                     {"evaluation.note"}},
                      EvaluationCase{"NoteControl",
                                     [](v1::MatchEvaluation& m) { m.set_note("ok\x1b[31m"); },
                                     {"evaluation.note"}},
                      EvaluationCase{"NoteNotUtf8",
                                     [](v1::MatchEvaluation& m) { m.set_note("ok \xff"); },
                                     {"evaluation.note"}}),
    CaseName<v1::MatchEvaluation>);

TEST(GuideValidationTest, EvaluationScoreIsOptionalAndOneToFive) {
  v1::MatchEvaluation m = GoodEvaluation();
  for (int score : {0, 1, 5}) {  // 0: no score given
    m.set_score(score);
    EXPECT_EQ(BadFields(ValidateMatchEvaluation, m, "evaluation"), Fields{}) << score;
  }
  m.clear_note();
  EXPECT_EQ(BadFields(ValidateMatchEvaluation, m, "evaluation"), Fields{});
}

TEST(GuideValidationTest, EvaluationReportsEveryBadField) {
  v1::MatchEvaluation m;
  m.set_score(9);
  m.set_note(std::string("a\0b", 3));
  EXPECT_EQ(BadFields(ValidateMatchEvaluation, m, "guide_evaluation"),
            (Fields{"guide_evaluation.note", "guide_evaluation.score"}));
}

}  // namespace
}  // namespace helhed::guides
