#!/usr/bin/env python3
"""The official Huawei Cloud Python SDK (huaweicloudsdkdds) doing the benchmark's jobs.

    official_sdk.py kill ENDPOINT NODE_ID COUNT THREADS   # COUNT single-id kills, THREADS at once
    official_sdk.py list ENDPOINT NODE_ID                 # every page, one after another (limit 20)

Credentials come from the environment as for every Huawei Cloud SDK: HUAWEICLOUD_SDK_AK,
HUAWEICLOUD_SDK_SK, HUAWEICLOUD_SDK_PROJECT_ID. One client is shared by all threads, as the
SDK's documentation recommends, with its connection pool sized to the thread count.

Prints one line of JSON: {"tool": ..., "requests": n, "seconds": s, "rate": n/s, "errors": e}.
"""

import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkdds.v3 import (
    DdsClient,
    DeleteSessionRequest,
    DeleteSessionRequestBody,
    ListSessionsRequest,
)


def client(endpoint, pool):
    credentials = BasicCredentials(
        os.environ["HUAWEICLOUD_SDK_AK"],
        os.environ["HUAWEICLOUD_SDK_SK"],
        os.environ["HUAWEICLOUD_SDK_PROJECT_ID"],
    )
    config = HttpConfig.get_default_config()
    config.pool_connections = pool
    config.pool_maxsize = pool
    return (
        DdsClient.new_builder()
        .with_credentials(credentials)
        .with_endpoints([endpoint])
        .with_http_config(config)
        .build()
    )


def kill(endpoint, node_id, count, threads):
    dds = client(endpoint, threads)
    errors = 0

    def one(session_id):
        request = DeleteSessionRequest(
            node_id=node_id, body=DeleteSessionRequestBody(sessions=[str(session_id)])
        )
        try:
            dds.delete_session(request)
            return 0
        except Exception as error:  # noqa: BLE001 - counted and reported
            print(f"kill {session_id}: {error}", file=sys.stderr)
            return 1

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        errors = sum(pool.map(one, range(1, count + 1)))
    return count, time.perf_counter() - start, errors


def list_all(endpoint, node_id):
    dds = client(endpoint, 1)
    start = time.perf_counter()
    offset, seen, pages = 0, 0, 0
    while True:
        page = dds.list_sessions(ListSessionsRequest(node_id=node_id, offset=offset, limit=20))
        pages += 1
        sessions = page.sessions or []
        seen += len(sessions)
        offset += 20
        if not sessions or offset >= page.total_count:
            break
    print(f"{seen} sessions in {pages} pages", file=sys.stderr)
    return pages, time.perf_counter() - start, 0


def main():
    job, endpoint, node_id = sys.argv[1], sys.argv[2], sys.argv[3]
    if job == "kill":
        requests, seconds, errors = kill(endpoint, node_id, int(sys.argv[4]), int(sys.argv[5]))
    elif job == "list":
        requests, seconds, errors = list_all(endpoint, node_id)
    else:
        sys.exit(f"unknown job {job!r}: kill or list")
    print(
        json.dumps(
            {
                "tool": f"python-sdk-{job}",
                "requests": requests,
                "seconds": round(seconds, 4),
                "rate": round(requests / seconds, 1),
                "errors": errors,
            }
        )
    )


if __name__ == "__main__":
    main()
