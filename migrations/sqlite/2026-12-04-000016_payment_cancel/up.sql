-- Cancelling a payment: it is reversed on a date, and its allocations are undone on that date,
-- so the aging and statements of earlier dates still show it as it was.
ALTER TABLE fin_payments ADD COLUMN cancelled_on DATE;
ALTER TABLE fin_payments ADD COLUMN cancel_entry_id TEXT REFERENCES fin_entries (id);
ALTER TABLE fin_allocations ADD COLUMN undone_on DATE;
