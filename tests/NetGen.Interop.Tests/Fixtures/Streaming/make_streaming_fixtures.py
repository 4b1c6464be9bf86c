#!/usr/bin/python3
"""PyTorch state_dicts of streaming models (nn.GRU, nn.LSTM, nn.Conv1d and nn.Linear modules) as safetensors files,
with torch's outputs over a short sequence, for SafeTensorsStreamingFixtureTests: NetGen loads each file into the
network declared for it and its ForwardSequence must give torch's outputs.

Run from anywhere, with the interpreter that has PyTorch 1.13 (the `python3` on PATH may not):

    /usr/bin/python3 tests/NetGen.Interop.Tests/Fixtures/Streaming/make_streaming_fixtures.py

It is seeded: the same PyTorch gives the same files, byte for byte. It writes, beside itself, one <name>.safetensors
per model and streaming-fixtures.json:

    name, file, dtype     the fixture, its file, F32 or F64
    topology              the Topology text NetGen's generator writes for the network declared for the model
    steps, inputs_per_step, outputs_per_step
    inputs, outputs       [steps * inputs_per_step] and torch's [steps * outputs_per_step], from a zero state
    state_dict            [name, shape] of every tensor of model.state_dict(), in its order

The safetensors package is not installed here, so the files are written by hand in its format (8-byte
little-endian header length, JSON header, raw little-endian data) as its reference writer lays them out: the tensors
sorted by dtype size (largest first) and then by name, the header listing them in that order with "__metadata__"
{"format": "pt"} first, padded with spaces to a multiple of 8 bytes. So the files list a model's tensors in name
order, not in the model's order, as files written by safetensors.torch.save_file do.

    --check NAME FILE     loads FILE (a safetensors file, such as one SafeTensors.Save wrote) into the model of
                          fixture NAME with load_state_dict(strict=True), runs it on the fixture's inputs and prints
                          the largest difference from the fixture's outputs
"""

import argparse
import json
import os
import struct
import sys

import torch
import torch.nn.functional as F
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 20_260_401
STEPS = 16

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)


def run_stack(modules, activations, x):
    """Applies modules one after another to x [steps, inputs], each time step of a batch of one; a Conv1d is causal
    (the sequence left-padded with (kernel_size - 1) * dilation zeros), a GRU or LSTM starts from zeros."""
    for module, activation in zip(modules, activations):
        if isinstance(module, (nn.GRU, nn.LSTM)):
            x = module(x.unsqueeze(1))[0].squeeze(1)
        elif isinstance(module, nn.Conv1d):
            reach = (module.kernel_size[0] - 1) * module.dilation[0]
            x = module(F.pad(x.t().unsqueeze(0), (reach, 0))).squeeze(0).t()
        else:
            x = module(x)
        x = activation(x)
    return x


class Named(nn.Module):
    """Modules as attributes of a user's model: state_dict names them gru.weight_ih_l0, conv.weight, fc.bias, ..."""

    def __init__(self, layers):
        super().__init__()
        self.order = []
        self.activations = []
        for name, module, activation in layers:
            setattr(self, name, module)
            self.order.append(name)
            self.activations.append(activation)

    def forward(self, x):
        return run_stack([getattr(self, name) for name in self.order], self.activations, x)


class TwoLayerGru(nn.Module):
    """rnn = nn.GRU(1, 4, num_layers=2) (two [Gru(4)] layers), head = nn.Linear(4, 1)."""

    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(1, 4, num_layers=2)
        self.head = nn.Linear(4, 1)

    def forward(self, x):
        return self.head(self.rnn(x.unsqueeze(1))[0].squeeze(1))


class Stack(nn.ModuleList):
    """Each layer's module then its activation module, as SafeTensors.Save names them: 0.*, 2.*, 4.*, ..."""

    def forward(self, x):
        modules = list(self)
        return run_stack(modules[0::2], modules[1::2], x)


def identity(x):
    return x


def fixtures():
    yield "gru_fc", torch.float32, 2, "float 2 | 6 GRU | 1 Identity | MeanSquaredError", lambda: Named([
        ("gru", nn.GRU(2, 6), identity),
        ("fc", nn.Linear(6, 1), identity),
    ])
    yield "conv_lstm", torch.float32, 2, "float 2 | 4 CONV1D k3 d2 Tanh | 5 LSTM | 2 Identity | MeanSquaredError", lambda: Named([
        ("conv", nn.Conv1d(2, 4, 3, dilation=2), torch.tanh),
        ("lstm", nn.LSTM(4, 5), identity),
        ("out", nn.Linear(5, 2), identity),
    ])
    yield ("module_list", torch.float32, 3,
           "float 3 | 4 ReLU | 5 GRU nobias | 3 LSTM | 2 CONV1D k2 d3 Sigmoid nobias | 2 Identity | MeanSquaredError",
           lambda: Stack([
               nn.Linear(3, 4), nn.ReLU(),
               nn.GRU(4, 5, bias=False), nn.Identity(),
               nn.LSTM(5, 3), nn.Identity(),
               nn.Conv1d(3, 2, 2, dilation=3, bias=False), nn.Sigmoid(),
               nn.Linear(2, 2), nn.Identity(),
           ]))
    yield "two_layer_gru", torch.float32, 1, "float 1 | 4 GRU | 4 GRU | 1 Identity | MeanSquaredError", TwoLayerGru
    yield "lstm_double", torch.float64, 2, "double 2 | 3 LSTM nobias | 2 Tanh | MeanSquaredError", lambda: Named([
        ("lstm", nn.LSTM(2, 3, bias=False), identity),
        ("fc", nn.Linear(3, 2), torch.tanh),
    ])


DTYPES = {torch.float32: ("F32", "<f"), torch.float64: ("F64", "<d")}


def safetensors_bytes(state_dict):
    """A safetensors file as the reference writer lays it out (see the module's docstring)."""
    entries = sorted(state_dict.items(), key=lambda item: (-item[1].element_size(), item[0]))
    header = {"__metadata__": {"format": "pt"}}
    data = bytearray()
    for name, tensor in entries:
        dtype, code = DTYPES[tensor.dtype]
        values = tensor.detach().contiguous().reshape(-1).tolist()
        begin = len(data)
        data += struct.pack("<%d%s" % (len(values), code[1]), *values)
        header[name] = {"dtype": dtype, "shape": list(tensor.shape), "data_offsets": [begin, len(data)]}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + bytes(data)


def read_safetensors(path):
    with open(path, "rb") as file:
        blob = file.read()
    (length,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + length].decode("utf-8"))
    buffer = blob[8 + length:]
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        code = {"F32": ("<f", torch.float32, 4), "F64": ("<d", torch.float64, 8)}[entry["dtype"]]
        begin, end = entry["data_offsets"]
        values = struct.unpack("<%d%s" % ((end - begin) // code[2], code[0][1]), buffer[begin:end])
        tensors[name] = torch.tensor(values, dtype=code[1]).reshape(entry["shape"])
    return tensors


def build(seed_offset, dtype, make):
    torch.manual_seed(SEED + seed_offset)
    model = make()
    return model.to(dtype)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", nargs=2, metavar=("NAME", "FILE"))
    arguments = parser.parse_args()

    written = []
    for index, (name, dtype, inputs_per_step, topology, make) in enumerate(fixtures()):
        model = build(index, dtype, make)
        generator = torch.Generator().manual_seed(SEED + 100 + index)
        x = (torch.rand(STEPS, inputs_per_step, generator=generator, dtype=torch.float64) * 4 - 2).to(dtype)
        with torch.no_grad():
            y = model(x)

            # What the float tolerance rests on: torch in float64 at the same parameters and inputs.
            exact = build(index, dtype, make).double()
            exact.load_state_dict({k: v.double() for k, v in model.state_dict().items()})
            spread = (exact(x.double()) - y.double()).abs().max().item()
        if dtype == torch.float32:
            print("%-14s F32  outputs %s, largest |torch float32 - torch float64| = %.3g" % (name, list(y.shape), spread))
        else:
            print("%-14s F64  outputs %s" % (name, list(y.shape)))

        if arguments.check and arguments.check[0] == name:
            other = build(index, dtype, make)
            other.load_state_dict(read_safetensors(arguments.check[1]), strict=True)
            with torch.no_grad():
                difference = (other(x) - y).abs().max().item()
            print("  --check: %s loads into the model with strict=True; largest |output - fixture output| = %.3g"
                  % (arguments.check[1], difference))

        state_dict = model.state_dict()
        with open(os.path.join(HERE, name + ".safetensors"), "wb") as file:
            file.write(safetensors_bytes(state_dict))
        written.append({
            "name": name,
            "file": name + ".safetensors",
            "dtype": DTYPES[dtype][0],
            "topology": topology,
            "steps": STEPS,
            "inputs_per_step": inputs_per_step,
            "outputs_per_step": y.shape[1],
            "inputs": [float(v) for v in x.reshape(-1).tolist()],
            "outputs": [float(v) for v in y.reshape(-1).tolist()],
            "state_dict": [[key, list(value.shape)] for key, value in state_dict.items()],
        })

    document = {
        "about": "Written by make_streaming_fixtures.py with torch " + torch.__version__ + "; do not edit.",
        "fixtures": written,
    }
    with open(os.path.join(HERE, "streaming-fixtures.json"), "w") as file:
        json.dump(document, file, indent=1)
        file.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
