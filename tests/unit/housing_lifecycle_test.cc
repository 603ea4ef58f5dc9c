// Tests of housing lifecycles (services/housing/domain/lifecycle): an offer
// goes only from PENDING to ACCEPTED, DECLINED, EXPIRED or WITHDRAWN, and
// every other pair (staying put included) is FAILED_PRECONDITION naming both
// states; §107 and §110 places are temporary; SetUnitAvailability moves a
// unit only between AVAILABLE and UNAVAILABLE.
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "services/housing/domain/lifecycle.h"

namespace helhed::housing {
namespace {

namespace v1 = ::helhed::housing::v1;

// Messages asserted in English (asked for) and, where noted, in Danish.
constexpr i18n::Language kEn = i18n::Language::kEnglish;
constexpr i18n::Language kDa = i18n::Language::kDanish;

std::vector<v1::OfferState> AllOfferStates() {
  std::vector<v1::OfferState> out;
  for (int s = v1::OfferState_MIN; s <= v1::OfferState_MAX; ++s) {
    out.push_back(static_cast<v1::OfferState>(s));
  }
  out.push_back(static_cast<v1::OfferState>(17));  // unknown
  return out;
}

TEST(HousingOfferLifecycle, EveryPair) {
  const std::set<std::pair<v1::OfferState, v1::OfferState>> allowed = {
      {v1::OFFER_STATE_PENDING, v1::OFFER_STATE_ACCEPTED},
      {v1::OFFER_STATE_PENDING, v1::OFFER_STATE_DECLINED},
      {v1::OFFER_STATE_PENDING, v1::OFFER_STATE_EXPIRED},
      {v1::OFFER_STATE_PENDING, v1::OFFER_STATE_WITHDRAWN},
  };
  int ok = 0;
  int refused = 0;
  for (v1::OfferState from : AllOfferStates()) {
    for (v1::OfferState to : AllOfferStates()) {
      const absl::Status s = CheckOfferTransition(from, to, kEn);
      const std::string what = v1::OfferState_Name(from) + " -> " + v1::OfferState_Name(to);
      if (allowed.count({from, to}) > 0) {
        EXPECT_TRUE(s.ok()) << what << ": " << s;
        ++ok;
      } else {
        EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << what;
        ++refused;
      }
    }
  }
  EXPECT_EQ(ok, 4);
  EXPECT_EQ(refused, 7 * 7 - 4);
}

TEST(HousingOfferLifecycle, MessageNamesBothStates) {
  const absl::Status s =
      CheckOfferTransition(v1::OFFER_STATE_ACCEPTED, v1::OFFER_STATE_DECLINED, kEn);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(s.message(), "\"accepted\"")) << s;
  EXPECT_TRUE(absl::StrContains(s.message(), "\"declined\"")) << s;
  EXPECT_TRUE(absl::StrContains(s.message(), "final")) << s;

  const absl::Status stay =
      CheckOfferTransition(v1::OFFER_STATE_PENDING, v1::OFFER_STATE_PENDING, kEn);
  EXPECT_EQ(stay.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(stay.message(), "an offer cannot go from \"pending\" to \"pending\"");

  // Danish by default.
  EXPECT_EQ(CheckOfferTransition(v1::OFFER_STATE_EXPIRED, v1::OFFER_STATE_ACCEPTED, kDa).message(),
            "et tilbud kan ikke gå fra \"udløbet\" til \"accepteret\"; \"udløbet\" er endeligt");

  const absl::Status unknown =
      CheckOfferTransition(static_cast<v1::OfferState>(17), v1::OFFER_STATE_ACCEPTED, kEn);
  EXPECT_TRUE(absl::StrContains(unknown.message(), "17")) << unknown;
}

TEST(HousingOfferLifecycle, FinalStatesGoNowhere) {
  for (v1::OfferState from : {v1::OFFER_STATE_ACCEPTED, v1::OFFER_STATE_DECLINED,
                              v1::OFFER_STATE_EXPIRED, v1::OFFER_STATE_WITHDRAWN}) {
    for (v1::OfferState to : AllOfferStates()) {
      EXPECT_FALSE(CheckOfferTransition(from, to, kEn).ok())
          << v1::OfferState_Name(from) << " -> " << v1::OfferState_Name(to);
    }
  }
}

TEST(HousingUnitType, Temporary) {
  EXPECT_TRUE(IsTemporary(v1::UNIT_TYPE_TEMPORARY_107));
  EXPECT_TRUE(IsTemporary(v1::UNIT_TYPE_SHELTER_110));
  for (v1::UnitType t :
       {v1::UNIT_TYPE_UNSPECIFIED, v1::UNIT_TYPE_PUBLIC_REFERRAL, v1::UNIT_TYPE_HOUSING_FIRST,
        v1::UNIT_TYPE_SKAEV_BOLIG, v1::UNIT_TYPE_SHARED_LIVING, v1::UNIT_TYPE_LONG_TERM_108}) {
    EXPECT_FALSE(IsTemporary(t)) << v1::UnitType_Name(t);
  }
}

TEST(HousingUnitAvailability, Table) {
  const struct {
    v1::UnitStatus from;
    bool available;
    bool ok;
  } cases[] = {
      {v1::UNIT_STATUS_AVAILABLE, false, true},
      {v1::UNIT_STATUS_AVAILABLE, true, true},  // no change, still OK
      {v1::UNIT_STATUS_UNAVAILABLE, true, true},
      {v1::UNIT_STATUS_UNAVAILABLE, false, true},  // no change, still OK
      {v1::UNIT_STATUS_OFFERED, true, false},
      {v1::UNIT_STATUS_OFFERED, false, false},
      {v1::UNIT_STATUS_OCCUPIED, true, false},
      {v1::UNIT_STATUS_OCCUPIED, false, false},
      {v1::UNIT_STATUS_UNSPECIFIED, true, false},
      {v1::UNIT_STATUS_UNSPECIFIED, false, false},
      {static_cast<v1::UnitStatus>(9), true, false},
  };
  for (const auto& c : cases) {
    const absl::Status s = CheckAvailabilityChange(c.from, c.available, kEn);
    const std::string what = v1::UnitStatus_Name(c.from) + (c.available ? " +" : " -");
    if (c.ok) {
      EXPECT_TRUE(s.ok()) << what << ": " << s;
    } else {
      EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << what;
      EXPECT_FALSE(s.message().empty()) << what;
    }
  }
}

TEST(HousingUnitAvailability, MessagesNameTheStatus) {
  EXPECT_TRUE(
      absl::StrContains(CheckAvailabilityChange(v1::UNIT_STATUS_OFFERED, false, kEn).message(),
                        "the unit is offered"));
  EXPECT_TRUE(
      absl::StrContains(CheckAvailabilityChange(v1::UNIT_STATUS_OCCUPIED, true, kEn).message(),
                        "the unit is occupied"));
  EXPECT_EQ(CheckAvailabilityChange(v1::UNIT_STATUS_OCCUPIED, true, kDa).message(),
            "boligen er beboet; afslut lejemålet for at gøre den ledig igen");
}

}  // namespace
}  // namespace helhed::housing
