using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace NetGen.Generator.Tests.Topologies;

/// <summary>
/// Declarations compiled the way a user's build would: the generator runs over them in one compilation against the
/// net8.0 reference assemblies and NetGen.Runtime, the result is emitted to memory and loaded into a collectible
/// load context that shares the already-loaded NetGen.Runtime (so INetwork&lt;T&gt; is the same type on both sides).
/// </summary>
public sealed class CompiledNetworks : IDisposable
{
    private readonly RuntimeSharingLoadContext _context;
    private readonly Assembly _assembly;

    private CompiledNetworks(RuntimeSharingLoadContext context, Assembly assembly, ImmutableArray<SyntaxTree> generated, int sourceChars, int generatedChars)
    {
        _context = context;
        _assembly = assembly;
        Generated = generated;
        SourceChars = sourceChars;
        GeneratedChars = generatedChars;
    }

    /// <summary>The generated trees, for reading which layers the planner wrote as loops.</summary>
    public ImmutableArray<SyntaxTree> Generated { get; }

    public int SourceChars { get; }

    public int GeneratedChars { get; }

    /// <summary>
    /// Compiles <paramref name="declarations"/> (each a [Network] class in namespace <paramref name="ns"/>).
    /// Fails with every diagnostic if the generator reports anything or the compilation has a warning or error.
    /// </summary>
    public static CompiledNetworks Compile(string ns, IEnumerable<string> declarations)
    {
        var parse = new CSharpParseOptions(LanguageVersion.CSharp12);
        var trees = new List<SyntaxTree>();
        int chars = 0;

        // A few declarations per file, as a project would have them.
        foreach (string[] chunk in declarations.Chunk(25))
        {
            var text = new StringBuilder("using NetGen;\n\nnamespace " + ns + ";\n\n");
            foreach (string declaration in chunk)
            {
                text.Append(declaration).Append('\n');
            }

            chars += text.Length;
            trees.Add(CSharpSyntaxTree.ParseText(text.ToString(), parse, path: $"Networks{trees.Count}.cs"));
        }

        MetadataReference[] references =
        [
            .. Net80.References.All,
            MetadataReference.CreateFromFile(typeof(INetwork<>).Assembly.Location),
        ];
        var compilation = CSharpCompilation.Create(
            ns,
            trees,
            references,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                optimizationLevel: OptimizationLevel.Release,
                nullableContextOptions: NullableContextOptions.Enable,
                deterministic: true));

        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new NetworkGenerator().AsSourceGenerator()],
            parseOptions: parse);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        Assert.True(generatorDiagnostics.IsEmpty, "the generator reported: " + string.Join("\n", generatorDiagnostics));

        ImmutableArray<SyntaxTree> generated = [.. output.SyntaxTrees.Except(trees)];
        int generatedChars = generated.Sum(t => t.Length);

        // Emit reports every diagnostic of the compilation (asking GetDiagnostics first would bind it all twice).
        using var image = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult emitted = output.Emit(image);
        Diagnostic[] problems = emitted.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToArray();
        Assert.True(emitted.Success && problems.Length == 0, "the compilation reported:\n" + string.Join("\n", problems.Take(20)));
        image.Position = 0;

        var context = new RuntimeSharingLoadContext();
        Assembly assembly = context.LoadFromStream(image);
        return new CompiledNetworks(context, assembly, generated, chars, generatedChars);
    }

    /// <summary>A new instance of the class <paramref name="fullName"/>, as the interface every network implements.</summary>
    public INetwork<T> Create<T>(string fullName)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        Type type = _assembly.GetType(fullName, throwOnError: true)!;
        return (INetwork<T>)Activator.CreateInstance(type)!;
    }

    /// <summary>A new instance of the streaming model <paramref name="fullName"/> (a network with a recurrent layer).</summary>
    public ISequenceNetwork<T> CreateSequence<T>(string fullName)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        INetwork<T> network = Create<T>(fullName);
        Assert.True(network is ISequenceNetwork<T>, $"{fullName} does not implement ISequenceNetwork<{typeof(T).Name}>");
        return (ISequenceNetwork<T>)network;
    }

    public void Dispose() => _context.Unload();

    /// <summary>Loads the compiled networks; NetGen.Runtime resolves to the copy this test already runs with.</summary>
    private sealed class RuntimeSharingLoadContext() : AssemblyLoadContext("NetGen random topologies", isCollectible: true)
    {
        private static readonly Assembly Runtime = typeof(INetwork<>).Assembly;

        protected override Assembly? Load(AssemblyName assemblyName) =>
            assemblyName.Name == Runtime.GetName().Name ? Runtime : null;
    }
}
