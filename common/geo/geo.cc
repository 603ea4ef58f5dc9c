#include "common/geo/geo.h"

#include <algorithm>
#include <cmath>

namespace helhed::geo {
namespace {

constexpr double kRadiansPerDegree = 3.14159265358979323846 / 180.0;

}  // namespace

Point FromDegrees(double latitude, double longitude) {
  Point p;
  p.lat = latitude * kRadiansPerDegree;
  p.lon = longitude * kRadiansPerDegree;
  p.cos_lat = std::cos(p.lat);
  return p;
}

double DistanceKm(const Point& a, const Point& b) {
  const double s_lat = std::sin((b.lat - a.lat) / 2);
  const double s_lon = std::sin((b.lon - a.lon) / 2);
  const double h = s_lat * s_lat + a.cos_lat * b.cos_lat * s_lon * s_lon;
  return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(h)));
}

double DistanceKm(double lat1, double lon1, double lat2, double lon2) {
  return DistanceKm(FromDegrees(lat1, lon1), FromDegrees(lat2, lon2));
}

}  // namespace helhed::geo
