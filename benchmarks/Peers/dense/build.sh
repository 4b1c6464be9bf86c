#!/usr/bin/env bash
# Builds the RTNeural Dense harness (harness.cpp, this folder) against an RTNeural tree given here: for each compiler,
# one executable for RTNeural's xsimd backend and one for its Eigen backend, rtneural_xsimd_COMPILER and
# rtneural_eigen_COMPILER (COMPILER is gcc or clang). See README.md.
#
#   RTNEURAL_DIR=/path/to/RTNeural XSIMD_DIR=/path/to/xsimd [EIGEN_DIR=...] benchmarks/Peers/dense/build.sh [OUT_DIR]
#
# OUT_DIR defaults to benchmarks/Peers/dense/build (ignored by git).
# Environment:
#   RTNEURAL_DIR  an RTNeural source tree (the folder holding RTNeural/RTNeural.h and modules/json/json.hpp).
#   XSIMD_DIR     an xsimd source tree (holding include/xsimd/xsimd.hpp), the version RTNeural pins as its
#                 modules/xsimd submodule; defaults to RTNEURAL_DIR/modules/xsimd if that has been checked out.
#   EIGEN_DIR     an Eigen tree (holding Eigen/Dense); defaults to /usr/include/eigen3 (Debian's libeigen3-dev), else
#                 RTNEURAL_DIR/modules/Eigen (the copy RTNeural carries).
#   COMPILERS     the C++ compilers, space-separated (default: g++, and clang++ if it is installed).
#   CXXFLAGS      replaces the default -O3 -march=native.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT_DIR="${1:-$HERE/build}"
read -r -a FLAGS <<< "${CXXFLAGS:--O3 -march=native}"
if [[ -z "${COMPILERS:-}" ]]; then
    COMPILERS="g++"
    if command -v clang++ > /dev/null; then COMPILERS="g++ clang++"; fi
fi

: "${RTNEURAL_DIR:?set RTNEURAL_DIR to an RTNeural source tree}"
RTNEURAL_DIR="$(cd "$RTNEURAL_DIR" && pwd)"
[[ -f "$RTNEURAL_DIR/RTNeural/RTNeural.h" ]] || { echo "no RTNeural/RTNeural.h under $RTNEURAL_DIR" >&2; exit 1; }
if [[ -z "${XSIMD_DIR:-}" && -f "$RTNEURAL_DIR/modules/xsimd/include/xsimd/xsimd.hpp" ]]; then
    XSIMD_DIR="$RTNEURAL_DIR/modules/xsimd"
fi
: "${XSIMD_DIR:?set XSIMD_DIR to an xsimd source tree (the commit RTNeural pins in modules/xsimd)}"
[[ -f "$XSIMD_DIR/include/xsimd/xsimd.hpp" ]] || { echo "no include/xsimd/xsimd.hpp under $XSIMD_DIR" >&2; exit 1; }
if [[ -z "${EIGEN_DIR:-}" ]]; then
    if [[ -f /usr/include/eigen3/Eigen/Dense ]]; then EIGEN_DIR=/usr/include/eigen3; else EIGEN_DIR="$RTNEURAL_DIR/modules/Eigen"; fi
fi
[[ -f "$EIGEN_DIR/Eigen/Dense" ]] || { echo "no Eigen/Dense under $EIGEN_DIR" >&2; exit 1; }

mkdir -p "$OUT_DIR"

# The commits, when the trees are git checkouts of their own (not folders inside some other repository).
commit() {
    if [[ "$(git -C "$1" rev-parse --show-toplevel 2>/dev/null)" == "$(cd "$1" && pwd -P)" ]]; then
        git -C "$1" describe --tags --always --long 2>/dev/null || git -C "$1" rev-parse --short HEAD
    else
        echo "(not a git checkout)"
    fi
}
echo "# RTNeural $(commit "$RTNEURAL_DIR") at $RTNEURAL_DIR"
echo "# xsimd $(commit "$XSIMD_DIR") at $XSIMD_DIR; Eigen at $EIGEN_DIR; flags ${FLAGS[*]}"

for CXX in $COMPILERS; do
    case "$("$CXX" --version | head -1)" in
        *clang*) tag=clang ;;
        *) tag=gcc ;;
    esac
    # RTNEURAL_DEFAULT_ALIGNMENT must match what the backend's vectors need, and RTNeural's CMake does not set it
    # for AVX-512: for xsimd, the alignment of the batch xsimd picks for these flags (64 bytes for AVX-512, 32 for
    # AVX, 16 for SSE/NEON), asked of xsimd itself.
    probe="$OUT_DIR/xsimd_alignment_$tag"
    printf '#include <xsimd/xsimd.hpp>\n#include <cstdio>\nint main() { std::printf("%%d\\n", (int)xsimd::default_arch::alignment()); }\n' \
        | "$CXX" -std=c++17 "${FLAGS[@]}" -I "$XSIMD_DIR/include" -x c++ - -o "$probe"
    xsimd_alignment="$("$probe")"
    rm -f "$probe"
    # For Eigen, RTNeural's common.h accepts 8, 16 or 32: 32 when the flags enable AVX, else 16.
    # (The macros are captured first: with pipefail, `grep -q` closing the pipe early can fail the compiler's side.)
    macros="$("$CXX" "${FLAGS[@]}" -dM -E -x c++ /dev/null)"
    if grep -q '__AVX__' <<< "$macros"; then eigen_alignment=32; else eigen_alignment=16; fi
    echo "# $("$CXX" --version | head -1): xsimd alignment $xsimd_alignment, Eigen alignment $eigen_alignment"

    common=(-std=c++17 "${FLAGS[@]}" -DNDEBUG -I "$RTNEURAL_DIR")
    "$CXX" "${common[@]}" -I "$XSIMD_DIR/include" -DRTNEURAL_USE_XSIMD=1 -DRTNEURAL_DEFAULT_ALIGNMENT="$xsimd_alignment" \
        "$HERE/harness.cpp" -o "$OUT_DIR/rtneural_xsimd_$tag" &
    xsimd_build=$!
    # EIGEN_STACK_ALLOCATION_LIMIT=0: D's first layer is a fixed-size 128 x 785 Eigen matrix (400 KB), past Eigen's
    # 128 KB static check for objects that might live on the stack; the harness allocates the model on the heap.
    "$CXX" "${common[@]}" -I "$EIGEN_DIR" -DRTNEURAL_USE_EIGEN=1 -DEIGEN_STACK_ALLOCATION_LIMIT=0 -DRTNEURAL_DEFAULT_ALIGNMENT="$eigen_alignment" \
        "$HERE/harness.cpp" -o "$OUT_DIR/rtneural_eigen_$tag" &
    eigen_build=$!
    failed=0
    wait "$xsimd_build" || failed=1
    wait "$eigen_build" || failed=1
    [[ $failed == 0 ]] || { echo "build with $CXX failed" >&2; exit 1; }
    echo "# built $OUT_DIR/rtneural_xsimd_$tag and $OUT_DIR/rtneural_eigen_$tag"
done
