"""The pure screening core: a case and its history (prior screenings, requests, decisions,
reused documents) in; findings, verdicts and round standing out."""
