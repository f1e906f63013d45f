#!/usr/bin/env bash
# textstats - tiny text statistics library (Forge demo project).
#
# Usage: source this file, then pipe text into a function:
#     printf 'hello big world\n' | word_count      # -> 3
#
# Every function reads its text from stdin, writes its result to stdout
# followed by a newline, and returns 0. Words are maximal runs of characters
# other than spaces, tabs and newlines.

# word_count: print the number of words in the input.
#   'one two  three\nfour\n' -> 4        '' -> 0
# forge-demo: TODO implement word_count
word_count() {
    echo "word_count: not implemented" >&2
    return 1
}

# line_count: print the number of lines. A last line without a trailing
# newline still counts; empty input has 0 lines.
#   'a\nb\n' -> 2        'a\nb' -> 2        '' -> 0
# forge-demo: TODO implement line_count
line_count() {
    echo "line_count: not implemented" >&2
    return 1
}

# char_count: print the number of characters, not counting newlines.
#   'hello\nworld\n' -> 10        '' -> 0
# forge-demo: TODO implement char_count
char_count() {
    echo "char_count: not implemented" >&2
    return 1
}

# longest_word: print the longest word; on a tie the first one wins.
# Prints nothing (and still returns 0) when the input has no words.
#   'a bbb cc\ndddd\n' -> dddd        'ab cd\n' -> ab
# forge-demo: TODO implement longest_word
longest_word() {
    echo "longest_word: not implemented" >&2
    return 1
}

# reverse_words: for every input line, print its words in reverse order,
# separated by single spaces (a line without words becomes an empty line).
#   'one two three\n  x   y \n' -> 'three two one\ny x\n'
# forge-demo: TODO implement reverse_words
reverse_words() {
    echo "reverse_words: not implemented" >&2
    return 1
}
