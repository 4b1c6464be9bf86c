#!/usr/bin/env bash
# The fresh-input Dense benchmark in one session (docs/benchmarks.md, "Dense networks with fresh inputs: NetGen,
# RTNeural and PyTorch"): builds the RTNeural harness (benchmarks/Peers/dense, if an RTNeural tree is given) and
# NetGen.Benchmarks (so the generator's current output is what is measured), runs the agreement check, writes the
# networks' parameters, check inputs and NetGen outputs, then runs RTNeural (every executable built: xsimd and Eigen,
# g++ and clang++), PyTorch, NetGen's BenchmarkDotNet benchmarks and RTNeural once more, with uptime before each
# part, and prints the tables (also left in OUT/tables.md).
#
#   benchmarks/Peers/run_dense.sh [OUT]          (OUT defaults to /tmp/netgen-dense-peers)
#
# Environment:
#   RTNEURAL_DIR      an RTNeural source tree: the harness in benchmarks/Peers/dense (harness.cpp, its build.sh and
#                     README.md, which names the RTNeural commit measured) is built against it into OUT/rtneural-bin
#                     first. XSIMD_DIR, EIGEN_DIR, COMPILERS, CXXFLAGS: see build.sh.
#   RTNEURAL_BIN_DIR  instead of RTNEURAL_DIR: a folder holding already built rtneural_*_* executables (each run as
#                     `EXE DATA_DIR ROUNDS ROUND_SECONDS`). With neither variable the RTNeural columns stay empty.
#   PYTHON            the Python with torch 1.13 (default /usr/bin/python3).
#   TORCH_BLAS        a BLAS library preloaded into the PyTorch process (LD_PRELOAD), since Debian's torch calls
#                     sgemm_ from whatever libblas.so.3 resolves to; default OpenBLAS serial
#                     (/usr/lib/x86_64-linux-gnu/openblas-serial/libblas.so.3, package libopenblas0-serial) when it is
#                     installed; empty for the system's libblas.so.3. The script reports the library sgemm_ came from.
#   ROUNDS, ROUND_SECONDS   the peers' rounds (default 7 x 0.3 s).
#   DOTNET_FILTER     the BenchmarkDotNet benchmarks (default: NetGen's Forward, fresh and fixed, for every network,
#                     and D's TrainBatch, fresh and fixed). DOTNET_JOB: extra BenchmarkDotNet arguments (default
#                     none: Program.cs's suite job); e.g. "--job short".
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:-/tmp/netgen-dense-peers}"
PYTHON="${PYTHON:-/usr/bin/python3}"
ROUNDS="${ROUNDS:-7}"
ROUND_SECONDS="${ROUND_SECONDS:-0.3}"
SERIAL=/usr/lib/x86_64-linux-gnu/openblas-serial/libblas.so.3
if [[ -z "${TORCH_BLAS+set}" && -f "$SERIAL" ]]; then TORCH_BLAS="$SERIAL"; fi
TORCH_BLAS="${TORCH_BLAS:-}"
DOTNET_FILTER="${DOTNET_FILTER:-*Comparison.Network*.NetGenForward *Comparison.Network*.NetGenForwardFresh *Comparison.NetworkD.NetGenTrainBatch*}"
mkdir -p "$OUT"
rm -rf "$OUT/bdn" "$OUT"/rtneural-*.txt "$OUT/pytorch.txt"

echo "# start: $(uptime)" | tee "$OUT/session.txt"
echo "# cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, vector flags:" \
    "$(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx|avx2|fma|avx512f|avx512bw)$' | tr '\n' ' ')" \
    | tee -a "$OUT/session.txt"
echo "# netgen: $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet -- src || echo ' (src modified)')" \
    | tee -a "$OUT/session.txt"

if [[ -z "${RTNEURAL_BIN_DIR:-}" && -n "${RTNEURAL_DIR:-}" ]]; then
    RTNEURAL_BIN_DIR="$OUT/rtneural-bin"
    "$ROOT/benchmarks/Peers/dense/build.sh" "$RTNEURAL_BIN_DIR" | tee -a "$OUT/session.txt"
fi

dotnet build "$ROOT/benchmarks/NetGen.Benchmarks" -c Release -nologo -v quiet
dotnet run -c Release --no-build --project "$ROOT/benchmarks/NetGen.Benchmarks" -- --verify | tee "$OUT/verify.txt"
dotnet run -c Release --no-build --project "$ROOT/benchmarks/NetGen.Benchmarks" -- --write-dense "$OUT/data" > /dev/null

rtneural() {
    local pass="$1"
    if [[ -z "${RTNEURAL_BIN_DIR:-}" ]]; then
        echo "# neither RTNEURAL_DIR nor RTNEURAL_BIN_DIR set: no RTNeural columns" | tee -a "$OUT/session.txt"
        return
    fi
    for exe in "$RTNEURAL_BIN_DIR"/rtneural_*_*; do
        [[ -x "$exe" ]] || continue
        local tag="${exe##*/rtneural_}"
        echo "# before RTNeural $tag, pass $pass: $(uptime)" | tee -a "$OUT/session.txt"
        "$exe" "$OUT/data" "$ROUNDS" "$ROUND_SECONDS" | tee "$OUT/rtneural-$tag-$pass.txt"
    done
}

rtneural 1

echo "# before PyTorch: $(uptime)" | tee -a "$OUT/session.txt"
LD_PRELOAD="$TORCH_BLAS" "$PYTHON" "$ROOT/benchmarks/Peers/pytorch_dense.py" "$OUT/data" --rounds "$ROUNDS" \
    --round-seconds "$ROUND_SECONDS" | tee "$OUT/pytorch.txt"

echo "# before NetGen: $(uptime)" | tee -a "$OUT/session.txt"
# --buildTimeout: BenchmarkDotNet builds its own copy of the project (generator included) before timing, and on the
# shared machine under load that takes longer than its default of 120 s.
# shellcheck disable=SC2086
dotnet run -c Release --no-build --project "$ROOT/benchmarks/NetGen.Benchmarks" -- --filter $DOTNET_FILTER \
    --buildTimeout 1200 --artifacts "$OUT/bdn" ${DOTNET_JOB:-} > "$OUT/netgen.log"
for f in "$OUT"/bdn/results/*Comparison*-report-github.md; do
    echo "## $(basename "$f" -report-github.md)"
    grep '^|' "$f"
done

rtneural 2

echo "# end: $(uptime)" | tee -a "$OUT/session.txt"
echo
cat "$OUT/session.txt"
echo
"$PYTHON" "$ROOT/benchmarks/Peers/dense_table.py" "$OUT" | tee "$OUT/tables.md"
