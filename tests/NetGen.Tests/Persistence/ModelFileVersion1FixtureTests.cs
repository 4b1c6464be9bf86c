using System;
using System.IO;
using System.Runtime.InteropServices;
using NetGen;

namespace NetGen.Tests.Persistence;

/// <summary>
/// Fixtures/v1-wider-float-eighths.ngp was written by ModelFile.Save as it was before format version 2 existed (the
/// commit that added this test, before the writer changed): it must keep loading, into the same parameters, through
/// every Load overload, and saving those parameters without metadata must still give exactly its bytes.
/// </summary>
public class ModelFileVersion1FixtureTests
{
    private static string Fixture => Path.Combine(AppContext.BaseDirectory, "Persistence", "Fixtures", "v1-wider-float-eighths.ngp");

    /// <summary>The values the fixture was saved from: (i - 15) / 8, exact in float, and three special values first.</summary>
    internal static float[] Expected()
    {
        var values = new float[WiderFloatNet.ParameterCount];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (i - 15) / 8f;
        }

        values[0] = -0f;
        values[1] = float.Epsilon;
        values[2] = float.MaxValue;
        return values;
    }

    [Fact]
    public void The_version_1_fixture_is_version_1()
    {
        byte[] file = File.ReadAllBytes(Fixture);
        Assert.Equal(32 + (4 * WiderFloatNet.ParameterCount), file.Length);
        Assert.Equal(1, BitConverter.ToUInt16(file, 8));
    }

    [Fact]
    public void The_version_1_fixture_loads_to_the_parameters_it_was_saved_from()
    {
        var network = new WiderFloatNet();
        network.InitializeParameters(3);

        ModelFile.Load(network, Fixture);

        Assert.Equal(MemoryMarshal.AsBytes(Expected().AsSpan()).ToArray(), MemoryMarshal.AsBytes(network.Parameters).ToArray());
    }

    [Fact]
    public void Saving_the_same_parameters_without_metadata_gives_the_fixture_bytes()
    {
        var network = new WiderFloatNet();
        Expected().CopyTo(network.Parameters);
        var stream = new MemoryStream();

        ModelFile.Save(network, stream);

        Assert.Equal(File.ReadAllBytes(Fixture), stream.ToArray());
    }
}
