"""What the notifier uses to talk to the outside world: the email's rendering from its template
files and its MIME message."""
