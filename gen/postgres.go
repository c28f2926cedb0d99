package gen

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// pgBulk writes the bulk tables with COPY (pgx CopyFrom), all in one
// transaction, into the schema the URL's search_path names.
type pgBulk struct {
	url    string
	tables []table
}

func (b *pgBulk) write(ctx context.Context, spec Spec, log io.Writer) error {
	conn, err := pgx.Connect(ctx, b.url)
	if err != nil {
		return fmt.Errorf("gen: connecting to PostgreSQL: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		for _, t := range b.tables {
			start := time.Now()
			src := t.rows(spec)
			n, err := tx.CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, pgx.CopyFromFunc(func() ([]any, error) {
				if !src.Next() {
					return nil, src.Err()
				}
				return src.Values(), nil
			}))
			if err != nil {
				return fmt.Errorf("gen: COPY into %s: %w", t.name, err)
			}
			fmt.Fprintf(log, "gen: COPY %s: %d rows in %s\n", t.name, n, time.Since(start).Round(time.Millisecond))
			// Statistics of the rows just written (ANALYZE counts its own
			// transaction's): the next table's foreign-key checks are
			// planned against them. Planned against a table never analyzed,
			// a check of a two-column key, (company, user_id), became a
			// sequential scan per row (48k lines: 7 s before, minutes after).
			if _, err := tx.Exec(ctx, "ANALYZE "+pgx.Identifier{t.name}.Sanitize()); err != nil {
				return fmt.Errorf("gen: ANALYZE %s: %w", t.name, err)
			}
		}
		// A write to the companies' live state like any other: their
		// generations go up (see importer.Store.UnchangedSince).
		for i := range spec.Companies {
			if _, err := tx.Exec(ctx, `UPDATE companies SET generation = generation + 1 WHERE id = $1`, spec.Company(i).ID); err != nil {
				return fmt.Errorf("gen: raising the generation of %s: %w", spec.Company(i).ID, err)
			}
		}
		return nil
	})
}

func (b *pgBulk) analyze(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, b.url)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	names := []string{"companies", "sites", "e911_locations"}
	for _, t := range b.tables {
		names = append(names, t.name)
	}
	_, err = conn.Exec(ctx, `ANALYZE `+strings.Join(names, ", "))
	return err
}
