#!/usr/bin/env bash
# deploy.sh - the textstats "production deploy", run by Forge's gate after a
# human approved it (inside the sandbox, without network).
#
# 1. runs the test suite again and refuses to deploy if it fails;
# 2. packages src/ into dist/textstats-<id>.tar.gz, where <id> is the first
#    12 hex digits of a SHA-256 over the paths and contents of src/ (no git
#    needed; the same sources always give the same id and the same archive).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

if ! bash tests/run.sh; then
    echo "deploy: the tests fail; refusing to deploy. Fix the code and run the gate again." >&2
    exit 1
fi

id="$(
    find src -type f -print0 | LC_ALL=C sort -z |
        while IFS= read -r -d '' f; do
            printf '%s %s\n' "$(sha256sum <"$f" | cut -d' ' -f1)" "$f"
        done | sha256sum | cut -c1-12
)"

mkdir -p dist
archive="dist/textstats-$id.tar.gz"
tmp="$(mktemp "dist/.textstats-$id.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
# Reproducible archive: fixed order, owners and timestamps.
tar --sort=name --mtime='@0' --owner=0 --group=0 --numeric-owner -cf - src | gzip -n >"$tmp"
mv -f "$tmp" "$archive"
trap - EXIT

echo "deploy: wrote $archive ($(wc -c <"$archive") bytes)"
echo "deployed textstats $id"
