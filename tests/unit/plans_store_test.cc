// Tests of services/plans/plans_store against every backend in
// TestBackends(), with the real plans migrations: resource CRUD with etags,
// request-id idempotency, municipality scoping, list filters and keyset
// pagination, dated entries, yearly focus, the status report, stale items
// and the count of active goals.
#include "services/plans/plans_store.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/status/field_violations.h"
#include "common/status/status_macros.h"
#include "common/store/database.h"
#include "common/store/paging.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "services/plans/domain/list_filters.h"
#include "tests/support/test_store.h"

namespace helhed::store {
const std::vector<MigrationFile>& PlansMigrations();
}  // namespace helhed::store

namespace helhed::plans {
namespace {

using google::protobuf::FieldMask;
using google::protobuf::util::MessageDifferencer;
using google::protobuf::util::TimeUtil;
using helhed::common::v1::LIFE_AREA_BE;
using helhed::common::v1::LIFE_AREA_LIVE;
using helhed::common::v1::LIFE_AREA_MASTER;
using helhed::common::v1::RESOURCE_STATE_ACTIVE;
using helhed::common::v1::RESOURCE_STATE_ARCHIVED;
using helhed::common::v1::TARGET_GROUP_ADHD;
using helhed::common::v1::TARGET_GROUP_AUTISM;
using helhed::common::v1::TARGET_GROUP_HOMELESSNESS;
using helhed::testing::AllBackends;
using helhed::testing::Backend;
using helhed::testing::BackendName;
using helhed::testing::NewStoreUrl;

constexpr char kMuni[] = "730";
constexpr char kOther[] = "101";

google::type::Date MakeDate(int y, int m, int d) {
  google::type::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

absl::Time Day(int y, int m, int d) {
  return absl::FromCivil(absl::CivilDay(y, m, d), absl::UTCTimeZone());
}

FieldMask Mask(std::initializer_list<const char*> paths) {
  FieldMask m;
  for (const char* p : paths) {
    m.add_paths(p);
  }
  return m;
}

std::vector<std::string> BadFields(const absl::Status& s) {
  std::vector<std::string> out;
  for (const auto& f : FieldViolationsOf(s)) {
    out.push_back(f.field);
  }
  return out;
}

template <typename T>
std::vector<std::string> Ids(const std::vector<T>& items) {
  std::vector<std::string> out;
  for (const auto& i : items) {
    out.push_back(i.id());
  }
  return out;
}

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// ---------------------------------------------------------------------------
// Resource builders.

v1::Policy NewPolicy(const std::string& title, int start = 2023, int end = 2026) {
  v1::Policy p;
  p.set_title(title);
  p.mutable_period()->set_start_year(start);
  p.mutable_period()->set_end_year(end);
  return p;
}

v1::Plan NewPlan(const std::string& policy_id, const std::string& title, int start = 2023,
                 int end = 2026, std::vector<helhed::common::v1::TargetGroup> groups = {}) {
  v1::Plan p;
  p.set_policy_id(policy_id);
  p.set_title(title);
  p.mutable_period()->set_start_year(start);
  p.mutable_period()->set_end_year(end);
  for (auto g : groups) {
    p.add_target_groups(g);
  }
  return p;
}

v1::Track NewTrack(const std::string& plan_id, const std::string& title) {
  v1::Track t;
  t.set_plan_id(plan_id);
  t.set_title(title);
  return t;
}

v1::InitiativeArea NewArea(const std::string& plan_id, const std::string& title,
                           const std::string& track_id = "", int position = 0) {
  v1::InitiativeArea a;
  a.set_plan_id(plan_id);
  a.set_track_id(track_id);
  a.set_title(title);
  a.set_position(position);
  return a;
}

v1::Activity NewActivity(const std::string& area_id, const std::string& title,
                         v1::ActivityStatus status = v1::ACTIVITY_STATUS_PLANNED) {
  v1::Activity a;
  a.set_initiative_area_id(area_id);
  a.set_title(title);
  a.set_status(status);
  return a;
}

v1::Indicator NewIndicator(const std::string& plan_id, const std::string& area_id,
                           v1::IndicatorDirection dir, double baseline, double target) {
  v1::Indicator i;
  i.set_plan_id(plan_id);
  i.set_initiative_area_id(area_id);
  i.set_title("Indikator");
  i.set_direction(dir);
  *i.mutable_baseline()->mutable_date() = MakeDate(2023, 1, 1);
  i.mutable_baseline()->set_value(baseline);
  *i.mutable_target()->mutable_date() = MakeDate(2026, 12, 31);
  i.mutable_target()->set_value(target);
  return i;
}

v1::CitizenPlan NewCitizenPlan(const std::string& citizen) {
  v1::CitizenPlan c;
  c.set_citizen_id(citizen);
  c.set_hopes("Egen bolig");
  return c;
}

v1::Goal NewGoal(const std::string& citizen_plan_id, const std::string& area_id,
                 helhed::common::v1::LifeArea life_area = LIFE_AREA_LIVE) {
  v1::Goal g;
  g.set_citizen_plan_id(citizen_plan_id);
  g.set_initiative_area_id(area_id);
  g.set_description("Handle ind selv");
  g.set_life_area(life_area);
  return g;
}

v1::Action NewAction(const std::string& goal_id, v1::ActionPerformer performer) {
  v1::Action a;
  a.set_goal_id(goal_id);
  a.set_description("Øve indkøb");
  a.set_performer(performer);
  return a;
}

// ---------------------------------------------------------------------------
// Fixture

class PlansStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    HELHED_SKIP_UNLESS_ENABLED(GetParam());
    auto url = NewStoreUrl(GetParam());
    ASSERT_TRUE(url.ok()) << url.status();
    auto db = store::Database::Open(*url, store::StoreOptions());
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    absl::Status migrated = db_->Migrate(store::PlansMigrations());
    ASSERT_TRUE(migrated.ok()) << migrated;
    tokens_ = std::make_unique<store::PageTokens>("plans-store-test-key");
    SetNow(absl::FromCivil(absl::CivilSecond(2024, 3, 1, 12, 0, 0), absl::UTCTimeZone()));
    store_ = std::make_unique<PlansStore>(db_.get(), tokens_.get(), [this] {
      absl::MutexLock lock(&clock_mu_);
      return now_;
    });
  }

  void SetNow(absl::Time t) {
    absl::MutexLock lock(&clock_mu_);
    now_ = t;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&clock_mu_);
    now_ += d;
  }

  // Creates `r`; on failure records it and returns an empty resource.
  template <typename T>
  T Make(const T& r, const std::string& request_id = "", const std::string& muni = kMuni) {
    T out;
    absl::Status s = store_->Create(muni, r, request_id, &out);
    EXPECT_TRUE(s.ok()) << s << " creating " << r.ShortDebugString();
    return out;
  }

  template <typename T>
  absl::StatusOr<T> Get(const std::string& id, const std::string& muni = kMuni) {
    T out;
    HELHED_RETURN_IF_ERROR(store_->Get(muni, id, &out));
    return out;
  }

  // Every item of a list, following next_page_token to the end.
  template <typename T>
  absl::StatusOr<std::vector<T>> ListAll(const ListFilter& f, int page_size = 500,
                                         const std::string& muni = kMuni) {
    std::vector<T> out;
    std::string token;
    for (int pages = 0;; ++pages) {
      if (pages > 1000) {
        return absl::InternalError("paging does not end");
      }
      google::protobuf::RepeatedPtrField<T> items;
      std::string next;
      Page page;
      page.size = page_size;
      page.token = token;
      HELHED_RETURN_IF_ERROR(store_->List(muni, f, page, &items, &next));
      if (static_cast<int>(items.size()) > page_size) {
        return absl::InternalError("page larger than page_size");
      }
      for (const auto& i : items) {
        out.push_back(i);
      }
      if (next.empty()) {
        return out;
      }
      token = next;
    }
  }

  template <typename T>
  std::vector<std::string> ListIds(const ListFilter& f, const std::string& muni = kMuni) {
    auto items = ListAll<T>(f, 500, muni);
    EXPECT_TRUE(items.ok()) << items.status();
    return items.ok() ? Ids(*items) : std::vector<std::string>{"<error>"};
  }

  // A policy, a plan and one initiative area in kMuni.
  struct Tree {
    v1::Policy policy;
    v1::Plan plan;
    v1::Track track;
    v1::InitiativeArea area;
  };
  Tree MakeTree(const std::string& muni = kMuni) {
    Tree t;
    t.policy = Make(NewPolicy("Politik for borgere med særlige behov"), "", muni);
    t.plan = Make(NewPlan(t.policy.id(), "Voksenhandicapplan", 2023, 2026), "", muni);
    t.track = Make(NewTrack(t.plan.id(), "Engagement i dig"), "", muni);
    t.area = Make(NewArea(t.plan.id(), "Bolig", t.track.id()), "", muni);
    return t;
  }

  absl::StatusOr<v1::AddActivityProgressResponse> Progress(
      const std::string& activity_id, const google::type::Date& d, const std::string& note,
      v1::ActivityStatus new_status = v1::ACTIVITY_STATUS_UNSPECIFIED,
      const std::string& request_id = "", const std::string& muni = kMuni) {
    v1::AddActivityProgressRequest req;
    req.set_activity_id(activity_id);
    *req.mutable_progress()->mutable_update_date() = d;
    req.mutable_progress()->set_note(note);
    req.mutable_progress()->set_new_status(new_status);
    req.set_idempotency_key(request_id);
    v1::AddActivityProgressResponse resp;
    HELHED_RETURN_IF_ERROR(store_->AddProgress(muni, "caseworker-7", req, &resp));
    return resp;
  }

  absl::StatusOr<v1::RecordMeasurementResponse> Measure(const std::string& indicator_id,
                                                        const google::type::Date& d, double value,
                                                        const std::string& request_id = "") {
    v1::RecordMeasurementRequest req;
    req.set_indicator_id(indicator_id);
    *req.mutable_measurement()->mutable_value()->mutable_date() = d;
    req.mutable_measurement()->mutable_value()->set_value(value);
    req.set_idempotency_key(request_id);
    v1::RecordMeasurementResponse resp;
    HELHED_RETURN_IF_ERROR(store_->RecordMeasurement(kMuni, req, &resp));
    return resp;
  }

  absl::StatusOr<v1::AddAssessmentResponse> Assess(const std::string& goal_id,
                                                   v1::GoalOutcome outcome,
                                                   const std::string& request_id = "") {
    v1::AddAssessmentRequest req;
    req.set_goal_id(goal_id);
    *req.mutable_assessment()->mutable_assessment_date() = MakeDate(2024, 3, 1);
    req.mutable_assessment()->set_score(3);
    req.mutable_assessment()->set_outcome(outcome);
    req.set_idempotency_key(request_id);
    v1::AddAssessmentResponse resp;
    HELHED_RETURN_IF_ERROR(store_->AddAssessment(kMuni, req, &resp));
    return resp;
  }

  absl::StatusOr<v1::CountActiveGoalsResponse> CountGoals(const std::string& area_id,
                                                          const std::string& muni = kMuni) {
    v1::CountActiveGoalsResponse resp;
    HELHED_RETURN_IF_ERROR(store_->CountActiveGoals(muni, area_id, &resp));
    return resp;
  }

  absl::StatusOr<v1::YearlyFocus> Focus(const std::string& plan_id, int year,
                                        std::vector<std::string> area_ids,
                                        const std::string& etag = "") {
    v1::YearlyFocus f;
    f.set_plan_id(plan_id);
    f.set_year(year);
    for (auto& id : area_ids) {
      f.add_initiative_area_ids(id);
    }
    f.set_etag(etag);
    v1::YearlyFocus out;
    HELHED_RETURN_IF_ERROR(store_->SetYearlyFocus(kMuni, f, &out));
    return out;
  }

  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::PageTokens> tokens_;
  std::unique_ptr<PlansStore> store_;
  absl::Mutex clock_mu_;
  absl::Time now_ ABSL_GUARDED_BY(clock_mu_);
};

// ---------------------------------------------------------------------------
// Create and get

TEST_P(PlansStoreTest, CreateTheHierarchyAndGetItBack) {
  const Tree t = MakeTree();
  const v1::Activity act = Make(NewActivity(t.area.id(), "Åbne værksteder"));
  const v1::Indicator ind =
      Make(NewIndicator(t.plan.id(), t.area.id(), v1::INDICATOR_DIRECTION_INCREASE, 10, 20));
  const std::set<std::string> ids = {t.policy.id(), t.plan.id(), t.track.id(),
                                     t.area.id(),   act.id(),    ind.id()};
  EXPECT_EQ(ids.size(), 6u);
  EXPECT_EQ(ids.count(""), 0u);

  EXPECT_EQ(act.plan_id(), t.plan.id());  // output only, set from the area
  EXPECT_EQ(act.state(), RESOURCE_STATE_ACTIVE);
  EXPECT_FALSE(act.etag().empty());
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(act.create_time()),
            absl::ToUnixMicros(Day(2024, 3, 1) + absl::Hours(12)));
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(act.update_time()),
            TimeUtil::TimestampToMicroseconds(act.create_time()));

  auto policy = Get<v1::Policy>(t.policy.id());
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_TRUE(MessageDifferencer::Equals(*policy, t.policy)) << policy->ShortDebugString();
  EXPECT_EQ(policy->title(), "Politik for borgere med særlige behov");
  auto plan = Get<v1::Plan>(t.plan.id());
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(MessageDifferencer::Equals(*plan, t.plan));
  auto area = Get<v1::InitiativeArea>(t.area.id());
  ASSERT_TRUE(area.ok());
  EXPECT_TRUE(MessageDifferencer::Equals(*area, t.area));
  auto got_act = Get<v1::Activity>(act.id());
  ASSERT_TRUE(got_act.ok());
  EXPECT_TRUE(MessageDifferencer::Equals(*got_act, act));
  auto got_ind = Get<v1::Indicator>(ind.id());
  ASSERT_TRUE(got_ind.ok());
  EXPECT_TRUE(MessageDifferencer::Equals(*got_ind, ind));
}

TEST_P(PlansStoreTest, BookkeepingFieldsOnInputAreIgnored) {
  v1::Policy p = NewPolicy("P");
  p.set_id("chosen-by-caller");
  p.set_etag("v99");
  p.set_state(RESOURCE_STATE_ARCHIVED);
  *p.mutable_create_time() = TimeUtil::SecondsToTimestamp(1);
  const v1::Policy made = Make(p);
  EXPECT_NE(made.id(), "chosen-by-caller");
  EXPECT_NE(made.etag(), "v99");
  EXPECT_EQ(made.state(), RESOURCE_STATE_ACTIVE);
  EXPECT_NE(TimeUtil::TimestampToSeconds(made.create_time()), 1);
  EXPECT_EQ(Get<v1::Policy>("chosen-by-caller").status().code(), absl::StatusCode::kNotFound);

  const Tree t = MakeTree();
  v1::Activity a = NewActivity(t.area.id(), "A");
  a.set_plan_id("forged-plan");
  *a.mutable_last_progress_time() = TimeUtil::SecondsToTimestamp(5);
  const v1::Activity act = Make(a);
  EXPECT_EQ(act.plan_id(), t.plan.id());
  EXPECT_FALSE(act.has_last_progress_time());
}

TEST_P(PlansStoreTest, InvalidResourceIsRejectedWithEveryField) {
  v1::Plan p = NewPlan("", "", 2026, 2020);
  v1::Plan out;
  absl::Status s = store_->Create(kMuni, p, "", &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Sorted(BadFields(s)), Sorted({"plan.policy_id", "plan.title", "plan.period.end_year"}));
  v1::Policy policy_out;
  s = store_->Create(kMuni, NewPolicy("ok"), "has space", &policy_out);
  EXPECT_EQ(BadFields(s), std::vector<std::string>{"idempotency_key"});
}

TEST_P(PlansStoreTest, GetUnknownIdIsNotFoundAndBadIdIsInvalid) {
  EXPECT_EQ(Get<v1::Plan>("does-not-exist").status().code(), absl::StatusCode::kNotFound);
  auto bad = Get<v1::Plan>("'; DROP TABLE plans; --");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BadFields(bad.status()), std::vector<std::string>{"id"});
}

// ---------------------------------------------------------------------------
// References

TEST_P(PlansStoreTest, PlanWithMissingPolicyWritesNothing) {
  v1::Plan out;
  absl::Status s = store_->Create(kMuni, NewPlan("no-such-policy", "Plan"), "r1", &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_EQ(BadFields(s), std::vector<std::string>{"plan.policy_id"});
  ListFilter all;
  all.include_archived = true;
  EXPECT_TRUE(ListIds<v1::Plan>(all).empty());
  // The request id was not used up by the failed attempt.
  const v1::Policy pol = Make(NewPolicy("P"));
  const v1::Plan plan = Make(NewPlan(pol.id(), "Plan"), "r1");
  EXPECT_EQ(plan.policy_id(), pol.id());
  EXPECT_EQ(ListIds<v1::Plan>(all), std::vector<std::string>{plan.id()});
}

TEST_P(PlansStoreTest, ReferencesMustBeOfTheSamePlan) {
  const Tree a = MakeTree();
  const Tree b = MakeTree();
  v1::InitiativeArea out_area;
  absl::Status s = store_->Create(kMuni, NewArea(a.plan.id(), "X", b.track.id()), "", &out_area);
  EXPECT_EQ(BadFields(s), std::vector<std::string>{"initiative_area.track_id"}) << s;

  v1::Indicator out_ind;
  s = store_->Create(kMuni,
                     NewIndicator(a.plan.id(), b.area.id(), v1::INDICATOR_DIRECTION_INCREASE, 0, 1),
                     "", &out_ind);
  EXPECT_EQ(BadFields(s), std::vector<std::string>{"indicator.initiative_area_id"}) << s;

  v1::Activity out_act;
  s = store_->Create(kMuni, NewActivity("no-such-area", "A"), "", &out_act);
  EXPECT_EQ(BadFields(s), std::vector<std::string>{"activity.initiative_area_id"}) << s;

  v1::Goal out_goal;
  s = store_->Create(kMuni, NewGoal("no-such-citizen-plan", ""), "", &out_goal);
  EXPECT_EQ(BadFields(s), std::vector<std::string>{"goal.citizen_plan_id"}) << s;
}

TEST_P(PlansStoreTest, ArchivedParentRefusesChildren) {
  const Tree t = MakeTree();
  v1::InitiativeArea archived;
  ASSERT_TRUE(store_->Archive(kMuni, t.area.id(), t.area.etag(), &archived).ok());
  v1::Activity out;
  EXPECT_EQ(store_->Create(kMuni, NewActivity(t.area.id(), "A"), "", &out).code(),
            absl::StatusCode::kFailedPrecondition);
}

// ---------------------------------------------------------------------------
// Update

TEST_P(PlansStoreTest, UpdateAppliesOnlyTheMaskedFields) {
  const Tree t = MakeTree();
  Advance(absl::Hours(1));
  v1::Plan patch = t.plan;
  patch.set_title("Voksenhandicapplan 2023-2026");
  patch.set_mission("Ny mission");             // not in the mask
  patch.mutable_period()->set_end_year(2030);  // not in the mask
  v1::Plan updated;
  absl::Status s = store_->Update(kMuni, patch, Mask({"title"}), &updated);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(updated.title(), "Voksenhandicapplan 2023-2026");
  EXPECT_EQ(updated.mission(), "");
  EXPECT_EQ(updated.period().end_year(), 2026);
  EXPECT_NE(updated.etag(), t.plan.etag());
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(updated.update_time()),
            TimeUtil::TimestampToMicroseconds(t.plan.create_time()) + 3600 * 1000000LL);
  EXPECT_TRUE(MessageDifferencer::Equals(updated.create_time(), t.plan.create_time()));
  auto got = Get<v1::Plan>(t.plan.id());
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(MessageDifferencer::Equals(*got, updated)) << got->ShortDebugString();

  // The new etag works for the next update; each update changes it.
  patch = updated;
  patch.mutable_period()->set_end_year(2027);
  patch.set_mission("Alle skal have et godt liv");
  v1::Plan again;
  ASSERT_TRUE(store_->Update(kMuni, patch, Mask({"period", "mission"}), &again).ok());
  EXPECT_EQ(again.period().end_year(), 2027);
  EXPECT_EQ(again.mission(), "Alle skal have et godt liv");
  EXPECT_EQ(again.title(), "Voksenhandicapplan 2023-2026");
  EXPECT_NE(again.etag(), updated.etag());
  EXPECT_NE(again.etag(), t.plan.etag());
}

TEST_P(PlansStoreTest, StaleEtagIsRefusedAndChangesNothing) {
  const Tree t = MakeTree();
  v1::Plan first = t.plan;
  first.set_title("Første ændring");
  v1::Plan updated;
  ASSERT_TRUE(store_->Update(kMuni, first, Mask({"title"}), &updated).ok());

  v1::Plan stale = t.plan;  // still carries the original etag
  stale.set_title("Anden ændring");
  v1::Plan out;
  absl::Status s = store_->Update(kMuni, stale, Mask({"title"}), &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  auto got = Get<v1::Plan>(t.plan.id());
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(MessageDifferencer::Equals(*got, updated));
  EXPECT_EQ(got->title(), "Første ændring");

  stale.set_etag("");
  s = store_->Update(kMuni, stale, Mask({"title"}), &out);
  EXPECT_EQ(BadFields(s), std::vector<std::string>{"plan.etag"});
}

TEST_P(PlansStoreTest, MaskNamingFieldsThatCannotChangeIsInvalid) {
  const Tree t = MakeTree();
  const v1::Activity act = Make(NewActivity(t.area.id(), "A"));
  struct Case {
    std::vector<const char*> paths;
    std::vector<std::string> bad;
  };
  v1::Plan patch = t.plan;
  patch.set_title("changed");
  patch.set_policy_id("other");
  patch.set_id(t.plan.id());
  const Case cases[] = {
      {{"id"}, {"update_mask.paths[0]"}},
      {{"title", "policy_id"}, {"update_mask.paths[1]"}},
      {{"no_such_field"}, {"update_mask.paths[0]"}},
      {{"etag", "title", "create_time", "state"},
       {"update_mask.paths[0]", "update_mask.paths[2]", "update_mask.paths[3]"}},
      {{}, {"update_mask"}},
  };
  for (const auto& c : cases) {
    FieldMask m;
    for (const char* p : c.paths) {
      m.add_paths(p);
    }
    v1::Plan out;
    absl::Status s = store_->Update(kMuni, patch, m, &out);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << m.ShortDebugString();
    EXPECT_EQ(BadFields(s), c.bad) << m.ShortDebugString();
  }
  auto got = Get<v1::Plan>(t.plan.id());
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(MessageDifferencer::Equals(*got, t.plan));

  // Output-only and immutable fields of other kinds.
  v1::Activity ap = act;
  v1::Activity aout;
  for (const char* path : {"plan_id", "last_progress_time", "initiative_area_id"}) {
    absl::Status s = store_->Update(kMuni, ap, Mask({path}), &aout);
    EXPECT_EQ(BadFields(s), std::vector<std::string>{"update_mask.paths[0]"}) << path;
  }
}

TEST_P(PlansStoreTest, UpdateToAnInvalidResourceChangesNothing) {
  const Tree t = MakeTree();
  v1::Plan patch = t.plan;
  patch.set_title("");
  patch.mutable_period()->set_start_year(2030);
  v1::Plan out;
  absl::Status s = store_->Update(kMuni, patch, Mask({"title", "period"}), &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Sorted(BadFields(s)), Sorted({"plan.title", "plan.period.end_year"}));
  auto got = Get<v1::Plan>(t.plan.id());
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(MessageDifferencer::Equals(*got, t.plan));
}

TEST_P(PlansStoreTest, ConcurrentUpdatesWithOneEtagOnlyOneWins) {
  const Tree t = MakeTree();
  constexpr int kThreads = 6;
  std::atomic<int> ok{0};
  std::atomic<int> stale{0};
  std::atomic<int> other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      v1::Plan patch = t.plan;
      patch.set_title(absl::StrCat("Titel ", i));
      v1::Plan out;
      absl::Status s = store_->Update(kMuni, patch, Mask({"title"}), &out);
      if (s.ok()) {
        ++ok;
      } else if (s.code() == absl::StatusCode::kFailedPrecondition) {
        ++stale;
      } else {
        ++other;
        ADD_FAILURE() << s;
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(stale.load(), kThreads - 1);
  EXPECT_EQ(other.load(), 0);
}

// ---------------------------------------------------------------------------
// Archive

TEST_P(PlansStoreTest, ArchiveHidesFromListsAndFreezes) {
  const Tree t = MakeTree();
  const v1::Activity a1 = Make(NewActivity(t.area.id(), "A1"));
  const v1::Activity a2 = Make(NewActivity(t.area.id(), "A2"));
  v1::Activity out;
  EXPECT_EQ(store_->Archive(kMuni, a1.id(), "v999", &out).code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(store_->Archive(kMuni, a1.id(), a1.etag(), &out).ok());
  EXPECT_EQ(out.state(), RESOURCE_STATE_ARCHIVED);
  EXPECT_NE(out.etag(), a1.etag());
  ListFilter f;
  f.parent_id = t.area.id();
  EXPECT_EQ(ListIds<v1::Activity>(f), std::vector<std::string>{a2.id()});
  f.include_archived = true;
  EXPECT_EQ(ListIds<v1::Activity>(f), (std::vector<std::string>{a1.id(), a2.id()}));
  // An archived resource can still be read but not changed.
  auto got = Get<v1::Activity>(a1.id());
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->state(), RESOURCE_STATE_ARCHIVED);
  v1::Activity patch = *got;
  patch.set_title("x");
  EXPECT_EQ(store_->Update(kMuni, patch, Mask({"title"}), &out).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Progress(a1.id(), MakeDate(2024, 3, 1), "note").status().code(),
            absl::StatusCode::kFailedPrecondition);
}

// ---------------------------------------------------------------------------
// Idempotency

TEST_P(PlansStoreTest, CreateWithTheSameRequestIdTwiceCreatesOnce) {
  const v1::Policy first = Make(NewPolicy("Politik A"), "req-123");
  Advance(absl::Minutes(5));
  const v1::Policy second = Make(NewPolicy("Politik A"), "req-123");
  EXPECT_EQ(first.id(), second.id());
  EXPECT_TRUE(MessageDifferencer::Equals(first, second));
  // Even with a different body the first result stands.
  const v1::Policy third = Make(NewPolicy("Politik B"), "req-123");
  EXPECT_EQ(third.id(), first.id());
  EXPECT_EQ(third.title(), "Politik A");
  EXPECT_EQ(ListIds<v1::Policy>(ListFilter()), std::vector<std::string>{first.id()});
  // Without a request id every call creates.
  Make(NewPolicy("Politik C"));
  Make(NewPolicy("Politik C"));
  EXPECT_EQ(ListIds<v1::Policy>(ListFilter()).size(), 3u);
  // Request ids are per municipality.
  const v1::Policy elsewhere = Make(NewPolicy("Politik A"), "req-123", kOther);
  EXPECT_NE(elsewhere.id(), first.id());
  EXPECT_EQ(ListIds<v1::Policy>(ListFilter(), kOther), std::vector<std::string>{elsewhere.id()});
}

TEST_P(PlansStoreTest, ConcurrentCreatesWithOneRequestIdCreateOnce) {
  constexpr int kThreads = 6;
  std::vector<std::string> ids(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      v1::Policy out;
      absl::Status s = store_->Create(kMuni, NewPolicy("Samtidig"), "same-request", &out);
      EXPECT_TRUE(s.ok()) << s;
      ids[i] = out.id();
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  for (const auto& id : ids) {
    EXPECT_EQ(id, ids[0]);
  }
  EXPECT_FALSE(ids[0].empty());
  EXPECT_EQ(ListIds<v1::Policy>(ListFilter()), std::vector<std::string>{ids[0]});
}

// ---------------------------------------------------------------------------
// Municipality scoping

TEST_P(PlansStoreTest, AnotherMunicipalitySeesNothing) {
  const Tree t = MakeTree();
  const v1::Activity act = Make(NewActivity(t.area.id(), "A"));
  EXPECT_EQ(Get<v1::Policy>(t.policy.id(), kOther).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Get<v1::Plan>(t.plan.id(), kOther).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Get<v1::Activity>(act.id(), kOther).status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(ListIds<v1::Policy>(ListFilter(), kOther).empty());
  EXPECT_TRUE(ListIds<v1::Plan>(ListFilter(), kOther).empty());
  ListFilter by_area;
  by_area.parent_id = t.area.id();
  EXPECT_TRUE(ListIds<v1::Activity>(by_area, kOther).empty());
  EXPECT_EQ(ListIds<v1::Activity>(by_area), std::vector<std::string>{act.id()});

  v1::Plan patch = t.plan;
  patch.set_title("hijacked");
  v1::Plan out;
  EXPECT_EQ(store_->Update(kOther, patch, Mask({"title"}), &out).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->Archive(kOther, t.plan.id(), t.plan.etag(), &out).code(),
            absl::StatusCode::kNotFound);
  auto got = Get<v1::Plan>(t.plan.id());
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(MessageDifferencer::Equals(*got, t.plan));

  // References across municipalities do not resolve.
  v1::Plan cross;
  absl::Status s = store_->Create(kOther, NewPlan(t.policy.id(), "Cross"), "", &cross);
  EXPECT_EQ(BadFields(s), std::vector<std::string>{"plan.policy_id"});
  EXPECT_EQ(Progress(act.id(), MakeDate(2024, 3, 1), "x", v1::ACTIVITY_STATUS_COMPLETED, "", kOther)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(CountGoals(t.area.id(), kOther).status().code(), absl::StatusCode::kNotFound);
  v1::GetStatusReportRequest rr;
  rr.set_plan_id(t.plan.id());
  rr.set_year(2024);
  v1::GetStatusReportResponse report;
  EXPECT_EQ(store_->GetStatusReport(kOther, rr, i18n::Language::kDanish, &report).code(),
            absl::StatusCode::kNotFound);
  v1::ListStaleItemsResponse stale;
  EXPECT_EQ(store_->ListStaleItems(kOther, t.plan.id(), 30, &stale).code(),
            absl::StatusCode::kNotFound);
  v1::ListActivityProgressResponse progress;
  EXPECT_EQ(store_->ListProgress(kOther, act.id(), Page(), &progress).code(),
            absl::StatusCode::kNotFound);
  // The activity is untouched.
  auto a = Get<v1::Activity>(act.id());
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->status(), v1::ACTIVITY_STATUS_PLANNED);
}

// ---------------------------------------------------------------------------
// List filters

TEST_P(PlansStoreTest, ListPlansByPolicyYearAndTargetGroup) {
  const v1::Policy p1 = Make(NewPolicy("P1", 2018, 2030));
  const v1::Policy p2 = Make(NewPolicy("P2", 2018, 2030));
  const v1::Plan a = Make(NewPlan(p1.id(), "A", 2020, 2023, {TARGET_GROUP_AUTISM}));
  const v1::Plan b = Make(NewPlan(p1.id(), "B", 2024, 2027, {TARGET_GROUP_ADHD}));
  const v1::Plan c =
      Make(NewPlan(p2.id(), "C", 2022, 2025, {TARGET_GROUP_AUTISM, TARGET_GROUP_ADHD}));

  auto filter = [](v1::ListPlansRequest r) {
    auto f = FilterOf(r);
    EXPECT_TRUE(f.ok()) << f.status();
    return *f;
  };
  v1::ListPlansRequest r;
  r.set_policy_id(p1.id());
  EXPECT_EQ(ListIds<v1::Plan>(filter(r)), (std::vector<std::string>{a.id(), b.id()}));
  r.Clear();
  r.set_year(2023);
  EXPECT_EQ(ListIds<v1::Plan>(filter(r)), (std::vector<std::string>{a.id(), c.id()}));
  r.set_year(2024);
  EXPECT_EQ(ListIds<v1::Plan>(filter(r)), (std::vector<std::string>{b.id(), c.id()}));
  r.set_year(2019);
  EXPECT_TRUE(ListIds<v1::Plan>(filter(r)).empty());
  r.Clear();
  r.set_target_group(TARGET_GROUP_AUTISM);
  EXPECT_EQ(ListIds<v1::Plan>(filter(r)), (std::vector<std::string>{a.id(), c.id()}));
  r.set_target_group(TARGET_GROUP_HOMELESSNESS);
  EXPECT_TRUE(ListIds<v1::Plan>(filter(r)).empty());
  r.Clear();
  r.set_policy_id(p2.id());
  r.set_year(2025);
  r.set_target_group(TARGET_GROUP_ADHD);
  EXPECT_EQ(ListIds<v1::Plan>(filter(r)), std::vector<std::string>{c.id()});
  r.set_year(2026);
  EXPECT_TRUE(ListIds<v1::Plan>(filter(r)).empty());
}

TEST_P(PlansStoreTest, ListPoliciesByYear) {
  const v1::Policy old = Make(NewPolicy("Old", 2015, 2018));
  const v1::Policy now = Make(NewPolicy("Now", 2023, 2026));
  v1::ListPoliciesRequest r;
  r.set_year(2024);
  EXPECT_EQ(ListIds<v1::Policy>(*FilterOf(r)), std::vector<std::string>{now.id()});
  r.set_year(2018);
  EXPECT_EQ(ListIds<v1::Policy>(*FilterOf(r)), std::vector<std::string>{old.id()});
  EXPECT_EQ(ListIds<v1::Policy>(ListFilter()), (std::vector<std::string>{old.id(), now.id()}));
}

TEST_P(PlansStoreTest, ListInitiativeAreasByEveryFilter) {
  const Tree t = MakeTree();
  const v1::Track t2 = Make(NewTrack(t.plan.id(), "Spor 2"));
  v1::InitiativeArea a = NewArea(t.plan.id(), "A", t2.id());
  a.add_target_groups(TARGET_GROUP_AUTISM);
  a.add_life_areas(LIFE_AREA_MASTER);
  a.add_sdg_targets()->set_code("17.1");
  a.add_sdg_targets()->set_code("1.a");
  const v1::InitiativeArea area_a = Make(a);
  v1::InitiativeArea b = NewArea(t.plan.id(), "B");
  b.add_target_groups(TARGET_GROUP_ADHD);
  b.add_life_areas(LIFE_AREA_BE);
  b.add_life_areas(LIFE_AREA_MASTER);
  b.add_sdg_targets()->set_code("17.10");
  const v1::InitiativeArea area_b = Make(b);
  const Tree other = MakeTree();  // another plan

  auto ids = [&](v1::ListInitiativeAreasRequest r) {
    auto f = FilterOf(r);
    EXPECT_TRUE(f.ok()) << f.status();
    return ListIds<v1::InitiativeArea>(*f);
  };
  v1::ListInitiativeAreasRequest r;
  r.set_plan_id(t.plan.id());
  EXPECT_EQ(ids(r), (std::vector<std::string>{t.area.id(), area_a.id(), area_b.id()}));
  r.set_track_id(t2.id());
  EXPECT_EQ(ids(r), std::vector<std::string>{area_a.id()});
  r.Clear();
  r.set_target_group(TARGET_GROUP_AUTISM);
  EXPECT_EQ(ids(r), std::vector<std::string>{area_a.id()});
  r.Clear();
  r.set_life_area(LIFE_AREA_MASTER);
  EXPECT_EQ(ids(r), (std::vector<std::string>{area_a.id(), area_b.id()}));
  r.set_life_area(LIFE_AREA_LIVE);
  EXPECT_TRUE(ids(r).empty());
  r.Clear();
  r.set_sdg_target("17.1");
  EXPECT_EQ(ids(r), std::vector<std::string>{area_a.id()});  // not "17.10"
  r.set_sdg_target("1.a");
  EXPECT_EQ(ids(r), std::vector<std::string>{area_a.id()});
  r.set_sdg_target("17.10");
  EXPECT_EQ(ids(r), std::vector<std::string>{area_b.id()});
  r.set_sdg_target("3.4");
  EXPECT_TRUE(ids(r).empty());
  r.Clear();
  r.set_plan_id(other.plan.id());
  EXPECT_EQ(ids(r), std::vector<std::string>{other.area.id()});
}

TEST_P(PlansStoreTest, ListInitiativeAreasInTheYearsFocus) {
  const Tree t = MakeTree();
  const v1::InitiativeArea a2 = Make(NewArea(t.plan.id(), "A2"));
  const v1::InitiativeArea a3 = Make(NewArea(t.plan.id(), "A3"));
  ASSERT_TRUE(Focus(t.plan.id(), 2024, {a3.id(), t.area.id()}).ok());
  v1::ListInitiativeAreasRequest r;
  r.set_plan_id(t.plan.id());
  r.set_focus_year(2024);
  EXPECT_EQ(ListIds<v1::InitiativeArea>(*FilterOf(r)),
            (std::vector<std::string>{t.area.id(), a3.id()}));
  r.set_focus_year(2025);  // no focus set for 2025
  EXPECT_TRUE(ListIds<v1::InitiativeArea>(*FilterOf(r)).empty());
  (void)a2;
}

TEST_P(PlansStoreTest, ListActivitiesByAreaPlanStatusAndYear) {
  const Tree t = MakeTree();
  const v1::InitiativeArea area2 = Make(NewArea(t.plan.id(), "Andet"));
  const Tree other = MakeTree();
  v1::Activity x = NewActivity(t.area.id(), "x", v1::ACTIVITY_STATUS_PLANNED);
  *x.mutable_start_date() = MakeDate(2023, 1, 1);
  *x.mutable_due_date() = MakeDate(2023, 12, 31);
  const v1::Activity ax = Make(x);
  v1::Activity y = NewActivity(t.area.id(), "y", v1::ACTIVITY_STATUS_IN_PROGRESS);
  *y.mutable_start_date() = MakeDate(2024, 2, 1);
  *y.mutable_due_date() = MakeDate(2025, 6, 30);
  const v1::Activity ay = Make(y);
  const v1::Activity az = Make(NewActivity(area2.id(), "z", v1::ACTIVITY_STATUS_IN_PROGRESS));
  const v1::Activity aw = Make(NewActivity(other.area.id(), "w", v1::ACTIVITY_STATUS_PLANNED));

  auto ids = [&](v1::ListActivitiesRequest r) {
    auto f = FilterOf(r);
    EXPECT_TRUE(f.ok()) << f.status();
    return ListIds<v1::Activity>(*f);
  };
  v1::ListActivitiesRequest r;
  r.set_initiative_area_id(t.area.id());
  EXPECT_EQ(ids(r), (std::vector<std::string>{ax.id(), ay.id()}));
  r.Clear();
  r.set_plan_id(t.plan.id());
  EXPECT_EQ(ids(r), (std::vector<std::string>{ax.id(), ay.id(), az.id()}));
  r.set_status(v1::ACTIVITY_STATUS_IN_PROGRESS);
  EXPECT_EQ(ids(r), (std::vector<std::string>{ay.id(), az.id()}));
  r.set_status(v1::ACTIVITY_STATUS_COMPLETED);
  EXPECT_TRUE(ids(r).empty());
  r.Clear();
  r.set_plan_id(t.plan.id());
  r.set_year(2023);  // az has no dates: it is not bounded in time
  EXPECT_EQ(ids(r), (std::vector<std::string>{ax.id(), az.id()}));
  r.set_year(2025);
  EXPECT_EQ(ids(r), (std::vector<std::string>{ay.id(), az.id()}));
  r.Clear();
  r.set_status(v1::ACTIVITY_STATUS_PLANNED);
  EXPECT_EQ(ids(r), (std::vector<std::string>{ax.id(), aw.id()}));
}

TEST_P(PlansStoreTest, UpdatesMoveResourcesBetweenFilters) {
  const Tree t = MakeTree();
  v1::InitiativeArea a = NewArea(t.plan.id(), "A");
  a.add_target_groups(TARGET_GROUP_AUTISM);
  const v1::InitiativeArea area = Make(a);
  v1::InitiativeArea patch = area;
  patch.clear_target_groups();
  patch.add_target_groups(TARGET_GROUP_HOMELESSNESS);
  v1::InitiativeArea out;
  ASSERT_TRUE(store_->Update(kMuni, patch, Mask({"target_groups"}), &out).ok());
  v1::ListInitiativeAreasRequest r;
  r.set_target_group(TARGET_GROUP_AUTISM);
  EXPECT_TRUE(ListIds<v1::InitiativeArea>(*FilterOf(r)).empty());
  r.set_target_group(TARGET_GROUP_HOMELESSNESS);
  EXPECT_EQ(ListIds<v1::InitiativeArea>(*FilterOf(r)), std::vector<std::string>{area.id()});

  const v1::Activity act = Make(NewActivity(t.area.id(), "A", v1::ACTIVITY_STATUS_PLANNED));
  v1::Activity ap = act;
  ap.set_status(v1::ACTIVITY_STATUS_ON_HOLD);
  v1::Activity aout;
  ASSERT_TRUE(store_->Update(kMuni, ap, Mask({"status"}), &aout).ok());
  v1::ListActivitiesRequest ar;
  ar.set_status(v1::ACTIVITY_STATUS_ON_HOLD);
  EXPECT_EQ(ListIds<v1::Activity>(*FilterOf(ar)), std::vector<std::string>{act.id()});
  ar.set_status(v1::ACTIVITY_STATUS_PLANNED);
  EXPECT_TRUE(ListIds<v1::Activity>(*FilterOf(ar)).empty());
}

TEST_P(PlansStoreTest, ListIndicatorsCitizenPlansGoalsAndActions) {
  const Tree t = MakeTree();
  const v1::InitiativeArea area2 = Make(NewArea(t.plan.id(), "Andet"));
  const v1::Indicator i1 =
      Make(NewIndicator(t.plan.id(), t.area.id(), v1::INDICATOR_DIRECTION_INCREASE, 0, 1));
  const v1::Indicator i2 =
      Make(NewIndicator(t.plan.id(), "", v1::INDICATOR_DIRECTION_DECREASE, 5, 1));
  const v1::Indicator i3 =
      Make(NewIndicator(t.plan.id(), area2.id(), v1::INDICATOR_DIRECTION_INCREASE, 0, 1));
  v1::ListIndicatorsRequest ir;
  ir.set_plan_id(t.plan.id());
  EXPECT_EQ(ListIds<v1::Indicator>(*FilterOf(ir)),
            (std::vector<std::string>{i1.id(), i2.id(), i3.id()}));
  ir.set_initiative_area_id(area2.id());
  EXPECT_EQ(ListIds<v1::Indicator>(*FilterOf(ir)), std::vector<std::string>{i3.id()});

  const v1::CitizenPlan cp1 = Make(NewCitizenPlan("citizen-1"));
  const v1::CitizenPlan cp2 = Make(NewCitizenPlan("citizen-2"));
  v1::ListCitizenPlansRequest cr;
  cr.set_citizen_id("citizen-2");
  EXPECT_EQ(ListIds<v1::CitizenPlan>(*FilterOf(cr)), std::vector<std::string>{cp2.id()});
  cr.set_citizen_id("citizen-3");
  EXPECT_TRUE(ListIds<v1::CitizenPlan>(*FilterOf(cr)).empty());

  const v1::Goal g1 = Make(NewGoal(cp1.id(), t.area.id(), LIFE_AREA_LIVE));
  const v1::Goal g2 = Make(NewGoal(cp1.id(), "", LIFE_AREA_BE));
  const v1::Goal g3 = Make(NewGoal(cp2.id(), "", LIFE_AREA_LIVE));
  EXPECT_TRUE(g1.active());
  v1::ListGoalsRequest gr;
  gr.set_citizen_plan_id(cp1.id());
  EXPECT_EQ(ListIds<v1::Goal>(*FilterOf(gr)), (std::vector<std::string>{g1.id(), g2.id()}));
  gr.set_life_area(LIFE_AREA_LIVE);
  EXPECT_EQ(ListIds<v1::Goal>(*FilterOf(gr)), std::vector<std::string>{g1.id()});
  ASSERT_TRUE(Assess(g2.id(), v1::GOAL_OUTCOME_CLOSED).ok());
  gr.clear_life_area();
  gr.set_active_only(true);
  EXPECT_EQ(ListIds<v1::Goal>(*FilterOf(gr)), std::vector<std::string>{g1.id()});
  (void)g3;

  const v1::Action act1 = Make(NewAction(g1.id(), v1::ACTION_PERFORMER_CITIZEN));
  const v1::Action act2 = Make(NewAction(g1.id(), v1::ACTION_PERFORMER_VOLUNTEER));
  Make(NewAction(g3.id(), v1::ACTION_PERFORMER_VOLUNTEER));
  v1::ListActionsRequest ar;
  ar.set_goal_id(g1.id());
  EXPECT_EQ(ListIds<v1::Action>(*FilterOf(ar)), (std::vector<std::string>{act1.id(), act2.id()}));
  ar.set_performer(v1::ACTION_PERFORMER_VOLUNTEER);
  EXPECT_EQ(ListIds<v1::Action>(*FilterOf(ar)), std::vector<std::string>{act2.id()});
}

// ---------------------------------------------------------------------------
// Pagination

TEST_P(PlansStoreTest, PaginationVisitsEveryItemExactlyOnce) {
  std::vector<std::string> created;
  for (int i = 0; i < 23; ++i) {
    created.push_back(Make(NewPolicy(absl::StrCat("Politik ", i))).id());
  }
  for (int size : {1, 5, 22, 23, 24, 500}) {
    auto all = ListAll<v1::Policy>(ListFilter(), size);
    ASSERT_TRUE(all.ok()) << all.status();
    EXPECT_EQ(Ids(*all), created) << "page size " << size;
  }
  // The last page has no token; a full first page of 5 has one.
  google::protobuf::RepeatedPtrField<v1::Policy> items;
  std::string next;
  Page page;
  page.size = 5;
  ASSERT_TRUE(store_->List(kMuni, ListFilter(), page, &items, &next).ok());
  EXPECT_EQ(items.size(), 5);
  EXPECT_FALSE(next.empty());
  page.size = 23;
  items.Clear();
  ASSERT_TRUE(store_->List(kMuni, ListFilter(), page, &items, &next).ok());
  EXPECT_EQ(items.size(), 23);
  EXPECT_TRUE(next.empty());
}

TEST_P(PlansStoreTest, PaginationSurvivesInsertsBetweenPages) {
  std::vector<std::string> created;
  for (int i = 0; i < 6; ++i) {
    created.push_back(Make(NewPolicy(absl::StrCat("P", i))).id());
  }
  google::protobuf::RepeatedPtrField<v1::Policy> items;
  std::string next;
  Page page;
  page.size = 4;
  ASSERT_TRUE(store_->List(kMuni, ListFilter(), page, &items, &next).ok());
  ASSERT_FALSE(next.empty());
  created.push_back(Make(NewPolicy("P-late")).id());
  page.token = next;
  ASSERT_TRUE(store_->List(kMuni, ListFilter(), page, &items, &next).ok());
  EXPECT_EQ(Ids(std::vector<v1::Policy>(items.begin(), items.end())), created);
  EXPECT_TRUE(next.empty());
}

TEST_P(PlansStoreTest, TamperedOrForeignPageTokenIsRejected) {
  const Tree t = MakeTree();
  for (int i = 0; i < 4; ++i) {
    Make(NewActivity(t.area.id(), absl::StrCat("A", i)));
  }
  ListFilter f;
  f.parent_id = t.area.id();
  google::protobuf::RepeatedPtrField<v1::Activity> items;
  std::string next;
  Page page;
  page.size = 2;
  ASSERT_TRUE(store_->List(kMuni, f, page, &items, &next).ok());
  ASSERT_FALSE(next.empty());

  Page tampered = page;
  tampered.token = next;
  tampered.token[3] = tampered.token[3] == 'A' ? 'B' : 'A';
  items.Clear();
  absl::Status s = store_->List(kMuni, f, tampered, &items, &next);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BadFields(s), std::vector<std::string>{"page.page_token"});
  EXPECT_TRUE(items.empty());

  // The token is bound to the filters and the kind of list.
  std::string good;
  ASSERT_TRUE(store_->List(kMuni, f, page, &items, &good).ok());
  Page reuse = page;
  reuse.token = good;
  ListFilter other = f;
  other.has_status = true;
  other.status = v1::ACTIVITY_STATUS_PLANNED;
  s = store_->List(kMuni, other, reuse, &items, &next);
  EXPECT_EQ(BadFields(s), std::vector<std::string>{"page.page_token"});
  google::protobuf::RepeatedPtrField<v1::Policy> policies;
  s = store_->List(kMuni, f, reuse, &policies, &next);
  EXPECT_EQ(BadFields(s), std::vector<std::string>{"page.page_token"});
  // Garbage.
  reuse.token = "not-a-token";
  s = store_->List(kMuni, f, reuse, &items, &next);
  EXPECT_EQ(BadFields(s), std::vector<std::string>{"page.page_token"});
}

// ---------------------------------------------------------------------------
// Progress

TEST_P(PlansStoreTest, AddProgressChangesTheActivity) {
  const Tree t = MakeTree();
  const v1::Activity act = Make(NewActivity(t.area.id(), "A", v1::ACTIVITY_STATUS_PLANNED));
  Advance(absl::Hours(24));
  auto r = Progress(act.id(), MakeDate(2024, 3, 2), "Startet op", v1::ACTIVITY_STATUS_IN_PROGRESS);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->progress().id().empty());
  EXPECT_EQ(r->progress().activity_id(), act.id());
  EXPECT_EQ(r->progress().author(), "caseworker-7");
  EXPECT_EQ(r->activity().status(), v1::ACTIVITY_STATUS_IN_PROGRESS);
  EXPECT_NE(r->activity().etag(), act.etag());
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(r->activity().last_progress_time()),
            absl::ToUnixMicros(Day(2024, 3, 2) + absl::Hours(12)));
  auto got = Get<v1::Activity>(act.id());
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->status(), v1::ACTIVITY_STATUS_IN_PROGRESS);
  v1::ListActivitiesRequest lr;
  lr.set_status(v1::ACTIVITY_STATUS_IN_PROGRESS);
  EXPECT_EQ(ListIds<v1::Activity>(*FilterOf(lr)), std::vector<std::string>{act.id()});

  // Without a new status the status stays.
  auto note = Progress(act.id(), MakeDate(2024, 3, 3), "Bare en note");
  ASSERT_TRUE(note.ok());
  EXPECT_EQ(note->activity().status(), v1::ACTIVITY_STATUS_IN_PROGRESS);

  // An update with the etag read before the progress is now stale.
  v1::Activity patch = act;
  patch.set_title("x");
  v1::Activity out;
  EXPECT_EQ(store_->Update(kMuni, patch, Mask({"title"}), &out).code(),
            absl::StatusCode::kFailedPrecondition);

  v1::ListActivityProgressResponse list;
  ASSERT_TRUE(store_->ListProgress(kMuni, act.id(), Page(), &list).ok());
  ASSERT_EQ(list.progress_size(), 2);
  EXPECT_EQ(list.progress(0).note(), "Startet op");
  EXPECT_EQ(list.progress(1).note(), "Bare en note");
}

TEST_P(PlansStoreTest, AddProgressIsIdempotentOnRequestId) {
  const Tree t = MakeTree();
  const v1::Activity act = Make(NewActivity(t.area.id(), "A"));
  auto first =
      Progress(act.id(), MakeDate(2024, 3, 2), "Første", v1::ACTIVITY_STATUS_IN_PROGRESS, "p-1");
  ASSERT_TRUE(first.ok()) << first.status();
  auto second =
      Progress(act.id(), MakeDate(2024, 3, 2), "Første", v1::ACTIVITY_STATUS_IN_PROGRESS, "p-1");
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->progress().id(), first->progress().id());
  EXPECT_EQ(second->activity().etag(), first->activity().etag());
  v1::ListActivityProgressResponse list;
  ASSERT_TRUE(store_->ListProgress(kMuni, act.id(), Page(), &list).ok());
  EXPECT_EQ(list.progress_size(), 1);
  // Invalid input names the field.
  v1::AddActivityProgressRequest bad;
  bad.set_activity_id(act.id());
  v1::AddActivityProgressResponse resp;
  absl::Status s = store_->AddProgress(kMuni, "me", bad, &resp);
  EXPECT_EQ(Sorted(BadFields(s)), Sorted({"progress.update_date", "progress.note"}));
}

TEST_P(PlansStoreTest, ConcurrentRetriesOfOneEntryRequestAllSucceedOnce) {
  // A client that times out and retries may send the same request while the
  // first is still running: every copy must get the one result.
  const Tree t = MakeTree();
  const v1::Activity act = Make(NewActivity(t.area.id(), "A"));
  const v1::Indicator ind =
      Make(NewIndicator(t.plan.id(), t.area.id(), v1::INDICATOR_DIRECTION_INCREASE, 0, 10));
  const v1::CitizenPlan cp = Make(NewCitizenPlan("citizen-1"));
  const v1::Goal goal = Make(NewGoal(cp.id(), t.area.id()));

  // Another transaction holds the three parent rows for a moment, so that
  // all copies of each request are in flight at the same time.
  absl::Notification locked;
  std::thread blocker([&] {
    absl::Status s = db_->Transaction([&](store::Connection& c) -> absl::Status {
      const char* lock = c.dialect() == store::Dialect::kMysql ? " FOR UPDATE" : "";
      HELHED_RETURN_IF_ERROR(
          c.Query(absl::StrCat("SELECT version FROM activities WHERE id = ?", lock), {act.id()})
              .status());
      HELHED_RETURN_IF_ERROR(
          c.Query(absl::StrCat("SELECT version FROM indicators WHERE id = ?", lock), {ind.id()})
              .status());
      HELHED_RETURN_IF_ERROR(
          c.Query(absl::StrCat("SELECT version FROM goals WHERE id = ?", lock), {goal.id()})
              .status());
      if (!locked.HasBeenNotified()) {
        locked.Notify();
      }
      absl::SleepFor(absl::Milliseconds(300));
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
  });
  locked.WaitForNotification();

  constexpr int kCopies = 4;
  std::vector<std::string> progress_ids(kCopies);
  std::vector<std::string> measurement_ids(kCopies);
  std::vector<std::string> assessment_ids(kCopies);
  std::vector<std::thread> threads;
  for (int i = 0; i < kCopies; ++i) {
    threads.emplace_back([&, i] {
      auto p = Progress(act.id(), MakeDate(2024, 3, 2), "Samme", v1::ACTIVITY_STATUS_IN_PROGRESS,
                        "same-progress");
      EXPECT_TRUE(p.ok()) << p.status();
      progress_ids[i] = p.ok() ? p->progress().id() : "";
    });
    threads.emplace_back([&, i] {
      auto m = Measure(ind.id(), MakeDate(2024, 3, 2), 4, "same-measurement");
      EXPECT_TRUE(m.ok()) << m.status();
      measurement_ids[i] = m.ok() ? m->measurement().id() : "";
    });
    threads.emplace_back([&, i] {
      auto a = Assess(goal.id(), v1::GOAL_OUTCOME_CONTINUED, "same-assessment");
      EXPECT_TRUE(a.ok()) << a.status();
      assessment_ids[i] = a.ok() ? a->assessment().id() : "";
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  blocker.join();
  for (int i = 0; i < kCopies; ++i) {
    EXPECT_EQ(progress_ids[i], progress_ids[0]);
    EXPECT_EQ(measurement_ids[i], measurement_ids[0]);
    EXPECT_EQ(assessment_ids[i], assessment_ids[0]);
  }
  EXPECT_FALSE(progress_ids[0].empty());
  v1::ListActivityProgressResponse progress;
  ASSERT_TRUE(store_->ListProgress(kMuni, act.id(), Page(), &progress).ok());
  EXPECT_EQ(progress.progress_size(), 1);
  v1::ListMeasurementsResponse measurements;
  ASSERT_TRUE(store_->ListMeasurements(kMuni, ind.id(), Page(), &measurements).ok());
  EXPECT_EQ(measurements.measurements_size(), 1);
  v1::ListAssessmentsResponse assessments;
  ASSERT_TRUE(store_->ListAssessments(kMuni, goal.id(), Page(), &assessments).ok());
  EXPECT_EQ(assessments.assessments_size(), 1);
}

TEST_P(PlansStoreTest, ListProgressPages) {
  const Tree t = MakeTree();
  const v1::Activity act = Make(NewActivity(t.area.id(), "A"));
  for (int i = 1; i <= 5; ++i) {
    ASSERT_TRUE(Progress(act.id(), MakeDate(2024, 3, i), absl::StrCat("note ", i)).ok());
  }
  std::vector<std::string> notes;
  Page page;
  page.size = 2;
  for (int pages = 0; pages < 10; ++pages) {
    v1::ListActivityProgressResponse list;
    ASSERT_TRUE(store_->ListProgress(kMuni, act.id(), page, &list).ok());
    for (const auto& p : list.progress()) {
      notes.push_back(p.note());
    }
    if (list.page().next_page_token().empty()) {
      break;
    }
    page.token = list.page().next_page_token();
  }
  EXPECT_EQ(notes, (std::vector<std::string>{"note 1", "note 2", "note 3", "note 4", "note 5"}));
  Page bad;
  bad.token = "forged";
  v1::ListActivityProgressResponse list;
  EXPECT_EQ(BadFields(store_->ListProgress(kMuni, act.id(), bad, &list)),
            std::vector<std::string>{"page.page_token"});
}

// ---------------------------------------------------------------------------
// Measurements

TEST_P(PlansStoreTest, RecordMeasurementKeepsTheNewestDatedValueAsLatest) {
  const Tree t = MakeTree();
  const v1::Indicator ind =
      Make(NewIndicator(t.plan.id(), t.area.id(), v1::INDICATOR_DIRECTION_INCREASE, 10, 20));
  EXPECT_FALSE(ind.has_latest());
  auto m1 = Measure(ind.id(), MakeDate(2024, 6, 30), 14);
  ASSERT_TRUE(m1.ok()) << m1.status();
  EXPECT_DOUBLE_EQ(m1->indicator().latest().value(), 14);
  // An older figure recorded later does not replace the latest.
  auto m2 = Measure(ind.id(), MakeDate(2024, 3, 31), 12);
  ASSERT_TRUE(m2.ok()) << m2.status();
  EXPECT_DOUBLE_EQ(m2->indicator().latest().value(), 14);
  EXPECT_EQ(m2->indicator().latest().date().month(), 6);
  auto got = Get<v1::Indicator>(ind.id());
  ASSERT_TRUE(got.ok());
  EXPECT_DOUBLE_EQ(got->latest().value(), 14);
  EXPECT_TRUE(got->has_last_measurement_time());
  auto m3 = Measure(ind.id(), MakeDate(2024, 9, 30), 18.5);
  ASSERT_TRUE(m3.ok());
  got = Get<v1::Indicator>(ind.id());
  ASSERT_TRUE(got.ok());
  EXPECT_DOUBLE_EQ(got->latest().value(), 18.5);
  EXPECT_EQ(got->latest().date().month(), 9);

  // Idempotent on request id.
  auto r1 = Measure(ind.id(), MakeDate(2024, 12, 31), 19, "m-1");
  auto r2 = Measure(ind.id(), MakeDate(2024, 12, 31), 19, "m-1");
  ASSERT_TRUE(r1.ok() && r2.ok());
  EXPECT_EQ(r1->measurement().id(), r2->measurement().id());
  v1::ListMeasurementsResponse list;
  ASSERT_TRUE(store_->ListMeasurements(kMuni, ind.id(), Page(), &list).ok());
  EXPECT_EQ(list.measurements_size(), 4);

  // A caller cannot set latest through an update.
  v1::Indicator patch = *got;
  patch.mutable_latest()->set_value(1000);
  v1::Indicator out;
  EXPECT_EQ(BadFields(store_->Update(kMuni, patch, Mask({"latest"}), &out)),
            std::vector<std::string>{"update_mask.paths[0]"});
}

// ---------------------------------------------------------------------------
// Goals, assessments and the count of active goals

TEST_P(PlansStoreTest, ClosingAssessmentEndsTheGoal) {
  const Tree t = MakeTree();
  const v1::CitizenPlan cp = Make(NewCitizenPlan("citizen-1"));
  const v1::Goal goal = Make(NewGoal(cp.id(), t.area.id()));
  ASSERT_TRUE(goal.active());

  auto cont = Assess(goal.id(), v1::GOAL_OUTCOME_CONTINUED);
  ASSERT_TRUE(cont.ok()) << cont.status();
  EXPECT_TRUE(cont->goal().active());
  EXPECT_EQ(cont->goal().outcome(), v1::GOAL_OUTCOME_CONTINUED);

  auto closed = Assess(goal.id(), v1::GOAL_OUTCOME_CLOSED, "close-1");
  ASSERT_TRUE(closed.ok()) << closed.status();
  EXPECT_FALSE(closed->goal().active());
  EXPECT_EQ(closed->goal().outcome(), v1::GOAL_OUTCOME_CLOSED);
  auto got = Get<v1::Goal>(goal.id());
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(got->active());

  auto more = Assess(goal.id(), v1::GOAL_OUTCOME_UNSPECIFIED);
  EXPECT_EQ(more.status().code(), absl::StatusCode::kFailedPrecondition) << more.status();
  // Replaying the closing call is still answered.
  auto replay = Assess(goal.id(), v1::GOAL_OUTCOME_CLOSED, "close-1");
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_EQ(replay->assessment().id(), closed->assessment().id());

  v1::ListAssessmentsResponse list;
  ASSERT_TRUE(store_->ListAssessments(kMuni, goal.id(), Page(), &list).ok());
  EXPECT_EQ(list.assessments_size(), 2);

  // A caller cannot reopen it through an update.
  v1::Goal patch = *got;
  patch.set_active(true);
  v1::Goal out;
  EXPECT_EQ(BadFields(store_->Update(kMuni, patch, Mask({"active"}), &out)),
            std::vector<std::string>{"update_mask.paths[0]"});
}

TEST_P(PlansStoreTest, CountActiveGoalsCountsGoalsAndDistinctCitizens) {
  const Tree t = MakeTree();
  const v1::InitiativeArea other_area = Make(NewArea(t.plan.id(), "Andet"));
  const v1::CitizenPlan a = Make(NewCitizenPlan("citizen-a"));
  const v1::CitizenPlan b = Make(NewCitizenPlan("citizen-b"));
  const v1::CitizenPlan c = Make(NewCitizenPlan("citizen-c"));
  const v1::CitizenPlan d = Make(NewCitizenPlan("citizen-d"));
  Make(NewGoal(a.id(), t.area.id(), LIFE_AREA_LIVE));
  Make(NewGoal(a.id(), t.area.id(), LIFE_AREA_BE));
  const v1::Goal gb = Make(NewGoal(b.id(), t.area.id()));
  Make(NewGoal(c.id(), other_area.id()));
  const v1::Goal gd = Make(NewGoal(d.id(), t.area.id()));
  v1::Goal archived;
  ASSERT_TRUE(store_->Archive(kMuni, gd.id(), gd.etag(), &archived).ok());

  auto n = CountGoals(t.area.id());
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(n->active_goals(), 3);
  EXPECT_EQ(n->citizens(), 2);

  ASSERT_TRUE(Assess(gb.id(), v1::GOAL_OUTCOME_CLOSED).ok());
  n = CountGoals(t.area.id());
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->active_goals(), 2);
  EXPECT_EQ(n->citizens(), 1);

  n = CountGoals(other_area.id());
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->active_goals(), 1);
  EXPECT_EQ(n->citizens(), 1);
  EXPECT_EQ(CountGoals("no-such-area").status().code(), absl::StatusCode::kNotFound);
}

// ---------------------------------------------------------------------------
// Yearly focus

TEST_P(PlansStoreTest, YearlyFocus) {
  const Tree t = MakeTree();
  const Tree other = MakeTree();
  const v1::InitiativeArea a2 = Make(NewArea(t.plan.id(), "A2"));

  auto bad = Focus(t.plan.id(), 2024, {t.area.id(), other.area.id(), "missing-area"});
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BadFields(bad.status()), (std::vector<std::string>{"focus.initiative_area_ids[1]",
                                                               "focus.initiative_area_ids[2]"}));
  auto outside = Focus(t.plan.id(), 2030, {t.area.id()});
  EXPECT_EQ(BadFields(outside.status()), std::vector<std::string>{"focus.year"});
  v1::YearlyFocus none;
  EXPECT_EQ(store_->GetYearlyFocus(kMuni, t.plan.id(), 2024, &none).code(),
            absl::StatusCode::kNotFound);

  auto set = Focus(t.plan.id(), 2024, {a2.id()});
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_FALSE(set->etag().empty());
  v1::YearlyFocus got;
  ASSERT_TRUE(store_->GetYearlyFocus(kMuni, t.plan.id(), 2024, &got).ok());
  ASSERT_EQ(got.initiative_area_ids_size(), 1);
  EXPECT_EQ(got.initiative_area_ids(0), a2.id());

  // Changing it needs the current etag.
  EXPECT_EQ(Focus(t.plan.id(), 2024, {t.area.id()}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Focus(t.plan.id(), 2024, {t.area.id()}, "v7").status().code(),
            absl::StatusCode::kFailedPrecondition);
  auto changed = Focus(t.plan.id(), 2024, {t.area.id(), a2.id()}, set->etag());
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_NE(changed->etag(), set->etag());
  ASSERT_TRUE(store_->GetYearlyFocus(kMuni, t.plan.id(), 2024, &got).ok());
  EXPECT_EQ(got.initiative_area_ids_size(), 2);
  // Another year is independent.
  EXPECT_TRUE(Focus(t.plan.id(), 2025, {t.area.id()}).ok());
}

// ---------------------------------------------------------------------------
// Status report

TEST_P(PlansStoreTest, StatusReport) {
  const Tree t = MakeTree();
  const v1::InitiativeArea work = Make(NewArea(t.plan.id(), "Beskæftigelse", "", 0));
  v1::InitiativeArea housing = t.area;
  housing.set_position(5);
  v1::InitiativeArea tmp;
  ASSERT_TRUE(store_->Update(kMuni, housing, Mask({"position"}), &tmp).ok());
  housing = tmp;

  auto with_due = [](v1::Activity a, const google::type::Date& d) {
    *a.mutable_due_date() = d;
    return a;
  };
  const v1::Activity late = Make(with_due(
      NewActivity(housing.id(), "Flyttehjælp", v1::ACTIVITY_STATUS_PLANNED), MakeDate(2024, 3, 1)));
  Make(with_due(NewActivity(housing.id(), "Færdig", v1::ACTIVITY_STATUS_COMPLETED),
                MakeDate(2024, 1, 1)));
  const v1::Activity started = Make(with_due(
      NewActivity(housing.id(), "Bostøtte", v1::ACTIVITY_STATUS_PLANNED), MakeDate(2024, 12, 1)));
  Make(NewActivity(housing.id(), "Pause", v1::ACTIVITY_STATUS_ON_HOLD));
  const v1::Activity late_work = Make(with_due(
      NewActivity(work.id(), "Jobcafé", v1::ACTIVITY_STATUS_IN_PROGRESS), MakeDate(2024, 6, 29)));
  const v1::Activity gone = Make(with_due(
      NewActivity(work.id(), "Arkiveret", v1::ACTIVITY_STATUS_PLANNED), MakeDate(2024, 1, 1)));
  v1::Activity archived;
  ASSERT_TRUE(store_->Archive(kMuni, gone.id(), gone.etag(), &archived).ok());
  const Tree other = MakeTree();
  Make(with_due(NewActivity(other.area.id(), "Anden plan", v1::ACTIVITY_STATUS_PLANNED),
                MakeDate(2024, 1, 1)));

  ASSERT_TRUE(
      Progress(started.id(), MakeDate(2024, 2, 1), "Startet", v1::ACTIVITY_STATUS_IN_PROGRESS)
          .ok());
  ASSERT_TRUE(Progress(started.id(), MakeDate(2023, 11, 1), "Forberedt").ok());
  ASSERT_TRUE(Progress(started.id(), MakeDate(2024, 4, 1), "Godt i gang").ok());

  const v1::Indicator up =
      Make(NewIndicator(t.plan.id(), housing.id(), v1::INDICATOR_DIRECTION_INCREASE, 10, 20));
  const v1::Indicator down =
      Make(NewIndicator(t.plan.id(), "", v1::INDICATOR_DIRECTION_DECREASE, 100, 50));
  ASSERT_TRUE(Measure(up.id(), MakeDate(2024, 3, 31), 15).ok());
  ASSERT_TRUE(Measure(up.id(), MakeDate(2025, 1, 15), 30).ok());  // after the year
  ASSERT_TRUE(Measure(down.id(), MakeDate(2023, 12, 31), 75).ok());
  ASSERT_TRUE(Focus(t.plan.id(), 2024, {work.id()}).ok());
  // An archived area leaves the report with its activities and indicators.
  const v1::InitiativeArea dropped = Make(NewArea(t.plan.id(), "Nedlagt"));
  Make(NewActivity(dropped.id(), "Nedlagt aktivitet"));
  Make(NewIndicator(t.plan.id(), dropped.id(), v1::INDICATOR_DIRECTION_INCREASE, 1, 2));
  v1::InitiativeArea dropped_out;
  ASSERT_TRUE(store_->Archive(kMuni, dropped.id(), dropped.etag(), &dropped_out).ok());

  v1::GetStatusReportRequest req;
  req.set_plan_id(t.plan.id());
  req.set_year(2024);
  *req.mutable_as_of() = MakeDate(2024, 6, 30);
  v1::GetStatusReportResponse resp;
  absl::Status s = store_->GetStatusReport(kMuni, req, i18n::Language::kEnglish, &resp);
  ASSERT_TRUE(s.ok()) << s;
  const v1::StatusReport& r = resp.report();
  EXPECT_EQ(r.plan_id(), t.plan.id());
  EXPECT_EQ(r.year(), 2024);
  ASSERT_EQ(r.initiative_areas_size(), 2);
  // Ordered by position.
  const auto& w = r.initiative_areas(0);
  const auto& h = r.initiative_areas(1);
  EXPECT_EQ(w.initiative_area_id(), work.id());
  EXPECT_EQ(h.initiative_area_id(), housing.id());
  EXPECT_TRUE(w.in_focus());
  EXPECT_FALSE(h.in_focus());
  EXPECT_EQ(h.track_title(), "Engagement i dig");

  auto count = [](const v1::InitiativeAreaReport& a, v1::ActivityStatus st) {
    for (const auto& c : a.status_counts()) {
      if (c.status() == st) {
        return c.count();
      }
    }
    return 0;
  };
  EXPECT_EQ(count(h, v1::ACTIVITY_STATUS_PLANNED), 1);
  EXPECT_EQ(count(h, v1::ACTIVITY_STATUS_COMPLETED), 1);
  EXPECT_EQ(count(h, v1::ACTIVITY_STATUS_IN_PROGRESS), 1);
  EXPECT_EQ(count(h, v1::ACTIVITY_STATUS_ON_HOLD), 1);
  EXPECT_EQ(count(w, v1::ACTIVITY_STATUS_IN_PROGRESS), 1);
  EXPECT_EQ(count(w, v1::ACTIVITY_STATUS_PLANNED), 0);  // the archived one is left out

  ASSERT_EQ(h.overdue_size(), 1);
  EXPECT_EQ(h.overdue(0).activity_id(), late.id());
  ASSERT_EQ(w.overdue_size(), 1);
  EXPECT_EQ(w.overdue(0).activity_id(), late_work.id());

  ASSERT_EQ(h.changed_size(), 1);
  EXPECT_EQ(h.changed(0).activity_id(), started.id());
  EXPECT_EQ(h.changed(0).updates_in_year(), 2);
  EXPECT_EQ(h.changed(0).latest_note(), "Godt i gang");

  ASSERT_EQ(h.indicators_size(), 1);
  EXPECT_EQ(h.indicators(0).indicator_id(), up.id());
  EXPECT_TRUE(h.indicators(0).measured());
  EXPECT_DOUBLE_EQ(h.indicators(0).latest().value(), 15);
  EXPECT_DOUBLE_EQ(h.indicators(0).progress(), 0.5);
  EXPECT_FALSE(h.indicators(0).target_met());
  ASSERT_EQ(r.plan_indicators_size(), 1);
  EXPECT_EQ(r.plan_indicators(0).indicator_id(), down.id());
  EXPECT_DOUBLE_EQ(r.plan_indicators(0).progress(), 0.5);

  const std::string& md = resp.markdown();
  EXPECT_NE(md.find("# Status report 2024: Voksenhandicapplan"), std::string::npos) << md;
  EXPECT_NE(md.find("## Bolig"), std::string::npos) << md;
  EXPECT_NE(md.find("## Beskæftigelse (focus 2024)"), std::string::npos) << md;
  EXPECT_NE(md.find("Overdue:"), std::string::npos) << md;
  EXPECT_NE(md.find("**Flyttehjælp**, due 2024-03-01"), std::string::npos) << md;
  EXPECT_NE(md.find("| Indikator | 10 (2023-01-01) | up to 20 (2026-12-31) | 15 (2024-03-31) | "
                    "50% (+5) | not yet |"),
            std::string::npos)
      << md;
  EXPECT_EQ(md.find("Anden plan"), std::string::npos) << md;
  EXPECT_EQ(md.find("Arkiveret"), std::string::npos) << md;
  EXPECT_EQ(md.find("Nedlagt"), std::string::npos) << md;

  // The same report in Danish, the default language.
  v1::GetStatusReportResponse da;
  ASSERT_TRUE(store_->GetStatusReport(kMuni, req, i18n::Language::kDanish, &da).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(da.report(), resp.report()));
  const std::string& dmd = da.markdown();
  EXPECT_NE(dmd.find("# Årlig status 2024: Voksenhandicapplan"), std::string::npos) << dmd;
  EXPECT_NE(dmd.find("Status på implementeringen af planen pr. 30. juni 2024."), std::string::npos)
      << dmd;
  EXPECT_NE(dmd.find("## Beskæftigelse (i fokus i 2024)"), std::string::npos) << dmd;
  EXPECT_NE(dmd.find("Forsinket:"), std::string::npos) << dmd;
  EXPECT_NE(dmd.find("**Flyttehjælp**, tidsfrist 01.03.2024 (planlagt)"), std::string::npos) << dmd;
  EXPECT_NE(dmd.find("| Indikator | 10 (01.01.2023) | skal stige til 20 (31.12.2026) | "
                     "15 (31.03.2024) | 50 % (+5) | endnu ikke nået |"),
            std::string::npos)
      << dmd;
  EXPECT_EQ(dmd.find("Overdue"), std::string::npos) << dmd;
}

TEST_P(PlansStoreTest, StatusReportAsOfDefaultsFromTheClock) {
  const Tree t = MakeTree();
  v1::Activity a = NewActivity(t.area.id(), "A", v1::ACTIVITY_STATUS_PLANNED);
  *a.mutable_due_date() = MakeDate(2024, 5, 1);
  Make(a);
  v1::GetStatusReportRequest req;
  req.set_plan_id(t.plan.id());
  req.set_year(2024);
  v1::GetStatusReportResponse resp;
  // 2024-03-01: not due yet.
  ASSERT_TRUE(store_->GetStatusReport(kMuni, req, i18n::Language::kEnglish, &resp).ok());
  EXPECT_EQ(resp.report().as_of().month(), 3);
  EXPECT_EQ(resp.report().initiative_areas(0).overdue_size(), 0);
  SetNow(Day(2024, 5, 2));
  resp.Clear();
  ASSERT_TRUE(store_->GetStatusReport(kMuni, req, i18n::Language::kEnglish, &resp).ok());
  EXPECT_EQ(resp.report().initiative_areas(0).overdue_size(), 1);
  // A past year is reported as of its last day.
  SetNow(Day(2026, 1, 10));
  req.set_year(2025);
  resp.Clear();
  ASSERT_TRUE(store_->GetStatusReport(kMuni, req, i18n::Language::kEnglish, &resp).ok());
  EXPECT_EQ(resp.report().as_of().year(), 2025);
  EXPECT_EQ(resp.report().as_of().month(), 12);
  EXPECT_EQ(resp.report().as_of().day(), 31);

  v1::GetStatusReportRequest bad;
  bad.set_plan_id(t.plan.id());
  EXPECT_EQ(BadFields(store_->GetStatusReport(kMuni, bad, i18n::Language::kDanish, &resp)),
            std::vector<std::string>{"year"});
}

// ---------------------------------------------------------------------------
// Stale items

TEST_P(PlansStoreTest, ListStaleItemsUsesTheInjectedClock) {
  SetNow(Day(2024, 1, 1));
  const Tree t = MakeTree();
  const v1::Activity old = Make(NewActivity(t.area.id(), "Gammel"));
  Make(NewActivity(t.area.id(), "Færdig", v1::ACTIVITY_STATUS_COMPLETED));
  const v1::Indicator ind =
      Make(NewIndicator(t.plan.id(), t.area.id(), v1::INDICATOR_DIRECTION_INCREASE, 0, 1));
  Advance(absl::Hours(24 * 50));
  const v1::Activity fresh = Make(NewActivity(t.area.id(), "Ny"));
  Advance(absl::Hours(24 * 50));  // 2024-04-10: old is 100 days, fresh 50

  v1::ListStaleItemsResponse resp;
  ASSERT_TRUE(store_->ListStaleItems(kMuni, t.plan.id(), 90, &resp).ok());
  std::vector<std::string> ids;
  for (const auto& i : resp.items()) {
    ids.push_back(i.id());
  }
  EXPECT_EQ(Sorted(ids), Sorted({old.id(), ind.id()}));
  for (const auto& i : resp.items()) {
    EXPECT_EQ(i.days_since_update(), 100);
  }

  // Default threshold is 90 days.
  resp.Clear();
  ASSERT_TRUE(store_->ListStaleItems(kMuni, t.plan.id(), 0, &resp).ok());
  EXPECT_EQ(resp.items_size(), 2);

  // Progress and a measurement make them fresh again.
  ASSERT_TRUE(Progress(old.id(), MakeDate(2024, 4, 10), "Stadig i gang").ok());
  ASSERT_TRUE(Measure(ind.id(), MakeDate(2024, 4, 1), 0.5).ok());
  resp.Clear();
  ASSERT_TRUE(store_->ListStaleItems(kMuni, t.plan.id(), 90, &resp).ok());
  EXPECT_EQ(resp.items_size(), 0);
  resp.Clear();
  ASSERT_TRUE(store_->ListStaleItems(kMuni, t.plan.id(), 30, &resp).ok());
  ASSERT_EQ(resp.items_size(), 1);
  EXPECT_EQ(resp.items(0).id(), fresh.id());
  EXPECT_EQ(resp.items(0).days_since_update(), 50);
  EXPECT_EQ(resp.items(0).kind(), v1::STALE_ITEM_KIND_ACTIVITY);

  EXPECT_EQ(BadFields(store_->ListStaleItems(kMuni, t.plan.id(), -1, &resp)),
            std::vector<std::string>{"stale_after_days"});
}

INSTANTIATE_TEST_SUITE_P(Backends, PlansStoreTest, ::testing::ValuesIn(AllBackends()),
                         [](const ::testing::TestParamInfo<Backend>& p) {
                           return BackendName(p.param);
                         });

}  // namespace
}  // namespace helhed::plans
