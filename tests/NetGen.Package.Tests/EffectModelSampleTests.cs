using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;
using NAudio.Wave;

namespace NetGen.Package.Tests;

/// <summary>
/// samples/EffectModel's short run, end to end: a GRU trained for a few seconds on a quarter of the training windows
/// already tracks sox's overdrive and low-pass on the held-out audio far better than an untrained model
/// (whose error-to-signal ratio is about 1), and the run writes the model's output as a WAV file beside the target,
/// and a plot. In the package collection so that it never builds at the same time as the package fixture or the
/// NativeAOT publish.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed partial class EffectModelSampleTests
{
    [Fact]
    public void QuickRun_beats_an_untrained_model_on_held_out_audio_and_writes_the_output_wav_and_the_plot()
    {
        string output = DotNet.NewTemporaryDirectory("effect");
        (int exitCode, string log) = DotNet.Cli(
            DotNet.RepositoryRoot, $"run -c Release --project samples/EffectModel/EffectModel.csproj -- --quick --out \"{output}\"", 300);
        Assert.True(exitCode == 0, log);

        // The quick run measures 0.14 (the full run 0.003); an untrained or silent model measures about 1.
        Match esr = HeldOutEsr().Match(log);
        Assert.True(esr.Success, log);
        double value = double.Parse(esr.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(value < 0.5, $"held-out ESR {value}\n{log}");
        Assert.Matches(@"Training took [0-9.]+ s \([0-9.]+ s of CPU\)", log);
        Assert.Matches(@"Real-time factor [0-9]+x", log);
        Assert.Contains("Epoch  6/6", log); // one plain line per epoch when the output is not a terminal

        // The output is a readable 48 kHz mono WAV file as long as its target, and not silent.
        using (var target = new WaveFileReader(Path.Combine(output, "heldout_target.wav")))
        using (var written = new WaveFileReader(Path.Combine(output, "heldout_output.wav")))
        {
            Assert.Equal(48_000, written.WaveFormat.SampleRate);
            Assert.Equal(1, written.WaveFormat.Channels);
            Assert.Equal(target.SampleCount, written.SampleCount);
            ISampleProvider samples = written.ToSampleProvider();
            var buffer = new float[(int)written.SampleCount];
            Assert.Equal(buffer.Length, samples.Read(buffer, 0, buffer.Length));
            double sumOfSquares = 0;
            foreach (float v in buffer)
            {
                sumOfSquares += (double)v * v;
            }

            Assert.True(sumOfSquares / buffer.Length > 1e-3, $"mean square of the output {sumOfSquares / buffer.Length}");
        }

        byte[] png = File.ReadAllBytes(Path.Combine(output, "heldout.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
    }

    [GeneratedRegex(@"Held-out ESR ([0-9.]+)")]
    private static partial Regex HeldOutEsr();
}
