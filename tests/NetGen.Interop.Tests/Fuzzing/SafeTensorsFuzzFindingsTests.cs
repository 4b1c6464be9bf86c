using System;
using System.IO;
using System.Text;
using NetGen;
using static NetGen.TestFixtures.SafeTensorsBytes;

namespace NetGen.Interop.Tests.Fuzzing;

/// <summary>What fuzzing SafeTensors.Load found (SafeTensorsFuzzTests), each kept as the smallest file that shows it.</summary>
public class SafeTensorsFuzzFindingsTests
{
    /// <summary>
    /// A number that is not a 64-bit integer is quoted in the message by its first 100 characters; a token of 101 to
    /// 103 bytes was sliced to 104 before decoding, past its end: ArgumentOutOfRangeException, which Load does not
    /// document, instead of MalformedHeader. Found by the random mutants (a shape's number replaced by 101 digits).
    /// </summary>
    [Theory]
    [InlineData(100)]
    [InlineData(101)]
    [InlineData(102)]
    [InlineData(103)]
    [InlineData(104)]
    [InlineData(105)]
    public void A_number_of_101_to_103_digits_is_MalformedHeader_not_ArgumentOutOfRangeException(int digits)
    {
        string number = "1" + new string('0', digits - 1);
        string json = "{" + Entry("0.weight", "F32", "[2," + number + "]", 0, 24) + "}";
        var network = new FixtureNet();

        SafeTensorsException e = Assert.Throws<SafeTensorsException>(() => SafeTensors.Load(network, new MemoryStream(File(json, new byte[24]))));

        Assert.Equal(SafeTensorsError.MalformedHeader, e.Reason);
        Assert.Contains(digits <= 100 ? number : number[..100] + "…", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A streaming model's tensors are bound by sorting the file's modules by their paths; the comparison split both
    /// paths into parts every time it ran, so sorting n modules allocated n log n arrays: the huge-sizes list of
    /// SafeTensorsFuzzTests, whose 6.6 MB header of 100,000 empty tensors cost a Dense network 74 MB, cost a GRU
    /// network 205 MB (31 bytes per byte of the file, growing with the count; its bound is 32), and a file of 100,000
    /// five-part paths 729 MB (103 per byte). Each path is split once now: 139 MB for that file (20 per byte).
    /// </summary>
    [Fact]
    public void Sorting_fifty_thousand_modules_allocates_a_small_multiple_of_the_file_not_a_split_per_comparison()
    {
        var header = new StringBuilder("{");
        for (int i = 0; i < 50_000; i++)
        {
            header.Append(i == 0 ? "" : ",").Append("\"m").Append(49_999 - i).Append(".a.b.c.weight\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}");
        }

        byte[] file = File(header.Append('}').ToString());
        var network = new TorchGruFcNet();
        Load(network, file);

        long before = GC.GetAllocatedBytesForCurrentThread();
        SafeTensorsError reason = Load(network, file);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(SafeTensorsError.MissingTensor, reason);
        Assert.True(allocated < SafeTensorsFuzzTests.Bound(file.Length), $"{allocated:N0} bytes allocated for a file of {file.Length:N0}");
    }

    private static SafeTensorsError Load(INetwork<float> network, byte[] file) =>
        Assert.Throws<SafeTensorsException>(() => SafeTensors.Load(network, new MemoryStream(file))).Reason;
}
