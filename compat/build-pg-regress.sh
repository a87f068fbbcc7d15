#!/usr/bin/env bash
# Builds PostgreSQL's core regression suite (pg_regress, regress.so, refint.so, autoinc.so, the schedules, sql/ and
# expected/) for exactly the PostgreSQL server installed on this machine, from Debian's source package of that server.
#
#   compat/build-pg-regress.sh
#
# Output: <repo>/.dev/compat/ (or /var/tmp/tenants-compat-<hash> when the postgres OS user cannot reach the repository),
# and always <repo>/.dev/compat/build.env, which says where the suite is and for which server version it was built.
# Idempotent: when the suite is already built for the installed server version it does nothing.
#
# The source comes through apt with a private source list (nothing is written to /etc): a deb-src list derived from the
# machine's own Debian apt sources, and private lists and cache folders under the build folder.
#
# Environment: TENANTS_PG_BIN (the server's bin folder, as for the test fixtures; default: the newest
# /usr/lib/postgresql/*/bin).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/.dev/compat"
START=$SECONDS

say()  { printf '==> compat [%3ss]: %s\n' "$((SECONDS - START))" "$*" >&2; }
die()  { printf 'error: compat/build-pg-regress.sh: %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi; }
# Runs a command as the OS user that runs the test servers: postgres when we are root, otherwise ourselves.
as_server_user() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
# Prints the tail of a log file and fails.
fail_with_log() { tail -n 40 "$2" >&2 || true; die "$1 (full log: $2)"; }

# --- which server ------------------------------------------------------------------------------

find_bindir() {
  if [ -n "${TENANTS_PG_BIN:-}" ]; then echo "$TENANTS_PG_BIN"; return; fi
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/postgres" ]; then echo "$d"; return; fi
  done
}

BINDIR=$(find_bindir)
[ -n "$BINDIR" ] && [ -x "$BINDIR/postgres" ] \
  || die "no PostgreSQL server found (looked at TENANTS_PG_BIN and /usr/lib/postgresql/*/bin); run './dev test' (it installs it with apt) or apt-get install postgresql"
# "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)" -> 15.18
PG_VERSION=$("$BINDIR/postgres" --version | sed -nE 's/^postgres \(PostgreSQL\) ([0-9]+(\.[0-9]+)*).*/\1/p')
[ -n "$PG_VERSION" ] || die "cannot read the server version from '$BINDIR/postgres --version'"
PACKAGE=$(dpkg-query -S "$(readlink -f "$BINDIR/postgres")" 2>/dev/null | head -n 1 | cut -d: -f1 || true)
[ -n "$PACKAGE" ] || die "'$BINDIR/postgres' does not belong to a Debian package; this script builds the suite from Debian's source package"
DEB_VERSION=$(dpkg-query -W -f='${Version}' "$PACKAGE")
case "$DEB_VERSION" in
  "$PG_VERSION"-*) ;;
  *) die "package $PACKAGE is version $DEB_VERSION but '$BINDIR/postgres' says $PG_VERSION; reinstall or restart so they agree" ;;
esac

# --- where -------------------------------------------------------------------------------------

mkdir -p "$OUT"
BUILD="$OUT"
if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$OUT" 2>/dev/null; then
  # The server (run as postgres) loads regress.so, and pg_regress runs as postgres: both need to reach the build.
  BUILD="/var/tmp/tenants-compat-$(echo "$ROOT" | md5sum | cut -c1-8)"
  say "the postgres OS user cannot reach $OUT; building in $BUILD instead"
  mkdir -p "$BUILD"
  chmod 755 "$BUILD"
fi
SRC="$BUILD/src/postgresql-$PG_VERSION"
REGRESS="$SRC/src/test/regress"
STAMP="$BUILD/built-for"

write_env() {
  cat >"$OUT/build.env" <<EOF
# Written by compat/build-pg-regress.sh; read by tests/Tenants.Compat.Tests.
PG_VERSION=$PG_VERSION
PG_PACKAGE=$PACKAGE
PG_DEB_VERSION=$DEB_VERSION
PG_BINDIR=$BINDIR
REGRESS_DIR=$REGRESS
EOF
}

built() {
  [ "$(cat "$STAMP" 2>/dev/null || true)" = "$PACKAGE=$DEB_VERSION" ] \
    && [ -x "$REGRESS/pg_regress" ] && [ -f "$REGRESS/regress.so" ] && [ -f "$REGRESS/parallel_schedule" ]
}

exec 9>"$BUILD/.lock"
flock 9 || die "cannot lock $BUILD/.lock"

if built; then
  write_env
  say "pg_regress already built for $PACKAGE $DEB_VERSION in $REGRESS; nothing to do"
  exit 0
fi
say "building pg_regress for $PACKAGE $DEB_VERSION (server $BINDIR) in $BUILD"
# A failed build must not leave a pointer to a half-built suite behind.
rm -f "$STAMP" "$OUT/build.env"

# --- build dependencies ------------------------------------------------------------------------

# A C compiler, make and the C library headers build pg_regress and the test libraries; bzip2 unpacks the source.
# No bison/flex (the release tarball ships the generated files), no readline/zlib/ICU (configured out).
missing=()
command -v gcc >/dev/null || missing+=(gcc)
command -v make >/dev/null || missing+=(make)
command -v bzip2 >/dev/null || missing+=(bzip2)
dpkg-query -W -f='${Status}' libc6-dev 2>/dev/null | grep -q "ok installed" || missing+=(libc6-dev)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing build dependencies: ${missing[*]} (apt)"
  as_root apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
fi

# --- source, through a private apt source list ---------------------------------------------------

APT="$BUILD/apt"
mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial" "$APT/sources" "$BUILD/src"
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  # deb822: the same archives, suites, components and keys, as source entries.
  sed -E 's/^Types:.*$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources >"$APT/sources/deb-src.sources"
  SOURCE_PARTS="$APT/sources"
  SOURCE_LIST=/dev/null
elif [ -f /etc/apt/sources.list ] && grep -qE '^[[:space:]]*deb[[:space:]]' /etc/apt/sources.list; then
  sed -nE 's/^[[:space:]]*deb[[:space:]]+/deb-src /p' /etc/apt/sources.list >"$APT/deb-src.list"
  SOURCE_PARTS="$APT/sources"
  SOURCE_LIST="$APT/deb-src.list"
else
  die "no Debian apt sources found (/etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list) to derive a deb-src list from"
fi
APTOPT=(-o "Dir::Etc::SourceList=$SOURCE_LIST" -o "Dir::Etc::SourceParts=$SOURCE_PARTS"
        -o "Dir::State::Lists=$APT/lists" -o "Dir::Cache=$APT/cache" -o "APT::Sandbox::User=$(id -un)")

ORIG="$BUILD/src/${PACKAGE}_$PG_VERSION.orig.tar.bz2"
if [ ! -f "$ORIG" ]; then
  say "apt-get update (private deb-src list derived from the machine's Debian sources)"
  apt-get "${APTOPT[@]}" update -qq >"$BUILD/apt-update.log" 2>&1 || fail_with_log "apt-get update with the deb-src list failed" "$BUILD/apt-update.log"
  say "downloading the source package $PACKAGE=$DEB_VERSION"
  (cd "$BUILD/src" && apt-get "${APTOPT[@]}" source --download-only "$PACKAGE=$DEB_VERSION") >"$BUILD/apt-source.log" 2>&1 \
    || fail_with_log "apt-get source $PACKAGE=$DEB_VERSION failed (is that exact version still in the archive?)" "$BUILD/apt-source.log"
  [ -f "$ORIG" ] || die "apt-get source did not produce $ORIG; see $BUILD/apt-source.log"
fi
# Versions built before this one are of no further use.
find "$BUILD/src" -mindepth 1 -maxdepth 1 \( -name 'postgresql-*' -o -name '*.tar.*' -o -name '*.dsc' \) \
  ! -name "postgresql-$PG_VERSION" ! -name "${PACKAGE}_${PG_VERSION}.orig.tar.bz2" ! -name "${PACKAGE}_${DEB_VERSION#*:}*" \
  -exec rm -rf {} +

say "unpacking $(basename "$ORIG")"
rm -rf "$SRC"
tar -xjf "$ORIG" -C "$BUILD/src" || die "cannot unpack $ORIG"
[ -d "$SRC" ] || die "$ORIG did not unpack into $SRC"

# --- build ---------------------------------------------------------------------------------------

say "configure (about 15 s)"
(cd "$SRC" && ./configure --without-readline --without-zlib --without-icu --prefix="$BUILD/pginst") >"$BUILD/configure.log" 2>&1 \
  || fail_with_log "configure failed" "$BUILD/configure.log"
say "make -C src/test/regress (pg_regress, regress.so, refint.so, autoinc.so)"
make -j"$(nproc)" -C "$SRC/src/test/regress" all >"$BUILD/make.log" 2>&1 || fail_with_log "make failed" "$BUILD/make.log"
for f in pg_regress regress.so refint.so autoinc.so parallel_schedule; do
  [ -f "$REGRESS/$f" ] || die "the build did not produce $REGRESS/$f (see $BUILD/make.log)"
done

# The server loads regress.so as the postgres OS user, and pg_regress runs as that user.
chmod -R a+rX "$BUILD/src"
if ! as_server_user test -x "$REGRESS/pg_regress" || ! as_server_user test -r "$REGRESS/regress.so"; then
  die "the server's OS user cannot read $REGRESS; make the folders above it reachable (chmod o+x) or move the repository"
fi

echo "$PACKAGE=$DEB_VERSION" >"$STAMP"
write_env
say "built pg_regress for $PACKAGE $DEB_VERSION in $REGRESS"
