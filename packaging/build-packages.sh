#!/usr/bin/env bash
# Builds the qcowscope app image and .deb with jpackage, following shared/BUILD-RECIPE.md: jlink a runtime that holds the
# JavaFX modules, package the class-path jar and its libraries on it, then train the start-up cache.
# Start-up cache: with JDK 25 (found at /usr/lib/jvm/temurin-25-jdk-amd64, or named by QCOWSCOPE_PACKAGE_JDK) the runtime
# and launcher come from it and a training run (io.qcowscope.app.AotTraining: create, write, info, map, check, layout
# on small images) writes an AOT cache (JEP 483/514/515: classes loaded and linked, method profiles) that bin/qcowscope
# starts from. With JDK 17 only, the same training writes a dynamic CDS archive instead. The jar is compiled for release
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
cp "$jar" "$out/input/"
for j in "$lib"/*.jar; do
  case "$(basename "$j")" in javafx-*) ;; *) cp "$j" "$out/input/lib/" ;; esac
done

# The man page and the bash completion, from the command line's picocli model (the jar's manifest names its libraries).
java -cp "$jar" io.qcowscope.app.cli.ManPage "$out/share/qcowscope.1"
gzip -9n "$out/share/qcowscope.1"
java -cp "$jar" io.qcowscope.app.cli.CompletionScript "$out/share/qcowscope.bash"

feature=$("$jlink" --version | cut -d. -f1)
# A dynamic CDS archive (the JDK 17 fallback) sits on top of the runtime's base archive, which jlink must then generate.
cds_base=; [ "$feature" -ge 25 ] || cds_base=--generate-cds-archive
"$jlink" $cds_base --module-path "${fx_jars%:}" \
  --add-modules java.base,java.desktop,java.logging,java.management,java.naming,java.sql,java.xml,jdk.unsupported,jdk.zipfs,javafx.base,javafx.graphics,javafx.controls \
  --strip-debug --no-header-files --no-man-pages --output "$out/runtime"

# The JVM options of bin/qcowscope: the window's heap limit, and SerialGC, which starts fastest for the short-lived
# command line and is what the cache is trained with (a cache is only used with the GC it was made under). The JIT
# stays tiered: C1-only starts a little faster but slows the big scans and the window's painting.
options='-Xmx2g -XX:+UseSerialGC'
# JDK 22 and later warn on every start that JNA (the punch-hole and lock calls) loads a native library, unless allowed.
[ "$feature" -ge 22 ] && options="$options --enable-native-access=ALL-UNNAMED"
if [ "$feature" -ge 25 ]; then
  train_option='-XX:AOTCacheOutput=$APPDIR/qcowscope.aot'; use_option='-XX:AOTCache=$APPDIR/qcowscope.aot'
  cache_logs='aot*=off,cds*=off'
else
  train_option='-XX:ArchiveClassesAtExit=$APPDIR/qcowscope.jsa'; use_option='-XX:SharedArchiveFile=$APPDIR/qcowscope.jsa'
  cache_logs='cds*=off'
fi
cat > "$out/train.properties" <<TRAIN
main-class=io.qcowscope.app.AotTraining
java-options=$options $train_option -Xlog:disable -Xlog:all=error:stderr
TRAIN
"$jpackage" --type app-image --name qcowscope --app-version "$version" \
  --runtime-image "$out/runtime" --input "$out/input" --main-jar qcowscope.jar \
  --main-class io.qcowscope.app.Main --java-options "$options" --icon "$icons/qcowscope-256.png" \
  --add-launcher qcowscope-train="$out/train.properties" --dest "$out"

# Train, drop the training launcher, and point bin/qcowscope at the cache (quietly: a cache the JVM cannot use, e.g.
# after the runtime changed, is skipped without a word on the user's terminal).
"$out/qcowscope/bin/qcowscope-train"
rm -f "$out/qcowscope/bin/qcowscope-train" "$out/qcowscope/lib/app/qcowscope-train.cfg" "$out/train.properties"
cache="$out/qcowscope/lib/app/qcowscope.${use_option##*.}"
[ -s "$cache" ] || { echo "training wrote no start-up cache" >&2; exit 1; }
sed -i "/^\[JavaOptions\]/a java-options=$use_option\njava-options=-Xlog:disable\njava-options=-Xlog:all=error:stderr\njava-options=-Xlog:$cache_logs:stderr" \
  "$out/qcowscope/lib/app/qcowscope.cfg"
echo "start-up cache: $(basename "$cache"), $(du -h "$cache" | cut -f1), JDK $feature runtime"

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
