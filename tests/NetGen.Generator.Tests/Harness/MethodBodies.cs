using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace NetGen.Generator.Tests.Harness;

/// <summary>The size of one method body as the JIT sees it.</summary>
/// <param name="Method">Type.Method, for messages.</param>
/// <param name="ILSize">Bytes of IL (the JIT stops optimising past about 60,000).</param>
/// <param name="Locals">Entries in the local signature (the JIT tracks at most 512).</param>
/// <param name="BasicBlocks">
/// Basic blocks found by decoding the IL: the first instruction, every branch target and every instruction after a
/// branch, return or throw, and every exception-handler boundary (the JIT gives up optimising past about 2,000).
/// </param>
internal readonly record struct MethodBodySize(string Method, int ILSize, int Locals, int BasicBlocks);

/// <summary>Reads every method body of a PE image with System.Reflection.Metadata, without loading it.</summary>
internal static class MethodBodies
{
    private static readonly OpCode?[] OneByte = new OpCode?[256];
    private static readonly OpCode?[] TwoByte = new OpCode?[256];

    static MethodBodies()
    {
        foreach (FieldInfo field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var opCode = (OpCode)field.GetValue(null)!;
            ushort value = unchecked((ushort)opCode.Value);
            if (opCode.Size == 1)
            {
                OneByte[value] = opCode;
            }
            else
            {
                TwoByte[value & 0xFF] = opCode;
            }
        }
    }

    public static ImmutableArray<MethodBodySize> Read(byte[] image)
    {
        using var pe = new PEReader(ImmutableArray.Create(image));
        MetadataReader metadata = pe.GetMetadataReader();
        var bodies = ImmutableArray.CreateBuilder<MethodBodySize>();
        foreach (TypeDefinitionHandle typeHandle in metadata.TypeDefinitions)
        {
            TypeDefinition type = metadata.GetTypeDefinition(typeHandle);
            foreach (MethodDefinitionHandle methodHandle in type.GetMethods())
            {
                MethodDefinition method = metadata.GetMethodDefinition(methodHandle);
                if (method.RelativeVirtualAddress == 0)
                {
                    continue;
                }

                MethodBodyBlock body = pe.GetMethodBody(method.RelativeVirtualAddress);
                byte[] il = body.GetILBytes() ?? [];
                bodies.Add(new MethodBodySize(
                    TypeName(metadata, type) + "." + metadata.GetString(method.Name),
                    il.Length,
                    LocalCount(metadata, body),
                    CountBasicBlocks(il, body.ExceptionRegions)));
            }
        }

        return bodies.ToImmutable();
    }

    private static int LocalCount(MetadataReader metadata, MethodBodyBlock body)
    {
        if (body.LocalSignature.IsNil)
        {
            return 0;
        }

        BlobReader signature = metadata.GetBlobReader(metadata.GetStandaloneSignature(body.LocalSignature).Signature);
        SignatureHeader header = signature.ReadSignatureHeader();
        Assert.Equal(SignatureKind.LocalVariables, header.Kind);
        return signature.ReadCompressedInteger();
    }

    private static string TypeName(MetadataReader metadata, TypeDefinition type)
    {
        string name = metadata.GetString(type.Name);
        TypeDefinitionHandle declaring = type.GetDeclaringType();
        return declaring.IsNil
            ? name
            : TypeName(metadata, metadata.GetTypeDefinition(declaring)) + "+" + name;
    }

    private static int CountBasicBlocks(byte[] il, ImmutableArray<ExceptionRegion> regions)
    {
        var leaders = new HashSet<int> { 0 };
        foreach (ExceptionRegion region in regions)
        {
            leaders.Add(region.TryOffset);
            leaders.Add(region.TryOffset + region.TryLength);
            leaders.Add(region.HandlerOffset);
            leaders.Add(region.HandlerOffset + region.HandlerLength);
            if (region.Kind == ExceptionRegionKind.Filter)
            {
                leaders.Add(region.FilterOffset);
            }
        }

        int offset = 0;
        while (offset < il.Length)
        {
            OpCode opCode = il[offset] == 0xFE ? TwoByte[il[offset + 1]]!.Value : OneByte[il[offset]]!.Value;
            offset += opCode.Size;
            int next = offset + OperandSize(opCode.OperandType, il, offset);
            switch (opCode.OperandType)
            {
                case OperandType.ShortInlineBrTarget:
                    leaders.Add(next + (sbyte)il[offset]);
                    break;
                case OperandType.InlineBrTarget:
                    leaders.Add(next + ReadInt32(il, offset));
                    break;
                case OperandType.InlineSwitch:
                    int cases = ReadInt32(il, offset);
                    for (int i = 0; i < cases; i++)
                    {
                        leaders.Add(next + ReadInt32(il, offset + 4 + (4 * i)));
                    }

                    break;
            }

            if (opCode.FlowControl is FlowControl.Branch or FlowControl.Cond_Branch or FlowControl.Return or FlowControl.Throw)
            {
                leaders.Add(next);
            }

            offset = next;
        }

        return leaders.Count(leader => leader < il.Length);
    }

    private static int OperandSize(OperandType type, byte[] il, int offset) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * ReadInt32(il, offset)),
        _ => 4,
    };

    private static int ReadInt32(byte[] il, int offset) =>
        il[offset] | (il[offset + 1] << 8) | (il[offset + 2] << 16) | (il[offset + 3] << 24);
}
