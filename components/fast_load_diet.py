"""DIETClassifier that loads its trained weights without a training step, predicts
through its traced graph directly, and traces its training step once instead of twice.

Rasa's `RasaModel.load` builds the network by fitting it on one example before loading
the weights over it. Tracing that training step (loss, CRF, gradients) took about 80% of
the Rasa server's start (py-spy, issue 11), and its result is thrown away: the weights
are then replaced by the trained ones. Here the weights are restored from the checkpoint
as the prediction pass creates them (TensorFlow's deferred restoration), so loading costs
one traced prediction. Predictions are the same; `assert_existing_objects_matched` fails
the load loudly if any weight the prediction uses was not in the checkpoint.

Once traced, each prediction calls the traced graph with the message's arrays as tensors.
TensorFlow's generic call of a `tf.function` first matches its arguments against the
signature (nested structures, numpy casts, a cache lookup): 0.7 ms of the 2.2 ms a
prediction took, on every message; and ``tf.convert_to_tensor`` dispatches each array
through its conversion registry (15 us against 7.5 us for the eager tensor it ends up
making, for each of the batch's arrays). Same graph, same inputs, same outputs.
"""
from contextlib import contextmanager
from typing import Any, Dict, Iterator, Optional, Text, Tuple

import numpy as np
import tensorflow as tf
from keras.engine import data_adapter
from keras.utils import tf_utils
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.diet_classifier import DIET, DIETClassifier
from rasa.shared.constants import DIAGNOSTIC_DATA
from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
from rasa.utils.tensorflow.model_data import RasaModelData
from tensorflow.python.eager import context
from tensorflow.python.framework import ops

from components.patching import require_written_for_this_rasa


@contextmanager
def training_data_without_autotune() -> Iterator[None]:
    """Keras feeds Rasa's batch generator through a tf.data pipeline whose autotuning
    thread (TensorFlow 2.12) ignores cancellation: destroying the pipeline at the end of
    `fit` waited for that thread's next wake-up, up to 60 s with no CPU in use (gdb: the
    main thread in `~IteratorResource`, the other in `Model::OptimizeLoop`; issue 11).
    The pipeline is one fixed `prefetch(1)`, so there is nothing to tune."""
    require_written_for_this_rasa("components.fast_load_diet (Keras generator dataset)")
    original = data_adapter.GeneratorDataAdapter.get_dataset

    def get_dataset(adapter: data_adapter.GeneratorDataAdapter) -> tf.data.Dataset:
        options = tf.data.Options()
        options.autotune.enabled = False
        return original(adapter).with_options(options)

    data_adapter.GeneratorDataAdapter.get_dataset = get_dataset
    try:
        yield
    finally:
        data_adapter.GeneratorDataAdapter.get_dataset = original


class DIETLoadedForPrediction(DIET):
    """DIET whose `load` restores weights into the prediction graph only, and whose `fit`
    creates its variables before Keras traces the training step."""

    @classmethod
    def load(
        cls,
        model_file_name: Text,
        model_data_example: RasaModelData,
        predict_data_example: Optional[RasaModelData] = None,
        finetune_mode: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> "DIETLoadedForPrediction":
        if finetune_mode or predict_data_example is None:
            # further training needs the optimizer's state: Rasa's own way
            return super().load(model_file_name, model_data_example, predict_data_example,
                                finetune_mode, *args, **kwargs)
        model = cls(*args, **kwargs)
        config: Dict[Text, Any] = kwargs.get("config", {})
        model.compile(optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)),
                      run_eagerly=config.get(RUN_EAGERLY))
        status = model.load_weights(model_file_name)
        model.run_inference(predict_data_example)
        # the optimizer's slots are in the checkpoint but not needed for prediction
        status.expect_partial().assert_existing_objects_matched()
        return model

    def fit(self, data_generator: Any = None, *args: Any, **kwargs: Any) -> Any:
        """Keras' `fit`, after creating every variable the training step uses.

        A `tf.function` whose first trace creates variables is traced a second time without
        them; for DIET's training step that second trace cost 16 of the 43 s of the first
        epoch (issue 11, README "Measured"). One eager loss on the first batch creates the
        network's variables and `optimizer.build` the optimizer's, so Keras traces once.
        """
        if not self.run_eagerly and data_generator is not None and len(data_generator) > 0:
            batch, _ = data_generator[0]
            self._training = True
            try:
                self.batch_loss(batch)
            finally:
                self._training = None
            self.optimizer.build(self.trainable_variables)
        with training_data_without_autotune():
            return super().fit(data_generator, *args, **kwargs)

    def _rasa_predict(self, batch_in: Tuple[np.ndarray, ...]) -> Dict[Text, Any]:
        """Rasa's `_rasa_predict`, but calling the traced graph with the arrays as tensors."""
        if self._run_eagerly or self._tf_predict_step is None:  # not traced yet: Rasa traces it
            return super()._rasa_predict(batch_in)
        graph = getattr(self, "_traced_prediction", None)
        if graph is None:
            require_written_for_this_rasa("components.fast_load_diet (DIET prediction graph call)")
            graph = self._tf_predict_step.get_concrete_function(*self._dynamic_signature(batch_in))
            self._traced_prediction = graph
        device = context.context().device_name
        tensors = [ops.EagerTensor(array, device) for array in batch_in]
        outputs = tf_utils.sync_to_numpy_or_python_type(graph._call_flat(tensors, graph.captured_inputs))
        if DIAGNOSTIC_DATA in outputs:
            outputs[DIAGNOSTIC_DATA] = self._empty_lists_to_none_in_dict(outputs[DIAGNOSTIC_DATA])
        return outputs


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR],
    is_trainable=True,
)
class FastLoadingDIETClassifier(DIETClassifier):
    """DIETClassifier whose model loads without Rasa's one-example training step."""

    @staticmethod
    def model_class() -> type:
        return DIETLoadedForPrediction
