#!/usr/bin/env bash
# End-to-end listing (not run in CI): `dds-sessions mock` holding SESSIONS (10,000) sessions on a
# node (500 pages of 20), read in full by
#   dds-sessions   `list --all` with its default page concurrency (8 pages in flight);
#   sequential     the same with `--concurrency 1`, one page after another;
#   official SDK   huaweicloudsdkdds (Python) paging with offset/limit in a loop.
# Twice: with the mock answering at once (loopback: no network wait to hide), and with the mock
# answering LATENCY_MS late, as a regional endpoint a network away does.
#
#   bench/list.sh                       # RUNS=5 SESSIONS=10000 LATENCY_MS=10
set -euo pipefail
source "$(dirname "$0")/lib.sh"

RUNS="${RUNS:-5}"
SESSIONS="${SESSIONS:-10000}"
LATENCY_MS="${LATENCY_MS:-10}"
PAGES=$(((SESSIONS + 19) / 20))

need_debian /usr/bin/time time
need_python_sdk
build_release

list_all() {
    "$CLI" --endpoint "$MOCK_URL" --output json list --node "$NODE" --all --concurrency "$1"
}
check_all() {
    list_all "$1" | python3 -c "import json, sys; n = len(json.load(sys.stdin)['sessions']); assert n == $SESSIONS, n"
}
python_seconds() {
    "$VENV/bin/python" "$BENCH_DIR/official_sdk.py" list "$MOCK_URL" "$NODE" 2>/dev/null |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["seconds"])'
}

for latency in 0 "$LATENCY_MS"; do
    start_mock "$SESSIONS" "$latency"
    say "mock at $MOCK_URL, $SESSIONS sessions, answers ${latency} ms late; $RUNS rounds"
    check_all 8
    check_all 1
    : >"$WORK/times"
    for round in $(seq "$RUNS"); do
        concurrent="$(seconds list_all 8)"
        sequential="$(seconds list_all 1)"
        python="$(python_seconds)"
        echo "$concurrent $sequential $python" >>"$WORK/times"
        echo "round $round: $(tail -n 1 "$WORK/times") (concurrent, sequential, official SDK; s)" >&2
    done
    concurrent="$(median_of "$WORK/times" 1)"
    sequential="$(median_of "$WORK/times" 2)"
    python="$(median_of "$WORK/times" 3)"
    cat <<EOF

list --all of $SESSIONS sessions ($PAGES pages), mock answering ${latency} ms late (medians of $RUNS)
  dds-sessions, 8 pages in flight      $(fmt "$concurrent" 3) s
  dds-sessions, sequential             $(fmt "$sequential" 3) s
  official Python SDK, sequential      $(fmt "$python" 3) s
  concurrent vs sequential             $(ratio "$sequential" "$concurrent")x  (goal >= 5)
  concurrent vs official SDK           $(ratio "$python" "$concurrent")x
EOF
    if [ "$latency" = 0 ]; then
        # Where a sequential page's time goes on loopback: the CPU of the client and of the mock
        # (both per page, from the kernel's accounting) and what is left, the wait between them,
        # which is what fetching pages concurrently overlaps.
        mock_pid="${PIDS[-1]}"
        ticks() { awk '{ print $14 + $15 }' "/proc/$mock_pid/stat"; }
        before="$(ticks)"
        /usr/bin/time -f '%e %U %S' -o "$WORK/cpu" "$CLI" --endpoint "$MOCK_URL" --output json \
            list --node "$NODE" --all --concurrency 1 >/dev/null
        after="$(ticks)"
        read -r wall user sys <"$WORK/cpu"
        hz="$(getconf CLK_TCK)"
        python3 - "$wall" "$user" "$sys" "$((after - before))" "$hz" "$PAGES" <<'EOF'
import sys
wall, user, sys_, ticks, hz, pages = map(float, sys.argv[1:])
client = (user + sys_) / pages * 1e6
mock = ticks / hz / pages * 1e6
wait = wall / pages * 1e6 - client - mock
print(f"  one sequential page: {wall / pages * 1e6:.0f} us = client CPU {client:.0f} us + mock CPU"
      f" {mock:.0f} us + waiting {max(wait, 0):.0f} us")
print(f"  (pages in flight overlap the waiting; the CPU work of the two processes can only be spread"
      f" over the two cores)")
EOF
    fi
    kill "${PIDS[-1]}" 2>/dev/null || true
done
