// Distances on the earth: one great-circle (haversine) formula with one
// earth radius for every service, so that a pair of places is the same
// number of kilometres in volunteers, guides and anywhere else.
//
//   const geo::Point home = geo::FromDegrees(56.4607, 10.0364);
//   double km = geo::DistanceKm(home, geo::FromDegrees(56.1567, 10.2108));
//
// Services keep their own GeoPoint messages and pass degrees; a Point keeps
// the radians and the cosine of the latitude, so that code comparing one
// place with many computes them once.
#ifndef HELHED_COMMON_GEO_GEO_H_
#define HELHED_COMMON_GEO_GEO_H_

namespace helhed::geo {

// The earth's mean radius (IUGG), in km.
inline constexpr double kEarthRadiusKm = 6371.0088;

// A place in radians, with the cosine of its latitude.
struct Point {
  double lat = 0;
  double lon = 0;
  double cos_lat = 1;
};

Point FromDegrees(double latitude, double longitude);

// Great-circle distance in km (haversine on a sphere of kEarthRadiusKm).
double DistanceKm(const Point& a, const Point& b);
double DistanceKm(double lat1, double lon1, double lat2, double lon2);

}  // namespace helhed::geo

#endif  // HELHED_COMMON_GEO_GEO_H_
