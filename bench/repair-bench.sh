#!/usr/bin/env bash
# Issue 5's benchmark: repair a sparse 1 TiB preallocation=metadata image (64 KiB clusters) that has a leaked cluster and
# a damaged refcount block, with `qcowscope repair --apply --in-place --journal` and with `qemu-img check -r all`, each
# on its own fresh copy; wall time and peak RSS (/usr/bin/time, Debian package `time`) side by side.
# Usage: bench/repair-bench.sh [RUNS] [WORKDIR]   (after `mvn -q -DskipTests package`)
set -euo pipefail
runs="${1:-3}"
work="${2:-bench-work}"
top="$(cd "$(dirname "$0")/.." && pwd)"
jar="$top/app/target/qcowscope.jar"
mkdir -p "$work"
pristine="$work/repair-1T.qcow2"
if [ ! -f "$pristine" ]; then
  qemu-img create -q -f qcow2 -o preallocation=metadata,cluster_size=64k "$pristine" 1T
  # A leak: drop the reference of L2 entry 5 of the first L2 table (its data cluster stays refcounted).
  l1=$(java -jar "$jar" dump l1 --output=json "$pristine" | python3 -c 'import json,sys;print(json.load(sys.stdin)[0]["l2-offset"])')
  printf '\0\0\0\0\0\0\0\0' | dd of="$pristine" bs=1 seek=$((l1 + 5 * 8)) conv=notrunc status=none
  # A damaged refcount block: zero the first 4 KiB of refcount block 3 (2048 used clusters now read refcount 0).
  rb=$(java -jar "$jar" dump reftable --output=json "$pristine" | python3 -c 'import json,sys;print(json.load(sys.stdin)[3]["block-offset"])')
  dd if=/dev/zero of="$pristine" bs=4096 count=1 seek=$((rb / 4096)) conv=notrunc status=none
fi
qemu-img check "$pristine" >/dev/null 2>&1 || echo "damaged image: qemu-img check exit $?"
jvm=(java -XX:+UseSerialGC -Xmx1g -jar "$jar")
measure() { # label, command...
  local label="$1"; shift
  local copy="$work/run.qcow2"
  rm -f "$copy" "$work/run.undo"
  cp --sparse=always "$pristine" "$copy"
  /usr/bin/time -o "$work/time.txt" -f '%e %M' "$@" "$copy" >/dev/null 2>&1 || true
  local after; after=$(qemu-img check "$copy" >/dev/null 2>&1; echo $?)
  echo "$label $(tail -1 "$work/time.txt") $after"
}
printf '%-10s %8s %10s %s\n' tool seconds peakMiB "qemu-img check after"
for i in $(seq "$runs"); do
  read -r l s m a < <(measure qemu-img qemu-img check -r all)
  printf '%-10s %8s %10d %s\n' "$l" "$s" $((m / 1024)) "$a"
  read -r l s m a < <(measure qcowscope "${jvm[@]}" repair --apply --in-place --journal "$work/run.undo")
  printf '%-10s %8s %10d %s\n' "$l" "$s" $((m / 1024)) "$a"
done
