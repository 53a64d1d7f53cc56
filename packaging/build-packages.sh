#!/usr/bin/env bash
# Builds the qcowscope app image and .deb with jpackage (JDK 17), following shared/BUILD-RECIPE.md:
# jlink a runtime that holds the JavaFX modules, then package the class-path jar and its libraries on it.
# Needs: a JDK 17 with jlink/jpackage, fakeroot and dpkg-deb (jpackage calls fakeroot itself) (the .deb step). Run from anywhere after
# `mvn -q -DskipTests package`. Output: packaging/target/qcowscope (app image) and packaging/target/*.deb.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/.." && pwd)"
out="$here/target"
version="$(sed -n 's:.*<version>\([0-9.]*\)-SNAPSHOT</version>.*:\1:p' "$top/pom.xml" | head -1)"
lib="$top/app/target/lib"
[ -f "$top/app/target/qcowscope.jar" ] || { echo "build first: mvn -q -DskipTests package" >&2; exit 1; }

rm -rf "$out" && mkdir -p "$out/input"
# JavaFX goes into the runtime as modules; everything else stays on the class path.
fx_jars=$(ls "$lib"/javafx-*-linux.jar | tr '\n' ':')
cp "$top/app/target/qcowscope.jar" "$out/input/"
mkdir -p "$out/input/lib"
for j in "$lib"/*.jar; do
  case "$(basename "$j")" in javafx-*) ;; *) cp "$j" "$out/input/lib/" ;; esac
done

jlink --module-path "${fx_jars%:}" \
  --add-modules java.base,java.desktop,java.logging,java.management,java.naming,java.sql,java.xml,jdk.unsupported,jdk.zipfs,javafx.base,javafx.graphics,javafx.controls \
  --strip-debug --no-header-files --no-man-pages --output "$out/runtime"

jpackage --type app-image --name qcowscope --app-version "$version" \
  --runtime-image "$out/runtime" --input "$out/input" --main-jar qcowscope.jar \
  --main-class io.qcowscope.app.Main --java-options '-Xmx2g' --dest "$out"

if command -v fakeroot >/dev/null && command -v dpkg-deb >/dev/null; then
  jpackage --type deb --app-image "$out/qcowscope" --name qcowscope --app-version "$version" \
    --linux-package-deps libgtk-3-0 --description "Inspector, checker and repairer for qcow2 images" \
    --dest "$out"
fi
ls -la "$out"
