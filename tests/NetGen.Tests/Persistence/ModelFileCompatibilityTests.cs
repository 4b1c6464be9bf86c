using System;
using System.IO;
using System.Runtime.InteropServices;
using NetGen;

namespace NetGen.Tests.Persistence;

/// <summary>
/// Parameter files saved by an earlier NetGen (Fixtures/*.ngp, written with the hand-written table CRC-32 that
/// System.IO.Hashing replaced) still load, into the values they were saved from, and saving those values again gives
/// the same bytes: the format, checksums included, has not moved.
/// </summary>
public class ModelFileCompatibilityTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Persistence", "Fixtures", name);

    [Fact]
    public void A_float_file_saved_before_loads_and_saves_to_the_same_bytes()
    {
        // WiderFloatNet (3 -> 5 LeakyReLU -> 2 Sigmoid, biases) initialised with seed 7, then saved.
        byte[] file = File.ReadAllBytes(Fixture("wider-float-seed7.ngp"));
        var expected = new WiderFloatNet();
        expected.InitializeParameters(7);
        var network = new WiderFloatNet();
        network.InitializeParameters(8);

        ModelFile.Load(network, Fixture("wider-float-seed7.ngp"));

        Assert.Equal(MemoryMarshal.AsBytes(expected.Parameters).ToArray(), MemoryMarshal.AsBytes(network.Parameters).ToArray());
        Assert.Equal(file, Save(network));
    }

    [Fact]
    public void A_double_file_saved_before_loads_and_saves_to_the_same_bytes()
    {
        byte[] file = File.ReadAllBytes(Fixture("small-double.ngp"));
        double[] values = [Math.PI, -0.0, double.Epsilon, -1e300, 1.0 / 3, 42];
        var network = new SmallDoubleNet();

        ModelFile.Load(network, new MemoryStream(file));

        Assert.Equal(MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), MemoryMarshal.AsBytes(network.Parameters).ToArray());
        Assert.Equal(file, Save(network));
    }

    [Fact]
    public void The_saved_checksums_are_the_ones_written_before()
    {
        // The two CRC-32s of the double file as the earlier code wrote them (bytes 24-27 and the last four).
        byte[] file = File.ReadAllBytes(Fixture("small-double.ngp"));
        Assert.Equal(0x222441C7u, BitConverter.ToUInt32(file, 24));
        Assert.Equal(0xF44E9DDEu, BitConverter.ToUInt32(file, file.Length - 4));
    }

    private static byte[] Save<T>(INetwork<T> network)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var stream = new MemoryStream();
        ModelFile.Save(network, stream);
        return stream.ToArray();
    }
}
