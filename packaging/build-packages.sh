#!/usr/bin/env bash
# Builds the qcowscope app image and .deb with jpackage, following shared/BUILD-RECIPE.md: jlink a runtime that holds the
# JavaFX modules, package the class-path jar and its libraries on it, then train the start-up cache.
# Start-up cache: with JDK 25 (found at /usr/lib/jvm/temurin-25-jdk-amd64, or named by QCOWSCOPE_PACKAGE_JDK) the runtime
# and launcher come from it and a training run (io.qcowscope.app.AotTraining: create, write, info, map, check, layout
# on small images) writes an AOT cache (JEP 483/514/515: classes loaded and linked, method profiles) that bin/qcowscope
# starts from; a second run (AotTraining --window, under xvfb-run when there is no DISPLAY) opens the window on the demo
# image and shows each view, for the window's own cache. With JDK 17 only, the same training writes a dynamic CDS archive instead. The jar is compiled for release
# 17 either way, so `java -jar app/target/qcowscope.jar` on JDK 17 still works.
# The .deb also installs what makes qcowscope a desktop citizen: a menu entry (System;Utility) with its own icon, "Open
# with" for .qcow2 files (application/x-qemu-disk), /usr/bin/qcowscope, bash completion and the qcowscope(1) man page,
# the last two generated from the picocli model of the command line.
# Needs: a JDK 17 with jlink/jpackage; for the .deb, fakeroot and dpkg-deb (jpackage calls fakeroot itself). Run from
# anywhere after `mvn -q -DskipTests package`. Output: packaging/target/qcowscope (app image) and packaging/target/*.deb.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/.." && pwd)"
out="$here/target"
version="$(sed -n 's:.*<version>\([0-9.]*\)-SNAPSHOT</version>.*:\1:p' "$top/pom.xml" | head -1)"
lib="$top/app/target/lib"
jar="$top/app/target/qcowscope.jar"
icons="$top/assets/icons"
[ -f "$jar" ] || { echo "build first: mvn -q -DskipTests package" >&2; exit 1; }

jdk=${QCOWSCOPE_PACKAGE_JDK:-}
if [ -z "$jdk" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/jpackage ]; then jdk=/usr/lib/jvm/temurin-25-jdk-amd64; fi
jlink=${jdk:+$jdk/bin/}jlink
jpackage=${jdk:+$jdk/bin/}jpackage

rm -rf "$out" && mkdir -p "$out/input/lib" "$out/share"
# JavaFX goes into the runtime as modules; everything else stays on the class path.
fx_jars=$(ls "$lib"/javafx-*-linux.jar | tr '\n' ':')
# The packaged jar without its manifest's Class-Path (bin/qcowscope names the class path itself): that list names the
# JavaFX jars, which live in the runtime here, and the window's libraries, which the command line keeps off its path.
mkdir -p "$out/jar"
(cd "$out/jar" && "${jdk:+$jdk/bin/}jar" xf "$jar" && sed -i '/^Class-Path:/,/^[^ ]/{/^Class-Path:/d;/^ /d}' META-INF/MANIFEST.MF &&
  mv META-INF/MANIFEST.MF ../manifest.mf && "${jdk:+$jdk/bin/}jar" --create --file "$out/input/qcowscope.jar" --manifest ../manifest.mf .)
rm -rf "$out/jar" "$out/manifest.mf"
for j in "$lib"/*.jar; do
  case "$(basename "$j")" in javafx-*) ;; *) cp "$j" "$out/input/lib/" ;; esac
done

feature=$("$jlink" --version | cut -d. -f1)

# picocli's classes are Java 5 class files, which the AOT cache and CDS archives do not store ("Old class has been
# linked"): every start would load and verify them from the jar. The package ships them rewritten as Java 17 class files
# with stack maps (packaging/Retarget.java, on the JDK 24+ java.lang.classfile API: the packaging JDK, else JDK 25 if
# present). app/target/lib keeps the original jar, so `java -jar` is untouched.
retarget_java=
if [ "$feature" -ge 24 ]; then retarget_java=${jdk:+$jdk/bin/}java
elif [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then retarget_java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java; fi
for j in "$out"/input/lib/picocli-*.jar; do
  if [ -n "$retarget_java" ]; then "$retarget_java" "$here/Retarget.java" "$j" "$j"
  else echo "no JDK 24+ for packaging/Retarget.java: picocli stays Java 5 bytecode, outside the start-up cache" >&2; fi
done
# JNA's native part, unpacked once here: from the jar JNA would copy it to a new temporary file on every start (and
# seed a SecureRandom for the file's name) before loading it.
case "$(uname -m)" in x86_64) jna_arch=linux-x86-64 ;; aarch64) jna_arch=linux-aarch64 ;; *) jna_arch= ;; esac
jna_option=
if [ -n "$jna_arch" ]; then
  mkdir -p "$out/native" "$out/input/native"
  (cd "$out/native" && "${jdk:+$jdk/bin/}jar" xf "$(ls "$out"/input/lib/jna-*.jar)" "com/sun/jna/$jna_arch/libjnidispatch.so")
  mv "$out/native/com/sun/jna/$jna_arch/libjnidispatch.so" "$out/input/native/" && rm -rf "$out/native"
  jna_option='-Djna.boot.library.path=$APPDIR/native'
fi

# The man page and the bash completion, from the command line's picocli model (the jar's manifest names its libraries).
java -cp "$jar" io.qcowscope.app.cli.ManPage "$out/share/qcowscope.1"
gzip -9n "$out/share/qcowscope.1"
java -cp "$jar" io.qcowscope.app.cli.CompletionScript "$out/share/qcowscope.bash"

# A dynamic CDS archive (the JDK 17 fallback) sits on top of the runtime's base archive, which jlink must then generate.
cds_base=; [ "$feature" -ge 25 ] || cds_base=--generate-cds-archive
"$jlink" $cds_base --module-path "${fx_jars%:}" \
  --add-modules java.base,java.desktop,java.logging,java.management,java.naming,java.sql,java.xml,jdk.unsupported,jdk.zipfs,javafx.base,javafx.graphics,javafx.controls \
  --strip-debug --no-header-files --no-man-pages --output "$out/runtime"

# The JVM options of bin/qcowscope: the window's heap limit, and SerialGC, which starts fastest for the short-lived
# command line and is what the cache is trained with (a cache is only used with the GC it was made under). The JIT
# stays tiered: C1-only starts a little faster but slows the big scans and the window's painting. No perf data: the
# JVM would create /tmp/hsperfdata_USER/PID and scan that directory for stale files on every start (jps and jcmd's
# process list do not see qcowscope then; jcmd PID still works). Arrays of 1 MiB and more (a scan's per-cluster arrays:
# 16 MiB each for a 1 TiB image) are made in the old generation (-XX:PretenureSizeThreshold, SerialGC's): copied out of
# the young one, they made its collections take 36-90 ms each while the window scanned a 1 TiB image, each an FX stall.
options="-Xmx2g -XX:+UseSerialGC -XX:PretenureSizeThreshold=1m -XX:-UsePerfData"
# JDK 22 and later warn on every start that JNA (the punch-hole and lock calls) loads a native library, and on the
# window's that JavaFX's glass does, unless allowed.
[ "$feature" -ge 22 ] && options="$options --enable-native-access=ALL-UNNAMED,javafx.graphics"
[ -n "$jna_option" ] && options="$options $jna_option"
# JDK 24 and later warn on the window's terminal that JavaFX's renderer (Marlin) calls sun.misc.Unsafe, unless allowed.
[ "$feature" -ge 24 ] && options="$options --sun-misc-unsafe-memory-access=allow"
if [ "$feature" -ge 25 ]; then cache_ext=aot; train_flag=-XX:AOTCacheOutput; use_flag=-XX:AOTCache; cache_logs='aot*=off,cds*=off'
else cache_ext=jsa; train_flag=-XX:ArchiveClassesAtExit; use_flag=-XX:SharedArchiveFile; cache_logs='cds*=off'; fi
train_option="$train_flag=\$APPDIR/qcowscope.$cache_ext"; use_option="$use_flag=\$APPDIR/qcowscope.$cache_ext"
"$jpackage" --type app-image --name qcowscope --app-version "$version" \
  --runtime-image "$out/runtime" --input "$out/input" --main-jar qcowscope.jar \
  --main-class io.qcowscope.app.Main --java-options "$options" --icon "$icons/qcowscope-256.png" --dest "$out"

# bin/qcowscope is a shell script that starts the runtime's java itself, with the class path jpackage wrote into its
# .cfg: jpackage's native launcher asks `rpm -qf` and `dpkg -S` (and, when installed, `dpkg -L`) which package owns it,
# on every start, twice: about 0.1 s before the JVM even starts. Nothing here reads jpackage.* properties.
app="$out/qcowscope/lib/app"
# The window's own libraries go on the class path only when the window may open (no argument, or one naming a file:
# a superset of Main's rule): on every command's path they would be six more jars for each class-path scan to open
# (JNA's logger setup looks for a System.LoggerFinder on the whole class path). Each path has its own cache, below.
window_jars='/lib/(atlantafx|commonmark|controlsfx|ikonli)-'
class_path=$(sed -n 's/^app\.classpath=//p' "$app/qcowscope.cfg" | grep -Ev "$window_jars" | paste -sd:)
window_path=$(sed -n 's/^app\.classpath=//p' "$app/qcowscope.cfg" | grep -E "$window_jars" | paste -sd:)
rm -f "$app/qcowscope.cfg" "$out/qcowscope/lib/libapplauncher.so"
# java OPTIONS...: the runtime's java with the launcher's options and class path, $APPDIR standing for lib/app.
app_java() {
  local expanded=() word
  for word in "$@"; do expanded+=("${word//\$APPDIR/$app}"); done
  "$out/qcowscope/lib/runtime/bin/java" "${expanded[@]}"
}
# Train (quietly), then point bin/qcowscope at the cache (also quietly: a cache the JVM cannot use, e.g. after the
# runtime changed, is skipped without a word on the user's terminal).
read -ra option_words <<<"$options"
# (The JDK 25 cache is assembled by a child JVM that reports its command line: kept in a log, shown if training fails.)
app_java "${option_words[@]}" "$train_option" -Xlog:disable -Xlog:all=error:stderr -cp "$class_path" \
  io.qcowscope.app.AotTraining > "$out/training.log" 2>&1 || { cat "$out/training.log" >&2; exit 1; }
cache="$app/qcowscope.$cache_ext"
[ -s "$cache" ] || { echo "training wrote no start-up cache" >&2; exit 1; }
# The window's cache: a cache holds the classes of the class path it was trained on, and the JVM refuses it on a class
# path that lacks a jar it used, so the window (six more jars) has a cache of its own, trained by opening the window on
# the demo image and showing each view once (AotTraining --window). It needs a display: Xvfb when there is none.
window_cache="$app/qcowscope-window.$cache_ext"
window_train=("$out/qcowscope/lib/runtime/bin/java")
for word in "${option_words[@]}" "$train_flag=$window_cache" \
  "-Djava.util.prefs.userRoot=$out/training-prefs" -Xlog:disable -Xlog:all=error:stderr \
  -cp "$class_path:$window_path" io.qcowscope.app.AotTraining --window; do window_train+=("${word//\$APPDIR/$app}"); done
if [ -n "${DISPLAY:-}" ]; then "${window_train[@]}" >> "$out/training.log" 2>&1 || { cat "$out/training.log" >&2; exit 1; }
elif command -v xvfb-run >/dev/null; then
  xvfb-run -a -s "-screen 0 1280x800x24" "${window_train[@]}" >> "$out/training.log" 2>&1 ||
    { cat "$out/training.log" >&2; exit 1; }
else echo "no display and no xvfb-run: the window is not in the start-up cache" >&2; fi
[ -s "$window_cache" ] || { [ -z "${DISPLAY:-}" ] && ! command -v xvfb-run >/dev/null; } ||
  { echo "the window's training wrote no start-up cache" >&2; exit 1; }
launch_options="-Xlog:disable -Xlog:all=error:stderr -Xlog:$cache_logs:stderr $options"
# Each option double-quoted in the script: $APPDIR expands there, the * of the -Xlog selectors does not glob.
read -ra launch_words <<<"$launch_options"
quoted_options=$(printf ' "%s"' "${launch_words[@]}")
# The command line's JIT options (not the window's). JDK 25: no replay of the cache's training profiles
# (-XX:-AOTReplayTraining, a diagnostic flag): replaying them queues compilations of everything the training ran hot
# at start-up, which a short command pays for in CPU (~40 ms of info or check on the small image) and the 1 TiB map
# and check did not gain from (same or faster without). info and the version/help options do no scan: C1 only
# (-XX:TieredStopAtLevel=1) saves another ~40 ms of CPU there; check, map and the rest keep C2 for the big scans.
cli_jit=; [ "$feature" -ge 25 ] && cli_jit="-XX:+UnlockDiagnosticVMOptions -XX:-AOTReplayTraining"
cat > "$out/qcowscope/bin/qcowscope" <<LAUNCHER
#!/bin/sh
# qcowscope: the window, or the command line (qcowscope --help). Written by packaging/build-packages.sh: it starts the
# bundled runtime from its start-up cache ($(basename "$cache")), with the JVM options of a short-lived command line.
self=\$(readlink -f "\$0") || exit 1
root=\${self%/bin/*}
APPDIR=\$root/lib/app
class_path="${class_path}"
cache=\$APPDIR/qcowscope.$cache_ext
jit="${cli_jit}"
case "\$1" in info|-V|--version|-h|--help) jit="\$jit -XX:TieredStopAtLevel=1" ;; esac
if [ \$# -eq 0 ] || { [ \$# -eq 1 ] && [ -e "\$1" ]; }; then
  class_path=\$class_path:"${window_path}"; jit=
  # the window's own cache, trained on this longer class path (none when the package was built without a display)
  [ -f "\$APPDIR/qcowscope-window.$cache_ext" ] && cache=\$APPDIR/qcowscope-window.$cache_ext
fi
exec "\$root/lib/runtime/bin/java" "$use_flag=\$cache"$quoted_options \$jit \\
  -cp "\$class_path" io.qcowscope.app.Main "\$@"
LAUNCHER
chmod 755 "$out/qcowscope/bin/qcowscope"
echo "start-up cache: $(basename "$cache"), $(du -h "$cache" | cut -f1), JDK $feature runtime"
[ -s "$window_cache" ] && echo "window's start-up cache: $(basename "$window_cache"), $(du -h "$window_cache" | cut -f1)"

if ! command -v fakeroot >/dev/null || ! command -v dpkg-deb >/dev/null; then
  echo "no fakeroot or dpkg-deb: app image only" >&2
  ls -la "$out"
  exit 0
fi

# The .deb is assembled here from the app image rather than by jpackage --type deb: that one installs the menu entry and
# file association from its postinst with xdg-utils (files dpkg does not own) and compresses the runtime twice. Here
# every file is dpkg's, and the desktop, MIME and icon caches are refreshed by the triggers of the packages that own them.
arch="$(dpkg --print-architecture)"
root="$out/deb-root"
mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin"
cp -a "$out/qcowscope" "$root/opt/qcowscope"
ln -s /opt/qcowscope/bin/qcowscope "$root/usr/bin/qcowscope"
install -D -m 644 "$here/linux/qcowscope.desktop" "$root/usr/share/applications/qcowscope.desktop"
install -D -m 644 "$here/linux/qcowscope-mime.xml" "$root/usr/share/mime/packages/qcowscope.xml"
install -D -m 644 "$out/share/qcowscope.1.gz" "$root/usr/share/man/man1/qcowscope.1.gz"
install -D -m 644 "$out/share/qcowscope.bash" "$root/usr/share/bash-completion/completions/qcowscope"
for s in 16 32 48 64 128 256 512; do
  install -D -m 644 "$icons/qcowscope-$s.png" "$root/usr/share/icons/hicolor/${s}x$s/apps/qcowscope.png"
done
install -D -m 644 "$icons/qcowscope.svg" "$root/usr/share/icons/hicolor/scalable/apps/qcowscope.svg"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) > "$root/DEBIAN/md5sums"
cat > "$root/DEBIAN/control" <<CONTROL
Package: qcowscope
Version: $version
Section: utils
Priority: optional
Architecture: $arch
Maintainer: qcowscope developers <qcowscope@localhost>
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: libc6, zlib1g, libfreetype6, libx11-6, libxext6, libxi6, libxrender1, libxtst6, libgtk-3-0
Description: Inspector, checker and repairer for qcow2 disk images
 A window that draws a qcow2 image's layout, decodes its structures and
 checks it like qemu-img check, and a command line (info, map, check,
 layout, render, repair, ...) on the same engine.
CONTROL
fakeroot dpkg-deb --root-owner-group -Zxz -z1 --build "$root" "$out/qcowscope_${version}_$arch.deb" >/dev/null
rm -rf "$root"
ls -la "$out"
