package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	"github.com/jackc/pgx/v5"
)

// bigArgs is the size of a statement's text arguments past which they are
// encoded apart from the connection. pgx encodes parameters into a builder
// each connection keeps, whose reset leaves the last parameters reachable:
// a batch's audit JSON (~4 MB) and LoadForeign's keys (91 MB at 1M rows)
// stayed in memory to the end of the run, on a connection in the pool.
const bigArgs = 64 << 10

func textBytes(args []any) int {
	n := 0
	for _, a := range args {
		switch v := a.(type) {
		case string:
			n += len(v)
		case []byte:
			n += len(v)
		case []string:
			for _, s := range v {
				n += len(s)
			}
		}
	}
	return n
}

// connFor returns the connection to send a statement of big arguments on
// apart, when x is on one (a transaction).
func (x q) connFor(args []any) (*pgx.Conn, bool) {
	if textBytes(args) < bigArgs {
		return nil, false
	}
	c, ok := x.pgxQ.(interface{ Conn() *pgx.Conn })
	if !ok {
		return nil, false
	}
	return c.Conn(), true
}

// queryApart runs sql as pgx's cached statements do, its parameters
// encoded by a builder of its own that is garbage once sent.
func queryApart(ctx context.Context, c *pgx.Conn, sql string, args []any) (pgx.Rows, error) {
	sum := sha256.Sum256([]byte(sql))
	sd, err := c.Prepare(ctx, "pbxsync_big_"+hex.EncodeToString(sum[:12]), sql)
	if err != nil {
		return nil, err
	}
	var eqb pgx.ExtendedQueryBuilder
	if err := eqb.Build(c.TypeMap(), sd, args); err != nil {
		return nil, err
	}
	rr := c.PgConn().ExecStatement(ctx, sd, eqb.ParamValues, eqb.ParamFormats, eqb.ResultFormats)
	return pgx.RowsFromResultReader(c.TypeMap(), rr), nil
}
