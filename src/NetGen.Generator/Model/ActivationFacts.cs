namespace NetGen.Generator.Model;

/// <summary>What the stages after the parser need to know about an activation, stated once.</summary>
internal static class ActivationFacts
{
    /// <summary>
    /// Whether the activation's slope is computed from the pre-activation z, which its output a cannot give back:
    /// GELU and SiLU are not one-to-one, ELU's slope e^z would lose its digits as a + 1 for very negative z, and
    /// Softplus' threshold (slope 1 above z = 20) is a test on z. A looped layer with one of them keeps z beside a for
    /// its backward pass (straight-line code has z in a local anyway). ReLU, LeakyReLU, Sigmoid and Tanh take their
    /// slopes from a.
    /// </summary>
    public static bool SlopeNeedsZ(Activation activation) =>
        activation is Activation.ELU or Activation.GELU or Activation.SiLU or Activation.Softplus;
}
