#!/usr/bin/env bash
# The FX thread while a 1 TiB image opens and scans: bench/fx-stall.sh [SIZE] [IMAGE]
# Makes (or reuses) a 1 TiB preallocation=metadata image with 64 KiB clusters, opens it in the window under Xvfb at
# SIZE (default 1600x1000) with the frame log on (-Dqcowscope.frames=true), waits without input until the layout scans
# have delivered, then switches every view (Ctrl+1..7) twice, and prints the distribution of FX-thread task lengths (FxStallLog's probe delays) and every stall
# over 16 ms with what the FX thread ran then (stack samples grouped by place, and the FX thread's CPU time meanwhile).
# The "fx while scanning" line also gives the FX thread's CPU time over the scans' window: its work, whatever the
# scheduler made of it.
# Run after `mvn -q -DskipTests package`; report `uptime` beside it. QS_JAVA_OPTS adds JVM options (e.g.
# -Dqcowscope.warmup=false to build the views without the class warm-up). QS_BIN runs a launcher instead of
# `java -jar`, e.g. QS_BIN=packaging/target/qcowscope/bin/qcowscope (the packaged app and its start-up cache; the options
# then go in through JAVA_TOOL_OPTIONS).
# Needs xvfb, xdotool, qemu-utils.
set -u
size=${1:-1600x1000}
img=${2:-target/fx-stall/big.qcow2}
jar=${QS_JAR:-app/target/qcowscope.jar}
log=target/fx-stall/app-$size.log
mkdir -p target/fx-stall
[ -f "$img" ] || qemu-img create -q -f qcow2 -o preallocation=metadata,cluster_size=64k "$img" 1T
echo "launcher: ${QS_BIN:-java -jar $jar}"
echo "load before: $(uptime)"
xvfb-run -a -s "-screen 0 ${size}x24" bash -c '
  jar=$1; img=$2; log=$3; size=$4
  if [ -n "${QS_BIN:-}" ]; then
    JAVA_TOOL_OPTIONS="${QS_JAVA_OPTS:-} -Dqcowscope.frames=true -Dqcowscope.log=true" "$QS_BIN" "$img" >"$log" 2>&1 &
  else
    java ${QS_JAVA_OPTS:-} -Dqcowscope.frames=true -Dqcowscope.log=true -jar "$jar" "$img" >"$log" 2>&1 &
  fi
  app=$!
  for i in $(seq 80); do xdotool search --onlyvisible --name "qcowscope" >/dev/null 2>&1 && break; sleep 0.25; done
  w=${size%x*}; h=${size#*x}
  # No input until the scans have delivered: the FX thread'"'"'s tasks while they run are the measure ("fx while
  # scanning"); the view switches come after, and each is timed on its own ("qcowscope tab ... first shown").
  for i in $(seq 240); do grep -q "^fx scan ended" "$log" && break; sleep 0.25; done
  sleep 1
  xdotool mousemove $((w/2)) $((h-20)) click 1
  for round in 1 2; do
    for v in 1 2 3 4 5 6 7; do xdotool key ctrl+$v; sleep 1.5; done
  done
  sleep 2
  kill $app 2>/dev/null; wait $app 2>/dev/null' _ "$jar" "$img" "$log" "$size"
echo "load after: $(uptime)"
echo "stalls while the scans ran:"
grep -E "^fx stall .* while scanning" "$log" | sort -t' ' -k3 -g -r | head -20
echo "all stalls:"
grep -E "^fx stall" "$log" | sort -t' ' -k3 -g -r | head -20
grep -E "qcowscope (status|timing|warmup|tab)" "$log" | tail -12
grep -E "^fx since start" "$log" | tail -1
grep -E "^fx scan (started|ended)" "$log"
grep -E "^fx while scanning" "$log" | tail -1
