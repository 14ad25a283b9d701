"""What reporting uses of the outside world: the broker's management API (queue figures) and
the drawing of the report's files (PDF, XLSX, CSV, charts, fonts)."""
