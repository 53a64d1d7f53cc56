#!/bin/sh
# Makes the built-in demo images of the window with qemu-img/qemu-io (until the engine's writer can make them) and stores
# them gzip-compressed as resources of the app. Shows: a backing file, extended L2 with partly allocated and zero
# subclusters, a compressed cluster, an internal snapshot (refcounts reach 2) and a leaked cluster.
# Usage: packaging/make-demo-image.sh [OUTDIR]   (default: app/src/main/resources/io/qcowscope/app/demo)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$here/app/src/main/resources/io/qcowscope/app/demo}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

# The backing file: 4 MiB, 64 KiB clusters, a few written clusters.
qemu-img create -q -f qcow2 -o cluster_size=65536 base.qcow2 4M
qemu-io -f qcow2 -c 'write -P 0x11 0 192k' -c 'write -P 0x22 1M 64k' -c 'write -P 0x33 3M 128k' base.qcow2 >/dev/null

# The top image: extended L2 (32 subclusters of 2 KiB), backed by base.qcow2.
qemu-img create -q -f qcow2 -o cluster_size=65536,extended_l2=on -b base.qcow2 -F qcow2 demo.qcow2 4M
qemu-io -f qcow2 \
  -c 'write -P 0xaa 0 8k' \
  -c 'write -P 0xbb 70k 10k' \
  -c 'write -z 128k 16k' \
  -c 'write -P 0xcc 2M 64k' \
  -c 'write -P 0xdd 2112k 64k' \
  -c 'write -z 2240k 64k' \
  demo.qcow2 >/dev/null
# A compressed cluster (qemu-io write -c writes whole clusters compressed).
qemu-io -f qcow2 -c 'write -c -P 0x5a 2560k 64k' demo.qcow2 >/dev/null
# An internal snapshot: the clusters written so far now have refcount 2; then diverge from it.
qemu-img snapshot -c before-edit demo.qcow2
qemu-io -f qcow2 -c 'write -P 0xee 2M 16k' -c 'write -P 0x77 3200k 64k' demo.qcow2 >/dev/null
# A leaked cluster: write one more cluster, then set its L2 entry to 0 by patching bytes; its refcount stays 1.
qemu-io -f qcow2 -c 'write -P 0x99 3584k 64k' demo.qcow2 >/dev/null
python3 - demo.qcow2 <<'PY'
import struct, sys
f = open(sys.argv[1], 'r+b')
h = f.read(104)
cluster_bits = struct.unpack('>I', h[20:24])[0]
l1_off = struct.unpack('>Q', h[40:48])[0]
cs = 1 << cluster_bits
guest = 3584 * 1024
entry = 16                      # extended L2 entries are 16 bytes
l2_entries = cs // entry
l1_index = guest // (cs * l2_entries)
l2_index = (guest // cs) % l2_entries
f.seek(l1_off + 8 * l1_index)
l2_off = struct.unpack('>Q', f.read(8))[0] & 0x00fffffffffffe00
f.seek(l2_off + entry * l2_index)
f.write(b'\0' * entry)
f.close()
PY
qemu-img check demo.qcow2 >/dev/null 2>&1 || true  # exit 3 = leaks, expected
mkdir -p "$out"
gzip -9 -n -c base.qcow2 > "$out/base.qcow2.gz"
gzip -9 -n -c demo.qcow2 > "$out/demo.qcow2.gz"
ls -l "$out"
