#!/usr/bin/env bash
# Cross-builds Loa Studio for Windows x64 on Debian with MinGW
# (x86_64-pc-windows-gnu): the app (loa-studio.exe), the `loa` command line
# and the run-time DLLs they need, staged in dist/windows/, then the NSIS
# installer dist/loa-studio-VERSION-x64-setup.exe (packaging/windows/
# installer.nsi). `scripts/setup.sh windows` installs the tools.
#
# Usage: scripts/build-windows.sh [debug|release] [--model FILE] [--webview2 DIR]
#   --model FILE    also the installer that carries a whisper.cpp model
#                   (…-setup-whisper-base.exe): transcription works offline
#                   from the first launch
#   --webview2 DIR  also the installer that carries an extracted WebView2
#                   fixed-version runtime (…-setup-webview2.exe), for PCs
#                   without WebView2 and without internet; Microsoft
#                   publishes it, it cannot be fetched on this machine
# The last lines printed are the installers' paths.
#
# Flags that need care (see ../shared/notes and README "Windows"):
# - MinGW's *posix* thread model: whisper.cpp uses std::mutex, which the
#   default win32 model lacks.
# - _WIN32_WINNT=0x0601: Debian 12's MinGW headers lack
#   THREAD_POWER_THROTTLING_STATE, which ggml uses from Windows 8 up; the
#   code then runs without asking Windows not to throttle its threads.
# - whisper-rs-sys's shipped bindings are for Linux/glibc: the Windows build
#   generates its own with bindgen (clang).
# - whisper.cpp is built as DLLs (libwhisper, ggml, ggml-base) with ggml's
#   CPU backend in variants (ggml-cpu-sse42/-sandybridge/-haswell.dll),
#   loaded at run time by what the PC can run (vendor/README.md): all are
#   staged beside the programs.
# - ggml-cpu uses the registry API: -ladvapi32.
# - LAME (LGPL) is not linked in: the app loads libmp3lame-0.dll at run
#   time, built here unmodified from LAME 3.100's release source (as vendored
#   in the mp3lame-sys crate, checked by its crates.io checksum) with
#   ./configure --host=x86_64-w64-mingw32 --enable-shared (its decoder
#   stays in: LAME 3.100's export list names decoder functions, and
#   --disable-decoder fails to link).
set -euo pipefail
cd "$(dirname "$0")/.."
profile=release model="" webview2=""
while [ $# -gt 0 ]; do
  case "$1" in
    debug|release) profile="$1" ;;
    --model) model="$(realpath "$2")"; shift ;;
    --webview2) webview2="$(realpath "$2")"; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
triple=x86_64-pc-windows-gnu
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/loa-studio/target}"
for tool in x86_64-w64-mingw32-gcc-posix x86_64-w64-mingw32-g++-posix clang makensis; do
  command -v "$tool" >/dev/null || { echo "missing $tool: run scripts/setup.sh windows" >&2; exit 1; }
done
rustup target list --installed | grep -qx "$triple" || rustup target add "$triple" >&2

export CC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc-posix
export CXX_x86_64_pc_windows_gnu=x86_64-w64-mingw32-g++-posix
export AR_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc-ar-posix
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc-posix
export CFLAGS_x86_64_pc_windows_gnu="-D_WIN32_WINNT=0x0601"
export CXXFLAGS_x86_64_pc_windows_gnu="-D_WIN32_WINNT=0x0601"
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUSTFLAGS="-C link-arg=-ladvapi32"
# .cargo/config.toml copies whisper-rs-sys's Linux bindings, which do not
# fit Windows: cargo runs from outside the repository so that file is not
# read, and its two ggml settings are given here instead.
unset WHISPER_DONT_GENERATE_BINDINGS
export GGML_NATIVE=OFF GGML_LLAMAFILE=ON
root=$PWD
export BINDGEN_EXTRA_CLANG_ARGS_x86_64_pc_windows_gnu="--target=x86_64-w64-mingw32 -I/usr/x86_64-w64-mingw32/include"

# A build folder still holding the Linux bindings (from a build made with
# the config's setting) would be reused as is: cargo does not rerun the
# build script for that variable.
for b in "$CARGO_TARGET_DIR/$triple"/*/build/whisper-rs-sys-*/out/bindings.rs; do
  if [ -f "$b" ] && grep -q "_IO_FILE" "$b"; then rm -rf "$(dirname "$(dirname "$b")")"; fi
done

flag=()
[ "$profile" = release ] && flag=(--release)
(cd / && cargo build --manifest-path "$root/Cargo.toml" "${flag[@]}" --target "$triple" -p loa-cli -p loa-studio) >&2
out=dist/windows
rm -rf "$out" && mkdir -p "$out"
bin="$CARGO_TARGET_DIR/$triple/$profile"
for exe in loa.exe loa-studio.exe; do
  # Symbols are half of each program's size and of no use on the offices' PCs.
  x86_64-w64-mingw32-strip -o "$out/$exe" "$bin/$exe"
done
cp -f "$bin/WebView2Loader.dll" "$out/"
for dll in libwhisper.dll ggml.dll ggml-base.dll $(cd "$bin" && ls ggml-cpu-*.dll); do
  x86_64-w64-mingw32-strip --strip-unneeded -o "$out/$dll" "$bin/$dll"
done
gcc_dir=$(dirname "$(x86_64-w64-mingw32-gcc-posix -print-libgcc-file-name)")
for dll in "$gcc_dir/libstdc++-6.dll" "$gcc_dir/libgcc_s_seh-1.dll" /usr/x86_64-w64-mingw32/lib/libwinpthread-1.dll; do
  x86_64-w64-mingw32-strip --strip-unneeded -o "$out/$(basename "$dll")" "$dll"
done

# LAME as its own DLL (LGPL: replaceable without relinking Loa Studio).
lame_crate_sha=54e3b1772db47828840702e5a2e05694527f731abadf9b931355d54035f019d8
lame_dir="$CARGO_TARGET_DIR/$triple/lame-3.100"
if [ ! -f "$lame_dir/libmp3lame-0.dll" ]; then
  crate=$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/mp3lame-sys-0.1.11.crate 2>/dev/null | head -1 || true)
  if [ -z "$crate" ]; then
    crate="$CARGO_TARGET_DIR/mp3lame-sys-0.1.11.crate"
    curl -fsSL -o "$crate" https://static.crates.io/crates/mp3lame-sys/mp3lame-sys-0.1.11.crate
  fi
  echo "$lame_crate_sha  $crate" | sha256sum -c --quiet
  src=$(mktemp -d)
  tar -xzf "$crate" -C "$src"
  (cd "$src"/mp3lame-sys-0.1.11/lame-3.100 && chmod +x configure &&
    CC=x86_64-w64-mingw32-gcc-posix ./configure -q --host=x86_64-w64-mingw32 --enable-shared \
      --disable-static --disable-frontend --disable-gtktest >&2 &&
    make -s -j2 >/dev/null)
  mkdir -p "$lame_dir"
  cp "$src"/mp3lame-sys-0.1.11/lame-3.100/libmp3lame/.libs/libmp3lame-0.dll "$lame_dir/"
  cp "$src"/mp3lame-sys-0.1.11/lame-3.100/COPYING "$lame_dir/LAME-COPYING.txt"
  rm -rf "$src"
fi
x86_64-w64-mingw32-strip --strip-unneeded -o "$out/libmp3lame-0.dll" "$lame_dir/libmp3lame-0.dll"
sed 's/$/\r/' "$lame_dir/LAME-COPYING.txt" >"$out/LAME-COPYING.txt"
sed 's/$/\r/' LICENSE >"$out/LICENSE.txt"
sed 's/$/\r/' assets/licenses/THIRD-PARTY-NOTICES.txt >"$out/THIRD-PARTY-NOTICES.txt"
# The Vietnamese word list, a separate GPL file read at run time (see its README).
mkdir -p "$out/vi-words"
cp assets/data/vi-words/words.txt assets/data/vi-words/extra.txt "$out/vi-words/"
sed 's/$/\r/' assets/data/vi-words/COPYING >"$out/vi-words/COPYING.txt"
sed 's/$/\r/' assets/data/vi-words/README.md >"$out/vi-words/README.txt"

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
installer() { # NAME [extra makensis defines]
  local name="$1"; shift
  makensis -V2 -INPUTCHARSET UTF8 -DVERSION="$version" -DSTAGE="$PWD/$out" \
    -DICON="$PWD/src-tauri/icons/icon.ico" -DOUTFILE="$PWD/dist/$name" "$@" \
    packaging/windows/installer.nsi >&2
  echo "dist/$name"
}
installer "loa-studio-$version-x64-setup.exe"
[ -z "$model" ] || installer "loa-studio-$version-x64-setup-whisper-base.exe" -DMODEL="$model"
[ -z "$webview2" ] || installer "loa-studio-$version-x64-setup-webview2.exe" -DWEBVIEW2="$webview2"
