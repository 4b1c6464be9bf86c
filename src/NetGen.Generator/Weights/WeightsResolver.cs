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

    public static ResolvedNetwork Resolve(ValidatedNetwork model, EquatableArray<WeightsFile> files)
    {
        NetworkSpec? spec = model.Spec;
        if (spec?.Weights is not { } weights)
        {
            return new ResolvedNetwork(spec, EquatableArray<double>.Empty, Stub: model.Stub);
        }

        string name = Path.GetFileName(weights.Replace('\\', '/'));
        WeightsFile[] matches = files.Where(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (matches.Length != 1 || !weights.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
        {
            string why = !weights.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)
                ? " (NetGen embeds .safetensors files)"
                : matches.Length > 1 ? $" (it matches {matches.Length} files named {name}; give them different names)" : string.Empty;
            return Fail(spec, DiagnosticDescriptors.WeightsFileNotFound, weights, spec.TypeName, why);
        }

        ParameterLayout layout = ParameterLayout.Of(spec);
        if (layout.ParameterCount > MaxEmbeddedParameters)
        {
            return Fail(spec, DiagnosticDescriptors.NetworkTooLarge, spec.TypeName,
                $"it has {layout.ParameterCount} parameters, and NetGen embeds at most {MaxEmbeddedParameters}; load the weights at run time with SafeTensors.Load instead");
        }

        List<Tensor> tensors;
        try
        {
            byte[] bytes = Convert.FromBase64String(matches[0].Base64 ?? string.Empty);
            tensors = SafeTensorsReader.Read(bytes);
        }
        catch (FormatException)
        {
            return Fail(spec, DiagnosticDescriptors.WeightsFileUnreadable, weights, spec.TypeName,
                "its encoded copy is not base64 (is the NetGen package's build/NetGen.targets imported?)");
        }
        catch (SafeTensorsFormatException e)
        {
            return Fail(spec, DiagnosticDescriptors.WeightsFileUnreadable, weights, spec.TypeName, e.Message);
        }
        catch (OverflowException)
        {
            return Fail(spec, DiagnosticDescriptors.WeightsFileUnreadable, weights, spec.TypeName, "a tensor's size overflows");
        }

        try
        {
            return new ResolvedNetwork(spec, new EquatableArray<double>(WeightsBinder.Bind(layout, tensors)));
        }
        catch (SafeTensorsFormatException e)
        {
            return Fail(spec, DiagnosticDescriptors.WeightsMismatch, weights, spec.TypeName, e.Message);
        }
    }

    private static ResolvedNetwork Fail(NetworkSpec spec, Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, params string[] args) =>
        new(
            null,
            EquatableArray<double>.Empty,
            new Findings(
                StubSpec.MetadataName(spec.Namespace, spec.ContainingTypes, spec.TypeName),
                new EquatableArray<Finding>(new[] { Finding.Create(descriptor, Site.NetworkProperty("Weights"), args) })),
            StubSpec.From(spec));
}
