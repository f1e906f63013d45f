word_count() {
    local line count=0
    local -a words
    while IFS= read -r line || [[ -n "$line" ]]; do
        read -r -a words <<<"$line"
        count=$((count + ${#words[@]}))
    done
    printf '%d\n' "$count"
}
