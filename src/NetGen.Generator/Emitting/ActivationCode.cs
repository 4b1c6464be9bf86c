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
    /// and without a branch for the JIT to predict; LeakyReLU's 0.01 * z and ELU's e^z - 1 are NaN too. GELU, SiLU
    /// and Softplus are calls of the runtime's Activations, whose formulas (an erf, a stable sigmoid, a threshold
    /// and ln(1 + x)) are longer than a line should be.
    /// </summary>
    public static string Apply(EmitContext c, Activation activation, string z) => activation switch
    {
        Activation.ReLU => $"{c.T}.Max({z}, {c.Lit(0)})",
        Activation.LeakyReLU => $"{z} > {c.Lit(0)} ? {z} : {c.Lit(LeakyReLUSlope)} * {z}",
        Activation.Sigmoid => $"Activations.Sigmoid({z})",
        Activation.Tanh => $"Activations.Tanh({z})",
        Activation.ELU => $"{z} > {c.Lit(0)} ? {z} : {c.T}.Exp({z}) - {c.Lit(1)}",
        Activation.GELU => $"Activations.GELU({z})",
        Activation.SiLU => $"Activations.SiLU({z})",
        Activation.Softplus => $"Activations.Softplus({z})",
        _ => z,
    };

    public static string SlopeText(Activation activation) => activation switch
    {
        Activation.ReLU => " (1 where z > 0, else 0)",
        Activation.LeakyReLU => $" (1 where z > 0, else {Literals.Number(Model.ElementKind.Double, LeakyReLUSlope)})",
        Activation.Sigmoid => " (a * (1 - a))",
        Activation.Tanh => " (1 - a^2)",
        Activation.ELU => " (1 where z > 0, else e^z)",
        Activation.GELU => " (Phi(z) + z * phi(z), the normal distribution and density)",
        Activation.SiLU => " (s * (1 + z * (1 - s)), s = sigmoid(z))",
        Activation.Softplus => " (sigmoid(z), 1 where z > 20)",
        _ => " (1)",
    };

    /// <summary>
    /// dL/dz from dL/da: the slope of the activation, from z where it is a local (ReLU and LeakyReLU read more plainly
    /// so), else from a (a &gt; 0 exactly where z &gt; 0 for both). ELU, GELU, SiLU and Softplus need z
    /// (<see cref="Model.ActivationFacts.SlopeNeedsZ"/>: the planner has a looped layer keep it). At a NaN z the slopes
    /// are PyTorch's: ReLU and ELU pass dL/da on (their test is z &lt;= 0, false for NaN), LeakyReLU scales it by 0.01
    /// (its test is z &gt; 0), the others are NaN.
    /// </summary>
    public static string ApplySlope(EmitContext c, Activation activation, string slope, string? z, string a)
    {
        string zero = c.Lit(0);
        string one = c.Lit(1);
        string sign = z ?? a;
        if (z is null && Model.ActivationFacts.SlopeNeedsZ(activation))
        {
            throw new System.InvalidOperationException($"{activation}'s slope needs z, and the plan kept none.");
        }

        return activation switch
        {
            Activation.ReLU => $"{sign} <= {zero} ? {zero} : {slope}",
            Activation.LeakyReLU => $"{slope} * ({sign} > {zero} ? {one} : {c.Lit(LeakyReLUSlope)})",
            Activation.Sigmoid => $"{slope} * ({a} * ({one} - {a}))",
            Activation.Tanh => $"{slope} * ({one} - ({a} * {a}))",
            Activation.ELU => $"{z} <= {zero} ? {slope} * {c.T}.Exp({z}) : {slope}",
            Activation.GELU => $"{slope} * Activations.GELUSlope({z})",
            Activation.SiLU => $"{slope} * Activations.SiLUSlope({z})",
            Activation.Softplus => $"{slope} * Activations.SoftplusSlope({z})",
            _ => slope,
        };
    }
}
