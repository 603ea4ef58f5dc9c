// Key material for the gateway fuzz targets: PEM of a generated key, and a
// file written whole.
#ifndef HELHED_TESTS_FUZZ_FUZZ_KEYS_H_
#define HELHED_TESTS_FUZZ_FUZZ_KEYS_H_

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <fstream>
#include <string>

namespace helhed::fuzz {

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

inline void WriteFile(const std::string& path, const std::string& contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << contents;
}

}  // namespace helhed::fuzz

#endif  // HELHED_TESTS_FUZZ_FUZZ_KEYS_H_
