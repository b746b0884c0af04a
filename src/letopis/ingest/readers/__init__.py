"""One reader per input format. Each has `read(raw, text, encoding, options)` yielding Documents
(the tabular reader also yields a Rejection for a record it cannot use); `letopis.ingest.pipeline` picks one."""
