-- A candidate's consent to stay in the talent pool, from the day it was given to its last day:
-- retention keeps them until it ends, instead of anonymising them once the retention period is
-- over. Both days or neither (checked by the application).
ALTER TABLE candidates ADD COLUMN talent_pool_given_on DATE;
ALTER TABLE candidates ADD COLUMN talent_pool_until DATE;
