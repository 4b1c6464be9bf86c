using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;

namespace NetGen.Generator.Weights;

/// <summary>Finds a network's weights file among the additional files, reads it and binds it to the layers.</summary>
internal static class WeightsResolver
{
    /// <summary>Embedded weights are data in the assembly and literals in the source: past this, use a file at run time.</summary>
    public const int MaxEmbeddedParameters = 2_000_000;

    public static ResolvedNetwork Resolve(ParseResult result, EquatableArray<WeightsFile> files)
    {
        NetworkSpec? spec = result.Spec;
        if (spec?.Weights is not { } weights)
        {
            return new ResolvedNetwork(spec, EquatableArray<double>.Empty, result.Diagnostics);
        }

        LocationInfo? location = spec.WeightsLocation;
        string name = Path.GetFileName(weights.Replace('\\', '/'));
        WeightsFile[] matches = files.Where(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (matches.Length != 1 || !weights.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
        {
            string why = !weights.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)
                ? " (NetGen embeds .safetensors files)"
                : matches.Length > 1 ? $" (it matches {matches.Length} files named {name}; give them different names)" : string.Empty;
            return Fail(result, DiagnosticInfo.CreateAt(DiagnosticDescriptors.WeightsFileNotFound, location, weights, spec.TypeName, why));
        }

        ParameterLayout layout = ParameterLayout.Of(spec);
        if (layout.ParameterCount > MaxEmbeddedParameters)
        {
            return Fail(result, DiagnosticInfo.CreateAt(DiagnosticDescriptors.NetworkTooLarge, location, spec.TypeName,
                $"it has {layout.ParameterCount} parameters, and NetGen embeds at most {MaxEmbeddedParameters}; load the weights at run time with SafeTensors.Load instead"));
        }

        List<Tensor> tensors;
        try
        {
            byte[] bytes = Convert.FromBase64String(matches[0].Base64 ?? string.Empty);
            tensors = SafeTensorsReader.Read(bytes);
        }
        catch (FormatException)
        {
            return Fail(result, DiagnosticInfo.CreateAt(DiagnosticDescriptors.WeightsFileUnreadable, location, weights, spec.TypeName,
                "its encoded copy is not base64 (is the NetGen package's build/NetGen.targets imported?)"));
        }
        catch (SafeTensorsFormatException e)
        {
            return Fail(result, DiagnosticInfo.CreateAt(DiagnosticDescriptors.WeightsFileUnreadable, location, weights, spec.TypeName, e.Message));
        }
        catch (OverflowException)
        {
            return Fail(result, DiagnosticInfo.CreateAt(DiagnosticDescriptors.WeightsFileUnreadable, location, weights, spec.TypeName, "a tensor's size overflows"));
        }

        try
        {
            return new ResolvedNetwork(spec, new EquatableArray<double>(WeightsBinder.Bind(layout, tensors)), result.Diagnostics);
        }
        catch (SafeTensorsFormatException e)
        {
            return Fail(result, DiagnosticInfo.CreateAt(DiagnosticDescriptors.WeightsMismatch, location, weights, spec.TypeName, e.Message));
        }
    }

    private static ResolvedNetwork Fail(ParseResult result, DiagnosticInfo diagnostic) =>
        new(null, EquatableArray<double>.Empty, new EquatableArray<DiagnosticInfo>(result.Diagnostics.Append(diagnostic).ToArray()));
}
