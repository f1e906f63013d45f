#!/usr/bin/env bash
# Test suite for src/textstats.sh. Run from the project root:
#     bash tests/run.sh
# Prints one PASS/FAIL line per test and a summary; exits 0 only if all pass.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LIB="$ROOT/src/textstats.sh"
[[ -r "$LIB" ]] || { echo "tests: cannot read $LIB" >&2; exit 2; }
# shellcheck source-path=SCRIPTDIR source=../src/textstats.sh
. "$LIB"

passed=0
failed=0

# check NAME FUNCTION INPUT EXPECTED
# Pipes INPUT into FUNCTION (in a subshell) and compares its stdout with EXPECTED.
check() {
    local name="$1" fn="$2" input="$3" expected="$4" actual status
    actual="$(printf '%s' "$input" | "$fn" 2>/dev/null)" && status=0 || status=$?
    if [[ "$status" -eq 0 && "$actual" == "$expected" ]]; then
        printf 'PASS %s\n' "$name"
        passed=$((passed + 1))
    else
        # Newlines shown as \n so that every test stays on one line.
        printf "FAIL %s: expected '%s', got '%s' (exit status %s)\n" \
            "$name" "${expected//$'\n'/\\n}" "${actual//$'\n'/\\n}" "$status"
        failed=$((failed + 1))
    fi
}

check "word_count: simple sentence"      word_count    $'the quick brown fox\n'        "4"
check "word_count: extra whitespace"     word_count    $'  one\ttwo  \n\nthree  \n'    "3"
check "word_count: empty input"          word_count    ''                              "0"

check "line_count: newline terminated"   line_count    $'a\nb\nc\n'                    "3"
check "line_count: last line unterminated" line_count  $'a\nb'                         "2"
check "line_count: empty input"          line_count    ''                              "0"
check "line_count: blank lines count"    line_count    $'\n\n'                         "2"

check "char_count: newlines not counted" char_count    $'hello\nworld\n'               "10"
check "char_count: spaces counted"       char_count    $'a b c'                        "5"
check "char_count: empty input"          char_count    ''                              "0"

check "longest_word: across lines"       longest_word  $'a bbb cc\ndddd\n'             "dddd"
check "longest_word: first wins a tie"   longest_word  $'ab cd ef\n'                   "ab"
check "longest_word: no words"           longest_word  $'  \n'                         ""

check "reverse_words: one line"          reverse_words $'one two three\n'              "three two one"
check "reverse_words: per line, spacing" reverse_words $'one two three\n  x   y \n'    $'three two one\ny x'
check "reverse_words: single word"       reverse_words $'solo'                         "solo"

total=$((passed + failed))
if [[ "$failed" -eq 0 ]]; then
    printf 'tests: all %d passed\n' "$total"
    exit 0
fi
printf 'tests: %d of %d failed\n' "$failed" "$total"
exit 1
