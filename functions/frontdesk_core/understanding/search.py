"""Exact nearest-entry search over many rows, reading a quarter of the bytes.

A query's scores against every row (unit vectors, 384 floats each) is one matrix-vector product that
reads the whole matrix: 15 MB at 10 000 rows, 46 MB at 30 000 (10 000 entries with two phrasings each),
bound by memory bandwidth on a shared machine. Here the rows are also kept as int8 (per-row scale) and
scored in one ONNX Runtime integer product (MatMulInteger), with a proven per-row error bound; only
the entries that could be among the best k by that bound are scored again in float32. The result is
exactly the float32 one (tests/unit/test_search.py checks it against the plain product).

Bound: with q = sq·q' + e_q (|e_q| ≤ sq/2 per element) and m = s·m' + e_m (|e_m| ≤ s/2),
|q·m − sq·s·(q'·m')| ≤ s/2·‖q‖₁ + sq/2·‖m‖₁ + 3·D·sq·s/4. The query is quantised to 7 bits (values
1..127 around 64) so that the CPU kernels' paired u8×s8 products cannot saturate 16 bits.
"""
from __future__ import annotations

import os

import numpy as np

MIN_ROWS = 4096          # below this the plain product is already well under a millisecond


class CoarseScores:
    """int8 copy of the rows and its ONNX Runtime session. Build once per index (~0.1 s at 30k rows)."""

    def __init__(self, rows: np.ndarray):
        import onnxruntime as ort

        from ..embedding import THREADS_ENV, onnx_protos

        pb = onnx_protos()
        scale = np.abs(rows).max(axis=1) / 127
        scale[scale == 0] = 1.0
        quantised = np.round(rows / scale[:, None]).astype(np.int8)
        self.scale = scale.astype(np.float32)
        self.l1 = np.abs(rows).sum(axis=1).astype(np.float32)
        self.dim = rows.shape[1]

        def tensor(name: str, arr: np.ndarray, kind: int):
            arr = np.ascontiguousarray(arr)
            return pb.TensorProto(name=name, dims=arr.shape, raw_data=arr.tobytes(), data_type=kind)

        graph = pb.GraphProto(
            name="coarse-scores",
            node=[pb.NodeProto(op_type="MatMulInteger", input=["query", "rows", "zero"], output=["scores"])],
            initializer=[tensor("rows", quantised.T, pb.TensorProto.INT8),
                         tensor("zero", np.array(64, np.uint8), pb.TensorProto.UINT8)],
            input=[pb.ValueInfoProto(name="query")], output=[pb.ValueInfoProto(name="scores")])
        graph.input[0].type.tensor_type.elem_type = pb.TensorProto.UINT8
        for d in (1, self.dim):
            graph.input[0].type.tensor_type.shape.dim.add(dim_value=d)
        graph.output[0].type.tensor_type.elem_type = pb.TensorProto.INT32
        model = pb.ModelProto(ir_version=8, producer_name="frontdesk", graph=graph,
                              opset_import=[pb.OperatorSetIdProto(domain="", version=18)])
        options = ort.SessionOptions()
        options.intra_op_num_threads = int(os.environ.get(THREADS_ENV, "1") or 1)
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = ort.InferenceSession(model.SerializeToString(), options,
                                            providers=["CPUExecutionProvider"])

    def __call__(self, vec: np.ndarray) -> tuple[np.ndarray, float, float]:
        """Approximate scores of every row, and (a, b) such that row r's error is at most
        `scale[r] * a + l1[r] * b` (`bounds`)."""
        top = float(np.abs(vec).max())
        step = top / 63 if top > 0 else 1.0
        query = (np.round(vec / step) + 64).astype(np.uint8)[None, :]
        approx = self.session.run(None, {"query": query})[0][0].astype(np.float32)
        approx *= self.scale * np.float32(step)
        return approx, float(np.abs(vec).sum()) / 2 + 0.75 * self.dim * step, step / 2

    @staticmethod
    def bounds(scale: np.ndarray, l1: np.ndarray, a: float, b: float) -> np.ndarray:
        return scale * np.float32(a) + l1 * np.float32(b) + np.float32(1e-5)


def coarse_scores(rows: np.ndarray) -> CoarseScores | None:
    """The int8 scorer for a big matrix when ONNX Runtime is installed (the agent), else None: the
    plain product is used (the functions, small bases)."""
    if len(rows) < MIN_ROWS:
        return None
    try:
        return CoarseScores(rows)
    except ImportError:
        return None
