#!/usr/bin/env bash
# Benchmark: `qcowscope check` against `qemu-img check`, whole process, on two sparse 1 TiB images
# (64 KiB clusters, preallocation=metadata; 2 MiB clusters, extended L2, preallocation=metadata).
# Prints per-run wall time and peak RSS (/usr/bin/time -v), the medians and the ratios ours/qemu-img.
#
# Usage: bench/check-bench.sh [RUNS] [WORKDIR]     (build first: mvn -q -DskipTests package)
# Needs: qemu-img, java 17, /usr/bin/time (Debian package `time`), ~350 MiB of real disk (the files are sparse).
set -euo pipefail
RUNS=${1:-5}
WORK=${2:-/tmp/qcowscope-bench}
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAR="$ROOT/app/target/qcowscope.jar"
# The check's data is ~1.5 bytes per host cluster (IMRT + bit sets): a small fixed heap and the serial collector keep
# the JVM's own footprint down. Override with QCOWSCOPE_JAVA_OPTS.
JAVA_OPTS=${QCOWSCOPE_JAVA_OPTS:--XX:+UseSerialGC -Xmx96m -Xmn4m -XX:ReservedCodeCacheSize=16m -Xss512k}

[ -x /usr/bin/time ] || { echo "install the 'time' package (apt-get install time)" >&2; exit 1; }
[ -f "$JAR" ] || { echo "build first: mvn -q -DskipTests package" >&2; exit 1; }
mkdir -p "$WORK"
cd "$WORK"
[ -f big64k.qcow2 ] || qemu-img create -q -f qcow2 -o preallocation=metadata,cluster_size=64k big64k.qcow2 1T
[ -f big2m.qcow2 ] || qemu-img create -q -f qcow2 -o preallocation=metadata,cluster_size=2M,extended_l2=on big2m.qcow2 1T

# AppCDS: one training run dumps the classes qcowscope check loads; later runs map them instead of parsing jars.
CDS="$WORK/qcowscope-check.jsa"
if [ ! -f "$CDS" ]; then
    # shellcheck disable=SC2086
    java $JAVA_OPTS -XX:ArchiveClassesAtExit="$CDS" -jar "$JAR" check big2m.qcow2 > /dev/null 2>&1 || true
fi

# measure LABEL CMD... -> "wall-seconds kilobytes cpu-seconds", the command's stdout kept in $WORK/LABEL.out
measure() {
    local label=$1; shift
    /usr/bin/time -v -o "$label.time" "$@" > "$label.out" 2> "$label.err" || true
    local wall rss cpu
    wall=$(grep 'Elapsed (wall clock)' "$label.time" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    rss=$(grep 'Maximum resident set size' "$label.time" | awk '{print $NF}')
    cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$label.time")
    echo "$wall $rss $cpu"
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

for img in big64k big2m; do
    # warm the page cache once for both tools
    qemu-img check "$img.qcow2" > /dev/null
    : > "q.$img.runs"; : > "o.$img.runs"; : > "c.$img.runs"
    for i in $(seq "$RUNS"); do
        q=$(measure "q.$img" qemu-img check "$img.qcow2")
        # shellcheck disable=SC2086
        o=$(measure "o.$img" java $JAVA_OPTS -jar "$JAR" check "$img.qcow2")
        # shellcheck disable=SC2086
        c=$(measure "c.$img" java $JAVA_OPTS -XX:SharedArchiveFile="$CDS" -jar "$JAR" check "$img.qcow2")
        echo "$q" >> "q.$img.runs"; echo "$o" >> "o.$img.runs"; echo "$c" >> "c.$img.runs"
        echo "$img run $i (wall s, RSS KB, cpu s): qemu-img $q | qcowscope $o | with AppCDS $c"
    done
    diff <(grep -v '^$' "q.$img.out") <(grep -v 'qcowscope warnings' "o.$img.out" | grep -v '^$') > /dev/null \
        || { echo "outputs differ for $img:"; cat "q.$img.out" "o.$img.out"; exit 1; }
    qt=$(cut -d' ' -f1 "q.$img.runs" | median); qm=$(cut -d' ' -f2 "q.$img.runs" | sort -g | tail -1)
    qc=$(cut -d' ' -f3 "q.$img.runs" | median)
    for v in o c; do
        ot=$(cut -d' ' -f1 "$v.$img.runs" | median); om=$(cut -d' ' -f2 "$v.$img.runs" | sort -g | tail -1)
        oc=$(cut -d' ' -f3 "$v.$img.runs" | median)
        name=qcowscope; [ "$v" = c ] && name="qcowscope+AppCDS"
        awk -v img="$img" -v n="$name" -v qt="$qt" -v ot="$ot" -v qm="$qm" -v om="$om" -v qc="$qc" -v oc="$oc" 'BEGIN {
            printf "%s: median wall qemu-img %.2f s, %s %.2f s (ratio %.2f); median cpu %.2f s vs %.2f s (ratio %.2f); peak RSS qemu-img %.1f MiB, %s %.1f MiB (ratio %.2f)\n",
                img, qt, n, ot, ot / qt, qc, oc, oc / qc, qm / 1024, n, om / 1024, om / qm }'
    done
done
