package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	"github.com/jackc/pgx/v5"
)

// bigArgs is the size of a statement's text arguments past which their
// encoding is made apart from the connection's. pgx encodes a statement's
// parameters into a builder each connection keeps (ExtendedQueryBuilder);
// its reset empties the builder's list of them without clearing it, so the
// last parameters stay reachable until a later statement on that
// connection has as many. A batch's audit JSON (~4 MB, RecordBatch) and
// the keys LoadForeign looks up (8 MB at 100k rows, 91 MB at 1M) stayed
// in memory to the end of the run, on a connection back in the pool.
const bigArgs = 64 << 10

// textBytes is the size of args' strings and string lists.
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
// apart, when x is on one (a transaction); a pool has none.
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

// queryApart runs sql as pgx's cached statements do (prepared once on the
// connection, parameters in the formats its description asks for), its
// parameters encoded by a builder of its own that is garbage once sent.
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
