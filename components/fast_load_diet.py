"""DIETClassifier that loads its trained weights without a training step.

Rasa's `RasaModel.load` builds the network by fitting it on one example before loading
the weights over it. Tracing that training step (loss, CRF, gradients) took about 80% of
the Rasa server's start (py-spy, issue 11), and its result is thrown away: the weights
are then replaced by the trained ones. Here the weights are restored from the checkpoint
as the prediction pass creates them (TensorFlow's deferred restoration), so loading costs
one traced prediction. Predictions are the same; `assert_existing_objects_matched` fails
the load loudly if any weight the prediction uses was not in the checkpoint.
"""
from typing import Any, Dict, Optional, Text

import tensorflow as tf
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.diet_classifier import DIET, DIETClassifier
from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
from rasa.utils.tensorflow.model_data import RasaModelData


class DIETLoadedForPrediction(DIET):
    """DIET whose `load` restores weights into the prediction graph only."""

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


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR],
    is_trainable=True,
)
class FastLoadingDIETClassifier(DIETClassifier):
    """DIETClassifier whose model loads without Rasa's one-example training step."""

    @staticmethod
    def model_class() -> type:
        return DIETLoadedForPrediction
