"""Drive roster's emulator from Python with nothing but the standard library.

Installs a fault that answers the next two user listings with 429 and a retry-after header, then
lists users the way a well-behaved client does: on 429 it waits as long as retry-after says and
tries again. Prints what happened as JSON.

    python3 examples/python_backoff.py http://127.0.0.1:8080 sk-admin-roster-emulator-key roster-emulator-token
"""
import json
import sys
import time
import urllib.error
import urllib.request


def call(method, url, token, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, dict(response.headers), json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.load(error)


def main(origin, admin_key, emulator_token):
    controls = f"{origin}/roster/v1/emulator"
    call("POST", f"{controls}/reset", emulator_token)
    call("POST", f"{controls}/faults", emulator_token,
         {"operation_id": "list-users", "status": 429, "retry_after_seconds": 1, "times": 2})

    attempts = []
    for _ in range(5):
        started = time.monotonic()
        status, headers, body = call("GET", f"{origin}/v1/organization/users?limit=10", admin_key)
        attempts.append({"status": status, "retry_after": headers.get("retry-after"), "code": body.get("error", {}).get("code") if status != 200 else None})
        if status != 429:
            break
        time.sleep(float(headers["retry-after"]))
        attempts[-1]["waited"] = round(time.monotonic() - started, 2)

    _, _, journal = call("GET", f"{controls}/requests?operation_id=list-users", emulator_token)
    print(json.dumps({"attempts": attempts, "users": len(body.get("data", [])), "journal": [entry["status"] for entry in journal["data"]]}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
