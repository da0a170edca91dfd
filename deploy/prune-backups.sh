#!/bin/sh
# Keep 14 daily, 8 weekly (Sunday) and 12 monthly (1st of the month) archives; delete the rest.
set -eu
dir=${1:?backup directory}
cd "$dir"
keep=$(mktemp)
ls -1 portal-*.backup 2>/dev/null | sort -r | head -n 14 >> "$keep" || true
for f in $(ls -1 portal-*.backup 2>/dev/null | sort -r); do
  day=$(echo "$f" | sed -E 's/portal-([0-9]{8})T.*/\1/')
  dow=$(date -u -d "$day" +%u 2>/dev/null || echo 0)
  dom=$(echo "$day" | cut -c7-8)
  [ "$dow" = 7 ] && echo "$f" >> "$keep.w"
  [ "$dom" = 01 ] && echo "$f" >> "$keep.m"
done
[ -f "$keep.w" ] && head -n 8 "$keep.w" >> "$keep"
[ -f "$keep.m" ] && head -n 12 "$keep.m" >> "$keep"
for f in portal-*.backup; do
  [ -e "$f" ] || continue
  grep -qx "$f" "$keep" || rm -f -- "$f"
done
rm -f "$keep" "$keep.w" "$keep.m"
