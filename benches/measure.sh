#!/usr/bin/env bash
# Whole-process measurements of rolecall: median wall time and peak memory of
# `rolecall check`, `rolecall build`, `rolecall fmt --check` and `rolecall
# diff` (human and `--format json`) on generated policy sets of 1,000, 10,000
# and 100,000 profiles and on the shipped Apollo example, next to pest's
# recognition alone of the same files (examples/pest_parse.rs, one thread).
# `diff` compares the set with a copy that sets one more permission in the
# first profile of the first profile file. Prints a markdown table for
# docs/performance.md.
#
#   bash benches/measure.sh                 # everything, 10 runs per command
#   RUNS=5 RSS_RUNS=1 SIZES="1000 10000" bash benches/measure.sh
#   LSP=1 bash benches/measure.sh           # and the lsp re-check bench
#
# Needs GNU time at /usr/bin/time for peak memory (Debian: `apt-get install
# -y time`); uses hyperfine when it is on PATH (`apt-get install -y
# hyperfine`), a plain loop of runs otherwise. Generated sets are cached
# under target/policy-sets/ and made again when the generator changes.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-10}
RSS_RUNS=${RSS_RUNS:-3}
SIZES=${SIZES:-"1000 10000 100000"}
SEED=${SEED:-1}
SETS=target/policy-sets
BIN=target/release/rolecall
GEN=target/release/examples/generate
PEST=target/release/examples/pest_parse

if [[ ! -x /usr/bin/time ]]; then
    echo "error: GNU time is needed at /usr/bin/time for peak memory (apt-get install -y time)" >&2
    exit 2
fi

cargo build --release --quiet --bin rolecall --example generate --example pest_parse

label() { # 1000 -> 1k
    local n=$1
    if ((n % 1000 == 0)); then echo "$((n / 1000))k"; else echo "$n"; fi
}

# Generate (or reuse) the set of $1 profiles; prints its directory.
set_dir() {
    local n=$1 dir stamp
    dir="$SETS/$(label "$n")"
    stamp="$(cat examples/generate/main.rs examples/generate/policy_set/*.rs \
        policies/apollo/catalog.yaml policies/apollo/prelude.perm | sha256sum | cut -c1-16) $n $SEED"
    if [[ ! -f "$dir.stamp" || "$(cat "$dir.stamp")" != "$stamp" ]]; then
        mkdir -p "$SETS"
        "$GEN" --platform apollo --profiles "$n" --members "$n" --seed "$SEED" \
            --out "$dir" --force >&2
        echo "$stamp" >"$dir.stamp"
    fi
    echo "$dir"
}

# A copy of the set in $1 with one setting added to its first profile, for
# `diff`; prints its directory.
edited_dir() {
    local dir=$1 out first
    out="$SETS/$(basename "$dir").edited"
    mkdir -p "$SETS"
    rm -rf "$out"
    cp -r "$dir" "$out"
    first=$(find "$out" -name '*.perm' -path '*profiles*' | sort | head -1)
    if [[ -z "$first" ]]; then first=$(find "$out" -name '*.perm' | sort | head -1); fi
    # After the first line that opens a block.
    sed -i '0,/{$/s//{\n    mailbox.sending_limit = 42/' "$first"
    echo "$out"
}

# Median wall time in seconds of the command "$@", over $RUNS runs.
median_time() {
    if command -v hyperfine >/dev/null; then
        local json
        json=$(mktemp)
        hyperfine --runs "$RUNS" --warmup 1 --shell=none --style none \
            --export-json "$json" -- "$(printf '%q ' "$@")" >/dev/null
        grep -o '"median": *[0-9.e+-]*' "$json" | head -1 | sed 's/.*: *//'
        rm -f "$json"
    else
        "$@" >/dev/null # warm-up
        local i start end
        for ((i = 0; i < RUNS; i++)); do
            start=$(date +%s%N)
            "$@" >/dev/null
            end=$(date +%s%N)
            echo "$(((end - start) / 1000))"
        done | sort -n | awk '{ t[NR] = $1 } END {
            m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
            printf "%.6f\n", m / 1e6 }'
    fi
}

# Median peak resident set size in bytes of "$@" over $RSS_RUNS runs.
peak_rss() {
    local i out
    out=$(mktemp)
    for ((i = 0; i < RSS_RUNS; i++)); do
        /usr/bin/time -f '%M' -o "$out" "$@" >/dev/null
        cat "$out"
    done | sort -n | awk '{ r[NR] = $1 } END { printf "%.0f\n", r[int((NR + 1) / 2)] * 1024 }'
    rm -f "$out"
}

policy_bytes() { find "$1" -name '*.perm' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'; }
profile_count() { find "$1" -name '*.perm' -exec cat {} + | grep -c '^profile "' || true; }

OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

declare -A TIME
ROWS=()
measure_set() { # name dir
    local name=$1 dir=$2 bytes profiles what t rss edited
    bytes=$(policy_bytes "$dir")
    profiles=$(profile_count "$dir")
    edited=$(edited_dir "$dir")
    local commands=(pest check build fmt diff diff-json)
    # The example's first profile already sets the permission the edit adds.
    [[ $name == example ]] && commands=(pest check build fmt)
    for what in "${commands[@]}"; do
        case $what in
        pest) cmd=("$PEST" "$dir") ;;
        check) cmd=("$BIN" check "$dir") ;;
        build) cmd=("$BIN" build "$dir" -o "$OUT/bundle.json") ;;
        fmt) cmd=("$BIN" fmt --check "$dir") ;;
        diff) cmd=("$BIN" diff "$dir" "$edited") ;;
        diff-json) cmd=("$BIN" diff --format json "$dir" "$edited") ;;
        esac
        echo "measuring $what on $name ($bytes bytes)" >&2
        if ! "${cmd[@]}" >/dev/null 2>&1; then
            echo "error: \`${cmd[*]}\` fails" >&2
            exit 2
        fi
        t=$(median_time "${cmd[@]}")
        rss=$(peak_rss "${cmd[@]}")
        TIME[$name/$what]=$t
        ROWS+=("$name $what $bytes $profiles $t $rss")
        echo "  median $t s, peak RSS $rss bytes" >&2
        if [[ $what == build ]]; then
            BUNDLE[$name]=$(stat -c %s "$OUT/bundle.json")
        fi
    done
}
declare -A BUNDLE

measure_set example policies/examples/apollo-acme
for n in $SIZES; do
    measure_set "$(label "$n")" "$(set_dir "$n")"
done

command_name() {
    case $1 in
    pest) echo "pest only" ;;
    check) echo '`check`' ;;
    build) echo '`build`' ;;
    fmt) echo '`fmt --check`' ;;
    diff) echo '`diff`' ;;
    diff-json) echo '`diff --format json`' ;;
    esac
}

echo
echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)), \
load average $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), \
$RUNS runs per command ($(command -v hyperfine >/dev/null && echo hyperfine || echo shell loop))."
echo
echo "| set | command | policy bytes | profiles | median time | MB/s | profiles/s | peak RSS | RSS / bytes | × pest | × check | × 10k |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for row in "${ROWS[@]}"; do
    read -r name what bytes profiles t rss <<<"$row"
    pest=${TIME[$name/pest]}
    check=${TIME[$name/check]}
    base=${TIME[10k/$what]:-}
    awk -v name="$name" -v cmd="$(command_name "$what")" -v what="$what" -v bytes="$bytes" \
        -v profiles="$profiles" -v t="$t" -v rss="$rss" -v pest="$pest" -v check="$check" -v base="$base" 'BEGIN {
        time = (t < 1) ? sprintf("%.1f ms", t * 1000) : sprintf("%.2f s", t)
        vs_pest = (what == "pest") ? "1.00" : sprintf("%.2f", t / pest)
        vs_check = (what == "pest" || what == "check") ? "–" : sprintf("%.2f", t / check)
        vs_10k = (name == "100k" && base != "") ? sprintf("%.1f", t / base) : "–"
        printf "| %s | %s | %d | %d | %s | %.1f | %.0f | %.1f MB | %.1f | %s | %s | %s |\n",
            name, cmd, bytes, profiles, time, bytes / t / 1e6, profiles / t, rss / 1e6,
            rss / bytes, vs_pest, vs_check, vs_10k }'
done
echo
for name in "${!BUNDLE[@]}"; do
    echo "$name: bundle ${BUNDLE[$name]} bytes"
done | sort

# The `lsp` re-check is measured in process (one edit, the re-check and the
# publications): criterion's median per edit, with LSP=1.
if [[ "${LSP:-0}" == 1 ]]; then
    echo
    echo "| \`lsp\` re-check (criterion, in process) | median per edit |"
    echo "|---|---:|"
    cargo bench --quiet --bench lsp 2>/dev/null |
        awk '/^lsp-edit\// { name = $1 } /time:/ { if (name == "") name = $1; printf "| %s | %s %s |\n", name, $(NF-3), $(NF-2); name = "" }'
fi
