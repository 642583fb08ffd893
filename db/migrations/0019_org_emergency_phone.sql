-- 0019_org_emergency_phone: an organisation's emergency line, shown as a
-- tel: link beside the contact form when the operator ticks imminent
-- danger (src/web/contact_web.c, web/contact.js). Stored plain in E.164
-- ("+6621234567", src/core/phone.h): it is an organisation's public line,
-- not a victim's or a focal person's identity (those stay in the
-- vault-encrypted contact_details). NULL: none given.
ALTER TABLE org ADD COLUMN emergency_phone TEXT;
