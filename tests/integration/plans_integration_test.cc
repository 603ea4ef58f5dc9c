// Starts the real helhed-plans binary on SQLite and on MariaDB and drives it
// over gRPC, as a client of the service would.
#include <signal.h>

#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/status/field_violations.h"
#include "common/status/grpc_status.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "helhed/plans/v1/plans_service.grpc.pb.h"
#include "services/plans/demo/demo_loader.h"
#include "tests/support/service_process.h"
#include "tests/support/test_store.h"

namespace helhed::plans {
namespace {

using helhed::testing::Backend;
using helhed::testing::ServiceProcess;
using helhed::testing::TestPrincipal;

class PlansIntegrationTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    HELHED_SKIP_UNLESS_ENABLED(GetParam());
    auto url = helhed::testing::NewStoreUrl(GetParam());
    ASSERT_TRUE(url.ok()) << url.status();
    url_ = *url;
    auto p = ServiceProcess::Start(HELHED_PLANS_BINARY, url_);
    ASSERT_TRUE(p.ok()) << p.status();
    service_ = std::move(*p);
    Connect();
  }

  void Connect() {
    channel_ = service_->NewChannel();
    plans_ = v1::PlansService::NewStub(channel_);
    citizens_ = v1::CitizenPlansService::NewStub(channel_);
  }

  std::unique_ptr<grpc::ClientContext> Ctx(const std::string& municipality = "730",
                                           const std::string& accept_language = "") {
    auto ctx = std::make_unique<grpc::ClientContext>();
    if (!municipality.empty()) {
      ctx->AddMetadata("x-helhed-principal", TestPrincipal(municipality));
    }
    if (!accept_language.empty()) {
      ctx->AddMetadata("accept-language", accept_language);
    }
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    return ctx;
  }

  v1::Policy NewPolicy(const std::string& municipality, const std::string& title) {
    v1::CreatePolicyRequest req;
    req.mutable_policy()->set_title(title);
    req.mutable_policy()->mutable_period()->set_start_year(2023);
    req.mutable_policy()->mutable_period()->set_end_year(2026);
    v1::CreatePolicyResponse resp;
    grpc::Status s = plans_->CreatePolicy(Ctx(municipality).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.policy();
  }

  std::string url_;
  std::unique_ptr<ServiceProcess> service_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::PlansService::Stub> plans_;
  std::unique_ptr<v1::CitizenPlansService::Stub> citizens_;
};

TEST_P(PlansIntegrationTest, DemoHierarchyLoadsAndReportsThroughTheApi) {
  auto data = demo::ReadDataset(std::string(HELHED_SOURCE_DIR) +
                                "/services/plans/demo/demo_data.textproto");
  ASSERT_TRUE(data.ok()) << data.status();
  auto loaded = demo::LoadDataset(*data, channel_);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->created["policies"], 3);
  EXPECT_EQ(loaded->created["tracks"], 3);
  // Loading again creates nothing new (every create carries a request id).
  auto again = demo::LoadDataset(*data, channel_);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->ids, loaded->ids);

  // Randers sees its own plans, Brønderslev its own.
  v1::ListPlansRequest lp;
  v1::ListPlansResponse plans730;
  ASSERT_TRUE(plans_->ListPlans(Ctx("730").get(), lp, &plans730).ok());
  v1::ListPlansResponse plans810;
  ASSERT_TRUE(plans_->ListPlans(Ctx("810").get(), lp, &plans810).ok());
  std::set<std::string> titles;
  std::string disability_plan;
  for (const auto& p : plans730.plans()) {
    titles.insert(p.title());
    if (p.title() == "Voksenhandicapplan 2020-2023") {
      disability_plan = p.id();
    }
  }
  EXPECT_TRUE(titles.count("Voksenhandicapplan 2020-2023"));
  EXPECT_TRUE(titles.count("Plan for udsatteområdet 2018-2021"));
  ASSERT_EQ(plans810.plans_size(), 1);
  ASSERT_FALSE(disability_plan.empty());
  // Brønderslev cannot read Randers' plan, nor its report.
  v1::GetPlanRequest gp;
  gp.set_id(disability_plan);
  v1::GetPlanResponse other;
  EXPECT_EQ(plans_->GetPlan(Ctx("810").get(), gp, &other).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::GetStatusReportRequest other_report;
  other_report.set_plan_id(disability_plan);
  other_report.set_year(2021);
  v1::GetStatusReportResponse nothing;
  EXPECT_EQ(plans_->GetStatusReport(Ctx("810").get(), other_report, &nothing).error_code(),
            grpc::StatusCode::NOT_FOUND);

  // Nine initiative areas in three tracks.
  v1::ListInitiativeAreasRequest la;
  la.set_plan_id(disability_plan);
  v1::ListInitiativeAreasResponse areas;
  ASSERT_TRUE(plans_->ListInitiativeAreas(Ctx().get(), la, &areas).ok());
  EXPECT_EQ(areas.initiative_areas_size(), 9);
  v1::ListTracksRequest lt;
  lt.set_plan_id(disability_plan);
  v1::ListTracksResponse tracks;
  ASSERT_TRUE(plans_->ListTracks(Ctx().get(), lt, &tracks).ok());
  EXPECT_EQ(tracks.tracks_size(), 3);

  // The status report names every area, structured and as Markdown.
  v1::GetStatusReportRequest rr;
  rr.set_plan_id(disability_plan);
  rr.set_year(2021);
  v1::GetStatusReportResponse report;
  grpc::Status s = plans_->GetStatusReport(Ctx().get(), rr, &report);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(report.report().initiative_areas_size(), 9);
  for (const auto& a : areas.initiative_areas()) {
    EXPECT_NE(report.markdown().find(a.title()), std::string::npos) << a.title();
  }
  int in_focus = 0;
  for (const auto& a : report.report().initiative_areas()) {
    in_focus += a.in_focus();
  }
  EXPECT_GT(in_focus, 0);
}

// The status report of the demo plan for vulnerable citizens ("Plan for
// udsatteområdet"), as the Socialudvalg reads it: in Danish by default, with
// Danish headings, names and figures; in English when the caller asks.
TEST_P(PlansIntegrationTest, DemoVulnerableCitizensReportIsDanishByDefaultEnglishOnRequest) {
  auto data = demo::ReadDataset(std::string(HELHED_SOURCE_DIR) +
                                "/services/plans/demo/demo_data.textproto");
  ASSERT_TRUE(data.ok()) << data.status();
  auto loaded = demo::LoadDataset(*data, channel_);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  v1::ListPlansRequest lp;
  v1::ListPlansResponse plans;
  ASSERT_TRUE(plans_->ListPlans(Ctx().get(), lp, &plans).ok());
  std::string plan_id;
  for (const auto& p : plans.plans()) {
    if (p.title() == "Plan for udsatteområdet 2018-2021") plan_id = p.id();
  }
  ASSERT_FALSE(plan_id.empty());
  v1::GetStatusReportRequest rr;
  rr.set_plan_id(plan_id);
  rr.set_year(2021);

  v1::GetStatusReportResponse da;
  grpc::Status s = plans_->GetStatusReport(Ctx().get(), rr, &da);
  ASSERT_TRUE(s.ok()) << s.error_message();
  const std::string& md = da.markdown();
  for (const char* expected : {
           "# Årlig status 2021: Plan for udsatteområdet 2018-2021\n",
           "Status på implementeringen af planen pr. 31. december 2021.",
           "- Ansvarlig for planen: Socialchefen og centerlederen for Center for Særlig Social "
           "Indsats",
           "- Målgruppe: socialt udsatte, misbrug, hjemløshed, sindslidelse, prostitution",
           "## Sammenfatning",
           "- Indsatsområder: 7",
           "## Hurtig og fleksibel støtte\n",
           "- Livsområder: at mestre",
           "- Ansvarlig: Center for Særlig Social Indsats",
           "Aktiviteter fordelt på status: ",
           "1 implementeret og i drift",
           "## Fleksible og individuelle boligløsninger\n",
           "- Livsområder: at bo",
           "- Målgruppe: hjemløshed, socialt udsatte, unge voksne (18-25 år)",
           "Forsinket:",
           "- **Dobbeltdiagnosticerede**, tidsfrist 30.06.2021 (i gang), ansvarlig: "
           "Rusmiddelcenter "
           "Randers",
           "## Planens indikatorer",
           "| Indikator | Baseline | Mål | Seneste måling | Fremdrift mod målet | Status |",
           "| Forsorgstilbud (§110) | 157 borgere (31.12.2017) | skal falde til 130 borgere "
           "(31.12.2021) | 157 borgere (31.12.2017) | 0 % (uændret) | endnu ikke nået |",
       }) {
    EXPECT_NE(md.find(expected), std::string::npos) << "missing: " << expected << "\n" << md;
  }
  for (const char* english :
       {"Status report", "As of",      "Summary", "Initiative areas", "Activities",
        "Overdue",       "Track:",     "Target",  "Indicator",        "Latest",
        "Progress",      "target met", "not yet", "not measured",     "no measurement",
        "What changed",  " update",    "due ",    "(focus",           "planned",
        "in progress",   "completed",  "on hold", "cancelled",        "Responsible",
        "Life areas",    "unchanged"}) {
    EXPECT_EQ(md.find(english), std::string::npos) << "English: " << english << "\n" << md;
  }
  for (const char* token :
       {"LIFE_AREA_", "TARGET_GROUP_", "ACTIVITY_STATUS_", "INDICATOR_DIRECTION_", "SITUATION_",
        "VULNERABILITY_", "-0 ", "-0,", "-0%", "[["}) {
    EXPECT_EQ(md.find(token), std::string::npos) << "token: " << token << "\n" << md;
  }

  v1::GetStatusReportResponse en;
  s = plans_->GetStatusReport(Ctx("730", "en").get(), rr, &en);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(en.report(), da.report()));
  for (const char* expected : {
           "# Status report 2021: Plan for udsatteområdet 2018-2021\n",
           "Progress of the plan as of 31 December 2021.",
           "- Target groups: socially vulnerable, substance use",
           "- Life areas: to master",
           "Overdue:",
           "- **Dobbeltdiagnosticerede**, due 2021-06-30 (in progress), responsible: "
           "Rusmiddelcenter "
           "Randers",
           "| Indicator | Baseline | Target | Latest | Progress to target | Status |",
           "| Forsorgstilbud (§110) | 157 borgere (2017-12-31) | down to 130 borgere (2021-12-31) "
           "| "
           "157 borgere (2017-12-31) | 0% (unchanged) | not yet |",
       }) {
    EXPECT_NE(en.markdown().find(expected), std::string::npos) << "missing: " << expected << "\n"
                                                               << en.markdown();
  }
  for (const char* danish :
       {"Årlig status", "Sammenfatning", "Forsinket", "tidsfrist", "skal falde", "uændret",
        "i gang", "Planens indikatorer", "Livsområder", "at mestre"}) {
    EXPECT_EQ(en.markdown().find(danish), std::string::npos) << "Danish: " << danish << "\n"
                                                             << en.markdown();
  }
  // "da" asked for explicitly is the same as the default.
  v1::GetStatusReportResponse da_asked;
  ASSERT_TRUE(plans_->GetStatusReport(Ctx("730", "da, en;q=0.5").get(), rr, &da_asked).ok());
  EXPECT_EQ(da_asked.markdown(), md);
}

TEST_P(PlansIntegrationTest, UpdateWithStaleEtagIsRejectedAndChangesNothing) {
  v1::Policy policy = NewPolicy("730", "Politik A");
  v1::UpdatePolicyRequest up;
  *up.mutable_policy() = policy;
  up.mutable_policy()->set_title("Politik B");
  up.mutable_update_mask()->add_paths("title");
  v1::UpdatePolicyResponse first;
  ASSERT_TRUE(plans_->UpdatePolicy(Ctx().get(), up, &first).ok());
  EXPECT_NE(first.policy().etag(), policy.etag());

  up.mutable_policy()->set_title("Politik C");  // still carries the old etag
  v1::UpdatePolicyResponse second;
  grpc::Status s = plans_->UpdatePolicy(Ctx().get(), up, &second);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  // Said in Danish by default, in English on request.
  EXPECT_EQ(s.error_message(),
            "politikken er blevet ændret, siden den blev læst (forældet etag); læs den igen");
  grpc::Status en = plans_->UpdatePolicy(Ctx("730", "en").get(), up, &second);
  EXPECT_EQ(en.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(en.error_message(), "policy was changed since it was read (stale etag); read it again");
  // So is a resource that is not there.
  v1::GetPolicyRequest missing;
  missing.set_id("no-such-policy");
  v1::GetPolicyResponse none;
  grpc::Status nf = plans_->GetPolicy(Ctx().get(), missing, &none);
  EXPECT_EQ(nf.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(nf.error_message(), "der findes ingen politik med id no-such-policy");
  nf = plans_->GetPolicy(Ctx("730", "en").get(), missing, &none);
  EXPECT_EQ(nf.error_message(), "policy no-such-policy not found");

  v1::GetPolicyRequest get;
  get.set_id(policy.id());
  v1::GetPolicyResponse got;
  ASSERT_TRUE(plans_->GetPolicy(Ctx().get(), get, &got).ok());
  EXPECT_EQ(got.policy().title(), "Politik B");
}

TEST_P(PlansIntegrationTest, RetriedCreateReturnsTheFirstResult) {
  v1::CreatePolicyRequest req;
  req.mutable_policy()->set_title("Politik med retry");
  req.mutable_policy()->mutable_period()->set_start_year(2024);
  req.mutable_policy()->mutable_period()->set_end_year(2027);
  req.set_idempotency_key("retry-1");
  v1::CreatePolicyResponse a;
  v1::CreatePolicyResponse b;
  ASSERT_TRUE(plans_->CreatePolicy(Ctx().get(), req, &a).ok());
  ASSERT_TRUE(plans_->CreatePolicy(Ctx().get(), req, &b).ok());
  EXPECT_EQ(a.policy().id(), b.policy().id());

  // Concurrent retries of another create also give one policy.
  req.set_idempotency_key("retry-2");
  std::vector<std::thread> threads;
  std::mutex mu;
  std::set<std::string> ids;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      v1::CreatePolicyResponse r;
      grpc::Status s = plans_->CreatePolicy(Ctx().get(), req, &r);
      std::lock_guard<std::mutex> lock(mu);
      EXPECT_TRUE(s.ok()) << s.error_message();
      ids.insert(r.policy().id());
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ids.size(), 1u);

  v1::ListPoliciesRequest list;
  v1::ListPoliciesResponse all;
  ASSERT_TRUE(plans_->ListPolicies(Ctx().get(), list, &all).ok());
  EXPECT_EQ(all.policies_size(), 2);
}

TEST_P(PlansIntegrationTest, ConcurrentRetriesOfAProgressUpdateAddItOnce) {
  v1::Policy policy = NewPolicy("730", "Politik");
  v1::CreatePlanRequest cp;
  cp.mutable_plan()->set_policy_id(policy.id());
  cp.mutable_plan()->set_title("Plan");
  cp.mutable_plan()->mutable_period()->set_start_year(2023);
  cp.mutable_plan()->mutable_period()->set_end_year(2026);
  v1::CreatePlanResponse plan;
  ASSERT_TRUE(plans_->CreatePlan(Ctx().get(), cp, &plan).ok());
  v1::CreateInitiativeAreaRequest ca;
  ca.mutable_initiative_area()->set_plan_id(plan.plan().id());
  ca.mutable_initiative_area()->set_title("Område");
  v1::CreateInitiativeAreaResponse area;
  ASSERT_TRUE(plans_->CreateInitiativeArea(Ctx().get(), ca, &area).ok());
  v1::CreateActivityRequest cact;
  cact.mutable_activity()->set_initiative_area_id(area.initiative_area().id());
  cact.mutable_activity()->set_title("Aktivitet");
  cact.mutable_activity()->set_status(v1::ACTIVITY_STATUS_PLANNED);
  v1::CreateActivityResponse act;
  ASSERT_TRUE(plans_->CreateActivity(Ctx().get(), cact, &act).ok());

  v1::AddActivityProgressRequest req;
  req.set_activity_id(act.activity().id());
  req.set_idempotency_key("progress-retry");
  req.mutable_progress()->set_note("Første møde holdt");
  req.mutable_progress()->set_new_status(v1::ACTIVITY_STATUS_IN_PROGRESS);
  auto* d = req.mutable_progress()->mutable_update_date();
  d->set_year(2024);
  d->set_month(3);
  d->set_day(1);
  std::mutex mu;
  std::set<std::string> ids;
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      v1::AddActivityProgressResponse r;
      grpc::Status s = plans_->AddActivityProgress(Ctx().get(), req, &r);
      std::lock_guard<std::mutex> lock(mu);
      EXPECT_TRUE(s.ok()) << s.error_message();
      ids.insert(r.progress().id());
      EXPECT_EQ(r.activity().status(), v1::ACTIVITY_STATUS_IN_PROGRESS);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ids.size(), 1u);
  v1::ListActivityProgressRequest list;
  list.set_activity_id(act.activity().id());
  v1::ListActivityProgressResponse progress;
  ASSERT_TRUE(plans_->ListActivityProgress(Ctx().get(), list, &progress).ok());
  EXPECT_EQ(progress.progress_size(), 1);
}

TEST_P(PlansIntegrationTest, CallWithoutPrincipalIsUnauthenticated) {
  v1::ListPoliciesRequest list;
  v1::ListPoliciesResponse all;
  grpc::Status s = plans_->ListPolicies(Ctx("").get(), list, &all);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);

  grpc::ClientContext garbage;
  garbage.AddMetadata("x-helhed-principal", "not-a-principal");
  s = plans_->ListPolicies(&garbage, list, &all);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_P(PlansIntegrationTest, AnotherMunicipalitysRecordIsNotFound) {
  v1::Policy policy = NewPolicy("730", "Randers' politik");
  v1::GetPolicyRequest get;
  get.set_id(policy.id());
  v1::GetPolicyResponse got;
  EXPECT_EQ(plans_->GetPolicy(Ctx("810").get(), get, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::UpdatePolicyRequest up;
  *up.mutable_policy() = policy;
  up.mutable_policy()->set_title("kapret");
  up.mutable_update_mask()->add_paths("title");
  v1::UpdatePolicyResponse upr;
  EXPECT_EQ(plans_->UpdatePolicy(Ctx("810").get(), up, &upr).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::ListPoliciesRequest list;
  v1::ListPoliciesResponse all;
  ASSERT_TRUE(plans_->ListPolicies(Ctx("810").get(), list, &all).ok());
  EXPECT_EQ(all.policies_size(), 0);
  // Nor can 810 hang a plan under 730's policy.
  v1::CreatePlanRequest cp;
  cp.mutable_plan()->set_policy_id(policy.id());
  cp.mutable_plan()->set_title("Plan");
  cp.mutable_plan()->mutable_period()->set_start_year(2023);
  cp.mutable_plan()->mutable_period()->set_end_year(2024);
  v1::CreatePlanResponse cpr;
  EXPECT_EQ(plans_->CreatePlan(Ctx("810").get(), cp, &cpr).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_P(PlansIntegrationTest, BadRequestNamesEveryFieldAndWritesNothing) {
  v1::CreatePolicyRequest req;
  req.mutable_policy()->set_title("   ");
  req.mutable_policy()->mutable_period()->set_start_year(2026);
  req.mutable_policy()->mutable_period()->set_end_year(2023);
  v1::CreatePolicyResponse resp;
  grpc::Status s = plans_->CreatePolicy(Ctx().get(), req, &resp);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::set<std::string> fields;
  for (const auto& v : FieldViolationsOf(FromGrpcStatus(s))) {
    fields.insert(v.field);
  }
  EXPECT_EQ(fields, (std::set<std::string>{"policy.title", "policy.period.end_year"}));

  v1::ListPoliciesRequest list;
  list.set_include_archived(true);
  v1::ListPoliciesResponse all;
  ASSERT_TRUE(plans_->ListPolicies(Ctx().get(), list, &all).ok());
  EXPECT_EQ(all.policies_size(), 0);

  v1::ListPoliciesRequest too_big;
  too_big.mutable_page()->set_page_size(100000);
  EXPECT_EQ(plans_->ListPolicies(Ctx().get(), too_big, &all).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_P(PlansIntegrationTest, AcknowledgedWritesSurviveSigkill) {
  v1::Policy policy = NewPolicy("730", "Politik");
  for (int round = 0; round < 3; ++round) {
    std::atomic<bool> stop{false};
    std::mutex mu;
    std::map<std::string, std::string> acked;  // request id -> policy id
    std::vector<std::thread> writers;
    for (int w = 0; w < 4; ++w) {
      writers.emplace_back([&, w] {
        for (int i = 0; !stop.load(); ++i) {
          v1::CreatePolicyRequest req;
          req.mutable_policy()->set_title(absl::StrCat("P ", round, "-", w, "-", i));
          req.mutable_policy()->mutable_period()->set_start_year(2020);
          req.mutable_policy()->mutable_period()->set_end_year(2021);
          req.set_idempotency_key(absl::StrCat("kill-", round, "-", w, "-", i));
          v1::CreatePolicyResponse resp;
          grpc::ClientContext ctx;
          ctx.AddMetadata("x-helhed-principal", TestPrincipal("730"));
          ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
          if (plans_->CreatePolicy(&ctx, req, &resp).ok()) {
            std::lock_guard<std::mutex> lock(mu);
            acked[req.idempotency_key()] = resp.policy().id();
          }
        }
      });
    }
    std::mt19937 rng(round);
    absl::SleepFor(absl::Milliseconds(300 + rng() % 500));
    service_->Signal(SIGKILL);
    ASSERT_TRUE(service_->Wait(absl::Seconds(10)).ok());
    stop = true;
    for (auto& t : writers) t.join();
    ASSERT_FALSE(acked.empty());
    ASSERT_TRUE(service_->Restart().ok());
    Connect();
    for (const auto& [request_id, id] : acked) {
      v1::GetPolicyRequest get;
      get.set_id(id);
      v1::GetPolicyResponse got;
      ASSERT_TRUE(plans_->GetPolicy(Ctx().get(), get, &got).ok()) << "lost " << request_id;
    }
    // Retrying an acknowledged create after the restart returns the same policy.
    const auto& [request_id, id] = *acked.begin();
    v1::CreatePolicyRequest retry;
    retry.mutable_policy()->set_title("retry");
    retry.mutable_policy()->mutable_period()->set_start_year(2020);
    retry.mutable_policy()->mutable_period()->set_end_year(2021);
    retry.set_idempotency_key(request_id);
    v1::CreatePolicyResponse r;
    ASSERT_TRUE(plans_->CreatePolicy(Ctx().get(), retry, &r).ok());
    EXPECT_EQ(r.policy().id(), id);
  }
  (void)policy;
}

TEST_P(PlansIntegrationTest, SigtermDrainsInFlightCalls) {
  v1::Policy policy = NewPolicy("730", "Politik");
  std::atomic<bool> stop{false};
  std::atomic<int> ok{0};
  std::mutex mu;
  std::map<int, int> codes;
  std::vector<std::string> acked;
  std::set<std::string> failed_titles;
  std::vector<std::thread> clients;
  for (int w = 0; w < 6; ++w) {
    clients.emplace_back([&, w] {
      for (int i = 0; !stop.load(); ++i) {
        v1::CreatePolicyRequest req;
        req.mutable_policy()->set_title(absl::StrCat("T ", w, "-", i));
        req.mutable_policy()->mutable_period()->set_start_year(2020);
        req.mutable_policy()->mutable_period()->set_end_year(2021);
        v1::CreatePolicyResponse resp;
        grpc::ClientContext ctx;
        ctx.AddMetadata("x-helhed-principal", TestPrincipal("730"));
        ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
        grpc::Status s = plans_->CreatePolicy(&ctx, req, &resp);
        std::lock_guard<std::mutex> lock(mu);
        codes[s.error_code()]++;
        if (s.ok()) {
          ok++;
          acked.push_back(resp.policy().id());
        } else {
          failed_titles.insert(req.policy().title());
        }
      }
    });
  }
  while (ok.load() < 50) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  service_->Signal(SIGTERM);
  auto exit_code = service_->Wait(absl::Seconds(30));
  stop = true;
  for (auto& t : clients) t.join();
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0) << "graceful shutdown exits 0";
  // Every call either completed, or was refused by the closing transport
  // before the server took it (UNAVAILABLE, or CANCELLED when the stream was
  // reset); never an error from inside the server.
  for (const auto& [code, n] : codes) {
    EXPECT_TRUE(code == grpc::StatusCode::OK || code == grpc::StatusCode::UNAVAILABLE ||
                code == grpc::StatusCode::CANCELLED)
        << "code " << code << " seen " << n << " times";
  }
  ASSERT_TRUE(service_->Restart().ok());
  Connect();
  for (const auto& id : acked) {
    v1::GetPolicyRequest get;
    get.set_id(id);
    v1::GetPolicyResponse got;
    ASSERT_TRUE(plans_->GetPolicy(Ctx().get(), get, &got).ok());
  }
  // A call the server accepted ran to the end: nothing that failed for the
  // client was written.
  std::set<std::string> stored;
  v1::ListPoliciesRequest list;
  list.mutable_page()->set_page_size(500);
  do {
    v1::ListPoliciesResponse page;
    ASSERT_TRUE(plans_->ListPolicies(Ctx().get(), list, &page).ok());
    for (const auto& p : page.policies()) stored.insert(p.title());
    list.mutable_page()->set_page_token(page.page().next_page_token());
  } while (!list.page().page_token().empty());
  EXPECT_EQ(stored.size(), acked.size() + 1);
  for (const auto& t : failed_titles) {
    EXPECT_EQ(stored.count(t), 0u) << t << " was written but its call failed";
  }
  (void)policy;
}

TEST_P(PlansIntegrationTest, CitizenDataNeverReachesLogsOrMetrics) {
  const std::string citizen = "citizen-secret-4711";
  const std::string hope = "Jeg drømmer om en lejlighed tæt på min søster";
  v1::CreateCitizenPlanRequest req;
  req.mutable_citizen_plan()->set_citizen_id(citizen);
  req.mutable_citizen_plan()->set_hopes(hope);
  v1::CreateCitizenPlanResponse resp;
  ASSERT_TRUE(citizens_->CreateCitizenPlan(Ctx().get(), req, &resp).ok());
  v1::ListCitizenPlansRequest list;
  list.set_citizen_id(citizen);
  v1::ListCitizenPlansResponse plans;
  ASSERT_TRUE(citizens_->ListCitizenPlans(Ctx().get(), list, &plans).ok());
  ASSERT_EQ(plans.citizen_plans_size(), 1);
  // A bad request too: its error must not echo the value either.
  req.mutable_citizen_plan()->set_citizen_id("010170-1234 " + citizen);
  grpc::Status s = citizens_->CreateCitizenPlan(Ctx().get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().find("010170"), std::string::npos);

  service_->Signal(SIGTERM);
  ASSERT_TRUE(service_->Wait(absl::Seconds(30)).ok());
  std::ifstream in(service_->log_path());
  std::stringstream log;
  log << in.rdbuf();
  EXPECT_EQ(log.str().find(citizen), std::string::npos);
  EXPECT_EQ(log.str().find("drømmer"), std::string::npos);
}

// Field violations in the caller's language: Danish unless the request
// asks for English (accept-language), the field named either way, nothing
// written. Covers the shared Validator, the store's own checks (a missing
// reference) and the page size of a list.
TEST_P(PlansIntegrationTest, ValidationSpeaksDanishUnlessEnglishIsAsked) {
  auto descriptions = [](const grpc::Status& s) {
    std::map<std::string, std::string> out;
    for (const auto& v : FieldViolationsOf(FromGrpcStatus(s))) out[v.field] = v.description;
    return out;
  };
  auto english = [&] {
    auto ctx = Ctx();
    ctx->AddMetadata("accept-language", "en-GB, da;q=0.5");
    return ctx;
  };
  v1::CreatePolicyRequest req;
  req.mutable_policy()->set_title("   ");
  req.mutable_policy()->set_owner(std::string(201, 'x'));
  req.mutable_policy()->mutable_period()->set_start_year(2026);
  req.mutable_policy()->mutable_period()->set_end_year(2023);
  v1::CreatePolicyResponse resp;

  grpc::Status s = plans_->CreatePolicy(Ctx().get(), req, &resp);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(descriptions(s), (std::map<std::string, std::string>{
                                 {"policy.title", "skal udfyldes"},
                                 {"policy.owner", "må højst være 200 tegn"},
                                 {"policy.period.end_year", "må ikke ligge før start_year"}}));
  EXPECT_EQ(s.error_message().rfind("ugyldig forespørgsel: policy.title: skal udfyldes", 0), 0u)
      << s.error_message();

  s = plans_->CreatePolicy(english().get(), req, &resp);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(descriptions(s), (std::map<std::string, std::string>{
                                 {"policy.title", "is required"},
                                 {"policy.owner", "must be at most 200 characters"},
                                 {"policy.period.end_year", "must not be before start_year"}}));
  EXPECT_EQ(s.error_message().rfind("invalid request: policy.title: is required", 0), 0u)
      << s.error_message();

  // Explicitly Danish is Danish.
  auto danish = Ctx();
  danish->AddMetadata("accept-language", "da");
  s = plans_->CreatePolicy(danish.get(), req, &resp);
  EXPECT_EQ(descriptions(s)["policy.title"], "skal udfyldes");

  // A reference to a policy that does not exist: found by the store.
  v1::CreatePlanRequest plan;
  plan.mutable_plan()->set_policy_id("no-such-policy");
  plan.mutable_plan()->set_title("Plan");
  plan.mutable_plan()->mutable_period()->set_start_year(2023);
  plan.mutable_plan()->mutable_period()->set_end_year(2026);
  v1::CreatePlanResponse planned;
  s = plans_->CreatePlan(Ctx().get(), plan, &planned);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(descriptions(s),
            (std::map<std::string, std::string>{
                {"plan.policy_id", "findes ikke (der er ingen policy med dette id)"}}));
  s = plans_->CreatePlan(english().get(), plan, &planned);
  EXPECT_EQ(descriptions(s),
            (std::map<std::string, std::string>{{"plan.policy_id", "no such policy"}}));

  // A page size out of range.
  v1::ListPoliciesRequest too_big;
  too_big.mutable_page()->set_page_size(100000);
  v1::ListPoliciesResponse all;
  s = plans_->ListPolicies(Ctx().get(), too_big, &all);
  EXPECT_EQ(descriptions(s), (std::map<std::string, std::string>{
                                 {"page.page_size", "skal være mellem 1 og 500 (0 giver 50)"}}));
  s = plans_->ListPolicies(english().get(), too_big, &all);
  EXPECT_EQ(descriptions(s), (std::map<std::string, std::string>{
                                 {"page.page_size", "must be between 1 and 500 (0 for 50)"}}));

  // Nothing was written.
  v1::ListPoliciesRequest list;
  list.set_include_archived(true);
  ASSERT_TRUE(plans_->ListPolicies(Ctx().get(), list, &all).ok());
  EXPECT_EQ(all.policies_size(), 0);
  v1::ListPlansRequest plans_list;
  v1::ListPlansResponse no_plans;
  ASSERT_TRUE(plans_->ListPlans(Ctx().get(), plans_list, &no_plans).ok());
  EXPECT_EQ(no_plans.plans_size(), 0);
}

INSTANTIATE_TEST_SUITE_P(Stores, PlansIntegrationTest,
                         ::testing::ValuesIn(helhed::testing::AllBackends()),
                         [](const ::testing::TestParamInfo<Backend>& p) {
                           return helhed::testing::BackendName(p.param);
                         });

}  // namespace
}  // namespace helhed::plans
