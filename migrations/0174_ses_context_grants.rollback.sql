-- Roll back the grants table. The grants it put in the catalog stay as they
-- are (grants are not data of this table); ses_common.apply_context_grants
-- is left without a table to read, and the post-install replay skips it.
DROP TABLE ses_common.context_grants;
