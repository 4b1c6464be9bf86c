// RTNeural side of the streaming peer benchmark (docs/benchmarks.md, "Streaming models: NetGen, RTNeural and
// PyTorch"), against RTNeural's compile-time API (RTNeural::ModelT and the *T layers). No RTNeural code lives in
// this repository: build.sh compiles this file against an RTNeural tree given on the command line, once with
// RTNEURAL_USE_XSIMD=1 (rtneural_xsimd) and once with RTNEURAL_USE_EIGEN=1 (rtneural_eigen).
//
// For each network file written by `NetGen.Benchmarks --write-streaming DIR` (a PyTorch state_dict, an input
// sequence, NetGen's ForwardSequence outputs for it from a zero state):
//   - loads the weights with RTNeural's own torch helpers (loadGRU, loadLSTM, loadDense: they transpose PyTorch's
//     [gates * units, inputs] matrices, swap PyTorch's r and z blocks into RTNeural's z, r order for the GRU, and sum
//     the LSTM's two biases);
//   - runs the sequence from a reset model and prints the largest absolute difference to NetGen's outputs (maxdiff);
//   - times, with the state carried on from call to call and a fresh input every call (the next value of a buffer
//     of 2^18 values uniform in [-1, 1), wrapping around, as in the NetGen and PyTorch harnesses):
//       step   one model.forward(&x) per call, its output stored;
//       bN     blocks of N = 64, 512, 2048 samples: RTNeural has no block API, so a block is the loop of
//              model.forward over the block's samples that a plugin's process callback runs, per sample.
//     Calls per round are calibrated to about ROUND_SECONDS; one warm-up round, then the median ns per sample of
//     ROUNDS rounds (min and max of the step rounds printed too).
//
// Usage: rtneural_BACKEND DATA_DIR [ROUNDS=7] [ROUND_SECONDS=0.3]
// Prints `rtneural-BACKEND NAME step=NS b64=NS b512=NS b2048=NS step_min=NS step_max=NS maxdiff=D` lines.

#include <RTNeural/RTNeural.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#if RTNEURAL_USE_XSIMD
static const char* const Backend = "xsimd";
#elif RTNEURAL_USE_EIGEN
static const char* const Backend = "eigen";
#else
#error "build with -DRTNEURAL_USE_XSIMD=1 or -DRTNEURAL_USE_EIGEN=1"
#endif

namespace
{
constexpr int BufferLength = 1 << 18;
constexpr int Mask = BufferLength - 1;
constexpr int Blocks[] = { 64, 512, 2048 };

using Gru8 = RTNeural::ModelT<float, 1, 1,
    RTNeural::GRULayerT<float, 1, 8>,
    RTNeural::DenseT<float, 8, 1>>;
using Lstm8 = RTNeural::ModelT<float, 1, 1,
    RTNeural::LSTMLayerT<float, 1, 8>,
    RTNeural::DenseT<float, 8, 1>>;
using Gru32 = RTNeural::ModelT<float, 1, 1,
    RTNeural::GRULayerT<float, 1, 32>,
    RTNeural::DenseT<float, 32, 1>>;
using Gru16x3 = RTNeural::ModelT<float, 1, 1,
    RTNeural::GRULayerT<float, 1, 16>,
    RTNeural::GRULayerT<float, 16, 16>,
    RTNeural::GRULayerT<float, 16, 16>,
    RTNeural::DenseT<float, 16, 1>>;

// Loads the recurrent layers 0 .. Count-1 of the model as layers l0 .. l{Count-1} of one PyTorch module "rec.",
// then the Dense layer after them as "dense.".
template <bool Lstm, int Count, typename Model>
void load(Model& model, const nlohmann::json& stateDict)
{
    RTNeural::modelt_detail::forEachInTupleRange<0, Count>(
        [&](auto& layer, size_t k)
        {
            if constexpr(Lstm)
                RTNeural::torch_helpers::loadLSTM<float>(stateDict, "rec.", layer, true, (int)k);
            else
                RTNeural::torch_helpers::loadGRU<float>(stateDict, "rec.", layer, true, (int)k);
        },
        model.getLayers());
    RTNeural::torch_helpers::loadDense<float>(stateDict, "dense.", model.template get<Count>());
}

using Clock = std::chrono::steady_clock;

double seconds(Clock::duration d)
{
    return std::chrono::duration<double>(d).count();
}

struct Timing
{
    double median, min, max;
};

// run(calls) does `calls` calls of `samplesPerCall` samples each. Returns ns per sample over the rounds.
Timing measure(const std::function<void(long)>& run, int samplesPerCall, int rounds, double roundSeconds)
{
    long calls = 16;
    for(;;)
    {
        auto start = Clock::now();
        run(calls);
        double elapsed = seconds(Clock::now() - start);
        if(elapsed >= 0.05)
        {
            calls = std::max(1L, (long)(calls * roundSeconds / elapsed));
            break;
        }
        calls *= 4;
    }

    run(calls); // warm-up round
    std::vector<double> results;
    for(int r = 0; r < rounds; ++r)
    {
        auto start = Clock::now();
        run(calls);
        double elapsed = seconds(Clock::now() - start);
        results.push_back(elapsed * 1e9 / ((double)calls * samplesPerCall));
    }

    std::vector<double> sorted = results;
    std::sort(sorted.begin(), sorted.end());
    double median = sorted.size() % 2 ? sorted[sorted.size() / 2]
                                      : (sorted[sorted.size() / 2 - 1] + sorted[sorted.size() / 2]) / 2;
    return { median, sorted.front(), sorted.back() };
}

std::vector<float> timingBuffer()
{
    // Any fixed uniform [-1, 1) sequence does; its length is what matters (see StreamingBenchmarks.cs).
    std::mt19937 random(11);
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    std::vector<float> buffer(BufferLength);
    for(auto& v : buffer)
        v = uniform(random);
    return buffer;
}

float sink = 0.0f;

template <typename Model, bool Lstm, int Count>
void bench(const std::string& name, const std::string& directory, int rounds, double roundSeconds)
{
    const std::string path = directory + "/" + name + ".json";
    std::ifstream file(path);
    if(!file)
    {
        std::fprintf(stderr, "cannot open %s\n", path.c_str());
        std::exit(1);
    }

    nlohmann::json data;
    file >> data;
    const auto units = data.at("units").get<std::vector<int>>();
    const std::string kind = data.at("kind").get<std::string>();
    if((int)units.size() != Count || kind != (Lstm ? "lstm" : "gru"))
    {
        std::fprintf(stderr, "%s: the file's network (%s x %zu) is not this harness's\n", name.c_str(), kind.c_str(),
            units.size());
        std::exit(1);
    }

    auto model = std::make_unique<Model>();
    load<Lstm, Count>(*model, data.at("state_dict"));

    // Agreement: the file's sequence from a reset model against NetGen's outputs.
    const auto inputs = data.at("inputs").get<std::vector<float>>();
    const auto expected = data.at("outputs").get<std::vector<float>>();
    model->reset();
    double maxdiff = 0.0;
    for(size_t t = 0; t < inputs.size(); ++t)
    {
        float y = model->forward(&inputs[t]);
        if(!std::isfinite(y))
            maxdiff = INFINITY;
        maxdiff = std::max(maxdiff, (double)std::fabs(y - expected[t]));
    }

    const std::vector<float> buffer = timingBuffer();
    std::vector<float> outputs(2048);
    const float* in = buffer.data();
    float* out = outputs.data();
    int next = 0;
    model->reset();
    Model& m = *model;

    auto step = [&](long calls)
    {
        int i = next;
        for(long c = 0; c < calls; ++c)
        {
            out[0] = m.forward(in + i);
            i = (i + 1) & Mask;
        }
        next = i;
    };

    Timing s = measure(step, 1, rounds, roundSeconds);
    std::printf("rtneural-%s %s step=%.1f", Backend, name.c_str(), s.median);
    for(int n : Blocks)
    {
        auto block = [&, n](long calls)
        {
            int i = next;
            for(long c = 0; c < calls; ++c)
            {
                const float* x = in + i;
                for(int j = 0; j < n; ++j)
                    out[j] = m.forward(x + j);
                i = (i + n) & Mask;
            }
            next = i;
        };
        Timing b = measure(block, n, rounds, roundSeconds);
        std::printf(" b%d=%.1f", n, b.median);
    }

    sink += outputs[0];
    std::printf(" step_min=%.1f step_max=%.1f maxdiff=%.3g\n", s.min, s.max, maxdiff);
    std::fflush(stdout);
}
} // namespace

int main(int argc, char** argv)
{
    if(argc < 2)
    {
        std::fprintf(stderr, "usage: %s DATA_DIR [ROUNDS=7] [ROUND_SECONDS=0.3]\n", argv[0]);
        return 2;
    }

    const std::string directory = argv[1];
    const int rounds = argc > 2 ? std::atoi(argv[2]) : 7;
    const double roundSeconds = argc > 3 ? std::atof(argv[3]) : 0.3;

#if RTNEURAL_USE_XSIMD
    std::printf("# RTNeural xsimd backend: xsimd %d.%d.%d, arch %s, batch of %d floats, RTNEURAL_DEFAULT_ALIGNMENT %d",
        XSIMD_VERSION_MAJOR, XSIMD_VERSION_MINOR, XSIMD_VERSION_PATCH, xsimd::default_arch::name(),
        (int)xsimd::batch<float>::size, RTNEURAL_DEFAULT_ALIGNMENT);
#else
    std::printf("# RTNeural Eigen backend: Eigen %d.%d.%d, SIMD %s, RTNEURAL_DEFAULT_ALIGNMENT %d",
        EIGEN_WORLD_VERSION, EIGEN_MAJOR_VERSION, EIGEN_MINOR_VERSION, Eigen::SimdInstructionSetsInUse(),
        RTNEURAL_DEFAULT_ALIGNMENT);
#endif
    std::printf("; compiler %s; rounds %d x %g s, ns per sample (median)\n", __VERSION__, rounds, roundSeconds);
    std::fflush(stdout);

    bench<Gru8, false, 1>("gru8", directory, rounds, roundSeconds);
    bench<Lstm8, true, 1>("lstm8", directory, rounds, roundSeconds);
    bench<Gru32, false, 1>("gru32", directory, rounds, roundSeconds);
    bench<Gru16x3, false, 3>("gru16x3", directory, rounds, roundSeconds);
    return sink == 12345.678f ? 1 : 0;
}
