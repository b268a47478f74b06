-- One row of the area change log.
INSERT INTO area_log VALUES ($at, $by, $entity, $id, $field, $old, $new)
