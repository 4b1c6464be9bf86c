#!/usr/bin/python3
"""PyTorch's numbers for small Dense stacks with every activation, for PyTorchFixtureTests (no Python needed there).

Run from this folder with Debian's PyTorch (python3-torch, 1.13): /usr/bin/python3 make_fixtures.py. It rewrites one
JSON file per network. Each network is an nn.Sequential of nn.Linear layers, each followed by its activation module,
in float64. Its parameters are PyTorch's default initialisation (drawn in float32, so that a float network holds the
same values) with biases drawn uniform in [-0.5, 0.5); its 9 inputs are float32 values uniform in [-2, 2).

A file holds, in NetGen's parameter layout (layer by layer: weight row-major [units, inputs] as nn.Linear.weight,
then bias):
  name, inputs, layers (units, activation, bias), loss;
  parameters;
  samples: for each of the 9, input, target, output (the model's forward pass), loss (of that sample alone);
  gradients: the loss's gradient of samples 0 and 1, each alone (what Backward adds);
  batch: the mean loss of all 9 and the gradient of that mean (what TrainBatch steps against).
Numbers are Python's repr of the double, which reads back exactly.
"""
import json

import torch
from torch import nn

torch.set_default_dtype(torch.float64)

ACTIVATIONS = ["Identity", "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "ELU", "GELU", "SiLU", "Softplus"]


def module(activation):
    return {
        "Identity": nn.Identity(),
        "ReLU": nn.ReLU(),
        "LeakyReLU": nn.LeakyReLU(0.01),
        "Sigmoid": nn.Sigmoid(),
        "Tanh": nn.Tanh(),
        "ELU": nn.ELU(),              # alpha 1
        "GELU": nn.GELU(),            # the exact erf form
        "SiLU": nn.SiLU(),
        "Softplus": nn.Softplus(),    # beta 1, threshold 20
        "Softmax": nn.Identity(),     # the loss takes the logits; the output is softmax(z), applied below
    }[activation]


def float32(t):
    return t.float().double()


def build(seed, inputs, layers):
    """The Linear modules with PyTorch's default initialisation, rounded to float32, and biases in [-0.5, 0.5)."""
    torch.manual_seed(seed)
    linears = []
    fan_in = inputs
    for units, _, bias in layers:
        linear = nn.Linear(fan_in, units, bias=bias)
        with torch.no_grad():
            linear.weight.copy_(float32(linear.weight))
            if bias:
                linear.bias.copy_(float32(torch.rand(units) - 0.5))
        linears.append(linear)
        fan_in = units
    return linears


def forward(linears, layers, x):
    z = x
    for linear, (_, activation, _) in zip(linears, layers):
        z = module(activation)(linear(z))
    return z  # for a Softmax last layer: the logits


def loss_of(logits, target, loss):
    if loss == "MeanSquaredError":
        return nn.functional.mse_loss(logits, target)
    if loss == "CrossEntropy":
        return -(target * torch.log_softmax(logits, dim=-1)).sum(dim=-1).mean()
    return nn.functional.binary_cross_entropy_with_logits(logits, target)


def gradient(linears):
    values = []
    for linear in linears:
        values += linear.weight.grad.reshape(-1).tolist()
        if linear.bias is not None:
            values += linear.bias.grad.tolist()
    for linear in linears:
        linear.zero_grad()
    return values


def parameters(linears):
    values = []
    for linear in linears:
        values += linear.weight.detach().reshape(-1).tolist()
        if linear.bias is not None:
            values += linear.bias.detach().tolist()
    return values


def fixture(name, seed, inputs, layers, loss):
    last = layers[-1][1]
    # BCE over a Sigmoid output and CE over Softmax take the logits, as NetGen's fused losses do.
    logits_layers = layers[:-1] + [(layers[-1][0], "Identity" if loss != "MeanSquaredError" else last, layers[-1][2])]
    linears = build(seed, inputs, layers)
    generator = torch.Generator().manual_seed(seed + 1)
    x = float32(torch.rand(9, inputs, generator=generator) * 4 - 2)
    outputs = layers[-1][0]
    if loss == "MeanSquaredError":
        t = float32(torch.rand(9, outputs, generator=generator) * 2 - 1)
    elif loss == "CrossEntropy":
        t = float32(torch.softmax(torch.rand(9, outputs, generator=generator) * 4, dim=-1))
    else:
        t = float32(torch.rand(9, outputs, generator=generator))

    samples = []
    per_sample = []
    for s in range(9):
        logits = forward(linears, logits_layers, x[s:s + 1])
        sample_loss = loss_of(logits, t[s:s + 1], loss)
        output = torch.softmax(logits, dim=-1) if last == "Softmax" else torch.sigmoid(logits) if loss == "BinaryCrossEntropy" else logits
        samples.append({"input": x[s].tolist(), "target": t[s].tolist(), "output": output[0].tolist(), "loss": sample_loss.item()})
        sample_loss.backward()
        g = gradient(linears)
        if s < 2:
            per_sample.append(g)

    # Over the batch each loss averages over samples (and mse_loss and BCE over outputs too): the mean of the samples'.
    batch_loss = loss_of(forward(linears, logits_layers, x), t, loss)
    batch_loss.backward()
    mean_gradient = gradient(linears)

    document = {
        "name": name,
        "inputs": inputs,
        "layers": [{"units": u, "activation": a, "bias": b} for u, a, b in layers],
        "loss": loss,
        "parameters": parameters(linears),
        "samples": samples,
        "gradients": per_sample,
        "batch": {"loss": batch_loss.item(), "gradient": mean_gradient},
    }
    with open(name + ".json", "w", encoding="ascii", newline="\n") as out:
        json.dump(document, out, separators=(",", ":"))
        out.write("\n")


for index, activation in enumerate(ACTIVATIONS):
    # 15 and 10 weights: straight-line code under CodeShape.Auto.
    fixture(f"{activation}-small", 100 + index, 3, [(5, activation, True), (2, activation, True)], "MeanSquaredError")
    # 640 and 192 weights (loops over the SIMD kernels, over the planner's 128), then 36 (straight-line under Auto).
    fixture(f"{activation}-wide", 200 + index, 40, [(16, activation, True), (12, activation, False), (3, activation, True)],
            "MeanSquaredError")

fixture("CrossEntropy-small", 300, 4, [(6, "GELU", True), (3, "Softmax", True)], "CrossEntropy")
fixture("CrossEntropy-wide", 301, 40, [(16, "SiLU", True), (12, "ELU", False), (3, "Softmax", True)], "CrossEntropy")
fixture("BinaryCrossEntropy-small", 302, 3, [(5, "Softplus", True), (2, "Sigmoid", True)], "BinaryCrossEntropy")
fixture("BinaryCrossEntropy-wide", 303, 40, [(16, "GELU", True), (12, "Softplus", False), (3, "Sigmoid", True)], "BinaryCrossEntropy")
