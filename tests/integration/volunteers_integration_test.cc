// Starts the real helhed-volunteers binary on SQLite and on MariaDB and drives
// it over gRPC: capacity and booking under concurrency, the lifecycle,
// ranking, tenancy, crash safety, monthly figures.
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
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "helhed/volunteers/v1/volunteers_service.grpc.pb.h"
#include "services/volunteers/demo/demo_loader.h"
#include "tests/support/service_process.h"
#include "tests/support/test_store.h"

namespace helhed::volunteers {
namespace {

namespace v1 = ::helhed::volunteers::v1;
using google::protobuf::util::TimeUtil;
using helhed::testing::Backend;
using helhed::testing::ServiceProcess;
using helhed::testing::TestPrincipal;

google::protobuf::Timestamp Ts(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

const absl::TimeZone& Copenhagen() {
  static const absl::TimeZone tz = [] {
    absl::TimeZone z;
    absl::LoadTimeZone("Europe/Copenhagen", &z);
    return z;
  }();
  return tz;
}

// Next Wednesday at hh:mm Danish time, at least two days ahead.
absl::Time NextWednesday(int hour, int minute) {
  absl::CivilDay d = absl::ToCivilDay(absl::Now(), Copenhagen()) + 2;
  while (absl::GetWeekday(d) != absl::Weekday::wednesday) d += 1;
  return absl::FromCivil(absl::CivilMinute(d.year(), d.month(), d.day(), hour, minute),
                         Copenhagen());
}

class VolunteersIntegrationTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    HELHED_SKIP_UNLESS_ENABLED(GetParam());
    auto url = helhed::testing::NewStoreUrl(GetParam());
    ASSERT_TRUE(url.ok()) << url.status();
    setenv("HELHED_VOLUNTEERS_STATS_SECONDS", "1", 1);
    auto p = ServiceProcess::Start(HELHED_VOLUNTEERS_BINARY, *url);
    ASSERT_TRUE(p.ok()) << p.status();
    service_ = std::move(*p);
    Connect();
  }
  void Connect() { stub_ = v1::VolunteersService::NewStub(service_->NewChannel()); }

  std::unique_ptr<grpc::ClientContext> Ctx(const std::string& muni = "730") {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata("x-helhed-principal", TestPrincipal(muni));
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    return ctx;
  }

  v1::Volunteer NewVolunteer(const std::string& name, const std::string& muni = "730") {
    v1::CreateVolunteerRequest req;
    v1::Volunteer* v = req.mutable_volunteer();
    v->set_display_name(name);
    v->set_home_postcode("8900");
    v->mutable_home_location()->set_latitude(56.4607);
    v->mutable_home_location()->set_longitude(10.0364);
    v->add_languages("da");
    v->add_interests("fodbold");
    auto* w = v->add_availability();
    w->set_weekday(v1::WEEKDAY_WEDNESDAY);
    w->set_start_minute(8 * 60);
    w->set_end_minute(22 * 60);
    auto* rc = v->mutable_record_check();
    rc->set_kind(v1::RECORD_CHECK_KIND_CRIMINAL_RECORD);
    rc->set_status(v1::RECORD_CHECK_STATUS_VALID);
    rc->mutable_expiry_date()->set_year(2100);
    rc->mutable_expiry_date()->set_month(1);
    rc->mutable_expiry_date()->set_day(1);
    v->set_status(v1::VOLUNTEER_STATUS_ACTIVE);
    v->set_consent_given(true);
    v1::CreateVolunteerResponse resp;
    grpc::Status s = stub_->CreateVolunteer(Ctx(muni).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.volunteer();
  }

  v1::AccompanimentRequest NewRequest(const std::string& citizen, absl::Time start,
                                      absl::Duration length) {
    v1::CreateAccompanimentRequestRequest req;
    auto* r = req.mutable_accompaniment_request();
    r->set_citizen_id(citizen);
    r->set_destination("Stadion");
    r->mutable_place()->set_postcode("8900");
    r->mutable_place()->mutable_location()->set_latitude(56.4610);
    r->mutable_place()->mutable_location()->set_longitude(10.0370);
    *r->mutable_window_start() = Ts(start);
    *r->mutable_window_end() = Ts(start + length);
    r->add_interests("fodbold");
    v1::CreateAccompanimentRequestResponse resp;
    grpc::Status s = stub_->CreateAccompanimentRequest(Ctx().get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.accompaniment_request();
  }

  std::unique_ptr<ServiceProcess> service_;
  std::unique_ptr<v1::VolunteersService::Stub> stub_;
};

TEST_P(VolunteersIntegrationTest, DemoDataLoadsOnceAndRanksCandidates) {
  demo::DemoOptions o;
  auto ids = demo::LoadDemo(service_->NewChannel(), o);
  ASSERT_TRUE(ids.ok()) << ids.status();
  auto again = demo::LoadDemo(service_->NewChannel(), o);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(ids->volunteers, again->volunteers);
  v1::ListVolunteersRequest list;
  list.mutable_page()->set_page_size(500);
  v1::ListVolunteersResponse all;
  ASSERT_TRUE(stub_->ListVolunteers(Ctx().get(), list, &all).ok());
  EXPECT_EQ(all.volunteers_size(), o.volunteers);

  v1::RankCandidatesRequest rank;
  rank.set_accompaniment_id(ids->requests[1]);
  v1::RankCandidatesResponse ranked;
  grpc::Status s = stub_->RankCandidates(Ctx().get(), rank, &ranked);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_GT(ranked.considered(), 0);
  for (int i = 1; i < ranked.candidates_size(); ++i) {
    EXPECT_GE(ranked.candidates(i - 1).score(), ranked.candidates(i).score());
  }
  for (const auto& c : ranked.candidates()) {
    EXPECT_FALSE(c.factors().empty());
  }
}

// The month's figures are Prometheus gauges, per municipality.
TEST_P(VolunteersIntegrationTest, MonthlyFiguresAreExportedAsGauges) {
  demo::DemoOptions o;
  auto ids = demo::LoadDemo(service_->NewChannel(), o);
  ASSERT_TRUE(ids.ok()) << ids.status();
  const std::string want = "helhed_volunteers_active_volunteers{municipality=\"730\"} ";
  std::string metrics;
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (absl::Now() < deadline && metrics.find(want) == std::string::npos) {
    absl::SleepFor(absl::Milliseconds(250));
    metrics.clear();
    FILE* f = popen(
        absl::StrCat("curl -sf http://127.0.0.1:", service_->metrics_port(), "/metrics").c_str(),
        "r");
    ASSERT_NE(f, nullptr);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0) metrics.append(buf, n);
    pclose(f);
  }
  const size_t at = metrics.find(want);
  ASSERT_NE(at, std::string::npos) << "gauge never appeared";
  // 40 demo volunteers, every 13th paused: 36 active with consent.
  EXPECT_EQ(std::stoi(metrics.substr(at + want.size())), 36);
  EXPECT_NE(metrics.find("helhed_volunteers_time_given_month_seconds{municipality=\"730\"}"),
            std::string::npos);
  EXPECT_EQ(metrics.find("demo-citizen"), std::string::npos);
}

TEST_P(VolunteersIntegrationTest, CoordinatorSeesExpiringChecksAndInactiveVolunteers) {
  v1::Volunteer fine = NewVolunteer("Langt ude");  // expires in 2100
  v1::CreateVolunteerRequest req;
  v1::Volunteer soon = NewVolunteer("Snart udløbet");
  const absl::CivilDay in_ten = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) + 10;
  v1::UpdateVolunteerRequest up;
  *up.mutable_volunteer() = soon;
  auto* d = up.mutable_volunteer()->mutable_record_check()->mutable_expiry_date();
  d->set_year(static_cast<int>(in_ten.year()));
  d->set_month(in_ten.month());
  d->set_day(in_ten.day());
  up.mutable_update_mask()->add_paths("record_check");
  v1::UpdateVolunteerResponse updated;
  grpc::Status s = stub_->UpdateVolunteer(Ctx().get(), up, &updated);
  ASSERT_TRUE(s.ok()) << s.error_message();

  v1::ListExpiringRecordChecksRequest exp;
  exp.set_within_days(30);
  v1::ListExpiringRecordChecksResponse expiring;
  ASSERT_TRUE(stub_->ListExpiringRecordChecks(Ctx().get(), exp, &expiring).ok());
  ASSERT_EQ(expiring.checks_size(), 1);
  EXPECT_EQ(expiring.checks(0).volunteer_id(), soon.id());
  EXPECT_EQ(expiring.checks(0).days_left(), 10);
  exp.set_within_days(5);
  ASSERT_TRUE(stub_->ListExpiringRecordChecks(Ctx().get(), exp, &expiring).ok());
  EXPECT_EQ(expiring.checks_size(), 0);
  exp.set_within_days(1000);
  EXPECT_EQ(stub_->ListExpiringRecordChecks(Ctx().get(), exp, &expiring).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  // Both were created just now: not inactive for a day yet.
  v1::ListInactiveVolunteersRequest in;
  in.set_inactive_days(1);
  v1::ListInactiveVolunteersResponse inactive;
  ASSERT_TRUE(stub_->ListInactiveVolunteers(Ctx().get(), in, &inactive).ok());
  EXPECT_EQ(inactive.volunteers_size(), 0);
  (void)fine;
}

TEST_P(VolunteersIntegrationTest, BadVolunteerNamesTheFieldsAndWritesNothing) {
  v1::CreateVolunteerRequest req;
  req.mutable_volunteer()->set_display_name("");
  req.mutable_volunteer()->set_home_postcode("89");
  req.mutable_volunteer()->set_status(v1::VOLUNTEER_STATUS_ACTIVE);
  v1::CreateVolunteerResponse resp;
  grpc::Status s = stub_->CreateVolunteer(Ctx().get(), req, &resp);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::set<std::string> fields;
  for (const auto& v : FieldViolationsOf(FromGrpcStatus(s))) fields.insert(v.field);
  EXPECT_TRUE(fields.count("volunteer.display_name"));
  EXPECT_TRUE(fields.count("volunteer.home_postcode"));
  v1::ListVolunteersRequest list;
  v1::ListVolunteersResponse all;
  ASSERT_TRUE(stub_->ListVolunteers(Ctx().get(), list, &all).ok());
  EXPECT_EQ(all.volunteers_size(), 0);
}

// Refusals other than validation through the real process: a stale etag, a
// refused step of a request and a volunteer who is not there, in Danish by
// default and in English when the request metadata asks for it
// (accept-language).
TEST_P(VolunteersIntegrationTest, RefusalsSpeakDanishUnlessEnglishIsAsked) {
  auto english = [this] {
    auto ctx = Ctx();
    ctx->AddMetadata("accept-language", "en");
    return ctx;
  };
  const v1::Volunteer v = NewVolunteer("Birthe");
  v1::UpdateVolunteerRequest up;
  *up.mutable_volunteer() = v;
  up.mutable_volunteer()->set_display_name("Birthe H.");
  up.mutable_update_mask()->add_paths("display_name");
  v1::UpdateVolunteerResponse updated;
  ASSERT_TRUE(stub_->UpdateVolunteer(Ctx().get(), up, &updated).ok());
  // Again with the etag read before the change.
  up.mutable_volunteer()->set_display_name("Birthe Hansen");
  grpc::Status s = stub_->UpdateVolunteer(Ctx().get(), up, &updated);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message(),
            "oplysningerne om den frivillige er blevet ændret, siden de blev læst (forældet etag);"
            " læs dem igen");
  s = stub_->UpdateVolunteer(english().get(), up, &updated);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message(),
            "volunteer was changed since it was read (stale etag); read it again");

  // A request without a volunteer cannot be confirmed.
  const v1::AccompanimentRequest r =
      NewRequest("citizen-sprog", NextWednesday(10, 0), absl::Hours(1));
  v1::ConfirmRequestRequest confirm;
  confirm.set_accompaniment_id(r.id());
  confirm.set_etag(r.etag());
  v1::ConfirmRequestResponse confirmed;
  s = stub_->ConfirmRequest(Ctx().get(), confirm, &confirmed);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message(),
            "anmodningen har endnu ikke fået en frivillig ledsager; den kan kun matches eller"
            " annulleres");
  s = stub_->ConfirmRequest(english().get(), confirm, &confirmed);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message(),
            "the request is not matched yet; it can only be matched or cancelled");

  // A volunteer who is not there.
  v1::GetVolunteerRequest missing;
  missing.set_id("no-such-volunteer");
  v1::GetVolunteerResponse got;
  s = stub_->GetVolunteer(Ctx().get(), missing, &got);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(s.error_message(), "der findes ingen frivillig med id no-such-volunteer");
  s = stub_->GetVolunteer(english().get(), missing, &got);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(s.error_message(), "volunteer no-such-volunteer not found");

  // Nothing of the refused calls was written.
  v1::GetVolunteerRequest get;
  get.set_id(v.id());
  ASSERT_TRUE(stub_->GetVolunteer(Ctx().get(), get, &got).ok());
  EXPECT_EQ(got.volunteer().display_name(), "Birthe H.");
  v1::GetAccompanimentRequestRequest get_request;
  get_request.set_id(r.id());
  v1::GetAccompanimentRequestResponse request;
  ASSERT_TRUE(stub_->GetAccompanimentRequest(Ctx().get(), get_request, &request).ok());
  EXPECT_EQ(request.accompaniment_request().request_state(), v1::REQUEST_STATE_REQUESTED);
}

TEST_P(VolunteersIntegrationTest, AnotherMunicipalityCannotSeeOrBook) {
  v1::Volunteer v = NewVolunteer("Anne");
  v1::GetVolunteerRequest get;
  get.set_id(v.id());
  v1::GetVolunteerResponse got;
  EXPECT_EQ(stub_->GetVolunteer(Ctx("810").get(), get, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::AccompanimentRequest r = NewRequest("citizen-a", NextWednesday(10, 0), absl::Hours(2));
  v1::MatchRequestRequest m;
  m.set_accompaniment_id(r.id());
  m.set_volunteer_id(v.id());
  m.set_etag(r.etag());
  v1::MatchRequestResponse mr;
  EXPECT_EQ(stub_->MatchRequest(Ctx("810").get(), m, &mr).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_P(VolunteersIntegrationTest, ConcurrentSignUpsNeverExceedCapacity) {
  v1::CreateOrganisationRequest org;
  org.mutable_organisation()->set_name("Klubben");
  org.mutable_organisation()->set_kind(v1::ORGANISATION_KIND_SPORTS_CLUB);
  v1::CreateOrganisationResponse o;
  ASSERT_TRUE(stub_->CreateOrganisation(Ctx().get(), org, &o).ok());
  const absl::Time start = NextWednesday(17, 0);
  v1::CreateActivityRequest ca;
  auto* a = ca.mutable_activity();
  a->set_organisation_id(o.organisation().id());
  a->set_title("Fodbold for alle");
  a->mutable_place()->set_postcode("8900");
  *a->mutable_one_off()->mutable_start_time() = Ts(start);
  a->mutable_one_off()->set_duration_minutes(90);
  a->set_capacity(3);
  v1::CreateActivityResponse act;
  grpc::Status cs = stub_->CreateActivity(Ctx().get(), ca, &act);
  ASSERT_TRUE(cs.ok()) << cs.error_message();

  std::vector<std::string> volunteers;
  for (int i = 0; i < 10; ++i) volunteers.push_back(NewVolunteer(absl::StrCat("V", i)).id());
  std::mutex mu;
  std::map<int, int> codes;
  std::vector<std::thread> threads;
  for (const auto& id : volunteers) {
    threads.emplace_back([&, id] {
      v1::SignUpRequest req;
      req.set_activity_id(act.activity().id());
      req.set_volunteer_id(id);
      *req.mutable_occurrence_start() = Ts(start);
      v1::SignUpResponse resp;
      grpc::Status s = stub_->SignUp(Ctx().get(), req, &resp);
      std::lock_guard<std::mutex> lock(mu);
      codes[s.error_code()]++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(codes[grpc::StatusCode::OK], 3);
  EXPECT_EQ(codes[grpc::StatusCode::FAILED_PRECONDITION], 7);
  v1::ListSignUpsRequest ls;
  ls.set_activity_id(act.activity().id());
  v1::ListSignUpsResponse signed_up;
  ASSERT_TRUE(stub_->ListSignUps(Ctx().get(), ls, &signed_up).ok());
  EXPECT_EQ(signed_up.sign_ups_size(), 3);
}

TEST_P(VolunteersIntegrationTest, ConcurrentMatchesOfOneVolunteerExactlyOneWins) {
  v1::Volunteer v = NewVolunteer("Bent");
  const absl::Time start = NextWednesday(10, 0);
  std::vector<v1::AccompanimentRequest> requests;
  for (int i = 0; i < 6; ++i) {
    // Overlapping windows: each starts 15 minutes after the previous.
    requests.push_back(
        NewRequest(absl::StrCat("citizen-", i), start + absl::Minutes(15 * i), absl::Hours(2)));
  }
  std::mutex mu;
  std::map<int, int> codes;
  std::vector<std::thread> threads;
  for (const auto& r : requests) {
    threads.emplace_back([&, r] {
      v1::MatchRequestRequest m;
      m.set_accompaniment_id(r.id());
      m.set_volunteer_id(v.id());
      m.set_etag(r.etag());
      v1::MatchRequestResponse resp;
      grpc::Status s = stub_->MatchRequest(Ctx().get(), m, &resp);
      std::lock_guard<std::mutex> lock(mu);
      codes[s.error_code()]++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(codes[grpc::StatusCode::OK], 1);
  EXPECT_EQ(codes[grpc::StatusCode::FAILED_PRECONDITION], 5);
  v1::ListAccompanimentRequestsRequest list;
  list.set_volunteer_id(v.id());
  v1::ListAccompanimentRequestsResponse matched;
  ASSERT_TRUE(stub_->ListAccompanimentRequests(Ctx().get(), list, &matched).ok());
  EXPECT_EQ(matched.accompaniment_requests_size(), 1);
}

TEST_P(VolunteersIntegrationTest, LifecycleIsCheckedAndContinuityRanksFirst) {
  v1::Volunteer known = NewVolunteer("Kendt");
  v1::Volunteer other = NewVolunteer("Ny");
  const absl::Time start = NextWednesday(9, 0);
  v1::AccompanimentRequest r = NewRequest("citizen-x", start, absl::Hours(1));
  // Not matched yet: cannot complete.
  v1::CompleteRequestRequest early;
  early.set_accompaniment_id(r.id());
  early.set_etag(r.etag());
  early.set_hours(1);
  v1::CompleteRequestResponse er;
  EXPECT_EQ(stub_->CompleteRequest(Ctx().get(), early, &er).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  v1::MatchRequestRequest m;
  m.set_accompaniment_id(r.id());
  m.set_volunteer_id(known.id());
  m.set_etag(r.etag());
  v1::MatchRequestResponse matched;
  ASSERT_TRUE(stub_->MatchRequest(Ctx().get(), m, &matched).ok());
  EXPECT_EQ(matched.accompaniment_request().request_state(), v1::REQUEST_STATE_MATCHED);
  v1::ConfirmRequestRequest conf;
  conf.set_accompaniment_id(r.id());
  conf.set_etag(matched.accompaniment_request().etag());
  v1::ConfirmRequestResponse confirmed;
  ASSERT_TRUE(stub_->ConfirmRequest(Ctx().get(), conf, &confirmed).ok());
  v1::CompleteRequestRequest comp;
  comp.set_accompaniment_id(r.id());
  comp.set_etag(confirmed.accompaniment_request().etag());
  comp.set_hours(1.5);
  v1::CompleteRequestResponse completed;
  ASSERT_TRUE(stub_->CompleteRequest(Ctx().get(), comp, &completed).ok());
  // Final: cannot be cancelled.
  v1::CancelRequestRequest cancel;
  cancel.set_accompaniment_id(r.id());
  cancel.set_etag(completed.accompaniment_request().etag());
  cancel.set_reason("for sent");
  v1::CancelRequestResponse cr;
  EXPECT_EQ(stub_->CancelRequest(Ctx().get(), cancel, &cr).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  v1::AddEvaluationRequest ev;
  ev.set_accompaniment_id(r.id());
  ev.mutable_evaluation()->set_side(v1::EVALUATION_SIDE_CITIZEN);
  ev.mutable_evaluation()->set_score(5);
  v1::AddEvaluationResponse evr;
  ASSERT_TRUE(stub_->AddEvaluation(Ctx().get(), ev, &evr).ok());

  // The same citizen asks again: the volunteer they know ranks first.
  v1::AccompanimentRequest next =
      NewRequest("citizen-x", start + absl::Hours(24 * 7), absl::Hours(1));
  v1::RankCandidatesRequest rank;
  rank.set_accompaniment_id(next.id());
  v1::RankCandidatesResponse ranked;
  ASSERT_TRUE(stub_->RankCandidates(Ctx().get(), rank, &ranked).ok());
  ASSERT_EQ(ranked.candidates_size(), 2);
  EXPECT_EQ(ranked.candidates(0).volunteer_id(), known.id());

  // The ranking sees a change at once (its cache of volunteers is
  // revalidated on every call): pause the other volunteer, then rank again.
  v1::UpdateVolunteerRequest pause;
  *pause.mutable_volunteer() = other;
  pause.mutable_volunteer()->set_status(v1::VOLUNTEER_STATUS_PAUSED);
  pause.mutable_update_mask()->add_paths("status");
  v1::UpdateVolunteerResponse paused;
  ASSERT_TRUE(stub_->UpdateVolunteer(Ctx().get(), pause, &paused).ok());
  ranked.Clear();
  ASSERT_TRUE(stub_->RankCandidates(Ctx().get(), rank, &ranked).ok());
  EXPECT_EQ(ranked.considered(), 1);
  ASSERT_EQ(ranked.candidates_size(), 1);
  EXPECT_EQ(ranked.candidates(0).volunteer_id(), known.id());
  // Reasons in Danish by default.
  ASSERT_GE(ranked.candidates(0).factors_size(), 1);
  EXPECT_EQ(ranked.candidates(0).factors(0).factor(), "continuity");
  EXPECT_EQ(ranked.candidates(0).factors(0).reason(), "har ledsaget borgeren én gang");

  // Why not the paused one? Danish by default, English on request.
  rank.set_explain_volunteer_id(other.id());
  ranked.Clear();
  ASSERT_TRUE(stub_->RankCandidates(Ctx().get(), rank, &ranked).ok());
  EXPECT_EQ(ranked.candidates_size(), 1);
  EXPECT_EQ(ranked.explanation().volunteer_id(), other.id());
  EXPECT_FALSE(ranked.explanation().ranked());
  EXPECT_EQ(ranked.explanation().rank(), 0);
  EXPECT_THAT(ranked.explanation().failed_rules(),
              ::testing::ElementsAre(v1::ELIGIBILITY_RULE_INACTIVE));
  EXPECT_EQ(ranked.explanation().text(),
            "Ny kommer ikke i betragtning: den frivillige er sat på pause.");
  auto english = Ctx();
  english->AddMetadata("accept-language", "en");
  ranked.Clear();
  ASSERT_TRUE(stub_->RankCandidates(english.get(), rank, &ranked).ok());
  EXPECT_EQ(ranked.explanation().text(), "Ny is not considered: volunteer paused.");
  EXPECT_EQ(ranked.candidates(0).factors(0).reason(), "accompanied this citizen once");
  // The known one is ranked.
  rank.set_explain_volunteer_id(known.id());
  ASSERT_TRUE(stub_->RankCandidates(Ctx().get(), rank, &ranked).ok());
  EXPECT_TRUE(ranked.explanation().ranked());
  EXPECT_EQ(ranked.explanation().rank(), 1);
  EXPECT_EQ(ranked.explanation().failed_rules_size(), 0);
  // An unknown volunteer, or one of another municipality: NOT_FOUND naming
  // the field.
  rank.set_explain_volunteer_id("no-such-volunteer");
  grpc::Status missing = stub_->RankCandidates(Ctx().get(), rank, &ranked);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(missing.error_message(), ::testing::HasSubstr("explain_volunteer_id"));
  const v1::Volunteer elsewhere = NewVolunteer("Aalborg", "851");
  ASSERT_FALSE(elsewhere.id().empty());
  rank.set_explain_volunteer_id(elsewhere.id());
  grpc::Status foreign = stub_->RankCandidates(Ctx().get(), rank, &ranked);
  EXPECT_EQ(foreign.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(foreign.error_message(), ::testing::HasSubstr("explain_volunteer_id"));
  rank.clear_explain_volunteer_id();

  // The month's figures count the completed accompaniment and its hours.
  const absl::CivilDay day = absl::ToCivilDay(start, Copenhagen());
  v1::GetMonthlyStatsRequest st;
  st.set_year(static_cast<int>(day.year()));
  st.set_month(day.month());
  v1::GetMonthlyStatsResponse stats;
  ASSERT_TRUE(stub_->GetMonthlyStats(Ctx().get(), st, &stats).ok());
  EXPECT_EQ(stats.stats().accompaniments_completed(), 1);
  EXPECT_DOUBLE_EQ(stats.stats().hours_given(), 1.5);
  EXPECT_DOUBLE_EQ(stats.stats().average_evaluation(), 5);
  EXPECT_EQ(stats.stats().active_volunteers(), 1);  // the other one was paused above
}

TEST_P(VolunteersIntegrationTest, AcknowledgedWritesSurviveSigkill) {
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::vector<std::string> acked;
  std::vector<std::thread> writers;
  for (int w = 0; w < 3; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; !stop.load(); ++i) {
        v1::CreateOrganisationRequest req;
        req.mutable_organisation()->set_name(absl::StrCat("Forening ", w, "-", i));
        req.mutable_organisation()->set_kind(v1::ORGANISATION_KIND_ASSOCIATION);
        req.set_idempotency_key(absl::StrCat("kill-", w, "-", i));
        v1::CreateOrganisationResponse resp;
        grpc::ClientContext ctx;
        ctx.AddMetadata("x-helhed-principal", TestPrincipal("730"));
        ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
        if (stub_->CreateOrganisation(&ctx, req, &resp).ok()) {
          std::lock_guard<std::mutex> lock(mu);
          acked.push_back(resp.organisation().id());
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
    v1::GetOrganisationRequest get;
    get.set_id(id);
    v1::GetOrganisationResponse got;
    ASSERT_TRUE(stub_->GetOrganisation(Ctx().get(), get, &got).ok()) << "lost " << id;
  }
}

INSTANTIATE_TEST_SUITE_P(Stores, VolunteersIntegrationTest,
                         ::testing::ValuesIn(helhed::testing::AllBackends()),
                         [](const ::testing::TestParamInfo<Backend>& p) {
                           return helhed::testing::BackendName(p.param);
                         });

}  // namespace
}  // namespace helhed::volunteers
