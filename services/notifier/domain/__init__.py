"""The notifier's rules, without database, broker or SMTP: what each email says (emails.py),
the delivery rules (deliveries.py), its commands (commands.py) and errors (errors.py)."""
