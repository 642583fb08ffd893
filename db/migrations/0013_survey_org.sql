-- 0013_survey_org: survey data sets and the analyses run on them belong
-- to an organisation, so that a role's record scope applies to them like
-- to cases and contacts. Existing rows are carried forward to the
-- organisation of the user who imported or ran them; rows of the command
-- line stay workspace-wide (NULL).

ALTER TABLE survey_dataset ADD COLUMN org_id INTEGER REFERENCES org(id); -- organisation it belongs to; NULL = workspace-wide (the command line)
ALTER TABLE survey_analysis ADD COLUMN org_id INTEGER REFERENCES org(id); -- organisation it belongs to; NULL = workspace-wide (the command line)

UPDATE survey_dataset
   SET org_id = (SELECT u.org_id FROM user AS u WHERE u.id = survey_dataset.created_by)
 WHERE created_by IS NOT NULL;
UPDATE survey_analysis
   SET org_id = (SELECT u.org_id FROM user AS u WHERE u.id = survey_analysis.created_by)
 WHERE created_by IS NOT NULL;
