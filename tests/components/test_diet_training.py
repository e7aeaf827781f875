"""DIET trained through our model class: Keras traces its training step once, not twice,
feeds the batches through a tf.data pipeline without autotuning, and the model trains
(components/fast_load_diet.py, DIETLoadedForPrediction.fit)."""
from pathlib import Path

from keras.engine import data_adapter

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.fast_load_diet import FastLoadingDIETClassifier

EXAMPLES = {
    "greet": ["hello", "hi there", "good morning", "hey"],
    "login_failed": ["i cannot log in", "login keeps failing", "the app will not let me log in", "log in error"],
    "request_human": ["a human please", "let me talk to an agent", "real person please", "transfer me to staff"],
}


def test_training_traces_the_step_once_and_learns(tmp_path: Path, monkeypatch):
    autotuned = []
    keras_data_handler = data_adapter.DataHandler.__init__

    def record_autotune(handler, *args, **kwargs):
        keras_data_handler(handler, *args, **kwargs)
        autotuned.append(handler._dataset.options().autotune.enabled)

    monkeypatch.setattr(data_adapter.DataHandler, "__init__", record_autotune)
    context = ExecutionContext(GraphSchema({}), "test")
    storage = LocalModelStorage(tmp_path)
    data = TrainingData([Message.build(text, intent) for intent, texts in EXAMPLES.items() for text in texts])
    tokenizer = WhitespaceTokenizer.create(WhitespaceTokenizer.get_default_config(), storage, Resource("t"), context)
    tokenizer.process_training_data(data)
    featurizer = CountVectorsFeaturizer.create(
        CountVectorsFeaturizer.get_default_config(), storage, Resource("f"), context)
    featurizer.train(data)
    featurizer.process_training_data(data)
    config = {**FastLoadingDIETClassifier.get_default_config(), "epochs": 30, "entity_recognition": False,
              "number_of_transformer_layers": 1, "transformer_size": 32, "random_seed": 1}
    diet = FastLoadingDIETClassifier.create(config, storage, Resource("diet"), context)
    diet.train(data)

    assert diet.model.train_function.experimental_get_tracing_count() == 1
    # an autotuning thread would hold up the end of `fit` until it next wakes up
    assert autotuned == [False]
    assert data_adapter.GeneratorDataAdapter.get_dataset.__module__ == "keras.engine.data_adapter"
    assert diet.model.optimizer.iterations.numpy() == 30  # one batch per epoch: the warm-up took no step
    message = Message.build("i cannot log in")
    tokenizer.process([message])
    featurizer.process([message])
    diet.process([message])
    assert message.get("intent")["name"] == "login_failed"
