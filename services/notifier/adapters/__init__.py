"""What the notifier uses of the outside world: the SMTP server (mailer.py), the PDF workers
(documents.py), the report files reporting leaves in the shared blob store (report_files.py),
the email templates on disk (email_rendering.py) and the MIME message they become (mime.py)."""
