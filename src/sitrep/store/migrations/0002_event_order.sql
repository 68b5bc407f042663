-- The situation store, version 2. docs/store.md describes every column.

-- An event's position in its document's list, so the situation rebuilds them in the model's order.
ALTER TABLE events ADD COLUMN seq INTEGER;
