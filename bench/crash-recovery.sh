#!/usr/bin/env bash
# Crash recovery benchmark (CI does not need it): CrashRecoveryIT's random-kill test with 20 loops
# instead of CI's 5. The worker runs in its own process and is killed with SIGKILL at seeded random
# moments until every loop has ended; the report (see bench/README.md) is printed at the end and
# kept in app/target/crash-recovery/run-*-logs/report.txt next to the processes' logs.
#
#   bench/crash-recovery.sh [loops] [seed] [gap-seconds]     defaults: 20, the clock, 15-40
#
# Needs what ./forge test needs (Docker and the sandbox images: ./forge images). Extra Maven
# options, e.g. a private local repository: MAVEN_FLAGS="-Dmaven.repo.local=/path/to/m2".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

loops="${1:-20}"
seed="${2:-$(date +%s)}"
gap="${3:-15-40}"
[[ "$loops" =~ ^[1-9][0-9]*$ ]] || { echo "loops must be a positive number, got '$loops'" >&2; exit 2; }
[[ "$seed" =~ ^-?[0-9]+$ ]] || { echo "seed must be a number, got '$seed'" >&2; exit 2; }
[[ "$gap" =~ ^[0-9]+-[0-9]+$ ]] || { echo "gap must look like 4-15, got '$gap'" >&2; exit 2; }

./forge images
started=$(date +%s)
status=0
# shellcheck disable=SC2086 # MAVEN_FLAGS is a list of options
mvn -B ${MAVEN_FLAGS:-} -pl app -am verify \
  -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test='CrashRecoveryIT#shouldBringEveryLoopToItsStateThroughRandomWorkerKills' \
  -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dforge.crash.shapes=APPROVED,REJECTED,MAX_ITERATIONS,COST_CAP,CANCELLED \
  -Dforge.crash.loops="$loops" -Dforge.crash.seed="$seed" -Dforge.crash.gap-seconds="$gap" -Dforge.crash.iterations=15 || status=$?
report=$(ls -td app/target/crash-recovery/run-*-logs 2>/dev/null | head -1)/report.txt
[[ -f "$report" ]] && cat "$report"
echo "whole command, with the build: $(( $(date +%s) - started )) s"
exit "$status"
