// The message catalogue, languages, numbers and translated field violations
// (common/i18n, common/status).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/i18n/catalogue.h"
#include "common/i18n/enum_names.h"
#include "common/i18n/language.h"
#include "common/i18n/numbers.h"
#include "common/status/field_violations.h"
#include "common/status/grpc_status.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "helhed/common/v1/common.pb.h"

namespace helhed::i18n {
namespace {

std::set<std::string> PlaceholdersOf(const std::string& text) {
  std::set<std::string> out;
  static const std::regex kPlaceholder(R"(\{([a-z0-9_]+)\})");
  for (std::sregex_iterator it(text.begin(), text.end(), kPlaceholder), end; it != end; ++it) {
    out.insert((*it)[1]);
  }
  return out;
}

TEST(Catalogue, FilesAreWellFormed) {
  EXPECT_TRUE(CatalogueProblems().empty()) << absl::StrJoin(CatalogueProblems(), "\n");
}

TEST(Catalogue, EveryMessageHasBothLanguagesWithTheSamePlaceholders) {
  const std::vector<std::string> da = MessageIds(Language::kDanish);
  const std::vector<std::string> en = MessageIds(Language::kEnglish);
  ASSERT_FALSE(da.empty());
  std::vector<std::string> problems;
  for (const std::string& id : da) {
    if (!HasMessage(Language::kEnglish, id)) problems.push_back(absl::StrCat(id, ": no English"));
  }
  for (const std::string& id : en) {
    if (!HasMessage(Language::kDanish, id)) problems.push_back(absl::StrCat(id, ": no Danish"));
  }
  for (const std::string& id : da) {
    const std::string* d = Template(Language::kDanish, id);
    const std::string* e = Template(Language::kEnglish, id);
    if (d == nullptr || e == nullptr) continue;
    if (d->empty() || e->empty()) problems.push_back(absl::StrCat(id, ": empty"));
    if (PlaceholdersOf(*d) != PlaceholdersOf(*e)) {
      problems.push_back(absl::StrCat(id, ": placeholders differ between da and en"));
    }
  }
  EXPECT_TRUE(problems.empty()) << absl::StrJoin(problems, "\n");
}

// Every catalogue id named in the sources ("<area>.<topic>.<name>" string
// literals of common/ and services/) is in the catalogue, in both languages.
TEST(Catalogue, EveryIdUsedInTheSourcesExists) {
  static const std::regex kId(
      R"re("((?:common|validation|plans|volunteers|guides|housing|gateway)(?:\.[a-z0-9_]+){2,})")re");
  std::vector<std::string> missing;
  int seen = 0;
  for (const char* dir : {"common", "services"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(
             std::filesystem::path(HELHED_SOURCE_DIR) / dir)) {
      const std::string ext = entry.path().extension().string();
      if (ext != ".cc" && ext != ".h") continue;
      std::ifstream in(entry.path());
      std::stringstream buf;
      buf << in.rdbuf();
      const std::string text = buf.str();
      for (std::sregex_iterator it(text.begin(), text.end(), kId), end; it != end; ++it) {
        const std::string id = (*it)[1];
        ++seen;
        if (!HasMessage(Language::kDanish, id) || !HasMessage(Language::kEnglish, id)) {
          missing.push_back(absl::StrCat(
              std::filesystem::relative(entry.path(), HELHED_SOURCE_DIR).string(), ": ", id));
        }
      }
    }
  }
  EXPECT_GT(seen, 0);
  EXPECT_TRUE(missing.empty()) << absl::StrJoin(missing, "\n");
}

// The store's generic texts are per resource kind (common/store/resources.h
// builds "common.not_found.<kind>" from Kind<T>::kName): every kind declared
// in the services has all three, in both languages.
TEST(Catalogue, EveryResourceKindHasItsStoreTexts) {
  static const std::regex kKindName(R"re(kName = "([a-z_]+)")re");
  std::vector<std::string> missing;
  int kinds = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(
           std::filesystem::path(HELHED_SOURCE_DIR) / "services")) {
    if (entry.path().extension() != ".cc" && entry.path().extension() != ".h") continue;
    std::ifstream in(entry.path());
    std::stringstream buf;
    buf << in.rdbuf();
    const std::string text = buf.str();
    for (std::sregex_iterator it(text.begin(), text.end(), kKindName), end; it != end; ++it) {
      ++kinds;
      for (const char* prefix : {"common.not_found.", "common.archived.", "common.stale_etag."}) {
        const std::string id = absl::StrCat(prefix, (*it)[1].str());
        if (!HasMessage(Language::kDanish, id) || !HasMessage(Language::kEnglish, id)) {
          missing.push_back(id);
        }
      }
    }
  }
  EXPECT_GE(kinds, 19);
  EXPECT_TRUE(missing.empty()) << absl::StrJoin(missing, "\n");
}

TEST(Catalogue, SubstitutesNamedArguments) {
  EXPECT_EQ(Message(Language::kDanish, "common.and_more", {{"count", "3"}}), "(og 3 mere)");
  EXPECT_EQ(Message(Language::kEnglish, "common.and_more", {{"count", "3"}}), "(and 3 more)");
  EXPECT_EQ(Message(Language::kEnglish, "common.no_such_id"), "[[common.no_such_id]]");
  EXPECT_EQ(Render(Language::kDanish, Later("common.and_more", {{"count", "12"}})), "(og 12 mere)");
}

TEST(Language, AcceptLanguagePicksDanishOrEnglish) {
  EXPECT_EQ(ParseAcceptLanguage(""), Language::kDanish);
  EXPECT_EQ(ParseAcceptLanguage("en"), Language::kEnglish);
  EXPECT_EQ(ParseAcceptLanguage("EN-gb"), Language::kEnglish);
  EXPECT_EQ(ParseAcceptLanguage("da"), Language::kDanish);
  EXPECT_EQ(ParseAcceptLanguage("de, en;q=0.8, da;q=0.5"), Language::kEnglish);
  EXPECT_EQ(ParseAcceptLanguage("en;q=0.4, da;q=0.9"), Language::kDanish);
  EXPECT_EQ(ParseAcceptLanguage("en;q=0"), Language::kDanish);
  EXPECT_EQ(ParseAcceptLanguage("fr"), Language::kDanish);
  EXPECT_EQ(ParseAcceptLanguage("en;q=nonsense, da"), Language::kDanish);
  EXPECT_EQ(Code(Language::kEnglish), "en");
  EXPECT_EQ(Code(Language::kDanish), "da");
}

TEST(Numbers, DanishAndEnglishMarks) {
  EXPECT_EQ(Number(Language::kDanish, 1234.5, 1), "1.234,5");
  EXPECT_EQ(Number(Language::kEnglish, 1234.5, 1), "1,234.5");
  EXPECT_EQ(Number(Language::kDanish, 1234567, 0), "1.234.567");
  EXPECT_EQ(Number(Language::kDanish, 999, 0), "999");
  EXPECT_EQ(Number(Language::kDanish, 72.06349862187336, 1), "72,1");
  EXPECT_EQ(Integer(Language::kEnglish, -12000), "-12,000");
  EXPECT_EQ(Decimal(Language::kDanish, 2.50, 2), "2,5");
  EXPECT_EQ(Decimal(Language::kDanish, 3.0, 2), "3");
}

TEST(Numbers, NeverMinusZero) {
  EXPECT_EQ(Number(Language::kDanish, -0.0, 1), "0,0");
  EXPECT_EQ(Number(Language::kDanish, -0.04, 1), "0,0");
  EXPECT_EQ(Percent(Language::kDanish, -0.3), "0 %");
  EXPECT_EQ(Change(Language::kDanish, -0.0001, 1), "0");
  EXPECT_EQ(Change(Language::kEnglish, -0.04, 1), "0");
  EXPECT_EQ(Number(Language::kDanish, -0.06, 1), "-0,1");
}

TEST(Numbers, PercentAndChange) {
  EXPECT_EQ(Percent(Language::kDanish, 12.4), "12 %");
  EXPECT_EQ(Percent(Language::kEnglish, 12.4), "12%");
  EXPECT_EQ(Percent(Language::kDanish, 12.46, 1), "12,5 %");
  EXPECT_EQ(Change(Language::kDanish, 3.5, 1), "+3,5");
  EXPECT_EQ(Change(Language::kEnglish, -2, 1), "-2");
}

TEST(Numbers, Dates) {
  EXPECT_EQ(LongDate(Language::kDanish, absl::CivilDay(2026, 12, 3)), "3. december 2026");
  EXPECT_EQ(LongDate(Language::kEnglish, absl::CivilDay(2026, 12, 3)), "3 December 2026");
  EXPECT_EQ(ShortDate(Language::kDanish, absl::CivilDay(2026, 3, 9)), "09.03.2026");
  EXPECT_EQ(ShortDate(Language::kEnglish, absl::CivilDay(2026, 3, 9)), "2026-03-09");
}

TEST(EnumNames, FromTheProtoOptions) {
  EXPECT_EQ(EnumName(Language::kDanish, helhed::common::v1::LIFE_AREA_MASTER), "at mestre");
  EXPECT_EQ(EnumName(Language::kEnglish, helhed::common::v1::LIFE_AREA_MASTER), "to master");
  EXPECT_EQ(EnumName(Language::kDanish, static_cast<helhed::common::v1::LifeArea>(999)), "999");
}

// A violation made from a catalogue text reaches a gRPC caller in the
// caller's language; in process (logs) it reads English.
TEST(FieldViolationTexts, WrittenInTheCallersLanguage) {
  FieldViolations v;
  v.Add("plan.title", Later("common.and_more", {{"count", "2"}}));
  v.Add("plan.note", std::string("plain text stays"));
  const absl::Status status = v.ToStatus();
  EXPECT_EQ(status.message(),
            "invalid request: plan.title: (and 2 more); plan.note: plain text stays");

  for (auto [language, message, first] :
       {std::tuple(Language::kDanish,
                   "ugyldig forespørgsel: plan.title: (og 2 mere); plan.note: plain text stays",
                   "(og 2 mere)"),
        std::tuple(Language::kEnglish,
                   "invalid request: plan.title: (and 2 more); plan.note: plain text stays",
                   "(and 2 more)")}) {
    const grpc::Status g = ToGrpcStatus(status, language);
    EXPECT_EQ(g.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(g.error_message(), message);
    google::rpc::Status details;
    ASSERT_TRUE(details.ParseFromString(g.error_details()));
    google::rpc::BadRequest bad;
    ASSERT_EQ(details.details_size(), 1);
    ASSERT_TRUE(details.details(0).UnpackTo(&bad));
    ASSERT_EQ(bad.field_violations_size(), 2);
    EXPECT_EQ(bad.field_violations(0).field(), "plan.title");
    EXPECT_EQ(bad.field_violations(0).description(), first);
    EXPECT_EQ(bad.field_violations(1).description(), "plain text stays");
  }
}

TEST(FieldViolationTexts, CountOfUnlistedViolationsSurvivesTranslation) {
  FieldViolations v;
  for (int i = 0; i < 150; ++i) {
    v.Add(absl::StrCat("items[", i, "]"), Later("common.and_more", {{"count", "1"}}));
  }
  const grpc::Status g = ToGrpcStatus(v.ToStatus(), Language::kDanish);
  EXPECT_NE(g.error_message().find("mere)"), std::string::npos);
  // The message names how many are not in it: 150 in all.
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(g.error_details()));
  google::rpc::BadRequest bad;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad));
  const std::string message = g.error_message();
  const size_t listed_in_message =
      static_cast<size_t>(std::count(message.begin(), message.end(), ';')) + 1;
  EXPECT_NE(message.find(absl::StrCat(") (og ", 150 - listed_in_message, " mere)")),
            std::string::npos)
      << message;
}

// An error made from a catalogue text: English in process, the caller's
// language on the wire; INTERNAL never shows its text.
TEST(TextErrors, WrittenInTheCallersLanguage) {
  const absl::Status status =
      TextError(absl::StatusCode::kFailedPrecondition, Later("common.and_more", {{"count", "4"}}));
  EXPECT_EQ(status.message(), "(and 4 more)");
  EXPECT_EQ(ToGrpcStatus(status, Language::kDanish).error_message(), "(og 4 mere)");
  EXPECT_EQ(ToGrpcStatus(status, Language::kEnglish).error_message(), "(and 4 more)");
  EXPECT_EQ(ToGrpcStatus(status, Language::kDanish).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  const absl::Status internal =
      TextError(absl::StatusCode::kInternal, Later("common.and_more", {{"count", "4"}}));
  EXPECT_EQ(ToGrpcStatus(internal, Language::kDanish).error_message(), "internal error");
}

}  // namespace
}  // namespace helhed::i18n
