-- 0009_person_block: a blocking key for the name-similarity duplicate
-- check, so a new person is compared only with people whose name starts
-- with the same letter (and, when both are known, a birth year within one
-- year) instead of with everyone.

-- Blind index (domain 'nameblk') of the first letter of the normalised
-- name, honorifics (U, Daw, Maung, Ko, Ma, Mr, Mrs ... and their Burmese
-- forms) removed; NULL when the name is unknown.
ALTER TABLE person ADD COLUMN name_block BLOB;
CREATE INDEX person_name_block ON person(name_block, birth_year)
    WHERE name_block IS NOT NULL;
