namespace NetGen.Shared;

// Compiled into NetGen.Runtime (net8.0) and NetGen.Generator (netstandard2.0): plain C#, no dependencies.

/// <summary>
/// Numbers in the definitions of the activations that the generated code, the runtime and the ONNX export must agree
/// on. The runtime publishes them (NetGen.Activations); the generator, which cannot reference the runtime, writes
/// them into the generated code from here.
/// </summary>
internal static class ActivationConstants
{
    /// <summary>
    /// LeakyReLU's slope for z &lt;= 0: a = 0.01 z there, and da/dz = 0.01. PyTorch's default (nn.LeakyReLU's
    /// negative_slope), so weights trained there behave the same here.
    /// </summary>
    public const double LeakyReLUNegativeSlope = 0.01;
}
