"""Pure notifier logic: labels, email rendering and building, delivery rules. No I/O beyond
reading the template files."""
