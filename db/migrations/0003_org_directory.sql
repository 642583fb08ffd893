-- 0003_org_directory: the referral directory: what each organisation
-- offers, where, in which languages, and how to reach it.

-- 1 = answers emergencies (imminent danger) in the provinces it serves.
ALTER TABLE org ADD COLUMN is_emergency INTEGER NOT NULL DEFAULT 0
    CHECK (is_emergency IN (0, 1));
-- Vault ciphertext (table 'org', column 'contact_details'): phones,
-- addresses and names of focal persons.
ALTER TABLE org ADD COLUMN contact_details BLOB;

-- Provinces an organisation serves (ISO 3166-2 from the gazetteer).
CREATE TABLE org_province (
    org_id   INTEGER NOT NULL REFERENCES org(id),
    province TEXT NOT NULL,                  -- e.g. 'TH-90'
    PRIMARY KEY (org_id, province)
) STRICT, WITHOUT ROWID;
CREATE INDEX org_province_by_province ON org_province(province);

-- Languages its staff speak (ISO 639 codes of contact.c's list).
CREATE TABLE org_language (
    org_id   INTEGER NOT NULL REFERENCES org(id),
    language TEXT NOT NULL,                  -- e.g. 'my'
    PRIMARY KEY (org_id, language)
) STRICT, WITHOUT ROWID;

-- Services it provides (org.c's service list).
CREATE TABLE org_service (
    org_id  INTEGER NOT NULL REFERENCES org(id),
    service TEXT NOT NULL,                   -- e.g. 'legal_aid'
    PRIMARY KEY (org_id, service)
) STRICT, WITHOUT ROWID;
CREATE INDEX org_service_by_service ON org_service(service);
