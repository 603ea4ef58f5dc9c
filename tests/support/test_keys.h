// Key material for tests, benches and fuzz targets of the gateway: keys made
// in-process with OpenSSL (no `openssl` command), as PEM, and files written
// whole. Header-only.
#ifndef HELHED_TESTS_SUPPORT_TEST_KEYS_H_
#define HELHED_TESTS_SUPPORT_TEST_KEYS_H_

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace helhed::testing {

// The private key (PKCS#8) or the public key (SubjectPublicKeyInfo) as PEM.
inline std::string Pem(EVP_PKEY* key, bool is_private) {
  BIO* bio = BIO_new(BIO_s_mem());
  if (is_private) {
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  } else {
    PEM_write_bio_PUBKEY(bio, key);
  }
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(n));
  BIO_free(bio);
  return out;
}

// A private key and its public half, both PEM.
struct KeyPair {
  std::string private_pem;
  std::string public_pem;
};

// Takes `key` (freed here).
inline KeyPair PemPair(EVP_PKEY* key) {
  KeyPair pair{Pem(key, true), Pem(key, false)};
  EVP_PKEY_free(key);
  return pair;
}

inline KeyPair NewRsaKey() { return PemPair(EVP_RSA_gen(2048)); }
inline KeyPair NewEcKey() { return PemPair(EVP_EC_gen("P-256")); }

// Writes `contents` as the whole file; false when it could not.
inline bool WriteFile(const std::string& path, const std::string& contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << contents;
  return out.good();
}

// The files a gateway under test reads, in `dir`: keys/idp-1.pem (the public
// key of a new RSA identity-provider key, kid "idp-1") and cpr.key (48
// random bytes). Returns the private key (PEM) to sign tokens with; empty
// when a file could not be written.
inline std::string WriteGatewayKeys(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir + "/keys", ec);
  if (ec) return "";
  const KeyPair idp = NewRsaKey();
  unsigned char cpr[48];
  if (RAND_bytes(cpr, sizeof(cpr)) != 1 || !WriteFile(dir + "/keys/idp-1.pem", idp.public_pem) ||
      !WriteFile(dir + "/cpr.key", std::string(reinterpret_cast<char*>(cpr), sizeof(cpr)))) {
    return "";
  }
  return idp.private_pem;
}

}  // namespace helhed::testing

#endif  // HELHED_TESTS_SUPPORT_TEST_KEYS_H_
