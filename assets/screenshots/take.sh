#!/usr/bin/env bash
# Takes the README's screenshots from a real window: the release binary on a virtual X server
# (Xvfb), driven by xdotool clicks on the sidebar as a user would, captured with ImageMagick's
# `import`. One PNG per screen in assets/screenshots/.
#
#   sudo apt-get install -y xvfb imagemagick xdotool libxcursor1 libxi6 libxkbcommon-x11-0 libegl1 libegl-mesa0
#   cargo build --release && assets/screenshots/take.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
out="assets/screenshots"
display=":97"
Xvfb "$display" -screen 0 1280x820x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
# a clean profile, so that saved window state and projects from earlier runs do not leak in
profile="$(mktemp -d)"
app=""
cleanup() {
    [ -n "$app" ] && kill "$app" 2>/dev/null || true
    kill "$xvfb" 2>/dev/null || true
    rm -rf "$profile"
}
trap cleanup EXIT
sleep 1
export DISPLAY="$display"
env -u WAYLAND_DISPLAY XDG_DATA_HOME="$profile" XDG_CONFIG_HOME="$profile" HOME="$profile" \
    target/release/statecraft &
app=$!
sleep 4
window="$(xdotool search --sync --name 'Statecraft$' | head -n1)"
xdotool windowmove --sync "$window" 0 0
sleep 1

click() { # x y, in window coordinates
    xdotool mousemove --window "$window" "$1" "$2" click 1
    sleep "${3:-1}"
}
shot() {
    xdotool mousemove --window "$window" 1270 800 # the pointer out of the way
    sleep 0.5
    import -window root -crop 1280x820+0+0 "$out/$1.png"
    echo "$out/$1.png"
}

# Wizard: answer the first question (web app with user logins), then show the second
click 60 106
click 320 238
click 368 625
shot wizard
# Recommendation, Simulator (the plots take a moment on the worker), Chaos monkey with server B killed,
# Capacity planner and Export
click 60 141 && shot recommendation
click 60 176 4 && shot simulator
click 60 246
click 294 91 # "Stateful"
click 650 120 # "Every user adds an item"
click 650 120
click 770 262 3 # server B
shot chaos
click 60 281 3 && shot capacity
click 60 316 2 && shot export
