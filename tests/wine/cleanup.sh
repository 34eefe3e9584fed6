#!/usr/bin/env bash
# ctest cleanup fixture: stops the prefix's wineserver (and every process left in it).
WINEPREFIX=$1 wineserver -k </dev/null >/dev/null 2>&1
echo "wineserver of $1 stopped"
exit 0
