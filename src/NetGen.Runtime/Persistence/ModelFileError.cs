namespace NetGen;

/// <summary>
/// Why <see cref="ModelFile"/> refused to load a parameter file, or <see cref="Standardizer{T}.Load(string)"/> a
/// standardiser file: the <see cref="ModelFileException.Reason"/>.
/// </summary>
public enum ModelFileError
{
    /// <summary>The data does not start with the NetGen parameter file's magic bytes (or a standardiser file its own): it is some other kind of file.</summary>
    NotAModelFile,

    /// <summary>The file was written in a format version this library does not read.</summary>
    UnsupportedVersion,

    /// <summary>The data ends before the header, the parameters or the checksum are complete.</summary>
    Truncated,

    /// <summary>A checksum does not match, or data follows the end of the file's contents: bytes were changed.</summary>
    Corrupted,

    /// <summary>The file holds parameters of another element type (for example <c>double</c> for a <c>float</c> network).</summary>
    WrongElementType,

    /// <summary>The file was saved from a network of another topology (another fingerprint or parameter count).</summary>
    TopologyMismatch,

    /// <summary>
    /// The checksums match, but the contents break the format's rules: a version 2 file's metadata section (or a
    /// standardiser file) declares a length past its end or over a documented limit, holds text that is not UTF-8, an
    /// entry twice, or statistics that are not finite or do not fit the network. A writer wrote it wrongly.
    /// </summary>
    InvalidMetadata,
}
