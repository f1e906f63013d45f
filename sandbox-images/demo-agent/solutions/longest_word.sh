longest_word() {
    local line word best=""
    local -a words
    while IFS= read -r line || [[ -n "$line" ]]; do
        read -r -a words <<<"$line"
        for word in "${words[@]}"; do
            # Strictly longer only, so the first of equally long words wins.
            if ((${#word} > ${#best})); then
                best="$word"
            fi
        done
    done
    if [[ -n "$best" ]]; then
        printf '%s\n' "$best"
    fi
    return 0
}
