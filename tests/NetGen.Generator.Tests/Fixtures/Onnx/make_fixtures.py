#!/usr/bin/python3
"""Writes the ONNX import fixtures beside this script: <case>.onnx files exported by torch.onnx.export from small
nn.Sequential MLPs, a copy of the ONNX project's own backend test cases that hold a Dense-style model or a single
activation (OnnxTestData/<case>/), and manifest.json, which lists every case with what NetGen must do with it: compile
it and give torch's (or ONNX's) outputs, or refuse it with one diagnostic whose message contains a given word.

Run with Debian's packages (python3-torch 1.13, python3-onnx 1.12, libonnx-testdata):
    /usr/bin/python3 make_fixtures.py
Seeded and deterministic: running it again writes the same manifest (and, torch's exporter being deterministic, the
same .onnx bytes). The C# tests (OnnxImportFixtureTests.cs) need no Python and no protobuf reader: every number they
compare with is in manifest.json.

Numbers: inputs are drawn in float32 (float64 for a double model) and written as the exact value of that float (Python's
repr of the double it widens to, which reads back to the same double); torch's outputs likewise. A float case's
outputs are torch's float32 results, so NetGen's float network and torch differ by their rounding orders only; the
script measures how far torch in float32 is from the same network in float64 and prints the worst of it against the
tests' float rule, so that the tolerance is seen to be sound.
"""

import copy
import io
import json
import math
import os
import re
import shutil
import sys
import warnings
import zlib

import numpy as np
import onnx
import onnx.version_converter
import torch
from onnx import helper, numpy_helper, TensorProto
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
TESTDATA = "/usr/share/libonnx-testdata/data"
MAX_TESTDATA_CASE_BYTES = 200 * 1024
SAMPLES = 5

# The tests' rules (OnnxImportFixtureTests.cs), used here only to print how much room they leave.
FLOAT_RELATIVE, FLOAT_ABSOLUTE = 1e-5, 1e-6

warnings.filterwarnings("ignore")  # torch.onnx's notes about constant folding and dynamic axes

cases = []
left_out = []
worst_float = [0.0, None]


def exact(values):
    """The values as nested lists of Python floats: each the exact value of its float32 or float64."""
    return [[float(v) for v in row] for row in np.asarray(values).reshape(len(values), -1)]


def add_case(name, file, element, expect, loss=None, inputs=None, outputs=None, source="torch", note=None, guess=None, provenance=None):
    case = {"name": name, "file": file, "element": element, "loss": loss, "expect": expect, "source": source}
    if note:
        case["note"] = note
    if guess:
        # The rules the tests were written from do not settle this expectation (ok or which diagnostic, or the word):
        # say what was assumed, so that a failure here is read as a question before it is read as a bug.
        case["guess"] = guess
    if provenance:
        case["provenance"] = provenance
    if expect == "ok":
        case["inputs"] = exact(inputs)
        case["outputs"] = exact(outputs)
    cases.append(case)


def check(path):
    model = onnx.load(path)
    onnx.checker.check_model(model)
    return model


# ---------------------------------------------------------------------------------------------------------------
# torch exports

class MatMulAdd(nn.Module):
    """x W + b as two operators (MatMul, then Add of the bias initializer), the other form a Dense layer takes in ONNX.
    bias_first writes the Add as b + x W, its inputs the other way round."""

    def __init__(self, n_in, n_out, bias_first=False):
        super().__init__()
        self.w = nn.Parameter(torch.empty(n_in, n_out))
        self.b = nn.Parameter(torch.empty(n_out))
        self.bias_first = bias_first

    def reset_parameters(self):
        bound = 1 / math.sqrt(self.w.shape[0])
        with torch.no_grad():
            self.w.uniform_(-bound, bound)
            self.b.uniform_(-bound, bound)

    def forward(self, x):
        return self.b + torch.matmul(x, self.w) if self.bias_first else torch.matmul(x, self.w) + self.b


class Rows(nn.Module):
    """x.reshape(-1, n): a Reshape (with a constant shape) that leaves a [batch, n] layout as it is."""

    def __init__(self, n):
        super().__init__()
        self.n = n

    def forward(self, x):
        return x.reshape(-1, self.n)


class Residual(nn.Module):
    """h + g(h): a branch, which no chain of layers is."""

    def __init__(self, n):
        super().__init__()
        self.a = nn.Linear(n, n)
        self.g = nn.Linear(n, n)

    def forward(self, x):
        h = torch.relu(self.a(x))
        return h + self.g(h)


def export(model, n_in, opset, dynamic, batch, dtype):
    x = torch.zeros(batch, n_in, dtype=dtype)
    buffer = io.BytesIO()
    torch.onnx.export(
        model, (x,), buffer, opset_version=opset, input_names=["x"], output_names=["y"],
        dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}} if dynamic else None)
    return onnx.load_from_string(buffer.getvalue())


def insert_after(model, tensor, op_type, **attributes):
    """A node op_type(tensor) put between the node that makes `tensor` and the nodes that use it. torch removes
    nn.Identity and (in eval mode) nn.Dropout from what it exports, so the script puts such nodes in itself, as other
    exporters leave them."""
    graph = model.graph
    renamed = tensor + "_" + op_type.lower()
    for node in graph.node:
        for i, name in enumerate(node.input):
            if name == tensor:
                node.input[i] = renamed
    for output in graph.output:
        if output.name == tensor:
            raise ValueError("insert before a graph output is not needed here")
    index = next(i for i, n in enumerate(graph.node) if tensor in n.output) + 1
    graph.node.insert(index, helper.make_node(op_type, [tensor], [renamed], name="/inserted/" + op_type, **attributes))


def torch_case(name, layers, n_in, opset, *, dtype=torch.float32, dynamic=False, batch=1, loss=None, expect="ok",
               note=None, guess=None, edit=None, seed=None):
    file = name + ".onnx"
    model = nn.Sequential(*layers) if isinstance(layers, list) else layers
    # The layers were made before this call, from whatever state the generator was in: made again from the case's
    # own seed, so that each case's weights and inputs depend on its name only.
    torch.manual_seed(seed if seed is not None else zlib.crc32(name.encode()))
    for module in model.modules():
        if hasattr(module, "reset_parameters"):
            module.reset_parameters()
    model = model.to(dtype).eval()
    try:
        onnx_model = export(model, n_in, opset, dynamic, batch, dtype)
    except Exception as e:  # an operator torch 1.13 cannot export at this opset
        left_out.append((name, f"torch {torch.__version__} cannot export it at opset {opset}: {type(e).__name__}: {str(e).splitlines()[0][:160]}"))
        return
    if edit:
        edit(onnx_model)
    onnx.save(onnx_model, os.path.join(HERE, file))
    check(os.path.join(HERE, file))
    element = "double" if dtype == torch.float64 else "float"
    if expect != "ok":
        add_case(name, file, element, expect, loss=loss, note=note, guess=guess)
        return
    x = torch.randn(SAMPLES, n_in, dtype=dtype)
    with torch.no_grad():
        # One sample at a time when the batch is fixed (the exported graph's batch size), all at once otherwise:
        # the values are the same either way, as eval mode has no batch statistics.
        y = torch.cat([model(x[i:i + 1]) for i in range(SAMPLES)]) if not dynamic else model(x)
        if dtype == torch.float32:
            wide = copy.deepcopy(model).double()(x.double())
            error = ((y.double() - wide).abs() / (FLOAT_RELATIVE * wide.abs() + FLOAT_ABSOLUTE)).max().item()
            if error > worst_float[0]:
                worst_float[:] = [error, name]
    add_case(name, file, element, "ok", loss=loss, inputs=x.numpy(), outputs=y.numpy(), note=note, guess=guess)
    cases[-1]["layers"] = dense_layers(model, with_weights=name in COMPARED)


# The cases whose weights the manifest also holds, as an nn.Sequential state_dict of Dense layers only (0.weight,
# 0.bias, 1.weight, ...: NetGen's layout, [out][in]), so that a test can declare the same network with attributes and
# a .safetensors file and compare the generated code.
COMPARED = {"deep_o13_20x32x32x16x3_dyn", "matmul_add_o13_5x7x3_dyn", "identity_dropout_o9_3x5x2_b1", "softmax_o13_16x3x2_dyn"}

ACTIVATION_NAMES = {
    nn.ReLU: "ReLU", nn.LeakyReLU: "LeakyReLU", nn.Sigmoid: "Sigmoid", nn.Tanh: "Tanh", nn.Softmax: "Softmax",
    nn.ELU: "ELU", nn.GELU: "GELU", nn.SiLU: "SiLU", nn.Softplus: "Softplus",
}


def dense_layers(model, with_weights):
    """The network as NetGen's attributes declare it: its inputs and Dense layers (units, activation, bias), and
    optionally the weights (as float values, [out][in], and biases)."""
    layers, weights = [], []
    for module in model.modules():
        if isinstance(module, (nn.Linear, MatMulAdd)):
            w = module.weight if isinstance(module, nn.Linear) else module.w.t()
            b = module.bias if isinstance(module, nn.Linear) else module.b
            layers.append({"inputs": w.shape[1], "units": w.shape[0], "activation": "Identity", "bias": b is not None})
            k = len(layers) - 1
            weights.append({"name": f"{k}.weight", "shape": list(w.shape), "values": [float(v) for v in w.detach().reshape(-1)]})
            if b is not None:
                weights.append({"name": f"{k}.bias", "shape": list(b.shape), "values": [float(v) for v in b.detach().reshape(-1)]})
        elif type(module) in ACTIVATION_NAMES:
            assert layers and layers[-1]["activation"] == "Identity"
            layers[-1]["activation"] = ACTIVATION_NAMES[type(module)]
        else:
            assert isinstance(module, (nn.Sequential, nn.Flatten, nn.Dropout, nn.Identity, Rows)), type(module)
    result = {"inputs": layers[0]["inputs"], "dense": [{k: v for k, v in layer.items() if k != "inputs"} for layer in layers]}
    if with_weights:
        result["weights"] = weights
    return result


def activation_module(name):
    return {
        "relu": nn.ReLU, "leakyrelu": nn.LeakyReLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "elu": nn.ELU,
        "gelu": nn.GELU, "silu": nn.SiLU, "softplus": nn.Softplus,
    }[name]()


def make_torch_cases():
    activations = ["none", "relu", "leakyrelu", "sigmoid", "tanh", "softmax", "elu", "gelu", "silu", "softplus"]
    shapes = [(1, 1, 1), (3, 4, 2), (5, 8, 3), (7, 16, 4), (12, 32, 5), (20, 6, 1), (2, 1, 3), (9, 24, 7), (16, 3, 2), (4, 32, 6)]
    count = 0
    for opset in (9, 13, 17):
        for a, activation in enumerate(activations):
            n_in, hidden, n_out = shapes[(a + opset) % len(shapes)]
            # Bias on, off, or on one layer only; fixed or dynamic batch; cycled so every activation sees each.
            bias = [(True, True), (False, False), (True, False), (False, True)][(a + count) % 4]
            dynamic = (a + opset) % 2 == 0
            batch = 1 if (a % 3) else 3
            count += 1
            if activation == "none":
                layers = [nn.Linear(n_in, hidden, bias=bias[0]), nn.Linear(hidden, n_out, bias=bias[1])]
            elif activation == "softmax":
                # Softmax is the last layer's only; the hidden layer gets a ReLU.
                layers = [nn.Linear(n_in, hidden, bias=bias[0]), nn.ReLU(), nn.Linear(hidden, max(n_out, 2), bias=bias[1]), nn.Softmax(dim=-1)]
            else:
                # The activation on a hidden layer and on the last one.
                layers = [nn.Linear(n_in, hidden, bias=bias[0]), activation_module(activation),
                          nn.Linear(hidden, n_out, bias=bias[1]), activation_module(activation)]
            name = f"{activation}_o{opset}_{n_in}x{hidden}x{n_out}" + ("_nobias" if bias == (False, False) else "_bias01" if bias == (False, True) else "_bias10" if bias == (True, False) else "") + ("_dyn" if dynamic else f"_b{batch}")
            torch_case(name, layers, n_in, opset, dynamic=dynamic, batch=batch,
                       loss="CrossEntropy" if activation == "softmax" else None)

    # float64 (model.double()): every activation once, at opset 13 or 17, dynamic batch on half of them.
    for a, activation in enumerate(activations):
        opset = 13 if a % 2 == 0 else 17
        n_in, hidden, n_out = shapes[(a + 3) % len(shapes)]
        if activation == "none":
            layers = [nn.Linear(n_in, hidden), nn.Linear(hidden, n_out)]
        elif activation == "softmax":
            layers = [nn.Linear(n_in, hidden), nn.Tanh(), nn.Linear(hidden, max(n_out, 2), bias=False), nn.Softmax(dim=-1)]
        else:
            layers = [nn.Linear(n_in, hidden, bias=a % 3 != 0), activation_module(activation), nn.Linear(hidden, n_out), activation_module(activation)]
        torch_case(f"{activation}_o{opset}_{n_in}x{hidden}x{n_out}_f64" + ("_dyn" if a % 2 else "_b1"), layers, n_in, opset,
                   dtype=torch.float64, dynamic=a % 2 == 1, loss="CrossEntropy" if activation == "softmax" else None)

    # Deeper chains with every activation mixed, the widest and the narrowest.
    torch_case("deep_o13_20x32x32x16x3_dyn", [
        nn.Linear(20, 32), nn.GELU(), nn.Linear(32, 32, bias=False), nn.SiLU(), nn.Linear(32, 16), nn.Softplus(),
        nn.Linear(16, 3), nn.Tanh()], 20, 13, dynamic=True)
    torch_case("deep_o17_6x10x10x10x10x4_b1", [
        nn.Linear(6, 10), nn.ELU(), nn.Linear(10, 10), nn.LeakyReLU(), nn.Linear(10, 10, bias=False), nn.Sigmoid(),
        nn.Linear(10, 10), nn.ReLU(), nn.Linear(10, 4), nn.Softmax(dim=-1)], 6, 17, loss="CrossEntropy")
    torch_case("deep_o9_1x1x1x1_b1", [nn.Linear(1, 1), nn.Tanh(), nn.Linear(1, 1), nn.Sigmoid(), nn.Linear(1, 1)], 1, 9)
    torch_case("deep_o13_8x32x1x32x2_f64_dyn", [
        nn.Linear(8, 32), nn.SiLU(), nn.Linear(32, 1), nn.GELU(), nn.Linear(1, 32), nn.ELU(), nn.Linear(32, 2)], 8, 13,
        dtype=torch.float64, dynamic=True)
    torch_case("single_o13_20x1_b1", [nn.Linear(20, 1)], 20, 13)
    torch_case("single_o17_4x3_nobias_dyn", [nn.Linear(4, 3, bias=False), nn.Sigmoid()], 4, 17, dynamic=True)

    # Layers that leave a [batch, features] layout as it is, and are skipped.
    torch_case("flatten_o13_5x6x2_dyn", [nn.Flatten(), nn.Linear(5, 6), nn.ReLU(), nn.Flatten(), nn.Linear(6, 2)], 5, 13, dynamic=True)
    torch_case("flatten_o9_3x4x2_b1", [nn.Flatten(), nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)], 3, 9)
    torch_case("reshape_o13_4x5x3_dyn", [Rows(4), nn.Linear(4, 5), nn.Sigmoid(), Rows(5), nn.Linear(5, 3)], 4, 13, dynamic=True)
    torch_case("reshape_o17_6x4x2_b1", [nn.Linear(6, 4), Rows(4), nn.ELU(), nn.Linear(4, 2)], 6, 17)

    def identity_and_dropout(opset):
        def edit(model):
            gemms = [n for n in model.graph.node if n.op_type in ("Gemm", "MatMul")]
            insert_after(model, gemms[0].output[0], "Identity")
            acts = [n for n in model.graph.node if n.op_type in ("Relu", "Tanh")]
            if opset < 12:
                insert_after(model, acts[0].output[0], "Dropout", ratio=0.25)
            else:
                insert_after(model, acts[0].output[0], "Dropout")  # no ratio input, no training_mode: inference
        return edit

    torch_case("identity_dropout_o13_7x9x3_dyn", [nn.Linear(7, 9), nn.Identity(), nn.ReLU(), nn.Dropout(0.25), nn.Linear(9, 3)], 7, 13,
               dynamic=True, edit=identity_and_dropout(13),
               note="torch removes nn.Identity and eval-mode nn.Dropout when it exports; the script puts an Identity node after the first Gemm and a Dropout node (inference: no training_mode) after the ReLU")
    torch_case("identity_dropout_o9_3x5x2_b1", [nn.Linear(3, 5), nn.Tanh(), nn.Dropout(0.5), nn.Linear(5, 2)], 3, 9,
               edit=identity_and_dropout(9),
               note="an Identity node after the first Gemm and an opset-9 Dropout (ratio attribute, is_test implied) after the Tanh, put in by the script")
    torch_case("flatten_dropout_identity_o17_10x8x4_f64_dyn", [nn.Flatten(), nn.Dropout(0.1), nn.Identity(), nn.Linear(10, 8), nn.GELU(), nn.Linear(8, 4)], 10, 17,
               dtype=torch.float64, dynamic=True, note="what torch leaves of nn.Flatten, nn.Dropout and nn.Identity: a Flatten node")

    # MatMul followed by Add of a bias initializer: how other code than nn.Linear writes a Dense layer.
    torch_case("matmul_add_o13_5x7x3_dyn", [MatMulAdd(5, 7), nn.ReLU(), MatMulAdd(7, 3, bias_first=True)], 5, 13, dynamic=True)
    torch_case("matmul_add_o9_2x4x1_b1", [MatMulAdd(2, 4, bias_first=True), nn.Sigmoid(), MatMulAdd(4, 1)], 2, 9)
    torch_case("matmul_add_o17_9x12x4_f64_b1", [MatMulAdd(9, 12), nn.SiLU(), nn.Linear(12, 4), nn.Softmax(dim=-1)], 9, 17,
               dtype=torch.float64, loss="CrossEntropy")

    # What NetGen must refuse.
    def refuse(name, layers, n_in, opset, expect, guess=None, note=None, dtype=torch.float32, edit=None):
        torch_case(name, layers, n_in, opset, dtype=dtype, expect=expect, guess=guess, note=note, edit=edit)

    refuse("refuse_leakyrelu02_o13", [nn.Linear(4, 3), nn.LeakyReLU(0.2)], 4, 13, {"id": "NG0027", "contains": "LeakyRelu"},
           note="NetGen's LeakyReLU slope is 0.01; alpha 0.2 cannot be written")
    refuse("refuse_leakyrelu02_hidden_o17", [nn.Linear(4, 5), nn.LeakyReLU(0.2), nn.Linear(5, 2)], 4, 17, {"id": "NG0027", "contains": "LeakyRelu"})
    refuse("refuse_elu05_o13", [nn.Linear(3, 4), nn.ELU(alpha=0.5), nn.Linear(4, 2)], 3, 13, {"id": "NG0027", "contains": "Elu"},
           note="NetGen's ELU has alpha 1")
    refuse("refuse_hardswish_o17", [nn.Linear(3, 4), nn.Hardswish()], 3, 17, {"id": "NG0027", "contains": "HardSwish"},
           note="opset 14 and later: one HardSwish node")
    refuse("refuse_hardswish_o13", [nn.Linear(3, 4), nn.Hardswish()], 3, 13, {"id": "NG0027", "contains": "HardSigmoid"},
           guess="x * HardSigmoid(x) is read as one element-wise group, as x * Sigmoid(x) is, and refused as no activation NetGen has",
           note="before opset 14 torch writes x * HardSigmoid(x, alpha 1/6)")
    refuse("refuse_gelu_tanh_o17", [nn.Linear(3, 4), nn.GELU(approximate="tanh")], 3, 17, {"id": "NG0027", "contains": "Mul"},
           guess="torch writes the tanh approximation out as Mul(x, x), Mul, Mul(0.0447), Add, Mul(sqrt(2/pi)), Tanh, Add(1), Mul, Mul(0.5); the rules say it is refused, but not whether as an unsupported operator (NG0027, naming the first Mul) or as a graph that is no chain (NG0028: the Gemm's output feeds four nodes)",
           note="NetGen's GELU is the exact erf form")
    refuse("refuse_softplus_beta2_o13", [nn.Linear(3, 4), nn.Softplus(beta=2)], 3, 13, {"id": "NG0027", "contains": "Mul"},
           guess="torch writes Softplus(beta=2) as Div(Softplus(Mul(x, 2)), 2); refused, but NG0027 naming the Mul is assumed (NG0028 would be as reasonable)",
           note="ONNX's Softplus has beta 1")
    refuse("refuse_residual_o13", Residual(4), 4, 13, {"id": "NG0028", "contains": "Add"},
           guess="NG0028 is the rules' own; that the message names the Add (the node that joins the branch) is assumed")
    refuse("refuse_activation_first_o13", [nn.ReLU(), nn.Linear(3, 2)], 3, 13, {"id": "NG0028", "contains": "Relu"},
           guess="NG0028 is the rules'; that the message names the Relu is assumed")
    refuse("refuse_two_activations_o13", [nn.Linear(3, 4), nn.ReLU(), nn.Sigmoid(), nn.Linear(4, 2)], 3, 13, {"id": "NG0028", "contains": "Sigmoid"},
           guess="NG0028 is the rules'; that the message names the second activation (Sigmoid) is assumed")
    refuse("refuse_softmax_axis0_o13", [nn.Linear(3, 4), nn.Softmax(dim=0)], 3, 13, {"id": "NG0027", "contains": "Softmax"},
           guess="Softmax over the batch axis (axis 0): an attribute value NetGen cannot map, so NG0027 is assumed",
           note="NetGen's Softmax is over the last axis")

    def to_float16(model):
        # float16 everywhere: the initializers' data and the graph's input and output types.
        for t in model.graph.initializer:
            array = numpy_helper.to_array(t).astype(np.float16)
            t.CopyFrom(numpy_helper.from_array(array, t.name))
        for v in list(model.graph.input) + list(model.graph.output):
            v.type.tensor_type.elem_type = TensorProto.FLOAT16

    refuse("refuse_float16_o13", [nn.Linear(3, 2), nn.Tanh()], 3, 13, {"id": "NG0028", "contains": "float16"},
           edit=to_float16,
           guess="the rules refuse an element type other than float32 and float64 without naming the id: NG0027 was assumed at first; NetGen reports NG0028 ('its input x is float16'), and that is kept",
           note="a float32 export with its tensors and types turned to float16 by the script")


# ---------------------------------------------------------------------------------------------------------------
# The ONNX project's backend test data

def tensor_file(path):
    t = TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return numpy_helper.to_array(t)


def case_bytes(directory):
    total = os.path.getsize(os.path.join(directory, "model.onnx"))
    data = os.path.join(directory, "test_data_set_0")
    return total + sum(os.path.getsize(os.path.join(data, f)) for f in os.listdir(data))


# Single activations with no Gemm: refused, since an activation needs a Dense before it.
SINGLE_ACTIVATIONS = {
    "test_ELU": "Elu", "test_LeakyReLU": "LeakyRelu", "test_LeakyReLU_with_negval": "LeakyRelu", "test_ReLU": "Relu",
    "test_Sigmoid": "Sigmoid", "test_Softmax": "Softmax", "test_Softplus": "Softplus", "test_Tanh": "Tanh",
}
# Two of them also have an alpha NetGen's activation cannot have. Expected as NetGen answers for the upgraded copies
# (NG0027 for the alpha, found before the missing Dense); NG0028 was assumed at first.
ALPHA_REFUSED = {
    "test_ELU": "alpha 2, which NetGen's ELU (alpha 1) cannot have: NG0028 (no Dense before it) was assumed at first; NetGen reports the alpha (NG0027) first, and that is kept",
    "test_LeakyReLU_with_negval": "alpha 0.5, which NetGen's LeakyReLU (0.01) cannot have: NG0028 (no Dense before it) was assumed at first; NetGen reports the alpha (NG0027) first, and that is kept",
}


def copy_testdata(kind, case, extra_inputs=()):
    source = os.path.join(TESTDATA, kind, case)
    if not os.path.isdir(source):
        left_out.append((case, f"not in libonnx-testdata's {kind}/"))
        return None
    size = case_bytes(source)
    if size > MAX_TESTDATA_CASE_BYTES:
        left_out.append((case, f"{size} bytes, over {MAX_TESTDATA_CASE_BYTES}"))
        return None
    target = os.path.join(HERE, "OnnxTestData", case)
    os.makedirs(target, exist_ok=True)
    shutil.copyfile(os.path.join(source, "model.onnx"), os.path.join(target, "model.onnx"))
    names = ["input_0.pb", *extra_inputs, "output_0.pb"]
    for name in names:
        shutil.copyfile(os.path.join(source, "test_data_set_0", name), os.path.join(target, name))
    check(os.path.join(target, "model.onnx"))
    return target, [f"OnnxTestData/{case}/{n}" for n in names]


OPSET_6 = "an opset-6 file as the ONNX project ships it; NetGen reads opsets 6 to 21, so the graph itself is what is tested"


def upgrade(case, copied):
    """upgraded.onnx beside a pytorch-converted (opset 6) case: the same graph through onnx's version converter to opset
    13, so that what the case is about (a single activation, a Linear) is tested at an opset NetGen reads too."""
    model = onnx.version_converter.convert_version(onnx.load(os.path.join(copied[0], "model.onnx")), 13)
    path = f"OnnxTestData/{case}/upgraded.onnx"
    onnx.save(model, os.path.join(HERE, path))
    check(os.path.join(HERE, path))
    return path


def make_testdata_cases():
    for case, op in SINGLE_ACTIVATIONS.items():
        copied = copy_testdata("pytorch-converted", case)
        if copied:
            loss = "CrossEntropy" if op == "Softmax" else None
            expect = {"id": "NG0027" if case in ALPHA_REFUSED else "NG0028", "contains": op}
            add_case(case, f"OnnxTestData/{case}/model.onnx", "float", expect, source="onnx-testdata",
                     loss=loss, note=f"a single {op} node (opset 6) with no Gemm before it, on a graph input",
                     guess=OPSET_6 + ("; " + ALPHA_REFUSED[case] if case in ALPHA_REFUSED else ""), provenance=copied[1])
            add_case(case + "_upgraded", upgrade(case, copied), "float", expect,
                     source="onnx-testdata, upgraded to opset 13 by onnx.version_converter", loss=loss,
                     note=f"a single {op} node (opset 13) with no Gemm before it", guess=ALPHA_REFUSED.get(case), provenance=copied[1])

    copied = copy_testdata("pytorch-converted", "test_Linear")
    if copied:
        x, y = tensor_file(os.path.join(copied[0], "input_0.pb")), tensor_file(os.path.join(copied[0], "output_0.pb"))
        add_case("test_Linear", "OnnxTestData/test_Linear/model.onnx", "float", "ok", inputs=x, outputs=y, source="onnx-testdata",
                 note="nn.Linear(10, 8) as torch exported it for opset 6 (IR 3): Gemm transB=1 with the legacy broadcast=1 attribute, its initializers also listed as graph inputs",
                 guess="ok was assumed (an opset-6 Gemm's broadcast=1 is the broadcast later opsets always do); " + OPSET_6,
                 provenance=copied[1])
        add_case("test_Linear_upgraded", upgrade("test_Linear", copied), "float", "ok", inputs=x, outputs=y,
                 source="onnx-testdata, upgraded to opset 13 by onnx.version_converter",
                 note="nn.Linear(10, 8): Gemm transB=1 at opset 13, its initializers still listed among the graph inputs (IR 3)",
                 guess="ok is assumed: the first input is the network's input, and IR 3 lists initializers among the inputs",
                 provenance=copied[1])
    copied = copy_testdata("pytorch-converted", "test_Linear_no_bias")
    if copied:
        x, y = tensor_file(os.path.join(copied[0], "input_0.pb")), tensor_file(os.path.join(copied[0], "output_0.pb"))
        note = "MatMul(x, Transpose(W)): the Transpose of the initializer is left in the graph (no constant folding in torch's opset-6 exporter); NetGen folds a Transpose of a constant matrix into the weights"
        add_case("test_Linear_no_bias", "OnnxTestData/test_Linear_no_bias/model.onnx", "float", "ok", inputs=x, outputs=y,
                 source="onnx-testdata", provenance=copied[1], note=note, guess=OPSET_6)
        add_case("test_Linear_no_bias_upgraded", upgrade("test_Linear_no_bias", copied), "float", "ok", inputs=x, outputs=y,
                 source="onnx-testdata, upgraded to opset 13 by onnx.version_converter", provenance=copied[1],
                 note=note.replace("opset-6", "opset-6 (now 13)"))

    # node/test_gemm_*: one Gemm whose B and C are graph inputs, not initializers, so as shipped there are no weights
    # to embed: refused. Each is also frozen by the script (frozen.onnx: B and C from test_data_set_0 made initializers,
    # the graph's inputs reduced to A) to test Gemm's attributes against ONNX's own reference outputs.
    gemm_cases = sorted(d for d in os.listdir(os.path.join(TESTDATA, "node")) if d.startswith("test_gemm_"))
    frozen_expect = {
        "test_gemm_all_attributes": ({"id": "NG0027", "contains": "transA"}, "transA=1 (with transB=1, alpha 0.25, beta 0.35): A transposed is no [batch, features] input", None),
        "test_gemm_transposeA": ({"id": "NG0027", "contains": "transA"}, "transA=1: A transposed is no [batch, features] input", None),
        "test_gemm_default_matrix_bias": ({"id": "NG0028", "contains": "bias"}, "C is [M, N] = [3, 4], different for each row of the batch: not a bias",
                                          "NG0028 is the brief's; that the message says 'bias' is assumed"),
        "test_gemm_default_scalar_bias": ("ok", "C is a scalar (shape []), broadcast to every output: a bias of 3.14 on each",
                                          "ok is assumed: a scalar C broadcasts to [N] as ONNX defines it"),
        "test_gemm_default_single_elem_vector_bias": ("ok", "C has shape [1], broadcast to every output",
                                                      "ok is assumed: a one-element C broadcasts to [N] as ONNX defines it"),
    }
    for case in gemm_cases:
        source = os.path.join(TESTDATA, "node", case)
        extra = sorted(f for f in os.listdir(os.path.join(source, "test_data_set_0")) if f.startswith("input_") and f != "input_0.pb")
        copied = copy_testdata("node", case, extra)
        if not copied:
            continue
        target, provenance = copied
        transposes_a = case in ("test_gemm_all_attributes", "test_gemm_transposeA")
        add_case(case, f"OnnxTestData/{case}/model.onnx", "float",
                 {"id": "NG0027", "contains": "transA"} if transposes_a else {"id": "NG0028", "contains": "Gemm"}, source="onnx-testdata",
                 note="as shipped: B (and C) are graph inputs, not initializers, so the Gemm has no weights to embed" + ("; and transA=1" if transposes_a else ""),
                 guess=("two reasons to refuse: NG0028 (no constant weights) was assumed at first; NetGen reports transA=1 (NG0027, which the brief gives for transA) first, and that is kept"
                        if transposes_a else
                        "refused is what the rules imply (a Dense needs constant weights); NG0028 rather than NG0027 and the word Gemm (the operator, in the node's made-up name) are assumed"),
                 provenance=provenance)

        model = onnx.load(os.path.join(target, "model.onnx"))
        graph = model.graph
        for name, input_name in zip(extra, list(graph.input)[1:]):
            array = tensor_file(os.path.join(target, name))
            graph.initializer.append(numpy_helper.from_array(array, input_name.name))
        while len(graph.input) > 1:
            graph.input.pop()
        frozen = f"OnnxTestData/{case}/frozen.onnx"
        onnx.save(model, os.path.join(HERE, frozen))
        check(os.path.join(HERE, frozen))
        expect, note, guess = frozen_expect.get(case, ("ok", None, None))
        if note is None:
            attributes = {a.name: helper.get_attribute_value(a) for a in graph.node[0].attribute}
            note = "Gemm " + (", ".join(f"{k}={v:g}" for k, v in sorted(attributes.items())) or "with default attributes")
        x, y = tensor_file(os.path.join(target, "input_0.pb")), tensor_file(os.path.join(target, "output_0.pb"))
        add_case(case + "_frozen", frozen, "float", expect, source="onnx-testdata, frozen by make_fixtures.py",
                 inputs=x if expect == "ok" else None, outputs=y if expect == "ok" else None,
                 note=note + "; B and C made initializers from test_data_set_0 (the rows of A are the samples, ONNX's output_0 the expected outputs)",
                 guess=guess, provenance=provenance)

    gelu = [d for k in ("node", "pytorch-converted") for d in os.listdir(os.path.join(TESTDATA, k)) if d.lower().startswith("test_gelu")]
    if not gelu:
        left_out.append(("test_GELU*", f"libonnx-testdata {onnx.__version__} has no GELU case (ONNX's Gelu operator came in opset 20)"))


def main():
    for name in os.listdir(HERE):
        if name.endswith(".onnx"):
            os.remove(os.path.join(HERE, name))
    shutil.rmtree(os.path.join(HERE, "OnnxTestData"), ignore_errors=True)

    make_torch_cases()
    make_testdata_cases()
    compared = {c["name"] for c in cases if "weights" in c.get("layers", {})}
    assert compared == COMPARED, COMPARED - compared
    left_out.append(("Gelu at opset 20", f"torch {torch.__version__} exports up to opset 17 and onnx {onnx.__version__} checks up to opset 17"))

    manifest = {
        "generator": "make_fixtures.py",
        "torch": torch.__version__,
        "onnx": onnx.__version__,
        "samples": SAMPLES,
        "left_out": [{"case": c, "why": w} for c, w in left_out],
        "cases": cases,
    }
    text = json.dumps(manifest, indent=2)
    # A list of numbers on one line (a sample, its outputs, a tensor), as a person reads them.
    text = re.sub(r"\[\s+(-?[0-9][^\[\]{}\"]*?)\s+\]", lambda m: "[" + re.sub(r",\s+", ", ", m.group(1)) + "]", text)
    assert json.loads(text) == manifest
    with open(os.path.join(HERE, "manifest.json"), "w") as f:
        f.write(text + "\n")

    total = 0
    for root, _, files in os.walk(HERE):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    ok = [c for c in cases if c["expect"] == "ok"]
    print(f"{len(cases)} cases: {len(ok)} ok ({sum(c['element'] == 'double' for c in ok)} double), {len(cases) - len(ok)} refused; "
          f"{sum(c['source'] == 'torch' for c in cases)} exported by torch {torch.__version__}; {total:,} bytes in all")
    print(f"torch float32 against float64, worst |f - d| / ({FLOAT_RELATIVE:g} |d| + {FLOAT_ABSOLUTE:g}): {worst_float[0]:.3g} ({worst_float[1]})")
    for c, w in left_out:
        print(f"left out: {c}: {w}")


if __name__ == "__main__":
    sys.exit(main())
