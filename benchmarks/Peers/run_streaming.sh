#!/usr/bin/env bash
# The streaming peer benchmark in one session (docs/benchmarks.md, "Streaming models: NetGen, RTNeural and
# PyTorch"): builds the RTNeural harness (if an RTNeural tree is given) and NetGen.Benchmarks (so the generator's
# current output is what is measured), writes the four networks' weights, input sequence and NetGen outputs, then
# runs RTNeural (if its tree or executables are given), PyTorch and NetGen's BenchmarkDotNet suite one after another,
# and prints the tables.
#
#   benchmarks/Peers/run_streaming.sh [OUT]          (OUT defaults to /tmp/netgen-streaming-peers)
#
# Environment:
#   RTNEURAL_DIR      an RTNeural source tree: the harness in benchmarks/Peers/rtneural (harness.cpp, its build.sh
#                     and README.md, which names the RTNeural commit measured) is built against it into OUT/rtneural-bin
#                     first. This repository holds no RTNeural code, only that harness.
#   XSIMD_DIR         the xsimd tree RTNeural pins (modules/xsimd); may be left out if RTNEURAL_DIR/modules/xsimd is
#                     checked out. EIGEN_DIR (optional) another Eigen than /usr/include/eigen3. See build.sh.
#   RTNEURAL_BIN_DIR  instead of RTNEURAL_DIR: a folder holding already built rtneural_xsimd and rtneural_eigen
#                     (each run as `EXE DATA_DIR ROUNDS ROUND_SECONDS`, printing `rtneural-BACKEND NAME step=NS ...
#                     maxdiff=D` lines). With neither variable the RTNeural columns stay empty.
#   PYTHON            the Python with torch 1.13 (default /usr/bin/python3).
#   ROUNDS, ROUND_SECONDS   the peers' rounds (default 7 x 0.3 s).
#   DOTNET_JOB        extra BenchmarkDotNet arguments (default none: Program.cs's suite job); e.g. "--job short".
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:-/tmp/netgen-streaming-peers}"
PYTHON="${PYTHON:-/usr/bin/python3}"
ROUNDS="${ROUNDS:-7}"
ROUND_SECONDS="${ROUND_SECONDS:-0.3}"
mkdir -p "$OUT"
rm -rf "$OUT/bdn" "$OUT"/rtneural-*.txt "$OUT/pytorch.txt"

echo "# start: $(uptime)" | tee "$OUT/session.txt"
echo "# cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores" | tee -a "$OUT/session.txt"
echo "# netgen: $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet -- src || echo ' (src modified)')" \
    | tee -a "$OUT/session.txt"

if [[ -z "${RTNEURAL_BIN_DIR:-}" && -n "${RTNEURAL_DIR:-}" ]]; then
    RTNEURAL_BIN_DIR="$OUT/rtneural-bin"
    "$ROOT/benchmarks/Peers/rtneural/build.sh" "$RTNEURAL_BIN_DIR" | tee -a "$OUT/session.txt"
fi

dotnet build "$ROOT/benchmarks/NetGen.Benchmarks" -c Release -nologo -v quiet
dotnet run -c Release --no-build --project "$ROOT/benchmarks/NetGen.Benchmarks" -- --write-streaming "$OUT/data"

if [[ -n "${RTNEURAL_BIN_DIR:-}" ]]; then
    for backend in xsimd eigen; do
        echo "# before RTNeural $backend: $(uptime)" | tee -a "$OUT/session.txt"
        "$RTNEURAL_BIN_DIR/rtneural_$backend" "$OUT/data" "$ROUNDS" "$ROUND_SECONDS" | tee "$OUT/rtneural-$backend.txt"
    done
else
    echo "# neither RTNEURAL_DIR nor RTNEURAL_BIN_DIR set: no RTNeural columns" | tee -a "$OUT/session.txt"
fi

echo "# before PyTorch: $(uptime)" | tee -a "$OUT/session.txt"
"$PYTHON" "$ROOT/benchmarks/Peers/pytorch_streaming.py" "$OUT/data" --rounds "$ROUNDS" --round-seconds "$ROUND_SECONDS" \
    | tee "$OUT/pytorch.txt"

echo "# before NetGen: $(uptime)" | tee -a "$OUT/session.txt"
# shellcheck disable=SC2086
dotnet run -c Release --no-build --project "$ROOT/benchmarks/NetGen.Benchmarks" -- --streaming \
    --artifacts "$OUT/bdn" ${DOTNET_JOB:-} > "$OUT/netgen.log"
for f in "$OUT"/bdn/results/*Streaming*-report-github.md; do
    echo "## $(basename "$f" -report-github.md)"
    grep '^|' "$f"
done

echo "# end: $(uptime)" | tee -a "$OUT/session.txt"
echo
cat "$OUT/session.txt"
echo
"$PYTHON" "$ROOT/benchmarks/Peers/streaming_table.py" "$OUT" | tee "$OUT/tables.md"
