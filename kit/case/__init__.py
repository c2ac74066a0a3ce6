"""The case file: its models, reading it (YAML, JSON, the intake workbook) and its checks.

It imports only the vocabulary and the small utilities below it."""
