# Shared by the bench/ scripts (sourced, not run): installing what they need, building, starting
# the servers, timing, medians. Every server listens on 127.0.0.1 on a free port and is stopped
# when the script exits.

# A failure inside $(...) stops the script too: no figure is ever printed for a failed run.
shopt -s inherit_errexit
# nginx lives in /usr/sbin, which is not on a normal user's PATH on Debian.
export PATH="$PATH:/usr/sbin:/sbin"

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
CLI="$TARGET/release/dds-sessions"
KILL_LOOP="$TARGET/release/examples/kill_loop"
VENV="$BENCH_DIR/.venv"
# The official Python SDK, pinned so that runs compare like with like.
PYTHON_SDK="huaweicloudsdkdds==3.1.219"

# Made-up credentials: nginx does not check them, the mock checks the signature made with them.
export HUAWEICLOUD_SDK_AK="HPUABENCHAK00000001"
export HUAWEICLOUD_SDK_SK="bench-secret-key-not-a-real-one"
export HUAWEICLOUD_SDK_PROJECT_ID="0123456789abcdef0123456789abcdef"
NODE="520c58ba00a3497e97ce0b9604874dd6no02"

WORK="$(mktemp -d)"
PIDS=()
bench_cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap bench_cleanup EXIT

say() { echo "== $*" >&2; }

# Debian packages: apt_install PACKAGE ...; need_debian COMMAND PACKAGE ... when COMMAND is missing.
apt_install() {
    say "installing $* (Debian)"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get install -y -qq "$@" >/dev/null 2>&1 ||
        { $sudo apt-get update -qq >/dev/null && $sudo apt-get install -y -qq "$@" >/dev/null; }
}
need_debian() {
    local command="$1"
    shift
    command -v "$command" >/dev/null 2>&1 || apt_install "$@"
}

# The official SDK in bench/.venv.
need_python_sdk() {
    if ! "$VENV/bin/python" -c "import huaweicloudsdkdds" 2>/dev/null; then
        say "installing $PYTHON_SDK in bench/.venv"
        python3 -m venv "$VENV" 2>/dev/null || {
            apt_install python3-venv
            rm -rf "$VENV" && python3 -m venv "$VENV"
        }
        "$VENV/bin/pip" install -q --disable-pip-version-check "$PYTHON_SDK"
    fi
}

# Two cargo calls: built together, the example's dev-dependency features would be unified into
# the binary, which would then not be the one `cargo install` ships.
build_release() {
    say "building (release): dds-sessions, examples/kill_loop"
    (cd "$ROOT" && cargo build --release --quiet --bin dds-sessions)
    (cd "$ROOT" && cargo build --release --quiet --example kill_loop)
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# nginx answering `200 {}` on the kill path, one worker, keep-alive without a request limit.
# Sets NGINX_URL.
start_nginx() {
    local port
    port="$(free_port)"
    mkdir -p "$WORK/nginx"
    cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
daemon off;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $WORK/nginx;
    proxy_temp_path $WORK/nginx;
    fastcgi_temp_path $WORK/nginx;
    uwsgi_temp_path $WORK/nginx;
    scgi_temp_path $WORK/nginx;
    keepalive_requests 100000000;
    keepalive_timeout 60s;
    server {
        listen 127.0.0.1:$port;
        location ~ ^/v3/[^/]+/nodes/[^/]+/session\$ {
            default_type application/json;
            return 200 '{}';
        }
        location / {
            default_type application/json;
            return 404 '{"error_code":"APIGW.0101","error_msg":"The API does not exist or has not been published in the environment"}';
        }
    }
}
EOF
    nginx -e "$WORK/nginx/error.log" -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" &
    PIDS+=($!)
    NGINX_URL="http://127.0.0.1:$port"
    wait_for_port "$port"
}

# `dds-sessions mock` with SESSIONS sessions a node, AK/SK checked, LATENCY_MS late. Sets MOCK_URL.
start_mock() {
    local sessions="$1" latency_ms="${2:-0}"
    "$CLI" mock --listen 127.0.0.1:0 --ak "$HUAWEICLOUD_SDK_AK" --sk "$HUAWEICLOUD_SDK_SK" \
        --sessions "$sessions" --latency-ms "$latency_ms" >"$WORK/mock.out" 2>"$WORK/mock.err" &
    PIDS+=($!)
    for _ in $(seq 100); do
        [ -s "$WORK/mock.out" ] && break
        sleep 0.05
    done
    MOCK_URL="$(head -n 1 "$WORK/mock.out")"
}

wait_for_port() {
    for _ in $(seq 100); do
        python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $1), 0.2)" 2>/dev/null && return
        sleep 0.05
    done
    echo "nothing listens on port $1" >&2
    return 1
}

# Wall seconds of a command, its output thrown away: seconds CMD ARG...
seconds() {
    local start end
    start="$(date +%s%N)"
    "$@" >/dev/null
    end="$(date +%s%N)"
    python3 -c "print(($end - $start) / 1e9)"
}

# The median of the numbers on standard input.
median() {
    python3 -c 'import statistics, sys; print(statistics.median(float(x) for x in sys.stdin.read().split()))'
}

# The median of column N of a file of numbers: median_of FILE N
median_of() { awk -v n="$2" '{ print $n }' "$1" | median; }

# A number with a fixed number of decimals: fmt VALUE DECIMALS
fmt() { python3 -c "print(f'{float($1):,.$2f}')"; }
ratio() { python3 -c "print(f'{float($1) / float($2):.2f}')"; }

# Every script times and computes with Python.
need_debian python3 python3
