using System;
using System.Collections;
using System.Linq.Expressions;
using System.Reflection;

namespace NetGen.Generator.Tests.Fuzzing;

/// <summary>
/// The generator's file readers, called directly for the bulk of the fuzzing (a read takes microseconds, a generator
/// run milliseconds). They are internal, and an InternalsVisibleTo would not do: it would make the generator's
/// internal copy of NetGen.Activation (and LossFunction, CodeShape) visible here beside the runtime's public one, so
/// every use of them in these tests would be ambiguous. So they are bound once by reflection into delegates, through
/// which exceptions come unwrapped.
/// </summary>
internal static class GeneratorReaders
{
    private static readonly Assembly Generator = typeof(NetworkGenerator).Assembly;

    /// <summary>What the weights step catches around the reader (WeightsResolver.Resolve): each becomes NG0018.</summary>
    public static readonly Type SafeTensorsFormatException = Type("NetGen.Generator.Weights.SafeTensorsFormatException");

    /// <summary>What the import step catches around the reader and the mapping (OnnxResolver.Import): NG0026 to NG0028.</summary>
    public static readonly Type OnnxFormatException = Type("NetGen.Generator.Onnx.OnnxFormatException");

    /// <summary>SafeTensorsReader.Read: the file's tensors (a List&lt;Tensor&gt;).</summary>
    public static readonly Func<byte[], IList> ReadSafeTensors = Bind<Func<byte[], IList>>(
        file => Expression.Convert(Expression.Call(Method("NetGen.Generator.Weights.SafeTensorsReader", "Read"), file), typeof(IList)));

    /// <summary>OnnxImporter.Import(OnnxReader.Read(file)): the model mapped to layers (an ImportedModel).</summary>
    public static readonly Func<byte[], object> ImportOnnx = Bind<Func<byte[], object>>(
        file => Expression.Convert(
            Expression.Call(Method("NetGen.Generator.Onnx.OnnxImporter", "Import"), Expression.Call(Method("NetGen.Generator.Onnx.OnnxReader", "Read"), file)),
            typeof(object)));

    /// <summary>The diagnostic an OnnxFormatException becomes: its Problem (Unreadable, UnsupportedOperator, Unmappable).</summary>
    public static string OnnxProblem(Exception e) => OnnxFormatException.GetProperty("Problem")!.GetValue(e)!.ToString()!;

    /// <summary>An ImportedModel's parameter count.</summary>
    public static int ParameterCount(object imported) => ((double[])imported.GetType().GetProperty("Parameters")!.GetValue(imported)!).Length;

    private static Type Type(string name) => Generator.GetType(name, throwOnError: true)!;

    private static MethodInfo Method(string type, string name) =>
        Type(type).GetMethod(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static) ?? throw new MissingMethodException(type, name);

    private static TDelegate Bind<TDelegate>(Func<ParameterExpression, Expression> body)
    {
        ParameterExpression file = Expression.Parameter(typeof(byte[]), "file");
        return Expression.Lambda<TDelegate>(body(file), file).Compile();
    }
}
