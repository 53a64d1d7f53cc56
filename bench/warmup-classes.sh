#!/usr/bin/env bash
# Regenerates the class list the window loads on a background thread while its skeleton shows:
# bench/warmup-classes.sh [IMAGE]. Runs the window like bench/fx-stall.sh (Xvfb, the 1 TiB image, every view shown)
# with -Xlog:class+load and keeps the classes loaded from jars (ours, JavaFX, ControlsFX, Ikonli, AtlantaFX) and the
# JDK's modules after the app's start, not those of the JDK's shared archive nor generated ones (lambdas, proxies).
# Run after `mvn -q -DskipTests package`; writes app/src/main/resources/io/qcowscope/app/ui/warmup-classes.txt.
# Needs xvfb, xdotool, qemu-utils.
set -u
img=${1:-target/fx-stall/big.qcow2}
jar=${QS_JAR:-app/target/qcowscope.jar}
out=app/src/main/resources/io/qcowscope/app/ui/warmup-classes.txt
log=target/fx-stall/class-load.log
mkdir -p target/fx-stall
[ -f "$img" ] || qemu-img create -q -f qcow2 -o preallocation=metadata,cluster_size=64k "$img" 1T
rm -f "$log"
xvfb-run -a -s "-screen 0 1600x1000x24" bash -c '
  jar=$1; img=$2; log=$3
  java -Xlog:class+load=info:file="$log" -Dqcowscope.warmup=false -jar "$jar" "$img" >/dev/null 2>&1 &
  app=$!
  for i in $(seq 80); do xdotool search --onlyvisible --name "qcowscope" >/dev/null 2>&1 && break; sleep 0.25; done
  xdotool mousemove 800 980 click 1
  sleep 8
  for v in 1 2 3 4 5 6 7 1; do xdotool key ctrl+$v; sleep 2; done
  kill $app 2>/dev/null; wait $app 2>/dev/null' _ "$jar" "$img" "$log"
{
  echo "# classes the window loads after its start (bench/warmup-classes.sh); loaded off the FX thread at start"
  sed -n '/io.qcowscope.app.ui.QcowscopeApp /,$p' "$log" | grep -E 'source: (jrt:|file:|jar:)' \
    | sed -E 's/^\[[^]]*\]\[[^]]*\]\[[^]]*\] ([^ ]+) source: .*/\1/' | grep -vE '\$\$Lambda|/0x|^jdk\.internal\.reflect\.Generated|^com\.sun\.proxy|^jdk\.proxy' \
    | grep -vE '^io\.qcowscope\.app\.(cli|Main)' | awk '!seen[$0]++'
} >"$out"
echo "$(grep -vc '^#' "$out") classes in $out"
