#!/usr/bin/env python3
"""API fuzzing: schemathesis against /api/openapi.json of a real `actboard serve`.

Starts the server on a fresh database (a temporary SQLite file, or a new database on the
PostgreSQL server named by --postgres), loads the demo, signs in as the Riverside ACT lead
and lets schemathesis generate requests for every documented operation for --max-time
seconds. Fails when schemathesis reports a finding (5xx, an undocumented status code, a body
that does not match its schema, invalid input accepted, ...) or when the server logged a panic.

Real ids from the demo are offered to the fuzzer (most of the time) so that generated
requests get past "404 not found" and reach the validation and write paths.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SECRET = "fuzz-secret-fuzz-secret-fuzz-secret-fuzz"
LEAD, PASSWORD = "maria.lopez", "actboard-demo"


STATIC_CONFIG = """
# A schema-valid request may still break a rule the schema cannot state (a staff member who
# is not on the team, an end before its start, a time zone not in the tz database, a
# caseload at its cap): that is a 422 (or 409), never a 400 or a 5xx.
[checks.positive_data_acceptance]
expected-statuses = ["2xx", 401, 403, 404, 409, 422, 429]

# The websocket upgrade: a plain GET is refused (400); the protocol is tested in tests/live.rs.
[[operations]]
include-path = "/api/teams/{team_id}/live"
enabled = false

# CSV import: the body is a file, and any text is one (what is wrong with it is the report's
# rows, 200 on a dry run). Schemathesis's "schema-violating" text/csv bodies are non-string
# values written out as text ("[]", "42"), which are valid files too; every other check runs.
[[operations]]
include-path-regex = "/import/"
checks.negative_data_rejection.enabled = false
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base, method, path, token=None, body=None):
    req = urllib.request.Request(base + path, method=method)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, data, timeout=30) as r:
        return json.loads(r.read() or b"null")


def collect_ids(base, token):
    """The lead's first team and ids on its board."""
    me = call(base, "GET", "/api/me", token)
    team = me["teams"][0]["team_id"]
    board = call(base, "GET", f"/api/teams/{team}/board", token)
    contacts = call(base, "GET", f"/api/teams/{team}/contacts?from={board['week_start']}&to={board['week_end']}", token)
    handoffs = board.get("handoffs", [])
    shifts = call(base, "GET", f"/api/teams/{team}/oncall/shifts", token)
    display = call(base, "POST", f"/api/teams/{team}/display-tokens", token, {"label": "Fuzz wall screen"})
    return team, {
        "shift_id": [sh["id"] for sh in shifts][:20],
        "token_id": [display["id"]],
        "team_id": [team],
        "client_id": [c["id"] for c in board["clients"]][:20],
        "staff_id": [s["id"] for s in board["staff"]],
        "contact_id": [c["id"] for c in (contacts if isinstance(contacts, list) else contacts.get("items", []))][:20],
        "flag_id": [f["id"] for f in board["open_flags"]],
        "handoff_id": [h["id"] for h in handoffs],
    }


def toml_list(values):
    return "[" + ", ".join(json.dumps(v) for v in values) + "]"


def write_config(path, ids, other_team):
    lines = ["[dictionaries]"]
    for name, values in ids.items():
        values = list(dict.fromkeys(values + ([other_team] if name == "team_id" and other_team else [])))
        if values:
            lines.append(f"{name} = {{ values = {toml_list(values)} }}")
    lines.append("")
    lines.append("[parameters]")
    for name, values in ids.items():
        if values:
            # Mostly real ids; sometimes generated ones, which must be 404s (never 500s).
            lines.append(f'"path.{name}" = {{ dictionary = "{name}", probability = 0.85 }}')
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
        f.write(STATIC_CONFIG)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default="target/debug/actboard")
    ap.add_argument("--postgres", help="postgres://… of a server to create a fresh database on")
    ap.add_argument("--max-time", type=int, default=120)
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="actboard-fuzz-")
    dbname = None
    if args.postgres:
        dbname = f"actboard_fuzz_{os.getpid()}"
        admin = args.postgres
        subprocess.run(["psql", admin, "-q", "-c", f"DROP DATABASE IF EXISTS {dbname}", "-c", f"CREATE DATABASE {dbname}"], check=True)
        url = admin.rsplit("/", 1)[0] + "/" + dbname
        engine = "PostgreSQL"
    else:
        url = f"sqlite://{work}/fuzz.db"
        engine = "SQLite"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, ACTBOARD_DATABASE_URL=url, ACTBOARD_BIND=f"127.0.0.1:{port}", ACTBOARD_JWT_SECRET=SECRET, ACTBOARD_LOG="warn")
    log_path = os.path.join(work, "server.log")
    log = open(log_path, "w")
    server = None
    status = 1
    # From here on, whatever fails, the server is stopped and the database dropped.
    try:
        subprocess.run([args.binary, "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([args.binary, "demo", "--weeks", "2"], env=env, check=True, stdout=subprocess.DEVNULL)
        server = subprocess.Popen([args.binary, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
        for _ in range(300):
            if server.poll() is not None:
                raise SystemExit(f"the server exited at start (code {server.returncode}); see {log_path}")
            try:
                call(base, "GET", "/healthz")
                break
            except Exception:
                time.sleep(0.1)
        else:
            raise SystemExit(f"the server did not answer /healthz within 30 s; see {log_path}")
        token = call(base, "POST", "/api/auth/login", body={"username": LEAD, "password": PASSWORD})["access_token"]
        other = call(base, "POST", "/api/auth/login", body={"username": "dana.white", "password": PASSWORD})["access_token"]
        _, ids = collect_ids(base, token)
        other_team = collect_ids(base, other)[0]
        config = os.path.join(work, "schemathesis.toml")
        write_config(config, ids, other_team)
        cmd = [
            os.path.join(os.path.dirname(sys.executable), "schemathesis"),
            "--config-file", config,
            "run", f"{base}/api/openapi.json",
            "--header", f"Authorization: Bearer {token}",
            "--checks", "all",
            "--max-time", str(args.max_time),
            "--workers", "1",  # hypothesis compiles lambdas; CPython 3.11 can fail doing that on two threads
            "--request-timeout", "10",
            "--report", "junit",
            "--report-dir", os.path.join(work, "report"),
        ]
        if args.seed is not None:
            cmd += ["--seed", str(args.seed)]
        print(f"fuzz ({engine}): schemathesis for {args.max_time} s against {base}", flush=True)
        # In the temporary folder: schemathesis keeps a cache of findings in its working directory.
        status = subprocess.run(cmd, env=dict(os.environ, NO_COLOR="1"), cwd=work).returncode
        if server.poll() is not None:
            print(f"the server exited during fuzzing (code {server.returncode})")
            status = status or 1
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        log.close()
        with open(log_path) as f:
            text = f.read()
        if "panicked" in text:
            print("the server panicked:\n" + text[-4000:])
            status = status or 1
        if dbname:
            subprocess.run(["psql", args.postgres, "-q", "-c", f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)"])
    if status == 0:
        # A pass leaves nothing behind (about 8 MB each); a failure keeps its log and report.
        shutil.rmtree(work, ignore_errors=True)
        print(f"fuzz ({engine}): passed")
    else:
        print(f"fuzz ({engine}): FAILED; server log and report in {work}")
    return status


if __name__ == "__main__":
    sys.exit(main())
