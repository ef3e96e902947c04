#!/usr/bin/env bash
# Soak test (not run in CI): the `dds-sessions mock` command line as one process, the
# `examples/soak.rs` client as another, 64 concurrent list/kill requests for 10 minutes or
# 1 000 000 requests, whichever comes first, with a few injected faults. Samples both
# processes' resident memory (VmRSS) at the start and the end and prints the figures.
#
#   bench/soak.sh                                   # the full run: 600 s or 1 000 000 requests
#   SOAK_SECONDS=60 bench/soak.sh                   # a short one
#
# Settings (environment): SOAK_SECONDS (600), SOAK_REQUESTS (1000000), SOAK_CONCURRENCY (64),
# SOAK_SESSIONS (sessions per node in the mock, 2000), SOAK_FAULT_EVERY (2000: one injected
# fault per this many requests), CARGO_TARGET_DIR (where cargo builds; default target/).
# Exit status: 0 when every error was an injected one, 1 otherwise.
set -euo pipefail

cd "$(dirname "$0")/.."
export SOAK_SECONDS="${SOAK_SECONDS:-600}"
export SOAK_REQUESTS="${SOAK_REQUESTS:-1000000}"
export SOAK_CONCURRENCY="${SOAK_CONCURRENCY:-64}"
export SOAK_FAULT_EVERY="${SOAK_FAULT_EVERY:-2000}"
SOAK_SESSIONS="${SOAK_SESSIONS:-2000}"
export SOAK_TOKEN="T"
target="${CARGO_TARGET_DIR:-target}"

echo "building (release)…" >&2
cargo build --release --quiet --bin dds-sessions --example soak
mock_bin="$target/release/dds-sessions"
soak_bin="$target/release/examples/soak"

work="$(mktemp -d)"
mock_pid=""
client_pid=""
cleanup() {
    [ -n "$client_pid" ] && kill "$client_pid" 2>/dev/null || true
    [ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# The mock prints its URL as the first line of standard output.
"$mock_bin" mock --listen 127.0.0.1:0 --token "$SOAK_TOKEN" --sessions "$SOAK_SESSIONS" \
    >"$work/mock.out" 2>"$work/mock.err" &
mock_pid=$!
for _ in $(seq 100); do
    [ -s "$work/mock.out" ] && break
    sleep 0.1
done
SOAK_MOCK_URL="$(head -n1 "$work/mock.out")"
export SOAK_MOCK_URL
[ -n "$SOAK_MOCK_URL" ] || { echo "the mock did not start:" >&2; cat "$work/mock.err" >&2; exit 1; }
mock_rss_start="$(rss_kib "$mock_pid")"
echo "mock at $SOAK_MOCK_URL (pid $mock_pid, VmRSS $mock_rss_start KiB)" >&2

"$soak_bin" >"$work/client.out" &
client_pid=$!
# Sample the client once it is up to speed, then every 5 s: the start, the peak, the last.
sleep 2
client_rss_start="$(rss_kib "$client_pid")"
mock_rss_loaded="$(rss_kib "$mock_pid")"
client_rss_peak="$client_rss_start"
client_rss_last="$client_rss_start"
while kill -0 "$client_pid" 2>/dev/null; do
    rss="$(rss_kib "$client_pid")"
    if [ -n "$rss" ] && [ "$rss" != 0 ]; then
        client_rss_last="$rss"
        [ "$rss" -gt "$client_rss_peak" ] && client_rss_peak="$rss"
    fi
    sleep 5 & wait $! || true
done
status=0
wait "$client_pid" || status=$?
client_pid=""
mock_rss_end="$(rss_kib "$mock_pid")"

cat "$work/client.out"
echo "client_rss_sampled_start_kib=$client_rss_start"
echo "client_rss_sampled_peak_kib=$client_rss_peak"
echo "client_rss_sampled_last_kib=$client_rss_last"
echo "mock_rss_idle_kib=$mock_rss_start"
echo "mock_rss_start_kib=$mock_rss_loaded"
echo "mock_rss_end_kib=$mock_rss_end"
echo "soak exit status: $status" >&2
exit "$status"
