// RTNeural side of the fresh-input Dense benchmark (docs/benchmarks.md, "Dense networks with fresh inputs: NetGen,
// RTNeural and PyTorch"), against RTNeural's compile-time API (RTNeural::ModelT with DenseT and ReLuActivationT).
// No RTNeural code lives in this repository: build.sh compiles this file against an RTNeural tree given on the
// command line, once with RTNEURAL_USE_XSIMD=1 and once with RTNEURAL_USE_EIGEN=1, for each compiler asked for.
//
// The networks are NetGen's (benchmarks/NetGen.Benchmarks/Comparison/Networks.cs): Dense NxN for N = 4, 8, 16, 32,
// 64 (N inputs -> Dense(N, ReLU) -> Dense(N), biases) and A 2-2-1 (no biases), B 4-8-3, C 64-32-10, D 784-128-10.
// For each, from the files written by `NetGen.Benchmarks --write-dense DIR`:
//   - loads NetGen's parameters (NAME.json: nn.Linear weights [out][in] and biases) with the layers' own setWeights
//     and setBias;
//   - runs the file's 4,096 check inputs (NAME.inputs.f32) and prints the largest absolute difference of any output
//     to NetGen's (NAME.outputs.f32) as maxdiff;
//   - times one model.forward(x) per call, its first output stored:
//       fresh   x is the next sample of a buffer of `fresh_samples` (from NAME.json: the length NetGen's benchmark
//               uses) samples uniform in [-1, 1), in order, wrapping around;
//       fixed   x is the buffer's first sample every call (the best case a branch predictor can learn).
//     Calls per round are calibrated to about ROUND_SECONDS; one warm-up round, then the median ns per call of
//     ROUNDS rounds (min and max of the fresh rounds printed too). The fresh and fixed rounds alternate.
//
// RTNeural's xsimd ModelT::forward reads its input with xsimd::load_aligned in whole batches (16 floats with
// AVX-512), and the Eigen one through an aligned Eigen::Map: so every sample of the buffer starts on a 64-byte
// boundary and is padded with zeros to a multiple of 16 floats (A, B, Dense4 and Dense8 are padded; from 16 inputs
// on the samples lie back to back, as in NetGen's buffer).
//
// Usage: rtneural_BACKEND DATA_DIR [ROUNDS=7] [ROUND_SECONDS=0.3] [NAMES=all, comma-separated]
// Prints `rtneural-BACKEND-COMPILER NAME fresh=NS fixed=NS fresh_min=NS fresh_max=NS maxdiff=D` lines.

#include <RTNeural/RTNeural.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
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

#if defined(__clang__)
static const char* const Compiler = "clang";
#elif defined(__GNUC__)
static const char* const Compiler = "gcc";
#else
static const char* const Compiler = "other";
#endif

namespace
{
// The padding unit of a sample: 16 floats, 64 bytes (an AVX-512 batch, and a multiple of Eigen's 32).
constexpr int Pad = 16;
constexpr size_t Alignment = 64;

template <int In, int Hidden, int Out, bool Bias>
using Mlp = RTNeural::ModelT<float, In, Out,
    RTNeural::DenseT<float, In, Hidden, Bias>,
    RTNeural::ReLuActivationT<float, Hidden>,
    RTNeural::DenseT<float, Hidden, Out, Bias>>;

using Clock = std::chrono::steady_clock;

double seconds(Clock::duration d)
{
    return std::chrono::duration<double>(d).count();
}

struct Timing
{
    double median, min, max;
};

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

long calibrate(const std::function<void(long)>& run, double roundSeconds)
{
    long calls = 16;
    for(;;)
    {
        auto start = Clock::now();
        run(calls);
        double elapsed = seconds(Clock::now() - start);
        if(elapsed >= 0.05)
            return std::max(1L, (long)(calls * roundSeconds / elapsed));
        calls *= 4;
    }
}

double round(const std::function<void(long)>& run, long calls)
{
    auto start = Clock::now();
    run(calls);
    return seconds(Clock::now() - start) * 1e9 / (double)calls;
}

struct AlignedFree
{
    void operator()(float* p) const { std::free(p); }
};
using Buffer = std::unique_ptr<float[], AlignedFree>;

Buffer alignedFloats(size_t count)
{
    size_t bytes = (count * sizeof(float) + Alignment - 1) / Alignment * Alignment;
    auto* p = static_cast<float*>(std::aligned_alloc(Alignment, bytes));
    if(p == nullptr)
    {
        std::fprintf(stderr, "cannot allocate %zu bytes\n", bytes);
        std::exit(1);
    }
    std::memset(p, 0, bytes);
    return Buffer(p);
}

std::vector<float> readFloats(const std::string& path, size_t count)
{
    std::ifstream file(path, std::ios::binary);
    std::vector<float> values(count);
    if(!file.read(reinterpret_cast<char*>(values.data()), (std::streamsize)(count * sizeof(float))))
    {
        std::fprintf(stderr, "cannot read %zu floats from %s\n", count, path.c_str());
        std::exit(1);
    }
    return values;
}

template <typename Layer>
void loadDense(Layer& layer, const nlohmann::json& stateDict, const std::string& key, bool bias)
{
    layer.setWeights(stateDict.at(key + ".weight").get<std::vector<std::vector<float>>>());
    if constexpr(Layer::dense_has_bias)
    {
        if(!bias)
        {
            std::fprintf(stderr, "%s: the file has no bias for a layer built with one\n", key.c_str());
            std::exit(1);
        }
        layer.setBias(stateDict.at(key + ".bias").get<std::vector<float>>().data());
    }
}

float sink = 0.0f;

template <int In, int Hidden, int Out, bool Bias>
void bench(const std::string& name, const std::string& directory, int rounds, double roundSeconds)
{
    using Model = Mlp<In, Hidden, Out, Bias>;
    const std::string path = directory + "/" + name;
    std::ifstream file(path + ".json");
    if(!file)
    {
        std::fprintf(stderr, "cannot open %s.json\n", path.c_str());
        std::exit(1);
    }

    nlohmann::json data;
    file >> data;
    const auto sizes = data.at("sizes").get<std::vector<int>>();
    const auto bias = data.at("bias").get<std::vector<bool>>();
    if(sizes != std::vector<int> { In, Hidden, Out } || bias != std::vector<bool> { Bias, Bias })
    {
        std::fprintf(stderr, "%s: the file's network is not this harness's %d-%d-%d\n", name.c_str(), In, Hidden, Out);
        std::exit(1);
    }

    auto model = std::make_unique<Model>();
    Model& m = *model;
    loadDense(m.template get<0>(), data.at("state_dict"), "0", Bias);
    loadDense(m.template get<2>(), data.at("state_dict"), "2", Bias);

    constexpr int Stride = (In + Pad - 1) / Pad * Pad;

    // Agreement: every output of the check samples against NetGen's.
    const size_t checks = data.at("check_samples").get<size_t>();
    const auto inputs = readFloats(path + ".inputs.f32", checks * In);
    const auto expected = readFloats(path + ".outputs.f32", checks * Out);
    Buffer x = alignedFloats(Stride);
    double maxdiff = 0.0;
    for(size_t s = 0; s < checks; ++s)
    {
        std::copy(&inputs[s * In], &inputs[s * In] + In, x.get());
        m.forward(x.get());
        const float* y = m.getOutputs();
        for(int o = 0; o < Out; ++o)
        {
            double d = std::fabs((double)y[o] - (double)expected[s * Out + o]);
            maxdiff = std::isfinite(d) ? std::max(maxdiff, d) : INFINITY;
        }
    }

    // The timing buffer: fresh_samples samples of In values uniform in [-1, 1), each padded to Stride with zeros.
    const int samples = data.at("fresh_samples").get<int>();
    if(samples <= 0 || (samples & (samples - 1)) != 0)
    {
        std::fprintf(stderr, "%s: fresh_samples %d is not a power of two\n", name.c_str(), samples);
        std::exit(1);
    }
    const int mask = samples - 1;
    Buffer buffer = alignedFloats((size_t)samples * Stride);
    std::mt19937 random(11);
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    for(int s = 0; s < samples; ++s)
        for(int k = 0; k < In; ++k)
            buffer[(size_t)s * Stride + k] = uniform(random);

    const float* in = buffer.get();
    float out[1] = { 0.0f };
    int next = 0;

    auto fresh = [&](long calls)
    {
        int i = next;
        for(long c = 0; c < calls; ++c)
        {
            out[0] = m.forward(in + (size_t)i * Stride);
            i = (i + 1) & mask;
        }
        next = i;
    };
    auto fixed = [&](long calls)
    {
        for(long c = 0; c < calls; ++c)
            out[0] = m.forward(in);
    };

    const long freshCalls = calibrate(fresh, roundSeconds);
    const long fixedCalls = calibrate(fixed, roundSeconds);
    fresh(freshCalls); // warm-up rounds
    fixed(fixedCalls);
    std::vector<double> freshNs, fixedNs;
    for(int r = 0; r < rounds; ++r)
    {
        freshNs.push_back(round(fresh, freshCalls));
        fixedNs.push_back(round(fixed, fixedCalls));
    }

    sink += out[0];
    std::printf("rtneural-%s-%s %s fresh=%.1f fixed=%.1f fresh_min=%.1f fresh_max=%.1f maxdiff=%.3g\n", Backend,
        Compiler, name.c_str(), median(freshNs), median(fixedNs), *std::min_element(freshNs.begin(), freshNs.end()),
        *std::max_element(freshNs.begin(), freshNs.end()), maxdiff);
    std::fflush(stdout);
}

struct Entry
{
    const char* name;
    void (*run)(const std::string&, const std::string&, int, double);
};

const Entry Networks[] = {
    { "Dense4", bench<4, 4, 4, true> },
    { "Dense8", bench<8, 8, 8, true> },
    { "Dense16", bench<16, 16, 16, true> },
    { "Dense32", bench<32, 32, 32, true> },
    { "Dense64", bench<64, 64, 64, true> },
    { "A", bench<2, 2, 1, false> },
    { "B", bench<4, 8, 3, true> },
    { "C", bench<64, 32, 10, true> },
    { "D", bench<784, 128, 10, true> },
};
} // namespace

int main(int argc, char** argv)
{
    if(argc < 2)
    {
        std::fprintf(stderr, "usage: %s DATA_DIR [ROUNDS=7] [ROUND_SECONDS=0.3] [NAMES]\n", argv[0]);
        return 2;
    }

    const std::string directory = argv[1];
    const int rounds = argc > 2 ? std::atoi(argv[2]) : 7;
    const double roundSeconds = argc > 3 ? std::atof(argv[3]) : 0.3;
    const std::string names = argc > 4 ? "," + std::string(argv[4]) + "," : "";

#if RTNEURAL_USE_XSIMD
    std::printf("# RTNeural xsimd backend: xsimd %d.%d.%d, arch %s, batch of %d floats, RTNEURAL_DEFAULT_ALIGNMENT %d",
        XSIMD_VERSION_MAJOR, XSIMD_VERSION_MINOR, XSIMD_VERSION_PATCH, xsimd::default_arch::name(),
        (int)xsimd::batch<float>::size, RTNEURAL_DEFAULT_ALIGNMENT);
#else
    std::printf("# RTNeural Eigen backend: Eigen %d.%d.%d, SIMD %s, RTNEURAL_DEFAULT_ALIGNMENT %d",
        EIGEN_WORLD_VERSION, EIGEN_MAJOR_VERSION, EIGEN_MINOR_VERSION, Eigen::SimdInstructionSetsInUse(),
        RTNEURAL_DEFAULT_ALIGNMENT);
#endif
    std::printf("; compiler %s %s; rounds %d x %g s, ns per call (median)\n", Compiler, __VERSION__, rounds,
        roundSeconds);
    std::fflush(stdout);

    for(const Entry& e : Networks)
    {
        if(names.empty() || names.find("," + std::string(e.name) + ",") != std::string::npos)
            e.run(e.name, directory, rounds, roundSeconds);
    }
    return sink == 12345.678f ? 1 : 0;
}
