"""What the notifier uses of the outside world: the SMTP server (mailer.py), the PDF workers
(documents.py) and the report files reporting leaves in the shared blob store (report_files.py)."""
