// Audit by construction, the service's half: every call whose request or
// response names a record about one citizen (a field marked
// (helhed.common.v1.citizen_record) = "<kind>") is answered with the ids of
// the citizens those records belong to, in the trailing metadata
// "x-helhed-citizens" (comma-separated; "-" for none). The gateway consumes
// and removes it, adds the citizen ids the messages carry themselves
// (citizen_ref), and writes the audit events; it refuses to deliver an
// answer of such a method that comes without the trailer. Callers cannot
// forge or strip it: it is set by the service that owns the records, on the
// way back.
//
// The service says, per kind, how one of its records leads to its citizen
// (CitizenResolver::Add); the interceptor reads the request and response
// through their descriptors, so a new RPC is attributed without code of its
// own, and a service refuses to start when its API names a kind it cannot
// resolve (CitizenResolver::Missing).
#ifndef HELHED_COMMON_AUDIT_ATTRIBUTION_H_
#define HELHED_COMMON_AUDIT_ATTRIBUTION_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/store/database.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/support/server_interceptor.h"

namespace helhed::audit {

inline constexpr char kCitizensTrailer[] = "x-helhed-citizens";

// Turns records into their citizens with the service's own SQL. Immutable
// after the Add calls; thread-safe.
class CitizenResolver {
 public:
  explicit CitizenResolver(store::Database* db) : db_(db) {}

  // `select` yields one column, the citizen id, for the rows of `kind` of
  // one municipality (its first parameter) whose ids are listed in the IN
  // list appended to it, e.g.
  //   "SELECT g.citizen_id FROM goals g WHERE g.municipality = ? AND g.id IN"
  void Add(const std::string& kind, std::string select);

  // The citizen ids (sorted, unique, empty ids dropped) of the records
  // named, in municipality `muni`; records of other municipalities and ids
  // that name nothing resolve to nothing. UNAVAILABLE when the store
  // cannot answer; INTERNAL for a kind never added.
  absl::StatusOr<std::vector<std::string>> Resolve(
      const std::string& muni,
      const std::map<std::string, std::vector<std::string>>& records) const;

  // The kinds the methods of `services` (request and response types) name
  // that no Add covers.
  std::vector<std::string> Missing(
      const std::vector<const google::protobuf::ServiceDescriptor*>& services) const;

 private:
  store::Database* db_;
  std::map<std::string, std::string> selects_;
};

// Creates the per-call interceptor for methods whose messages can name a
// citizen's record (none for the rest). Register it with
// ServerBuilder::experimental().SetInterceptorCreators().
class AttributionInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // `resolver` outlives the server.
  explicit AttributionInterceptorFactory(const CitizenResolver* resolver) : resolver_(resolver) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  const CitizenResolver* resolver_;
};

}  // namespace helhed::audit

#endif  // HELHED_COMMON_AUDIT_ATTRIBUTION_H_
