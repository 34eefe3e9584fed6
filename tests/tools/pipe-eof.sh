#!/usr/bin/env bash
# ctest: a Windows program reads rmctl's stdout and stderr through one pipe until EOF, in a
# prefix where no desktop process runs yet (issue 15). Under Wine the first window call of
# such a prefix starts explorer.exe /desktop and hands it the caller's stderr, which it
# keeps: the reader then never sees EOF. tests/tools/pipe_reader.c reads with a bound and
# names the processes that still hold the pipe.
#
# Also: rmctl restart run from a Unix shell keeps its COMMAND's output (case 4).
#
# Usage: pipe-eof.sh PREFIX READER BIN
#   PREFIX  a prefix of this test alone (made on first use): its wineserver is stopped
#           before each case, so that no desktop runs when the case starts
#   READER  the x64 build's pipe_reader.exe, for both architectures. Measured: when a
#           32-bit program is the first of a stopped prefix, the desktop process lets go
#           of the pipe about 1 s after the program that started it exits, so the hang
#           only shows with a 64-bit reader (the program read may be either)
#   BIN     this build's bin/ (rmctl.exe, who_holds.exe, rmfixture.exe)
# Prints "pipe-eof: N passed, M failed"; exits non-zero on any failure.
set -u
prefix=$1 reader=$2 bin=$3
here=$(cd "$(dirname "$0")" && pwd)
export WINEPREFIX=$prefix WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d;winedbg.exe=d;rstrtmgr=n"
unset DISPLAY WAYLAND_DISPLAY

passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }
bad() { failed=$((failed + 1)); echo "FAILED: $*"; }
finish() {
  wineserver -k </dev/null >/dev/null 2>&1
  echo "pipe-eof: $passed passed, $failed failed"
  [ "$failed" = 0 ] && [ "$passed" -gt 0 ]
  exit $?
}
winpath() { local p=$1; printf 'Z:%s' "${p//\//\\}"; }

for f in "$reader" "$bin/rmctl.exe" "$bin/who_holds.exe" "$bin/rmfixture.exe"; do
  [ -f "$f" ] || { bad "$f is missing (scripts/build.sh builds both architectures)"; finish; }
done
bash "$here/../wine/setup.sh" "$prefix" >/dev/null || { bad "could not make the prefix $prefix"; finish; }
log=$prefix/pipe-eof.log
held='C:\pipe-eof-held.dat'

# run ARGS...: pipe_reader with ARGS, as the first program of a stopped prefix. Its
# output goes to a file: a Unix pipe would be held by the wineserver it starts.
run() {
  wineserver -k </dev/null >/dev/null 2>&1
  wineserver -w </dev/null >/dev/null 2>&1
  timeout 120 wine "$reader" "$@" </dev/null >"$log" 2>&1
  rc=$?
  tr -d '\r' <"$log" | sed 's/^/    /'
}
eof_ok() { grep -q '^pipe_reader: exit code 0, EOF' "$log" && [ "$rc" = 0 ]; }

# 1. rmctl who: RmGetList classifies the reader (it holds the file), enumerating windows.
run --hold "$held" 10000 "$(winpath "$bin/rmctl.exe")" who --json "$held"
if eof_ok && grep -q '"name": "pipe_reader.exe"' "$log"; then
  ok "rmctl who --json: output complete, EOF at exit"
else
  bad "rmctl who --json: no EOF, or the reader was not found (exit $rc)"
fi

# 2. rmctl restart whose COMMAND is the first program to make a window call: rmctl has
#    the desktop started before it runs the command, without our handles.
run 10000 "$(winpath "$bin/rmctl.exe")" restart 'C:\pipe-eof-nobody.dat' -- \
  "$(winpath "$bin/rmfixture.exe")" window-call
if eof_ok && grep -q 'the command exited with 0' "$log"; then
  ok "rmctl restart -- (a window call): EOF at exit"
else
  bad "rmctl restart -- (a window call): no EOF (exit $rc)"
fi

# 3. Any console program that loads our DLL and calls RmGetList first (the sample).
run --hold "$held" 10000 "$(winpath "$bin/who_holds.exe")" "$held"
if eof_ok && grep -q 'pipe_reader.exe' "$log"; then
  ok "who_holds (RmGetList in a DLL client): EOF at exit"
else
  bad "who_holds (RmGetList in a DLL client): no EOF (exit $rc)"
fi

# 4. rmctl run from a Unix shell, its output to a file: the COMMAND of restart writes there
#    too, after rmctl closed a console program (the DLL attached to that program's console
#    meanwhile; measured: given no handles explicitly, the command's output was lost).
console_file='C:\pipe-eof-console.dat'
wineserver -k </dev/null >/dev/null 2>&1
wineserver -w </dev/null >/dev/null 2>&1
wine "$bin/rmfixture.exe" with-file "$console_file" console - </dev/null >/dev/null 2>&1 &
for _ in $(seq 1 60); do
  wine "$bin/rmctl.exe" who --json "$console_file" </dev/null 2>/dev/null | grep -q '"type": "console"' && break
  sleep 0.5
done
timeout 120 wine "$bin/rmctl.exe" restart "$console_file" -- cmd.exe /c echo replacing-now \
  </dev/null >"$log" 2>&1
rc=$?
tr -d '\r' <"$log" | sed 's/^/    /'
if [ "$rc" = 0 ] && grep -q '^replacing-now' "$log" && grep -q 'console  restarted' "$log"; then
  ok "rmctl restart from a shell: the command's output is there after a console program was closed"
else
  bad "rmctl restart from a shell: the command's output is missing (exit $rc)"
fi

# 5. The cause, shown: a program whose first window call starts the desktop with its
#    stderr. Wine 8 keeps the pipe open; if a later Wine does not, this says so (the
#    workarounds above could then go) instead of passing quietly.
run 3000 "$(winpath "$bin/rmfixture.exe")" window-call
if [ "$rc" = 1 ] && grep -q 'NO EOF' "$log" && grep -qi 'explorer.exe' "$log"; then
  ok "cause reproduced: explorer.exe /desktop holds the pipe of the program that started it"
else
  bad "cause not reproduced: this Wine no longer hands the desktop process the caller's stderr (exit $rc)"
fi
finish
