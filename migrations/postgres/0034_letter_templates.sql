-- A company's own letter templates, each kind in both languages: a letter of that kind is
-- written from the company's template where it has one, else from amfit's.
CREATE TABLE letter_templates (
    company_id BIGINT  NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL CHECK (kind IN ('receipt', 'invitation', 'interview_moved', 'interview_cancelled',
                                                'rejection_after_screening', 'rejection_after_interview', 'offer')),
    language   TEXT    NOT NULL CHECK (language IN ('da', 'en')),
    subject    TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    updated_by BIGINT  REFERENCES users (id) ON DELETE SET NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (company_id, kind, language)
);
