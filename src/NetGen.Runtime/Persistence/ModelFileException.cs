using System.IO;

namespace NetGen;

/// <summary>
/// A parameter file (or a standardiser file) could not be loaded; <see cref="Reason"/> says why. The network's
/// parameters were not touched.
/// </summary>
public sealed class ModelFileException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">Why the file was refused.</param>
    /// <param name="message">What was found, and what was expected.</param>
    public ModelFileException(ModelFileError reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    /// <summary>Why the file was refused.</summary>
    public ModelFileError Reason { get; }
}
