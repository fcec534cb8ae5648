/**
 * Central schema: replicated rows and unique keys check their clinic once per statement instead of once
 * per row (docs/sync.md, "Throughput").
 *
 * The foreign keys replica_rows.clinic_id and replica_unique.clinic_id -> clinics ran PostgreSQL's
 * referential check for every inserted row: a query and a row lock on the clinic each, about a fifth of
 * storing a push batch of a thousand rows, although every row of a batch names the same clinic (the one
 * whose row the push holds locked). They are replaced by the same rule checked per statement: an AFTER
 * INSERT trigger over the statement's new rows (a transition table) looks each distinct clinic up once and
 * takes the same KEY SHARE lock the foreign key took. An UPDATE that moves a row to another clinic checks
 * that clinic (a column trigger: the push's upserts never name clinic_id, so they do not fire it). A
 * clinic that still has replicated rows or keys cannot be deleted or change its id (what the foreign keys
 * refused; claim_empty_clinic empties both before it renumbers a clinic, so nothing cascaded there).
 * replica_log and booking_slots keep their foreign keys: a push writes few of them.
 */
export const sql = /* sql */ `
SET LOCAL search_path = tessera, pg_temp;

CREATE FUNCTION tessera.replica_clinics_exist() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = tessera, pg_temp
AS $$
DECLARE
  wanted bigint;
  found bigint;
BEGIN
  SELECT count(DISTINCT clinic_id) INTO wanted FROM new_rows;
  SELECT count(*) INTO found FROM (
    SELECT 1 FROM tessera.clinics c WHERE c.id IN (SELECT clinic_id FROM new_rows) FOR KEY SHARE OF c
  ) x;
  IF found < wanted THEN
    RAISE EXCEPTION 'insert or update on table "%" names a clinic that does not exist', TG_TABLE_NAME
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION tessera.replica_clinic_moved() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = tessera, pg_temp
AS $$
BEGIN
  IF NEW.clinic_id IS DISTINCT FROM OLD.clinic_id
     AND NOT EXISTS (SELECT 1 FROM tessera.clinics c WHERE c.id = NEW.clinic_id FOR KEY SHARE OF c) THEN
    RAISE EXCEPTION 'update on table "%" names a clinic that does not exist', TG_TABLE_NAME
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE FUNCTION tessera.clinic_keeps_replica() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = tessera, pg_temp
AS $$
BEGIN
  IF (TG_OP = 'DELETE' OR NEW.id IS DISTINCT FROM OLD.id)
     AND (EXISTS (SELECT 1 FROM tessera.replica_rows WHERE clinic_id = OLD.id)
          OR EXISTS (SELECT 1 FROM tessera.replica_unique WHERE clinic_id = OLD.id)) THEN
    RAISE EXCEPTION 'clinic % still has replicated rows', OLD.id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;

ALTER TABLE replica_rows DROP CONSTRAINT replica_rows_clinic_id_fkey;
ALTER TABLE replica_unique DROP CONSTRAINT replica_unique_clinic_id_fkey;

CREATE TRIGGER replica_rows_clinic AFTER INSERT ON replica_rows
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tessera.replica_clinics_exist();
CREATE TRIGGER replica_unique_clinic AFTER INSERT ON replica_unique
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tessera.replica_clinics_exist();
CREATE TRIGGER replica_rows_clinic_moved BEFORE UPDATE OF clinic_id ON replica_rows
  FOR EACH ROW EXECUTE FUNCTION tessera.replica_clinic_moved();
CREATE TRIGGER replica_unique_clinic_moved BEFORE UPDATE OF clinic_id ON replica_unique
  FOR EACH ROW EXECUTE FUNCTION tessera.replica_clinic_moved();
CREATE TRIGGER clinics_keep_replica BEFORE DELETE OR UPDATE OF id ON clinics
  FOR EACH ROW EXECUTE FUNCTION tessera.clinic_keeps_replica();
`;
