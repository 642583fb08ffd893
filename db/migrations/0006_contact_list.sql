-- 0006_contact_list: indexes for the contact list's keyset paging.
-- Per organisation, contact_received (org_id, received_at, id), and the
-- category and province indexes of 0002 serve the pages; these serve the
-- command line, which may list every organisation, and the danger filter.

-- every organisation, newest first (the command line's list and export)
CREATE INDEX contact_received_all ON contact(received_at DESC, id DESC);
-- contacts flagged as imminent danger, per organisation, newest first
CREATE INDEX contact_danger ON contact(org_id, received_at DESC, id DESC)
    WHERE is_danger = 1;
