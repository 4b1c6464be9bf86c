using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace NetGen.Generator.Tests.Harness;

/// <summary>
/// Builds a safetensors file byte by byte from the published format, independently of NetGen's reader: 8 bytes
/// little-endian header length, the JSON header, then the tensors' little-endian F32 data one after another. And its
/// base64 text, which is what build/NetGen.targets hands the generator as an additional file named *.safetensors.b64.
/// </summary>
internal static class SafeTensorsFile
{
    /// <summary>What the build targets append to the name of a .safetensors file.</summary>
    public const string Suffix = ".b64";

    /// <summary>An F32 file holding the tensors, named as an nn.Sequential's state_dict names them (0.weight, 0.bias, 2.weight...).</summary>
    public static byte[] F32(params (string Name, int[] Shape, float[] Values)[] tensors)
    {
        var data = new List<byte>();
        var entries = new List<string>();
        foreach ((string name, int[] shape, float[] values) in tensors)
        {
            Assert.Equal(shape.Aggregate(1, (a, b) => a * b), values.Length);
            int begin = data.Count;
            var bytes = new byte[4];
            foreach (float value in values)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
                data.AddRange(bytes);
            }

            entries.Add($"\"{name}\":{{\"dtype\":\"F32\",\"shape\":[{string.Join(",", shape)}],\"data_offsets\":[{begin},{data.Count}]}}");
        }

        byte[] header = Encoding.UTF8.GetBytes("{\"__metadata__\":{\"format\":\"pt\"}," + string.Join(",", entries) + "}");
        var file = new byte[8 + header.Length + data.Count];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        data.CopyTo(file, 8 + header.Length);
        return file;
    }

    /// <summary>The additional file the generator sees for <paramref name="fileName"/> (e.g. "w.safetensors"): its base64 copy.</summary>
    public static (string Path, string Text) AdditionalFile(string fileName, byte[] bytes) =>
        ("obj/netgen/" + fileName + Suffix, Convert.ToBase64String(bytes));
}
