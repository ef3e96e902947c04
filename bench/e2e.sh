#!/usr/bin/env bash
# End-to-end bulk kill (not run in CI): one local nginx answering `200 {}` on the kill path, and
# in one go, RUNS rounds of, in turn:
#   wrk            16 connections posting a kill body: what this machine and server can do;
#   minimal loop   examples/kill_loop.rs: reqwest, one shared client, 16 in flight, every request
#                  AK/SK-signed (current-thread runtime, and two worker threads) — the floor;
#   generated      the same loop through the spec-generated client and its hooks (1 thread);
#   dds-sessions   `kill --batch-size 1 --concurrency 16 -` with IDS ids on standard input;
#   official SDK   huaweicloudsdkdds (Python), 16 threads, PY_IDS single-id kills.
# Prints each round, then the medians in requests per second and the ratios.
#
#   bench/e2e.sh                        # RUNS=5 IDS=20000 PY_IDS=1000 WRK_SECONDS=5
#
# Installs what it lacks: Debian's nginx-light and wrk, the official SDK in bench/.venv.
# The CLI and the loops are timed as whole processes (start-up included); wrk and the
# Python SDK report their own rate (the SDK's interpreter start-up and imports are left out).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

RUNS="${RUNS:-5}"
IDS="${IDS:-20000}"
PY_IDS="${PY_IDS:-1000}"
WRK_SECONDS="${WRK_SECONDS:-5}"
CONNECTIONS=16

need_debian nginx nginx-light
need_debian wrk wrk
need_python_sdk
build_release
start_nginx
KILL_URL="$NGINX_URL/v3/$HUAWEICLOUD_SDK_PROJECT_ID/nodes/$NODE/session"
say "nginx at $NGINX_URL; $RUNS rounds"

seq 1 "$IDS" >"$WORK/ids"
cat >"$WORK/kill.lua" <<'EOF'
wrk.method = "POST"
wrk.body = '{"sessions":["34631"]}'
wrk.headers["Content-Type"] = "application/json"
EOF

wrk_rate() {
    wrk -t1 -c"$CONNECTIONS" -d"${WRK_SECONDS}s" -s "$WORK/kill.lua" "$KILL_URL" >"$WORK/wrk.out"
    if grep -q "Non-2xx" "$WORK/wrk.out"; then
        cat "$WORK/wrk.out" >&2
        return 1
    fi
    awk '/^Requests\/sec:/ { print $2 }' "$WORK/wrk.out"
}
kill_loop() { "$KILL_LOOP" "$NGINX_URL" "$NODE" "$IDS" "$CONNECTIONS" "$1" "$2"; }
cli_kill() {
    "$CLI" --endpoint "$NGINX_URL" kill --node "$NODE" --batch-size 1 \
        --concurrency "$CONNECTIONS" - <"$WORK/ids" 2>>"$WORK/cli.err"
}
python_rate() {
    "$VENV/bin/python" "$BENCH_DIR/official_sdk.py" kill "$NGINX_URL" "$NODE" "$PY_IDS" "$CONNECTIONS" |
        python3 -c 'import json, sys; r = json.load(sys.stdin); assert r["errors"] == 0, r; print(r["rate"])'
}

# A single warm-up of each, so that no round pays for cold caches.
cli_kill >/dev/null
kill_loop current minimal >/dev/null

: >"$WORK/rates"
printf '%-6s %10s %13s %13s %11s %13s %11s\n' round wrk minimal-1thr minimal-2thr generated dds-sessions python-sdk >&2
for round in $(seq "$RUNS"); do
    w="$(wrk_rate)"
    m1="$(python3 -c "print($IDS / $(seconds kill_loop current minimal))")"
    m2="$(python3 -c "print($IDS / $(seconds kill_loop multi minimal))")"
    g="$(python3 -c "print($IDS / $(seconds kill_loop current generated))")"
    c="$(python3 -c "print($IDS / $(seconds cli_kill))")"
    p="$(python_rate)"
    printf '%-6s %10s %13s %13s %11s %13s %11s\n' "$round" "$(fmt "$w" 0)" "$(fmt "$m1" 0)" \
        "$(fmt "$m2" 0)" "$(fmt "$g" 0)" "$(fmt "$c" 0)" "$(fmt "$p" 0)" >&2
    echo "$w $m1 $m2 $g $c $p" >>"$WORK/rates"
done

# The ratio of two columns round by round (measured seconds apart), then the median: this holds
# when the machine's speed drifts between rounds. Column 2 stands for the faster minimal loop.
paired() {
    awk -v a="$1" -v b="$2" '{ x = $b; if (b == 2 && $3 > $2) x = $3; print $a / x }' "$WORK/rates" | median
}
wrk_m="$(median_of "$WORK/rates" 1)"
min1_m="$(median_of "$WORK/rates" 2)"
min2_m="$(median_of "$WORK/rates" 3)"
gen_m="$(median_of "$WORK/rates" 4)"
cli_m="$(median_of "$WORK/rates" 5)"
py_m="$(median_of "$WORK/rates" 6)"

cat <<EOF

Bulk kill, single-id requests, $CONNECTIONS in flight, against nginx on loopback (medians of $RUNS rounds)
  wrk (the machine's limit)          $(fmt "$wrk_m" 0) req/s
  minimal reqwest loop, 1 thread     $(fmt "$min1_m" 0) req/s
  minimal reqwest loop, 2 threads    $(fmt "$min2_m" 0) req/s
  generated client loop, 1 thread    $(fmt "$gen_m" 0) req/s
  dds-sessions kill (CLI)            $(fmt "$cli_m" 0) req/s
  official Python SDK (16 threads)   $(fmt "$py_m" 0) req/s
Ratios (median of each round's own ratio; "minimal" is the round's faster flavour)
  dds-sessions / minimal loop        $(fmt "$(paired 5 2)" 2)   (goal >= 0.90)
  dds-sessions / official SDK        $(fmt "$(paired 5 6)" 1)x  (goal >= 50)
  dds-sessions / wrk                 $(fmt "$(paired 5 1)" 2)   (stretch >= 0.50)
  generated client / minimal loop    $(fmt "$(paired 4 2)" 2)
  dds-sessions / generated client    $(fmt "$(paired 5 4)" 2)
  minimal loop / wrk                 $(fmt "$(paired 2 1)" 2)
EOF
