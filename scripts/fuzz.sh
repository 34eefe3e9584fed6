#!/usr/bin/env bash
# libFuzzer runs of the plain-C parsers of shared state (fuzz/), built natively with clang,
# AddressSanitizer and UndefinedBehaviorSanitizer (any finding aborts the run).
#
#   fuzz.sh short           each target: its corpus, then 20,000 new inputs (ctest runs this)
#   fuzz.sh long [RUNS]     each target: RUNS executions (default 10,000,000), new finds kept
#                           in build/fuzz/found/<target>; prints each run's last lines
#   fuzz.sh merge           adds what long runs found that brings new coverage to fuzz/corpus
#   fuzz.sh seed            (re)writes the seed inputs of fuzz/corpus with the real encoders
#
# The corpus in the repo is only read by short and long runs: libFuzzer writes new inputs
# into the first directory it is given, which is always one under build/.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=${RM_FUZZ_DIR:-$root/build/fuzz}
targets=(fuzz_store fuzz_key fuzz_filters)
mode=${1:-short}
log() { printf '[fuzz] %s\n' "$*"; }

mkdir -p "$out"
cc=$(command -v clang || command -v clang-14 || true)
[ -n "$cc" ] || { log "clang is missing (scripts/install-deps.sh installs it)"; exit 1; }
flags=(-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined
       -fno-sanitize-recover=all -Wall -Wextra -Werror -I"$root/src")
sources_of() {
  case $1 in
    fuzz_store) echo "$root/src/session/layout.c" ;;
    fuzz_key) echo "$root/src/session/key_text.c" ;;
    fuzz_filters) echo "$root/src/engine/filter_buffer.c" ;;
  esac
}
for t in "${targets[@]}"; do
  # shellcheck disable=SC2046
  "$cc" "${flags[@]}" -o "$out/$t" "$root/fuzz/$t.c" $(sources_of "$t")
done

case $mode in
  seed)
    "$cc" -Wall -Wextra -Werror -I"$root/src" -o "$out/seeds" "$root/fuzz/seeds.c" "$root/src/session/layout.c"
    mkdir -p "$root"/fuzz/corpus/{fuzz_store,fuzz_key,fuzz_filters}
    "$out/seeds" "$root/fuzz/corpus/fuzz_store" "$root/fuzz/corpus/fuzz_key" "$root/fuzz/corpus/fuzz_filters"
    log "seeds written to fuzz/corpus"
    ;;
  short)
    for t in "${targets[@]}"; do
      work=$(mktemp -d "$out/short-$t.XXXXXX")
      export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
      if ! "$out/$t" -runs=20000 -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
           -artifact_prefix="$out/crash-$t-" "$work" "$root/fuzz/corpus/$t" >"$out/$t.short.log" 2>&1; then
        tail -n 40 "$out/$t.short.log"; log "FAILED: $t (log: $out/$t.short.log)"; exit 1
      fi
      rm -rf "$work"
      log "$t: $(grep -E '^Done [0-9]+ runs' "$out/$t.short.log" || echo 'no summary')"
    done
    echo "fuzz: ${#targets[@]} passed, 0 failed"
    ;;
  long)
    runs=${2:-10000000}
    for t in "${targets[@]}"; do
      mkdir -p "$out/found/$t"
      log "$t: $runs runs"
      "$out/$t" -runs="$runs" -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$out/crash-$t-" "$out/found/$t" "$root/fuzz/corpus/$t" >"$out/$t.long.log" 2>&1 ||
        { tail -n 40 "$out/$t.long.log"; log "FAILED: $t"; exit 1; }
      grep -E '^(Done|stat::)' "$out/$t.long.log" | sed "s/^/[$t] /"
    done
    ;;
  merge)
    for t in "${targets[@]}"; do
      "$out/$t" -merge=1 "$root/fuzz/corpus/$t" "$out/found/$t" >"$out/$t.merge.log" 2>&1
      log "$t: $(grep -E 'MERGE-OUTER: [0-9]+ new files' "$out/$t.merge.log" || true)"
    done
    ;;
  *) echo "usage: $0 short|long [RUNS]|merge|seed" >&2; exit 2 ;;
esac
