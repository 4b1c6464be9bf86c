#!/usr/bin/python3
"""Trains a digit classifier in PyTorch and exports it to ONNX, for samples/OnnxDigits to compile.

Run with Debian's python3-torch 1.13 and python3-onnx (apt-get install python3-torch python3-onnx):

    /usr/bin/python3 samples/OnnxDigits/train_digits.py

It reads the optdigits files of samples/Digits/data (64 block counts 0-16 and a label a row), trains
64 -> 128 (GELU) -> 10 on standardized counts, then exports a model that takes the raw counts (the scaling
folded into the first layer's weights and biases) and ends in Softmax, so its outputs are probabilities. It writes
digits.onnx and expected.json (torch's own test accuracy and the first rows' probabilities, which the sample
and its test compare NetGen's with). Seeded: the same torch gives the same files.
"""
import csv
import json
import os

import numpy as np
import onnx
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "Digits", "data")
HIDDEN = 128


def read(name):
    with open(os.path.join(DATA, name)) as f:
        rows = list(csv.reader(f))[1:]
    values = np.array([[float(v) for v in row] for row in rows if row], dtype=np.float32)
    return torch.from_numpy(values[:, :64]), torch.from_numpy(values[:, 64].astype(np.int64))


def main():
    torch.manual_seed(0)
    train_x, train_y = read("optdigits.tra")
    test_x, test_y = read("optdigits.tes")

    # Standardized inputs train best; the scaling is folded into the exported first layer below.
    mean = train_x.mean(dim=0)
    std = train_x.std(dim=0, unbiased=False)
    std[std == 0] = 1
    model = nn.Sequential(nn.Linear(64, HIDDEN), nn.GELU(), nn.Linear(HIDDEN, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(20):
        order = torch.randperm(len(train_x))
        for start in range(0, len(order), 32):
            batch = order[start:start + 32]
            optimizer.zero_grad()
            loss = loss_fn(model((train_x[batch] - mean) / std), train_y[batch])
            loss.backward()
            optimizer.step()

    # The exported model takes raw counts: W ((x - m) / s) + b = (W / s) x + (b - (W / s) m). And ends in Softmax.
    exported = nn.Sequential(nn.Linear(64, HIDDEN), nn.GELU(), nn.Linear(HIDDEN, 10), nn.Softmax(dim=-1))
    with torch.no_grad():
        scaled = model[0].weight / std
        exported[0].weight.copy_(scaled)
        exported[0].bias.copy_(model[0].bias - scaled @ mean)
        exported[2].weight.copy_(model[2].weight)
        exported[2].bias.copy_(model[2].bias)
    exported.eval()
    with torch.no_grad():
        probabilities = exported(test_x)
        correct = int((probabilities.argmax(dim=1) == test_y).sum())
        logits_correct = int((model((test_x - mean) / std).argmax(dim=1) == test_y).sum())
    assert correct == logits_correct, (correct, logits_correct)

    path = os.path.join(HERE, "digits.onnx")
    torch.onnx.export(
        exported, test_x[:1], path, opset_version=13,
        input_names=["counts"], output_names=["probabilities"],
        dynamic_axes={"counts": {0: "batch"}, "probabilities": {0: "batch"}})
    onnx.checker.check_model(onnx.load(path), full_check=True)

    expected = {
        "producer": f"torch {torch.__version__}, onnx {onnx.__version__}, torch.onnx.export opset 13",
        "test_rows": len(test_x),
        "test_correct": correct,
        "first_rows_probabilities": [[float(v) for v in row] for row in probabilities[:5]],
    }
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
    print(f"test accuracy {100.0 * correct / len(test_x):.2f}% ({correct} of {len(test_x)}); wrote {path}")


if __name__ == "__main__":
    main()
