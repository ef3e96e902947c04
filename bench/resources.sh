#!/usr/bin/env bash
# Resources (not run in CI):
#   - peak memory (max RSS, GNU time) of a bulk kill of KILL_IDS ids from standard input, against
#     nginx answering `200 {}`: with the default batches (100 ids, 4 in flight) and with single-id
#     batches 16 in flight;
#   - start-up of `dds-sessions --help` (hyperfine, 5 warm-ups, 100 runs);
#   - the size of the release binary, as built and stripped;
#   - with BUILD=1 (minutes): a clean debug build (`cargo build`, default features) in a copy of the
#     project, then the rebuild after a spec edit (a schema description changed, so the generated
#     code changes).
#
#   bench/resources.sh                  # KILL_IDS=100000
#   BUILD=1 bench/resources.sh          # and the build times
set -euo pipefail
source "$(dirname "$0")/lib.sh"

KILL_IDS="${KILL_IDS:-100000}"

need_debian nginx nginx-light
need_debian hyperfine hyperfine
need_debian /usr/bin/time time
build_release
start_nginx

seq 1 "$KILL_IDS" >"$WORK/ids"
peak_kib() {
    /usr/bin/time -f '%M' -o "$WORK/time.out" "$CLI" --endpoint "$NGINX_URL" kill --node "$NODE" "$@" - \
        <"$WORK/ids" >"$WORK/kill.out" 2>>"$WORK/cli.err"
    grep -q "killed $KILL_IDS, failed 0" "$WORK/kill.out" || { cat "$WORK/kill.out" >&2; return 1; }
    tail -n 1 "$WORK/time.out"
}
default_kib="$(peak_kib)"
single_kib="$(peak_kib --batch-size 1 --concurrency 16)"

hyperfine -N --warmup 5 --runs 100 --export-json "$WORK/help.json" "$CLI --help" >/dev/null 2>&1
help_ms="$(python3 -c "import json; r = json.load(open('$WORK/help.json'))['results'][0]; print(r['median'] * 1000)")"

size="$(stat -c %s "$CLI")"
strip -o "$WORK/stripped" "$CLI"
stripped="$(stat -c %s "$WORK/stripped")"

cat <<EOF

Resources
  peak memory, kill of $KILL_IDS ids (batches of 100, 4 in flight)    $(fmt "$default_kib / 1024" 1) MiB  (goal <= 30)
  peak memory, kill of $KILL_IDS ids (single ids, 16 in flight)       $(fmt "$single_kib / 1024" 1) MiB  (goal <= 30)
  dds-sessions --help, median of 100                                 $(fmt "$help_ms" 2) ms  (goal <= 5)
  release binary                                                     $(fmt "$size / 1048576" 1) MiB ($(fmt "$stripped / 1048576" 1) MiB stripped)
EOF

[ "${BUILD:-0}" = 1 ] || exit 0

say "clean debug build in a copy of the project (minutes)"
mkdir -p "$WORK/copy"
cp -r "$ROOT/Cargo.toml" "$ROOT/Cargo.lock" "$ROOT/build.rs" "$ROOT/spec" "$ROOT/src" \
    "$ROOT/README.md" "$ROOT/RELIABILITY.md" "$WORK/copy/"
mkdir -p "$WORK/copy/benches" "$WORK/copy/examples"
cp "$ROOT"/benches/*.rs "$WORK/copy/benches/"
cp "$ROOT"/examples/*.rs "$WORK/copy/examples/"
build() { (cd "$WORK/copy" && CARGO_TARGET_DIR="$WORK/copy/target" cargo build --quiet); }
clean="$(seconds build)"
sed -i 's/description: One page of sessions\./description: One page of sessions (edited)./' \
    "$WORK/copy/spec/dds-sessions.yaml"
grep -q "(edited)" "$WORK/copy/spec/dds-sessions.yaml"
rebuild="$(seconds build)"
cat <<EOF
  clean debug build (cargo build, default features)                  $(fmt "$clean" 1) s
  rebuild after a spec edit                                          $(fmt "$rebuild" 1) s
EOF
