ALTER TABLE fin_allocations DROP COLUMN undone_on;
ALTER TABLE fin_payments DROP COLUMN cancel_entry_id;
ALTER TABLE fin_payments DROP COLUMN cancelled_on;
