"""DIET's batches of sparse features: the same index, value and shape arrays as Rasa's own
conversion, through the path training and prediction take (``RasaDataGenerator.prepare_batch``)."""
import numpy as np
import pytest
import scipy.sparse
from rasa.utils.tensorflow.data_generator import RasaDataGenerator
from rasa.utils.tensorflow.feature_array import FeatureArray

import components  # noqa: F401  (installs the conversion, as loading our model does)
from components.sparse_batches import _rasa_matrix_to_values, matrices_to_values


def random_matrices(lengths, columns, seed, kind="coo"):
    generator = np.random.default_rng(seed)
    matrices = []
    for rows in lengths:
        dense = (generator.random((rows, columns)) > 0.8) * generator.integers(1, 5, (rows, columns))
        matrices.append(scipy.sparse.coo_matrix(dense.astype(np.float64)).asformat(kind))
    array = np.empty(len(matrices), dtype=object)
    array[:] = matrices
    return FeatureArray(array, number_of_dimensions=3)


def assert_same_arrays(ours, rasas):
    assert len(ours) == len(rasas) == 3
    for mine, theirs in zip(ours, rasas):
        assert mine.dtype == theirs.dtype and mine.shape == theirs.shape
        assert (mine == theirs).all()


@pytest.mark.parametrize("kind", ["coo", "csr"])
@pytest.mark.parametrize("lengths", [[1], [5, 1, 9, 3], [4, 0, 2], [1, 1, 1, 1, 1, 1, 1, 1]])
def test_a_batch_becomes_the_arrays_rasa_makes(kind, lengths):
    batch = random_matrices(lengths, 30, seed=len(lengths), kind=kind)
    ours = RasaDataGenerator.prepare_batch({"text": {"sequence": [batch]}})
    rasas = _rasa_matrix_to_values(batch)
    assert RasaDataGenerator._scipy_matrix_to_values is matrices_to_values  # ours made them
    assert_same_arrays(list(ours), rasas)


def test_a_batch_without_any_feature_set():
    batch = random_matrices([3, 2], 10, seed=1)
    for matrix in batch:
        matrix.data[:] = 0
        matrix.eliminate_zeros()
    assert_same_arrays(RasaDataGenerator._scipy_matrix_to_values(batch), _rasa_matrix_to_values(batch))


def test_slices_of_the_data_are_converted_like_rasa_converts_them():
    batch = random_matrices([2, 7, 4, 6, 1], 12, seed=3)
    ours = RasaDataGenerator.prepare_batch({"text": {"sentence": [batch]}}, start=1, end=4)
    assert_same_arrays(list(ours), _rasa_matrix_to_values(batch[1:4]))
