# syntax=docker/dockerfile:1
# One image with every Helhed binary; the Kubernetes manifests (k8s/) choose
# which one a container runs with `command:`. See README.md, "Container image".
#
#   docker build -t helhed:dev .
#
# tests/deploy/check_image_libs.sh checks (without Docker) that the runtime
# stage installs the package of every shared library the binaries load.

############################ build ############################
FROM debian:12 AS build
ENV DEBIAN_FRONTEND=noninteractive
# The same packages a developer machine gets, minus what only the tests and
# tools need (test servers, npm/buf, kubectl): HELHED_BUILD_ONLY=1.
COPY scripts/install-deps /tmp/install-deps
RUN HELHED_BUILD_ONLY=1 bash /tmp/install-deps && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHELHED_WERROR=ON \
 && cmake --build /build --target \
      helhed-gateway helhed-plans helhed-volunteers helhed-guides helhed-housing \
      helhed-plans-demo-load helhed-volunteers-demo-load helhed-guides-demo-load \
      helhed-housing-demo-load helhed-dev-principal \
 && mkdir -p /out/bin \
 && cp /build/services/gateway/helhed-gateway \
       /build/services/plans/helhed-plans /build/services/plans/helhed-plans-demo-load \
       /build/services/volunteers/helhed-volunteers \
       /build/services/volunteers/helhed-volunteers-demo-load \
       /build/services/guides/helhed-guides /build/services/guides/helhed-guides-demo-load \
       /build/services/housing/helhed-housing /build/services/housing/helhed-housing-demo-load \
       /build/common/helhed-dev-principal /out/bin/ \
 && strip --strip-unneeded /out/bin/*

############################ runtime ############################
FROM debian:12-slim
# Exactly the runtime packages of the shared libraries the binaries link
# (ldd + dpkg -S; tests/deploy/check_image_libs.sh keeps this list honest),
# and tzdata: dates are Danish dates, Europe/Copenhagen (common/calendar).
# libc6 comes with the base image.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates \
      libabsl20220623 \
      libb64-0d \
      libc-ares2 \
      libcivetweb1 \
      libgcc-s1 \
      libgrpc++1.51 \
      libgrpc29 \
      libjansson4 \
      libjwt0 \
      libmariadb3 \
      libmysqlcppconn7v5 \
      libprometheus-cpp-core1.0 \
      libprometheus-cpp-pull1.0 \
      libprotobuf32 \
      libre2-9 \
      libsqlite3-0 \
      libssl3 \
      libstdc++6 \
      tzdata \
      zlib1g \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 helhed \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /data --shell /usr/sbin/nologin helhed \
 && mkdir -p /data /etc/helhed/policy /usr/local/share/helhed/demo \
 && chown 10001:10001 /data
COPY --from=build /out/bin/ /usr/local/bin/
COPY common/auth/default_policy.txt /etc/helhed/policy/default_policy.txt
COPY services/plans/demo/demo_data.textproto /usr/local/share/helhed/demo/plans_demo_data.textproto
ENV HELHED_POLICY=/etc/helhed/policy/default_policy.txt
VOLUME ["/data"]
WORKDIR /data
USER 10001:10001
EXPOSE 50051 50061 50062 50063 50064 9460 9461 9462 9463 9464
# No ENTRYPOINT: the manifests name the binary, e.g. command: ["helhed-plans"].
CMD ["helhed-plans", "--help"]
