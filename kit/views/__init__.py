"""The read side: lists, standing, worklists, show, impact, monitor, report and the
self-check. Role visibility is applied here, once; nothing here writes."""
