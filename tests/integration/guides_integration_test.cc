// Starts the real helhed-guides binary on SQLite and on MariaDB and drives it
// over gRPC: capacity under concurrent proposals, the match lifecycle,
// declines, the batch assignment, tenancy and crash safety.
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status/field_violations.h"
#include "common/status/grpc_status.h"
#include "common/store/database.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "helhed/guides/v1/guides_service.grpc.pb.h"
#include "services/guides/demo/demo_loader.h"
#include "tests/support/service_process.h"
#include "tests/support/test_store.h"

namespace helhed::guides {
namespace {

namespace v1 = ::helhed::guides::v1;
using helhed::testing::Backend;
using helhed::testing::ServiceProcess;
using helhed::testing::TestPrincipal;

class GuidesIntegrationTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    HELHED_SKIP_UNLESS_ENABLED(GetParam());
    auto url = helhed::testing::NewStoreUrl(GetParam());
    ASSERT_TRUE(url.ok()) << url.status();
    url_ = *url;
    setenv("HELHED_GUIDES_STATS_SECONDS", "1", 1);
    auto p = ServiceProcess::Start(HELHED_GUIDES_BINARY, *url);
    ASSERT_TRUE(p.ok()) << p.status();
    service_ = std::move(*p);
    Connect();
  }
  void Connect() { stub_ = v1::GuidesService::NewStub(service_->NewChannel()); }

  std::unique_ptr<grpc::ClientContext> Ctx(const std::string& muni = "730") {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata("x-helhed-principal", TestPrincipal(muni));
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    return ctx;
  }

  v1::Guide NewGuide(const std::string& name, int capacity) {
    v1::CreateGuideRequest req;
    v1::Guide* g = req.mutable_guide();
    g->set_display_name(name);
    auto* e = g->add_experiences();
    e->set_tag(v1::EXPERIENCE_TAG_AUTISM);
    e->set_years_ago(5);
    g->add_languages("da");
    g->set_home_postcode("8900");
    auto* t = g->add_trainings();
    t->set_course("Borgerguide-uddannelsen");
    t->mutable_completed_date()->set_year(2024);
    t->mutable_completed_date()->set_month(1);
    t->mutable_completed_date()->set_day(10);
    t->mutable_valid_until()->set_year(2100);
    t->mutable_valid_until()->set_month(1);
    t->mutable_valid_until()->set_day(1);
    g->add_settings(v1::SETTING_DISABILITY_SERVICES);
    g->set_employment(v1::EMPLOYMENT_VOLUNTEER);
    g->set_capacity(capacity);
    g->set_status(v1::GUIDE_STATUS_ACTIVE);
    v1::CreateGuideResponse resp;
    grpc::Status s = stub_->CreateGuide(Ctx().get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.guide();
  }

  v1::GuidanceRequest NewRequest(const std::string& citizen, v1::Urgency urgency) {
    v1::CreateGuidanceRequestRequest req;
    v1::GuidanceRequest* r = req.mutable_guidance_request();
    r->set_citizen_id(citizen);
    r->add_situation(v1::EXPERIENCE_TAG_AUTISM);
    r->set_help_wanted("At finde et fritidsjob");
    r->set_life_area(helhed::common::v1::LIFE_AREA_MASTER);
    r->set_urgency(urgency);
    r->set_consent_given(true);
    r->set_postcode("8900");
    v1::CreateGuidanceRequestResponse resp;
    grpc::Status s = stub_->CreateGuidanceRequest(Ctx().get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.guidance_request();
  }

  std::string url_;
  std::unique_ptr<ServiceProcess> service_;
  std::unique_ptr<v1::GuidesService::Stub> stub_;
};

TEST_P(GuidesIntegrationTest, ConcurrentProposalsNeverExceedCapacity) {
  v1::Guide g = NewGuide("Mads", 2);
  std::vector<v1::GuidanceRequest> requests;
  for (int i = 0; i < 8; ++i)
    requests.push_back(NewRequest(absl::StrCat("c-", i), v1::URGENCY_NORMAL));
  std::mutex mu;
  std::map<int, int> codes;
  std::vector<std::thread> threads;
  for (const auto& r : requests) {
    threads.emplace_back([&, r] {
      v1::ProposeMatchRequest req;
      req.set_guidance_request_id(r.id());
      req.set_guide_id(g.id());
      req.set_etag(r.etag());
      v1::ProposeMatchResponse resp;
      grpc::Status s = stub_->ProposeMatch(Ctx().get(), req, &resp);
      std::lock_guard<std::mutex> lock(mu);
      codes[s.error_code()]++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(codes[grpc::StatusCode::OK], 2);
  EXPECT_EQ(codes[grpc::StatusCode::FAILED_PRECONDITION], 6);
  v1::ListMatchesRequest lm;
  lm.set_guide_id(g.id());
  v1::ListMatchesResponse matches;
  ASSERT_TRUE(stub_->ListMatches(Ctx().get(), lm, &matches).ok());
  EXPECT_EQ(matches.matches_size(), 2);
}

TEST_P(GuidesIntegrationTest, LifecycleDeclineReopensAndPairIsNotProposedAgain) {
  v1::Guide a = NewGuide("Lene", 3);
  v1::Guide b = NewGuide("Ahmed", 3);
  v1::GuidanceRequest r = NewRequest("citizen-1", v1::URGENCY_HIGH);

  v1::RankGuidesRequest rank;
  rank.set_guidance_request_id(r.id());
  v1::RankGuidesResponse ranked;
  ASSERT_TRUE(stub_->RankGuides(Ctx().get(), rank, &ranked).ok());
  ASSERT_EQ(ranked.candidates_size(), 2);
  EXPECT_FALSE(ranked.candidates(0).factors().empty());

  v1::ProposeMatchRequest p;
  p.set_guidance_request_id(r.id());
  p.set_guide_id(a.id());
  p.set_etag(r.etag());
  v1::ProposeMatchResponse proposed;
  grpc::Status s = stub_->ProposeMatch(Ctx().get(), p, &proposed);
  ASSERT_TRUE(s.ok()) << s.error_message();
  v1::DeclineMatchRequest d;
  d.set_match_id(proposed.match().id());
  d.set_etag(proposed.match().etag());
  d.set_reason("Guiden har ikke tid");
  v1::DeclineMatchResponse declined;
  ASSERT_TRUE(stub_->DeclineMatch(Ctx().get(), d, &declined).ok());

  // The request is open again; the declined guide is no longer a candidate.
  v1::GetGuidanceRequestRequest get;
  get.set_id(r.id());
  v1::GetGuidanceRequestResponse reopened;
  ASSERT_TRUE(stub_->GetGuidanceRequest(Ctx().get(), get, &reopened).ok());
  EXPECT_EQ(reopened.guidance_request().request_state(), v1::REQUEST_STATE_OPEN);
  ranked.Clear();
  ASSERT_TRUE(stub_->RankGuides(Ctx().get(), rank, &ranked).ok());
  ASSERT_EQ(ranked.candidates_size(), 1);
  EXPECT_EQ(ranked.candidates(0).guide_id(), b.id());
  // Reasons in Danish by default, English on request.
  ASSERT_EQ(ranked.candidates(0).factors(0).factor(), "experience");
  EXPECT_EQ(ranked.candidates(0).factors(0).reason(),
            "deler 1 erfaring, 1 gennemlevet for mindst 2 år siden: autisme (5 år siden)");

  // Why not Lene? She declined before: the explanation says so.
  rank.set_explain_guide_id(a.id());
  ranked.Clear();
  ASSERT_TRUE(stub_->RankGuides(Ctx().get(), rank, &ranked).ok());
  EXPECT_EQ(ranked.candidates_size(), 1);
  EXPECT_EQ(ranked.explanation().guide_id(), a.id());
  EXPECT_FALSE(ranked.explanation().ranked());
  EXPECT_EQ(ranked.explanation().rank(), 0);
  EXPECT_THAT(ranked.explanation().failed_rules(),
              ::testing::ElementsAre(v1::ELIGIBILITY_RULE_DECLINED));
  EXPECT_EQ(ranked.explanation().text(),
            "Lene kommer ikke i betragtning: har afslået denne anmodning før.");
  auto english = Ctx();
  english->AddMetadata("accept-language", "en");
  ranked.Clear();
  ASSERT_TRUE(stub_->RankGuides(english.get(), rank, &ranked).ok());
  EXPECT_EQ(ranked.explanation().text(), "Lene is not considered: declined this request before.");
  EXPECT_EQ(ranked.candidates(0).factors(0).reason(),
            "shares 1 experience, 1 lived through 2+ years ago: autism (5 years ago)");
  // Ahmed is ranked first.
  rank.set_explain_guide_id(b.id());
  ASSERT_TRUE(stub_->RankGuides(Ctx().get(), rank, &ranked).ok());
  EXPECT_TRUE(ranked.explanation().ranked());
  EXPECT_EQ(ranked.explanation().rank(), 1);
  // An unknown guide, or one of another municipality: NOT_FOUND naming the
  // field.
  rank.set_explain_guide_id("no-such-guide");
  grpc::Status missing = stub_->RankGuides(Ctx().get(), rank, &ranked);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(missing.error_message(), ::testing::HasSubstr("explain_guide_id"));
  {
    v1::CreateGuideRequest elsewhere;
    *elsewhere.mutable_guide() = a;
    elsewhere.mutable_guide()->clear_id();
    elsewhere.mutable_guide()->clear_etag();
    v1::CreateGuideResponse made;
    grpc::Status created = stub_->CreateGuide(Ctx("810").get(), elsewhere, &made);
    ASSERT_TRUE(created.ok()) << created.error_message();
    rank.set_explain_guide_id(made.guide().id());
    grpc::Status foreign = stub_->RankGuides(Ctx().get(), rank, &ranked);
    EXPECT_EQ(foreign.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_THAT(foreign.error_message(), ::testing::HasSubstr("explain_guide_id"));
  }
  rank.clear_explain_guide_id();
  p.set_etag(reopened.guidance_request().etag());
  EXPECT_EQ(stub_->ProposeMatch(Ctx().get(), p, &proposed).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // b: proposed -> accepted -> active -> ended.
  p.set_guide_id(b.id());
  ASSERT_TRUE(stub_->ProposeMatch(Ctx().get(), p, &proposed).ok());
  v1::EndMatchRequest early;
  early.set_match_id(proposed.match().id());
  early.set_etag(proposed.match().etag());
  early.set_outcome(v1::MATCH_OUTCOME_GOAL_REACHED);
  v1::EndMatchResponse er;
  EXPECT_EQ(stub_->EndMatch(Ctx().get(), early, &er).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  v1::AcceptMatchRequest acc;
  acc.set_match_id(proposed.match().id());
  acc.set_etag(proposed.match().etag());
  v1::AcceptMatchResponse accepted;
  ASSERT_TRUE(stub_->AcceptMatch(Ctx().get(), acc, &accepted).ok());
  v1::LogMeetingRequest lm;
  lm.set_match_id(accepted.match().id());
  auto* day = lm.mutable_meeting()->mutable_date();
  day->set_year(2026);
  day->set_month(11);
  day->set_day(20);
  lm.mutable_meeting()->set_minutes(60);
  lm.mutable_meeting()->set_form(v1::MEETING_FORM_WALK);
  lm.set_idempotency_key("meeting-1");
  v1::LogMeetingResponse m1;
  v1::LogMeetingResponse m2;
  ASSERT_TRUE(stub_->LogMeeting(Ctx().get(), lm, &m1).ok());
  ASSERT_TRUE(stub_->LogMeeting(Ctx().get(), lm, &m2).ok());
  EXPECT_EQ(m1.meeting().id(), m2.meeting().id());
  v1::ActivateMatchRequest act;
  act.set_match_id(accepted.match().id());
  act.set_etag(accepted.match().etag());
  v1::ActivateMatchResponse active;
  ASSERT_TRUE(stub_->ActivateMatch(Ctx().get(), act, &active).ok());
  v1::EndMatchRequest end;
  end.set_match_id(active.match().id());
  end.set_etag(active.match().etag());
  end.set_outcome(v1::MATCH_OUTCOME_GOAL_REACHED);
  end.mutable_citizen_evaluation()->set_score(5);
  end.mutable_guide_evaluation()->set_score(4);
  v1::EndMatchResponse ended;
  ASSERT_TRUE(stub_->EndMatch(Ctx().get(), end, &ended).ok());
  EXPECT_EQ(ended.match().match_state(), v1::MATCH_STATE_ENDED);

  v1::GetCoordinatorStatsRequest st;
  v1::GetCoordinatorStatsResponse stats;
  ASSERT_TRUE(stub_->GetCoordinatorStats(Ctx().get(), st, &stats).ok());
  EXPECT_EQ(stats.stats().declined(), 1);
  ASSERT_EQ(stats.stats().decline_reasons_size(), 1);
  EXPECT_EQ(stats.stats().decline_reasons(0).reason(), "Guiden har ikke tid");
}

TEST_P(GuidesIntegrationTest, BatchAssignsUrgentFirstWithinCapacityAndBeatsGreedy) {
  auto ids = demo::LoadDemo(service_->NewChannel(), demo::DemoOptions());
  ASSERT_TRUE(ids.ok()) << ids.status();
  v1::AssignBatchRequest dry;
  dry.set_dry_run(true);
  v1::AssignBatchResponse plan;
  grpc::Status s = stub_->AssignBatch(Ctx().get(), dry, &plan);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_GT(plan.assignments_size(), 0);
  EXPECT_GE(plan.total_score() + 1e-9,
            plan.greedy_assigned() == plan.assignments_size() ? plan.greedy_total_score() : 0.0);
  EXPECT_EQ(plan.proposals_size(), 0);
  v1::AssignBatchRequest real;
  v1::AssignBatchResponse done;
  ASSERT_TRUE(stub_->AssignBatch(Ctx().get(), real, &done).ok());
  EXPECT_EQ(done.proposals_size(), plan.assignments_size());
  // No guide over capacity.
  v1::GetCoordinatorStatsRequest st;
  v1::GetCoordinatorStatsResponse stats;
  ASSERT_TRUE(stub_->GetCoordinatorStats(Ctx().get(), st, &stats).ok());
  for (const auto& l : stats.stats().guide_loads()) {
    EXPECT_LE(l.active_matches(), l.capacity()) << l.guide_id();
  }
  // A second batch proposes nothing new for the same requests.
  v1::AssignBatchResponse again;
  ASSERT_TRUE(stub_->AssignBatch(Ctx().get(), dry, &again).ok());
  for (const auto& a : again.assignments()) {
    for (const auto& p : done.proposals())
      EXPECT_NE(a.guidance_request_id(), p.guidance_request_id());
  }
}

TEST_P(GuidesIntegrationTest, CoordinatorFiguresAreExportedAsGauges) {
  NewRequest("citizen-g1", v1::URGENCY_HIGH);
  NewRequest("citizen-g2", v1::URGENCY_LOW);
  const std::string want = "helhed_guides_open_requests{municipality=\"730\"} ";
  std::string metrics;
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (absl::Now() < deadline) {
    metrics.clear();
    FILE* f = popen(
        absl::StrCat("curl -sf http://127.0.0.1:", service_->metrics_port(), "/metrics").c_str(),
        "r");
    ASSERT_NE(f, nullptr);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0) metrics.append(buf, n);
    pclose(f);
    const size_t at = metrics.find(want);
    if (at != std::string::npos && std::stoi(metrics.substr(at + want.size())) == 2) break;
    absl::SleepFor(absl::Milliseconds(250));
  }
  const size_t at = metrics.find(want);
  ASSERT_NE(at, std::string::npos) << "gauge never appeared";
  EXPECT_EQ(std::stoi(metrics.substr(at + want.size())), 2);
  EXPECT_EQ(metrics.find("citizen-g1"), std::string::npos);
}

TEST_P(GuidesIntegrationTest, TenancyAndValidation) {
  v1::Guide g = NewGuide("Birgit", 1);
  v1::GetGuideRequest get;
  get.set_id(g.id());
  v1::GetGuideResponse got;
  EXPECT_EQ(stub_->GetGuide(Ctx("810").get(), get, &got).error_code(), grpc::StatusCode::NOT_FOUND);
  v1::CreateGuideRequest bad;
  bad.mutable_guide()->set_capacity(99);
  v1::CreateGuideResponse resp;
  grpc::Status s = stub_->CreateGuide(Ctx().get(), bad, &resp);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::set<std::string> fields;
  for (const auto& v : FieldViolationsOf(FromGrpcStatus(s))) fields.insert(v.field);
  EXPECT_TRUE(fields.count("guide.capacity"));
  EXPECT_TRUE(fields.count("guide.display_name"));
}

// Refusals other than validation through the real process: a stale etag, a
// refused step of a match and a match that is not there, in Danish by default
// and in English when the request metadata asks for it (accept-language).
TEST_P(GuidesIntegrationTest, RefusalsSpeakDanishUnlessEnglishIsAsked) {
  v1::Guide g = NewGuide("Karen", 2);
  v1::GuidanceRequest r = NewRequest("citizen-sprog", v1::URGENCY_NORMAL);
  auto english = [this] {
    auto ctx = Ctx();
    ctx->AddMetadata("accept-language", "en");
    return ctx;
  };
  v1::ProposeMatchRequest p;
  p.set_guidance_request_id(r.id());
  p.set_guide_id(g.id());
  p.set_etag(r.etag());
  v1::ProposeMatchResponse proposed;
  ASSERT_TRUE(stub_->ProposeMatch(Ctx().get(), p, &proposed).ok());

  // Proposing again with the etag read before the first proposal.
  v1::ProposeMatchResponse again;
  grpc::Status s = stub_->ProposeMatch(Ctx().get(), p, &again);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message(), "anmodningen er blevet ændret, siden den blev læst (forældet etag)");
  s = stub_->ProposeMatch(english().get(), p, &again);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message(), "request was changed since it was read (stale etag)");

  // A proposed match cannot become active before it is accepted.
  v1::ActivateMatchRequest activate;
  activate.set_match_id(proposed.match().id());
  activate.set_etag(proposed.match().etag());
  v1::ActivateMatchResponse activated;
  s = stub_->ActivateMatch(Ctx().get(), activate, &activated);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message(), "matchet er foreslået; det kan kun accepteres eller afvises");
  s = stub_->ActivateMatch(english().get(), activate, &activated);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message(), "the match is proposed; it can only be accepted or declined");

  // A match that is not there.
  v1::GetMatchRequest missing;
  missing.set_match_id("no-such-match");
  v1::GetMatchResponse none;
  s = stub_->GetMatch(Ctx().get(), missing, &none);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(s.error_message(), "der findes intet match med id no-such-match");
  s = stub_->GetMatch(english().get(), missing, &none);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(s.error_message(), "match no-such-match not found");

  // Nothing changed: the match is still proposed.
  v1::GetMatchRequest get;
  get.set_match_id(proposed.match().id());
  v1::GetMatchResponse got;
  ASSERT_TRUE(stub_->GetMatch(Ctx().get(), get, &got).ok());
  EXPECT_EQ(got.match().match_state(), v1::MATCH_STATE_PROPOSED);
}

TEST_P(GuidesIntegrationTest, AcknowledgedWritesSurviveSigkill) {
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::vector<std::string> acked;
  std::vector<std::thread> writers;
  for (int w = 0; w < 3; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; !stop.load(); ++i) {
        v1::CreateGuidanceRequestRequest req;
        v1::GuidanceRequest* r = req.mutable_guidance_request();
        r->set_citizen_id(absl::StrCat("k-", w, "-", i));
        r->add_situation(v1::EXPERIENCE_TAG_ADHD);
        r->set_help_wanted("Hjælp");
        r->set_life_area(helhed::common::v1::LIFE_AREA_BE);
        r->set_urgency(v1::URGENCY_LOW);
        r->set_postcode("8900");
        req.set_idempotency_key(absl::StrCat("kill-", w, "-", i));
        v1::CreateGuidanceRequestResponse resp;
        grpc::ClientContext ctx;
        ctx.AddMetadata("x-helhed-principal", TestPrincipal("730"));
        ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
        if (stub_->CreateGuidanceRequest(&ctx, req, &resp).ok()) {
          std::lock_guard<std::mutex> lock(mu);
          acked.push_back(resp.guidance_request().id());
        }
      }
    });
  }
  absl::SleepFor(absl::Milliseconds(500));
  service_->Signal(SIGKILL);
  ASSERT_TRUE(service_->Wait(absl::Seconds(10)).ok());
  stop = true;
  for (auto& t : writers) t.join();
  ASSERT_FALSE(acked.empty());
  ASSERT_TRUE(service_->Restart().ok());
  Connect();
  for (const auto& id : acked) {
    v1::GetGuidanceRequestRequest get;
    get.set_id(id);
    v1::GetGuidanceRequestResponse got;
    ASSERT_TRUE(stub_->GetGuidanceRequest(Ctx().get(), get, &got).ok()) << "lost " << id;
  }
}

google::type::Date InDays(int days) {
  const absl::CivilDay d = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) + days;
  google::type::Date out;
  out.set_year(static_cast<int>(d.year()));
  out.set_month(d.month());
  out.set_day(d.day());
  return out;
}

// GetCoordinatorStats reads every guide's load from the columns of
// migration 0003 and parses only the guides with a training expiring in the
// window; for rows written before it (columns NULL) it parses every guide.
// Both give the same figures, across updates and archives.
TEST_P(GuidesIntegrationTest, CoordinatorFiguresFromColumnsAreThoseOfTheBodies) {
  auto ids = demo::LoadDemo(service_->NewChannel(), demo::DemoOptions());
  ASSERT_TRUE(ids.ok()) << ids.status();
  v1::Guide soon = NewGuide("Snart", 2);
  v1::Guide expired = NewGuide("Udløbet", 1);
  v1::Guide renamed = NewGuide("Før", 3);
  v1::Guide gone = NewGuide("Væk", 1);
  for (auto [g, days] : {std::make_pair(&soon, 10), std::make_pair(&expired, -5)}) {
    v1::UpdateGuideRequest u;
    *u.mutable_guide() = *g;
    auto* t = u.mutable_guide()->add_trainings();
    t->set_course("Førstehjælp");
    *t->mutable_completed_date() = InDays(-700);
    *t->mutable_valid_until() = InDays(days);
    u.mutable_update_mask()->add_paths("trainings");
    v1::UpdateGuideResponse r;
    grpc::Status s = stub_->UpdateGuide(Ctx().get(), u, &r);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  v1::UpdateGuideRequest u;
  *u.mutable_guide() = renamed;
  u.mutable_guide()->set_display_name("Efter");
  u.mutable_guide()->set_capacity(5);
  u.mutable_update_mask()->add_paths("display_name");
  u.mutable_update_mask()->add_paths("capacity");
  v1::UpdateGuideResponse r;
  ASSERT_TRUE(stub_->UpdateGuide(Ctx().get(), u, &r).ok());
  v1::ArchiveGuideRequest a;
  a.set_id(gone.id());
  a.set_etag(gone.etag());
  v1::ArchiveGuideResponse archived;
  ASSERT_TRUE(stub_->ArchiveGuide(Ctx().get(), a, &archived).ok());

  auto stats = [&](int within) {
    v1::GetCoordinatorStatsRequest st;
    st.set_training_within_days(within);
    v1::GetCoordinatorStatsResponse out;
    grpc::Status s = stub_->GetCoordinatorStats(Ctx().get(), st, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out.stats();
  };
  const v1::CoordinatorStats month = stats(30);
  const v1::CoordinatorStats year = stats(365);
  int named = 0;
  for (const auto& l : month.guide_loads()) {
    EXPECT_NE(l.guide_id(), gone.id());
    if (l.guide_id() == renamed.id()) {
      ++named;
      EXPECT_EQ(l.display_name(), "Efter");
      EXPECT_EQ(l.capacity(), 5);
    }
  }
  EXPECT_EQ(named, 1);
  std::set<std::string> expiring;
  for (const auto& e : month.expiring_trainings()) expiring.insert(e.guide_id());
  EXPECT_EQ(expiring.count(soon.id()), 1u);
  EXPECT_EQ(expiring.count(expired.id()), 1u);
  EXPECT_EQ(expiring.count(renamed.id()), 0u);

  // The same from the bodies, as for guides written before 0003.
  auto db = store::Database::Open(url_, store::StoreOptions());
  ASSERT_TRUE(db.ok()) << db.status();
  ASSERT_TRUE((*db)
                  ->Run([](store::Connection& c) {
                    return c
                        .Execute(
                            "UPDATE guides SET display_name = NULL, capacity = NULL,"
                            " training_expiry = NULL",
                            {})
                        .status();
                  })
                  .ok());
  EXPECT_EQ(stats(30).DebugString(), month.DebugString());
  EXPECT_EQ(stats(365).DebugString(), year.DebugString());
}

// With the columns, a guide whose trainings do not expire in the window is
// not parsed.
TEST_P(GuidesIntegrationTest, CoordinatorFiguresParseOnlyGuidesWithExpiringTrainings) {
  v1::Guide a = NewGuide("Anna", 2);  // training valid until 2100
  v1::Guide b = NewGuide("Bo", 3);
  auto db = store::Database::Open(url_, store::StoreOptions());
  ASSERT_TRUE(db.ok()) << db.status();
  ASSERT_TRUE((*db)
                  ->Run([](store::Connection& c) {
                    return c.Execute("UPDATE guides SET body = X'00'", {}).status();
                  })
                  .ok());
  v1::GetCoordinatorStatsRequest st;
  v1::GetCoordinatorStatsResponse stats;
  grpc::Status s = stub_->GetCoordinatorStats(Ctx().get(), st, &stats);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(stats.stats().guide_loads_size(), 2);
  EXPECT_EQ(stats.stats().guide_loads(0).guide_id(), a.id());
  EXPECT_EQ(stats.stats().guide_loads(0).display_name(), "Anna");
  EXPECT_EQ(stats.stats().guide_loads(1).capacity(), 3);
  EXPECT_EQ(stats.stats().expiring_trainings_size(), 0);
}

INSTANTIATE_TEST_SUITE_P(Stores, GuidesIntegrationTest,
                         ::testing::ValuesIn(helhed::testing::AllBackends()),
                         [](const ::testing::TestParamInfo<Backend>& p) {
                           return helhed::testing::BackendName(p.param);
                         });

}  // namespace
}  // namespace helhed::guides
