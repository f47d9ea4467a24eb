-- The token family an authorisation code opened: a code presented a second
-- time revokes it (OAuth 2.1 §4.1.2), whoever holds its tokens by then.
ALTER TABLE oauth_codes
    ADD COLUMN session_id BIGINT REFERENCES user_sessions (id) ON DELETE SET NULL;
