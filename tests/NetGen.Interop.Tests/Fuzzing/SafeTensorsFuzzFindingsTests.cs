using System;
using System.IO;
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
}
