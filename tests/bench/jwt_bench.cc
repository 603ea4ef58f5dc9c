// What a token the gateway has not seen before costs: JwtVerifier::Verify on
// distinct valid tokens and on distinct forged ones (a valid token with one
// character of its signature changed), RS256 and ES256, against the
// baseline in the same run: libjwt's jwt_decode with the PEM key, which is
// what Verify ran for every token not in its cache before the keys were
// parsed once at load (a forged token went all the way through it).
//
//   build/tests/jwt_bench [--tokens=N] [--rounds=R]
//
// Keys are made in-process (RSA 2048, EC P-256). Prints microseconds per
// token, the median of R rounds. Never fails on speed.
#include <jwt.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/gateway/auth/jwt_verifier.h"
#include "tests/support/bench_stats.h"
#include "tests/support/test_keys.h"
#include "tests/support/test_store.h"

namespace {

using helhed::gateway::JwtConfig;
using helhed::gateway::JwtVerifier;
using helhed::gateway::MintOptions;
using helhed::testing::KeyPair;

// A valid token with one character in the middle of its signature changed
// to another base64url character (still canonical: not at the end).
std::string Forged(const std::string& token) {
  std::string out = token;
  const size_t dot = out.rfind('.');
  const size_t i = dot + (out.size() - dot) / 2;
  out[i] = out[i] == 'A' ? 'B' : 'A';
  return out;
}

double MicrosPerToken(const std::vector<std::string>& tokens,
                      const std::function<bool(const std::string&)>& check, bool expect) {
  const auto t0 = std::chrono::steady_clock::now();
  for (const std::string& t : tokens) {
    if (check(t) != expect) {
      std::fprintf(stderr, "jwt_bench: a token was %s\n", expect ? "refused" : "accepted");
      std::exit(1);
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return seconds * 1e6 / static_cast<double>(tokens.size());
}

}  // namespace

int main(int argc, char** argv) {
  int tokens_per_round = 1000;
  int rounds = 3;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (absl::StartsWith(a, "--tokens=") && absl::SimpleAtoi(a.substr(9), &tokens_per_round) &&
        tokens_per_round > 0) {
      continue;
    }
    if (absl::StartsWith(a, "--rounds=") && absl::SimpleAtoi(a.substr(9), &rounds) && rounds > 0) {
      continue;
    }
    std::fprintf(stderr, "usage: jwt_bench [--tokens=N] [--rounds=R]\n");
    return 2;
  }

  const std::string dir = helhed::testing::TempDir();
  const KeyPair rsa = helhed::testing::NewRsaKey();
  const KeyPair ec = helhed::testing::NewEcKey();
  if (!helhed::testing::WriteFile(dir + "/rsa1.pem", rsa.public_pem) ||
      !helhed::testing::WriteFile(dir + "/ec1.pem", ec.public_pem)) {
    std::fprintf(stderr, "jwt_bench: cannot write the keys to %s\n", dir.c_str());
    return 1;
  }
  JwtConfig config;
  config.keys_dir = dir;
  config.issuer = "https://idp.example";
  config.audience = "helhed-gateway";
  auto verifier = JwtVerifier::Create(config);
  if (!verifier.ok()) {
    std::fprintf(stderr, "jwt_bench: %s\n", std::string(verifier.status().message()).c_str());
    return 1;
  }

  std::printf(
      "jwt_bench: %d distinct tokens per round and kind, %d rounds; us per token (median)\n",
      tokens_per_round, rounds);
  std::printf("%-6s %-34s %12s\n", "alg", "check", "us/token");
  int serial = 0;
  for (const bool use_ec : {false, true}) {
    const KeyPair& key = use_ec ? ec : rsa;
    std::vector<double> valid_us, forged_us, baseline_forged_us, baseline_valid_us;
    for (int r = 0; r < rounds; ++r) {
      // Fresh tokens each round: Verify caches the ones it accepted.
      std::vector<std::string> valid, forged;
      for (int i = 0; i < tokens_per_round; ++i) {
        MintOptions m;
        m.private_key_pem = key.private_pem;
        m.kid = use_ec ? "ec1" : "rsa1";
        m.issuer = config.issuer;
        m.audience = config.audience;
        m.subject = absl::StrCat("bench-", serial++);
        m.municipality = "730";
        m.roles = {"caseworker"};
        m.issued_at = absl::Now();
        auto t = helhed::gateway::MintToken(m);
        if (!t.ok()) {
          std::fprintf(stderr, "jwt_bench: %s\n", std::string(t.status().message()).c_str());
          return 1;
        }
        valid.push_back(*t);
        forged.push_back(Forged(*t));
      }
      const absl::Time now = absl::Now();
      auto verify = [&](const std::string& t) {
        return (*verifier)->Verify("Bearer " + t, now).ok;
      };
      auto libjwt = [&](const std::string& t) {
        jwt_t* jwt = nullptr;
        const int rc = jwt_decode(&jwt, t.c_str(),
                                  reinterpret_cast<const unsigned char*>(key.public_pem.data()),
                                  static_cast<int>(key.public_pem.size()));
        jwt_free(jwt);
        return rc == 0;
      };
      baseline_forged_us.push_back(MicrosPerToken(forged, libjwt, false));
      forged_us.push_back(MicrosPerToken(forged, verify, false));
      baseline_valid_us.push_back(MicrosPerToken(valid, libjwt, true));
      valid_us.push_back(MicrosPerToken(valid, verify, true));
    }
    const char* alg = use_ec ? "ES256" : "RS256";
    std::printf("%-6s %-34s %12.1f\n", alg, "forged: baseline (libjwt + PEM)",
                helhed::testing::Percentile(baseline_forged_us, 0.5));
    std::printf("%-6s %-34s %12.1f\n", alg, "forged: Verify",
                helhed::testing::Percentile(forged_us, 0.5));
    std::printf("%-6s %-34s %12.1f\n", alg, "valid, first seen: libjwt + PEM",
                helhed::testing::Percentile(baseline_valid_us, 0.5));
    std::printf("%-6s %-34s %12.1f\n", alg, "valid, first seen: Verify",
                helhed::testing::Percentile(valid_us, 0.5));
  }
  return 0;  // TempDir's directory goes at exit
}
