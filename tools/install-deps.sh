#!/bin/sh
# Installs the Debian packages the kit needs, only those that are missing.
# Says what it installs; prints nothing when everything is there.
set -eu

# bubblewrap: the sandbox the checks run in (see the README's "Threat model"); the grader runs without it too
packages="gcc make pkg-config libopenblas-dev libcriterion-dev valgrind gdb gcovr zlib1g-dev libpng-dev inotify-tools dataset-fashion-mnist bubblewrap"

missing=""
for package in $packages; do
    if ! dpkg-query -W -f='${Status}\n' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $package"
    fi
done
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "The kit needs these packages (Debian names):$missing" >&2
    echo "This system has no apt-get: install them with its package manager, then run make again." >&2
    exit 1
fi

run_as_root=""
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "The kit needs these packages:$missing" >&2
        echo "Installing them needs root, and sudo is not installed: as root, run apt-get install$missing" >&2
        exit 1
    fi
    run_as_root="sudo"
fi

echo "Installing what the kit needs:$missing"
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
if ! $run_as_root apt-get install -y -q $missing; then
    echo "Refreshing the package lists and trying again."
    $run_as_root apt-get update -q
    # shellcheck disable=SC2086
    $run_as_root apt-get install -y -q $missing
fi
echo "Installed:$missing"
