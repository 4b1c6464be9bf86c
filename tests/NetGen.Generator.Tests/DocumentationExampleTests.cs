using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using NetGen.Generator.Tests.Harness;
using Xunit.Abstractions;

namespace NetGen.Generator.Tests;

/// <summary>
/// Every ```csharp block of README.md and of every markdown file under docs/ compiles, as a user's program would,
/// with the generator writing its networks: no error and no warning (but for missing XML comments on the example's
/// public networks). The blocks that are programs also run, each in an empty directory of its own, and exit with 0
/// within <see cref="RunTimeout"/>. The files are found, not listed, so a new page is checked as soon as it exists.
/// <para>
/// The markers a block may carry after <c>csharp</c> in its info string (<c>```csharp no-run</c>) are described in
/// <see cref="MarkdownSnippets"/> and, for writers, in docs/README.md: <c>fragment</c> (not compiled: shows a
/// compile error, or is an excerpt), <c>no-run</c> (compiled, not run), <c>name=N</c> and <c>continues=N</c> (compiled
/// after an earlier named block of the page), <c>files=path,...</c> (repository files as additional files and beside
/// the program).
/// </para>
/// </summary>
public sealed class DocumentationExampleTests(ITestOutputHelper output)
{
    /// <summary>A docs program is an example, not a benchmark: one that needs longer should be made smaller.</summary>
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    public static TheoryData<string> Blocks => [.. MarkdownSnippets.All.Where(s => !s.IsFragment).Select(s => s.Id)];

    [Fact]
    public void Blocks_are_found_in_README_and_docs_and_their_markers_are_known()
    {
        IReadOnlyList<MarkdownSnippet> all = MarkdownSnippets.All;
        Assert.Contains(all, s => s.File == "README.md");
        Assert.Contains(all, s => s.File.StartsWith("docs/", StringComparison.Ordinal));

        string[] problems = all.SelectMany(s => MarkdownSnippets.MarkerProblems(s, all).Select(p => $"{s.Id}: {p}")).ToArray();
        Assert.True(problems.Length == 0, string.Join("\n", problems));

        // Fragments are the exception: code that shows a compile error, or an excerpt of generated code.
        MarkdownSnippet[] fragments = all.Where(s => s.IsFragment).ToArray();
        output.WriteLine($"{all.Count} csharp blocks, {fragments.Length} fragments: {string.Join(", ", fragments.Select(s => s.Id))}");
        Assert.True(fragments.Length * 3 <= all.Count, $"{fragments.Length} of {all.Count} blocks are fragments");
    }

    [Fact]
    public void The_parser_reads_fences_markers_and_lines()
    {
        const string Markdown = "# T\n\n```csharp\nint a = 1;\n```\n\n- item\n\n   ```csharp no-run name=x\n   int b = 2;\n   ```\n\n```sh\nls\n```\n";
        MarkdownSnippet[] blocks = MarkdownSnippets.Parse("docs/t.md", Markdown).ToArray();

        Assert.Equal(2, blocks.Length);
        Assert.Equal(("docs/t.md", 3, "int a = 1;\n"), (blocks[0].File, blocks[0].Line, blocks[0].Code));
        Assert.Equal((9, "int b = 2;\n", "x"), (blocks[1].Line, blocks[1].Code, blocks[1].Name));
        Assert.True(blocks[1].IsNoRun);
    }

    [Fact]
    public void A_failing_block_is_reported_with_its_file_and_line()
    {
        // A statement after a type declaration: CS8803, at the statement's line of the markdown file (11 + 4).
        var block = new MarkdownSnippet("docs/t.md", 10, [], "using System;\n\npublic sealed class C;\n\nConsole.WriteLine(new C());\n");
        Diagnostic[] problems = Problems(Generate(block, [block]).Output);

        Diagnostic error = Assert.Single(problems);
        Assert.Equal("CS8803", error.Id);
        FileLinePositionSpan where = error.Location.GetMappedLineSpan();
        Assert.Equal(("docs/t.md", 15), (where.Path, where.StartLinePosition.Line + 1));
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void The_block_compiles_and_a_program_runs(string id)
    {
        IReadOnlyList<MarkdownSnippet> all = MarkdownSnippets.All;
        MarkdownSnippet block = all.Single(s => s.Id == id);
        IReadOnlyList<MarkdownSnippet> chain = MarkdownSnippets.Chain(block, all);
        string source = MarkdownSnippets.Compose(chain);
        GeneratorRun run = Generate(block, all);

        Diagnostic[] problems = Problems(run.Output);
        Assert.True(problems.Length == 0, $"{id} (code from line {block.FirstCodeLine}) does not compile cleanly:\n"
            + string.Join("\n", problems.Select(d => d.ToString())) + "\n\nThe code compiled:\n" + source);

        if (!MarkdownSnippets.IsProgram(source) || chain.Any(s => s.IsNoRun))
        {
            output.WriteLine(MarkdownSnippets.IsProgram(source) ? "a program, marked no-run: compiled only" : "not a program: compiled only");
            return;
        }

        Run(id, block, chain, run.Output);
    }

    /// <summary>NetGen.Runtime, NetGen.Onnx and what they reference that is not the framework's (Sep, System.IO.Hashing, Google.Protobuf).</summary>
    private static readonly Lazy<string[]> RuntimeAssemblies = new(() =>
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<System.Reflection.AssemblyName>([typeof(INetwork<>).Assembly.GetName(), typeof(NetGen.Onnx.OnnxExporter).Assembly.GetName()]);
        while (pending.TryPop(out System.Reflection.AssemblyName? name))
        {
            string path = Path.Combine(AppContext.BaseDirectory, name.Name + ".dll");
            if (File.Exists(path) && found.Add(path))
            {
                foreach (System.Reflection.AssemblyName reference in System.Reflection.Assembly.LoadFrom(path).GetReferencedAssemblies())
                {
                    pending.Push(reference);
                }
            }
        }

        return found.ToArray();
    });

    private static GeneratorRun Generate(MarkdownSnippet block, IReadOnlyList<MarkdownSnippet> all)
    {
        IReadOnlyList<MarkdownSnippet> chain = MarkdownSnippets.Chain(block, all);
        string source = MarkdownSnippets.Compose(chain);
        OutputKind kind = MarkdownSnippets.IsProgram(source) ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary;
        CSharpCompilation compilation = CSharpCompilation.Create(
            "DocumentationExample",
            [TestCompilation.Parse(source, block.File + ".cs")],
            [.. TestCompilation.References, MetadataReference.CreateFromFile(typeof(NetGen.Onnx.OnnxExporter).Assembly.Location)],
            TestCompilation.Options.WithOutputKind(kind));

        // As build/NetGen.targets hands them to the generator: a base64 copy named <file>.b64.
        IEnumerable<AdditionalText> files = chain.SelectMany(s => s.Files).Distinct().Select(path => (AdditionalText)new AdditionalTextFile(
            "obj/netgen/" + Path.GetFileName(path) + ".b64", Convert.ToBase64String(File.ReadAllBytes(RepositoryPaths.Combine(path)))));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new NetworkGenerator().AsSourceGenerator()], additionalTexts: files, parseOptions: TestCompilation.ParseOptions);
        return GeneratorHarness.Run(compilation, driver);
    }

    private static Diagnostic[] Problems(Compilation output) =>
        output.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id != "CS1591")
            .ToArray();

    /// <summary>Emits the program beside NetGen's assemblies and the block's files, and runs it with the test's runtime.</summary>
    private void Run(string id, MarkdownSnippet block, IReadOnlyList<MarkdownSnippet> chain, Compilation program)
    {
        string directory = Path.Combine(Path.GetTempPath(), "netgen-docs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            string dll = Path.Combine(directory, "DocumentationExample.dll");
            using (FileStream stream = File.Create(dll))
            {
                EmitResult emitted = program.Emit(stream);
                Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
            }

            File.WriteAllText(Path.ChangeExtension(dll, ".runtimeconfig.json"), $$"""
                { "runtimeOptions": { "tfm": "net{{Environment.Version.Major}}.{{Environment.Version.Minor}}", "framework": { "name": "Microsoft.NETCore.App", "version": "{{Environment.Version}}" } } }
                """);
            foreach (string assembly in RuntimeAssemblies.Value)
            {
                File.Copy(assembly, Path.Combine(directory, Path.GetFileName(assembly)));
            }

            foreach (string file in chain.SelectMany(s => s.Files).Distinct())
            {
                File.Copy(RepositoryPaths.Combine(file), Path.Combine(directory, Path.GetFileName(file)));
            }

            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", [dll])
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using Process process = Process.Start(start)!;
            System.Threading.Tasks.Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            System.Threading.Tasks.Task<string> stderr = process.StandardError.ReadToEndAsync();
            var clock = Stopwatch.StartNew();
            bool exited = process.WaitForExit(RunTimeout);
            if (!exited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            output.WriteLine($"{id} ran in {clock.Elapsed.TotalSeconds:F1} s, exit code {(exited ? process.ExitCode : -1)}:");
            output.WriteLine(stdout.Result);
            output.WriteLine(stderr.Result);
            Assert.True(exited, $"{id} (code from line {block.FirstCodeLine}) did not end within {RunTimeout.TotalSeconds} s; make the example smaller");
            Assert.True(process.ExitCode == 0, $"{id} (code from line {block.FirstCodeLine}) exited with {process.ExitCode}:\n{stdout.Result}\n{stderr.Result}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
