"""Turns a batch of sparse feature matrices into DIET's index, value and shape arrays with
a few whole-batch concatenations.

Rasa 3.6.21's ``RasaDataGenerator._scipy_matrix_to_values`` stacks every example's
coordinates with its own ``np.vstack`` and ``np.ones_like``, for every batch of every
epoch: 16 of the 26 s that `rasa train` spent preparing batches for DIET (py-spy,
issue 11). The arrays are the same, in the same order (tests/components/test_sparse_batches.py).
Four-dimensional (dialogue) features still go through Rasa.
"""
from typing import List

import numpy as np
import scipy.sparse
from rasa.utils.tensorflow.data_generator import RasaDataGenerator
from rasa.utils.tensorflow.feature_array import FeatureArray

from components.patching import require_written_for_this_rasa

_rasa_matrix_to_values = RasaDataGenerator._scipy_matrix_to_values


def matrices_to_values(array_of_sparse: FeatureArray) -> List[np.ndarray]:
    """Same contract and result as ``RasaDataGenerator._scipy_matrix_to_values``."""
    if array_of_sparse.number_of_dimensions == 4:
        return _rasa_matrix_to_values(array_of_sparse)
    matrices = array_of_sparse
    if not scipy.sparse.isspmatrix_coo(matrices[0]):
        matrices = [x.tocoo() for x in matrices]
    sizes = [len(x.data) for x in matrices]
    indices = np.empty((sum(sizes), 3), dtype=np.int64)
    indices[:, 0] = np.repeat(np.arange(len(matrices)), sizes)
    indices[:, 1] = np.concatenate([x.row for x in matrices])
    indices[:, 2] = np.concatenate([x.col for x in matrices])
    data = np.concatenate([x.data for x in matrices]).astype(np.float32)
    shape = np.array((len(matrices), max(x.shape[0] for x in matrices), matrices[0].shape[-1]), dtype=np.int64)
    return [indices, data, shape]


def install() -> None:
    require_written_for_this_rasa("components.sparse_batches (RasaDataGenerator._scipy_matrix_to_values)")
    RasaDataGenerator._scipy_matrix_to_values = staticmethod(matrices_to_values)
