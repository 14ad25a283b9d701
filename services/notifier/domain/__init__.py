"""Pure notifier logic: the delivery rules, and what each email says (templates, languages and
the words for the codes its event carries). No I/O."""
