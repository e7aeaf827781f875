"""Joins sparse feature matrices side by side by concatenating their coordinates.

For every message DIET asks for the combined sparse features of the RegexFeaturizer and
both CountVectorsFeaturizers (``Message.get_sparse_features``), which Rasa 3.6.21 joins
with scipy's general ``hstack``: about 0.5 ms of the Rasa server's 12 ms of CPU per
message (py-spy under ``scripts/benchmark.py``, issue 11). All our featurizers make COO
matrices, and two COO matrices side by side are one COO matrix whose coordinates are the
left one's plus the right one's shifted by the left width: three array concatenations.
Other matrix types still go through scipy.

``install()`` runs when the ``components`` package is imported, i.e. in every Rasa
process that loads our model, before any message is featurized.
"""
import numpy as np
import scipy.sparse
from rasa.shared.nlu.training_data.features import Features

from components.patching import require_written_for_this_rasa


def side_by_side(left: scipy.sparse.spmatrix, right: scipy.sparse.spmatrix) -> scipy.sparse.spmatrix:
    """The same matrix as ``scipy.sparse.hstack([left, right])``."""
    if not (scipy.sparse.isspmatrix_coo(left) and scipy.sparse.isspmatrix_coo(right)):
        return scipy.sparse.hstack([left, right])
    return scipy.sparse.coo_matrix(
        (
            np.concatenate([left.data, right.data]),
            (np.concatenate([left.row, right.row]), np.concatenate([left.col, right.col + left.shape[1]])),
        ),
        shape=(left.shape[0], left.shape[1] + right.shape[1]),
    )


def combine_sparse_features(self: Features, additional_features: Features) -> None:
    """Same contract as ``Features._combine_sparse_features``."""
    if self.features.shape[0] != additional_features.features.shape[0]:
        raise ValueError(
            f"Cannot combine sparse features as sequence dimensions do not "
            f"match: {self.features.shape[0]} != "
            f"{additional_features.features.shape[0]}."
        )
    self.features = side_by_side(self.features, additional_features.features)
    self._cached_fingerprint = None


def install() -> None:
    require_written_for_this_rasa("components.sparse_features (Features._combine_sparse_features)")
    Features._combine_sparse_features = combine_sparse_features
