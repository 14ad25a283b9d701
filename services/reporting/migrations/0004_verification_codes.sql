-- The daily report's PDF is an issued document: the code its QR code opens, kept with the file
-- so that sending it later (or again) tells the notifier's register the same code.
ALTER TABLE daily_report_files ADD COLUMN verification_code text;
