using System.IO;

namespace NetGen;

/// <summary>
/// A safetensors file could not be loaded into a network; <see cref="Reason"/> says why, and <see cref="TensorName"/>
/// names the tensor concerned, when there is one. The network's parameters were not touched.
/// </summary>
public sealed class SafeTensorsException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">Why the file was refused.</param>
    /// <param name="message">What was found, and what was expected.</param>
    /// <param name="tensorName">The tensor concerned, if any.</param>
    public SafeTensorsException(SafeTensorsError reason, string message, string? tensorName = null)
        : base(message)
    {
        Reason = reason;
        TensorName = tensorName;
    }

    /// <summary>Why the file was refused.</summary>
    public SafeTensorsError Reason { get; }

    /// <summary>The name of the tensor concerned, such as <c>2.weight</c>; <see langword="null"/> when the error is not about one tensor.</summary>
    public string? TensorName { get; }
}
