"""Sparse features joined side by side: the same matrices as scipy's hstack, through the
path DIET takes (``Message.get_sparse_features``)."""
import numpy as np
import pytest
import scipy.sparse
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message

import components  # noqa: F401  (installs the join, as loading our model does)


def random_coo(rows: int, columns: int, dtype, seed: int) -> scipy.sparse.coo_matrix:
    generator = np.random.default_rng(seed)
    dense = (generator.random((rows, columns)) > 0.9) * generator.integers(1, 5, (rows, columns))
    return scipy.sparse.coo_matrix(dense.astype(dtype))


@pytest.mark.parametrize("dtypes", [(np.float32, np.float32), (np.int64, np.float32), (np.float64, np.int32)])
def test_a_message_s_features_are_joined_as_scipy_joins_them(dtypes):
    parts = [random_coo(6, 40, dtypes[0], 1), random_coo(6, 25, dtypes[1], 2), random_coo(6, 3, dtypes[1], 3)]
    message = Message(data={TEXT: "我的花呗开不了"})
    for number, part in enumerate(parts):
        message.add_features(Features(part, "sequence", TEXT, f"featurizer{number}"))
    joined, _ = message.get_sparse_features(TEXT)
    expected = scipy.sparse.hstack(parts)
    assert joined.features.shape == expected.shape == (6, 68)
    assert joined.features.dtype == expected.dtype
    assert (joined.features.toarray() == expected.toarray()).all()


def test_matrices_of_another_kind_still_join():
    left, right = random_coo(3, 5, np.float32, 4).tocsr(), random_coo(3, 4, np.float32, 5)
    features = Features(left, "sentence", TEXT, "a")
    features.combine_with_features(Features(right, "sentence", TEXT, "b"))
    assert (features.features.toarray() == scipy.sparse.hstack([left, right]).toarray()).all()


def test_features_of_different_lengths_are_refused():
    features = Features(random_coo(3, 5, np.float32, 6), "sequence", TEXT, "a")
    with pytest.raises(ValueError, match="sequence dimensions do not match"):
        features.combine_with_features(Features(random_coo(4, 5, np.float32, 7), "sequence", TEXT, "b"))
