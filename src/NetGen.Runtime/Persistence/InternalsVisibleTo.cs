using System.Runtime.CompilerServices;

// The runtime tests reach the CRC-32 and the atomic save's test hook.
[assembly: InternalsVisibleTo("NetGen.Tests")]
