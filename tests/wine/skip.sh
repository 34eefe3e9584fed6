#!/bin/sh
# Stands in for every x86 test when 32-bit Wine is missing: loud, and counted as skipped.
echo "SKIPPED: wine32:i386 is not installed, so 32-bit programs cannot run here ($1)"
exit 77
