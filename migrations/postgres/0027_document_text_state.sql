-- Whether a document's text was read for search: indexed, unreadable (no text in it, a scan),
-- or too_large (reading it would take more memory or time than any real document needs; the
-- document is kept, and the recruiter is told its text is not searched).
ALTER TABLE documents ADD COLUMN text_state TEXT NOT NULL DEFAULT 'indexed'
    CHECK (text_state IN ('indexed', 'unreadable', 'too_large'));
UPDATE documents SET text_state = 'unreadable' WHERE text IS NULL;
