-- Rounding of a pay component as data: each of its lines is rounded to a multiple of
-- `round_to` (money ×10^4; the currency's minor unit when NULL), to the nearest (halves away
-- from zero), down (toward zero) or up (away from zero). An income tax rounded down to whole
-- euros is round_to 10000, rounding 'down'.
ALTER TABLE hr_pay_components ADD COLUMN round_to BIGINT;
ALTER TABLE hr_pay_components ADD COLUMN rounding TEXT NOT NULL DEFAULT 'nearest';
