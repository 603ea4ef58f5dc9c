// Every value of every Helhed enum has a Danish and an English name
// (helhed.common.v1.name_da / name_en on the value, read by clients through
// reflection or the descriptor set, and by the services' reports), and no
// two values of one enum share a name in either language. The enums are
// found by walking the generated descriptors from each service's API file
// and their imports, so a new enum or a new imported file is covered
// without touching this test; a proto file under proto/helhed that the walk
// does not reach fails the test.
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "helhed/common/v1/common.pb.h"
#include "helhed/gateway/v1/gateway_service.pb.h"
#include "helhed/guides/v1/guides_service.pb.h"
#include "helhed/housing/v1/housing_service.pb.h"
#include "helhed/plans/v1/plans_service.pb.h"
#include "helhed/volunteers/v1/volunteers_service.pb.h"

namespace helhed {
namespace {

namespace pb = ::google::protobuf;
namespace cv1 = ::helhed::common::v1;

// One message of each service's API file: taking its descriptor links the
// generated file (and, through it, its imports) into this binary.
std::vector<const pb::FileDescriptor*> Roots() {
  return {
      plans::v1::CreatePolicyRequest::descriptor()->file(),
      volunteers::v1::CreateOrganisationRequest::descriptor()->file(),
      guides::v1::CreateGuideRequest::descriptor()->file(),
      housing::v1::CreateUnitRequest::descriptor()->file(),
      gateway::v1::GetCitizenOverviewRequest::descriptor()->file(),
  };
}

// Every helhed/ file reachable from the roots, by name.
std::map<std::string, const pb::FileDescriptor*> HelhedFiles() {
  std::map<std::string, const pb::FileDescriptor*> files;
  std::vector<const pb::FileDescriptor*> todo = Roots();
  while (!todo.empty()) {
    const pb::FileDescriptor* f = todo.back();
    todo.pop_back();
    if (!absl::StartsWith(f->name(), "helhed/") || !files.emplace(f->name(), f).second) continue;
    for (int i = 0; i < f->dependency_count(); ++i) todo.push_back(f->dependency(i));
  }
  return files;
}

void AddNested(const pb::Descriptor* m, std::vector<const pb::EnumDescriptor*>& out) {
  for (int i = 0; i < m->enum_type_count(); ++i) out.push_back(m->enum_type(i));
  for (int i = 0; i < m->nested_type_count(); ++i) AddNested(m->nested_type(i), out);
}

// Every enum of every helhed/ file, top-level and nested.
std::vector<const pb::EnumDescriptor*> HelhedEnums() {
  std::vector<const pb::EnumDescriptor*> out;
  for (const auto& [name, f] : HelhedFiles()) {
    for (int i = 0; i < f->enum_type_count(); ++i) out.push_back(f->enum_type(i));
    for (int i = 0; i < f->message_type_count(); ++i) AddNested(f->message_type(i), out);
  }
  return out;
}

TEST(EnumNamesTest, TheWalkReachesEveryApiFile) {
  const auto files = HelhedFiles();
  std::vector<std::string> missing;
  const std::filesystem::path root = std::filesystem::path(HELHED_SOURCE_DIR) / "proto";
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root / "helhed")) {
    if (entry.path().extension() != ".proto") continue;
    const std::string name = std::filesystem::relative(entry.path(), root).generic_string();
    if (!files.count(name)) missing.push_back(name);
  }
  EXPECT_TRUE(missing.empty()) << "not reached from Roots() in " << __FILE__
                               << " (add a message of the new API file): "
                               << absl::StrJoin(missing, ", ");
  EXPECT_GE(files.size(), 10u);
}

TEST(EnumNamesTest, EveryValueHasADanishAndAnEnglishName) {
  const auto enums = HelhedEnums();
  ASSERT_GE(enums.size(), 40u) << "the walk found too few enums to be the Helhed API";
  int values = 0;
  for (const pb::EnumDescriptor* e : enums) {
    for (int i = 0; i < e->value_count(); ++i) {
      const pb::EnumValueDescriptor* v = e->value(i);
      ++values;
      EXPECT_FALSE(v->options().GetExtension(cv1::name_da).empty())
          << e->full_name() << "." << v->name() << " has no (helhed.common.v1.name_da)";
      EXPECT_FALSE(v->options().GetExtension(cv1::name_en).empty())
          << e->full_name() << "." << v->name() << " has no (helhed.common.v1.name_en)";
    }
  }
  EXPECT_GE(values, 250);
}

TEST(EnumNamesTest, NoTwoValuesOfOneEnumShareAName) {
  for (const pb::EnumDescriptor* e : HelhedEnums()) {
    std::map<std::string, std::string> da;
    std::map<std::string, std::string> en;
    for (int i = 0; i < e->value_count(); ++i) {
      const pb::EnumValueDescriptor* v = e->value(i);
      for (auto [language, seen, name] :
           {std::tuple{"Danish", &da, v->options().GetExtension(cv1::name_da)},
            std::tuple{"English", &en, v->options().GetExtension(cv1::name_en)}}) {
        if (name.empty()) continue;  // reported by the test above
        auto [it, fresh] = seen->emplace(name, v->name());
        EXPECT_TRUE(fresh) << e->full_name() << ": " << it->second << " and " << v->name()
                           << " share the " << language << " name \"" << name << "\"";
      }
    }
  }
}

// The names a caseworker reads for the life areas and the shelter place:
// the words of the municipal policies, reachable through reflection.
TEST(EnumNamesTest, NamesAreTheWordsOfThePolicies) {
  const auto name = [](const pb::EnumValueDescriptor* v) {
    return absl::StrCat(v->options().GetExtension(cv1::name_da), " / ",
                        v->options().GetExtension(cv1::name_en));
  };
  const pb::EnumDescriptor* life_area = cv1::LifeArea_descriptor();
  EXPECT_EQ(name(life_area->FindValueByNumber(cv1::LIFE_AREA_MASTER)), "at mestre / to master");
  EXPECT_EQ(name(life_area->FindValueByNumber(cv1::LIFE_AREA_BE)), "at være / to be");
  EXPECT_EQ(name(life_area->FindValueByNumber(cv1::LIFE_AREA_LIVE)), "at bo / to live");
  EXPECT_EQ(name(life_area->FindValueByNumber(cv1::LIFE_AREA_UNSPECIFIED)),
            "uoplyst / unspecified");
  const pb::EnumValueDescriptor* shelter =
      housing::v1::UnitType_descriptor()->FindValueByNumber(housing::v1::UNIT_TYPE_SHELTER_110);
  ASSERT_NE(shelter, nullptr);
  EXPECT_EQ(name(shelter), "§110 forsorgshjem / §110 shelter");
}

}  // namespace
}  // namespace helhed
