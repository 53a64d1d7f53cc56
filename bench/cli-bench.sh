#!/usr/bin/env bash
# Benchmark: the qcowscope command line against qemu-img, whole processes, interleaved (qemu-img, then ours, RUNS
# times), medians of wall time, peak RSS, and the load average recorded beside every row.
#   - info / map --output=json / check on four images: 64 MiB with 8 MiB of data; a sparse 1 TiB preallocation=metadata
#     image (64 KiB clusters); a 1 TiB image with 2 MiB clusters and extended L2 holding 64 MiB of scattered 64 KiB
#     writes; a 20 GiB image with 2.4 GiB of scattered data and a snapshot;
#   - --version, and the floor: an empty main() in the same JVM with the same options;
#   - a pool of POOL small qemu-made images (64 MiB to 1 GiB; cluster sizes 16 KiB to 2 MiB, extended L2, snapshots,
#     1-bit refcounts) checked by one `qcowscope check --recursive` against a shell loop of `qemu-img check`.
#
# Usage: bench/cli-bench.sh [--runs N] [--pool N] [--images LIST] [--work DIR]   (build first: mvn -o -q -DskipTests package)
#   --images LIST         comma-separated subset of small,big64k,big2m,scattered (default: all four)
#   --pool 0              no pool row (and no pool images made); --no-version skips the --version row
#   QCOWSCOPE_JAR=path    another build of the jar (its lib/ beside it), e.g. to compare before/after a change
#   QCOWSCOPE_JAVA_OPTS   JVM options for our runs (default: none, as the README runs it)
#   QCOWSCOPE_BEFORE_JAR=path  a second build (e.g. the previous commit's jar, its lib/ beside it) run in the same
#                         interleaved loop (qemu-img, before, ours): two more columns, its time and ours / before
#   QCOWSCOPE_BIN=path    run the packaged launcher instead of java -jar, e.g. packaging/target/qcowscope/bin/qcowscope
#                         (built by packaging/build-packages.sh, with its start-up cache); the floor row then runs the
#                         empty main on that package's runtime with the launcher's JVM options
# Needs: qemu-img, qemu-io, java 17, javac, /usr/bin/time (Debian package `time`); the images are sparse (~150 MiB
# of real disk for the 1 TiB image's metadata, ~2 MiB per pool image).
set -euo pipefail
RUNS=5
POOL=200
WORK=/tmp/qcowscope-cli-bench
IMAGES=small,big64k,big2m,scattered
VERSION_ROW=1
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
    case $1 in
        --runs) RUNS=$2; shift 2 ;;
        --pool) POOL=$2; shift 2 ;;
        --images) IMAGES=$2; shift 2 ;;
        --no-version) VERSION_ROW=0; shift ;;
        --work) WORK=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
done
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAR=${QCOWSCOPE_JAR:-$ROOT/app/target/qcowscope.jar}

[ -x /usr/bin/time ] || { echo "install the 'time' package (apt-get install time)" >&2; exit 1; }
[ -f "$JAR" ] || { echo "build first: mvn -o -q -DskipTests package" >&2; exit 1; }
mkdir -p "$WORK"
cd "$WORK"

# ---- images (made once, reused; only those asked for) ----
want() { [[ ",$IMAGES," == *",$1,"* ]]; }
if want small && [ ! -f small.qcow2 ]; then
    qemu-img create -q -f qcow2 small.qcow2 64M
    qemu-io -c 'write -P 1 0 4M' -c 'write -P 2 32M 4M' small.qcow2 > /dev/null
fi
want big64k && [ ! -f big64k.qcow2 ] && qemu-img create -q -f qcow2 -o preallocation=metadata,cluster_size=64k big64k.qcow2 1T
# writes IMAGE COUNT LENGTH SPAN SEED: COUNT writes of LENGTH at random LENGTH-aligned offsets below SPAN, one qemu-io
writes() {
    awk -v n="$2" -v len="$3" -v span="$4" -v seed="$5" 'BEGIN { srand(seed); slots = span / len;
        for (i = 0; i < n; i++) printf "write -P %d %d %d\n", i % 250 + 1, int(rand() * slots) * len, len }' |
        qemu-io -f qcow2 "$1" > /dev/null
}
if want big2m && [ ! -f big2m.qcow2 ]; then
    qemu-img create -q -f qcow2 -o cluster_size=2M,extended_l2=on big2m.qcow2 1T
    writes big2m.qcow2 1024 65536 1099511627776 1
fi
if want scattered && [ ! -f scattered.qcow2 ]; then
    qemu-img create -q -f qcow2 scattered.qcow2 20G
    writes scattered.qcow2 1200 1048576 21474836480 2
    qemu-img snapshot -c s1 scattered.qcow2
    writes scattered.qcow2 1200 1048576 21474836480 3
fi
make_pool_image() { # INDEX FILE
    local i=$1 f=$2 cs opts size
    cs=(16k 64k 256k 2M); cs=${cs[$((i % 4))]}
    opts="cluster_size=$cs"
    [ $((i % 3)) = 0 ] && opts="$opts,extended_l2=on"
    [ $((i % 5)) = 0 ] && opts="$opts,refcount_bits=1" # (no snapshot then: a 1-bit refcount cannot count 2)
    size=(64M 256M 1G); size=${size[$((i % 3))]}
    qemu-img create -q -f qcow2 -o "$opts" "$f" "$size"
    qemu-io -c "write -P $((i % 250 + 1)) 0 1M" -c "write -P 7 $((i % 40 + 8))M 256k" "$f" > /dev/null
    if [ $((i % 7)) = 0 ] && [ $((i % 5)) != 0 ]; then qemu-img snapshot -c s1 "$f"; fi
    return 0
}
if [ "$POOL" -gt 0 ] && [ "$(find pool -name '*.qcow2' 2> /dev/null | wc -l)" != "$POOL" ]; then
    rm -rf pool; mkdir -p pool
    for i in $(seq 1 "$POOL"); do
        d=pool/dir$((i % 10)); mkdir -p "$d"
        make_pool_image "$i" "$d/img$i.qcow2"
    done
fi
# The floor: an empty main() in the same JVM.
if [ ! -f Empty.class ]; then
    echo 'public class Empty { public static void main(String[] a) { } }' > Empty.java
    javac Empty.java
fi

# ---- measuring ----
# measure CMD... -> "wall-seconds peak-RSS-KiB", the command's stdout in last.out
measure() {
    local t0 t1
    t0=$(date +%s%N)
    /usr/bin/time -f %M -o last.rss "$@" > last.out 2> last.err || true
    t1=$(date +%s%N)
    echo "$(( (t1 - t0) / 1000 ))e-6 $(tail -1 last.rss)"
}
median() { sort -g | awk '{a[NR]=$1} END {printf "%.3f", (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
load() { cut -d' ' -f1 /proc/loadavg; }
# Commands are strings run through eval, so /usr/bin/time runs the real process (no shell function in between).
if [ -n "${QCOWSCOPE_BIN:-}" ]; then
    OURS="'$QCOWSCOPE_BIN'"
    pkg="$(cd "$(dirname "$QCOWSCOPE_BIN")/.." && pwd)"
    # the JVM options of the launcher script's exec line, without the cache and the -Xlog settings
    FLOOR="'$pkg/lib/runtime/bin/java' $(sed -n 's/^exec .*java"//p' "$pkg/bin/qcowscope" | grep -o '"-[^"]*"' | tr -d '"' |
        grep -v 'AOTCache\|SharedArchiveFile\|^-Xlog' | sed "s|\$APPDIR|$pkg/lib/app|" | tr '\n' ' ') -cp . Empty"
else
    OURS="java ${QCOWSCOPE_JAVA_OPTS:-} -jar '$JAR'"
    FLOOR="java ${QCOWSCOPE_JAVA_OPTS:-} -cp . Empty"
fi
QEMU_POOL="bash -c 'rc=0; while read -r f; do qemu-img check \"\$f\" > /dev/null 2>&1 || rc=1; done < pool.list; exit \$rc'"
[ "$POOL" -gt 0 ] && find pool -name '*.qcow2' | sort > pool.list

echo "# qcowscope CLI benchmark: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, runs=$RUNS, pool=$POOL"
echo "# ours: $OURS  java: $(java -version 2>&1 | head -1)  options: ${QCOWSCOPE_JAVA_OPTS:-none}"
echo "# uptime at start: $(uptime)"
echo
BEFORE=""
[ -n "${QCOWSCOPE_BEFORE_JAR:-}" ] && BEFORE="java ${QCOWSCOPE_JAVA_OPTS:-} -jar '$QCOWSCOPE_BEFORE_JAR'"
if [ -n "$BEFORE" ]; then
    echo "# before: $BEFORE"
    echo "| image | command | qemu-img | qcowscope | ratio | load | before | ours / before |"
    echo "|---|---|---|---|---|---|---|---|"
else
    echo "| image | command | qemu-img | qcowscope | ratio | load |"
    echo "|---|---|---|---|---|---|"
fi

# row LABEL COMMAND QEMU-CMD(string) OURS-CMD(string): interleaved runs, medians
row() {
    local image=$1 label=$2 qcmd=$3 ocmd=$4 i q o b loads="" bcmd=""
    [ -n "$BEFORE" ] && bcmd=${ocmd/"$OURS"/"$BEFORE"}
    : > q.runs; : > o.runs; : > b.runs
    eval "$qcmd" > /dev/null 2>&1 || true; eval "$ocmd" > /dev/null 2>&1 || true # page cache and disk warm
    for i in $(seq "$RUNS"); do
        loads="$loads $(load)"
        q=$(eval measure "$qcmd")
        if [ -n "$bcmd" ]; then b=$(eval measure "$bcmd"); echo "$b" >> b.runs; fi
        o=$(eval measure "$ocmd")
        echo "$q" >> q.runs; echo "$o" >> o.runs
    done
    local qt ot qm om bt=0 bm=0
    qt=$(cut -d' ' -f1 q.runs | median); ot=$(cut -d' ' -f1 o.runs | median)
    qm=$(cut -d' ' -f2 q.runs | sort -g | tail -1); om=$(cut -d' ' -f2 o.runs | sort -g | tail -1)
    if [ -n "$bcmd" ]; then bt=$(cut -d' ' -f1 b.runs | median); bm=$(cut -d' ' -f2 b.runs | sort -g | tail -1); fi
    awk -v img="$image" -v l="$label" -v qt="$qt" -v ot="$ot" -v qm="$qm" -v om="$om" -v loads="$loads" \
        -v bt="$bt" -v bm="$bm" 'BEGIN {
        n = split(loads, a, " "); s = 0; for (i = 1; i <= n; i++) s += a[i];
        printf "| %s | %s | %.3f s, %.0f MiB | %.3f s, %.0f MiB | %.2f | %.1f |", img, l, qt, qm / 1024, ot, om / 1024,
            ot / qt, s / n;
        if (bt > 0) printf " %.3f s, %.0f MiB | %.2f |", bt, bm / 1024, ot / bt;
        printf "\n" }'
}

[ "$VERSION_ROW" = 1 ] && row "-" "--version (qemu-img column: an empty Java main)" "$FLOOR" "$OURS --version"
for img in ${IMAGES//,/ }; do
    case $img in
        small) name="64 MiB, 8 MiB data" ;;
        big64k) name="1 TiB, 64 KiB clusters, preallocation=metadata" ;;
        big2m) name="1 TiB, 2 MiB clusters, extended L2, 64 MiB scattered" ;;
        scattered) name="20 GiB, 2.4 GiB scattered data + a snapshot" ;;
    esac
    row "$name" "info" "qemu-img info $img.qcow2" "$OURS info $img.qcow2"
    row "$name" "map --output=json" "qemu-img map --output=json $img.qcow2" "$OURS map --output=json $img.qcow2"
    row "$name" "check" "qemu-img check $img.qcow2" "$OURS check $img.qcow2"
done
if [ "$POOL" -gt 0 ]; then
    row "pool of $POOL images" "check (one process --recursive, against a qemu-img loop)" "$QEMU_POOL" \
        "$OURS check --recursive pool"
    # The pool's verdicts must agree: ours exits 0 exactly when every qemu-img check did.
    q=0; eval "$QEMU_POOL" || q=1
    o=0; eval "$OURS check --recursive pool" > /dev/null 2>&1 || o=1
    [ "$q" = "$o" ] || { echo "pool verdicts differ: qemu-img loop $q, qcowscope $o" >&2; exit 1; }
fi
echo
echo "# uptime at end: $(uptime)"
