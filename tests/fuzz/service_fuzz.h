// The libFuzzer harness shared by the per-service fuzz targets
// (tests/fuzz/<service>_fuzz.cc): arbitrary bytes, parsed as one RPC's
// request message, through the service's real wiring (the same
// server::ServiceFactory its main() runs) in-process, on a temporary SQLite
// store that holds the service's demo data.
//
// An input is [method][principal][request bytes]:
//   method     picks one of the service's RPCs (modulo their number, in
//              declaration order);
//   principal  picks the caller: 0 all roles in 730, 1 all roles in 810,
//              2 none (modulo 3);
//   the rest   the request message in protobuf wire format. Bytes that are
//              not a message of the RPC's request type are not sent (the
//              gRPC layer refuses them before any handler runs).
//
// Every answer must be a code a client can act on. These abort (a libFuzzer
// crash, with the input saved): INTERNAL, UNKNOWN, DATA_LOSS, UNIMPLEMENTED,
// DEADLINE_EXCEEDED (a hang: 20 s), CANCELLED; INVALID_ARGUMENT without a
// google.rpc.BadRequest naming at least one field; an OK answer that is not
// a message of the RPC's response type.
//
// Seeds: with HELHED_FUZZ_SEEDS=<dir> set, initialisation writes every
// request the demo loader sent (valid requests of many RPCs, with ids that
// exist in the store) and an empty request of every RPC into <dir>.
#ifndef HELHED_TESTS_FUZZ_SERVICE_FUZZ_H_
#define HELHED_TESTS_FUZZ_SERVICE_FUZZ_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/server/service_host.h"
#include "grpcpp/channel.h"

namespace helhed::fuzz {

struct Target {
  std::string service;  // "plans"; also names the store file
  const std::vector<store::MigrationFile>* migrations = nullptr;
  server::ServiceFactory wiring;
  // Loads the service's demo data through `channel` (its requests become
  // seeds).
  std::function<absl::Status(const std::shared_ptr<grpc::Channel>& channel)> load_demo;

  // For the gateway: the services behind it, each started first (its own
  // store, demo data, listening on a loopback port); `before_wiring` gets
  // their ports, in order, before this target's wiring runs.
  std::vector<Target> backends;
  std::function<void(const std::vector<int>& ports)> before_wiring;
  // The services whose RPCs inputs choose from (full names); empty: the
  // ones this target's wiring registers.
  std::vector<std::string> services;
  // Puts caller `who` (0: all roles in 730, 1: all roles in 810, 2: nobody)
  // on a call; empty: the x-helhed-principal metadata the services read.
  std::function<void(grpc::ClientContext* ctx, int who)> attach;
};

// For LLVMFuzzerInitialize: starts the service; exits the process on failure.
int Initialize(Target target);

// For LLVMFuzzerTestOneInput.
int RunOne(const uint8_t* data, size_t size);

}  // namespace helhed::fuzz

#endif  // HELHED_TESTS_FUZZ_SERVICE_FUZZ_H_
