// Between a grpc::ByteBuffer and a std::string of the same bytes, for
// generic (untyped) calls: the gateway's proxy, the fuzz targets, tests.
#ifndef HELHED_COMMON_SERVER_BYTE_BUFFER_H_
#define HELHED_COMMON_SERVER_BYTE_BUFFER_H_

#include <string>
#include <vector>

#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/slice.h"

namespace helhed::server {

// The bytes of `buffer` (empty if it cannot be read).
inline std::string BytesOf(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Valid() || !buffer.Dump(&slices).ok()) return out;
  size_t n = 0;
  for (const auto& s : slices) n += s.size();
  out.reserve(n);
  for (const auto& s : slices) out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return out;
}

inline grpc::ByteBuffer BufferOf(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

}  // namespace helhed::server

#endif  // HELHED_COMMON_SERVER_BYTE_BUFFER_H_
