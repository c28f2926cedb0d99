package gen

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" driver the embedded store uses
)

// sqliteBulk writes the bulk tables with prepared multi-row INSERTs, all in
// one transaction, on a connection of its own to the store's file.
type sqliteBulk struct {
	path   string
	tables []table
}

// sqliteBatch is the rows per INSERT statement (14 columns x 128 rows stays
// well under SQLite's 32,766 parameters).
const sqliteBatch = 128

func (b *sqliteBulk) open() (*sql.DB, error) {
	db, err := sql.Open("sqlite", b.path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, fmt.Errorf("gen: opening %s: %w", b.path, err)
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

func (b *sqliteBulk) write(ctx context.Context, spec Spec, log io.Writer) error {
	db, err := b.open()
	if err != nil {
		return err
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("gen: %s: %w", b.path, err)
	}
	defer tx.Rollback()
	for _, t := range b.tables {
		start := time.Now()
		n, err := insertAll(ctx, tx, t, t.rows(spec))
		if err != nil {
			return fmt.Errorf("gen: inserting into %s: %w", t.name, err)
		}
		fmt.Fprintf(log, "gen: INSERT %s: %d rows in %s\n", t.name, n, time.Since(start).Round(time.Millisecond))
	}
	// A write to the companies' live state like any other: their
	// generations go up (see importer.Store.UnchangedSince).
	for i := range spec.Companies {
		if _, err := tx.ExecContext(ctx, `UPDATE companies SET generation = generation + 1 WHERE id = ?1`, spec.Company(i).ID); err != nil {
			return fmt.Errorf("gen: raising the generation of %s: %w", spec.Company(i).ID, err)
		}
	}
	return tx.Commit()
}

// insertAll inserts every row of src into t, sqliteBatch rows a statement.
func insertAll(ctx context.Context, tx *sql.Tx, t table, src rowSource) (int, error) {
	full, err := tx.PrepareContext(ctx, insertSQL(t, sqliteBatch))
	if err != nil {
		return 0, err
	}
	defer full.Close()
	args := make([]any, 0, sqliteBatch*len(t.cols))
	n := 0
	for src.Next() {
		for _, v := range src.Values() {
			if b, ok := v.(bool); ok { // booleans are 0/1 integers in the SQLite schema
				v = boolInt(b)
			}
			args = append(args, v)
		}
		n++
		if len(args) == cap(args) {
			if _, err := full.ExecContext(ctx, args...); err != nil {
				return n, err
			}
			args = args[:0]
		}
	}
	if err := src.Err(); err != nil {
		return n, err
	}
	if len(args) > 0 {
		if _, err := tx.ExecContext(ctx, insertSQL(t, len(args)/len(t.cols)), args...); err != nil {
			return n, err
		}
	}
	return n, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// insertSQL is an INSERT of rows rows into t.
func insertSQL(t table, rows int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(t.cols)), ", ") + ")"
	var b strings.Builder
	b.WriteString("INSERT INTO " + t.name + " (" + strings.Join(t.cols, ", ") + ") VALUES ")
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(one)
	}
	return b.String()
}

func (b *sqliteBulk) analyze(ctx context.Context) error {
	db, err := b.open()
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, `ANALYZE`)
	return err
}
