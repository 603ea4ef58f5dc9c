#!/usr/bin/env bash
# Checks, without Docker, that the Dockerfile's runtime stage installs the
# Debian package of every shared library the Helhed binaries load.
#   tests/deploy/check_image_libs.sh BUILD_DIR SOURCE_DIR
# For each helhed-* executable in BUILD_DIR: ldd, resolve each library
# (symlinks, multiarch paths), find its package with dpkg -S and require that
# package in the runtime stage's `apt-get install` list. Packages of libc6
# (libc, libm, ld-linux, ...) are taken as present because the runtime stage
# must start FROM debian:12-slim (or bookworm-slim), which has libc6.
set -euo pipefail
build=${1:?usage: check_image_libs.sh BUILD_DIR SOURCE_DIR}
src=${2:?usage: check_image_libs.sh BUILD_DIR SOURCE_DIR}
dockerfile="$src/Dockerfile"
fail=0
err() { echo "check_image_libs: $*" >&2; fail=1; }

[ -f "$dockerfile" ] || { echo "check_image_libs: no $dockerfile" >&2; exit 1; }

# The runtime stage: everything after the last FROM.
runtime=$(awk 'toupper($1)=="FROM"{buf=""} {buf=buf $0 "\n"} END{printf "%s", buf}' "$dockerfile")
base=$(printf '%s\n' "$runtime" | awk 'toupper($1)=="FROM"{print $2; exit}')
case "$base" in
  debian:12-slim | debian:bookworm-slim | debian:12*-slim | debian:bookworm-*-slim) ;;
  *) err "runtime stage is FROM '$base', expected debian:12-slim (which provides libc6)" ;;
esac

# The package list of `apt-get install` in the runtime stage: join continued
# lines, take the words after `install` up to the next && ; or end of command.
installed=$(printf '%s\n' "$runtime" | sed -e ':a' -e '/\\$/N; s/\\\n/ /; ta' |
  grep -E 'apt-get( +[^ ]+)* +install' |
  sed -E 's/.*apt-get( +[^ ]+)* +install//; s/(&&|;|\|\|).*//' |
  tr ' \t' '\n\n' | grep -Ev '^(-.*|)$' | sort -u)
if [ -z "$installed" ]; then
  err "found no 'apt-get install' package list in the runtime stage"
fi
echo "runtime stage installs: $(echo $installed)"
grep -qx ca-certificates <<<"$installed" || err "runtime stage does not install ca-certificates"
# Not a library: the time zone data of Europe/Copenhagen (common/calendar).
grep -qx tzdata <<<"$installed" || err "runtime stage does not install tzdata"

mapfile -t bins < <(find "$build/services" "$build/common" -maxdepth 2 -type f -name 'helhed-*' \
  -perm -u+x ! -name '*.sh' 2>/dev/null | sort)
[ "${#bins[@]}" -gt 0 ] || { echo "check_image_libs: no helhed-* binaries under $build" >&2; exit 1; }

declare -A pkg_of_lib=()
for b in "${bins[@]}"; do
  out=$(ldd "$b") || { err "ldd $b failed"; continue; }
  if grep -q 'not found' <<<"$out"; then
    err "$b: $(grep 'not found' <<<"$out" | tr -s ' \t' ' ' | paste -sd ';')"
  fi
  while read -r lib; do
    [ -n "$lib" ] || continue
    [ -z "${pkg_of_lib[$lib]+x}" ] || continue
    real=$(readlink -f "$lib")
    pkg=""
    # dpkg knows a file by the path its package shipped; with merged /usr the
    # loader reports /lib/... for /usr/lib/..., so try each spelling.
    for cand in "$real" "$lib" "/usr$real" "/usr$lib" "${real#/usr}" "${lib#/usr}"; do
      pkg=$(dpkg -S "$cand" 2>/dev/null | head -n1 | cut -d: -f1) && [ -n "$pkg" ] && break
    done
    if [ -z "$pkg" ]; then
      err "$lib ($real): no Debian package owns it"
      pkg_of_lib[$lib]="?"
      continue
    fi
    pkg_of_lib[$lib]=$pkg
  done < <(awk '/=>/ && $3 ~ /^\// {print $3} !/=>/ && $1 ~ /^\// {print $1}' <<<"$out")
done

missing=()
for lib in "${!pkg_of_lib[@]}"; do
  pkg=${pkg_of_lib[$lib]}
  [ "$pkg" = "?" ] && continue
  [ "$pkg" = libc6 ] && continue   # in debian:12-slim
  if ! grep -qx "$pkg" <<<"$installed"; then
    missing+=("$lib ($pkg)")
  fi
done
if ((${#missing[@]})); then
  printf 'check_image_libs: the runtime stage does not install the package of:\n' >&2
  printf '  %s\n' "${missing[@]}" | sort >&2
  fail=1
fi
echo "checked ${#bins[@]} binaries, ${#pkg_of_lib[@]} libraries"
if [ "$fail" != 0 ]; then
  echo "check_image_libs: FAILED" >&2
  exit 1
fi
echo "check_image_libs: every library's package is in the runtime stage"
