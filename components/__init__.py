"""Custom Rasa components: the Jieba tokenizer fix and per-message language detection."""
