#!/usr/bin/env bash
# ctest: the benchmark runs from start to end in a tiny world (2 holders, 1 file, one GUI
# app) and writes a JSON file that parses. No timing is checked: that is rmbench's report.
# Usage: smoke.sh OUT.json WINE-COMMAND... RMBENCH.exe
set -eu
json=$1
shift
rm -f "$json"
# The path as the program sees it: under Wine, drive Z: is /; on Windows it has a drive.
case $json in
  [A-Za-z]:*) out=${json//\//\\} ;;
  *) out="Z:${json//\//\\}" ;;
esac
"$@" --processes 2 --files-per-process 2 --files 1 --held 0 --reps 1 --memory-reps 1 \
     --gui-apps 1 --gui-rounds 1 --out "$out" </dev/null
if command -v python3 >/dev/null 2>&1; then
  python3 -m json.tool "$json" >/dev/null
elif command -v jq >/dev/null 2>&1; then
  jq . "$json" >/dev/null
else
  grep -q '"targets"' "$json"
fi
echo "bench smoke: $json is valid JSON"
