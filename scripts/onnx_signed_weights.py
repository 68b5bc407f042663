"""Rewrite a dynamically quantized ONNX model's uint8 MatMulInteger weights as int8, exactly.

onnxruntime's x86 kernels multiply uint8 activations by int8 weights much faster than by uint8
weights (2.4 times on the technique tagger, on an AVX-512 VNNI machine). The rewrite is exact:
each weight w and its zero point z both move down by 128, so (w - 128) - (z - 128) = w - z and the
model's outputs stay bit-identical. Needs the ``onnx`` package (training environment only).

Example:
  /work/train-venv/bin/python scripts/onnx_signed_weights.py tagger.pc_u8.onnx techniques_tagger.onnx
"""

from __future__ import annotations

import sys


def signed_weights(src: str, dst: str) -> int:
    """Write ``src`` to ``dst`` with int8 weights; returns how many tensors were rewritten."""
    import numpy as np
    import onnx
    from onnx import numpy_helper

    model = onnx.load(src)
    inits = {t.name: t for t in model.graph.initializer}
    rewritten = 0
    for node in model.graph.node:
        if node.op_type != "MatMulInteger":
            continue
        for name in (node.input[1], node.input[3]):  # weights and their zero points
            tensor = inits.get(name)
            if tensor is None or tensor.data_type != onnx.TensorProto.UINT8:
                continue
            shifted = (numpy_helper.to_array(tensor).astype(np.int16) - 128).astype(np.int8)
            tensor.CopyFrom(numpy_helper.from_array(shifted, name))
            rewritten += 1
    onnx.checker.check_model(model)
    onnx.save(model, dst)
    return rewritten


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: onnx_signed_weights.py SRC.onnx DST.onnx")
    print(f"rewrote {signed_weights(sys.argv[1], sys.argv[2])} weight tensors")
