char_count() {
    local count
    count="$(tr -d '\n' | wc -m)"
    printf '%d\n' "$((count))"
}
