-- 0006_contact_list: indexes for the contact list's keyset paging.
-- The list pages by (received_at DESC, id DESC) within one organisation,
-- led by the problem province or the category when the filter has one;
-- these indexes hold rows in exactly that order, so a page reads only the
-- rows it shows plus those the other filters skip, never a sort.

-- replaced by the *_page indexes below, which add id for the keyset order
DROP INDEX contact_category;
DROP INDEX contact_province;
-- category first, per organisation, newest first
CREATE INDEX contact_category_page
    ON contact(org_id, category, received_at DESC, id DESC);
-- problem province first, per organisation, newest first
CREATE INDEX contact_province_page
    ON contact(org_id, problem_province, received_at DESC, id DESC);
-- every organisation, newest first (the command line's list and export)
CREATE INDEX contact_received_all ON contact(received_at DESC, id DESC);
-- contacts flagged as imminent danger (a few percent), per organisation
CREATE INDEX contact_danger_page
    ON contact(org_id, received_at DESC, id DESC) WHERE is_danger = 1;
