#!/usr/bin/env bash
# Check the operator files in docs/ops with the tools that read them (make test-ops):
#   systemd-analyze verify   actboard.service (with this build's binary in place of /usr/local/bin/actboard)
#   nginx -t                 nginx.conf (inside a minimal main configuration, with a throwaway certificate)
#   promtool                 alerts.yml (check + its unit tests), and every query of grafana-dashboard.json
# A tool that is not installed is skipped with a message (apt-get install systemd nginx-light prometheus).
set -euo pipefail
cd "$(dirname "$0")"
BIN=${ACTBOARD_BIN:-$(cd ../.. && pwd)/target/debug/actboard}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failed=0

if command -v systemd-analyze >/dev/null; then
  [ -x "$BIN" ] || { echo "ops: $BIN is missing (cargo build first)"; exit 1; }
  sed "s#/usr/local/bin/actboard#$BIN#g" actboard.service > "$TMP/actboard.service"
  # verify only warns about an unknown key or a bad value ("…, ignoring"): any output fails.
  out=$(systemd-analyze verify --man=no "$TMP/actboard.service" 2>&1) && rc=0 || rc=$?
  if [ "$rc" = 0 ] && [ -z "$out" ]; then
    echo "ops: systemd-analyze verify actboard.service: ok"
  else
    echo "$out"; echo "ops: systemd-analyze verify actboard.service FAILED"; failed=1
  fi
else
  echo "ops: SKIPPED systemd-analyze verify (systemd-analyze is not installed)"
fi

if command -v nginx >/dev/null && command -v openssl >/dev/null; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=board.example.org \
    -keyout "$TMP/privkey.pem" -out "$TMP/fullchain.pem" 2>/dev/null
  sed "s#/etc/letsencrypt/live/board.example.org#$TMP#g" nginx.conf > "$TMP/actboard.conf"
  cat > "$TMP/nginx.conf" <<CONF
pid $TMP/nginx.pid;
error_log $TMP/error.log;
events {}
http {
  access_log off;
  client_body_temp_path $TMP; proxy_temp_path $TMP; fastcgi_temp_path $TMP; uwsgi_temp_path $TMP; scgi_temp_path $TMP;
  include $TMP/actboard.conf;
}
CONF
  if nginx -t -q -p "$TMP" -e "$TMP/error.log" -c "$TMP/nginx.conf"; then
    echo "ops: nginx -t nginx.conf: ok"
  else
    echo "ops: nginx -t nginx.conf FAILED"; failed=1
  fi
else
  echo "ops: SKIPPED nginx -t (nginx or openssl is not installed)"
fi

if command -v promtool >/dev/null; then
  promtool check rules alerts.yml >/dev/null && promtool test rules alerts.test.yml >/dev/null \
    && echo "ops: promtool check rules + test rules alerts.yml: ok" \
    || { promtool check rules alerts.yml; promtool test rules alerts.test.yml; failed=1; }
  # Every dashboard query, as recording rules: promtool parses each expression.
  python3 - grafana-dashboard.json > "$TMP/dashboard-rules.yml" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
exprs = [t["expr"] for p in d["panels"] for t in p.get("targets", [])]
print("groups:\n  - name: dashboard\n    rules:")
for i, e in enumerate(exprs):
    print(f"      - record: dashboard_query_{i}\n        expr: {json.dumps(e)}")
PY
  if promtool check rules "$TMP/dashboard-rules.yml" >/dev/null; then
    echo "ops: grafana-dashboard.json queries parse: ok"
  else
    promtool check rules "$TMP/dashboard-rules.yml"; failed=1
  fi
else
  echo "ops: SKIPPED promtool (the Debian package prometheus is not installed)"
fi
exit $failed
