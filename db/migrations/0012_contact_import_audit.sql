-- 0012_contact_import_audit: a bulk import is audited by one
-- contact.import row (count, the file's BLAKE2b-256, first and last contact)
-- instead of one contact.create row per contact; each contact it wrote
-- names that row, so the audit of a contact still shows how it came to
-- be (docs/contacts.md, Bulk load).

ALTER TABLE contact ADD COLUMN import_audit_id INTEGER; -- audit.id of the contact.import row that wrote it; NULL = audited by its own contact.create row
