#!/usr/bin/python3
"""Writes the fixtures of [OnnxNetwork] on streaming models beside this script: <case>.onnx files exported by
torch.onnx.export from seeded torch modules with nn.GRU and nn.LSTM layers (and nn.Linear before and after them), a
few built with onnx.helper to hold what torch never writes, and manifest.json, which lists every case with what
NetGen must do with it: compile it to a streaming model (the layers it must find) and give torch's outputs for a
sequence from a zero state, or refuse it with one diagnostic whose message contains a given word.

Run with Debian's packages (python3-torch 1.13, python3-onnx 1.12):
    /usr/bin/python3 make_streaming_fixtures.py
Seeded and deterministic. The C# tests (OnnxStreamingImportTests.cs) need no Python: every number they compare with
is in manifest.json.

Each model takes [steps, batch, inputs] (PyTorch's layout for recurrent modules, batch_first=False) and gives
[steps, batch, outputs]; the expected outputs are torch's for one stream (batch 1) of STEPS steps whose inputs are
drawn from N(0, 1) in float32 (float64 for a double model) and written as the exact value of that float, from the
zero state torch starts a recurrent module in when no state is passed.
"""

import json
import os
import warnings

import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper, TensorProto
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
STEPS = 30

warnings.filterwarnings("ignore")  # torch.onnx's notes about recurrent modules and batch sizes

cases = []


class CausalConv(nn.Module):
    """A causal convolution over the steps of [steps, batch, channels]: permute to [batch, channels, steps], zeros
    before the first step, nn.Conv1d, permute back (what NetGen's Conv1D layer computes in a stream)."""

    def __init__(self, inputs, channels, kernel, dilation=1, bias=True):
        super().__init__()
        self.conv = nn.Conv1d(inputs, channels, kernel, dilation=dilation, bias=bias)
        self.input_size = inputs

    def forward(self, x):
        reach = (self.conv.kernel_size[0] - 1) * self.conv.dilation[0]
        return self.conv(nn.functional.pad(x.permute(1, 2, 0), (reach, 0))).permute(2, 0, 1)


class Stack(nn.Module):
    """Modules applied in order; a recurrent module's output sequence (not its final state) goes on."""

    def __init__(self, *modules):
        super().__init__()
        self.layers = nn.ModuleList(modules)

    def forward(self, x):
        for m in self.layers:
            x = m(x)[0] if isinstance(m, (nn.GRU, nn.LSTM)) else m(x)
        return x


def layers_of(modules):
    """What NetGen's Topology must say the stack is, layer by layer, in its spelling ("8 GRU", "3 Tanh nobias"):
    one entry per recurrent layer of a multi-layer module, and a Linear with the activation module after it."""
    out = []
    for i, m in enumerate(modules):
        if isinstance(m, (nn.GRU, nn.LSTM)):
            kind = "GRU" if isinstance(m, nn.GRU) else "LSTM"
            out += [f"{m.hidden_size} {kind}{'' if m.bias else ' nobias'}"] * m.num_layers
        elif isinstance(m, CausalConv):
            nxt = modules[i + 1] if i + 1 < len(modules) else None
            a = {nn.ReLU: "ReLU", nn.Tanh: "Tanh", nn.Sigmoid: "Sigmoid"}.get(type(nxt), "Identity")
            c = m.conv
            d = f" d{c.dilation[0]}" if c.dilation[0] != 1 else ""
            out.append(f"{c.out_channels} CONV1D k{c.kernel_size[0]}{d} {a}{'' if c.bias is not None else ' nobias'}")
        elif isinstance(m, nn.Linear):
            nxt = modules[i + 1] if i + 1 < len(modules) else None
            a = {nn.ReLU: "ReLU", nn.Tanh: "Tanh", nn.Sigmoid: "Sigmoid"}.get(type(nxt), "Identity")
            out.append(f"{m.out_features} {a}{'' if m.bias is not None else ' nobias'}")
    return out


def torch_case(name, seed, modules, opset, double=False, dynamic=True, note=None):
    torch.manual_seed(seed)
    model = Stack(*[m() for m in modules]).eval()
    dtype = torch.float64 if double else torch.float32
    if double:
        model = model.double()
    inputs = model.layers[0].input_size if hasattr(model.layers[0], "input_size") else model.layers[0].in_features
    file = f"{name}.onnx"
    example = torch.zeros(3, 1, inputs, dtype=dtype)
    axes = {"input": {0: "steps", 1: "batch"}, "output": {0: "steps", 1: "batch"}} if dynamic else None
    torch.onnx.export(model, example if not dynamic else example, os.path.join(HERE, file), opset_version=opset,
                      input_names=["input"], output_names=["output"], dynamic_axes=axes)
    g = np.random.default_rng(seed)
    steps = STEPS if dynamic else 3
    x = torch.tensor(g.standard_normal((steps, 1, inputs)), dtype=dtype)
    with torch.no_grad():
        y = model(x)
    cases.append({
        "name": name, "file": file, "element": "double" if double else "float", "opset": opset, "expect": None,
        "layers": layers_of(list(model.layers)), "inputs": inputs, "outputs": int(y.shape[-1]), "steps": steps,
        "x": [float(v) for v in x.reshape(-1).tolist()], "y": [float(v) for v in y.reshape(-1).tolist()],
        "note": note,
    })


def refused_torch(name, seed, make, opset, expect_id, contains, note):
    torch.manual_seed(seed)
    model = make().eval()
    file = f"{name}.onnx"
    inputs = 2
    example = torch.zeros(3, 1, inputs) if not getattr(model, "batch_first", False) else torch.zeros(1, 3, inputs)
    torch.onnx.export(model, example, os.path.join(HERE, file), opset_version=opset, input_names=["input"], output_names=["output"])
    cases.append({"name": name, "file": file, "element": "float", "opset": opset,
                  "expect": {"id": expect_id, "contains": contains}, "note": note})


def refused_helper(name, graph_nodes, initializers, expect_id, contains, note, opset=13, in_shape=("steps", 1, 2), out_units=4):
    graph = helper.make_graph(
        graph_nodes, name,
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, list(in_shape))],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["steps", 1, out_units])],
        initializer=initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="make_streaming_fixtures")
    onnx.checker.check_model(model)
    file = f"{name}.onnx"
    onnx.save(model, os.path.join(HERE, file))
    cases.append({"name": name, "file": file, "element": "float", "opset": opset,
                  "expect": {"id": expect_id, "contains": contains}, "note": note})


# ---- Models NetGen compiles.

for opset in (9, 13, 17):
    torch_case(f"gru8_linear1_o{opset}", 10 + opset, [lambda: nn.GRU(1, 8), lambda: nn.Linear(8, 1)], opset)
    torch_case(f"lstm4_linear3_o{opset}", 20 + opset, [lambda: nn.LSTM(2, 4), lambda: nn.Linear(4, 3)], opset)

torch_case("gru5_nobias_linear2_o13", 31, [lambda: nn.GRU(3, 5, bias=False), lambda: nn.Linear(5, 2)], 13)
torch_case("lstm3_nobias_tanh_o17", 32, [lambda: nn.LSTM(2, 3, bias=False), lambda: nn.Linear(3, 2), lambda: nn.Tanh()], 17)
torch_case("gru4x2_linear3_tanh_o13", 33, [lambda: nn.GRU(2, 4, num_layers=2), lambda: nn.Linear(4, 3), lambda: nn.Tanh()], 13,
           note="num_layers=2: torch writes two GRU nodes, the second's zero state an Expand of a constant")
torch_case("lstm3x2_linear1_o17", 34, [lambda: nn.LSTM(1, 3, num_layers=2), lambda: nn.Linear(3, 1)], 17)
torch_case("linear4_relu_gru5_linear1_o13", 35, [lambda: nn.Linear(3, 4), lambda: nn.ReLU(), lambda: nn.GRU(4, 5), lambda: nn.Linear(5, 1)], 13,
           note="a Linear before the recurrent layer: MatMul and Add at every step")
torch_case("gru6_lstm3_linear2_sigmoid_o17", 36, [lambda: nn.GRU(2, 6), lambda: nn.LSTM(6, 3), lambda: nn.Linear(3, 2), lambda: nn.Sigmoid()], 17)
torch_case("gru8_linear1_fixed_o13", 37, [lambda: nn.GRU(1, 8), lambda: nn.Linear(8, 1)], 13, dynamic=False,
           note="fixed axes: the input is [3, 1, 1]")
torch_case("gru4_linear2_f64_o13", 38, [lambda: nn.GRU(2, 4), lambda: nn.Linear(4, 2)], 13, double=True)
torch_case("lstm5_linear1_f64_o17", 39, [lambda: nn.LSTM(1, 5), lambda: nn.Linear(5, 1)], 17, double=True)
torch_case("gru32_linear1_o17", 40, [lambda: nn.GRU(1, 32), lambda: nn.Linear(32, 1)], 17)


# Causal convolutions: torch writes the Pad's pads as an attribute at opsets 9 and 10 only (from 11 it computes them).
torch_case("conv4k3d2_tanh_linear1_o9", 41, [lambda: CausalConv(1, 4, 3, dilation=2), lambda: nn.Tanh(), lambda: nn.Linear(4, 1)], 9,
           note="Transpose, Pad of 4 zeros before the first step, Conv, Tanh, Transpose")
torch_case("conv3k2_nobias_gru4_linear2_o10", 42, [lambda: CausalConv(2, 3, 2, bias=False), lambda: nn.ReLU(), lambda: nn.GRU(3, 4), lambda: nn.Linear(4, 2)], 10)


# ---- Models NetGen refuses, each with the one diagnostic that says why.

class Bidirectional(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 4, bidirectional=True)
        self.fc = nn.Linear(8, 1)

    def forward(self, x):
        return self.fc(self.gru(x)[0])


class BatchFirst(nn.Module):
    batch_first = True

    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 4, batch_first=True)
        self.fc = nn.Linear(4, 1)

    def forward(self, x):
        return self.fc(self.gru(x)[0])


class LearnedState(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 4)
        self.h0 = nn.Parameter(torch.full((1, 1, 4), 0.5))
        self.fc = nn.Linear(4, 1)

    def forward(self, x):
        return self.fc(self.gru(x, self.h0)[0])


class ActivatedGru(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 4)
        self.fc = nn.Linear(4, 1)

    def forward(self, x):
        return self.fc(torch.relu(self.gru(x)[0]))


class Centred(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(2, 3, 3, padding=1)
        self.fc = nn.Linear(3, 1)

    def forward(self, x):
        return self.fc(self.conv(x.permute(1, 2, 0)).permute(2, 0, 1))


class CausalLater(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = CausalConv(2, 3, 3)
        self.fc = nn.Linear(3, 1)

    def forward(self, x):
        return self.fc(self.conv(x))


refused_torch("refuse_conv_centred_o9", 54, Centred, 9, "NG0027", "causal",
              "nn.Conv1d(padding=1): a zero after the last step too, so each step would see the next one")
refused_torch("refuse_conv_computed_pads_o13", 55, CausalLater, 13, "NG0028", "pads",
              "from opset 11 torch computes a Pad's pads in nodes (ConstantOfShape, Concat, Reshape, Slice ...)")
refused_torch("refuse_gru_bidirectional_o13", 50, Bidirectional, 13, "NG0027", "bidirectional",
              "direction = bidirectional: a second GRU reads the sequence backwards, which a stream cannot")
refused_torch("refuse_gru_batch_first_o13", 51, BatchFirst, 13, "NG0027", "Transpose",
              "batch_first=True: torch transposes the input to [steps, batch, inputs] first")
refused_torch("refuse_gru_learned_state_o13", 52, LearnedState, 13, "NG0027", "initial",
              "an initial hidden state of 0.5: NetGen's streams start from zeros")
refused_torch("refuse_relu_after_gru_o13", 53, ActivatedGru, 13, "NG0028", "ReLU",
              "an activation straight after a recurrent layer, which NetGen's GRU and LSTM layers do not have")

rng = np.random.default_rng(60)
w = numpy_helper.from_array(rng.standard_normal((1, 12, 2)).astype(np.float32), "W")
r = numpy_helper.from_array(rng.standard_normal((1, 12, 4)).astype(np.float32), "R")
b = numpy_helper.from_array(rng.standard_normal((1, 24)).astype(np.float32), "B")
axes = numpy_helper.from_array(np.array([1], dtype=np.int64), "axes")
refused_helper("refuse_gru_linear_before_reset_0_o13",
               [helper.make_node("GRU", ["input", "W", "R", "B"], ["Y"], hidden_size=4),
                helper.make_node("Squeeze", ["Y", "axes"], ["output"])],
               [w, r, b, axes], "NG0027", "linear_before_reset",
               "ONNX's default linear_before_reset = 0 multiplies by r before W_hn; PyTorch's GRU (and NetGen's) after")
refused_helper("refuse_gru_clip_o13",
               [helper.make_node("GRU", ["input", "W", "R", "B"], ["Y"], hidden_size=4, linear_before_reset=1, clip=3.0),
                helper.make_node("Squeeze", ["Y", "axes"], ["output"])],
               [w, r, b, axes], "NG0027", "clip", "a cell clip, which PyTorch's GRU has not")
refused_helper("refuse_gru_relu_activations_o13",
               [helper.make_node("GRU", ["input", "W", "R", "B"], ["Y"], hidden_size=4, linear_before_reset=1, activations=["Relu", "Tanh"]),
                helper.make_node("Squeeze", ["Y", "axes"], ["output"])],
               [w, r, b, axes], "NG0027", "activations", "gate activations other than sigmoid and tanh")
lw = numpy_helper.from_array(rng.standard_normal((1, 16, 2)).astype(np.float32), "LW")
lr = numpy_helper.from_array(rng.standard_normal((1, 16, 4)).astype(np.float32), "LR")
lp = numpy_helper.from_array(rng.standard_normal((1, 12)).astype(np.float32), "LP")
refused_helper("refuse_lstm_peepholes_o13",
               [helper.make_node("LSTM", ["input", "LW", "LR", "", "", "", "", "LP"], ["Y"], hidden_size=4),
                helper.make_node("Squeeze", ["Y", "axes"], ["output"])],
               [lw, lr, lp, axes], "NG0027", "peephole", "peephole weights, which PyTorch's LSTM has not")
refused_helper("refuse_gru_without_squeeze_o13",
               [helper.make_node("GRU", ["input", "W", "R", "B"], ["Y"], hidden_size=4, linear_before_reset=1),
                helper.make_node("Relu", ["Y"], ["output"])],
               [w, r, b], "NG0028", "Squeeze", "Y used as [steps, directions, batch, units], not squeezed to a stream's values")

with open(os.path.join(HERE, "manifest.json"), "w") as f:
    json.dump({"steps": STEPS, "cases": cases}, f, indent=1)
    f.write("\n")
print(f"{len(cases)} cases")
