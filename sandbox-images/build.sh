#!/usr/bin/env bash
# build.sh - build Forge's sandbox images, skipping the ones that are up to date.
#
#   sandbox-images/build.sh [--force] [--agents]
#
# Images (tags are defined once, in sandbox-images/images.env):
#   FORGE_BASE_IMAGE_TAG    forge/base:bookworm       debian:bookworm-slim if the engine has it or can
#                                                     pull it, otherwise a debootstrap "minbase" rootfs
#   FORGE_SANDBOX_IMAGE     forge/sandbox:...         sandbox-images/sandbox/Dockerfile
#   FORGE_DEMO_AGENT_IMAGE  forge/demo-agent:...      sandbox-images/demo-agent/Dockerfile
#   FORGE_EGRESS_PROXY_IMAGE  forge/egress-proxy:...  sandbox-images/egress-proxy/Dockerfile (Squid sidecar
#                                                     of the `restricted` network mode)
#   FORGE_TEST_UPSTREAM_IMAGE forge/test-upstream:... sandbox-images/test-upstream/Dockerfile (busybox httpd;
#                                                     only the egress proxy's integration tests use it)
#   FORGE_SCRIPTED_MODEL_IMAGE forge/scripted-model:... sandbox-images/scripted-model/Dockerfile (a scripted,
#                                                     not-an-AI model API for the real agent CLIs in tests
#                                                     and the demo; Debian's python3)
# With --agents (or FORGE_AGENT_IMAGES=1) also the images with real agent CLIs, installed with
# Debian bookworm's Node.js and npm from the npm registry at the exact versions in images.env:
#   FORGE_CLAUDE_CODE_IMAGE forge/claude-code:...     sandbox-images/claude-code/Dockerfile
#                                                     (@anthropic-ai/claude-code FORGE_CLAUDE_CODE_VERSION)
#   FORGE_CODEX_IMAGE       forge/codex:...           sandbox-images/codex/Dockerfile
#                                                     (@openai/codex FORGE_CODEX_VERSION)
# They are not built by default (./forge images, demo, up: Forge itself does not need them; they
# need the npm registry, take about 1.5 minutes each to build and ~650 MB each). ./forge test builds
# them (cached) and smoke-tests them with test-images.sh --agents-only, unless FORGE_AGENT_IMAGES=0.
#
# Caching: each built image carries the label org.forge.context-sha256, a
# SHA-256 over its build context (sorted paths, exec bits, contents), its
# parent image's ID and any extra build arguments (the agent CLI versions and
# FORGE_BUILD_CA_CERTS). An image is rebuilt only when that value changes (or the
# image is missing, or --force is given). The base image is kept as long as it
# exists; remove it (docker image rm forge/base:bookworm) or use --force to
# re-create it.
#
# Environment:
#   FORGE_HOME        state lives in $FORGE_HOME/.forge (default: the repository root)
#   FORGE_BASE_IMAGE  use this image as the sandbox's base instead of forge/base
#                     (e.g. your organisation's Debian bookworm mirror image)
#   FORGE_AGENT_IMAGES=1  same as --agents
#   FORGE_BUILD_CA_CERTS  a PEM file of extra CA certificates npm must trust while it installs the
#                     agent CLIs (a TLS-intercepting proxy). Default: the host's local CAs,
#                     /usr/local/share/ca-certificates/*.crt, if there are any. Used during the
#                     build only, not installed in the images. Set it to /dev/null for none.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FORGE_HOME="${FORGE_HOME:-"$(cd "$SCRIPT_DIR/.." && pwd)"}"
export FORGE_HOME
STATE_DIR="$FORGE_HOME/.forge"
LOG_DIR="$STATE_DIR/logs"
TMP_ROOT="$STATE_DIR/tmp"
DEBIAN_SUITE="bookworm"
PULL_TIMEOUT_SECONDS=60
OWNER_LABEL="org.forge.owner=forge"
HASH_LABEL="org.forge.context-sha256"

PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
export PATH

die() { printf 'build: ERROR: %s\n' "$*" >&2; exit 1; }
note() { printf 'build: %s\n' "$*" >&2; }

usage() {
    sed -n '2,/^set -euo pipefail$/{/^#/s/^# \{0,1\}//p}' "${BASH_SOURCE[0]}"
}

FORCE=0
AGENTS=0
case "${FORGE_AGENT_IMAGES:-0}" in
    1 | true | yes) AGENTS=1 ;;
    0 | false | no | "") ;;
    *) die "FORGE_AGENT_IMAGES='$FORGE_AGENT_IMAGES' must be 1 or 0" ;;
esac
for arg in "$@"; do
    case "$arg" in
        --force) FORCE=1 ;;
        --agents) AGENTS=1 ;;
        -h | --help) usage; exit 0 ;;
        *) die "unknown argument '$arg' (usage: build.sh [--force] [--agents])" ;;
    esac
done

[[ -r "$SCRIPT_DIR/images.env" ]] || die "missing $SCRIPT_DIR/images.env (it defines the image tags)"
# shellcheck source-path=SCRIPTDIR source=images.env
. "$SCRIPT_DIR/images.env"
for var in FORGE_BASE_IMAGE_TAG FORGE_UPSTREAM_BASE_IMAGE FORGE_SANDBOX_IMAGE FORGE_DEMO_AGENT_IMAGE \
    FORGE_EGRESS_PROXY_IMAGE FORGE_TEST_UPSTREAM_IMAGE FORGE_SCRIPTED_MODEL_IMAGE; do
    [[ -n "${!var:-}" ]] || die "$var is not set in $SCRIPT_DIR/images.env"
    [[ "${!var}" != *:latest && "${!var}" == *:* ]] || die "$var='${!var}' must carry a pinned tag (not 'latest')"
done
if [[ "$AGENTS" -eq 1 ]]; then
    for var in FORGE_CLAUDE_CODE_VERSION FORGE_CODEX_VERSION; do
        [[ "${!var:-}" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] ||
            die "$var='${!var:-}' in $SCRIPT_DIR/images.env must be an exact version (x.y.z)"
    done
    for var in FORGE_CLAUDE_CODE_IMAGE FORGE_CODEX_IMAGE; do
        [[ -n "${!var:-}" ]] || die "$var is not set in $SCRIPT_DIR/images.env"
        [[ "${!var}" != *:latest && "${!var}" == *:* ]] || die "$var='${!var}' must carry a pinned tag (not 'latest')"
    done
fi

mkdir -p "$LOG_DIR" "$TMP_ROOT"
[[ -e "$STATE_DIR/.gitignore" ]] || printf '*\n' >"$STATE_DIR/.gitignore"

"$SCRIPT_DIR/ensure-docker.sh" || die "no usable Docker engine (see above)"

# ---------------------------------------------------------------- helpers --

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

image_id() { docker image inspect --format '{{.Id}}' "$1" 2>/dev/null; }

image_label() {
    local value
    value="$(docker image inspect --format "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null)" || return 1
    [[ "$value" == "<no value>" ]] && value=""
    printf '%s' "$value"
}

short_id() { local id="${1#sha256:}"; printf '%s' "${id:0:12}"; }

# SHA-256 over a build context directory plus the parent image (reference and ID)
# and any extra build arguments (NAME=VALUE; none for the images built without).
context_hash() {
    local dir="$1" parent_ref="$2" parent_id="$3"
    shift 3
    (
        cd "$dir"
        printf 'forge-context-v1\nparent %s %s\n' "$parent_ref" "$parent_id"
        [[ $# -eq 0 ]] || printf 'build-arg %s\n' "$@"
        find . -type f -print0 | LC_ALL=C sort -z | while IFS= read -r -d '' f; do
            local x="-"
            [[ -x "$f" ]] && x="x"
            printf 'file %s %s %s\n' "$x" "$(sha256sum <"$f" | cut -d' ' -f1)" "$f"
        done
    ) | sha256sum | cut -d' ' -f1
}

show_log_tail() {
    printf 'build: last lines of %s:\n' "$1" >&2
    tail -n 30 "$1" | sed 's/^/    /' >&2
}

# First plain Debian "main" URI from the host's apt configuration (deb822
# *.sources first, then one-line sources.list). Prints nothing if none is found
# or the host is not Debian (an Ubuntu archive has no bookworm).
host_debian_mirror() {
    local id f uri
    id="$(. /etc/os-release 2>/dev/null && printf '%s' "${ID:-}")" || return 0
    [[ "$id" == "debian" ]] || return 0
    for f in /etc/apt/sources.list.d/*.sources; do
        [[ -f "$f" ]] || continue
        uri="$(awk '
            function reset() { types = ""; uris = ""; suites = ""; comps = ""; enabled = "yes"; key = "" }
            function consider(   n, s, i, plain, u) {
                # "exit" below still runs END, which calls consider() again.
                if (found || uris == "" || enabled == "no") return
                if (types !~ /(^| )deb( |$)/ || comps !~ /(^| )main( |$)/) return
                n = split(suites, s, " "); plain = 0
                for (i = 1; i <= n; i++) if (s[i] !~ /-(security|updates|backports|proposed-updates)$/ && s[i] !~ /\//) plain = 1
                if (!plain) return
                split(uris, u, " ")
                if (u[1] ~ /security/) return
                print u[1]; found = 1; exit
            }
            BEGIN { reset() }
            /^[ \t]*#/ { next }
            /^[ \t]*$/ { consider(); reset(); next }
            /^[ \t]/ { if (key == "uris") uris = uris " " $0; else if (key == "suites") suites = suites " " $0
                       else if (key == "types") types = types " " $0; else if (key == "components") comps = comps " " $0; next }
            {
                key = tolower($0); sub(/:.*/, "", key)
                val = $0; sub(/^[^:]*:[ \t]*/, "", val)
                if (key == "types") types = val; else if (key == "uris") uris = val
                else if (key == "suites") suites = val; else if (key == "components") comps = val
                else if (key == "enabled") enabled = tolower(val)
            }
            END { consider() }
        ' "$f")"
        if [[ -n "$uri" ]]; then printf '%s' "$uri"; return 0; fi
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [[ -f "$f" ]] || continue
        uri="$(awk '
            $1 != "deb" { next }
            {
                i = 2
                if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
                uri = $i; suite = $(i + 1); main = 0
                for (j = i + 2; j <= NF; j++) if ($j == "main") main = 1
                if (!main || uri ~ /security/ || suite ~ /-(security|updates|backports|proposed-updates)$/) next
                print uri; exit
            }
        ' "$f")"
        if [[ -n "$uri" ]]; then printf '%s' "$uri"; return 0; fi
    done
    return 0
}

# ------------------------------------------------------------ base image --

ROOTFS_TMP=""
cleanup_rootfs() {
    [[ -n "$ROOTFS_TMP" && -d "$ROOTFS_TMP" ]] || return 0
    # debootstrap mounts proc/sys inside the target while it works; if it was
    # interrupted, unmount those first (deepest first) and never cross into a mount.
    awk -v p="$ROOTFS_TMP/" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r |
        while IFS= read -r m; do umount -l "$m" 2>/dev/null || true; done
    rm -rf --one-file-system "$ROOTFS_TMP"
    ROOTFS_TMP=""
}
trap cleanup_rootfs EXIT

# Tag an existing upstream image as our base, adding the owner label.
base_from_upstream() {
    local log="$1"
    printf 'FROM %s\n' "$FORGE_UPSTREAM_BASE_IMAGE" |
        docker build --label "$OWNER_LABEL" --label "org.forge.base-source=$FORGE_UPSTREAM_BASE_IMAGE" \
            -t "$FORGE_BASE_IMAGE_TAG" - >>"$log" 2>&1
}

base_from_debootstrap() {
    local log="$1" mirror rootfs
    local -a args=(--variant=minbase)

    if ! command -v debootstrap >/dev/null 2>&1; then
        [[ "$(id -u)" -eq 0 ]] || die "debootstrap is not installed. Install it (sudo apt-get install debootstrap),
        or make $FORGE_UPSTREAM_BASE_IMAGE available to Docker, or set FORGE_BASE_IMAGE=<a Debian bookworm image>."
        note "installing debootstrap with apt-get"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >>"$log" 2>&1 ||
            { DEBIAN_FRONTEND=noninteractive apt-get update -qq >>"$log" 2>&1 &&
              DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >>"$log" 2>&1; } ||
            { show_log_tail "$log"; die "could not install debootstrap with apt-get"; }
    fi
    [[ "$(id -u)" -eq 0 ]] || die "building the base image with debootstrap needs root.
        Run build.sh as root, or make $FORGE_UPSTREAM_BASE_IMAGE available to Docker (docker pull / docker load),
        or set FORGE_BASE_IMAGE=<a Debian bookworm image you have>."

    mirror="$(host_debian_mirror)"
    case "$mirror" in
        http://* | https://* | file:/*) ;;
        *) mirror="" ;;
    esac
    # apt in a minbase system cannot verify TLS without ca-certificates.
    [[ "$mirror" == https://* ]] && args+=(--include=ca-certificates)

    ROOTFS_TMP="$(mktemp -d "$TMP_ROOT/base-rootfs.XXXXXX")"
    rootfs="$ROOTFS_TMP/rootfs"
    note "building $FORGE_BASE_IMAGE_TAG with debootstrap ${args[*]} $DEBIAN_SUITE from ${mirror:-"debootstrap's default mirror"} (log: $log)"
    if ! debootstrap "${args[@]}" "$DEBIAN_SUITE" "$rootfs" ${mirror:+"$mirror"} >>"$log" 2>&1; then
        show_log_tail "$log"
        die "debootstrap failed (see above). Check the network and the mirror, or set FORGE_BASE_IMAGE=<a Debian bookworm image>."
    fi

    # Slim it down the way the official slim images do.
    rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin \
        "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/debconf/*-old \
        "$rootfs"/var/log/apt/* "$rootfs"/var/log/*.log "$rootfs"/usr/share/man/* \
        "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/* "$rootfs"/usr/share/doc-base/*
    find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
    find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
    cat >"$rootfs/etc/dpkg/dpkg.cfg.d/90forge-slim" <<'EOF'
# Forge base image: do not install documentation or translations (keeps images small).
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
EOF
    cat >"$rootfs/etc/apt/apt.conf.d/90forge-slim" <<'EOF'
// Forge base image: no translation indexes, no leftover .deb files.
Acquire::Languages "none";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
EOF
    # Services must never start inside an image build.
    printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d"
    chmod 0755 "$rootfs/usr/sbin/policy-rc.d"
    # Do not bake the build host's identity into the image (Docker provides these at run time).
    : >"$rootfs/etc/resolv.conf"
    printf 'localhost\n' >"$rootfs/etc/hostname"
    [[ -e "$rootfs/etc/machine-id" ]] && : >"$rootfs/etc/machine-id"

    if ! tar --numeric-owner -C "$rootfs" --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -c . |
        docker import \
            --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
            --change 'CMD ["bash"]' \
            --change "LABEL $OWNER_LABEL org.forge.base-source=debootstrap-minbase-$DEBIAN_SUITE" \
            --message "forge base: debootstrap --variant=minbase $DEBIAN_SUITE" \
            - "$FORGE_BASE_IMAGE_TAG" >>"$log" 2>&1; then
        show_log_tail "$log"
        die "docker import of the debootstrap rootfs failed (see above)"
    fi
    cleanup_rootfs
}

# Prints the reference the sandbox image is built FROM.
ensure_base() {
    local log="$LOG_DIR/build-base.log" start source

    if [[ -n "${FORGE_BASE_IMAGE:-}" ]]; then
        if ! image_exists "$FORGE_BASE_IMAGE"; then
            note "pulling FORGE_BASE_IMAGE=$FORGE_BASE_IMAGE"
            timeout "$PULL_TIMEOUT_SECONDS" docker pull -q "$FORGE_BASE_IMAGE" >>"$log" 2>&1 ||
                die "FORGE_BASE_IMAGE=$FORGE_BASE_IMAGE is not available locally and could not be pulled.
        Load it (docker load / docker pull) or unset FORGE_BASE_IMAGE to use $FORGE_BASE_IMAGE_TAG."
        fi
        printf 'image %s: using FORGE_BASE_IMAGE (id %s)\n' "$FORGE_BASE_IMAGE" "$(short_id "$(image_id "$FORGE_BASE_IMAGE")")"
        BASE_REF="$FORGE_BASE_IMAGE"
        return 0
    fi

    BASE_REF="$FORGE_BASE_IMAGE_TAG"
    if image_exists "$FORGE_BASE_IMAGE_TAG" && [[ "$FORCE" -eq 0 ]]; then
        printf 'image %s: up to date (source: %s)\n' "$FORGE_BASE_IMAGE_TAG" \
            "$(image_label "$FORGE_BASE_IMAGE_TAG" org.forge.base-source || true)"
        return 0
    fi

    start=$SECONDS
    : >"$log"
    if image_exists "$FORGE_UPSTREAM_BASE_IMAGE"; then
        source="$FORGE_UPSTREAM_BASE_IMAGE (already present)"
        base_from_upstream "$log" || { show_log_tail "$log"; die "could not tag $FORGE_UPSTREAM_BASE_IMAGE as $FORGE_BASE_IMAGE_TAG"; }
    elif note "trying: docker pull $FORGE_UPSTREAM_BASE_IMAGE (timeout ${PULL_TIMEOUT_SECONDS}s)" &&
        timeout "$PULL_TIMEOUT_SECONDS" docker pull -q "$FORGE_UPSTREAM_BASE_IMAGE" >>"$log" 2>&1; then
        source="$FORGE_UPSTREAM_BASE_IMAGE (pulled)"
        base_from_upstream "$log" || { show_log_tail "$log"; die "could not tag $FORGE_UPSTREAM_BASE_IMAGE as $FORGE_BASE_IMAGE_TAG"; }
    else
        note "cannot pull $FORGE_UPSTREAM_BASE_IMAGE; falling back to debootstrap"
        source="debootstrap --variant=minbase $DEBIAN_SUITE"
        base_from_debootstrap "$log"
    fi
    BUILT_SOMETHING=1
    printf 'image %s: built in %ss (source: %s)\n' "$FORGE_BASE_IMAGE_TAG" "$((SECONDS - start))" "$source"
}

# ------------------------------------------------------- derived images --

# build_image TAG CONTEXT_DIR PARENT_REF PARENT_BUILD_ARG [NAME=VALUE...]
# (extra NAME=VALUE pairs are passed as build arguments and are part of the cache key)
build_image() {
    local tag="$1" ctx="$2" parent="$3" parent_arg="$4"
    shift 4
    local -a extra_args=("$@") build_args=()
    local parent_id want have old_id reason log start name a

    [[ -f "$ctx/Dockerfile" ]] || die "missing $ctx/Dockerfile"
    parent_id="$(image_id "$parent")" || die "parent image $parent of $tag does not exist"
    want="$(context_hash "$ctx" "$parent" "$parent_id" ${extra_args[@]+"${extra_args[@]}"})"
    for a in ${extra_args[@]+"${extra_args[@]}"}; do build_args+=(--build-arg "$a"); done

    old_id="$(image_id "$tag" || true)"
    if [[ -z "$old_id" ]]; then
        reason="not present"
    else
        have="$(image_label "$tag" "$HASH_LABEL" || true)"
        if [[ "$FORCE" -eq 1 ]]; then
            reason="--force"
        elif [[ -z "$have" ]]; then
            reason="existing image has no $HASH_LABEL label"
        elif [[ "$have" != "$want" ]]; then
            reason="build context or parent image changed"
        else
            printf 'image %s: up to date\n' "$tag"
            return 0
        fi
    fi

    name="${tag#*/}"
    name="${name%%:*}"
    log="$LOG_DIR/build-$name.log"
    note "building $tag ($reason; log: $log)"
    start=$SECONDS
    if ! docker build \
        --label "$OWNER_LABEL" \
        --label "$HASH_LABEL=$want" \
        --build-arg "$parent_arg=$parent" \
        ${build_args[@]+"${build_args[@]}"} \
        -t "$tag" "$ctx" >"$log" 2>&1; then
        show_log_tail "$log"
        die "docker build of $tag failed (see above; full log: $log)"
    fi
    BUILT_SOMETHING=1
    printf 'image %s: built in %ss (%s)\n' "$tag" "$((SECONDS - start))" "$reason"
}

# ------------------------------------------------------------------ main --

BASE_REF=""
BUILT_SOMETHING=0
ensure_base
build_image "$FORGE_SANDBOX_IMAGE" "$SCRIPT_DIR/sandbox" "$BASE_REF" BASE_IMAGE
build_image "$FORGE_DEMO_AGENT_IMAGE" "$SCRIPT_DIR/demo-agent" "$FORGE_SANDBOX_IMAGE" SANDBOX_IMAGE
build_image "$FORGE_EGRESS_PROXY_IMAGE" "$SCRIPT_DIR/egress-proxy" "$BASE_REF" BASE_IMAGE
build_image "$FORGE_TEST_UPSTREAM_IMAGE" "$SCRIPT_DIR/test-upstream" "$BASE_REF" BASE_IMAGE
build_image "$FORGE_SCRIPTED_MODEL_IMAGE" "$SCRIPT_DIR/scripted-model" "$BASE_REF" BASE_IMAGE
if [[ "$AGENTS" -eq 1 ]]; then
    BUILD_CA_CERTS=""
    if [[ -n "${FORGE_BUILD_CA_CERTS:-}" ]]; then
        [[ -r "$FORGE_BUILD_CA_CERTS" ]] || die "FORGE_BUILD_CA_CERTS=$FORGE_BUILD_CA_CERTS is not a readable file"
        BUILD_CA_CERTS="$(cat -- "$FORGE_BUILD_CA_CERTS")"
    else
        for f in /usr/local/share/ca-certificates/*.crt /usr/local/share/ca-certificates/*/*.crt; do
            [[ -f "$f" && -r "$f" ]] || continue
            BUILD_CA_CERTS+="$(cat -- "$f")"$'\n'
        done
    fi
    build_image "$FORGE_CLAUDE_CODE_IMAGE" "$SCRIPT_DIR/claude-code" "$FORGE_SANDBOX_IMAGE" SANDBOX_IMAGE \
        "CLAUDE_CODE_VERSION=$FORGE_CLAUDE_CODE_VERSION" "BUILD_CA_CERTS=$BUILD_CA_CERTS"
    build_image "$FORGE_CODEX_IMAGE" "$SCRIPT_DIR/codex" "$FORGE_SANDBOX_IMAGE" SANDBOX_IMAGE \
        "CODEX_VERSION=$FORGE_CODEX_VERSION" "BUILD_CA_CERTS=$BUILD_CA_CERTS"
fi

# Rebuilt images leave their predecessors untagged; drop those (only ours, only
# dangling ones - never anything still tagged or used by a container).
if [[ "$BUILT_SOMETHING" -eq 1 ]]; then
    docker image prune --force --filter "label=$OWNER_LABEL" >/dev/null 2>&1 || true
fi
