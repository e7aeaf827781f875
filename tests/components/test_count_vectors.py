"""N-grams counted straight into COO matrices (components/count_vectors.py): exactly the
matrices Rasa's count featurizers make through scikit-learn, for every training text."""
import numpy as np
import pytest
from rasa.core.agent import Agent
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.importers.importer import TrainingDataImporter
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from components import count_vectors
from scripts.stack import ROOT, latest_model


@pytest.fixture(scope="module")
def pipeline():
    components = [node._component for node in Agent.load(str(latest_model())).processor.graph_runner
                  ._instantiated_nodes.values()]
    tokenizer = next(c for c in components if isinstance(c, Tokenizer))
    featurizers = [c for c in components if isinstance(c, CountVectorsFeaturizer)]
    assert {f._config["analyzer"] for f in featurizers} == {"word", "char_wb"}
    return tokenizer, featurizers


def same_matrix(ours, sklearns) -> bool:
    if ours is None or sklearns is None:
        return ours is sklearns
    return (ours.shape == sklearns.shape and ours.dtype == sklearns.dtype
            and ours.row.dtype == sklearns.row.dtype and ours.col.dtype == sklearns.col.dtype
            and np.array_equal(ours.row, sklearns.row) and np.array_equal(ours.col, sklearns.col)
            and np.array_equal(ours.data, sklearns.data))


def test_every_training_text_gets_the_matrices_sklearn_gives(pipeline):
    tokenizer, featurizers = pipeline
    texts = [m.get(TEXT) for m in TrainingDataImporter.load_from_dict(
        training_data_paths=[str(ROOT / "data/nlu")]).get_nlu_data().intent_examples]
    texts += ["", "   ", "😡😡", "HB用不了！！", "zfb jb 借不了钱 wtf", "unseenword 未见过的词"]
    messages = [Message(data={TEXT: text}) for text in texts]
    tokenizer.process(messages)
    compared = 0
    for featurizer in featurizers:
        tokens = [featurizer._get_processed_message_tokens_by_attribute(m, TEXT) for m in messages]
        for one in tokens:
            ours = count_vectors.create_features(featurizer, TEXT, [one])
            sklearns = count_vectors.rasa_create_features(featurizer, TEXT, [one])
            assert all(same_matrix(a, b) for a, b in zip(ours[0] + ours[1], sklearns[0] + sklearns[1])), one
            compared += 1
    assert compared > 5000


def test_the_direct_count_is_installed_with_our_components():
    assert CountVectorsFeaturizer._create_features is count_vectors.create_features
