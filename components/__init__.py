"""Code that runs inside the Rasa server: the Jieba tokenizer fix, per-message language
detection, and a faster check of action server responses (see action_response_check)."""
from components import action_response_check

action_response_check.install()
