using System.Collections.Generic;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Validation;

/// <summary>
/// NG0030 to NG0032, and NG0011 for images: what [Network(channels, height, width)], [Conv2D] and [MaxPool2D] need, one
/// rule a method. The shapes are the parser's (each 2-D layer carries the shape feeding it), so a rule reads them
/// without recomputing the stack.
/// </summary>
internal static class ImageRules
{
    private static readonly string[] ImageParameters = ["channels", "height", "width"];

    /// <summary>NG0030: the image's sizes, a kernel's size and stride, and a pooling window are 1 or more; a padding 0 or more.</summary>
    public static void CheckSizes(NetworkSpec spec, List<Finding> findings)
    {
        if (spec.Image is { } image)
        {
            int[] sizes = [image.Channels, image.Height, image.Width];
            for (int d = 0; d < sizes.Length; d++)
            {
                if (sizes[d] < 1)
                {
                    findings.Add(Finding.Create(DiagnosticDescriptors.ImageSizeOutOfRange, Site.NetworkParameter(d, ImageParameters[d]),
                        ImageParameters[d], "[Network(channels, height, width)]", spec.TypeName, "1", Validator.Invariant(sizes[d])));
                }
            }
        }

        for (int i = 0; i < spec.Layers.Count; i++)
        {
            string layer = $"layer {Validator.Invariant(i + 1)}, a [{Kind(spec.Layers[i])}],";
            switch (spec.Layers[i])
            {
                case Conv2DLayerSpec convolution:
                    Check(convolution.KernelSize, 1, "kernel size", Site.LayerParameter(i, 1, "kernelSize"));
                    Check(convolution.Stride, 1, "stride", Site.LayerProperty(i, "Stride"));
                    Check(convolution.Padding, 0, "padding", Site.LayerProperty(i, "Padding"));
                    break;
                case MaxPool2DLayerSpec pooling:
                    Check(pooling.Size, 1, "size", Site.LayerParameter(i, 0, "size"));
                    break;
            }

            void Check(int value, int least, string what, Site site)
            {
                if (value < least)
                {
                    findings.Add(Finding.Create(DiagnosticDescriptors.ImageSizeOutOfRange, site,
                        what, layer.TrimEnd(','), spec.TypeName, Validator.Invariant(least), Validator.Invariant(value)));
                }
            }
        }
    }

    /// <summary>
    /// NG0032: a 2-D layer takes an image (the network's, or the 2-D layer's before it) in a feed-forward network, and is
    /// followed, in the end, by a Dense layer; compile-time weights do not bind it yet.
    /// </summary>
    public static void CheckPlacement(NetworkSpec spec, List<Finding> findings)
    {
        bool any = false;
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            LayerSpec layer = spec.Layers[i];
            if (!IsImageLayer(layer))
            {
                continue;
            }

            any = true;
            string number = Validator.Invariant(i + 1);
            string? why = null;
            if (spec.IsStreaming)
            {
                why = $"layer {number} is in a streaming model (it has a [Gru], [Lstm] or [Conv1D] layer, and one Forward call is one time step), and a 2-D layer takes a whole image; remove the streaming layers, or use [Conv1D] over time";
            }
            else if (spec.Image is null)
            {
                why = $"layer {number} takes an image, but the network is declared with one number of inputs; declare it as [Network(channels, height, width)], the inputs laid out CHW";
            }
            else if (i > 0 && !IsImageLayer(spec.Layers[i - 1]))
            {
                why = $"layer {number} comes after a [{Kind(spec.Layers[i - 1])}] layer, whose values have no rows and columns; put the [Conv2D] and [MaxPool2D] layers first";
            }
            else if (i == spec.Layers.Count - 1)
            {
                why = $"layer {number} is the last layer, and an image network's outputs come from a [Dense] layer, which reads the image values in CHW order; add [Dense(outputs)] after it";
            }

            if (why is not null)
            {
                findings.Add(Finding.Create(DiagnosticDescriptors.ImageLayerMisplaced, new Site(SiteKind.LayerArgument, i), spec.TypeName, Kind(layer), why));
            }
        }

        if (any && spec.Weights is not null)
        {
            findings.Add(Finding.Create(DiagnosticDescriptors.ImageLayerMisplaced, Site.NetworkProperty("Weights"), spec.TypeName, "Conv2D] or [MaxPool2D",
                "compile-time weights (Weights = ...) do not bind 2-D layers yet; remove Weights and copy the parameters in at run time (Parameters: a state_dict's tensors in layer order, each in PyTorch's layout)"));
        }
    }

    /// <summary>
    /// NG0031: a kernel fits in its padded input, a pooling window in its input. Checked only where the input's shape is
    /// known and the layer's own sizes hold (NG0030, NG0032 report the others).
    /// </summary>
    public static void CheckWindows(NetworkSpec spec, List<Finding> findings)
    {
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            string number = Validator.Invariant(i + 1);
            switch (spec.Layers[i])
            {
                case Conv2DLayerSpec { Input.IsKnown: true, KernelSize: >= 1, Stride: >= 1, Padding: >= 0 } convolution:
                    {
                        ImageShape input = convolution.Input;
                        long fits = System.Math.Min(input.Height, input.Width) + (2L * convolution.Padding);
                        if (convolution.KernelSize > fits)
                        {
                            findings.Add(Finding.Create(DiagnosticDescriptors.ImageWindowTooLarge, Site.LayerParameter(i, 1, "kernelSize"),
                                number, spec.TypeName, "Conv2D", Window(convolution.KernelSize), Describe(input, convolution.Padding),
                                $"use a kernel size of at most {fits.ToString(System.Globalization.CultureInfo.InvariantCulture)}, or more Padding"));
                        }

                        break;
                    }

                case MaxPool2DLayerSpec { Input.IsKnown: true, Size: >= 1 } pooling:
                    {
                        ImageShape input = pooling.Input;
                        int fits = System.Math.Min(input.Height, input.Width);
                        if (pooling.Size > fits)
                        {
                            findings.Add(Finding.Create(DiagnosticDescriptors.ImageWindowTooLarge, Site.LayerParameter(i, 0, "size"),
                                number, spec.TypeName, "MaxPool2D", Window(pooling.Size), Describe(input, 0),
                                $"use a size of at most {Validator.Invariant(fits)}"));
                        }

                        break;
                    }
            }
        }

        static string Window(int size) => $"{Validator.Invariant(size)}x{Validator.Invariant(size)}";

        static string Describe(ImageShape input, int padding) =>
            $"{Validator.Invariant(input.Channels)} channel{(input.Channels == 1 ? string.Empty : "s")} of {Validator.Invariant(input.Height)}x{Validator.Invariant(input.Width)}"
            + (padding == 0 ? string.Empty : $" padded by {Validator.Invariant(padding)} on every side");
    }

    /// <summary>
    /// NG0011: the image and every 2-D layer's output hold at most NetworkLimits.MaxInputs values, whose products, taken
    /// in 64 bits, would otherwise pass what an int (and the stack) can hold. Checked once the other image rules hold.
    /// </summary>
    public static void CheckValueCounts(NetworkSpec spec, List<Finding> findings)
    {
        if (spec.Image is not { IsKnown: true } image)
        {
            return;
        }

        if (image.Count > NetworkLimits.MaxInputs)
        {
            findings.Add(Finding.Create(DiagnosticDescriptors.NetworkTooLarge, Site.Network, spec.TypeName,
                $"its input image of {image} has {image.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)} values, and NetGen generates at most {NetworkLimits.MaxInputs} inputs"));
            return;
        }

        for (int i = 0; i < spec.Layers.Count; i++)
        {
            ImageShape output = spec.Layers[i] switch
            {
                Conv2DLayerSpec convolution => convolution.Output,
                MaxPool2DLayerSpec pooling => pooling.Output,
                _ => default,
            };
            if (output.IsKnown && output.Count > NetworkLimits.MaxUnits)
            {
                findings.Add(Finding.Create(DiagnosticDescriptors.NetworkTooLarge, Site.Network, spec.TypeName,
                    $"layer {Validator.Invariant(i + 1)}, a [{Kind(spec.Layers[i])}], puts out {output} = {output.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)} values, and NetGen generates at most {NetworkLimits.MaxUnits} per layer; use fewer channels, a larger stride or a [MaxPool2D] sooner"));
                return;
            }
        }
    }

    public static bool IsImageLayer(LayerSpec layer) => layer is Conv2DLayerSpec or MaxPool2DLayerSpec;

    /// <summary>The attribute's name as written, for the messages.</summary>
    public static string Kind(LayerSpec layer) => layer switch
    {
        Conv2DLayerSpec => "Conv2D",
        MaxPool2DLayerSpec => "MaxPool2D",
        Conv1DLayerSpec => "Conv1D",
        RecurrentLayerSpec recurrent => recurrent.Name,
        _ => "Dense",
    };
}
