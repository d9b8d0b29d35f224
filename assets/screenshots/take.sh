#!/usr/bin/env bash
# Takes the README's screenshots from a real window: the release binary under a virtual X server
# (Xvfb), one PNG per screen, captured with ImageMagick's `import`.
#
#   sudo apt-get install -y xvfb imagemagick xdotool libxcursor1 libxi6 libxkbcommon-x11-0 libegl1 libegl-mesa0
#   cargo build --release && assets/screenshots/take.sh
#
# The app opens each screen itself when STATECRAFT_SCREENSHOTS names a folder: it shows a screen,
# waits for its plots, saves the window with eframe's own screenshot, and moves on (see
# `src/app.rs`, `ScreenshotTour`). `import` then takes the whole X screen once more as a check that
# the window really is on a display.
set -euo pipefail
cd "$(dirname "$0")/../.."
out="assets/screenshots"
display=":99"
Xvfb "$display" -screen 0 1280x820x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill "$xvfb" 2>/dev/null || true' EXIT
sleep 1
# a clean profile so that saved window state and projects from an earlier run do not leak in
profile="$(mktemp -d)"
env -u WAYLAND_DISPLAY DISPLAY="$display" XDG_DATA_HOME="$profile" HOME="$profile" \
    STATECRAFT_SCREENSHOTS="$out" target/release/statecraft
DISPLAY="$display" import -window root "$out/desktop.png" 2>/dev/null || true
rm -rf "$profile"
ls -l "$out"/*.png
