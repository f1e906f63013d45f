#!/usr/bin/env bash
# bench/model-gateway.sh [calls] [concurrent] - the model gateway's overhead over the raw upstream
# (the scripted model image), both measured side by side in one run; see bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl activities -am test -Dtest=ModelGatewayBench -Dsurefire.failIfNoSpecifiedTests=false \
    -Dforge.bench=model-gateway -Dforge.bench.calls="${1:-400}" -Dforge.bench.concurrent="${2:-50}" \
    -DtrimStackTrace=false 2>&1 | grep -E "median|concurrent|heap per|ERROR|FAIL" || true
