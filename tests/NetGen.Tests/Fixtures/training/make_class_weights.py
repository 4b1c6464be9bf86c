"""Writes class_weights.json: PyTorch's class-weighted losses and their gradients, in float64, for
tests/NetGen.Tests/Training/ClassWeightTests.cs (nothing there runs Python).

Two cases, each a mini-batch of samples with integer labels, class weights and a network's parameters in NetGen's
layout (layer by layer: nn.Linear.weight row-major, then its bias):

* softmax: 3 -> 4 Tanh -> 3, torch.nn.CrossEntropyLoss(weight=w) on the logits, reduction='mean' (the sum of
  w[y_n] * l_n divided by the sum of w[y_n]); NetGen's network ends in Softmax with LossFunction.CrossEntropy.
* binary: 2 -> 1, the logit z; CrossEntropyLoss(weight=[w0, w1]) on the logits [0, z], which is
  BCELoss(weight=w[y], reduction='sum') on sigmoid(z) divided by the sum of w[y] (checked here); NetGen's network
  ends in Sigmoid with LossFunction.BinaryCrossEntropy.

Run: /usr/bin/python3 make_class_weights.py (PyTorch 1.13, Debian's python3-torch).
"""
import json

import torch

torch.manual_seed(7)
dtype = torch.float64


def parameters(*layers):
    values = []
    for layer in layers:
        values += layer.weight.detach().reshape(-1).tolist() + layer.bias.detach().tolist()
    return values


def gradients(*layers):
    values = []
    for layer in layers:
        values += layer.weight.grad.reshape(-1).tolist() + layer.bias.grad.tolist()
    return values


cases = {}

# Softmax: 7 samples, 3 classes, imbalanced (4 of class 0, 2 of class 1, 1 of class 2).
hidden = torch.nn.Linear(3, 4).to(dtype)
out = torch.nn.Linear(4, 3).to(dtype)
x = torch.randn(7, 3, dtype=dtype)
y = torch.tensor([0, 1, 0, 2, 0, 1, 0])
w = torch.tensor([0.5, 2.0, 3.5], dtype=dtype)
loss = torch.nn.CrossEntropyLoss(weight=w)(out(torch.tanh(hidden(x))), y)
loss.backward()
cases["softmax"] = {
    "parameters": parameters(hidden, out),
    "inputs": x.reshape(-1).tolist(),
    "labels": y.tolist(),
    "weights": w.tolist(),
    "loss": loss.item(),
    "gradient": gradients(hidden, out),
}

# Binary: 6 samples, 5 of class 0 and 1 of class 1.
line = torch.nn.Linear(2, 1).to(dtype)
x = torch.randn(6, 2, dtype=dtype)
y = torch.tensor([0, 0, 1, 0, 0, 0])
w = torch.tensor([1.0, 5.0], dtype=dtype)
z = line(x)[:, 0]
loss = torch.nn.CrossEntropyLoss(weight=w)(torch.stack([torch.zeros_like(z), z], dim=1), y)
bce = torch.nn.BCELoss(weight=w[y], reduction="sum")(torch.sigmoid(z), y.to(dtype)) / w[y].sum()
assert abs(loss.item() - bce.item()) < 1e-15, (loss.item(), bce.item())
loss.backward()
cases["binary"] = {
    "parameters": parameters(line),
    "inputs": x.reshape(-1).tolist(),
    "labels": y.tolist(),
    "weights": w.tolist(),
    "loss": loss.item(),
    "gradient": gradients(line),
}

cases["torch"] = torch.__version__
with open("class_weights.json", "w") as f:
    json.dump(cases, f, indent=1)
    f.write("\n")
