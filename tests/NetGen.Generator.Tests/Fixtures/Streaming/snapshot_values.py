# The values StreamingSnapshotTests holds the streaming snapshots (Expected/GruNet.g.cs, Expected/LstmNet.g.cs) to,
# computed by PyTorch in double precision: run with Debian's python3-torch (/usr/bin/python3 snapshot_values.py) and
# paste the printed arrays into StreamingSnapshotTests.cs. The tests need no Python.
import torch

torch.set_default_dtype(torch.float64)


def case(name, modules, activations, inputs, outputs, steps, loss, seed):
    torch.manual_seed(seed)
    mods = [m() for m in modules]
    params = [p for m in mods for p in m.parameters()]
    x = torch.randn(steps, inputs)
    t = torch.rand(steps, outputs) if loss == "bce" else torch.randn(steps, outputs)
    h = x
    for m, a in zip(mods, activations):
        h = m(h.unsqueeze(1))[0].squeeze(1) if isinstance(m, (torch.nn.GRU, torch.nn.LSTM)) else m(h)
        if a == "tanh":
            h = torch.tanh(h)
    if loss == "bce":
        value = torch.nn.functional.binary_cross_entropy_with_logits(h, t)
        y = torch.sigmoid(h)
    else:
        value = torch.nn.functional.mse_loss(h, t)
        y = h
    value.backward()

    def show(label, tensor):
        print(f"    private static readonly double[] {name}{label} = [{', '.join(repr(float(v)) for v in tensor.flatten())}];")

    show("Parameters", torch.cat([p.detach().flatten() for p in params]))
    show("Inputs", x)
    show("Targets", t)
    show("Outputs", y.detach())
    print(f"    private const double {name}Loss = {float(value)!r};")
    show("Gradients", torch.cat([p.grad.flatten() for p in params]))


case("Gru", [lambda: torch.nn.GRU(2, 3), lambda: torch.nn.Linear(3, 2)], [None, "tanh"], 2, 2, 5, "mse", 1)
case("Lstm", [lambda: torch.nn.LSTM(1, 3), lambda: torch.nn.GRU(3, 2, bias=False), lambda: torch.nn.Linear(2, 1)],
     [None, None, None], 1, 1, 6, "bce", 2)
