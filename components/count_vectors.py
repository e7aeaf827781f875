"""Counts a message's n-grams straight into the sparse matrices Rasa's count featurizers make.

For each message Rasa 3.6.21's ``CountVectorsFeaturizer`` asks scikit-learn's
``CountVectorizer.transform`` for a CSR matrix, sorts it and converts it to COO, twice
(the tokens, then the whole sentence), and our pipeline has two such featurizers. With
scipy 1.10 building and converting those small matrices costs more than counting:
about 10 % of the Rasa server's CPU per message (py-spy under ``scripts/benchmark.py``,
issue 11). Here the same analyzer and vocabulary count the n-grams of each document,
and the COO matrix is built once, in the order the conversion gives: rows in order,
columns sorted within a row, the vectorizer's dtype, binary counts where it is binary.
Training featurizes through the same method, so a model trained with this installed is
the model trained without it.

``install()`` runs when the ``components`` package is imported, i.e. in every Rasa
process that loads our model.
"""
from typing import List, Optional, Text, Tuple

import numpy as np
import scipy.sparse
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES
from sklearn.feature_extraction.text import CountVectorizer

from components.patching import require_written_for_this_rasa

rasa_create_features = CountVectorsFeaturizer._create_features


def count_matrix(vectorizer: CountVectorizer, documents: List[Text]) -> scipy.sparse.coo_matrix:
    """The same matrix as ``vectorizer.transform(documents)`` sorted and turned into COO."""
    vectorizer._check_vocabulary()  # as transform does: a vocabulary given at load is adopted here
    vocabulary = vectorizer.vocabulary_
    analyze = vectorizer.build_analyzer()
    rows: List[int] = []
    columns: List[int] = []
    counts: List[int] = []
    for row, document in enumerate(documents):
        counted = {}
        for feature in analyze(document):
            column = vocabulary.get(feature)
            if column is not None:  # words the model never saw are left out, as sklearn does
                counted[column] = counted.get(column, 0) + 1
        for column in sorted(counted):
            rows.append(row)
            columns.append(column)
            counts.append(counted[column])
    data = np.array(counts, dtype=vectorizer.dtype)
    if vectorizer.binary:
        data.fill(1)
    return scipy.sparse.coo_matrix(
        (data, (np.array(rows, dtype=np.int32), np.array(columns, dtype=np.int32))),
        shape=(len(documents), len(vocabulary)),
    )


def create_features(
    self: CountVectorsFeaturizer, attribute: Text, all_tokens: List[List[Text]]
) -> Tuple[List[Optional[scipy.sparse.spmatrix]], List[Optional[scipy.sparse.spmatrix]]]:
    """Same contract as ``CountVectorsFeaturizer._create_features``."""
    vectorizer = self.vectorizers.get(attribute)
    if not vectorizer:
        return [None], [None]
    sequence_features: List[Optional[scipy.sparse.spmatrix]] = []
    sentence_features: List[Optional[scipy.sparse.spmatrix]] = []
    for tokens in all_tokens:
        if not tokens:  # nothing to featurize
            sequence_features.append(None)
            sentence_features.append(None)
            continue
        sequence_features.append(count_matrix(vectorizer, tokens))
        if attribute in DENSE_FEATURIZABLE_ATTRIBUTES:
            sentence_features.append(count_matrix(vectorizer, [" ".join(tokens)]))
        else:
            sentence_features.append(None)
    return sequence_features, sentence_features


def install() -> None:
    require_written_for_this_rasa("components.count_vectors")
    CountVectorsFeaturizer._create_features = create_features
