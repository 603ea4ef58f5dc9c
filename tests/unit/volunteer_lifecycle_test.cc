// Tests of the accompaniment lifecycle (services/volunteers/domain/lifecycle):
// exactly the transitions of the table in lifecycle.h are allowed; every
// other is FAILED_PRECONDITION with a message naming both states in words;
// the final states go nowhere; only matched and confirmed hold a booking.
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "common/i18n/catalogue.h"
#include "common/status/field_violations.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/volunteers/domain/lifecycle.h"

namespace helhed::volunteers {
namespace {

namespace v1 = ::helhed::volunteers::v1;
using ::testing::HasSubstr;
using v1::RequestState;

constexpr RequestState kUnspecified = v1::REQUEST_STATE_UNSPECIFIED;
constexpr RequestState kRequested = v1::REQUEST_STATE_REQUESTED;
constexpr RequestState kMatched = v1::REQUEST_STATE_MATCHED;
constexpr RequestState kConfirmed = v1::REQUEST_STATE_CONFIRMED;
constexpr RequestState kCompleted = v1::REQUEST_STATE_COMPLETED;
constexpr RequestState kCancelled = v1::REQUEST_STATE_CANCELLED;
constexpr RequestState kNoShow = v1::REQUEST_STATE_NO_SHOW;

const std::vector<RequestState>& AllStates() {
  static const auto* const kAll = new std::vector<RequestState>{
      kUnspecified, kRequested, kMatched, kConfirmed, kCompleted, kCancelled, kNoShow};
  return *kAll;
}

const std::set<std::pair<RequestState, RequestState>>& Allowed() {
  static const auto* const kAllowed = new std::set<std::pair<RequestState, RequestState>>{
      {kRequested, kMatched},   {kRequested, kCancelled}, {kMatched, kConfirmed},
      {kMatched, kCancelled},   {kMatched, kNoShow},      {kConfirmed, kCompleted},
      {kConfirmed, kCancelled}, {kConfirmed, kNoShow}};
  return *kAllowed;
}

std::string Word(RequestState s) {
  switch (s) {
    case kUnspecified:
      return "unspecified";
    case kRequested:
      return "requested";
    case kMatched:
      return "matched";
    case kConfirmed:
      return "confirmed";
    case kCompleted:
      return "completed";
    case kCancelled:
      return "cancelled";
    case kNoShow:
      return "no-show";
    default:
      return "?";
  }
}

TEST(CheckTransitionTest, EveryAllowedTransitionIsOk) {
  for (const auto& [from, to] : Allowed()) {
    SCOPED_TRACE(Word(from) + " -> " + Word(to));
    EXPECT_TRUE(CheckTransition(from, to).ok());
  }
}

TEST(CheckTransitionTest, EveryOtherPairIsRefusedNamingBothStates) {
  int refused = 0;
  for (RequestState from : AllStates()) {
    for (RequestState to : AllStates()) {
      if (Allowed().count({from, to}) != 0) {
        continue;
      }
      SCOPED_TRACE(Word(from) + " -> " + Word(to));
      const absl::Status s = CheckTransition(from, to);
      EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
      // The text names the request's state and what it can still become,
      // in both languages (rendered when the answer is sent).
      const auto text = MessageTextOf(s);
      ASSERT_TRUE(text.has_value());
      EXPECT_EQ(s.message(), i18n::Render(i18n::Language::kEnglish, *text));
      EXPECT_TRUE(i18n::HasMessage(i18n::Language::kDanish, text->id)) << text->id;
      EXPECT_TRUE(i18n::HasMessage(i18n::Language::kEnglish, text->id)) << text->id;
      ++refused;
    }
  }
  EXPECT_EQ(refused, 7 * 7 - 8);
}

TEST(CheckTransitionTest, RepresentativeRefusals) {
  const absl::Status back = CheckTransition(kCompleted, kCancelled);
  EXPECT_EQ(back.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(back.message(), "the accompaniment is completed; the request cannot change");
  EXPECT_EQ(i18n::Render(i18n::Language::kDanish, *MessageTextOf(back)),
            "ledsagelsen er gennemført; anmodningen kan ikke ændres");
  // Skipping a step.
  EXPECT_EQ(CheckTransition(kRequested, kConfirmed).message(),
            "the request is not matched yet; it can only be matched or cancelled");
  EXPECT_EQ(CheckTransition(kMatched, kCompleted).message(),
            "the request is matched; it can only be confirmed, cancelled or marked as a no-show");
  // A no-show cannot happen before a volunteer is matched.
  EXPECT_EQ(CheckTransition(kRequested, kNoShow).message(),
            "the request is not matched yet; it can only be matched or cancelled");
  // Going back.
  EXPECT_EQ(CheckTransition(kConfirmed, kMatched).message(),
            "the request is confirmed; it can only be completed, cancelled or marked as a no-show");
  EXPECT_EQ(CheckTransition(kMatched, kRequested).message(),
            "the request is matched; it can only be confirmed, cancelled or marked as a no-show");
  EXPECT_EQ(CheckTransition(kNoShow, kCompleted).message(),
            "the citizen did not show up; the request cannot change");
  // Staying put is not a transition.
  EXPECT_EQ(CheckTransition(kMatched, kMatched).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(CheckTransitionTest, FinalStatesGoNowhere) {
  for (RequestState from : {kCompleted, kCancelled, kNoShow}) {
    for (RequestState to : AllStates()) {
      SCOPED_TRACE(Word(from) + " -> " + Word(to));
      const absl::Status s = CheckTransition(from, to);
      EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
      // A final state says the request cannot change.
      EXPECT_THAT(std::string(s.message()), HasSubstr("cannot change"));
    }
  }
}

TEST(CheckTransitionTest, UnknownStateValuesAreRefused) {
  const absl::Status s = CheckTransition(static_cast<RequestState>(42), kMatched);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(), "the request has an unknown state; it cannot change");
  EXPECT_EQ(CheckTransition(kRequested, static_cast<RequestState>(42)).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(HoldsBookingTest, OnlyMatchedAndConfirmedHoldTheBooking) {
  EXPECT_TRUE(HoldsBooking(kMatched));
  EXPECT_TRUE(HoldsBooking(kConfirmed));
  EXPECT_FALSE(HoldsBooking(kUnspecified));
  EXPECT_FALSE(HoldsBooking(kRequested));
  EXPECT_FALSE(HoldsBooking(kCompleted));
  EXPECT_FALSE(HoldsBooking(kCancelled));
  EXPECT_FALSE(HoldsBooking(kNoShow));
}

}  // namespace
}  // namespace helhed::volunteers
