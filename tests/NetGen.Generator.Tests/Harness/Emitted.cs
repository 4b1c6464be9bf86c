using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;

namespace NetGen.Generator.Tests.Harness;

/// <summary>Emits a compilation to an in-memory image and loads it, so that generated code can be run.</summary>
internal static class Emitted
{
    /// <summary>The PE image of the compilation; fails the test with the diagnostics when it does not emit cleanly.</summary>
    public static byte[] Image(Compilation compilation)
    {
        using var stream = new MemoryStream();
        EmitResult result = compilation.Emit(stream);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Assert.Empty(result.Diagnostics);
        return stream.ToArray();
    }

    /// <summary>
    /// Loads the image into its own collectible context. NetGen.Runtime resolves to the copy the test host has
    /// already loaded, so the loaded networks implement the very <see cref="INetwork{T}"/> the test casts to.
    /// </summary>
    public static LoadedAssembly Load(byte[] image)
    {
        var context = new AssemblyLoadContext("NetGen.Generator.Tests." + Guid.NewGuid().ToString("N"), isCollectible: true);
        using var stream = new MemoryStream(image);
        return new LoadedAssembly(context, context.LoadFromStream(stream));
    }
}

/// <summary>An assembly loaded by <see cref="Emitted.Load"/>; disposing unloads it.</summary>
internal sealed class LoadedAssembly(AssemblyLoadContext context, Assembly assembly) : IDisposable
{
    public Assembly Assembly { get; } = assembly;

    public T Create<T>(string typeName) =>
        (T)Activator.CreateInstance(Assembly.GetType(typeName, throwOnError: true)!)!;

    public void Dispose() => context.Unload();
}
