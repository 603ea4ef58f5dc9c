#!/usr/bin/env bash
# scripts/backup-keys on local files and against a stand-in kubectl: export,
# verify, import restores the same bytes; a wrong passphrase, a damaged
# archive and overwriting a different key without --force are refused.
#   tests/deploy/backup_keys_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
src=$(cd "${2:?usage: backup_keys_test.sh BUILD_DIR SOURCE_DIR}" && pwd)
bk="$src/scripts/backup-keys"
work=$(mktemp -d /tmp/helhed-keys-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
keys=(cpr.key page-token-key principal.key)

mkdir -p "$work/live"
head -c 48 /dev/urandom >"$work/live/cpr.key"
openssl rand -hex 32 | tr -d '\n' >"$work/live/page-token-key"
head -c 48 /dev/urandom >"$work/live/principal.key"
openssl rand -base64 32 >"$work/pass"
openssl rand -base64 32 >"$work/wrong"

# Files.
"$bk" export "$work/keys.enc" --passphrase-file "$work/pass" --from-dir "$work/live" 2>/dev/null ||
  fail "export from a directory"
for k in "${keys[@]}"; do
  if grep -aqF "$(head -c 16 "$work/live/$k" | tr -d '\0\n')" "$work/keys.enc" 2>/dev/null; then
    fail "$k is readable in the archive"
  fi
done
"$bk" verify "$work/keys.enc" --passphrase-file "$work/pass" >"$work/verify.out" 2>/dev/null || fail "verify"
[ "$(grep -c . "$work/verify.out")" = 3 ] || fail "verify lists: $(cat "$work/verify.out")"
"$bk" import "$work/keys.enc" --passphrase-file "$work/pass" --to-dir "$work/restored" 2>/dev/null ||
  fail "import into a directory"
for k in "${keys[@]}"; do cmp -s "$work/live/$k" "$work/restored/$k" || fail "$k restored differently"; done
[ "$(stat -c %a "$work/restored/cpr.key")" = 600 ] || fail "restored key is not mode 600"

# Refusals.
if "$bk" import "$work/keys.enc" --passphrase-file "$work/wrong" --to-dir "$work/x" 2>/dev/null; then
  fail "imported with the wrong passphrase"
fi
[ ! -e "$work/x/cpr.key" ] || fail "a failed import wrote keys"
cp "$work/keys.enc" "$work/damaged.enc"
printf 'XXXX' | dd of="$work/damaged.enc" bs=1 seek=100 conv=notrunc 2>/dev/null
if "$bk" verify "$work/damaged.enc" --passphrase-file "$work/pass" 2>/dev/null; then
  fail "a damaged archive verified"
fi
head -c 48 /dev/urandom >"$work/restored/principal.key"
if "$bk" import "$work/keys.enc" --passphrase-file "$work/pass" --to-dir "$work/restored" 2>/dev/null; then
  fail "replaced a different key without --force"
fi
"$bk" import "$work/keys.enc" --passphrase-file "$work/pass" --to-dir "$work/restored" --force 2>/dev/null ||
  fail "import --force"
cmp -s "$work/live/principal.key" "$work/restored/principal.key" || fail "--force did not restore principal.key"

# Secrets, through a stand-in kubectl that keeps them as files in $work/cluster.
mkdir -p "$work/cluster"
for k in "${keys[@]}"; do
  case $k in cpr.key) s=helhed-gateway-cpr-key ;; page-token-key) s=helhed-page-token ;; *) s=helhed-principal-key ;; esac
  mkdir -p "$work/cluster/$s" && cp "$work/live/$k" "$work/cluster/$s/$k"
done
cat >"$work/kubectl" <<'STUB'
#!/usr/bin/env bash
# kubectl -n NS get secret NAME -o go-template={{index .data "KEY"}}
# kubectl -n NS create secret generic NAME --from-file=KEY=FILE --dry-run=client -o yaml
# kubectl -n NS apply -f -
set -euo pipefail
[ "$1" = -n ] && [ "$2" = helhed ] || { echo "stub: namespace $2" >&2; exit 1; }
shift 2
case $1 in
  get)
    key=$(sed -E 's/.*"(.*)".*/\1/' <<<"$5")
    base64 -w0 "$CLUSTER/$3/$key" ;;
  create)
    spec=${5#--from-file=}
    printf 'name: %s\nkey: %s\ndata: %s\n' "$4" "${spec%%=*}" "$(base64 -w0 "${spec#*=}")" ;;
  apply)
    y=$(cat)
    name=$(sed -n 's/^name: //p' <<<"$y"); key=$(sed -n 's/^key: //p' <<<"$y")
    mkdir -p "$CLUSTER/$name"; sed -n 's/^data: //p' <<<"$y" | base64 -d >"$CLUSTER/$name/$key"
    echo "secret/$name configured" ;;
  *) exit 1 ;;
esac
STUB
chmod +x "$work/kubectl"
export KUBECTL="$work/kubectl" CLUSTER="$work/cluster"
"$bk" export "$work/cluster.enc" --passphrase-file "$work/pass" 2>/dev/null || fail "export from the Secrets"
rm -rf "$work/cluster"/*
"$bk" import "$work/cluster.enc" --passphrase-file "$work/pass" 2>/dev/null || fail "import into the Secrets"
cmp -s "$work/live/cpr.key" "$work/cluster/helhed-gateway-cpr-key/cpr.key" || fail "Secret cpr.key differs"
cmp -s "$work/live/page-token-key" "$work/cluster/helhed-page-token/page-token-key" || fail "Secret page-token-key differs"
cmp -s "$work/live/principal.key" "$work/cluster/helhed-principal-key/principal.key" || fail "Secret principal.key differs"
echo "backup_keys: ok"
