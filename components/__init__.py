"""Code that runs inside the Rasa server: the Jieba tokenizer fix, per-message language
detection, a faster check of action server responses (see action_response_check), and a
deadline with a reply for failing custom actions (see action_guard)."""
from components import action_guard, action_response_check

action_response_check.install()
action_guard.install()
