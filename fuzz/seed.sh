#!/usr/bin/env bash
# Seeds the corpus of every fuzz target with the repository's policy files:
# the rule fixtures, the platform preludes and the example policy sets.
set -euo pipefail
cd "$(dirname "$0")"
for target in parse check fmt; do
    mkdir -p "corpus/$target"
    find ../tests/inputs/fixtures ../tests/inputs/fmt ../policies -name '*.perm' -print0 |
        while IFS= read -r -d '' file; do
            # Named after its path, so two files of one name both stay, and
            # without `.perm`, so `rolecall check .` never takes a seed for a
            # policy file.
            name=$(printf '%s' "${file#../}" | tr '/' '_')
            cp "$file" "corpus/$target/${name%.perm}"
        done
done
count=$(find ../tests/inputs/fixtures ../tests/inputs/fmt ../policies -name '*.perm' | wc -l)
echo "seeded corpus/parse, corpus/check and corpus/fmt with $count policy files each"
