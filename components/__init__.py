"""Code that runs inside the Rasa server: the Jieba tokenizer fix, per-message language
detection, a faster check of action server responses (see action_response_check), a
deadline with a reply for failing custom actions (see action_guard), the model graph run
in a fixed order instead of through dask (see graph_runner), kept connections to the
action server (see action_client), a cheaper join of sparse features (see
sparse_features) and of DIET's batches of them (see sparse_batches), a cheaper search for the rules that apply (see rule_lookup),
n-grams counted straight into sparse matrices (see count_vectors) and a reply to messages
typed while waiting for a human agent (see waiting_reply)."""
from components import (
    action_client,
    action_guard,
    action_response_check,
    count_vectors,
    graph_runner,
    rule_lookup,
    sparse_batches,
    sparse_features,
    waiting_reply,
)

action_client.install()
action_response_check.install()
action_guard.install()
graph_runner.install()
sparse_features.install()
sparse_batches.install()
rule_lookup.install()
count_vectors.install()
waiting_reply.install()
