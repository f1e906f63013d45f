#!/usr/bin/env bash
# test-images.sh - smoke tests for the images built by build.sh.
#
#   sandbox-images/test-images.sh [--agents | --agents-only]
#
# Runs every container the way Forge does: read-only root fs, tmpfs /tmp, all
# capabilities dropped, no-new-privileges, no network, uid/gid 1000.
#   * the sandbox image has bash, git and coreutils, runs as 1000:1000, has
#     HOME=/tmp, a read-only root fs and no setuid/setgid files;
#   * the demo agent completes a copy of examples/textstats in exactly 5 runs
#     (promise only in the 5th), with the copy's .git mounted read-only over
#     /workspace/.git; the tests and deploy.sh then pass inside the sandbox;
#   * FORGE_DEMO_MISBEHAVE=write-git reports GIT_WRITE=denied (and, as a
#     control, GIT_WRITE=allowed when .git is not mounted read-only);
#   * the egress proxy image runs Squid 5 as `proxy` (uid 13) with no
#     setuid/setgid files, refuses to start without FORGE_SQUID_CONF, and with
#     a config (read-only root fs, tmpfs only where Squid writes) accepts
#     connections and answers a refused CONNECT with 403, logged on stdout;
#   * the test upstream image serves its fixed page on port 8080;
#   * the scripted model image answers one streaming Anthropic Messages call (with tools) and one
#     streaming OpenAI Responses call with its script's text, each from its own turn.
# With --agents also, and with --agents-only only, the agent images of build.sh --agents:
#   * forge/claude-code: `claude --version` prints the version pinned in images.env;
#   * forge/codex: `codex --version` prints the pinned version, and `codex exec` starts with
#     approval "never" and sandbox "danger-full-access" (its /etc/codex/config.toml);
#   * both: the CLI runs as uid/gid 1000 with HOME=/tmp on a read-only root fs, is owned by root
#     and not writable by uid 1000, and the image has no setuid/setgid files.
# --agents-only needs neither root nor the other images.
# The egress proxy and test upstream checks run as those images' own users.
# Needs root (to chown the test copy to 1000:1000) unless you are uid 1000.
# Exits non-zero if anything fails.
#
# The checks are passed to eval in single quotes on purpose (they expand later):
# shellcheck disable=SC2016
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FORGE_HOME="${FORGE_HOME:-"$(cd "$SCRIPT_DIR/.." && pwd)"}"
export FORGE_HOME
EXAMPLE_DIR="$FORGE_HOME/examples/textstats"
TMP_ROOT="$FORGE_HOME/.forge/tmp"
PROMISE="LOOP_COMPLETE"
USAGE_RE='^FORGE_USAGE \{"model":"forge-demo","input_tokens":[0-9]+,"output_tokens":[0-9]+,"cost_usd":[0-9]+\.[0-9]{6}\}$'

die() { printf 'test-images: ERROR: %s\n' "$*" >&2; exit 1; }

CORE=1
AGENTS=0
for arg in "$@"; do
    case "$arg" in
        --agents) AGENTS=1 ;;
        --agents-only) AGENTS=1; CORE=0 ;;
        *) die "unknown argument '$arg' (usage: test-images.sh [--agents | --agents-only])" ;;
    esac
done

# shellcheck source-path=SCRIPTDIR source=images.env
. "$SCRIPT_DIR/images.env"
"$SCRIPT_DIR/ensure-docker.sh" >/dev/null || die "no usable Docker engine (see above)"
if [[ "$CORE" -eq 1 ]]; then
    for image in "$FORGE_SANDBOX_IMAGE" "$FORGE_DEMO_AGENT_IMAGE" "$FORGE_EGRESS_PROXY_IMAGE" "$FORGE_TEST_UPSTREAM_IMAGE" \
        "$FORGE_SCRIPTED_MODEL_IMAGE"; do
        docker image inspect "$image" >/dev/null 2>&1 || die "image $image is missing; run sandbox-images/build.sh first"
    done
    [[ -f "$EXAMPLE_DIR/src/textstats.sh" ]] || die "$EXAMPLE_DIR is missing or incomplete"
    if [[ "$(id -u)" -ne 0 && "$(id -u)" -ne 1000 ]]; then
        die "run this as root (the test copy must be owned by uid 1000) or as uid 1000"
    fi
fi
if [[ "$AGENTS" -eq 1 ]]; then
    for image in "$FORGE_CLAUDE_CODE_IMAGE" "$FORGE_CODEX_IMAGE"; do
        docker image inspect "$image" >/dev/null 2>&1 || die "image $image is missing; run sandbox-images/build.sh --agents first"
    done
fi

RUN=(docker run --rm --read-only --tmpfs /tmp --cap-drop ALL
    --security-opt no-new-privileges --network none --user 1000:1000)

passed=0
failed=0
ok() { printf 'ok   %s\n' "$1"; passed=$((passed + 1)); }
bad() {
    printf 'FAIL %s\n' "$1"
    if [[ -n "${2:-}" ]]; then printf '%s\n' "$2" | tail -n 15 | sed 's/^/     | /'; fi
    failed=$((failed + 1))
}
# expect NAME CONDITION-COMMAND... ; uses $out for the failure details
expect() {
    local name="$1"
    shift
    if "$@"; then ok "$name"; else bad "$name" "${out:-}"; fi
}
has_line() { grep -qxF -- "$1" <<<"$out"; }
has_line_re() { grep -qxE -- "$1" <<<"$out"; }
last_line_re() { [[ "$(tail -n 1 <<<"$out")" =~ $1 ]]; }

# ------------------------------------------------------------ agent images --
# agent_checks IMAGE CLI: prints facts about the CLI's installation, run as Forge runs it.
agent_checks() {
    "${RUN[@]}" "$1" bash -c '
        cli="$(command -v "$1")" || { echo "missing=$1"; exit 0; }
        real="$(readlink -f "$cli")"
        echo "uid=$(id -u)"; echo "gid=$(id -g)"; echo "home=$HOME"
        stat -c "cli_owner=%U" "$real"
        if [ -w "$real" ] || [ -w "$(dirname "$real")" ] || [ -w /usr/local/lib/node_modules ]; then
            echo cli=writable; else echo cli=read-only; fi
        echo "setuid_files=$(find / -xdev -perm /6000 -type f 2>/dev/null | wc -l)"
        if (: >/forge-probe) 2>/dev/null; then echo rootfs=writable; else echo rootfs=read-only; fi
        echo "node=$(node --version 2>&1)"
        if command -v npm >/dev/null; then echo npm=present; else echo npm=absent; fi
        echo "npm_cache_files=$(find / -xdev \( -path "*/.npm/_cacache" -o -path "*/_cacache" -o -name .forge-npm-cache -o -name .forge-build-ca.pem \) 2>/dev/null | wc -l)"
    ' agent-checks "$2" 2>&1
}
expect_agent_install() {
    expect "$1 runs as uid/gid 1000 with HOME=/tmp" eval 'has_line uid=1000 && has_line gid=1000 && has_line home=/tmp'
    expect "$1 is root-owned and read-only for uid 1000" eval 'has_line cli_owner=root && has_line cli=read-only'
    expect "no setuid/setgid files, root fs read-only" eval 'has_line setuid_files=0 && has_line rootfs=read-only'
    expect "Debian Node.js 18 present, npm and npm caches removed" eval \
        'has_line_re "node=v18\.[0-9]+\.[0-9]+" && has_line npm=absent && has_line npm_cache_files=0'
}

run_agent_tests() {
    echo "== $FORGE_CLAUDE_CODE_IMAGE"
    out="$("${RUN[@]}" "$FORGE_CLAUDE_CODE_IMAGE" claude --version 2>&1)" && rc=0 || rc=$?
    expect "claude --version prints $FORGE_CLAUDE_CODE_VERSION" eval \
        '[[ $rc -eq 0 ]] && has_line "$FORGE_CLAUDE_CODE_VERSION (Claude Code)"'
    out="$(agent_checks "$FORGE_CLAUDE_CODE_IMAGE" claude)" || true
    expect_agent_install claude

    echo "== $FORGE_CODEX_IMAGE"
    out="$("${RUN[@]}" "$FORGE_CODEX_IMAGE" codex --version 2>&1)" && rc=0 || rc=$?
    expect "codex --version prints $FORGE_CODEX_VERSION" eval '[[ $rc -eq 0 ]] && has_line "codex-cli $FORGE_CODEX_VERSION"'
    out="$(agent_checks "$FORGE_CODEX_IMAGE" codex)" || true
    expect_agent_install codex
    # No network: Codex prints its settings, then fails to reach the API (a placeholder key).
    out="$("${RUN[@]}" -e OPENAI_API_KEY=forge-smoke-test-placeholder "$FORGE_CODEX_IMAGE" bash -c '
        cd /tmp && git init -q w && cd w && timeout 10 codex exec "say hi" </dev/null' 2>&1)" || true
    expect "codex exec: approval never, sandbox danger-full-access (Forge is the sandbox)" eval \
        'has_line "approval: never" && has_line "sandbox: danger-full-access"'
}

if [[ "$CORE" -eq 0 ]]; then
    run_agent_tests
    echo "== $passed passed, $failed failed"
    [[ "$failed" -eq 0 ]]
    exit
fi

mkdir -p "$TMP_ROOT"
WORK="$(mktemp -d "$TMP_ROOT/test-images.XXXXXX")"
trap 'rm -rf --one-file-system "$WORK"' EXIT

# ---------------------------------------------------------- sandbox image --
echo "== $FORGE_SANDBOX_IMAGE"
out="$("${RUN[@]}" "$FORGE_SANDBOX_IMAGE" bash -c '
    for tool in bash git ls cat sha256sum sort tar gzip; do
        command -v "$tool" >/dev/null || echo "missing=$tool"
    done
    git --version >/dev/null && echo git=ok
    echo "uid=$(id -u)"; echo "gid=$(id -g)"; echo "user=$(id -un)"
    echo "home=$HOME"; echo "pwd=$PWD"
    echo "setuid_files=$(find / -xdev -perm /6000 -type f 2>/dev/null | wc -l)"
    if (: >/forge-probe) 2>/dev/null; then echo rootfs=writable; else echo rootfs=read-only; fi
    if (: >/tmp/forge-probe) 2>/dev/null; then echo tmp=writable; else echo tmp=read-only; fi
' 2>&1)" || true
expect "bash, git and coreutils are present" eval '! grep -q "^missing=" <<<"$out" && has_line git=ok'
expect "runs as uid 1000 / gid 1000 (user forge)" eval 'has_line uid=1000 && has_line gid=1000 && has_line user=forge'
expect "HOME=/tmp, working directory /workspace" eval 'has_line home=/tmp && has_line pwd=/workspace'
expect "no setuid/setgid files" has_line setuid_files=0
expect "root fs read-only, /tmp writable" eval 'has_line rootfs=read-only && has_line tmp=writable'

# ------------------------------------------------------- demo-agent image --
echo "== $FORGE_DEMO_AGENT_IMAGE"
out="$("${RUN[@]}" "$FORGE_DEMO_AGENT_IMAGE" bash -c '
    stat -c "agent=%U:%G:%a" /usr/local/bin/forge-demo-agent
    if [ -w /usr/local/bin/forge-demo-agent ] || [ -w /opt/forge-demo/solutions ]; then echo demo-files=writable; else echo demo-files=read-only; fi
    ls /opt/forge-demo/solutions | wc -l | sed "s/^/solutions=/"
' 2>&1)" || true
expect "agent is root-owned 0755, its data read-only for uid 1000" eval 'has_line agent=root:root:755 && has_line demo-files=read-only && has_line solutions=5'

# Project copy: owned by 1000:1000, with a git repository made inside the sandbox.
proj="$WORK/textstats"
mkdir -p "$proj"
cp -a "$EXAMPLE_DIR/." "$proj/"
[[ "$(id -u)" -eq 0 ]] && chown -R 1000:1000 "$WORK"
out="$("${RUN[@]}" -v "$proj:/workspace" "$FORGE_SANDBOX_IMAGE" bash -c '
    git -c init.defaultBranch=main init -q &&
    git add -A &&
    git -c user.name="Forge test" -c user.email="forge-test@invalid" commit -q -m "textstats: initial import" &&
    echo committed' 2>&1)" || true
has_line committed || { bad "git init + commit in the test copy" "$out"; die "cannot continue without the test repository"; }

git_state() { tar -C "$proj" -cf - .git | sha256sum | cut -d' ' -f1; }
# shellcheck disable=SC2034 # used inside eval below
git_before="$(git_state)"
MOUNTS=(-v "$proj:/workspace" -v "$proj/.git:/workspace/.git:ro" -w /workspace)
prompt="$(cat "$proj/PROMPT.md")"

for i in 1 2 3 4 5; do
    rc=0
    out="$("${RUN[@]}" "${MOUNTS[@]}" "$FORGE_DEMO_AGENT_IMAGE" forge-demo-agent "$prompt" 2>&1)" || rc=$?
    expect "agent run $i exits 0" test "$rc" -eq 0
    expect "agent run $i ends with a valid FORGE_USAGE line" last_line_re "$USAGE_RE"
    if [[ "$i" -lt 5 ]]; then
        expect "agent run $i does not print $PROMISE" eval '! has_line "$PROMISE"'
    else
        expect "agent run $i prints $PROMISE" has_line "$PROMISE"
    fi
done

out="$("${RUN[@]}" "${MOUNTS[@]}" "$FORGE_SANDBOX_IMAGE" bash tests/run.sh 2>&1)" && rc=0 || rc=$?
expect "tests/run.sh passes after 5 runs" eval '[[ $rc -eq 0 ]] && has_line "tests: all 16 passed"'

out="$("${RUN[@]}" "${MOUNTS[@]}" "$FORGE_SANDBOX_IMAGE" bash deploy.sh 2>&1)" && rc=0 || rc=$?
expect "deploy.sh packages the result" eval '[[ $rc -eq 0 ]] && has_line_re "deployed textstats [0-9a-f]{12}" &&
    [[ -f "$proj/dist/textstats-$(tail -n 1 <<<"$out" | cut -d" " -f3).tar.gz" ]]'

out="$("${RUN[@]}" "${MOUNTS[@]}" "$FORGE_SANDBOX_IMAGE" git --no-optional-locks status --porcelain 2>&1)" || true
expect "git (read-only .git) sees exactly src/textstats.sh modified" eval '[[ "$out" == " M src/textstats.sh" ]]'
out=""
expect ".git is byte-for-byte unchanged" eval '[[ "$(git_state)" == "$git_before" ]]'

out="$("${RUN[@]}" "${MOUNTS[@]}" -e FORGE_DEMO_MISBEHAVE=write-git "$FORGE_DEMO_AGENT_IMAGE" forge-demo-agent "$prompt" 2>&1)" && rc=0 || rc=$?
expect "write-git with read-only .git: GIT_WRITE=denied (exit 0)" eval '[[ $rc -eq 0 ]] && has_line GIT_WRITE=denied'
out="$("${RUN[@]}" -v "$proj:/workspace" -w /workspace -e FORGE_DEMO_MISBEHAVE=write-git "$FORGE_DEMO_AGENT_IMAGE" forge-demo-agent "$prompt" 2>&1)" && rc=0 || rc=$?
expect "control: write-git with writable .git: GIT_WRITE=allowed" eval '[[ $rc -eq 0 ]] && has_line GIT_WRITE=allowed'

out="$("${RUN[@]}" -e FORGE_DEMO_MISBEHAVE=garbage-usage "$FORGE_DEMO_AGENT_IMAGE" forge-demo-agent "$prompt" 2>&1)" || true
expect "garbage-usage prints a malformed FORGE_USAGE line" eval 'last_line_re "^FORGE_USAGE " && ! last_line_re "$USAGE_RE"'

out="$("${RUN[@]}" -w /tmp "$FORGE_DEMO_AGENT_IMAGE" forge-demo-agent "$prompt" 2>&1)" && rc=0 || rc=$?
expect "outside the project the agent exits 2" test "$rc" -eq 2

# ------------------------------------------------------ egress proxy image --
echo "== $FORGE_EGRESS_PROXY_IMAGE"
SQUID_TMPFS="uid=13,gid=13,mode=0700,size=8m"
PROXY_RUN=(--read-only --cap-drop ALL --security-opt no-new-privileges --network none --user 13:13
    --tmpfs "/var/run/squid:$SQUID_TMPFS" --tmpfs "/var/spool/squid:$SQUID_TMPFS"
    --tmpfs "/var/log/squid:$SQUID_TMPFS" --tmpfs "/tmp:$SQUID_TMPFS")
out="$(docker run --rm "${PROXY_RUN[@]}" --entrypoint bash "$FORGE_EGRESS_PROXY_IMAGE" -c '
    echo "user=$(id -un)"; echo "uid=$(id -u)"
    squid -v | head -n 1 | sed "s/^/squid=/"
    echo "setuid_files=$(find / -xdev -perm /6000 -type f 2>/dev/null | wc -l)"
    if (: >/forge-probe) 2>/dev/null; then echo rootfs=writable; else echo rootfs=read-only; fi
' 2>&1)" || true
expect "runs as proxy (uid 13), Squid 5, no setuid/setgid files, read-only root fs" eval \
    'has_line user=proxy && has_line uid=13 && has_line_re "squid=Squid Cache: Version 5\..*" && has_line setuid_files=0 && has_line rootfs=read-only'
out="$(docker run --rm "${PROXY_RUN[@]}" "$FORGE_EGRESS_PROXY_IMAGE" 2>&1)" && rc=0 || rc=$?
expect "without FORGE_SQUID_CONF the entrypoint refuses to start (exit 2)" eval \
    '[[ $rc -eq 2 ]] && grep -q "FORGE_SQUID_CONF is not set" <<<"$out"'
conf="$(printf '%s\n' 'http_port 3128' 'pid_filename none' 'cache deny all' 'pinger_enable off' \
    'logformat forge FORGE_EGRESS %ts.%03tu %>a %rm %>rd %>rP %>Hs %Ss %<a' \
    'access_log stdio:/dev/stdout forge' 'cache_log /dev/stderr' 'http_access deny all' | base64 -w0)"
cid="$(docker run -d "${PROXY_RUN[@]}" -e "FORGE_SQUID_CONF=$conf" "$FORGE_EGRESS_PROXY_IMAGE")"
for _ in $(seq 100); do
    docker logs "$cid" 2>&1 | grep -q "Accepting HTTP Socket connections" && break
    sleep 0.1
done
out="$(docker exec "$cid" bash -c '
    exec 3<>/dev/tcp/127.0.0.1/3128 && printf "CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:443\r\n\r\n" >&3 &&
    head -n 1 <&3 | tr -d "\r" | sed "s/^/reply=/"' 2>&1)" || true
sleep 0.3
out="$out
$(docker logs "$cid" 2>/dev/null | sed 's/^/log=/')"
docker rm -f "$cid" >/dev/null
expect "with a config it accepts connections, answers 403 and logs the decision on stdout" eval \
    'has_line "reply=HTTP/1.1 403 Forbidden" && has_line_re "log=FORGE_EGRESS [0-9.]+ 127\.0\.0\.1 CONNECT a\.example 443 403 TCP_DENIED -"'

# ----------------------------------------------------- test upstream image --
echo "== $FORGE_TEST_UPSTREAM_IMAGE"
out="$(docker run --rm --read-only --cap-drop ALL --security-opt no-new-privileges --network none \
    --entrypoint sh "$FORGE_TEST_UPSTREAM_IMAGE" -c '
    echo "uid=$(id -u)"
    busybox httpd -p 8080 -h /srv/www && sleep 0.3 && busybox wget -q -O - http://127.0.0.1:8080/ | sed "s/^/page=/"
' 2>&1)" || true
expect "serves its fixed page on port 8080 as uid 65534" eval 'has_line uid=65534 && has_line "page=forge-test-upstream ok"'

# ----------------------------------------------------- scripted model image --
echo "== $FORGE_SCRIPTED_MODEL_IMAGE"
# The server and a client in one container (no network): the client streams one Messages call
# (offering a tool, so it consumes the anthropic turn) and one Responses call (consumes the openai
# turn) and prints the text it put together from the deltas, then the server's own record.
out="$(docker run --rm --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges --network none \
    -e FORGE_SCRIPTED_MODEL_SCRIPT=/tmp/script.json --entrypoint sh "$FORGE_SCRIPTED_MODEL_IMAGE" -c '
    printf "%s" "{\"turns\": [{\"provider\": \"anthropic\", \"text\": \"scripted messages answer\"},
        {\"provider\": \"openai\", \"text\": \"scripted responses answer\"}]}" >/tmp/script.json
    forge-scripted-model & sleep 0.5
    python3 - <<"PY"
import json, urllib.request
def sse(path, body):
    req = urllib.request.Request("http://127.0.0.1:8080" + path, json.dumps(body).encode(), {"content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        events = [json.loads(l[6:]) for l in r.read().decode().splitlines() if l.startswith("data: ")]
    return "".join(e.get("delta", {}).get("text", "") if e["type"] == "content_block_delta" else
                   e.get("delta", "") if e["type"] == "response.output_text.delta" else "" for e in events)
print("messages=" + sse("/v1/messages?beta=true", {"model": "m", "stream": True, "max_tokens": 100,
      "tools": [{"name": "Bash", "input_schema": {"type": "object"}}], "messages": [{"role": "user", "content": "hi"}]}))
print("responses=" + sse("/v1/responses", {"model": "m", "stream": True, "input": "hi"}))
log = json.load(urllib.request.urlopen("http://127.0.0.1:8080/_scripted/requests"))["requests"]
print("answers=" + ",".join(e["answer"] for e in log))
PY
' 2>&1)" || true
expect "answers a streaming Messages and a streaming Responses call with the script's text" eval \
    'has_line "messages=scripted messages answer" && has_line "responses=scripted responses answer" && has_line "answers=turn 0,turn 1"'

[[ "$AGENTS" -eq 1 ]] && run_agent_tests

echo "== $passed passed, $failed failed"
[[ "$failed" -eq 0 ]]
