// Tests of the match lifecycle (services/guides/domain/lifecycle): exactly
// the transitions of the table in lifecycle.h are allowed; every other is
// FAILED_PRECONDITION with a message naming both states in words; ENDED and
// DECLINED are final; proposed, accepted and active matches use a slot.
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "common/i18n/catalogue.h"
#include "common/status/field_violations.h"
#include "gtest/gtest.h"
#include "services/guides/domain/lifecycle.h"

namespace helhed::guides {
namespace {

namespace v1 = ::helhed::guides::v1;
using v1::MatchState;

constexpr MatchState kUnspecified = v1::MATCH_STATE_UNSPECIFIED;
constexpr MatchState kProposed = v1::MATCH_STATE_PROPOSED;
constexpr MatchState kAccepted = v1::MATCH_STATE_ACCEPTED;
constexpr MatchState kActive = v1::MATCH_STATE_ACTIVE;
constexpr MatchState kEnded = v1::MATCH_STATE_ENDED;
constexpr MatchState kDeclined = v1::MATCH_STATE_DECLINED;

const std::vector<MatchState>& AllStates() {
  static const auto* const kAll =
      new std::vector<MatchState>{kUnspecified, kProposed, kAccepted, kActive, kEnded, kDeclined};
  return *kAll;
}

const std::set<std::pair<MatchState, MatchState>>& Allowed() {
  static const auto* const kAllowed =
      new std::set<std::pair<MatchState, MatchState>>{{kProposed, kAccepted},
                                                      {kAccepted, kActive},
                                                      {kActive, kEnded},
                                                      {kProposed, kDeclined},
                                                      {kAccepted, kDeclined}};
  return *kAllowed;
}

std::string Word(MatchState s) {
  switch (s) {
    case kUnspecified:
      return "unspecified";
    case kProposed:
      return "proposed";
    case kAccepted:
      return "accepted";
    case kActive:
      return "active";
    case kEnded:
      return "ended";
    case kDeclined:
      return "declined";
    default:
      return "?";
  }
}

TEST(MatchLifecycleTest, AllowedTransitions) {
  for (const auto& [from, to] : Allowed()) {
    EXPECT_TRUE(CheckMatchTransition(from, to).ok()) << Word(from) << " -> " << Word(to);
  }
}

TEST(MatchLifecycleTest, EveryOtherTransitionRefused) {
  int refused = 0;
  for (MatchState from : AllStates()) {
    for (MatchState to : AllStates()) {
      if (Allowed().count({from, to}) != 0) {
        continue;
      }
      const absl::Status s = CheckMatchTransition(from, to);
      EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition)
          << Word(from) << " -> " << Word(to);
      // The text names the match's state and what it can still become, in
      // both languages (rendered when the answer is sent).
      const auto text = MessageTextOf(s);
      ASSERT_TRUE(text.has_value());
      EXPECT_EQ(s.message(), i18n::Render(i18n::Language::kEnglish, *text));
      EXPECT_TRUE(i18n::HasMessage(i18n::Language::kDanish, text->id)) << text->id;
      EXPECT_TRUE(i18n::HasMessage(i18n::Language::kEnglish, text->id)) << text->id;
      ++refused;
    }
  }
  EXPECT_EQ(refused, 36 - 5);
}

TEST(MatchLifecycleTest, FinalStatesGoNowhere) {
  for (MatchState from : {kEnded, kDeclined}) {
    for (MatchState to : AllStates()) {
      EXPECT_FALSE(CheckMatchTransition(from, to).ok()) << Word(from) << " -> " << Word(to);
    }
  }
}

TEST(MatchLifecycleTest, SkippingAndGoingBackRefused) {
  EXPECT_FALSE(CheckMatchTransition(kProposed, kActive).ok());
  EXPECT_FALSE(CheckMatchTransition(kProposed, kEnded).ok());
  EXPECT_FALSE(CheckMatchTransition(kAccepted, kEnded).ok());
  EXPECT_FALSE(CheckMatchTransition(kActive, kDeclined).ok());
  EXPECT_FALSE(CheckMatchTransition(kActive, kProposed).ok());
  EXPECT_FALSE(CheckMatchTransition(kAccepted, kAccepted).ok());
}

TEST(MatchLifecycleTest, UnknownValues) {
  const auto unknown = static_cast<MatchState>(42);
  const absl::Status s = CheckMatchTransition(unknown, kProposed);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(), "the match has an unknown state; it cannot change");
  EXPECT_EQ(i18n::Render(i18n::Language::kDanish, *MessageTextOf(s)),
            "matchet har en ukendt tilstand; det kan ikke ændres");
  EXPECT_EQ(CheckMatchTransition(kEnded, kAccepted).message(),
            "the match has ended; it cannot change");
  EXPECT_EQ(CheckMatchTransition(kProposed, kActive).message(),
            "the match is proposed; it can only be accepted or declined");
  EXPECT_EQ(i18n::Render(i18n::Language::kDanish,
                         *MessageTextOf(CheckMatchTransition(kActive, kDeclined))),
            "matchet er aktivt; det kan kun afsluttes");
  EXPECT_FALSE(CheckMatchTransition(kProposed, unknown).ok());
  EXPECT_FALSE(UsesCapacity(unknown));
}

TEST(MatchLifecycleTest, UsesCapacity) {
  EXPECT_TRUE(UsesCapacity(kProposed));
  EXPECT_TRUE(UsesCapacity(kAccepted));
  EXPECT_TRUE(UsesCapacity(kActive));
  EXPECT_FALSE(UsesCapacity(kEnded));
  EXPECT_FALSE(UsesCapacity(kDeclined));
  EXPECT_FALSE(UsesCapacity(kUnspecified));
}

}  // namespace
}  // namespace helhed::guides
