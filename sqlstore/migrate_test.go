package sqlstore

import (
	"slices"
	"testing"
)

func TestStatements(t *testing.T) {
	in := `-- a comment; with a semicolon
CREATE TABLE a (x text DEFAULT 'a;b'); /* block; comment */
DO $$
BEGIN
    ALTER TABLE a ALTER COLUMN x SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    NULL;
END
$$;
SELECT $1, "q;uoted" FROM a;
CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;
-- trailing comment`
	want := []string{
		`CREATE TABLE a (x text DEFAULT 'a;b')`,
		"DO $$\nBEGIN\n    ALTER TABLE a ALTER COLUMN x SET COMPRESSION lz4;\nEXCEPTION WHEN feature_not_supported THEN\n    NULL;\nEND\n$$",
		`SELECT $1, "q;uoted" FROM a`,
		`CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql`,
	}
	if got := Statements(in); !slices.Equal(got, want) {
		t.Errorf("Statements:\n got %q\nwant %q", got, want)
	}
}
