using System;
using System.IO;
using NAudio.Wave;

namespace EffectModel;

/// <summary>Mono 16-bit WAV files, read and written with NAudio, as floats in [-1, 1).</summary>
internal static class Audio
{
    public const int SampleRate = 48_000;

    /// <summary>Reads a mono 48 kHz WAV file into floats.</summary>
    public static float[] Read(string path)
    {
        using var reader = new WaveFileReader(path);
        if (reader.WaveFormat.Channels != 1 || reader.WaveFormat.SampleRate != SampleRate)
        {
            throw new InvalidDataException($"{path} is {reader.WaveFormat}; the sample reads mono {SampleRate} Hz audio.");
        }

        ISampleProvider samples = reader.ToSampleProvider();
        var values = new float[reader.SampleCount];
        int read = 0;
        while (read < values.Length)
        {
            int n = samples.Read(values, read, values.Length - read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return read == values.Length ? values : values[..read];
    }

    /// <summary>Writes floats as a mono 48 kHz 16-bit WAV file (values outside [-1, 1] are clipped).</summary>
    public static void Write(string path, ReadOnlySpan<float> values)
    {
        using var writer = new WaveFileWriter(path, new WaveFormat(SampleRate, 16, 1));
        var block = new float[4096];
        for (int start = 0; start < values.Length; start += block.Length)
        {
            int n = Math.Min(block.Length, values.Length - start);
            for (int i = 0; i < n; i++)
            {
                block[i] = Math.Clamp(values[start + i], -1f, 32767f / 32768f);
            }

            writer.WriteSamples(block, 0, n);
        }
    }
}
