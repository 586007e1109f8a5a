-- API tokens may expire: after expires_at a token is refused as if it were revoked.
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
