using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Tests.Harness;
using Xunit.Abstractions;

namespace NetGen.Generator.Tests.Fuzzing;

/// <summary>
/// What the fuzzer found, each as the smallest program that shows it (the mutants it came from, by case seed of master
/// seed <see cref="GeneratorFuzzTests.MasterSeed"/>, are named in each test). Each must pass <see cref="FuzzOracle"/>
/// and say what the fixed generator does. A test whose bug is not fixed yet is skipped with "generator bug: ...".
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class FuzzRegressionTests(ITestOutputHelper output)
{
    private const string HintNames = "generator bug: hint names are unique only up to case and to the characters Identifiers.HintName replaces, so two networks can get the same one and AddSource throws (CS8785)";

    private const string InheritedNetwork = "generator bug: NG0015 looks for generated names among the base class's members before generation, so a base network declared in the same compilation has none yet";

    private const string LossShadowed = "generator bug: NG0016 looks only at 'Loss = Loss.X' on [Network]; any other unqualified Loss in the class's attribute arguments binds to the generated Loss method too";

    private const string TypeNamedVar = "generator bug: generated code declares locals with 'var', which binds to a user type named var";

    private const string GlobalSystem = "generator bug: a type named System in the global namespace hides the namespace System that the generated code names with global::";

    private const string DiagnosedName = "generator bug: the generated partial declaration repeats a class name the compiler diagnoses (file: CS9056, record: CS8860), so the diagnostic lands in the generated file too";

    /// <summary>Cases 186 (0x1F6FB96E6BC74034) and 1101 (0xD4035FDF8740D70F): two classes whose names differ in case only.</summary>
    [Fact(Skip = HintNames)]
    public void Two_networks_whose_names_differ_only_in_case_both_generate()
    {
        GeneratorRun run = AssertPasses("""
            using NetGen;

            [Network(2)]
            [Dense(1)]
            public partial class Net;

            [Network(2)]
            [Dense(1)]
            public partial class NET;
            """);

        Assert.Equal(2, run.Sources.Length);
        Assert.Empty(run.AllDiagnostics());
    }

    /// <summary>'_' is a letter of the hint name, and U+203F (a connector, allowed in identifiers) becomes one.</summary>
    [Fact(Skip = HintNames)]
    public void Two_networks_whose_names_map_to_the_same_hint_name_both_generate()
    {
        GeneratorRun run = AssertPasses("""
            using NetGen;

            [Network(2)]
            [Dense(1)]
            public partial class Net_;

            [Network(2)]
            [Dense(1)]
            public partial class Net‿;
            """);

        Assert.Equal(2, run.Sources.Length);
    }

    /// <summary>
    /// Cases 650 (0x3E0EF794D6713037) and 2083 (0x38F9ADF717C4D5CD): docs/diagnostics.md#ng0015 names "another network"
    /// as the example of a base class with generated names. Today Derived is generated, and its generated members hide
    /// BaseNet's with CS0108 warnings in the generated file (errors under TreatWarningsAsErrors).
    /// </summary>
    [Fact(Skip = InheritedNetwork)]
    public void A_network_derived_from_a_network_of_the_same_compilation_gets_NG0015()
    {
        GeneratorRun run = AssertPasses("""
            using NetGen;

            [Network(2)]
            [Dense(1)]
            public partial class BaseNet;

            [Network(2)]
            [Dense(1)]
            public partial class Derived : BaseNet;
            """);

        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("NG0015", diagnostic.Id);
        Assert.Contains("'BaseNet'", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
    }

    /// <summary>
    /// Case 4977 (0x639A36B97F6D692F): valid C# before generation ((Activation)1 is ReLU); after it, 'Loss' names the
    /// generated method and the compiler reports CS0119 on the user's attribute, with no NetGen diagnostic to explain it.
    /// </summary>
    [Theory(Skip = LossShadowed)]
    [InlineData("[Network(2)]", "[Dense(1, (Activation)Loss.CrossEntropy)]")]
    [InlineData("[Network(2, Code = (CodeShape)Loss.CrossEntropy)]", "[Dense(1)]")]
    [InlineData("[Network(2)]", "[Dense(1, Bias = Loss.CrossEntropy > Loss.MeanSquaredError)]")]
    public void Loss_written_without_NetGen_anywhere_in_the_attributes_gets_NG0016(string network, string layers)
    {
        string source = $"using NetGen;\n\n{network}\n{layers}\ninternal partial class Net;\n";
        Assert.Empty(FuzzOracle.Compile([source]).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        GeneratorRun run = AssertPasses(source);
        Assert.Contains(run.Diagnostics, d => d.Id == "NG0016");
    }

    /// <summary>Case 15519 (0xADFF133B070CDAB9): a class named var, which C# allows, breaks every network in its scope.</summary>
    [Fact(Skip = TypeNamedVar)]
    public void A_type_named_var_does_not_break_the_generated_code()
    {
        AssertCompilesCleanly("""
            using NetGen;

            internal sealed class var;

            [Network(2)]
            [Dense(3, Activation.ReLU)]
            [Dense(1)]
            internal partial class Net;
            """);
    }

    /// <summary>
    /// Case 9379 (0x2C813C69E90C067F) of a 40,000-case campaign: 'global::System.Span' finds the class System, not the
    /// namespace (CS0437, then CS0426 in the generated file). No generated code can name the namespace then, so NetGen
    /// should say so instead. (A class named NetGen there is harmless: [NetGen.Network] then binds to nothing, and
    /// nothing is generated.)
    /// </summary>
    [Fact(Skip = GlobalSystem)]
    public void A_type_named_System_in_the_global_namespace_gets_a_NetGen_diagnostic_not_broken_code()
    {
        GeneratorRun run = AssertPasses("""
            using NetGen;

            public sealed class System;

            namespace Models
            {
                [global::NetGen.Network(2)]
                [global::NetGen.Dense(1)]
                internal partial class Net;
            }
            """);

        Assert.NotEmpty(run.Diagnostics);
    }

    /// <summary>Cases 16311 (0x1F9732360C953EA4) and 29269 (0x85A4911C6BFEC660).</summary>
    [Theory(Skip = DiagnosedName)]
    [InlineData("file")]
    [InlineData("record")]
    public void A_class_name_the_compiler_diagnoses_is_not_repeated_into_the_generated_file(string name)
    {
        AssertPasses($"""
            using NetGen;

            [Network(2)]
            [Dense(1)]
            internal partial class {name};
            """);
    }

    /// <summary>
    /// Guards the oracle itself: user code that calls generated members with the wrong element type has an error
    /// before generation (no Forward with two arguments) and another after it, at the argument; that is the user's
    /// error moving, not one the generator added (found as false alarms at cases 18141 and 27051).
    /// </summary>
    [Fact]
    public void An_error_of_the_user_that_moves_within_its_statement_is_not_one_the_generator_added()
    {
        AssertPasses("""
            using NetGen;

            [Network<double>(2)]
            [Dense(1)]
            internal partial class Net
            {
                internal void Forward(float[] input) => Forward(input, new float[OutputCount]);
            }
            """);
    }

    private GeneratorRun AssertPasses(string source)
    {
        FuzzOutcome outcome = FuzzOracle.Run([source]);
        GeneratorRun run = GeneratorHarness.Run(FuzzOracle.Compile([source]));
        output.WriteLine($"generated: [{string.Join(", ", outcome.Generated)}], NetGen: [{string.Join(", ", outcome.NetGenIds)}]");
        Assert.True(outcome.Problems.Count == 0, string.Join("\n", outcome.Problems));
        return run;
    }

    private void AssertCompilesCleanly(string source)
    {
        GeneratorRun run = AssertPasses(source);
        Assert.NotEmpty(run.Sources);
        Assert.Empty(run.AllDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }
}
