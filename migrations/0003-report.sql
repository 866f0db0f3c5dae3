-- 0003-report.sql: indexes of the period reports (report.c): the dossiers received in a
-- period, those a period carries over from the one before, and the supplements requested.
-- Forward only: never edit this file once released.

-- The dossiers of a unit by receipt with every column a report counts, so that a year of a
-- province (100,000 dossiers) is read from the index alone, without a row lookup each.
CREATE INDEX dossiers_report ON dossiers(unit, received_at, state, channel, field,
    procedure_code, due_at, resolved_at, closed_at, paused_at);
-- Dossiers of a unit by the instant they were finished (result ready, or closed without a
-- result), NULL while open; with the receipt, so that "received before the period and
-- finished in it or later" is found from the index.
CREATE INDEX dossiers_unit_finished ON dossiers(unit, coalesce(resolved_at, closed_at),
    received_at);
-- Supplements requested, by the instant of the request.
CREATE INDEX pauses_supplement ON pauses(started_at, dossier) WHERE kind = 'supplement';
