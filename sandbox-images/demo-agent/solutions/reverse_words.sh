reverse_words() {
    local line out i
    local -a words
    while IFS= read -r line || [[ -n "$line" ]]; do
        read -r -a words <<<"$line"
        out=""
        for ((i = ${#words[@]} - 1; i >= 0; i--)); do
            out+="${out:+ }${words[i]}"
        done
        printf '%s\n' "$out"
    done
}
