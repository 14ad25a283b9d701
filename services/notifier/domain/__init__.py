"""Pure notifier logic: labels, legal deadlines for receipts, email rendering and building,
delivery rules. No I/O beyond reading the template files and the shared catalogue."""
