#!/usr/bin/env bash
# Builds the .deb, installs it with dpkg -i, checks that the installed qcowscope works and that the package put its desktop
# entry, icon, file association, /usr/bin command, man page and bash completion in place, then removes it again
# (dpkg -r), so the machine stays clean. Needs root, qemu-utils, fakeroot, desktop-file-utils and man-db; .ci/run
# installs them. Run after `mvn -q -DskipTests package` (or `mvn -B verify`).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version="$(sed -n 's:.*<version>\([0-9.]*\)-SNAPSHOT</version>.*:\1:p' "$here/../pom.xml" | head -1)"

fail() { echo "test-package: FAIL: $*" >&2; exit 1; }
passed=0
pass() { passed=$((passed + 1)); echo "test-package: ok: $*"; }
trap 'echo "test-package: FAIL: line $LINENO: $BASH_COMMAND" >&2' ERR
[ "$(id -u)" = 0 ] || fail "needs root (dpkg -i)"
for tool in fakeroot dpkg-deb desktop-file-validate man qemu-img qemu-io; do
  command -v "$tool" >/dev/null || fail "$tool is missing (apt-get install fakeroot desktop-file-utils man-db qemu-utils)"
done
if dpkg -s qcowscope >/dev/null 2>&1; then
  fail "a qcowscope package is installed already; not replacing it (dpkg -r qcowscope first)"
fi

bash "$here/build-packages.sh" >/dev/null
deb="$(ls "$here"/target/qcowscope_"$version"_*.deb)"
tmp="$(mktemp -d)"
trap 'dpkg -r qcowscope >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
dpkg -i "$deb" >/dev/null
pass "dpkg -i $(basename "$deb")"

# The command line, from the PATH, without a display.
unset DISPLAY WAYLAND_DISPLAY
[ "$(readlink -f /usr/bin/qcowscope)" = /opt/qcowscope/bin/qcowscope ] || fail "/usr/bin/qcowscope"
[ "$(qcowscope --version)" = "qcowscope $version" ] || fail "qcowscope --version: $(qcowscope --version)"
pass "qcowscope --version"
# The start-up cache is installed and usable where dpkg put the app: with the JVM told to fail rather than run without it.
app=/opt/qcowscope/lib/app
if [ -f "$app/qcowscope.aot" ]; then strict=-XX:AOTMode=on; cache=qcowscope.aot
elif [ -f "$app/qcowscope.jsa" ]; then strict=-Xshare:on; cache=qcowscope.jsa
else fail "no start-up cache in $app"; fi
# JDK 17's dynamic CDS archive records the absolute class path it was trained on and cannot be moved (JDK 25's AOT cache
# can): the installed JDK 17 package starts without it (quietly, -Xshare:auto), so there the archive is checked strictly
# in the app image it was trained in, and the installed command only for running.
strict_command=qcowscope
if [ "$cache" = qcowscope.jsa ]; then
  strict_command="$here/target/qcowscope/bin/qcowscope"
  echo "test-package: note: JDK 17 fallback: the CDS archive is used in the app image, not once installed elsewhere"
fi
strict_version="$(JAVA_TOOL_OPTIONS=$strict "$strict_command" --version 2>&1 | grep -v '^Picked up JAVA_TOOL_OPTIONS')" || true
[ "$strict_version" = "qcowscope $version" ] || fail "the start-up cache $cache cannot be used: $strict_version"
pass "start-up cache $cache used"
qemu-img create -q -f qcow2 "$tmp/t.qcow2" 64M
qemu-io -c "write -P 0x5a 0 1M" -c "write -c 4M 64k" "$tmp/t.qcow2" >/dev/null
info="$(qcowscope info "$tmp/t.qcow2")"
grep -q "^virtual size: 64 MiB (67108864 bytes)" <<<"$info" || fail "qcowscope info: $info"
size_of() { sed -n 's/^ *"virtual-size" *: *\([0-9]*\).*/\1/p' | head -1; }
ours="$(qcowscope info --output=json "$tmp/t.qcow2" | size_of)"
theirs="$(qemu-img info --output=json "$tmp/t.qcow2" | size_of)"
[ -n "$ours" ] || fail "info --output=json gave no virtual-size"
[ "$ours" = "$theirs" ] || fail "info virtual-size $ours, qemu-img $theirs"
pass "qcowscope info"
qcowscope render host "$tmp/t.qcow2" -o "$tmp/h.png" >/dev/null
[ "$(head -c 8 "$tmp/h.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "render wrote no PNG"
pass "qcowscope render without a display"
window="$(qcowscope "$tmp/t.qcow2" 2>&1)" && status=0 || status=$?
unknown="$(qcowscope chek "$tmp/t.qcow2" 2>&1)" && unknown_status=0 || unknown_status=$?
[ "$status" = 1 ] && grep -q "no display to open the window on" <<<"$window" || fail "no display: $status $window"
grep -q "Unsupported JavaFX" <<<"$window" && fail "JavaFX's module warning reached the terminal"
[ "$unknown_status" = 2 ] && grep -q "Did you mean: qcowscope check" <<<"$unknown" || fail "unknown command: $unknown"
pass "window without a display, unknown command"

# The installed window, on a virtual display: it appears, with JavaFX from the runtime's modules (no module warning).
if command -v xvfb-run >/dev/null && command -v xdotool >/dev/null; then
  # With the window's own start-up cache where the package has one, strictly: the JVM fails rather than start without it.
  strict_window=; [ -f "$app/qcowscope-window.aot" ] && strict_window=-XX:AOTMode=on
  # (JDK 17's archive cannot be moved, see above: the installed window then starts without it.)
  [ -n "$strict_window" ] || [ -f "$app/qcowscope-window.jsa" ] ||
    echo "test-package: note: the package has no window start-up cache (built without a display)"
  xvfb-run -a -s "-screen 0 1280x800x24" env ${strict_window:+JAVA_TOOL_OPTIONS=$strict_window} bash -c '
    qcowscope "$1" >"$2/window.log" 2>&1 & app=$!
    for i in $(seq 120); do xdotool search --onlyvisible --name "qcowscope - t.qcow2" >/dev/null 2>&1 && break; sleep 0.5; done
    xdotool search --onlyvisible --name "qcowscope - t.qcow2" >/dev/null 2>&1; found=$?
    sleep 2; xdotool mousemove 640 790 click 1; sleep 0.5; xdotool key ctrl+q   # focus (no window manager), File > Quit
    for i in $(seq 20); do kill -0 $app 2>/dev/null || break; sleep 0.5; done
    kill $app 2>/dev/null; wait $app 2>/dev/null; exit $found' _ "$tmp/t.qcow2" "$tmp" || fail "no window: $(head -5 "$tmp/window.log")"
  ! grep -q "Unsupported JavaFX\|Exception\|WARNING" "$tmp/window.log" ||
    fail "window: $(grep -m3 "Unsupported JavaFX\|Exception\|WARNING" "$tmp/window.log")"
  pass "the window opens the image${strict_window:+ from its start-up cache}"
else
  echo "test-package: note: no xvfb-run/xdotool, the window is not tried"
fi

# The desktop: menu entry, icon, file association.
desktop=/usr/share/applications/qcowscope.desktop
desktop-file-validate "$desktop" || fail "desktop-file-validate $desktop"
grep -qx "Categories=System;Utility;" "$desktop" || fail "categories"
grep -qx "MimeType=application/x-qemu-disk;" "$desktop" || fail "file association"
exec_cmd="$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$desktop")"
command -v "$exec_cmd" >/dev/null || fail "Exec=$exec_cmd is not on the PATH"
for s in 16 32 48 64 128 256 512; do
  [ -s "/usr/share/icons/hicolor/${s}x$s/apps/qcowscope.png" ] || fail "icon ${s}x$s"
done
[ -s /usr/share/icons/hicolor/scalable/apps/qcowscope.svg ] || fail "scalable icon"
grep -q 'glob pattern="\*.qcow2"' /usr/share/mime/packages/qcowscope.xml || fail "MIME glob"
pass "desktop entry, icons, file association"

# Man page and completion. A Docker-style dpkg config may exclude /usr/share/man: then read the page from the package.
# (the list is read whole first: with pipefail, grep -q quitting early would fail the pipe on dpkg's SIGPIPE)
files="$(dpkg -L qcowscope)"
grep -qx /usr/share/man/man1/qcowscope.1.gz <<<"$files" || fail "the package lists no man page"
page=/usr/share/man/man1/qcowscope.1.gz
if [ ! -e "$page" ]; then
  echo "test-package: note: dpkg excludes /usr/share/man here; checking the page inside the package"
  dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/share/man/man1/qcowscope.1.gz > "$tmp/qcowscope.1.gz"
  page="$tmp/qcowscope.1.gz"
fi
text="$(MANWIDTH=100 man -l "$page" 2>"$tmp/man.err")"
[ ! -s "$tmp/man.err" ] || fail "man: $(cat "$tmp/man.err")"
for word in "qcowscope - Inspect" "EXIT STATUS" "render" "--clusters-per-cell" "repair" "check"; do
  grep -qF -- "$word" <<<"$text" || fail "man page lacks '$word'"
done
pass "man page"
completion=/usr/share/bash-completion/completions/qcowscope
[ -s "$completion" ] || fail "no bash completion"
words="$(bash -c 'source "$1"; COMP_WORDS=(qcowscope ren); COMP_CWORD=1; COMP_LINE="qcowscope ren"; COMP_POINT=13
  _complete_qcowscope qcowscope ren qcowscope; echo "${COMPREPLY[*]}"' _ "$completion" 2>/dev/null)"
[ "$words" = render ] || fail "completing 'qcowscope ren' gave '$words'"
pass "bash completion"

dpkg -r qcowscope >/dev/null 2>&1
[ ! -e /usr/bin/qcowscope ] && [ ! -e "$desktop" ] || fail "dpkg -r left files behind"
pass "dpkg -r"
echo "test-package: all checks passed"
echo "package: $passed passed, 0 failed"
