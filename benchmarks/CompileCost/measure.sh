#!/usr/bin/env bash
# The real-build figures of "Compile-time cost" in docs/benchmarks.md, from builds of this project:
#   1. the size of each network's generated file, in characters (BOM excluded) and lines;
#   2. the compiler's own timing of the generator (-p:ReportAnalyzer=true, read from the detailed log) and of the
#      whole Csc task (-clp:PerformanceSummary), in builds of this project alone (--no-dependencies) holding no
#      network, one network, or all five;
#   3. the wall time of `dotnet build --no-incremental` without and with the five networks, both for the whole
#      build (NetGen.Runtime and the generator rebuilt too) and for this project alone (--no-dependencies).
# Medians of RUNS builds each (default 3), runs of the two sides of a comparison interleaved.
#
#   benchmarks/CompileCost/measure.sh            # as the environment builds (UseSharedCompilation as set there)
#   RUNS=5 benchmarks/CompileCost/measure.sh
#   SERVER=1 benchmarks/CompileCost/measure.sh   # -p:UseSharedCompilation=true: through the compiler server, which
#                                                # keeps the generator loaded and jitted between builds; the server
#                                                # stays up afterwards (see its pid with: pgrep -f VBCSCompiler)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="$here/CompileCost.csproj"
runs="${RUNS:-3}"
generated="$here/obj/Release/net8.0/generated/NetGen.Generator/NetGen.Generator.NetworkGenerator"
logs="$(mktemp -d)"
server=()
if [[ "${SERVER:-0}" == 1 ]]; then
    server=(-p:UseSharedCompilation=true)
fi

# The median of the numbers on standard input, one a line.
median() {
    sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

build() {
    dotnet build "$project" -c Release -nologo "${server[@]}" "$@"
}

shared="${UseSharedCompilation:-unset, so true}"
if [[ ${#server[@]} -gt 0 ]]; then
    shared="true (SERVER=1)"
fi
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
    "SDK $(dotnet --version), UseSharedCompilation $shared"

# Restore, and build NetGen.Runtime and the generator once; a first build through a new compiler server starts it.
build -v:q > "$logs/prepare.log" || { cat "$logs/prepare.log"; exit 1; }
build -v:q --no-incremental --no-dependencies > /dev/null

echo
echo "## Generated files"
rm -rf "$generated"
build -v:q --no-incremental --no-dependencies > /dev/null
echo "| network | characters | lines |"
echo "| --- | ---: | ---: |"
for n in A B C D E; do
    file="$generated/CompileCost.Net$n.g.cs"
    echo "| $n | $(sed '1s/^\xEF\xBB\xBF//' "$file" | wc -m) | $(wc -l < "$file") |"
done

echo
echo "## ReportAnalyzer, this project alone (--no-incremental --no-dependencies), median of $runs builds"
echo "| networks | NetworkGenerator (s) | all generators (s) | Csc task (ms) | NetworkGenerator, every build (s) |"
echo "| --- | ---: | ---: | ---: | --- |"
configs=(none A B C D E A+B+C+D+E)
for r in $(seq "$runs"); do
    for c in "${configs[@]}"; do
        build -v:d -clp:PerformanceSummary --no-incremental --no-dependencies -p:Networks="$c" -p:ReportAnalyzer=true \
            > "$logs/report-$c-$r.log"
    done
done
for c in "${configs[@]}"; do
    generator=() total=() csc=()
    for r in $(seq "$runs"); do
        log="$logs/report-$c-$r.log"
        # "   0.944   40      NetGen.Generator.NetworkGenerator"; below a millisecond the compiler prints "<0.001"
        generator+=("$(awk '$NF == "NetGen.Generator.NetworkGenerator" { print $1; exit }' "$log")")
        total+=("$(awk '/Total generator execution time:/ { print $(NF - 1); exit }' "$log")")
        csc+=("$(awk '$2 == "ms" && $3 == "Csc" { print $1; exit }' "$log")")
    done
    # "<0.001" counts as 0 in the median, and a median of 0 is printed as "<0.001" again.
    g=$(printf '%s\n' "${generator[@]}" | sed 's/^<.*/0/' | median)
    if awk -v g="$g" 'BEGIN { exit !(g < 0.001) }'; then g="<0.001"; fi
    echo "| $c | $g | $(printf '%s\n' "${total[@]}" | median)" \
        "| $(printf '%s\n' "${csc[@]}" | median) | ${generator[*]} |"
done

echo
echo "## dotnet build --no-incremental wall time (s), median of $runs builds"
echo "| build | no network | five networks | difference | every build, no network / five |"
echo "| --- | ---: | ---: | ---: | --- |"
for scope in whole project; do
    extra=()
    if [[ "$scope" == project ]]; then
        extra=(--no-dependencies)
    fi
    none=() five=()
    for r in $(seq "$runs"); do
        for c in none A+B+C+D+E; do
            start=$(date +%s%N)
            build -v:q --no-incremental "${extra[@]}" -p:Networks="$c" > "$logs/wall-$scope-$c-$r.log"
            seconds=$(awk -v ns=$(($(date +%s%N) - start)) 'BEGIN { printf "%.2f", ns / 1e9 }')
            if [[ "$c" == none ]]; then none+=("$seconds"); else five+=("$seconds"); fi
        done
    done
    a=$(printf '%s\n' "${none[@]}" | median)
    b=$(printf '%s\n' "${five[@]}" | median)
    label="whole build (Runtime and generator too)"
    if [[ "$scope" == project ]]; then label="this project alone (--no-dependencies)"; fi
    echo "| $label | $a | $b | $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%+.2f", b - a }') | ${none[*]} / ${five[*]} |"
done

echo
echo "# load average at the end $(cut -d' ' -f1-3 /proc/loadavg); logs in $logs"
