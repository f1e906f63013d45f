line_count() {
    local line count=0
    # "|| [[ -n $line ]]" also counts a last line that has no trailing newline.
    while IFS= read -r line || [[ -n "$line" ]]; do
        count=$((count + 1))
    done
    printf '%d\n' "$count"
}
