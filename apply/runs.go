package apply

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/pbxsync/pbxsync/plan"
)

// A store writes a large batch set-wise: a few statements per kind of
// change instead of one per change. The changes are cut into runs that the
// per-change path would write in the same order with the same result (same
// kind and operation, each object once, no extension or e-mail taken in the
// run that another change of the run frees), and each run is written with
// one statement per group of changes that set the same columns. When a
// change cannot be written set-wise, or a statement breaks a rule of the
// schema or writes fewer rows than it has changes, the batch is rolled back
// and written again change by change, which finds the change at fault and
// says why in domain words. The cutting is here, pure; the statements and
// the columns are the stores'.

// Op is what a set-based statement does to the rows of a run.
type Op int

const (
	OpInsert Op = iota
	OpUpdate
	OpDelete
)

// ErrSetwise says a batch must be written change by change: the set-based
// statements cannot write one of its changes, or found one at fault (the
// per-change path says which and why).
var ErrSetwise = errors.New("the batch must be written change by change")

// updatable lists the actions that are an UPDATE of an existing row, by
// kind; its kinds are those with a version and a table of their own.
var updatable = map[plan.Kind][]plan.Action{
	plan.KindUser:     {plan.Update, plan.Deprovision},
	plan.KindNumber:   {plan.Assign, plan.Unassign, plan.Move, plan.Update},
	plan.KindDevice:   {plan.Update, plan.Move},
	plan.KindLine:     {plan.Update, plan.Move},
	plan.KindLocation: {plan.Update},
}

// Updates reports whether action a on an object of kind k is an UPDATE of
// its row.
func Updates(k plan.Kind, a plan.Action) bool {
	return slices.Contains(updatable[k], a)
}

// OpOf is the operation that writes ch set-wise; ok is false when ch can
// only be written change by change (a kind or an action the set-based
// statements do not take, which the per-change path reports).
func OpOf(ch *plan.Change) (Op, bool) {
	if ch.Kind == plan.KindMember {
		switch ch.Action {
		case plan.Create:
			return OpInsert, true
		case plan.Delete:
			return OpDelete, true
		}
		return 0, false
	}
	if _, ok := updatable[ch.Kind]; !ok || ch.Key == "" {
		return 0, false
	}
	switch {
	case ch.Action == plan.Delete && ch.Kind == plan.KindLine:
		return OpDelete, true
	case ch.Action == plan.Create && ch.Kind != plan.KindNumber:
		return OpInsert, true
	case Updates(ch.Kind, ch.Action):
		return OpUpdate, true
	}
	return 0, false
}

// Row is change Change ready for a set-based statement: the key columns of
// its object and the columns it sets, in a store's type A (a column and
// the value it gets).
type Row[A any] struct {
	Change     int
	Keys, Sets []A
}

// Run is changes of one kind and one operation that one statement per
// group of the same columns writes, each made a store's row (R).
type Run[R any] struct {
	Kind plan.Kind
	Op   Op
	Rows []R
}

// Runs cuts changes (a batch of p, in plan order) into runs, and makes each
// change i a row with row(i, op) as it goes; ok is false when a change can
// only be written change by change: OpOf refuses it, or row does (a key or
// value the store's columns do not take). A run is cut where the kind or
// the operation changes, where an object comes again, and where a change
// takes an extension or e-mail that an earlier change of the run frees.
// Runs does no I/O (a store may cut the next batch while it writes one).
func Runs[R any](p *plan.Plan, changes []int, row func(i int, op Op) (R, bool)) ([]Run[R], bool) {
	var runs []Run[R]
	var keys map[string]bool
	var frees map[Ref]bool
	var tc Touched
	for _, i := range changes {
		ch := &p.Changes[i]
		op, ok := OpOf(ch)
		if !ok {
			return nil, false
		}
		r, ok := row(i, op)
		if !ok {
			return nil, false
		}
		n := len(runs)
		cut := n == 0 || runs[n-1].Kind != ch.Kind || runs[n-1].Op != op || keys[ch.Key]
		tc.Frees, tc.Takes = tc.Frees[:0], tc.Takes[:0]
		if ch.Kind != plan.KindMember { // a member frees and takes nothing
			tc.Of(ch)
		}
		for _, v := range tc.Takes {
			cut = cut || frees[v]
		}
		if cut {
			runs = append(runs, Run[R]{Kind: ch.Kind, Op: op})
			keys, frees = map[string]bool{}, map[Ref]bool{}
		}
		keys[ch.Key] = true
		for _, v := range tc.Frees {
			frees[v] = true
		}
		cur := &runs[len(runs)-1]
		cur.Rows = append(cur.Rows, r)
	}
	return runs, true
}

// Groups splits rows by the columns they set (name gives the column of an
// assignment), the groups in the order their first row comes, each row in
// its order.
func Groups[A any](rows []Row[A], name func(A) string) [][]Row[A] {
	var out [][]Row[A]
	index := map[string]int{}
	for _, row := range rows {
		names := make([]string, len(row.Sets))
		for i, x := range row.Sets {
			names[i] = name(x)
		}
		sig := strings.Join(names, ",")
		gi, ok := index[sig]
		if !ok {
			gi = len(out)
			index[sig] = gi
			out = append(out, nil)
		}
		out[gi] = append(out[gi], row)
	}
	return out
}

// WithBlanks adds to a create's assignments (as, in a store's type A,
// name giving an assignment's column) the blank columns it leaves out, and
// orders them by column: a plan leaves empty attributes out of a create,
// so creates of one table, written with their blanks, share one column
// list and one statement.
func WithBlanks[A any](as, blanks []A, name func(A) string) []A {
	for _, b := range blanks {
		if !slices.ContainsFunc(as, func(x A) bool { return name(x) == name(b) }) {
			as = append(as, b)
		}
	}
	slices.SortFunc(as, func(x, y A) int { return strings.Compare(name(x), name(y)) })
	return as
}

// SetwiseFirst is how a store writes a batch of n changes: with setwise
// when n is at least from, and with byChange when it is smaller or setwise
// returns ErrSetwise (having committed nothing). Both commit the batch.
func SetwiseFirst(n, from int, setwise, byChange func() error) error {
	if n >= from {
		if err := setwise(); !errors.Is(err, ErrSetwise) {
			return err
		}
	}
	return byChange()
}

// WriteChanges writes changes change by change with write, in order, and
// calls after (when not nil) after each one written. It stops at the first
// error; a *ChangeError is returned naming its change.
func WriteChanges(ctx context.Context, changes []int, write func(context.Context, int) error, after func(int)) error {
	for _, i := range changes {
		if err := write(ctx, i); err != nil {
			if ce, ok := AsChangeError(err); ok {
				ce.Change = i
				return ce
			}
			return err
		}
		if after != nil {
			after(i)
		}
	}
	return nil
}
