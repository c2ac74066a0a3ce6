"""The vocabulary layer: the shared codes (generated) and the vocabulary they come from."""
