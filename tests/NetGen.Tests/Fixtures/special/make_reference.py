#!/usr/bin/python3
"""Reference values for SpecialFunctionsTests and ActivationsTests, computed with mpmath at 60 digits.

Run from this folder: /usr/bin/python3 make_reference.py (needs mpmath, which python3-mpmath provides). It rewrites
erf.csv and logp1.csv, each row x and f(x), and activations.csv, each row an activation, z, its value and its slope,
from their definitions (PyTorch's: ELU alpha 1, GELU's exact erf form, SiLU, Softplus with beta 1 and threshold 20).
Every number is written as Python's repr of a double (which reads back exactly): x and z are doubles, and each value
is the double nearest to the exact one, so a result within 1 ulp of the exact value is at most 1 ulp from it.
"""
import random
import struct

import mpmath

mpmath.mp.dps = 60


def doubles_around(x, count=2):
    """x and its neighbours: the doubles count steps below and above."""
    import math
    values = [x]
    down = up = x
    for _ in range(count):
        down = math.nextafter(down, -math.inf)
        up = math.nextafter(up, math.inf)
        values += [down, up]
    return values


def erf_points():
    points = [0.0, 5e-324, 1e-310, 2.2250738585072014e-308, 1e-300, 1e-20, 2.0 ** -28, 1e-8, 1e-5, 1e-3, 0.1,
              0.5, 0.6174, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 5.9, 5.99, 6.5, 10.0, 27.0, 1e10]
    # The interval boundaries of the approximation (0.84375, 1.25, 1/0.35 as a high word, 6) and the doubles beside them.
    for boundary in [0.84375, 1.25, 2.857142925262451171875, 6.0]:
        points += doubles_around(boundary)
    rng = random.Random(20251127)
    points += [rng.uniform(0, 7) for _ in range(400)]
    points += [rng.uniform(0, 1) for _ in range(100)]
    points += [10 ** rng.uniform(-12, 0) for _ in range(100)]
    # Floats (doubles that a float holds exactly), for the float erf.
    points += [struct.unpack("<f", struct.pack("<f", rng.uniform(0, 4.5)))[0] for _ in range(200)]
    points += [-p for p in list(points)]
    return points


def logp1_points():
    points = [0.0, 5e-324, 1e-300, 1e-20, 2.0 ** -53, 2.0 ** -52, 1e-15, 1e-10, 1e-7, 1e-5, 1e-3, 0.01, 0.1, 0.25,
              0.5, 0.75, 1.0, 2.0, 10.0, 1e3, 1e10, 1e100, 1e300, 4.85e8, -0.5, -0.25, -0.1, -1e-3, -1e-10, -1e-20,
              -0.999, -0.9999999]
    rng = random.Random(20251128)
    points += [10 ** rng.uniform(-18, 9) for _ in range(400)]   # e^z over the z at which Softplus calls it
    points += [-(10 ** rng.uniform(-18, -0.01)) for _ in range(100)]
    return points


def write(name, points, f):
    with open(name, "w", encoding="ascii", newline="\n") as out:
        out.write("x,f\n")
        for x in points:
            out.write(f"{x!r},{float(f(mpmath.mpf(x)))!r}\n")


def activations():
    """(name, value, slope) of each activation of a double z, exactly (as mpf)."""
    def sigmoid(z):
        return 1 / (1 + mpmath.exp(-z))

    def phi(z):
        return mpmath.exp(-z * z / 2) / mpmath.sqrt(2 * mpmath.pi)

    def cdf(z):
        return (1 + mpmath.erf(z / mpmath.sqrt(2))) / 2

    return [
        ("ELU", lambda z: z if z > 0 else mpmath.expm1(z), lambda z: 1 if z > 0 else mpmath.exp(z)),
        ("GELU", lambda z: z * cdf(z), lambda z: cdf(z) + z * phi(z)),
        ("SiLU", lambda z: z * sigmoid(z), lambda z: sigmoid(z) * (1 + z * (1 - sigmoid(z)))),
        ("Softplus", lambda z: z if z > 20 else mpmath.log1p(mpmath.exp(z)), lambda z: 1 if z > 20 else sigmoid(z)),
    ]


def activation_points():
    # ActivationsTests' points, the thresholds of Softplus, and floats (doubles that a float holds) for the float tests.
    points = [-30, -7.5, -2, -1, -0.3, -1e-3, 1e-3, 0.25, 0.5, 1, 2, 6.25, 30, -50, -1e-8, 1e-8, 0.0, 19.5, 20.0,
              20.5, 40.0, -700.0, 700.0]
    rng = random.Random(20251129)
    points += [struct.unpack("<f", struct.pack("<f", rng.uniform(-8, 8)))[0] for _ in range(60)]
    return [float(p) for p in points]


with open("activations.csv", "w", encoding="ascii", newline="\n") as out:
    out.write("activation,z,value,slope\n")
    for name, value, slope in activations():
        for z in activation_points():
            exact = mpmath.mpf(z)
            out.write(f"{name},{z!r},{float(value(exact))!r},{float(slope(exact))!r}\n")

write("erf.csv", erf_points(), mpmath.erf)
write("logp1.csv", logp1_points(), mpmath.log1p)
