// Tests of the housing-service validation (services/housing/domain/validation)
// and list filters (services/housing/domain/list_filters): good resources and
// requests pass; each rule rejects bad input with a violation on exactly the
// field path a caller sees and on no other; every bad field is reported at
// once; lengths count characters, not bytes; hostile strings (control
// characters, invalid UTF-8, very long, whitespace-only) are refused.
#include <algorithm>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/status/field_violations.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/type/date.pb.h"
#include "gtest/gtest.h"
#include "helhed/common/v1/common.pb.h"
#include "helhed/housing/v1/housing_service.pb.h"
#include "helhed/housing/v1/resources.pb.h"
#include "services/housing/domain/list_filters.h"
#include "services/housing/domain/validation.h"
#include "tests/support/validation_cases.h"

namespace helhed::housing {
namespace {

using helhed::testing::BadFields;
using helhed::testing::Case;
using helhed::testing::CaseName;
using helhed::testing::Fields;
using helhed::testing::Repeat;

// "Today" of every test: Sunday 15 June 2025, noon UTC.
const absl::CivilDay kToday(2025, 6, 15);
const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2025, 6, 15, 12, 0, 0), absl::UTCTimeZone());

google::type::Date MakeDate(int y, int m, int d) {
  google::type::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

google::type::Date DateOf(absl::CivilDay d) {
  return MakeDate(static_cast<int>(d.year()), d.month(), d.day());
}

google::protobuf::Timestamp Ts(absl::Time t) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(t));
  ts.set_nanos(static_cast<int>((t - absl::FromUnixSeconds(ts.seconds())) / absl::Nanoseconds(1)));
  return ts;
}

// The validators that need `today` or `now`, or have no prefix, in the shape
// BadFields wants.
void Application(const v1::Application& m, const std::string& p, FieldViolations& v) {
  ValidateApplication(m, p, kToday, v);
}
void Tenancy(const v1::Tenancy& m, const std::string& p, FieldViolations& v) {
  ValidateTenancy(m, p, kToday, v);
}
void MakeOffer(const v1::MakeOfferRequest& r, const std::string&, FieldViolations& v) {
  ValidateMakeOffer(r, kNow, v);
}
void AcceptOffer(const v1::AcceptOfferRequest& r, const std::string&, FieldViolations& v) {
  ValidateAcceptOffer(r, v);
}
void DeclineOffer(const v1::DeclineOfferRequest& r, const std::string&, FieldViolations& v) {
  ValidateDeclineOffer(r, v);
}
void WithdrawOffer(const v1::WithdrawOfferRequest& r, const std::string&, FieldViolations& v) {
  ValidateWithdrawOffer(r, v);
}
void EndTenancy(const v1::EndTenancyRequest& r, const std::string&, FieldViolations& v) {
  ValidateEndTenancy(r, kToday, v);
}

// ---------------------------------------------------------------------------
// Good resources and requests

v1::HousingUnit GoodUnit() {
  v1::HousingUnit m;
  m.set_unit_type(v1::UNIT_TYPE_HOUSING_FIRST);
  m.set_landlord("Boligselskabet Sjælland, afd. 12");
  m.set_postcode("4000");
  m.set_rooms(2);
  m.set_monthly_rent_dkk(5200);
  m.add_accessibility(v1::ACCESSIBILITY_STEP_FREE);
  m.add_accessibility(v1::ACCESSIBILITY_LIFT);
  m.set_support(v1::SUPPORT_LEVEL_HOME_SUPPORT_85);
  *m.mutable_available_from() = MakeDate(2025, 7, 1);
  m.set_notes("Stue, 2. sal.\nAltan mod syd.\tNøgle hos viceværten.");
  return m;
}

v1::Application GoodApplication() {
  v1::Application m;
  m.set_citizen_id("c-7f3a9b");
  m.set_situation(v1::SITUATION_SHELTER);
  *m.mutable_screening_date() = MakeDate(2025, 3, 1);
  m.set_rooms_needed(1);
  m.add_accessibility_needs(v1::ACCESSIBILITY_STEP_FREE);
  m.set_support_needed(v1::SUPPORT_LEVEL_ICM);
  m.add_unit_types(v1::UNIT_TYPE_HOUSING_FIRST);
  m.add_unit_types(v1::UNIT_TYPE_SKAEV_BOLIG);
  auto* a = m.add_preferred_areas();
  a->set_postcode("2200");
  a->set_reason(v1::AREA_REASON_FAMILY);
  a = m.add_preferred_areas();
  a->set_postcode("2400");  // no reason given
  m.set_max_rent_dkk(6000);
  m.add_vulnerability_flags(v1::VULNERABILITY_FLAG_DUAL_DIAGNOSIS);
  m.add_vulnerability_flags(v1::VULNERABILITY_FLAG_LONG_TERM_HOMELESS);
  m.set_notes("Ønsker stueetage.\nHund.");
  return m;
}

v1::Tenancy GoodTenancy() {
  v1::Tenancy m;
  m.set_unit_id("u-1");
  m.set_citizen_id("c-7f3a9b");
  *m.mutable_move_in() = MakeDate(2025, 6, 1);
  m.set_notes("Indflytning med støtte fra CTI-team.");
  return m;
}

v1::MakeOfferRequest GoodMakeOffer() {
  v1::MakeOfferRequest r;
  r.set_unit_id("u-1");
  r.set_application_id("a_2");
  *r.mutable_deadline() = Ts(kNow + absl::Hours(24 * 14));
  r.set_idempotency_key("offer:u-1/a_2#1");
  return r;
}

v1::AcceptOfferRequest GoodAccept() {
  v1::AcceptOfferRequest r;
  r.set_offer_id("o-1");
  r.set_etag("v3");
  *r.mutable_move_in() = MakeDate(2025, 7, 1);
  return r;
}

v1::DeclineOfferRequest GoodDecline() {
  v1::DeclineOfferRequest r;
  r.set_offer_id("o-1");
  r.set_etag("v3");
  r.set_reason(v1::DECLINE_REASON_RENT);
  r.set_note("Huslejen er for høj.\nFor langt fra netværket.");
  return r;
}

v1::WithdrawOfferRequest GoodWithdraw() {
  v1::WithdrawOfferRequest r;
  r.set_offer_id("o-1");
  r.set_etag("v3");
  r.set_note("Boligen skal renoveres.");
  return r;
}

v1::EndTenancyRequest GoodEnd() {
  v1::EndTenancyRequest r;
  r.set_id("t-1");
  r.set_etag("v4");
  *r.mutable_move_out() = DateOf(kToday);
  r.set_reason(v1::MOVE_OUT_REASON_MOVED_ON);
  return r;
}

TEST(HousingValidationTest, GoodResourcesPass) {
  EXPECT_EQ(BadFields(ValidateUnit, GoodUnit(), "unit"), Fields{});
  EXPECT_EQ(BadFields(Application, GoodApplication(), "application"), Fields{});
  EXPECT_EQ(BadFields(Tenancy, GoodTenancy(), "tenancy"), Fields{});
  EXPECT_EQ(BadFields(MakeOffer, GoodMakeOffer(), ""), Fields{});
  EXPECT_EQ(BadFields(AcceptOffer, GoodAccept(), ""), Fields{});
  EXPECT_EQ(BadFields(DeclineOffer, GoodDecline(), ""), Fields{});
  EXPECT_EQ(BadFields(WithdrawOffer, GoodWithdraw(), ""), Fields{});
  EXPECT_EQ(BadFields(EndTenancy, GoodEnd(), ""), Fields{});
}

TEST(HousingValidationTest, MinimalResourcesPass) {
  v1::HousingUnit u;
  u.set_unit_type(v1::UNIT_TYPE_SHELTER_110);
  u.set_landlord("K");
  u.set_postcode("1000");
  u.set_rooms(1);
  u.set_support(v1::SUPPORT_LEVEL_STAFFED);
  EXPECT_EQ(BadFields(ValidateUnit, u, "unit"), Fields{});

  v1::Application a;
  a.set_citizen_id("c");
  a.set_situation(v1::SITUATION_STREET);
  *a.mutable_screening_date() = DateOf(kToday);
  a.set_rooms_needed(1);
  a.set_support_needed(v1::SUPPORT_LEVEL_NONE);
  a.add_unit_types(v1::UNIT_TYPE_PUBLIC_REFERRAL);
  EXPECT_EQ(BadFields(Application, a, "application"), Fields{});

  v1::Tenancy t;
  t.set_unit_id("u");
  t.set_citizen_id("c");
  *t.mutable_move_in() = MakeDate(1990, 1, 1);
  EXPECT_EQ(BadFields(Tenancy, t, "tenancy"), Fields{});

  v1::AcceptOfferRequest accept;
  accept.set_offer_id("o");
  EXPECT_EQ(BadFields(AcceptOffer, accept, ""), Fields{});

  v1::DeclineOfferRequest decline;
  decline.set_offer_id("o");
  decline.set_reason(v1::DECLINE_REASON_OTHER);
  EXPECT_EQ(BadFields(DeclineOffer, decline, ""), Fields{});

  v1::WithdrawOfferRequest withdraw;
  withdraw.set_offer_id("o");
  EXPECT_EQ(BadFields(WithdrawOffer, withdraw, ""), Fields{});

  v1::MakeOfferRequest offer = GoodMakeOffer();
  offer.clear_idempotency_key();
  EXPECT_EQ(BadFields(MakeOffer, offer, ""), Fields{});
}

TEST(HousingValidationTest, BookkeepingAndOutputOnlyFieldsAreIgnored) {
  v1::HousingUnit u = GoodUnit();
  u.set_id("not an id!");
  u.set_etag(std::string("\x01", 1));
  u.set_state(static_cast<helhed::common::v1::ResourceState>(99));
  u.set_unit_status(static_cast<v1::UnitStatus>(99));
  u.mutable_vacant_since()->set_nanos(-5);
  u.mutable_create_time()->set_seconds(-1);
  EXPECT_EQ(BadFields(ValidateUnit, u, "unit"), Fields{});

  v1::Application a = GoodApplication();
  a.set_id("not an id!");
  a.set_application_status(static_cast<v1::ApplicationStatus>(99));
  a.set_state(static_cast<helhed::common::v1::ResourceState>(99));
  EXPECT_EQ(BadFields(Application, a, "application"), Fields{});

  v1::Tenancy t = GoodTenancy();
  t.set_id("not an id!");
  t.set_unit_type(static_cast<v1::UnitType>(99));
  t.set_application_id("not an id!");
  t.set_offer_id("not an id!");
  *t.mutable_move_out() = MakeDate(2025, 2, 30);
  t.set_move_out_reason(static_cast<v1::MoveOutReason>(99));
  t.set_tenancy_status(static_cast<v1::TenancyStatus>(99));
  EXPECT_EQ(BadFields(Tenancy, t, "tenancy"), Fields{});
}

TEST(HousingValidationTest, DanishCharactersCountAsOne) {
  v1::HousingUnit u = GoodUnit();
  u.set_landlord(Repeat("ø", 200));  // 400 bytes
  u.set_notes(Repeat("æ", 2000));
  EXPECT_EQ(BadFields(ValidateUnit, u, "unit"), Fields{});
  u.set_landlord(Repeat("ø", 201));
  u.set_notes(Repeat("æ", 2001));
  EXPECT_EQ(BadFields(ValidateUnit, u, "unit"), (Fields{"unit.landlord", "unit.notes"}));

  v1::Application a = GoodApplication();
  a.set_notes(Repeat("å", 2000));
  EXPECT_EQ(BadFields(Application, a, "application"), Fields{});
  a.set_notes(Repeat("å", 2001));
  EXPECT_EQ(BadFields(Application, a, "application"), Fields{"application.notes"});

  v1::DeclineOfferRequest d = GoodDecline();
  d.set_note(Repeat("Ø", 500));
  EXPECT_EQ(BadFields(DeclineOffer, d, ""), Fields{});
  d.set_note(Repeat("Ø", 501));
  EXPECT_EQ(BadFields(DeclineOffer, d, ""), Fields{"note"});
}

// ---------------------------------------------------------------------------
// IsPostcode

TEST(HousingValidationTest, IsPostcode) {
  for (const char* good : {"1000", "2200", "8900", "9999"}) {
    EXPECT_TRUE(IsPostcode(good)) << good;
  }
  for (const char* bad : {"", "0800", "0999", "999", "10000", "2a00", " 220", "2200 ", "-200",
                          "+200", "22.0", "２２００", "22\n0"}) {
    EXPECT_FALSE(IsPostcode(bad)) << bad;
  }
  EXPECT_FALSE(IsPostcode(std::string("22\0000", 4)));
}

// ---------------------------------------------------------------------------
// HousingUnit

using UnitCase = Case<v1::HousingUnit>;
class UnitRuleTest : public ::testing::TestWithParam<UnitCase> {};

TEST_P(UnitRuleTest, RejectsExactlyTheField) {
  v1::HousingUnit m = GoodUnit();
  GetParam().mutate(m);
  EXPECT_EQ(BadFields(ValidateUnit, m, "unit"), GetParam().fields);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, UnitRuleTest,
    ::testing::Values(
        // unit_type: required, defined.
        UnitCase{
            "UnitTypeMissing", [](v1::HousingUnit& m) { m.clear_unit_type(); }, {"unit.unit_type"}},
        UnitCase{"UnitTypeUndefined",
                 [](v1::HousingUnit& m) { m.set_unit_type(static_cast<v1::UnitType>(8)); },
                 {"unit.unit_type"}},
        UnitCase{"UnitTypeNegative",
                 [](v1::HousingUnit& m) { m.set_unit_type(static_cast<v1::UnitType>(-1)); },
                 {"unit.unit_type"}},
        // landlord: 1-200 characters, one line.
        UnitCase{
            "LandlordEmpty", [](v1::HousingUnit& m) { m.clear_landlord(); }, {"unit.landlord"}},
        UnitCase{"LandlordWhitespaceOnly",
                 [](v1::HousingUnit& m) { m.set_landlord(" \t \n "); },
                 {"unit.landlord"}},
        UnitCase{"LandlordTooLong",
                 [](v1::HousingUnit& m) { m.set_landlord(Repeat("x", 201)); },
                 {"unit.landlord"}},
        UnitCase{"LandlordVeryLong",
                 [](v1::HousingUnit& m) { m.set_landlord(Repeat("Boligselskab ", 100000)); },
                 {"unit.landlord"}},
        UnitCase{"LandlordNewline",
                 [](v1::HousingUnit& m) { m.set_landlord("Bolig\nselskab"); },
                 {"unit.landlord"}},
        UnitCase{"LandlordTab",
                 [](v1::HousingUnit& m) { m.set_landlord("Bolig\tselskab"); },
                 {"unit.landlord"}},
        UnitCase{"LandlordEscape",
                 [](v1::HousingUnit& m) { m.set_landlord("Bolig\x1b[31m"); },
                 {"unit.landlord"}},
        UnitCase{"LandlordNul",
                 [](v1::HousingUnit& m) { m.set_landlord(std::string("Bolig\0x", 7)); },
                 {"unit.landlord"}},
        UnitCase{"LandlordDelete",
                 [](v1::HousingUnit& m) { m.set_landlord("Bolig\x7f"); },
                 {"unit.landlord"}},
        UnitCase{"LandlordNotUtf8",
                 [](v1::HousingUnit& m) { m.set_landlord("Bolig \xc3"); },
                 {"unit.landlord"}},
        UnitCase{"LandlordOverlongUtf8",
                 [](v1::HousingUnit& m) { m.set_landlord("Bolig \xc0\xaf"); },
                 {"unit.landlord"}},
        UnitCase{"LandlordSurrogate",
                 [](v1::HousingUnit& m) { m.set_landlord("Bolig \xed\xa0\x80"); },
                 {"unit.landlord"}},
        // postcode: required, four digits 1000-9999.
        UnitCase{
            "PostcodeEmpty", [](v1::HousingUnit& m) { m.clear_postcode(); }, {"unit.postcode"}},
        UnitCase{"PostcodeThreeDigits",
                 [](v1::HousingUnit& m) { m.set_postcode("400"); },
                 {"unit.postcode"}},
        UnitCase{"PostcodeFiveDigits",
                 [](v1::HousingUnit& m) { m.set_postcode("40000"); },
                 {"unit.postcode"}},
        UnitCase{"PostcodeLeadingZero",
                 [](v1::HousingUnit& m) { m.set_postcode("0800"); },
                 {"unit.postcode"}},
        UnitCase{"PostcodeLetter",
                 [](v1::HousingUnit& m) { m.set_postcode("40a0"); },
                 {"unit.postcode"}},
        UnitCase{
            "PostcodeSpace", [](v1::HousingUnit& m) { m.set_postcode(" 400"); }, {"unit.postcode"}},
        UnitCase{"PostcodeWhitespaceOnly",
                 [](v1::HousingUnit& m) { m.set_postcode("    "); },
                 {"unit.postcode"}},
        UnitCase{"PostcodeFullWidth",
                 [](v1::HousingUnit& m) { m.set_postcode("４０００"); },
                 {"unit.postcode"}},
        UnitCase{"PostcodeNotUtf8",
                 [](v1::HousingUnit& m) { m.set_postcode("40\xff\xfe"); },
                 {"unit.postcode"}},
        // rooms: 1-20.
        UnitCase{"RoomsZero", [](v1::HousingUnit& m) { m.clear_rooms(); }, {"unit.rooms"}},
        UnitCase{"RoomsNegative", [](v1::HousingUnit& m) { m.set_rooms(-1); }, {"unit.rooms"}},
        UnitCase{"RoomsTooMany", [](v1::HousingUnit& m) { m.set_rooms(21); }, {"unit.rooms"}},
        // monthly_rent_dkk: 0-50,000.
        UnitCase{"RentNegative",
                 [](v1::HousingUnit& m) { m.set_monthly_rent_dkk(-1); },
                 {"unit.monthly_rent_dkk"}},
        UnitCase{"RentTooHigh",
                 [](v1::HousingUnit& m) { m.set_monthly_rent_dkk(50001); },
                 {"unit.monthly_rent_dkk"}},
        // accessibility: defined, no duplicates, at most 3.
        UnitCase{"AccessibilityUnspecified",
                 [](v1::HousingUnit& m) { m.add_accessibility(v1::ACCESSIBILITY_UNSPECIFIED); },
                 {"unit.accessibility[2]"}},
        UnitCase{
            "AccessibilityUndefined",
            [](v1::HousingUnit& m) { m.set_accessibility(0, static_cast<v1::Accessibility>(4)); },
            {"unit.accessibility[0]"}},
        UnitCase{"AccessibilityDuplicate",
                 [](v1::HousingUnit& m) { m.add_accessibility(v1::ACCESSIBILITY_LIFT); },
                 {"unit.accessibility[2]"}},
        UnitCase{"AccessibilityTooMany",
                 [](v1::HousingUnit& m) {
                   m.add_accessibility(v1::ACCESSIBILITY_WHEELCHAIR);
                   m.add_accessibility(v1::ACCESSIBILITY_WHEELCHAIR);
                 },
                 {"unit.accessibility"}},
        // support: required, defined.
        UnitCase{"SupportMissing", [](v1::HousingUnit& m) { m.clear_support(); }, {"unit.support"}},
        UnitCase{"SupportUndefined",
                 [](v1::HousingUnit& m) { m.set_support(static_cast<v1::SupportLevel>(7)); },
                 {"unit.support"}},
        // available_from: optional, a valid date.
        UnitCase{"AvailableFromInvalid",
                 [](v1::HousingUnit& m) { *m.mutable_available_from() = MakeDate(2025, 2, 29); },
                 {"unit.available_from"}},
        UnitCase{"AvailableFromYearOnly",
                 [](v1::HousingUnit& m) { *m.mutable_available_from() = MakeDate(2025, 0, 0); },
                 {"unit.available_from"}},
        UnitCase{"AvailableFromEmpty",
                 [](v1::HousingUnit& m) { m.mutable_available_from()->Clear(); },
                 {"unit.available_from"}},
        // notes: at most 2,000 characters, newlines and tabs allowed.
        UnitCase{"NotesTooLong",
                 [](v1::HousingUnit& m) { m.set_notes(Repeat("x", 2001)); },
                 {"unit.notes"}},
        UnitCase{"NotesVeryLong",
                 [](v1::HousingUnit& m) { m.set_notes(Repeat("x", 1000000)); },
                 {"unit.notes"}},
        UnitCase{
            "NotesEscape", [](v1::HousingUnit& m) { m.set_notes("ok\x1b[2J"); }, {"unit.notes"}},
        UnitCase{"NotesBell", [](v1::HousingUnit& m) { m.set_notes("ok\a"); }, {"unit.notes"}},
        UnitCase{
            "NotesNotUtf8", [](v1::HousingUnit& m) { m.set_notes("ok \xff"); }, {"unit.notes"}}),
    CaseName<v1::HousingUnit>);

TEST(HousingValidationTest, UnitBoundariesPass) {
  v1::HousingUnit m = GoodUnit();
  m.set_landlord(Repeat("x", 200));
  m.set_notes(Repeat("x", 2000));
  m.set_rooms(20);
  m.set_monthly_rent_dkk(50000);
  m.clear_accessibility();
  m.add_accessibility(v1::ACCESSIBILITY_STEP_FREE);
  m.add_accessibility(v1::ACCESSIBILITY_WHEELCHAIR);
  m.add_accessibility(v1::ACCESSIBILITY_LIFT);
  m.set_postcode("9999");
  EXPECT_EQ(BadFields(ValidateUnit, m, "unit"), Fields{});

  m.set_rooms(1);
  m.set_monthly_rent_dkk(0);  // free of charge
  m.clear_accessibility();
  m.clear_available_from();
  m.set_notes(" \n\t ");  // whitespace-only notes are just empty notes
  m.set_postcode("1000");
  EXPECT_EQ(BadFields(ValidateUnit, m, "unit"), Fields{});
}

TEST(HousingValidationTest, UnitReportsEveryBadField) {
  v1::HousingUnit m;
  m.set_landlord(" ");
  m.set_postcode("abc");
  m.set_monthly_rent_dkk(-5);
  m.add_accessibility(v1::ACCESSIBILITY_LIFT);
  m.add_accessibility(v1::ACCESSIBILITY_LIFT);
  *m.mutable_available_from() = MakeDate(2025, 13, 1);
  m.set_notes("\x01");
  EXPECT_EQ(BadFields(ValidateUnit, m, "request.unit"), (Fields{
                                                            "request.unit.accessibility[1]",
                                                            "request.unit.available_from",
                                                            "request.unit.landlord",
                                                            "request.unit.monthly_rent_dkk",
                                                            "request.unit.notes",
                                                            "request.unit.postcode",
                                                            "request.unit.rooms",
                                                            "request.unit.support",
                                                            "request.unit.unit_type",
                                                        }));
}

// ---------------------------------------------------------------------------
// Application

using ApplicationCase = Case<v1::Application>;
class ApplicationRuleTest : public ::testing::TestWithParam<ApplicationCase> {};

TEST_P(ApplicationRuleTest, RejectsExactlyTheField) {
  v1::Application m = GoodApplication();
  GetParam().mutate(m);
  EXPECT_EQ(BadFields(Application, m, "application"), GetParam().fields);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, ApplicationRuleTest,
    ::testing::Values(
        // citizen_id: 1-64 characters of letters, digits, '-' and '_'.
        ApplicationCase{"CitizenIdMissing",
                        [](v1::Application& m) { m.clear_citizen_id(); },
                        {"application.citizen_id"}},
        ApplicationCase{"CitizenIdSpace",
                        [](v1::Application& m) { m.set_citizen_id("c 1"); },
                        {"application.citizen_id"}},
        ApplicationCase{"CitizenIdWhitespaceOnly",
                        [](v1::Application& m) { m.set_citizen_id("   "); },
                        {"application.citizen_id"}},
        ApplicationCase{"CitizenIdSlash",
                        [](v1::Application& m) { m.set_citizen_id("c/1"); },
                        {"application.citizen_id"}},
        ApplicationCase{"CitizenIdTooLong",
                        [](v1::Application& m) { m.set_citizen_id(Repeat("c", 65)); },
                        {"application.citizen_id"}},
        ApplicationCase{"CitizenIdNotAscii",
                        [](v1::Application& m) { m.set_citizen_id("bø"); },
                        {"application.citizen_id"}},
        ApplicationCase{"CitizenIdControl",
                        [](v1::Application& m) { m.set_citizen_id("c\n1"); },
                        {"application.citizen_id"}},
        // situation: required, defined.
        ApplicationCase{"SituationMissing",
                        [](v1::Application& m) { m.clear_situation(); },
                        {"application.situation"}},
        ApplicationCase{"SituationUndefined",
                        [](v1::Application& m) { m.set_situation(static_cast<v1::Situation>(9)); },
                        {"application.situation"}},
        // screening_date: required, valid, 1990 to today.
        ApplicationCase{"ScreeningMissing",
                        [](v1::Application& m) { m.clear_screening_date(); },
                        {"application.screening_date"}},
        ApplicationCase{
            "ScreeningInvalid",
            [](v1::Application& m) { *m.mutable_screening_date() = MakeDate(2025, 2, 29); },
            {"application.screening_date"}},
        ApplicationCase{
            "ScreeningMonthOnly",
            [](v1::Application& m) { *m.mutable_screening_date() = MakeDate(2025, 3, 0); },
            {"application.screening_date"}},
        ApplicationCase{
            "ScreeningTomorrow",
            [](v1::Application& m) { *m.mutable_screening_date() = DateOf(kToday + 1); },
            {"application.screening_date"}},
        ApplicationCase{
            "ScreeningFarFuture",
            [](v1::Application& m) { *m.mutable_screening_date() = MakeDate(2199, 1, 1); },
            {"application.screening_date"}},
        ApplicationCase{
            "ScreeningBefore1990",
            [](v1::Application& m) { *m.mutable_screening_date() = MakeDate(1989, 12, 31); },
            {"application.screening_date"}},
        // rooms_needed: 1-10.
        ApplicationCase{"RoomsNeededZero",
                        [](v1::Application& m) { m.clear_rooms_needed(); },
                        {"application.rooms_needed"}},
        ApplicationCase{"RoomsNeededTooMany",
                        [](v1::Application& m) { m.set_rooms_needed(11); },
                        {"application.rooms_needed"}},
        // accessibility_needs: defined, no duplicates, at most 3.
        ApplicationCase{
            "AccessibilityNeedUnspecified",
            [](v1::Application& m) { m.add_accessibility_needs(v1::ACCESSIBILITY_UNSPECIFIED); },
            {"application.accessibility_needs[1]"}},
        ApplicationCase{"AccessibilityNeedUndefined",
                        [](v1::Application& m) {
                          m.set_accessibility_needs(0, static_cast<v1::Accessibility>(9));
                        },
                        {"application.accessibility_needs[0]"}},
        ApplicationCase{
            "AccessibilityNeedDuplicate",
            [](v1::Application& m) { m.add_accessibility_needs(v1::ACCESSIBILITY_STEP_FREE); },
            {"application.accessibility_needs[1]"}},
        ApplicationCase{"AccessibilityNeedsTooMany",
                        [](v1::Application& m) {
                          m.add_accessibility_needs(v1::ACCESSIBILITY_WHEELCHAIR);
                          m.add_accessibility_needs(v1::ACCESSIBILITY_LIFT);
                          m.add_accessibility_needs(v1::ACCESSIBILITY_LIFT);
                        },
                        {"application.accessibility_needs"}},
        // support_needed: required, defined.
        ApplicationCase{"SupportNeededMissing",
                        [](v1::Application& m) { m.clear_support_needed(); },
                        {"application.support_needed"}},
        ApplicationCase{
            "SupportNeededUndefined",
            [](v1::Application& m) { m.set_support_needed(static_cast<v1::SupportLevel>(70)); },
            {"application.support_needed"}},
        // unit_types: 1-7 defined, no duplicates.
        ApplicationCase{"UnitTypesEmpty",
                        [](v1::Application& m) { m.clear_unit_types(); },
                        {"application.unit_types"}},
        ApplicationCase{"UnitTypeUnspecified",
                        [](v1::Application& m) { m.add_unit_types(v1::UNIT_TYPE_UNSPECIFIED); },
                        {"application.unit_types[2]"}},
        ApplicationCase{
            "UnitTypeUndefined",
            [](v1::Application& m) { m.set_unit_types(1, static_cast<v1::UnitType>(8)); },
            {"application.unit_types[1]"}},
        ApplicationCase{"UnitTypeDuplicate",
                        [](v1::Application& m) { m.add_unit_types(v1::UNIT_TYPE_HOUSING_FIRST); },
                        {"application.unit_types[2]"}},
        ApplicationCase{"UnitTypesTooMany",
                        [](v1::Application& m) {
                          m.clear_unit_types();
                          for (int type = 1; type <= 7; ++type) {
                            m.add_unit_types(static_cast<v1::UnitType>(type));
                          }
                          m.add_unit_types(v1::UNIT_TYPE_SHELTER_110);
                        },
                        {"application.unit_types"}},
        // preferred_areas: at most 10, postcode valid and unique, reason
        // defined (UNSPECIFIED allowed).
        ApplicationCase{"AreasTooMany",
                        [](v1::Application& m) {
                          m.clear_preferred_areas();
                          for (int i = 0; i < 11; ++i) {
                            m.add_preferred_areas()->set_postcode(std::to_string(2000 + i));
                          }
                        },
                        {"application.preferred_areas"}},
        ApplicationCase{"AreaPostcodeMissing",
                        [](v1::Application& m) { m.mutable_preferred_areas(1)->clear_postcode(); },
                        {"application.preferred_areas[1].postcode"}},
        ApplicationCase{
            "AreaPostcodeInvalid",
            [](v1::Application& m) { m.mutable_preferred_areas(1)->set_postcode("0240"); },
            {"application.preferred_areas[1].postcode"}},
        ApplicationCase{
            "AreaPostcodeControl",
            [](v1::Application& m) { m.mutable_preferred_areas(0)->set_postcode("22\t0"); },
            {"application.preferred_areas[0].postcode"}},
        ApplicationCase{"AreaPostcodeDuplicate",
                        [](v1::Application& m) {
                          auto* a = m.add_preferred_areas();
                          a->set_postcode("2200");  // as [0], another reason
                          a->set_reason(v1::AREA_REASON_WORK);
                        },
                        {"application.preferred_areas[2].postcode"}},
        ApplicationCase{"AreaReasonUndefined",
                        [](v1::Application& m) {
                          m.mutable_preferred_areas(1)->set_reason(static_cast<v1::AreaReason>(5));
                        },
                        {"application.preferred_areas[1].reason"}},
        ApplicationCase{
            "AreaPostcodeAndReasonBad",
            [](v1::Application& m) {
              m.mutable_preferred_areas(0)->set_postcode("x");
              m.mutable_preferred_areas(0)->set_reason(static_cast<v1::AreaReason>(-3));
            },
            {"application.preferred_areas[0].postcode", "application.preferred_areas[0].reason"}},
        // max_rent_dkk: 0-50,000.
        ApplicationCase{"MaxRentNegative",
                        [](v1::Application& m) { m.set_max_rent_dkk(-1); },
                        {"application.max_rent_dkk"}},
        ApplicationCase{"MaxRentTooHigh",
                        [](v1::Application& m) { m.set_max_rent_dkk(50001); },
                        {"application.max_rent_dkk"}},
        // vulnerability_flags: defined, no duplicates, at most 8.
        ApplicationCase{"FlagUnspecified",
                        [](v1::Application& m) {
                          m.set_vulnerability_flags(1, v1::VULNERABILITY_FLAG_UNSPECIFIED);
                        },
                        {"application.vulnerability_flags[1]"}},
        ApplicationCase{"FlagUndefined",
                        [](v1::Application& m) {
                          m.add_vulnerability_flags(static_cast<v1::VulnerabilityFlag>(9));
                        },
                        {"application.vulnerability_flags[2]"}},
        ApplicationCase{"FlagDuplicate",
                        [](v1::Application& m) {
                          m.add_vulnerability_flags(v1::VULNERABILITY_FLAG_DUAL_DIAGNOSIS);
                        },
                        {"application.vulnerability_flags[2]"}},
        ApplicationCase{"FlagsTooMany",
                        [](v1::Application& m) {
                          m.clear_vulnerability_flags();
                          for (int f = 1; f <= 9; ++f) {
                            m.add_vulnerability_flags(static_cast<v1::VulnerabilityFlag>(f));
                          }
                        },
                        {"application.vulnerability_flags"}},
        // notes: at most 2,000 characters.
        ApplicationCase{"NotesTooLong",
                        [](v1::Application& m) { m.set_notes(Repeat("x", 2001)); },
                        {"application.notes"}},
        ApplicationCase{"NotesEscape",
                        [](v1::Application& m) { m.set_notes("\x1b]0;pwned\x07"); },
                        {"application.notes"}},
        ApplicationCase{"NotesNotUtf8",
                        [](v1::Application& m) { m.set_notes("Ønsker \xe6"); },
                        {"application.notes"}}),
    CaseName<v1::Application>);

TEST(HousingValidationTest, ApplicationBoundariesPass) {
  v1::Application m = GoodApplication();
  *m.mutable_screening_date() = DateOf(kToday);
  m.set_rooms_needed(10);
  m.set_max_rent_dkk(50000);
  m.clear_accessibility_needs();
  for (int a = 1; a <= 3; ++a) {
    m.add_accessibility_needs(static_cast<v1::Accessibility>(a));
  }
  m.clear_unit_types();
  for (int t = 1; t <= 7; ++t) {
    m.add_unit_types(static_cast<v1::UnitType>(t));
  }
  m.clear_preferred_areas();
  for (int i = 0; i < 10; ++i) {
    auto* a = m.add_preferred_areas();
    a->set_postcode(std::to_string(9990 + i));
    a->set_reason(static_cast<v1::AreaReason>(i % 5));
  }
  m.clear_vulnerability_flags();
  for (int f = 1; f <= 8; ++f) {
    m.add_vulnerability_flags(static_cast<v1::VulnerabilityFlag>(f));
  }
  m.set_notes(Repeat("x", 2000));
  EXPECT_EQ(BadFields(Application, m, "application"), Fields{});

  *m.mutable_screening_date() = MakeDate(1990, 1, 1);
  m.set_rooms_needed(1);
  m.set_max_rent_dkk(0);
  m.clear_accessibility_needs();
  m.clear_preferred_areas();
  m.clear_vulnerability_flags();
  m.clear_notes();
  EXPECT_EQ(BadFields(Application, m, "application"), Fields{});
}

TEST(HousingValidationTest, ApplicationScreeningDateFollowsToday) {
  v1::Application m = GoodApplication();
  *m.mutable_screening_date() = MakeDate(2025, 6, 16);
  EXPECT_EQ(BadFields(Application, m, "application"), Fields{"application.screening_date"});
  FieldViolations v;
  ValidateApplication(m, "application", absl::CivilDay(2025, 6, 16), v);
  EXPECT_TRUE(v.empty());
}

TEST(HousingValidationTest, ApplicationReportsEveryBadField) {
  v1::Application m;
  m.set_citizen_id("010190-1234 ");
  *m.mutable_screening_date() = MakeDate(2030, 1, 1);
  m.set_rooms_needed(-1);
  m.add_accessibility_needs(v1::ACCESSIBILITY_UNSPECIFIED);
  m.add_preferred_areas()->set_postcode("8000");
  m.add_preferred_areas()->set_postcode("8000");
  m.set_max_rent_dkk(99999);
  m.add_vulnerability_flags(v1::VULNERABILITY_FLAG_CHILDREN);
  m.add_vulnerability_flags(v1::VULNERABILITY_FLAG_CHILDREN);
  m.set_notes(std::string("a\0b", 3));
  EXPECT_EQ(BadFields(Application, m, "application"), (Fields{
                                                          "application.accessibility_needs[0]",
                                                          "application.citizen_id",
                                                          "application.max_rent_dkk",
                                                          "application.notes",
                                                          "application.preferred_areas[1]."
                                                          "postcode",
                                                          "application.rooms_needed",
                                                          "application.screening_date",
                                                          "application.situation",
                                                          "application.support_needed",
                                                          "application.unit_types",
                                                          "application.vulnerability_flags[1]",
                                                      }));
}

// ---------------------------------------------------------------------------
// Tenancy

using TenancyCase = Case<v1::Tenancy>;
class TenancyRuleTest : public ::testing::TestWithParam<TenancyCase> {};

TEST_P(TenancyRuleTest, RejectsExactlyTheField) {
  v1::Tenancy m = GoodTenancy();
  GetParam().mutate(m);
  EXPECT_EQ(BadFields(Tenancy, m, "tenancy"), GetParam().fields);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, TenancyRuleTest,
    ::testing::Values(
        TenancyCase{
            "UnitIdMissing", [](v1::Tenancy& m) { m.clear_unit_id(); }, {"tenancy.unit_id"}},
        TenancyCase{
            "UnitIdSpace", [](v1::Tenancy& m) { m.set_unit_id("u 1"); }, {"tenancy.unit_id"}},
        TenancyCase{"UnitIdWhitespaceOnly",
                    [](v1::Tenancy& m) { m.set_unit_id("  "); },
                    {"tenancy.unit_id"}},
        TenancyCase{"UnitIdTooLong",
                    [](v1::Tenancy& m) { m.set_unit_id(Repeat("u", 41)); },
                    {"tenancy.unit_id"}},
        TenancyCase{"UnitIdInjection",
                    [](v1::Tenancy& m) { m.set_unit_id("u-1' OR '1'='1"); },
                    {"tenancy.unit_id"}},
        TenancyCase{
            "UnitIdNotUtf8", [](v1::Tenancy& m) { m.set_unit_id("u\xc3"); }, {"tenancy.unit_id"}},
        TenancyCase{"CitizenIdMissing",
                    [](v1::Tenancy& m) { m.clear_citizen_id(); },
                    {"tenancy.citizen_id"}},
        TenancyCase{"CitizenIdTooLong",
                    [](v1::Tenancy& m) { m.set_citizen_id(Repeat("c", 65)); },
                    {"tenancy.citizen_id"}},
        TenancyCase{"CitizenIdControl",
                    [](v1::Tenancy& m) { m.set_citizen_id("c\x01"); },
                    {"tenancy.citizen_id"}},
        TenancyCase{
            "MoveInMissing", [](v1::Tenancy& m) { m.clear_move_in(); }, {"tenancy.move_in"}},
        TenancyCase{"MoveInInvalid",
                    [](v1::Tenancy& m) { *m.mutable_move_in() = MakeDate(2025, 4, 31); },
                    {"tenancy.move_in"}},
        TenancyCase{"MoveInTooEarly",
                    [](v1::Tenancy& m) { *m.mutable_move_in() = MakeDate(1899, 12, 31); },
                    {"tenancy.move_in"}},
        TenancyCase{"MoveInMoreThanAYearAhead",
                    [](v1::Tenancy& m) { *m.mutable_move_in() = DateOf(kToday + 366); },
                    {"tenancy.move_in"}},
        TenancyCase{"NotesTooLong",
                    [](v1::Tenancy& m) { m.set_notes(Repeat("x", 2001)); },
                    {"tenancy.notes"}},
        TenancyCase{
            "NotesControl", [](v1::Tenancy& m) { m.set_notes("x\x1b"); }, {"tenancy.notes"}},
        TenancyCase{
            "NotesNotUtf8", [](v1::Tenancy& m) { m.set_notes("x\x80"); }, {"tenancy.notes"}}),
    CaseName<v1::Tenancy>);

TEST(HousingValidationTest, TenancyBoundariesPass) {
  v1::Tenancy m = GoodTenancy();
  *m.mutable_move_in() = DateOf(kToday + 365);
  m.set_unit_id(Repeat("u", 40));
  m.set_citizen_id(Repeat("c", 64));
  m.set_notes(Repeat("x", 2000));
  EXPECT_EQ(BadFields(Tenancy, m, "tenancy"), Fields{});
  *m.mutable_move_in() = DateOf(kToday);
  EXPECT_EQ(BadFields(Tenancy, m, "tenancy"), Fields{});
  *m.mutable_move_in() = MakeDate(2001, 2, 28);  // a stay registered late
  EXPECT_EQ(BadFields(Tenancy, m, "tenancy"), Fields{});
}

TEST(HousingValidationTest, TenancyReportsEveryBadField) {
  v1::Tenancy m;
  m.set_notes("\x7f");
  EXPECT_EQ(BadFields(Tenancy, m, "tenancy"),
            (Fields{"tenancy.citizen_id", "tenancy.move_in", "tenancy.notes", "tenancy.unit_id"}));
}

// ---------------------------------------------------------------------------
// MakeOfferRequest

using MakeOfferCase = Case<v1::MakeOfferRequest>;
class MakeOfferRuleTest : public ::testing::TestWithParam<MakeOfferCase> {};

TEST_P(MakeOfferRuleTest, RejectsExactlyTheField) {
  v1::MakeOfferRequest r = GoodMakeOffer();
  GetParam().mutate(r);
  EXPECT_EQ(BadFields(MakeOffer, r, ""), GetParam().fields);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, MakeOfferRuleTest,
    ::testing::Values(
        MakeOfferCase{
            "UnitIdMissing", [](v1::MakeOfferRequest& r) { r.clear_unit_id(); }, {"unit_id"}},
        MakeOfferCase{
            "UnitIdBad", [](v1::MakeOfferRequest& r) { r.set_unit_id("u/1"); }, {"unit_id"}},
        MakeOfferCase{"UnitIdTooLong",
                      [](v1::MakeOfferRequest& r) { r.set_unit_id(Repeat("u", 41)); },
                      {"unit_id"}},
        MakeOfferCase{"ApplicationIdMissing",
                      [](v1::MakeOfferRequest& r) { r.clear_application_id(); },
                      {"application_id"}},
        MakeOfferCase{"ApplicationIdControl",
                      [](v1::MakeOfferRequest& r) { r.set_application_id("a\n1"); },
                      {"application_id"}},
        MakeOfferCase{"ApplicationIdNotUtf8",
                      [](v1::MakeOfferRequest& r) { r.set_application_id("a\xff"); },
                      {"application_id"}},
        MakeOfferCase{
            "DeadlineMissing", [](v1::MakeOfferRequest& r) { r.clear_deadline(); }, {"deadline"}},
        MakeOfferCase{"DeadlineNow",
                      [](v1::MakeOfferRequest& r) { *r.mutable_deadline() = Ts(kNow); },
                      {"deadline"}},
        MakeOfferCase{
            "DeadlinePast",
            [](v1::MakeOfferRequest& r) { *r.mutable_deadline() = Ts(kNow - absl::Hours(1)); },
            {"deadline"}},
        MakeOfferCase{"DeadlineEpoch",
                      [](v1::MakeOfferRequest& r) { r.mutable_deadline()->Clear(); },
                      {"deadline"}},
        MakeOfferCase{"DeadlineTooFar",
                      [](v1::MakeOfferRequest& r) {
                        *r.mutable_deadline() = Ts(kNow + absl::Hours(24 * 60) + absl::Seconds(1));
                      },
                      {"deadline"}},
        MakeOfferCase{"DeadlineFarFuture",
                      [](v1::MakeOfferRequest& r) {
                        r.mutable_deadline()->set_seconds(253402300799);  // year 9999
                      },
                      {"deadline"}},
        MakeOfferCase{"DeadlineNegativeNanos",
                      [](v1::MakeOfferRequest& r) { r.mutable_deadline()->set_nanos(-1); },
                      {"deadline"}},
        MakeOfferCase{"DeadlineTooManyNanos",
                      [](v1::MakeOfferRequest& r) { r.mutable_deadline()->set_nanos(1000000000); },
                      {"deadline"}},
        MakeOfferCase{"RequestIdTooLong",
                      [](v1::MakeOfferRequest& r) { r.set_idempotency_key(Repeat("r", 129)); },
                      {"idempotency_key"}},
        MakeOfferCase{"RequestIdSpace",
                      [](v1::MakeOfferRequest& r) { r.set_idempotency_key("req 1"); },
                      {"idempotency_key"}},
        MakeOfferCase{"RequestIdControl",
                      [](v1::MakeOfferRequest& r) { r.set_idempotency_key("req\t1"); },
                      {"idempotency_key"}},
        MakeOfferCase{"RequestIdNotAscii",
                      [](v1::MakeOfferRequest& r) { r.set_idempotency_key("forespørgsel"); },
                      {"idempotency_key"}}),
    CaseName<v1::MakeOfferRequest>);

TEST(HousingValidationTest, MakeOfferBoundariesPass) {
  v1::MakeOfferRequest r = GoodMakeOffer();
  *r.mutable_deadline() = Ts(kNow + absl::Nanoseconds(1));
  r.set_idempotency_key(Repeat("r", 128));
  EXPECT_EQ(BadFields(MakeOffer, r, ""), Fields{});
  *r.mutable_deadline() = Ts(kNow + absl::Hours(24 * 60));
  r.set_idempotency_key("~!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}");
  EXPECT_EQ(BadFields(MakeOffer, r, ""), Fields{});
}

TEST(HousingValidationTest, MakeOfferReportsEveryBadField) {
  v1::MakeOfferRequest r;
  r.set_application_id(" ");
  r.set_idempotency_key("a b");
  EXPECT_EQ(BadFields(MakeOffer, r, ""),
            (Fields{"application_id", "deadline", "idempotency_key", "unit_id"}));
}

// ---------------------------------------------------------------------------
// Accept, decline, withdraw

using AcceptCase = Case<v1::AcceptOfferRequest>;
class AcceptRuleTest : public ::testing::TestWithParam<AcceptCase> {};

TEST_P(AcceptRuleTest, RejectsExactlyTheField) {
  v1::AcceptOfferRequest r = GoodAccept();
  GetParam().mutate(r);
  EXPECT_EQ(BadFields(AcceptOffer, r, ""), GetParam().fields);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, AcceptRuleTest,
    ::testing::Values(
        AcceptCase{
            "OfferIdMissing", [](v1::AcceptOfferRequest& r) { r.clear_offer_id(); }, {"offer_id"}},
        AcceptCase{
            "OfferIdBad", [](v1::AcceptOfferRequest& r) { r.set_offer_id("o.1"); }, {"offer_id"}},
        AcceptCase{"OfferIdTooLong",
                   [](v1::AcceptOfferRequest& r) { r.set_offer_id(Repeat("o", 41)); },
                   {"offer_id"}},
        AcceptCase{"EtagTooLong",
                   [](v1::AcceptOfferRequest& r) { r.set_etag(Repeat("v", 65)); },
                   {"etag"}},
        AcceptCase{"EtagVeryLong",
                   [](v1::AcceptOfferRequest& r) { r.set_etag(Repeat("v", 100000)); },
                   {"etag"}},
        AcceptCase{"EtagControl", [](v1::AcceptOfferRequest& r) { r.set_etag("v3\n"); }, {"etag"}},
        AcceptCase{
            "EtagWhitespaceOnly", [](v1::AcceptOfferRequest& r) { r.set_etag("  "); }, {"etag"}},
        AcceptCase{"EtagNotAscii", [](v1::AcceptOfferRequest& r) { r.set_etag("vø"); }, {"etag"}},
        AcceptCase{"EtagNotUtf8", [](v1::AcceptOfferRequest& r) { r.set_etag("v\xff"); }, {"etag"}},
        AcceptCase{"MoveInInvalid",
                   [](v1::AcceptOfferRequest& r) { *r.mutable_move_in() = MakeDate(2025, 6, 31); },
                   {"move_in"}},
        AcceptCase{"MoveInEmpty",
                   [](v1::AcceptOfferRequest& r) { r.mutable_move_in()->Clear(); },
                   {"move_in"}}),
    CaseName<v1::AcceptOfferRequest>);

TEST(HousingValidationTest, AcceptEtagAndMoveInAreOptional) {
  v1::AcceptOfferRequest r = GoodAccept();
  r.set_etag(Repeat("v", 64));
  EXPECT_EQ(BadFields(AcceptOffer, r, ""), Fields{});
  r.clear_etag();
  r.clear_move_in();
  EXPECT_EQ(BadFields(AcceptOffer, r, ""), Fields{});
}

using DeclineCase = Case<v1::DeclineOfferRequest>;
class DeclineRuleTest : public ::testing::TestWithParam<DeclineCase> {};

TEST_P(DeclineRuleTest, RejectsExactlyTheField) {
  v1::DeclineOfferRequest r = GoodDecline();
  GetParam().mutate(r);
  EXPECT_EQ(BadFields(DeclineOffer, r, ""), GetParam().fields);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, DeclineRuleTest,
    ::testing::Values(
        DeclineCase{
            "OfferIdMissing", [](v1::DeclineOfferRequest& r) { r.clear_offer_id(); }, {"offer_id"}},
        DeclineCase{
            "OfferIdBad", [](v1::DeclineOfferRequest& r) { r.set_offer_id("o 1"); }, {"offer_id"}},
        DeclineCase{"EtagTooLong",
                    [](v1::DeclineOfferRequest& r) { r.set_etag(Repeat("v", 65)); },
                    {"etag"}},
        DeclineCase{
            "EtagControl", [](v1::DeclineOfferRequest& r) { r.set_etag("v\x01"); }, {"etag"}},
        DeclineCase{
            "ReasonMissing", [](v1::DeclineOfferRequest& r) { r.clear_reason(); }, {"reason"}},
        DeclineCase{
            "ReasonUndefined",
            [](v1::DeclineOfferRequest& r) { r.set_reason(static_cast<v1::DeclineReason>(9)); },
            {"reason"}},
        DeclineCase{"NoteTooLong",
                    [](v1::DeclineOfferRequest& r) { r.set_note(Repeat("x", 501)); },
                    {"note"}},
        DeclineCase{"NoteVeryLong",
                    [](v1::DeclineOfferRequest& r) { r.set_note(Repeat("x", 1 << 20)); },
                    {"note"}},
        DeclineCase{
            "NoteEscape", [](v1::DeclineOfferRequest& r) { r.set_note("nej\x1b[0m"); }, {"note"}},
        DeclineCase{"NoteNul",
                    [](v1::DeclineOfferRequest& r) { r.set_note(std::string("nej\0", 4)); },
                    {"note"}},
        DeclineCase{
            "NoteNotUtf8", [](v1::DeclineOfferRequest& r) { r.set_note("nej \xc3("); }, {"note"}}),
    CaseName<v1::DeclineOfferRequest>);

TEST(HousingValidationTest, DeclineBoundariesPass) {
  v1::DeclineOfferRequest r = GoodDecline();
  r.set_note(Repeat("x", 500));
  r.set_reason(v1::DECLINE_REASON_OTHER);
  EXPECT_EQ(BadFields(DeclineOffer, r, ""), Fields{});
  r.set_note(" \n\t");  // whitespace-only: an empty note
  r.clear_etag();
  EXPECT_EQ(BadFields(DeclineOffer, r, ""), Fields{});
}

using WithdrawCase = Case<v1::WithdrawOfferRequest>;
class WithdrawRuleTest : public ::testing::TestWithParam<WithdrawCase> {};

TEST_P(WithdrawRuleTest, RejectsExactlyTheField) {
  v1::WithdrawOfferRequest r = GoodWithdraw();
  GetParam().mutate(r);
  EXPECT_EQ(BadFields(WithdrawOffer, r, ""), GetParam().fields);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, WithdrawRuleTest,
    ::testing::Values(
        WithdrawCase{"OfferIdMissing",
                     [](v1::WithdrawOfferRequest& r) { r.clear_offer_id(); },
                     {"offer_id"}},
        WithdrawCase{"OfferIdWhitespaceOnly",
                     [](v1::WithdrawOfferRequest& r) { r.set_offer_id(" "); },
                     {"offer_id"}},
        WithdrawCase{"EtagTooLong",
                     [](v1::WithdrawOfferRequest& r) { r.set_etag(Repeat("v", 65)); },
                     {"etag"}},
        WithdrawCase{"EtagSpace", [](v1::WithdrawOfferRequest& r) { r.set_etag("v 3"); }, {"etag"}},
        WithdrawCase{"NoteTooLong",
                     [](v1::WithdrawOfferRequest& r) { r.set_note(Repeat("æ", 501)); },
                     {"note"}},
        WithdrawCase{
            "NoteControl", [](v1::WithdrawOfferRequest& r) { r.set_note("x\x08"); }, {"note"}},
        WithdrawCase{
            "NoteNotUtf8", [](v1::WithdrawOfferRequest& r) { r.set_note("\xf5x"); }, {"note"}}),
    CaseName<v1::WithdrawOfferRequest>);

TEST(HousingValidationTest, WithdrawBoundariesPass) {
  v1::WithdrawOfferRequest r = GoodWithdraw();
  r.set_note(Repeat("æ", 500));
  EXPECT_EQ(BadFields(WithdrawOffer, r, ""), Fields{});
}

TEST(HousingValidationTest, OfferRequestsReportEveryBadField) {
  v1::AcceptOfferRequest a;
  a.set_etag("\x7f");
  *a.mutable_move_in() = MakeDate(1, 1, 1);
  EXPECT_EQ(BadFields(AcceptOffer, a, ""), (Fields{"etag", "move_in", "offer_id"}));

  v1::DeclineOfferRequest d;
  d.set_etag(Repeat("e", 65));
  d.set_note("\x01");
  EXPECT_EQ(BadFields(DeclineOffer, d, ""), (Fields{"etag", "note", "offer_id", "reason"}));

  v1::WithdrawOfferRequest w;
  w.set_offer_id("bad id");
  w.set_etag("\t");
  w.set_note(Repeat("n", 501));
  EXPECT_EQ(BadFields(WithdrawOffer, w, ""), (Fields{"etag", "note", "offer_id"}));
}

// ---------------------------------------------------------------------------
// EndTenancyRequest

using EndCase = Case<v1::EndTenancyRequest>;
class EndTenancyRuleTest : public ::testing::TestWithParam<EndCase> {};

TEST_P(EndTenancyRuleTest, RejectsExactlyTheField) {
  v1::EndTenancyRequest r = GoodEnd();
  GetParam().mutate(r);
  EXPECT_EQ(BadFields(EndTenancy, r, ""), GetParam().fields);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, EndTenancyRuleTest,
    ::testing::Values(
        EndCase{"IdMissing", [](v1::EndTenancyRequest& r) { r.clear_id(); }, {"id"}},
        EndCase{"IdBad", [](v1::EndTenancyRequest& r) { r.set_id("t;1"); }, {"id"}},
        EndCase{"IdTooLong", [](v1::EndTenancyRequest& r) { r.set_id(Repeat("t", 41)); }, {"id"}},
        EndCase{"EtagMissing", [](v1::EndTenancyRequest& r) { r.clear_etag(); }, {"etag"}},
        EndCase{
            "EtagTooLong", [](v1::EndTenancyRequest& r) { r.set_etag(Repeat("v", 65)); }, {"etag"}},
        EndCase{"EtagControl", [](v1::EndTenancyRequest& r) { r.set_etag("v4\r"); }, {"etag"}},
        EndCase{
            "MoveOutMissing", [](v1::EndTenancyRequest& r) { r.clear_move_out(); }, {"move_out"}},
        EndCase{"MoveOutInvalid",
                [](v1::EndTenancyRequest& r) { *r.mutable_move_out() = MakeDate(2025, 11, 31); },
                {"move_out"}},
        EndCase{"MoveOutTomorrow",
                [](v1::EndTenancyRequest& r) { *r.mutable_move_out() = DateOf(kToday + 1); },
                {"move_out"}},
        EndCase{"ReasonMissing", [](v1::EndTenancyRequest& r) { r.clear_reason(); }, {"reason"}},
        EndCase{"ReasonUndefined",
                [](v1::EndTenancyRequest& r) { r.set_reason(static_cast<v1::MoveOutReason>(8)); },
                {"reason"}}),
    CaseName<v1::EndTenancyRequest>);

TEST(HousingValidationTest, EndTenancyBoundariesPass) {
  v1::EndTenancyRequest r = GoodEnd();
  r.set_etag(Repeat("v", 64));
  *r.mutable_move_out() = DateOf(kToday - 3000);
  r.set_reason(v1::MOVE_OUT_REASON_OTHER);
  EXPECT_EQ(BadFields(EndTenancy, r, ""), Fields{});
}

TEST(HousingValidationTest, EndTenancyEtagMessageSaysWhatToSend) {
  v1::EndTenancyRequest r = GoodEnd();
  r.clear_etag();
  FieldViolations v;
  ValidateEndTenancy(r, kToday, v);
  ASSERT_EQ(v.violations().size(), 1u);
  EXPECT_EQ(v.violations()[0].field, "etag");
  EXPECT_EQ(v.violations()[0].description, "is required: send the etag you last read");
}

TEST(HousingValidationTest, EndTenancyReportsEveryBadField) {
  v1::EndTenancyRequest r;
  r.set_id("x y");
  *r.mutable_move_out() = MakeDate(2026, 1, 1);
  r.set_reason(static_cast<v1::MoveOutReason>(-1));
  EXPECT_EQ(BadFields(EndTenancy, r, ""), (Fields{"etag", "id", "move_out", "reason"}));
}

// ---------------------------------------------------------------------------
// List filters

Fields FilterFields(const absl::Status& s) {
  Fields out;
  for (const auto& f : FieldViolationsOf(s)) {
    out.push_back(f.field);
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(HousingListFiltersTest, UnitsFilter) {
  v1::ListUnitsRequest r;
  auto f = FilterOf(r);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_FALSE(f->has_status);
  EXPECT_EQ(f->ref_id, "");
  EXPECT_EQ(f->tag, "");
  EXPECT_FALSE(f->include_archived);

  r.set_unit_type(v1::UNIT_TYPE_SHELTER_110);
  r.set_unit_status(v1::UNIT_STATUS_AVAILABLE);
  r.set_postcode("8900");
  r.set_include_archived(true);
  f = FilterOf(r);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_TRUE(f->has_status);
  EXPECT_EQ(f->status, v1::UNIT_STATUS_AVAILABLE);
  EXPECT_EQ(f->ref_id, "7");
  EXPECT_EQ(f->tag, "pc:8900");
  EXPECT_TRUE(f->include_archived);
  EXPECT_EQ(f->citizen_id, "");
  EXPECT_EQ(f->parent_id, "");

  r.set_unit_type(static_cast<v1::UnitType>(8));
  r.set_unit_status(static_cast<v1::UnitStatus>(5));
  r.set_postcode("0800");
  EXPECT_EQ(FilterFields(FilterOf(r).status()), (Fields{"postcode", "unit_status", "unit_type"}));
  r.set_postcode("8900\n");
  EXPECT_EQ(FilterFields(FilterOf(r).status()), (Fields{"postcode", "unit_status", "unit_type"}));
}

TEST(HousingListFiltersTest, ApplicationsFilter) {
  v1::ListApplicationsRequest r;
  auto f = FilterOf(r);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_FALSE(f->has_status);
  EXPECT_EQ(f->ref_id, "");
  EXPECT_EQ(f->citizen_id, "");

  r.set_application_status(v1::APPLICATION_STATUS_OFFERED);
  r.set_situation(v1::SITUATION_LEAVING_PRISON);
  r.set_citizen_id("c-9");
  r.set_include_archived(true);
  f = FilterOf(r);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_TRUE(f->has_status);
  EXPECT_EQ(f->status, v1::APPLICATION_STATUS_OFFERED);
  EXPECT_EQ(f->ref_id, "6");
  EXPECT_EQ(f->citizen_id, "c-9");
  EXPECT_EQ(f->tag, "");
  EXPECT_TRUE(f->include_archived);

  r.set_application_status(static_cast<v1::ApplicationStatus>(5));
  r.set_situation(static_cast<v1::Situation>(9));
  r.set_citizen_id("c 9");
  EXPECT_EQ(FilterFields(FilterOf(r).status()),
            (Fields{"application_status", "citizen_id", "situation"}));
}

TEST(HousingListFiltersTest, TenanciesFilter) {
  v1::ListTenanciesRequest r;
  auto f = FilterOf(r);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_FALSE(f->has_status);
  EXPECT_EQ(f->parent_id, "");
  EXPECT_EQ(f->ref_id, "");

  r.set_unit_id("u-1");
  r.set_citizen_id("c-1");
  r.set_tenancy_status(v1::TENANCY_STATUS_ENDED);
  r.set_unit_type(v1::UNIT_TYPE_TEMPORARY_107);
  f = FilterOf(r);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->parent_id, "u-1");
  EXPECT_EQ(f->citizen_id, "c-1");
  EXPECT_TRUE(f->has_status);
  EXPECT_EQ(f->status, v1::TENANCY_STATUS_ENDED);
  EXPECT_EQ(f->ref_id, "5");
  EXPECT_FALSE(f->include_archived);

  r.set_unit_id("u/1");
  r.set_citizen_id(Repeat("c", 65));
  r.set_tenancy_status(static_cast<v1::TenancyStatus>(3));
  r.set_unit_type(static_cast<v1::UnitType>(-1));
  EXPECT_EQ(FilterFields(FilterOf(r).status()),
            (Fields{"citizen_id", "tenancy_status", "unit_id", "unit_type"}));
}

}  // namespace
}  // namespace helhed::housing
