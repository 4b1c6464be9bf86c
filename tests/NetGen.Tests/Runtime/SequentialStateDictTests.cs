using NetGen.Shared;

namespace NetGen.Tests.Runtime;

/// <summary>
/// The tensor-name grammar of src/Shared/SequentialStateDict.cs, which both safetensors readers bind with: the
/// names PyTorch's nn.Sequential gives its modules' parameters, and nothing else. (The binding itself is tested on the
/// shared fixtures by both readers: tests/Shared/SafeTensorsFixtures.cs.)
/// </summary>
public class SequentialStateDictTests
{
    [Theory]
    [InlineData("0.weight", 0, true)]
    [InlineData("0.bias", 0, false)]
    [InlineData("10.weight", 10, true)]
    [InlineData("2147483647.bias", int.MaxValue, false)]
    public void Names_PyTorch_writes_parse(string name, int module, bool isWeight)
    {
        Assert.True(SequentialStateDict.TryParseName(name, out int parsed, out bool weight));
        Assert.Equal(module, parsed);
        Assert.Equal(isWeight, weight);
    }

    [Theory]
    [InlineData("2147483648.weight")] // past int
    [InlineData("99999999999.weight")]
    [InlineData("00.weight")] // PyTorch never writes a leading zero
    [InlineData("01.bias")]
    [InlineData("+1.weight")]
    [InlineData("-1.weight")]
    [InlineData(" 1.weight")]
    [InlineData("1.weight ")]
    [InlineData("\u0661.weight")] // ARABIC-INDIC DIGIT ONE: a digit, but not ASCII
    [InlineData(".weight")]
    [InlineData("1.")]
    [InlineData("1")]
    [InlineData("")]
    [InlineData("1.Weight")]
    [InlineData("1.weights")]
    [InlineData("1.bia")]
    [InlineData("1.weight.bias")]
    [InlineData("model.0.weight")]
    [InlineData("0.running_mean")]
    public void Other_names_do_not(string name) => Assert.False(SequentialStateDict.TryParseName(name, out _, out _));

    [Fact]
    public void Only_the_four_converted_dtypes_bind()
    {
        foreach (string dtype in new[] { "F32", "F64", "F16", "BF16" })
        {
            Assert.True(SequentialStateDict.IsConvertibleDtype(dtype), dtype);
        }

        foreach (string dtype in new[] { "I8", "U8", "F8_E4M3", "C64", "f32", "" })
        {
            Assert.False(SequentialStateDict.IsConvertibleDtype(dtype), dtype);
        }
    }

    [Fact]
    public void Shapes_print_as_PyTorch_prints_them()
    {
        Assert.Equal("[]", SequentialStateDict.FormatShape([]));
        Assert.Equal("[4, 3]", SequentialStateDict.FormatShape([4UL, 3UL]));
        Assert.Equal("[18446744073709551615]", SequentialStateDict.FormatShape([ulong.MaxValue]));
    }
}
