using System;
using System.Diagnostics;
using System.IO;
using NetGen;
using NetGen.TestFixtures;

namespace NetGen.Interop.Tests;

/// <summary>
/// SafeTensors.Load on the files the generator's embedded weights are tested on too (tests/Shared/SafeTensorsFixtures.cs):
/// the same files fit, or are refused for the same tensor in the same words (the runtime counting layers from 0).
/// </summary>
public class SafeTensorsFixtureTests
{
    [Fact]
    public void The_fixture_network_is_the_fixtures_topology() => Assert.Equal(SafeTensorsFixtures.Topology, FixtureNet.Topology);

    [Theory]
    [MemberData(nameof(SafeTensorsFixtures.Names), MemberType = typeof(SafeTensorsFixtures))]
    public void Load_does_what_the_fixture_says(string name)
    {
        BindingFixture fixture = SafeTensorsFixtures.Get(name);
        foreach (Stream stream in new Stream[] { new MemoryStream(fixture.File), new TrickleStream(fixture.File, chunk: 4096) })
        {
            var network = new FixtureNet();
            network.InitializeParameters(seed: 3);
            float[] before = network.Parameters.ToArray();
            if (fixture.Parameters is { } expected)
            {
                SafeTensors.Load(network, stream);
                Assert.Equal(expected, network.Parameters.ToArray());
                continue;
            }

            SafeTensorsException e = Assert.Throws<SafeTensorsException>(() => SafeTensors.Load(network, stream));
            Assert.Equal(Enum.Parse<SafeTensorsError>(fixture.RunTimeReason!), e.Reason);
            Assert.Equal(fixture.TensorName, e.TensorName);
            if (fixture.ExpectedSentence(firstLayer: 0) is { } sentence)
            {
                Assert.Equal(sentence, e.Message);
            }

            Assert.Equal(before, network.Parameters.ToArray());
        }
    }

    [Fact]
    public void A_header_nested_100000_deep_is_refused_at_once()
    {
        // Utf8JsonReader stops at the header's depth limit (4) instead of descending: no recursion to overflow.
        BindingFixture fixture = SafeTensorsFixtures.Get("__metadata__ of 100,000 nested lists");
        Assert.InRange(fixture.File.Length, 200_000, 201_000);
        var watch = Stopwatch.StartNew();
        SafeTensorsException e = Assert.Throws<SafeTensorsException>(() => SafeTensors.Load(new FixtureNet(), new MemoryStream(fixture.File)));

        Assert.Equal(SafeTensorsError.MalformedHeader, e.Reason);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"{watch.Elapsed.TotalMilliseconds} ms");
    }
}
