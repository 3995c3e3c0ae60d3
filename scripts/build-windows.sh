#!/usr/bin/env bash
# Cross-builds the `loa` command line for Windows x64 on Debian with MinGW
# (x86_64-pc-windows-gnu) into dist/windows/: loa.exe and the MinGW run-time
# DLLs it needs. `scripts/setup.sh windows` installs the tools.
# Usage: scripts/build-windows.sh [debug|release] (default release).
#
# Flags that need care (see ../shared/notes and README "Windows"):
# - MinGW's *posix* thread model: whisper.cpp uses std::mutex, which the
#   default win32 model lacks.
# - _WIN32_WINNT=0x0601: Debian 12's MinGW headers lack
#   THREAD_POWER_THROTTLING_STATE, which ggml uses from Windows 8 up; the
#   code then runs without asking Windows not to throttle its threads.
# - whisper-rs-sys's shipped bindings are for Linux/glibc: the Windows build
#   generates its own with bindgen (clang).
# - CMake under MinGW names ggml's archives without the `lib` prefix that
#   rustc looks for: after the first pass they are copied as lib*.a.
# - ggml-cpu uses the registry API: -ladvapi32.
# - LAME (autotools) gets --host from MP3LAME_SYS_OVERRIDE_HOST.
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-release}"
triple=x86_64-pc-windows-gnu
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/loa-studio/target}"
for tool in x86_64-w64-mingw32-gcc-posix x86_64-w64-mingw32-g++-posix clang; do
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
# LAME's autotools build must be told it is cross-compiling.
export MP3LAME_SYS_OVERRIDE_HOST=x86_64-w64-mingw32
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
build() { (cd / && cargo build --manifest-path "$root/Cargo.toml" "${flag[@]}" --target "$triple" -p loa-cli); }
if ! build >&2 2>/tmp/loa-windows-build.log; then
  # The archives CMake wrote without their prefix: give rustc its names.
  found=0
  for a in "$CARGO_TARGET_DIR/$triple/$profile"/build/whisper-rs-sys-*/out/build/ggml/src/{ggml,ggml-base,ggml-cpu}.a \
           "$CARGO_TARGET_DIR/$triple/$profile"/build/whisper-rs-sys-*/out/build/ggml/src/ggml-cpu/ggml-cpu.a \
           "$CARGO_TARGET_DIR/$triple/$profile"/build/whisper-rs-sys-*/out/build/src/whisper.a; do
    [ -f "$a" ] || continue
    cp -f "$a" "$(dirname "$a")/lib$(basename "$a")"
    found=1
  done
  [ "$found" = 1 ] || { tail -40 /tmp/loa-windows-build.log >&2; exit 1; }
  build >&2
fi
out=dist/windows
mkdir -p "$out"
cp -f "$CARGO_TARGET_DIR/$triple/$profile/loa.exe" "$out/"
gcc_dir=$(dirname "$(x86_64-w64-mingw32-gcc-posix -print-libgcc-file-name)")
for dll in "$gcc_dir/libstdc++-6.dll" "$gcc_dir/libgcc_s_seh-1.dll" /usr/x86_64-w64-mingw32/lib/libwinpthread-1.dll; do
  cp -f "$dll" "$out/"
done
echo "$out/loa.exe"
