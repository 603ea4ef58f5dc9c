// Small helpers the benchmark programs share. Header-only.
#ifndef HELHED_TESTS_SUPPORT_BENCH_STATS_H_
#define HELHED_TESTS_SUPPORT_BENCH_STATS_H_

#include <algorithm>
#include <vector>

namespace helhed::testing {

// The p-quantile (0..1, nearest rank) of `v`; 0 for none.
inline double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1,
                    static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5))];
}

}  // namespace helhed::testing

#endif  // HELHED_TESTS_SUPPORT_BENCH_STATS_H_
