#!/usr/bin/env bash
# Checks that the folders of src/ depend on each other one way only, as
# docs/architecture.md draws it:  util <- sys <- session <- resolve <- engine <- api.c
# A file may include headers of its own folder and of folders to its left, never to its
# right. Prints each include that breaks the order; exits 1 if there is one.
set -eu
src=$(cd "$(dirname "$0")/../src" && pwd)
order=(util sys session resolve engine)
rank() {  # rank of a folder in the order; api.c (src/ itself) ranks last
  local i
  for i in "${!order[@]}"; do [ "${order[$i]}" = "$1" ] && { echo "$i"; return; }; done
  echo ${#order[@]}
}
bad=0; checked=0
while IFS= read -r file; do
  rel=${file#"$src"/}
  case $rel in */*) from=${rel%%/*} ;; *) from=api ;; esac
  from_rank=$(rank "$from")
  while IFS= read -r inc; do
    case $inc in
      ../*/*) to=${inc#../}; to=${to%%/*} ;;
      */*) to=${inc%%/*} ;;
      *) continue ;;  # same folder, or the public header
    esac
    checked=$((checked + 1))
    if [ "$(rank "$to")" -gt "$from_rank" ]; then
      echo "layers: $rel includes $inc ($from may not depend on $to)"; bad=1
    fi
  done < <(sed -n 's/^#include "\(.*\)"/\1/p' "$file")
done < <(find "$src" -name '*.[ch]' | sort)
[ $bad = 0 ] && echo "layers: $checked cross-folder includes, all one way (${order[*]} api)"
exit $bad
