"""The notifier's rules, without database, broker or SMTP: what each email says (emails.py:
its templates, languages and the words for the codes its event carries), the delivery rules
(deliveries.py), its commands (commands.py) and errors (errors.py)."""
