#!/usr/bin/python3
"""PyTorch's answers for NetGen's image networks ([Conv2D] and [MaxPool2D] layers, then [Dense] layers), written as
JSON fixtures that CnnPyTorchTests reads, so that the test suite needs no Python.

Run from anywhere, with the interpreter that has PyTorch 1.13 (the `python3` on PATH may not):

    /usr/bin/python3 tests/NetGen.Generator.Tests/Fixtures/Cnn/make_cnn_fixtures.py

It is seeded: the same PyTorch gives the same files, byte for byte. It writes, beside itself, cnn-NN.json (COUNT
random stacks, PER_FILE a file), ties.json (one hand-made network whose pooling windows hold exact ties) and
snapshot.json (the network of the generated-code snapshot, Expected/CnnNet.g.cs, with its own draw).

Every stack is built in torch in double precision: 1 to 3 image layers (at least one torch.nn.Conv2d(in, out, k,
stride=s, padding=p, bias=b) followed by its activation, and torch.nn.MaxPool2d(size) layers), then torch.flatten(x,
1) and 1 or 2 torch.nn.Linear layers with their activations. Images of 1 to 4 channels and 3 to 13 rows and columns;
1 to 8 output channels, kernels 1 to 5, strides 1 to 3, paddings 0 to 2, pooling windows 1 to 3; every activation but
Softmax on the convolutions; the last Dense layer Identity (mean squared error), Softmax (cross-entropy) or Sigmoid
(binary cross-entropy). Per fixture:

    name, declaration     the C# class, its attribute lines exactly as a user writes them
    image                 [channels, height, width]; outputs: the number of outputs K
    loss, samples         the loss, and the number of samples B of the batch
    tensors               [label, offset, shape] of every parameter tensor in the flat layout
    parameters            every layer's parameters in layer order, each in PyTorch's order and row-major layout
                          (Conv2d: weight [out, in, k, k], bias; Linear: weight [out, in], bias)
    inputs, targets       B samples, CHW each: [B * C * H * W], [B * K]
    outputs               torch's outputs of every sample [B * K] (Softmax: the probabilities; Sigmoid: sigmoid)
    loss_value            the loss of sample 0 (mse_loss, mean over K; cross_entropy of the logits with
                          probability targets; binary_cross_entropy_with_logits, mean over K)
    gradients             dLoss/dParameter of sample 0, from loss.backward(), in the layout of `parameters`
    batch_loss            the mean loss over the B samples; batch_gradients: its gradients
    logit_scale           max(1, |z|) over the last layer's pre-activations for the cross-entropies, else 0
    kink_margin           the smallest |z| of any ReLU / LeakyReLU pre-activation (null if there is none)
    float, fd             whether the test also compiles the stack in float, and runs finite differences on it

A finite-difference stack has no ReLU or LeakyReLU layer. A drawn stack is drawn again when every slope of some tensor is 0 (a dead ReLU layer), when a ReLU / LeakyReLU
pre-activation lies within KINK_MARGIN (FD_KINK_MARGIN for the finite-difference stacks) of its kink, or when a
pooling window's largest value is within POOL_MARGIN (relative) of another of its values without being exactly equal
to it: two implementations that round differently could then pick different values, and send the slope elsewhere.
Exact ties are kept where both sides compute the tied values exactly (the input image, and the zeros of a ReLU).

Parameters, inputs and targets are multiples of 2^-10 (exact in float as well as double); parameters are torch's
default initialisation, times 1, 2 or 3, rounded to that grid. Numbers are printed with repr, which round-trips.

Besides the fixtures the script measures and prints what the tests' tolerances rest on: the spread between two
correct double computations (torch's modules against a second implementation written here, the convolution as
unfold and a product, the pooling as unfold and a max), and torch in float32 against torch in double.
"""

import json
import math
import os
import random

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 20_261_203
COUNT = 120
PER_FILE = 20
SAMPLES = 3
GRID = 1024.0
KINK_MARGIN = 1e-8
FD_KINK_MARGIN = 1e-3
POOL_MARGIN = 1e-7
MAX_PARAMETERS = 1200

MSE, CE, BCE = "MeanSquaredError", "CrossEntropy", "BinaryCrossEntropy"
CONV_ACTIVATIONS = ["Identity", "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "ELU", "GELU", "SiLU", "Softplus"]
KINKED = {"ReLU", "LeakyReLU"}

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)


def activate(name, z):
    return {
        "Identity": lambda v: v,
        "ReLU": torch.relu,
        "LeakyReLU": lambda v: F.leaky_relu(v, 0.01),
        "Sigmoid": torch.sigmoid,
        "Tanh": torch.tanh,
        "Softmax": lambda v: torch.softmax(v, dim=-1),
        "ELU": lambda v: F.elu(v, 1.0),
        "GELU": F.gelu,
        "SiLU": F.silu,
        "Softplus": F.softplus,
    }[name](z)


def grid(t):
    # + 0.0 turns the -0.0 that rounding a small negative value gives into +0.0: a parameter of -0.0 would test the
    # sign of zero sums rather than the layers (p - lr * (-0.0) and p - lr * (0 + -0.0) differ only there).
    return torch.round(t * GRID) / GRID + 0.0


# A layer: ("Conv2D", out, k, stride, padding, activation, bias), ("MaxPool2D", size) or ("Dense", units, activation, bias).


def shapes(image, layers):
    """The shape each layer puts out ([c, h, w] for an image layer, [n] for a Dense), or None when one does not fit."""
    c, h, w = image
    out = []
    flat = None
    for layer in layers:
        if layer[0] == "Conv2D":
            _, o, k, s, p, _, _ = layer
            if k > h + 2 * p or k > w + 2 * p:
                return None
            c, h, w = o, (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
            out.append([c, h, w])
        elif layer[0] == "MaxPool2D":
            size = layer[1]
            if size > h or size > w:
                return None
            h, w = h // size, w // size
            out.append([c, h, w])
        else:
            flat = layer[1]
            out.append([flat])
    return out


def parameter_count(image, layers):
    c = image[0]
    fan = image[0] * image[1] * image[2]
    count = 0
    for layer, shape in zip(layers, shapes(image, layers)):
        if layer[0] == "Conv2D":
            _, o, k, _, _, _, b = layer
            count += o * c * k * k + (o if b else 0)
            c = o
            fan = shape[0] * shape[1] * shape[2]
        elif layer[0] == "MaxPool2D":
            fan = shape[0] * shape[1] * shape[2]
        else:
            count += layer[1] * fan + (layer[1] if layer[3] else 0)
            fan = layer[1]
    return count


def draw_stack(rng):
    while True:
        image = [rng.choice([1, 1, 2, 3, 4]), rng.randint(3, 13), rng.randint(3, 13)]
        layers = []
        for i in range(rng.randint(1, 3)):
            if i > 0 and rng.random() < 0.35 or (i == 0 and rng.random() < 0.1):
                layers.append(("MaxPool2D", rng.randint(1, 3)))
            else:
                layers.append(("Conv2D", rng.randint(1, 8), rng.randint(1, 5), rng.randint(1, 3), rng.randint(0, 2),
                               rng.choice(CONV_ACTIVATIONS), rng.random() < 0.75))
        if not any(l[0] == "Conv2D" for l in layers):
            continue
        loss = rng.choice([MSE, MSE, CE, BCE])
        if rng.random() < 0.4:
            layers.append(("Dense", rng.randint(2, 6), rng.choice(["ReLU", "Tanh", "Sigmoid", "Identity"]), rng.random() < 0.8))
        units = rng.randint(2 if loss == CE else 1, 4)
        last = {MSE: "Identity", CE: "Softmax", BCE: "Sigmoid"}[loss]
        layers.append(("Dense", units, last, rng.random() < 0.8))
        if shapes(image, layers) is None or parameter_count(image, layers) > MAX_PARAMETERS:
            continue
        return image, layers, loss


def declaration(name, image, layers, loss, element="<double>"):
    lines = [f"[Network{element}({image[0]}, {image[1]}, {image[2]}{'' if loss == MSE else f', Loss = LossFunction.{loss}'})]"]
    for layer in layers:
        if layer[0] == "Conv2D":
            _, o, k, s, p, act, b = layer
            extra = "" if act == "Identity" else f", Activation.{act}"
            extra += "" if s == 1 else f", Stride = {s}"
            extra += "" if p == 0 else f", Padding = {p}"
            extra += "" if b else ", Bias = false"
            lines.append(f"[Conv2D({o}, {k}{extra})]")
        elif layer[0] == "MaxPool2D":
            lines.append(f"[MaxPool2D({layer[1]})]")
        else:
            _, u, act, b = layer
            lines.append(f"[Dense({u}{'' if act == 'Identity' else f', Activation.{act}'}{'' if b else ', Bias = false'})]")
    lines.append(f"public partial class {name};")
    return "\n".join(lines)


def make_parameters(rng, image, layers):
    """torch's default initialisation times 1, 2 or 3, on the grid; as [(label, tensor)]."""
    tensors = []
    c = image[0]
    fan = image[0] * image[1] * image[2]
    for index, (layer, shape) in enumerate(zip(layers, shapes(image, layers))):
        scale = rng.choice([1.0, 2.0, 3.0])
        if layer[0] == "Conv2D":
            _, o, k, s, p, _, b = layer
            module = torch.nn.Conv2d(c, o, k, stride=s, padding=p, bias=b).double()
            tensors.append((f"layer {index + 1} Conv2D weight", grid(module.weight.detach() * scale)))
            if b:
                tensors.append((f"layer {index + 1} Conv2D bias", grid(module.bias.detach() * scale)))
            c = o
            fan = shape[0] * shape[1] * shape[2]
        elif layer[0] == "MaxPool2D":
            fan = shape[0] * shape[1] * shape[2]
        else:
            _, u, _, b = layer
            module = torch.nn.Linear(fan, u, bias=b).double()
            tensors.append((f"layer {index + 1} Dense weight", grid(module.weight.detach() * scale)))
            if b:
                tensors.append((f"layer {index + 1} Dense bias", grid(module.bias.detach() * scale)))
            fan = u
    return tensors


def forward(layers, params, x, unfolded=False, record=None):
    """The stack on a batch x [B, C, H, W]: the last layer's z (logits) and its output. unfolded: the second
    implementation (convolution and pooling through F.unfold, in another order of operations)."""
    it = iter(params)
    h = x
    flattened = False
    z = None
    for layer in layers:
        if layer[0] == "Conv2D":
            _, o, k, s, p, act, b = layer
            weight = next(it)
            bias = next(it) if b else None
            if unfolded:
                batch, _, height, width = h.shape
                columns = F.unfold(h, k, padding=p, stride=s)  # [B, C*k*k, L]
                out_h, out_w = (height + 2 * p - k) // s + 1, (width + 2 * p - k) // s + 1
                z = (weight.reshape(o, -1) @ columns).reshape(batch, o, out_h, out_w)
                if bias is not None:
                    z = z + bias.reshape(1, o, 1, 1)
            else:
                z = F.conv2d(h, weight, bias, stride=s, padding=p)
            if record is not None:
                record.append((act, z))
            h = activate(act, z)
        elif layer[0] == "MaxPool2D":
            size = layer[1]
            if record is not None:
                record.append(("pool", (h, size)))
            if unfolded:
                batch, channels, height, width = h.shape
                columns = F.unfold(h.reshape(batch * channels, 1, height, width), size, stride=size)
                h = columns.max(dim=1).values.reshape(batch, channels, height // size, width // size)
            else:
                h = F.max_pool2d(h, size)
        else:
            if not flattened:
                h = torch.flatten(h, 1)
                flattened = True
            _, u, act, b = layer
            weight = next(it)
            bias = next(it) if b else None
            z = F.linear(h, weight, bias)
            if record is not None:
                record.append((act, z))
            h = activate(act, z)
    return z, h


def loss_of(loss, z, y, t):
    if loss == MSE:
        return F.mse_loss(y, t)
    if loss == CE:
        return F.cross_entropy(z, t)
    return F.binary_cross_entropy_with_logits(z, t)


def margins(record, image_input):
    """The smallest |z| at a kink, and whether every pooling window's largest value is clear of the others."""
    kink = None
    pools_clear = True
    for i, (kind, value) in enumerate(record):
        if kind in KINKED:
            m = value.abs().min().item()
            kink = m if kink is None else min(kink, m)
        elif kind == "pool":
            h, size = value
            batch, channels, height, width = h.shape
            windows = F.unfold(h.reshape(batch * channels, 1, height, width), size, stride=size)  # [N, size^2, L]
            top = windows.max(dim=1, keepdim=True).values
            gap = top - windows
            exact_source = i == 0 or (record[i - 1][0] == "ReLU")
            near = (gap > 0) & (gap < POOL_MARGIN * top.abs().clamp(min=1.0))
            tie = (gap == 0).sum(dim=1) > 1
            if near.any():
                pools_clear = False
            if tie.any() and not exact_source:
                pools_clear = False
            if tie.any() and exact_source and i > 0:
                # After a ReLU only its exact zeros may tie.
                if ((top.squeeze(1) != 0) & tie).any():
                    pools_clear = False
    return kink, pools_clear


def make_case(rng, name, image, layers, loss, fd, use_float):
    for attempt in range(40):
        tensors = make_parameters(rng, image, layers)
        params = [t.clone().requires_grad_(True) for _, t in tensors]
        x = grid(torch.rand(SAMPLES, *image, dtype=torch.double) * 2 - 1)
        k = layers[-1][1]
        if loss == MSE:
            t = grid(torch.rand(SAMPLES, k, dtype=torch.double) * 2 - 1)
        elif loss == CE:
            t = torch.zeros(SAMPLES, k, dtype=torch.double)
            for s in range(SAMPLES):
                if rng.random() < 0.5:
                    t[s, rng.randrange(k)] = 1.0
                else:
                    a, b = rng.sample(range(k), 2)
                    t[s, a] += 0.75
                    t[s, b] += 0.25
        else:
            t = grid(torch.rand(SAMPLES, k, dtype=torch.double))
        record = []
        z, y = forward(layers, params, x, record=record)
        kink, clear = margins(record, x)
        if not clear or (kink is not None and kink < (FD_KINK_MARGIN if fd else KINK_MARGIN)):
            continue
        loss0 = loss_of(loss, z[:1], y[:1], t[:1])
        grads = torch.autograd.grad(loss0, params, retain_graph=True)
        if any((g == 0).all().item() for g in grads):
            continue
        batch_loss = loss_of(loss, z, y, t)
        batch_grads = torch.autograd.grad(batch_loss, params)

        # The spread between two correct implementations, and float32 against double.
        z2, y2 = forward(layers, params, x, unfolded=True)
        spread = relative(y2.detach(), y.detach())
        grads2 = torch.autograd.grad(loss_of(loss, z2[:1], y2[:1], t[:1]), params)
        spread = max(spread, max(relative(a, b) for a, b in zip(grads2, grads)))
        fparams = [p.detach().float().requires_grad_(True) for p in params]
        zf, yf = forward(layers, fparams, x.float())
        fgrads = torch.autograd.grad(loss_of(loss, zf[:1], yf[:1], t[:1].float()), fparams)
        float_spread = max(relative(yf.detach().double(), y.detach(), 1e-2), relative(torch.cat([a.double().reshape(-1) for a in fgrads]), torch.cat([b.reshape(-1) for b in grads]), 1e-2))

        flat = torch.cat([p.detach().reshape(-1) for p in params])
        offsets = []
        offset = 0
        for (label, tensor) in tensors:
            offsets.append([label, offset, list(tensor.shape)])
            offset += tensor.numel()
        case = {
            "name": name,
            "declaration": declaration(name, image, layers, loss),
            "image": image,
            "outputs_count": k,
            "loss": loss,
            "samples": SAMPLES,
            "float": use_float,
            "fd": fd,
            "logit_scale": 0.0 if loss == MSE else max(1.0, z.detach().abs().max().item()),
            "kink_margin": kink,
            "tensors": offsets,
            "parameters": flat.tolist(),
            "inputs": x.reshape(-1).tolist(),
            "targets": t.reshape(-1).tolist(),
            "outputs": y.detach().reshape(-1).tolist(),
            "loss_value": loss0.item(),
            "gradients": torch.cat([g.reshape(-1) for g in grads]).tolist(),
            "batch_loss": batch_loss.item(),
            "batch_gradients": torch.cat([g.reshape(-1) for g in batch_grads]).tolist(),
        }
        return case, spread, float_spread
    return None


def relative(a, b, floor=1e-3):
    """max |a - b| / max(|b|, floor S), S the largest |b|: the rule the tests apply (floor 1e-3 in double, 1e-2 in float)."""
    scale = b.abs().max().item()
    if scale == 0:
        return 0.0 if (a == 0).all() else math.inf
    return ((a - b).abs() / b.abs().clamp(min=floor * scale)).max().item()


def write(path, cases):
    with open(path, "w") as f:
        f.write('{"generator":"make_cnn_fixtures.py","torch":' + json.dumps(torch.__version__) + ',"cases":[\n')
        f.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in cases))
        f.write("\n]}\n")


def ties_case():
    """[Network<double>(2, 2, 4)] [Conv2D(1, 1, Bias = false)] [MaxPool2D(2)] [Dense(1)]: channel 0 of the image holds
    exact ties (and the 1x1 kernel's weight on it is 1, on channel 1 0), so the pooled values are the ties themselves,
    and the slope of the weight on channel 1 (which only tags the positions) shows which value each window chose."""
    image = [2, 2, 4]
    layers = [("Conv2D", 1, 1, 1, 0, "Identity", False), ("MaxPool2D", 2), ("Dense", 1, "Identity", True)]
    weight = torch.tensor([[[[1.0]], [[0.0]]]], dtype=torch.double, requires_grad=True)
    dense_w = torch.tensor([[1.0, 1.0]], dtype=torch.double, requires_grad=True)
    dense_b = torch.tensor([0.0], dtype=torch.double, requires_grad=True)
    params = [weight, dense_w, dense_b]
    ties = [[0.5, 0.5, -0.25, -0.25], [0.5, 0.5, -0.25, -0.25]]
    tags = [[1.0, 2.0, 16.0, 32.0], [4.0, 8.0, 64.0, 128.0]]
    x = torch.tensor([[ties, tags]], dtype=torch.double)
    t = torch.tensor([[0.125]], dtype=torch.double)
    z, y = forward(layers, params, x)
    loss = F.mse_loss(y, t)
    grads = torch.autograd.grad(loss, params)
    return {
        "name": "Ties",
        "declaration": declaration("Ties", image, layers, MSE),
        "image": image,
        "outputs_count": 1,
        "loss": MSE,
        "samples": 1,
        "float": False,
        "fd": False,
        "logit_scale": 0.0,
        "kink_margin": None,
        "tensors": [["layer 1 Conv2D weight", 0, [1, 2, 1, 1]], ["layer 3 Dense weight", 2, [1, 2]], ["layer 3 Dense bias", 4, [1]]],
        "parameters": torch.cat([p.detach().reshape(-1) for p in params]).tolist(),
        "inputs": x.reshape(-1).tolist(),
        "targets": t.reshape(-1).tolist(),
        "outputs": y.detach().reshape(-1).tolist(),
        "loss_value": loss.item(),
        "gradients": torch.cat([g.reshape(-1) for g in grads]).tolist(),
        "batch_loss": loss.item(),
        "batch_gradients": torch.cat([g.reshape(-1) for g in grads]).tolist(),
    }


def snapshot_case(rng):
    """The network of the generated-code snapshot (Expected/CnnNet.g.cs), with parameters and a sample of its own."""
    image = [1, 6, 6]
    layers = [("Conv2D", 2, 3, 1, 1, "ReLU", True), ("MaxPool2D", 2), ("Dense", 3, "Softmax", True)]
    for attempt in range(100):
        tensors = make_parameters(rng, image, layers)
        params = [t.clone().requires_grad_(True) for _, t in tensors]
        x = grid(torch.rand(1, *image, dtype=torch.double) * 2 - 1)
        t = torch.tensor([[0.0, 1.0, 0.0]], dtype=torch.double)
        record = []
        z, y = forward(layers, params, x, record=record)
        kink, clear = margins(record, x)
        if not clear or kink < KINK_MARGIN:
            continue
        loss = loss_of(CE, z, y, t)
        grads = torch.autograd.grad(loss, params)
        if any((g == 0).all().item() for g in grads):
            continue
        return {
            "name": "CnnNet",
            "declaration": declaration("CnnNet", image, layers, CE),
            "image": image,
            "outputs_count": 3,
            "loss": CE,
            "samples": 1,
            "float": False,
            "fd": False,
            "logit_scale": max(1.0, z.detach().abs().max().item()),
            "kink_margin": kink,
            "tensors": [[label, sum(p.numel() for _, p in tensors[:i]), list(p.shape)] for i, (label, p) in enumerate(tensors)],
            "parameters": torch.cat([p.detach().reshape(-1) for p in params]).tolist(),
            "inputs": x.reshape(-1).tolist(),
            "targets": t.reshape(-1).tolist(),
            "outputs": y.detach().reshape(-1).tolist(),
            "loss_value": loss.item(),
            "gradients": torch.cat([g.reshape(-1) for g in grads]).tolist(),
            "batch_loss": loss.item(),
            "batch_gradients": torch.cat([g.reshape(-1) for g in grads]).tolist(),
        }
    raise RuntimeError("no clean draw for the snapshot network")


def main():
    rng = random.Random(SEED)
    torch.manual_seed(SEED)
    cases = []
    worst_spread = worst_float = 0.0
    for i in range(COUNT):
        fd = i % 12 == 0
        use_float = i % 4 == 1 or fd
        made = None
        while made is None:
            # A stack whose parameters and inputs cannot be drawn clean (40 tries) is drawn again; the
            # finite-difference stacks keep clear of the kinks by having none.
            image, layers, loss = draw_stack(rng)
            if fd and any(l[0] != "MaxPool2D" and l[2 if l[0] == "Dense" else 5] in KINKED for l in layers):
                continue
            made = make_case(rng, f"K{i + 1:03d}", image, layers, loss, fd, use_float)
        case, spread, float_spread = made
        cases.append(case)
        worst_spread = max(worst_spread, spread)
        worst_float = max(worst_float, float_spread)
    for f in range(0, COUNT, PER_FILE):
        write(os.path.join(HERE, f"cnn-{f // PER_FILE + 1:02d}.json"), cases[f:f + PER_FILE])
    write(os.path.join(HERE, "ties.json"), [ties_case()])
    write(os.path.join(HERE, "snapshot.json"), [snapshot_case(random.Random(SEED + 1))])
    print(f"seed {SEED}: {len(cases)} stacks, {sum(len(c['parameters']) for c in cases)} parameters")
    print(f"two double implementations differ by at most {worst_spread:.3g} (relative, floor 1e-3 S)")
    print(f"torch float32 against double: at most {worst_float:.3g} (relative, floor 1e-2 S, S over all outputs or all gradients)")


if __name__ == "__main__":
    main()
