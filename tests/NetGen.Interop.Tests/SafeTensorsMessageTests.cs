using System;
using System.IO;
using System.Linq;
using System.Text;
using NetGen;
using Xunit.Abstractions;
using static NetGen.TestFixtures.SafeTensorsBytes;

namespace NetGen.Interop.Tests;

/// <summary>
/// SafeTensors.Load on files whose names (or dtypes, fields, numbers, shapes) are too long to quote: a message quotes
/// at most the first 100 characters and "…", and refusing allocates no copy of the long text.
/// </summary>
public sealed class SafeTensorsMessageTests(ITestOutputHelper output)
{
    private const string All =
        "\"0.weight\":{\"dtype\":\"F32\",\"shape\":[4,3],\"data_offsets\":[0,48]},"
        + "\"0.bias\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[48,64]},"
        + "\"2.weight\":{\"dtype\":\"F32\",\"shape\":[2,4],\"data_offsets\":[64,96]},"
        + "\"2.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[96,104]}";

    [Fact]
    public void A_40_million_character_tensor_name_is_quoted_by_its_start_and_costs_no_copy()
    {
        // The name is read once (40 MB of header, 80 MB as a .NET string); the message quotes 100 characters of it.
        const int length = 40_000_000;
        byte[] header = Encoding.ASCII.GetBytes("{\"" + new string('x', length) + "\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}");
        byte[] file = File(header, new byte[4]);
        var network = new TwoLayerNet();
        float[] before = network.Parameters.ToArray();
        GC.Collect();

        long start = GC.GetAllocatedBytesForCurrentThread();
        SafeTensorsException e = Assert.Throws<SafeTensorsException>(() => SafeTensors.Load(network, new MemoryStream(file)));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - start;
        output.WriteLine($"A {file.Length:N0}-byte file refused with {allocated:N0} bytes allocated; the message has {e.Message.Length} characters.");

        Assert.Equal(SafeTensorsError.UnexpectedTensor, e.Reason);
        Assert.Equal(length, e.TensorName!.Length);
        Assert.InRange(e.Message.Length, 100, 400);
        Assert.Contains("\"" + new string('x', 100) + "…\"", e.Message, StringComparison.Ordinal);
        Assert.InRange(allocated, 0, header.Length + (2L * length) + (1 << 20));
        Assert.Equal(before, network.Parameters.ToArray());
    }

    public static TheoryData<string, SafeTensorsError> LongTexts()
    {
        string name = new('n', 100_000);
        string entry = "{\"dtype\":\"F32\",\"shape\":[4,3],\"data_offsets\":[0,48]}";
        return new TheoryData<string, SafeTensorsError>
        {
            // A name given twice, a dtype, an unknown field, a number that is not an integer, a metadata key twice.
            { "{\"" + name + "\":" + entry + ",\"" + name + "\":" + entry + "}", SafeTensorsError.MalformedHeader },
            { "{\"0.weight\":{\"dtype\":\"" + name + "\",\"shape\":[4,3],\"data_offsets\":[0,48]}}", SafeTensorsError.UnsupportedDtype },
            { "{\"0.weight\":{\"dtype\":\"F32\",\"" + name + "\":1,\"shape\":[4,3],\"data_offsets\":[0,48]}}", SafeTensorsError.MalformedHeader },
            { "{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[4,3" + new string('9', 100_000) + ".5],\"data_offsets\":[0,48]}}", SafeTensorsError.MalformedHeader },
            { "{\"__metadata__\":{\"" + name + "\":\"a\",\"" + name + "\":\"b\"}," + All + "}", SafeTensorsError.MalformedHeader },
            { "{\"__metadata__\":{\"" + name + "\":1}," + All + "}", SafeTensorsError.MalformedHeader },
            // A weight of 100,000 dimensions of 1 (4 bytes, so its offsets are right): the shape is quoted shortened.
            { "{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[" + string.Join(",", Enumerable.Repeat("1", 100_000)) + "],\"data_offsets\":[0,4]}}", SafeTensorsError.ShapeMismatch },
        };
    }

    [Theory]
    [MemberData(nameof(LongTexts))]
    public void Every_message_quotes_at_most_the_start_of_a_long_text(string json, SafeTensorsError reason)
    {
        SafeTensorsException e = Assert.Throws<SafeTensorsException>(() => SafeTensors.Load(new TwoLayerNet(), new MemoryStream(File(json, new byte[104]))));

        Assert.Equal(reason, e.Reason);
        Assert.InRange(e.Message.Length, 1, 500);
        Assert.Contains("…", e.Message, StringComparison.Ordinal);
    }
}
