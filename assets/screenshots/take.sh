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

# The navigation's buttons, top to bottom (window coordinates at 1280×820)
nav_recommendation="60 143"; nav_simulator="60 178"
nav_chaos="60 248"; nav_capacity="60 283"; nav_export="60 318"

# Wizard: answer the first question (web app with user logins), then show the second
click 320 238
click 358 642
shot wizard
# Recommendation, Simulator (the plots take a moment on the worker)
click $nav_recommendation && shot recommendation
click $nav_simulator 5 && shot simulator
# Chaos monkey: stateful, the mode's own design over time, every cart filled twice, server B destroyed
click $nav_chaos
click 284 91      # "Stateful"
click 215 189     # "this mode's design" for the fifteen-minute run
click 693 143     # "Every user adds an item"
click 693 143
click 798 331 4   # server B
shot chaos
click $nav_capacity 3 && shot capacity
click $nav_export 2 && shot export
