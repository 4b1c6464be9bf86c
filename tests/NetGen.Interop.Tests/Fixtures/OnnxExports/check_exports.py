#!/usr/bin/env python3
"""Runs the real ONNX checker and shape inference on every .onnx file beside this script.

The files are what NetGen's OnnxExporter writes (OnnxExportFixtureTests compares them byte for byte with the
exporter's output; NETGEN_UPDATE_FIXTURES=1 rewrites them). For each file:

- onnx.checker.check_model(model, full_check=True): the model's structure, every node against its operator's
  schema at the imported opset, and (full_check) shape inference in strict mode on top;
- onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True): the types and shapes ONNX infers
  for every value, printed for the graph's output, which must be what the exporter declared.

Run by hand (the tests need no Python): python3 check_exports.py, and put what it prints in README.md.
Exits 1 if any file fails.
"""

import pathlib
import sys

import onnx
from onnx import checker, shape_inference


def describe(value_info):
    tensor = value_info.type.tensor_type
    dims = [d.dim_param if d.HasField("dim_param") else str(d.dim_value) for d in tensor.shape.dim]
    return f"{value_info.name}: {onnx.TensorProto.DataType.Name(tensor.elem_type)} [{', '.join(dims)}]"


def check(path):
    model = onnx.load(str(path))
    checker.check_model(model, full_check=True)
    inferred = shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
    checker.check_model(inferred)
    declared = [describe(v) for v in model.graph.output]
    found = [describe(v) for v in inferred.graph.output]
    if declared != found:
        raise ValueError(f"inferred outputs {found} are not the declared {declared}")
    opset = ", ".join(f"{o.domain or 'ai.onnx'} {o.version}" for o in model.opset_import)
    ops = sorted({node.op_type for node in model.graph.node})
    return (
        f"IR {model.ir_version}, opset {opset}, {len(model.graph.node)} nodes ({' '.join(ops)}), "
        f"{len(model.graph.initializer)} initializers, {len(inferred.graph.value_info)} inferred values; "
        f"{describe(model.graph.input[0])} -> {found[0]}"
    )


def main():
    here = pathlib.Path(__file__).resolve().parent
    files = sorted(here.glob("*.onnx"))
    print(f"onnx {onnx.__version__} (IR {onnx.IR_VERSION}), {len(files)} files")
    failed = 0
    for path in files:
        try:
            print(f"OK   {path.name}: {check(path)}")
        except Exception as error:  # any checker or inference error is the verdict on that file
            failed += 1
            print(f"FAIL {path.name}: {type(error).__name__}: {error}")
    print(f"{len(files) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
