#!/bin/sh
# Install the Debian 12 packages vCISO Workbench needs to run as a desktop app under X11.
#
#   sh scripts/install-system-deps.sh [--dry-run] [--print-packages]
#
# Root runs apt-get directly; anyone else goes through sudo. Packages already installed are not asked for
# again: when nothing is missing, the script changes nothing, needs no root and no network.
#
# The list is what the PySide6 wheel's Qt (6.11) links against to show a window through its xcb platform
# plugin: the NEEDED entries of libQt6Core/Gui/Widgets/DBus/XcbQpa/Charts/Svg/OpenGL, of
# plugins/platforms/libqxcb.so, plugins/xcbglintegrations/*, plugins/platforminputcontexts/* and
# plugins/imageformats/*, mapped to their Debian packages (libc6, libstdc++6, zlib1g and libzstd1 are in
# every Debian installation). Checked on a bare `debootstrap --variant=minbase bookworm` system: with these
# packages every library resolves and the app opens under Xvfb.
set -eu

PACKAGES="
python3-venv
libglib2.0-0
libdbus-1-3
libfontconfig1
libfreetype6
libegl1
libgl1
libx11-6
libx11-xcb1
libxkbcommon0
libxkbcommon-x11-0
libxcb1
libxcb-cursor0
libxcb-glx0
libxcb-icccm4
libxcb-image0
libxcb-keysyms1
libxcb-randr0
libxcb-render0
libxcb-render-util0
libxcb-shape0
libxcb-shm0
libxcb-sync1
libxcb-util1
libxcb-xfixes0
libxcb-xkb1
fonts-dejavu-core
fonts-dejavu-extra
fonts-wqy-microhei
"
# python3-venv: the virtual environment of the README's install line (it brings python3).
# libglib2.0-0 .. libxkbcommon0: QtCore, QtGui and QtDBus. libx11-xcb1 .. libxcb-xkb1: the xcb platform
# plugin and its GLX/EGL integrations. fonts-dejavu-*: a font for the window, and DejaVu Sans with its
# oblique faces (the -extra package) embedded in the PDF report. fonts-wqy-microhei: the Chinese, Japanese
# and Korean font embedded in the PDF report.

NAME="install-system-deps"

usage() {
  cat <<EOF
Usage: sh scripts/install-system-deps.sh [--dry-run] [--print-packages]

Installs with apt-get the Debian 12 packages vCISO Workbench needs to run as a desktop app under X11.

  --dry-run         print the commands it would run, run nothing
  --print-packages  print the package list, one per line, and exit
  -h, --help        show this help
EOF
}

dry_run=0
for arg in "$@"; do
  case "$arg" in
    --dry-run) dry_run=1 ;;
    --print-packages)
      for package in $PACKAGES; do
        echo "$package"
      done
      exit 0 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "$NAME: unknown option '$arg' (see --help)" >&2; exit 2 ;;
  esac
done

if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
  echo "$NAME: this script installs Debian packages with apt-get, which this system does not have;" \
    "install the equivalents of the packages listed by --print-packages" >&2
  exit 1
fi

missing=""
for package in $PACKAGES; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null) || status=""
  if [ "$status" != "installed" ]; then
    missing="$missing $package"
  fi
done

if [ -z "$missing" ]; then
  echo "$NAME: all the system packages vCISO Workbench needs are installed"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
  if ! command -v sudo >/dev/null 2>&1; then
    message="installing packages needs root, and sudo is not installed: run this script as root"
    message="$message (su -c 'sh scripts/install-system-deps.sh'), or install sudo"
    if [ "$dry_run" -eq 0 ]; then
      echo "$NAME: $message" >&2
      exit 1
    fi
    echo "$NAME: note: $message" >&2
  fi
fi

run() {
  if [ "$dry_run" -eq 1 ]; then
    echo "$*"
  else
    echo "+ $*" >&2
    "$@"
  fi
}

# $sudo is empty for root: left unquoted so that it then disappears from the command
# shellcheck disable=SC2086
run $sudo apt-get update
# shellcheck disable=SC2086
run $sudo apt-get install -y --no-install-recommends $missing
