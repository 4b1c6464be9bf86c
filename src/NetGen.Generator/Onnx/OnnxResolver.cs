using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;
using NetGen.Generator.Weights;

namespace NetGen.Generator.Onnx;

/// <summary>
/// An [OnnxNetwork] declaration with its model file read: the model to validate, plan and emit as an attribute-declared
/// network with those layers and the file's weights embedded; or, when the file cannot be used, the finding that says
/// why (on the path argument) and the stand-in members' needs.
/// </summary>
internal sealed record ImportedNetwork(NetworkModel Model, EquatableArray<double> Parameters, Findings? Failure = null);

/// <summary>The import step: finds a network's model among the additional files, reads it and maps it to layers.</summary>
internal static class OnnxResolver
{
    public static ImportedNetwork Import(NetworkModel model, EquatableArray<WeightsFile> files)
    {
        if (model.Spec is not { Model: { } path } spec)
        {
            return new ImportedNetwork(model, EquatableArray<double>.Empty);
        }

        string name = Path.GetFileName(path.Replace('\\', '/'));
        WeightsFile[] matches = files.Where(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (matches.Length != 1 || !path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            string why = !path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)
                ? " (NetGen compiles .onnx files)"
                : matches.Length > 1 ? $" (it matches {matches.Length} files named {name}; give them different names)" : string.Empty;
            return Fail(spec, DiagnosticDescriptors.OnnxFileNotFound, path, spec.TypeName, why);
        }

        ImportedModel imported;
        try
        {
            string text = matches[0].Base64 ?? string.Empty;

            // Checked before decoding, so that a huge file costs nothing: base64 holds 3 bytes in every 4 characters.
            if (text.Length / 4L * 3 > OnnxReader.MaxFileBytes)
            {
                throw new OnnxFormatException($"the file has about {text.Length / 4L * 3} bytes, more than the {OnnxReader.MaxFileBytes} NetGen reads (it embeds at most {WeightsResolver.MaxEmbeddedParameters} parameters)");
            }

            imported = OnnxImporter.Import(OnnxReader.Read(Convert.FromBase64String(text)));
        }
        catch (FormatException)
        {
            return Fail(spec, DiagnosticDescriptors.OnnxFileUnreadable, path, spec.TypeName,
                "its encoded copy is not base64 (is the NetGen package's build/NetGen.targets imported?)");
        }
        catch (OnnxFormatException e)
        {
            DiagnosticDescriptor descriptor = e.Problem switch
            {
                OnnxProblem.UnsupportedOperator => DiagnosticDescriptors.OnnxOperatorUnsupported,
                OnnxProblem.Unmappable => DiagnosticDescriptors.OnnxGraphUnmappable,
                _ => DiagnosticDescriptors.OnnxFileUnreadable,
            };
            return Fail(spec, descriptor, path, spec.TypeName, e.Message);
        }

        if (imported.Parameters.Length > WeightsResolver.MaxEmbeddedParameters)
        {
            return Fail(spec, DiagnosticDescriptors.NetworkTooLarge, spec.TypeName,
                $"its model has {imported.Parameters.Length} parameters, and NetGen embeds at most {WeightsResolver.MaxEmbeddedParameters}");
        }

        NetworkSpec filled = spec with
        {
            Element = imported.Element,
            Inputs = imported.Inputs,
            Layers = imported.Layers.Cast<LayerSpec>().ToEquatableArray(),
        };
        return new ImportedNetwork(new NetworkModel(filled, null), new EquatableArray<double>(imported.Parameters));
    }

    private static ImportedNetwork Fail(NetworkSpec spec, DiagnosticDescriptor descriptor, params string[] args) =>
        new(
            new NetworkModel(null, StubSpec.From(spec)),
            EquatableArray<double>.Empty,
            new Findings(
                StubSpec.MetadataName(spec.Namespace, spec.ContainingTypes, spec.TypeName),
                new EquatableArray<Finding>(new[] { Finding.Create(descriptor, Site.NetworkParameter(0, "path"), args) })));
}
