"""Pure review domain: the Task aggregate, its commands and errors. No I/O here."""
