// The human part of field violations in Danish and English: every
// validation.* message of the catalogue renders in both languages, the
// shared Validator's texts come out in the caller's language over
// ToGrpcStatus, and no validation description is written as a plain string
// in the sources any more (common/i18n/catalogue/{da,en}/validation.txt).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/i18n/catalogue.h"
#include "common/i18n/language.h"
#include "common/status/field_violations.h"
#include "common/status/grpc_status.h"
#include "common/status/validation.h"
#include "common/store/paging.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace helhed {
namespace {

using i18n::Language;

std::vector<std::string> ValidationIds(Language language) {
  std::vector<std::string> out;
  for (const std::string& id : i18n::MessageIds(language)) {
    if (absl::StartsWith(id, "validation.")) out.push_back(id);
  }
  return out;
}

// Each placeholder of `id` given the value "<name>-value".
i18n::Text WithEveryArgument(const std::string& id) {
  i18n::Text text{id, {}};
  static const std::regex kPlaceholder(R"(\{([a-z0-9_]+)\})");
  const std::string* t = i18n::Template(Language::kEnglish, id);
  if (t == nullptr) return text;
  for (std::sregex_iterator it(t->begin(), t->end(), kPlaceholder), end; it != end; ++it) {
    text.args.emplace_back((*it)[1], absl::StrCat((*it)[1].str(), "-value"));
  }
  return text;
}

TEST(ValidationMessages, EveryOneRendersInBothLanguagesWithItsArguments) {
  const std::vector<std::string> da = ValidationIds(Language::kDanish);
  const std::vector<std::string> en = ValidationIds(Language::kEnglish);
  // The catalogue holds the validation texts, the same ids in both files.
  ASSERT_GE(da.size(), 60u);
  EXPECT_EQ(std::set<std::string>(da.begin(), da.end()),
            std::set<std::string>(en.begin(), en.end()));
  std::vector<std::string> problems;
  for (const std::string& id : da) {
    const i18n::Text text = WithEveryArgument(id);
    const std::string danish = i18n::Render(Language::kDanish, text);
    const std::string english = i18n::Render(Language::kEnglish, text);
    for (const std::string* s : {&danish, &english}) {
      if (s->empty() || absl::StrContains(*s, "[[") || absl::StrContains(*s, "{")) {
        problems.push_back(absl::StrCat(id, ": \"", *s, "\""));
      }
    }
    for (const auto& [name, value] : text.args) {
      if (!absl::StrContains(danish, value) || !absl::StrContains(english, value)) {
        problems.push_back(absl::StrCat(id, ": argument ", name, " not shown"));
      }
    }
    // A Danish text that is the English one was not translated.
    if (danish == english) problems.push_back(absl::StrCat(id, ": the same in da and en"));
  }
  EXPECT_TRUE(problems.empty()) << absl::StrJoin(problems, "\n");
}

TEST(ValidationMessages, DanishAsAnAuthorityWritesIt) {
  auto da = [](absl::string_view id, std::initializer_list<i18n::Arg> args = {}) {
    return i18n::Message(Language::kDanish, id, args);
  };
  EXPECT_EQ(da("validation.field.required"), "skal udfyldes");
  EXPECT_EQ(da("validation.text.max_chars", {{"max", "200"}}), "må højst være 200 tegn");
  EXPECT_EQ(da("validation.field.duplicate"), "findes allerede på listen");
  EXPECT_EQ(da("validation.list.max_items", {{"max", "20"}}), "må højst have 20 elementer");
  EXPECT_EQ(da("validation.number.between", {{"min", "1"}, {"max", "5"}}),
            "skal være mellem 1 og 5");
  EXPECT_EQ(da("validation.etag.required"), "skal udfyldes: send den etag, du sidst har læst");
  EXPECT_EQ(da("validation.postcode.danish"),
            "skal være et dansk postnummer på fire cifre, 1000-9999, fx \"8900\"");
  // A Danish decimal comma where the text itself has a decimal.
  EXPECT_EQ(da("validation.number.hours"), "skal være mellem 0,25 og 24");
}

// The Validator's checks, as a caller sees them over gRPC.
google::rpc::BadRequest BadRequestOf(const grpc::Status& s) {
  google::rpc::Status details;
  google::rpc::BadRequest bad;
  EXPECT_TRUE(details.ParseFromString(s.error_details()));
  EXPECT_EQ(details.details_size(), 1);
  if (details.details_size() == 1) {
    EXPECT_TRUE(details.details(0).UnpackTo(&bad));
  }
  return bad;
}

absl::Status SomeBadPolicy() {
  FieldViolations v;
  Validator c(v);
  c.Title("policy.title", "   ");
  c.Line("policy.owner", std::string(201, 'x'), 200);
  helhed::common::v1::YearPeriod period;
  period.set_start_year(2026);
  period.set_end_year(2023);
  c.Period("policy.period", true, period, true);
  c.Range("policy.position", 2000, 0, 1000);
  return v.ToStatus();
}

TEST(ValidationMessages, ValidatorTextsTravelInTheCallersLanguage) {
  const absl::Status status = SomeBadPolicy();
  // In process: English, as in the logs.
  ASSERT_EQ(FieldViolationsOf(status).size(), 4u);
  EXPECT_EQ(FieldViolationsOf(status)[0].description, "is required");
  EXPECT_EQ(status.message(),
            "invalid request: policy.title: is required; policy.owner: must be at most 200 "
            "characters; policy.period.end_year: must not be before start_year; "
            "policy.position: must be between 0 and 1000");

  const grpc::Status danish = ToGrpcStatus(status);  // no language asked: Danish
  const google::rpc::BadRequest da = BadRequestOf(danish);
  ASSERT_EQ(da.field_violations_size(), 4);
  EXPECT_EQ(da.field_violations(0).field(), "policy.title");
  EXPECT_EQ(da.field_violations(0).description(), "skal udfyldes");
  EXPECT_EQ(da.field_violations(1).field(), "policy.owner");
  EXPECT_EQ(da.field_violations(1).description(), "må højst være 200 tegn");
  EXPECT_EQ(da.field_violations(2).field(), "policy.period.end_year");
  EXPECT_EQ(da.field_violations(2).description(), "må ikke ligge før start_year");
  EXPECT_EQ(da.field_violations(3).description(), "skal være mellem 0 og 1000");
  EXPECT_EQ(danish.error_message(),
            "ugyldig forespørgsel: policy.title: skal udfyldes; policy.owner: må højst være 200 "
            "tegn; policy.period.end_year: må ikke ligge før start_year; policy.position: skal "
            "være mellem 0 og 1000");

  const grpc::Status english = ToGrpcStatus(status, Language::kEnglish);
  const google::rpc::BadRequest en = BadRequestOf(english);
  ASSERT_EQ(en.field_violations_size(), 4);
  EXPECT_EQ(en.field_violations(0).description(), "is required");
  EXPECT_EQ(en.field_violations(1).description(), "must be at most 200 characters");
  EXPECT_EQ(en.field_violations(2).description(), "must not be before start_year");
  EXPECT_EQ(english.error_message(), std::string(status.message()));
}

TEST(ValidationMessages, PagingErrorsInBothLanguages) {
  const absl::StatusOr<int> size = store::PageSize(100000, "page.page_size");
  ASSERT_FALSE(size.ok());
  EXPECT_EQ(FieldViolationsOf(size.status())[0].description,
            absl::StrCat("must be between 1 and ", store::kMaxPageSize, " (0 for ",
                         store::kDefaultPageSize, ")"));
  const google::rpc::BadRequest da = BadRequestOf(ToGrpcStatus(size.status(), Language::kDanish));
  ASSERT_EQ(da.field_violations_size(), 1);
  EXPECT_EQ(da.field_violations(0).field(), "page.page_size");
  EXPECT_EQ(da.field_violations(0).description(),
            absl::StrCat("skal være mellem 1 og ", store::kMaxPageSize, " (0 giver ",
                         store::kDefaultPageSize, ")"));
}

// The second argument of each FieldViolations::Add / Validator::Add /
// InvalidField call in `text` that is a plain string (a literal or a
// StrCat of one) rather than a catalogue text.
std::vector<std::string> PlainDescriptions(const std::string& text) {
  std::vector<std::string> out;
  static const std::regex kCall(R"((?:\bInvalidField|[\w\)\]]\.Add)\()");
  for (std::sregex_iterator it(text.begin(), text.end(), kCall), end; it != end; ++it) {
    size_t i = static_cast<size_t>(it->position() + it->length());
    int depth = 0;
    size_t comma = std::string::npos;
    for (; i < text.size(); ++i) {
      const char ch = text[i];
      if (ch == '"') {  // skip the literal
        for (++i; i < text.size() && text[i] != '"'; ++i) {
          if (text[i] == '\\') ++i;
        }
      } else if (ch == '\'') {
        for (++i; i < text.size() && text[i] != '\''; ++i) {
          if (text[i] == '\\') ++i;
        }
      } else if (ch == '(' || ch == '{' || ch == '[') {
        ++depth;
      } else if (ch == ')' || ch == '}' || ch == ']') {
        if (depth-- == 0) break;
      } else if (ch == ',' && depth == 0) {
        comma = i;
        break;
      }
    }
    if (comma == std::string::npos) continue;
    size_t start = text.find_first_not_of(" \t\n", comma + 1);
    if (start == std::string::npos) continue;
    const std::string rest = text.substr(start, 40);
    if (rest[0] == '"' || absl::StartsWith(rest, "absl::StrCat(\"") ||
        absl::StartsWith(rest, "std::string(\"")) {
      const size_t line = std::count(text.begin(), text.begin() + start, '\n') + 1;
      out.push_back(absl::StrCat(line, ": ", rest.substr(0, rest.find('\n'))));
    }
  }
  return out;
}

TEST(ValidationMessages, FindsAPlainDescription) {
  EXPECT_EQ(PlainDescriptions("v.Add(\"etag\", \"is required\");").size(), 1u);
  EXPECT_EQ(PlainDescriptions("c.Add(f,\n  absl::StrCat(\"must be \", n));").size(), 1u);
  EXPECT_EQ(PlainDescriptions("return InvalidField(kField, \"bad\");").size(), 1u);
  EXPECT_TRUE(
      PlainDescriptions("v.Add(absl::StrCat(\"a[\", i, \"]\"), i18n::Later(\"x.y.z\"));").empty());
  EXPECT_TRUE(PlainDescriptions("latency.Add({{\"backend\", b->name}}, Buckets{1, 2});").empty());
}

TEST(ValidationMessages, NoPlainDescriptionLeftInTheSources) {
  std::vector<std::string> found;
  int files = 0;
  for (const char* dir : {"common", "services"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(
             std::filesystem::path(HELHED_SOURCE_DIR) / dir)) {
      const std::string ext = entry.path().extension().string();
      if (ext != ".cc" && ext != ".h") continue;
      const std::string rel = std::filesystem::relative(entry.path(), HELHED_SOURCE_DIR).string();
      // Where the plain-string overloads are defined.
      if (absl::StartsWith(rel, "common/status/field_violations") ||
          rel == "common/status/grpc_status.cc") {
        continue;
      }
      std::ifstream in(entry.path());
      std::stringstream buf;
      buf << in.rdbuf();
      ++files;
      for (const std::string& hit : PlainDescriptions(buf.str())) {
        found.push_back(absl::StrCat(rel, ":", hit));
      }
    }
  }
  EXPECT_GT(files, 50);
  EXPECT_TRUE(found.empty()) << absl::StrJoin(found, "\n");
}

}  // namespace
}  // namespace helhed
