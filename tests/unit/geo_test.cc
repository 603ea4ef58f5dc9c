// Great-circle distances (common/geo): the one formula and earth radius the
// services' matching uses.
#include "common/geo/geo.h"

#include "gtest/gtest.h"

namespace helhed::geo {
namespace {

// Town centres.
constexpr double kRandersLat = 56.4607, kRandersLon = 10.0364;
constexpr double kAarhusLat = 56.1567, kAarhusLon = 10.2108;

TEST(GeoTest, RandersToAarhusIsAbout35KmInAStraightLine) {
  const double km = DistanceKm(kRandersLat, kRandersLon, kAarhusLat, kAarhusLon);
  EXPECT_GT(km, 35.0);
  EXPECT_LT(km, 36.0);
  EXPECT_DOUBLE_EQ(km, DistanceKm(kAarhusLat, kAarhusLon, kRandersLat, kRandersLon));
}

TEST(GeoTest, TheSamePointIsZero) {
  EXPECT_EQ(DistanceKm(kRandersLat, kRandersLon, kRandersLat, kRandersLon), 0.0);
  const Point p = FromDegrees(kAarhusLat, kAarhusLon);
  EXPECT_EQ(DistanceKm(p, p), 0.0);
}

TEST(GeoTest, PreparedPointsGiveTheSameNumber) {
  EXPECT_EQ(DistanceKm(FromDegrees(kRandersLat, kRandersLon), FromDegrees(kAarhusLat, kAarhusLon)),
            DistanceKm(kRandersLat, kRandersLon, kAarhusLat, kAarhusLon));
}

TEST(GeoTest, OneEarthRadius) {
  EXPECT_DOUBLE_EQ(kEarthRadiusKm, 6371.0088);
  // A degree along a meridian, and half the equator.
  EXPECT_NEAR(DistanceKm(56, 10, 57, 10), 111.195, 0.01);
  EXPECT_NEAR(DistanceKm(0, 0, 0, 180), 20015.1, 0.5);
}

}  // namespace
}  // namespace helhed::geo
