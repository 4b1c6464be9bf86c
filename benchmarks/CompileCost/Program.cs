using System;
using System.Linq;
using NetGen;

// Only here so that the project is a program; what matters is its build (see measure.sh). It lists the networks the
// build compiled, which is none when built with -p:Networks=none.
var networks = typeof(Program).Assembly.GetTypes()
    .Where(t => typeof(INetwork<float>).IsAssignableFrom(t))
    .OrderBy(t => t.Name, StringComparer.Ordinal);
foreach (Type type in networks)
{
    var network = (INetwork<float>)Activator.CreateInstance(type)!;
    Console.WriteLine($"{type.Name}: {network.InputCount} inputs, {network.OutputCount} outputs");
}
