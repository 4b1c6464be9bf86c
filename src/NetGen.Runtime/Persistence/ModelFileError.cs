namespace NetGen;

/// <summary>Why <see cref="ModelFile"/> refused to load a parameter file: the <see cref="ModelFileException.Reason"/>.</summary>
public enum ModelFileError
{
    /// <summary>The data does not start with the NetGen parameter file's magic bytes: it is some other kind of file.</summary>
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
}
