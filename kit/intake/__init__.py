"""The region's intake workbook: the template a provider fills in (template), reading a filled-in
workbook into the case model (reader, with the file checks of archive and the layout both
share), and the provider's self-check before submitting (selfcheck).

The reading parts belong to the case layer: they import the case model, the vocabulary and the
input limits, never the store, the web application or the command line."""
