namespace NetGen.Generator.Emitting;

/// <summary>
/// Each activation and its slope as C#, for every kind of layer. Softmax is not here: it couples a layer's nodes and
/// meets the loss, so <see cref="OutputEmitter"/> writes it.
/// </summary>
internal static class ActivationCode
{
    /// <summary>LeakyReLU's slope below 0: the one the runtime's Activations.LeakyReLU uses (and PyTorch's default).</summary>
    public const double LeakyReLUSlope = NetGen.Shared.ActivationConstants.LeakyReLUNegativeSlope;

    /// <summary>
    /// The activation applied to the expression z. Each keeps a NaN z as NaN, as PyTorch does: ReLU is Max(z, 0),
    /// whose .NET definition returns NaN when either argument is NaN (and +0 for z = -0, as z &gt; 0 ? z : 0 did),
    /// and without a branch for the JIT to predict; LeakyReLU's 0.01 * z is NaN too.
    /// </summary>
    public static string Apply(EmitContext c, Activation activation, string z) => activation switch
    {
        Activation.ReLU => $"{c.T}.Max({z}, {c.Lit(0)})",
        Activation.LeakyReLU => $"{z} > {c.Lit(0)} ? {z} : {c.Lit(LeakyReLUSlope)} * {z}",
        Activation.Sigmoid => $"Activations.Sigmoid({z})",
        Activation.Tanh => $"Activations.Tanh({z})",
        _ => z,
    };

    public static string SlopeText(Activation activation) => activation switch
    {
        Activation.ReLU => " (1 where z > 0, else 0)",
        Activation.LeakyReLU => $" (1 where z > 0, else {Literals.Number(Model.ElementKind.Double, LeakyReLUSlope)})",
        Activation.Sigmoid => " (a * (1 - a))",
        Activation.Tanh => " (1 - a^2)",
        _ => " (1)",
    };

    /// <summary>
    /// dL/dz from dL/da: the slope of the activation, from z where it is a local (ReLU and LeakyReLU read more plainly
    /// so), else from a (a &gt; 0 exactly where z &gt; 0 for both). At a NaN z the slopes are PyTorch's: ReLU passes
    /// dL/da on (its test is z &lt;= 0, false for NaN), LeakyReLU scales it by 0.01 (its test is z &gt; 0).
    /// </summary>
    public static string ApplySlope(EmitContext c, Activation activation, string slope, string? z, string a)
    {
        string zero = c.Lit(0);
        string one = c.Lit(1);
        string sign = z ?? a;
        return activation switch
        {
            Activation.ReLU => $"{sign} <= {zero} ? {zero} : {slope}",
            Activation.LeakyReLU => $"{slope} * ({sign} > {zero} ? {one} : {c.Lit(LeakyReLUSlope)})",
            Activation.Sigmoid => $"{slope} * ({a} * ({one} - {a}))",
            Activation.Tanh => $"{slope} * ({one} - ({a} * {a}))",
            _ => slope,
        };
    }
}
