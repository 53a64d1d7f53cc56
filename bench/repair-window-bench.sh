#!/usr/bin/env bash
# Issue 9's figures: the window's repair of the bench/repair-bench.sh image (1 TiB preallocation=metadata, 64 KiB
# clusters, a leak and a damaged refcount block) beside `qemu-img check -r all`, each on a fresh sparse copy, interleaved.
# Per run: qemu-img check -r all; the window (under Xvfb) from "Plan repair" to the plan on screen, then Apply in place
# behind the default undo journal until every view has refreshed; the same with Apply to a new copy (RepairApplyTiming).
# Usage: bench/repair-window-bench.sh [RUNS] [WORKDIR]   (after `mvn -q -DskipTests package`: it needs the test classes)
# Needs xvfb, qemu-utils, /usr/bin/time (Debian package `time`). Report `uptime` beside the figures (printed per step).
set -euo pipefail
runs="${1:-2}"
work="$(mkdir -p "${2:-bench-work}" && cd "${2:-bench-work}" && pwd)"
top="$(cd "$(dirname "$0")/.." && pwd)"
"$top/bench/repair-bench.sh" 0 "$work" >/dev/null # makes $work/repair-1T.qcow2 once
pristine="$work/repair-1T.qcow2"
cp_="$top/app/target/test-classes:$top/app/target/qcowscope.jar"
for i in $(seq "$runs"); do
  echo "== run $i"
  rm -f "$work/qemu-run.qcow2"
  cp --sparse=always "$pristine" "$work/qemu-run.qcow2"
  echo "load before qemu-img: $(cat /proc/loadavg)"
  /usr/bin/time -f 'qemu-img check -r all: %e s, %M KiB peak' qemu-img check -r all "$work/qemu-run.qcow2" >/dev/null 2>"$work/qemu.err" || true
  tail -1 "$work/qemu.err"
  echo "qemu-img check after: exit $(qemu-img check "$work/qemu-run.qcow2" >/dev/null 2>&1; echo $?)"
  for target in inplace copy; do
    echo "-- window, apply $target"
    xvfb-run -a -s "-screen 0 1600x1000x24" java -XX:+UseSerialGC -Xmx1g -cp "$cp_" \
      io.qcowscope.app.ui.view.RepairApplyTiming "$pristine" "$work" "$target" 1600x1000 2>"$work/window-$target.err" \
      | grep -E '^(load|plan|edit mode|apply|result|open)' || { echo "failed:"; tail -5 "$work/window-$target.err"; }
    echo "qemu-img check after: exit $(qemu-img check "$work/window-run$([ $target = copy ] && echo -edited).qcow2" >/dev/null 2>&1; echo $?)"
  done
done
rm -f "$work/qemu-run.qcow2" "$work"/window-run*
